// The driver: builds the partitions and modules from a validated deck and runs the time loop.
#pragma once

#include "config/deck.h"

#include <mpi.h>

#include <string>

namespace seam::app
{
  /// Builds the MD and FE partitions from a deck and runs it. Collective on `world`.
  class Simulation
  {
  public:
    /// @pre `deck` passed validation and check_deck on every rank of `world`.
    Simulation(const config::Deck &deck, MPI_Comm world);

    /// Runs the deck. Returns the exit code (0). A run-time error on any rank ends the whole job through
    /// parallel::abort_job with a "[md r/N]" / "[fe r/N]" prefixed message.
    /// @param debug_fail test hook "md:R" or "fe:R": that rank fails at start-up.
    int run(const std::string &debug_fail = "");

  private:
    const config::Deck &deck_;
    MPI_Comm            world_;
  };
} // namespace seam::app
