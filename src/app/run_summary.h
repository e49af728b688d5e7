// What a run did and how fast, for the summary printed at its end (LAMMPS' "Loop time ... Performance:").
#pragma once

#include <mpi.h>

#include <cstdint>
#include <string>

namespace seam::app
{
  /// The work of one run's time loop. Each rank fills what its partition knows (MD ranks the atoms, FE
  /// ranks the DoFs); combine() gives every rank the whole.
  struct RunStats
  {
    std::int64_t steps        = 0; ///< MD steps (coupled, MD-only) or FE steps (FE-only): run.steps
    double       time_step    = 0; ///< simulated time per step of `steps` [time unit]
    std::int64_t n_atoms      = 0; ///< atoms (0 without MD)
    std::int64_t md_steps     = 0; ///< MD steps taken
    std::int64_t n_dofs       = 0; ///< FE degrees of freedom (0 without FE)
    std::int64_t fe_steps     = 0; ///< FE steps taken (coupled: one per window of coupling.substeps)
    double       loop_seconds = 0; ///< wall time of the time loop (after set-up)

    /// Every field's maximum over `comm` (each partition's ranks agree on their fields). Collective.
    RunStats combine(MPI_Comm comm) const;
  };

  /// The summary lines: wall time, steps/s, simulated time per wall hour, atom-steps/s and FE
  /// DoF-steps/s. `wall_seconds` is the whole run (set-up, loop and output), `time_unit` "ps" or "tau".
  std::string run_summary(const RunStats &stats, double wall_seconds, const std::string &time_unit, int n_md_ranks,
                          int n_fe_ranks);
} // namespace seam::app
