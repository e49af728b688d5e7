// Command-line front end: parses arguments with CLI11, loads and validates the deck on every rank, and
// dispatches to check, schema or a Simulation run.
#include "app/main.h"

#include "app/deck_checks.h"
#include "app/simulation.h"
#include "base/stop_request.h"
#include "base/error.h"
#include "base/log.h"
#include "config/deck.h"
#include "config/schema.h"
#include "coupling/coupling_scheme.h"
#include "md/fix/registry.h"
#include "md/potential/registry.h"
#include "parallel/agreement.h"
#include "parallel/partition.h"
#include "seam/version.h"

#include <deal.II/base/mpi.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

namespace seam::app
{
  namespace
  {
    int world_rank()
    {
      int r = 0;
      MPI_Comm_rank(MPI_COMM_WORLD, &r);
      return r;
    }

    void print_root(const std::string &text, std::FILE *stream)
    {
      if (world_rank() == 0)
        {
          std::fputs(text.c_str(), stream);
          std::fflush(stream);
        }
    }
  } // namespace

  int main(int argc, char **argv)
  {
    dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
    // SIGTERM/SIGUSR1 only set a flag from here on: a run checkpoints at the next agreed step and exits 0
    // (a command that is not running a time loop just finishes).
    install_stop_handlers();
    // Styles declared by the modules above config join the deck schema before anything reads it.
    md::register_potential_keys();
    md::register_fix_keys();
    coupling::register_coupling_keys();

    CLI::App cli{"seam: concurrent atomistic-continuum solver (MD + deal.II FE, bridging-domain coupling)", "seam"};
    cli.require_subcommand(0, 1);
    bool version = false;
    cli.add_flag("--version", version, "print the version and exit");

    std::string              deck_file;
    std::vector<std::string> overrides;
    std::string              debug_fail;
    auto *run = cli.add_subcommand("run", "run a deck: mpirun -np N seam run DECK.yaml");
    run->add_option("deck", deck_file, "the YAML input deck")->required();
    run->add_option("--set", overrides, "override a key: --set key.path=value (repeatable)")->take_all();
    // Console output (thermo.csv and the other files are the same either way): LAMMPS' `-screen none`
    // is --quiet; --progress adds lines between thermo rows, for batch jobs whose output is a file that
    // is followed with `tail -f` (seam cannot tell a terminal from a file under mpirun, whose ranks
    // always write to a pseudo-terminal).
    ConsoleOptions console;
    auto *quiet = run->add_flag("--quiet,-q", console.quiet,
                                "no console output while running (no start-up lines, thermo rows or timing "
                                "tables): only warnings, errors and the final summary");
    std::string progress; // a string: CLI11 converts a flag's value to double only if it is an integer
    run->add_flag("--progress{10}", progress,
                  "between thermo rows, print a '# progress' line (step, steps/s, simulated time per wall "
                  "hour, ETA) every SECONDS of wall time (--progress: 10 s; --progress=SECONDS)")
      ->option_text("[=SECONDS]")
      ->check(CLI::Validator(
        [](std::string &v) -> std::string {
          char        *end = nullptr;
          const double x   = std::strtod(v.c_str(), &end);
          return end != v.c_str() && *end == '\0' && x > 0
                   ? ""
                   : "expected a positive number of seconds (--progress=SECONDS), got '" + v + "'";
        },
        "SECONDS"))
      ->excludes(quiet);
    // Test hook: make one rank fail at start-up, to check that the whole job ends (hidden option).
    run->add_option("--debug-fail", debug_fail, "")->group("");
    auto *check = cli.add_subcommand("check", "validate a deck and print it with defaults filled in");
    check->add_option("deck", deck_file, "the YAML input deck")->required();
    check->add_option("--set", overrides, "override a key: --set key.path=value (repeatable)")->take_all();
    auto *schema = cli.add_subcommand("schema", "print the deck key reference (Markdown)");

    try
      {
        cli.parse(argc, argv);
      }
    catch (const CLI::ParseError &e)
      {
        // --help is a ParseError with exit code 0.
        if (world_rank() == 0)
          cli.exit(e);
        return e.get_exit_code() == 0 ? 0 : 1;
      }

    if (version)
      {
        print_root(fmt::format("seam {} (git {})\n", version_string, git_commit), stdout);
        return 0;
      }
    if (*schema)
      {
        print_root(config::schema_markdown(), stdout);
        return 0;
      }
    if (!*run && !*check)
      {
        print_root(cli.help(), stdout);
        return 0;
      }

    int world_size = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &world_size);
    std::unique_ptr<config::Deck> deck;
    try
      {
        // Every rank parses the same text and normally throws the same error; agreed() makes sure of it
        // (a file readable on one node only, a check that fails on one rank), so that no rank goes on alone.
        parallel::agreed(MPI_COMM_WORLD, "[seam " + std::to_string(world_rank()) + "]", [&] {
          deck = std::make_unique<config::Deck>(config::Deck::load(deck_file, overrides));
          check_deck(*deck, *run ? world_size : 0);
        });
      }
    catch (const InputError &e)
      {
        // Only rank 0 prints the agreed error.
        print_root(fmt::format("seam: input error\n{}\n", e.what()), stderr);
        return 1;
      }
    catch (const parallel::JobError &e)
      {
        print_root(fmt::format("seam: error\n{}\n", e.what()), stderr);
        return 1;
      }

    if (*check)
      {
        print_root(fmt::format("# {}: valid\n{}", deck_file, deck->normalised()), stdout);
        return 0;
      }

    if (!progress.empty())
      console.progress_every = std::stod(progress); // checked: a positive number
    Log::set_console(console);
    Simulation sim(*deck, MPI_COMM_WORLD);
    return sim.run(debug_fail);
  }
} // namespace seam::app
