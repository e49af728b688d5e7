// The time loop of a run.
#include "app/simulation.h"

#include "app/coupled_run.h"
#include "app/deck_checks.h"
#include "app/fe_run.h"
#include "app/md_run.h"
#include "base/error.h"
#include "base/log.h"
#include "base/progress.h"
#include "base/timer.h"
#include "io/hdf5_file.h"
#include "parallel/agreement.h"
#include "parallel/partition.h"
#include "seam/version.h"

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <cstdio>
#include <cstdlib>
#include <filesystem>


namespace seam::app
{
  Simulation::Simulation(const config::Deck &deck, MPI_Comm world)
    : deck_(deck)
    , world_(world)
  {}

  int Simulation::run(const std::string &debug_fail)
  {
    const auto start = std::chrono::steady_clock::now();
    int        world_size = 1;
    MPI_Comm_size(world_, &world_size);
    const bool            has_md = deck_.has("md"), has_fe = deck_.has("fe");
    const int             n_md   = has_md && has_fe ? md_ranks(deck_, world_size) : 0;
    parallel::Partition   part(world_, has_md, has_fe, n_md);
    Log                   log(world_, "seam");
    try
      {
        if (!part.all_same(deck_.hash()))
          throw RuntimeError("the ranks did not read the same deck (hash mismatch): launch every rank with the "
                             "same deck file and --set options");
        log.info("seam {} (git {}): {} on {} rank{} ({} MD, {} FE)", version_string, git_commit, deck_.file(),
                 world_size, world_size == 1 ? "" : "s", part.n_md_ranks(), part.n_fe_ranks());
        if (!debug_fail.empty() && debug_fail == fmt::format("{}:{}", part.tag(), part.local_rank()))
          throw RuntimeError("failure injected by --debug-fail " + debug_fail);
        // Everyone else waits in a collective: the failing rank must still end the whole job.
        MPI_Barrier(world_);
        // A failure inside an agreed phase while the other ranks of its partition wait in a collective of
        // their own that the failing rank never enters: the agreement's watchdog must end the job.
        if (debug_fail.rfind("stuck:", 0) == 0)
          parallel::agreed(world_, part.prefix(), [&] {
            if (debug_fail == fmt::format("stuck:{}:{}", part.tag(), part.local_rank()))
              throw RuntimeError("failure injected by --debug-fail " + debug_fail);
            MPI_Barrier(part.local());
          });
        // Only now, with the deck valid and the job assembled, is anything written. World rank 0 creates
        // the directory and writes a probe file; every rank learns the outcome (no rank goes on alone).
        parallel::agreed(world_, part.prefix(), [&] {
          if (part.world_rank() != 0)
            return;
          namespace fs          = std::filesystem;
          const std::string dir = deck_.string("output.directory");
          std::error_code   ec;
          fs::create_directories(dir, ec);
          const std::string probe = dir + "/.seam_write_test";
          std::FILE        *f     = ec ? nullptr : std::fopen(probe.c_str(), "w");
          const bool        ok    = f && std::fputs("seam\n", f) >= 0 && std::fflush(f) == 0;
          const int         err   = errno;
          if (f)
            std::fclose(f);
          fs::remove(probe, ec);
          if (!ok)
            deck_.fail("output.directory",
                       fmt::format("cannot write into output.directory '{}': {}", dir,
                                   ec ? ec.message() : std::string(std::strerror(err))),
                       "a writable directory", "choose another output.directory, or free space / fix permissions");
        });
        TimerTable timers;
        RunStats   stats;
        if (part.is_coupled())
          stats = run_coupled(deck_, part, timers);
        else if (part.is_md())
          stats = run_md_only(deck_, part, timers);
        else
          stats = run_fe_only(deck_, part, timers);
        stats = stats.combine(world_);
        const std::string table = timers.summary(part.local(), part.is_md() ? "md phases" : "fe phases");
        log.info("{}", table);
        if (part.is_coupled())
          {
            // The FE side's table too (the log prints on world rank 0, an MD rank), after the MD one.
            std::fflush(stdout);
            MPI_Barrier(world_);
            if (!part.is_md() && part.local_rank() == 0 && !Log::console().quiet)
              {
                std::printf("%s\n", table.c_str());
                std::fflush(stdout);
              }
            MPI_Barrier(world_);
          }
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        log.summary("{}", run_summary(stats, wall,
                                          deck_.string("run.style") == "quasistatic"
                                            ? std::string("load steps")
                                            : unit_symbol(deck_.units(), Quantity::time),
                                          part.n_md_ranks(),
                                      part.n_fe_ranks()));
        log.summary("seam: done; output in {}/ (open the .xdmf files in ParaView, or render them with "
                    "scripts/render)",
                    deck_.string("output.directory"));
      }
    catch (const parallel::JobError &e)
      {
        // Every rank threw the same error at the same point (agreed or reduced): print once, exit 1 on all.
        if (part.world_rank() == 0)
          std::fprintf(stderr, "seam: run-time error\n%s\n", e.what());
        // After a failed HDF5 close (a full disk) HDF5 crashes in MPI_Finalize; every rank then ends here,
        // together, without finalizing (the files written so far are closed; the failed one is reported).
        int bad = io::Hdf5File::close_failed() ? 1 : 0;
        MPI_Allreduce(MPI_IN_PLACE, &bad, 1, MPI_INT, MPI_MAX, world_);
        if (bad)
          {
            std::fflush(stdout);
            std::fflush(stderr);
            MPI_Barrier(world_);
            std::_Exit(1);
          }
        return 1;
      }
    catch (const InputError &e)
      {
        // Deck checks that need the built model (e.g. the stable FE step) run on every rank of a
        // single-part run alike, so every rank gets here: print once, exit 1 like any input error.
        if (part.world_rank() == 0)
          std::fprintf(stderr, "seam: input error\n%s\n", e.what());
        return 1;
      }
    catch (const std::exception &e)
      {
        parallel::abort_job(fmt::format("{} error: {}", part.prefix(), e.what()));
      }
    return 0;
  }
} // namespace seam::app
