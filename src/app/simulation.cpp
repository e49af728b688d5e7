// The time loop of a run.
#include "app/simulation.h"

#include "app/deck_checks.h"
#include "base/error.h"
#include "base/log.h"
#include "parallel/partition.h"
#include "seam/version.h"

#include <fmt/format.h>

#include <filesystem>

namespace seam::app
{
  Simulation::Simulation(const config::Deck &deck, MPI_Comm world)
    : deck_(deck)
    , world_(world)
  {}

  int Simulation::run(const std::string &debug_fail)
  {
    int world_size = 1;
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
        const std::filesystem::path dir = deck_.string("output.directory");
        if (part.world_rank() == 0)
          std::filesystem::create_directories(dir);
        MPI_Barrier(world_);
      }
    catch (const std::exception &e)
      {
        parallel::abort_job(fmt::format("{} error: {}", part.prefix(), e.what()));
      }
    return 0;
  }
} // namespace seam::app
