// FE-only runs: the deck wired to the deal.II continuum, and its time loop with thermo and mesh output.
#pragma once

#include "app/run_summary.h"
#include "base/timer.h"
#include "config/deck.h"
#include "parallel/partition.h"

namespace seam::app
{
  /// Runs an FE-only deck on the partition's local communicator (every rank). Collective.
  /// @throws InputError (identically on every rank) if fe.time_step exceeds the stable step.
  /// @return the loop's work and wall time, for the summary.
  RunStats run_fe_only(const config::Deck &deck, const parallel::Partition &part, TimerTable &timers);
} // namespace seam::app
