// The end-of-run summary.
#include "app/run_summary.h"

#include "base/progress.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <vector>

namespace seam::app
{
  RunStats RunStats::combine(MPI_Comm comm) const
  {
    std::int64_t counts[5] = {steps, n_atoms, md_steps, n_dofs, fe_steps};
    double       reals[2]  = {time_step, loop_seconds};
    MPI_Allreduce(MPI_IN_PLACE, counts, 5, MPI_INT64_T, MPI_MAX, comm);
    MPI_Allreduce(MPI_IN_PLACE, reals, 2, MPI_DOUBLE, MPI_MAX, comm);
    RunStats r;
    r.steps        = counts[0];
    r.n_atoms      = counts[1];
    r.md_steps     = counts[2];
    r.n_dofs       = counts[3];
    r.fe_steps     = counts[4];
    r.time_step    = reals[0];
    r.loop_seconds = reals[1];
    return r;
  }

  std::string run_summary(const RunStats &s, double wall_seconds, const std::string &time_unit, int n_md_ranks,
                          int n_fe_ranks)
  {
    const double loop = std::max(s.loop_seconds, 1e-9);
    std::string  ranks;
    if (n_md_ranks > 0 && n_fe_ranks > 0)
      ranks = fmt::format("{} MD + {} FE ranks", n_md_ranks, n_fe_ranks);
    else
      ranks = fmt::format("{} rank{}", n_md_ranks + n_fe_ranks, n_md_ranks + n_fe_ranks == 1 ? "" : "s");
    const std::string wall = wall_seconds < 60 ? fmt::format("{:.2f} s", wall_seconds)
                                               : fmt::format("{} ({:.0f} s)", format_duration(wall_seconds), wall_seconds);
    std::string text = fmt::format("seam: {} steps ({:.6g} {}) in {} wall (time loop {:.2f} s) on {}: {:.4g} steps/s, "
                                   "{:.4g} {}/h",
                                   s.steps, s.steps * s.time_step, time_unit, wall, s.loop_seconds, ranks,
                                   s.steps / loop, s.steps * s.time_step / loop * 3600.0, time_unit);
    std::vector<std::string> work;
    if (s.n_atoms > 0)
      work.push_back(fmt::format("MD {:.4g} atom-steps/s ({} atoms x {} steps)",
                                 static_cast<double>(s.n_atoms) * s.md_steps / loop, s.n_atoms, s.md_steps));
    if (s.n_dofs > 0)
      work.push_back(fmt::format("FE {:.4g} DoF-steps/s ({} DoFs x {} FE steps)",
                                 static_cast<double>(s.n_dofs) * s.fe_steps / loop, s.n_dofs, s.fe_steps));
    if (!work.empty())
      text += fmt::format("\nseam: {}", fmt::join(work, "; "));
    return text;
  }
} // namespace seam::app
