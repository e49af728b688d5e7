// MD-only runs: the deck wired to the MD engine, and the time loop with thermo and atom output.
#pragma once

#include "app/run_summary.h"
#include "base/timer.h"
#include "config/deck.h"
#include "md/md_system.h"
#include "parallel/partition.h"

namespace seam::app
{
  /// The MD engine's parameters from a validated deck.
  md::MdSystemParams md_params(const config::Deck &deck);
  /// Applies the deck's initial temperature and initial displacement and velocity fields (evaluated at
  /// the atoms' reference sites x0, at t = 0) to the owned atoms. Collective (create_velocities).
  /// @pre the atoms are at their lattice sites (no periodic wrap yet). Call setup() afterwards.
  void apply_initial_state(const config::Deck &deck, md::MdSystem &sys);

  /// Runs an MD-only deck on the partition's local communicator (every rank). Collective.
  /// @throws RuntimeError on a non-finite energy (time step too large, overlapping atoms).
  /// @return the loop's work and wall time, for the summary.
  RunStats run_md_only(const config::Deck &deck, const parallel::Partition &part, TimerTable &timers);
} // namespace seam::app
