// Coupled runs: the MD partition and the FE partition advancing together, tied in the handshake band.
#pragma once

#include "app/run_summary.h"
#include "base/timer.h"
#include "config/deck.h"
#include "parallel/partition.h"

namespace seam::app
{
  /// Runs a coupled deck: MD ranks run the atoms, FE ranks the continuum, joined by the bridging-domain
  /// coupler (seam::coupling). Collective on part.world().
  /// @throws InputError (on every rank alike) if the FE step substeps x md.time_step is not stable.
  /// @return this partition's share of the loop's work (RunStats::combine gives the whole).
  RunStats run_coupled(const config::Deck &deck, const parallel::Partition &part, TimerTable &timers);
} // namespace seam::app
