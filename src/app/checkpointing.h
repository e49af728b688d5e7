// run.restart, output.checkpoint_every and stop signals for every time loop (MD-only, FE-only, coupled):
// one place that opens and checks a checkpoint, decides when to write one and agrees on a stop.
#pragma once

#include "base/state.h"
#include "base/timer.h"
#include "config/deck.h"
#include "io/checkpoint.h"
#include "io/provenance.h"
#include "parallel/partition.h"

#include <cstdint>
#include <functional>
#include <string>

namespace seam::app
{
  /// The checkpoints of one run. `kind` is "md", "fe" or "coupled". The writers are the partition's
  /// ranks for an MD-only or FE-only run and the whole world for a coupled run (one file holds both
  /// partitions' state, each rank's block under its world rank); each rank reads its block on its own
  /// partition's communicator.
  class Checkpointing
  {
  public:
    Checkpointing(const config::Deck &deck, const parallel::Partition &part, std::string kind, double time_step,
                  TimerTable &timers);

    /// True when the deck sets run.restart.
    bool restarting() const { return !path_.empty(); }
    /// run.restart: opens the checkpoint, checks that it is one of this kind of run on the same ranks and
    /// that run.steps lies beyond it, and hands this rank's state to `load`. Collective on the partition.
    /// @return the step the run continues from (0 without run.restart)
    /// @throws parallel::JobError naming the file and the fix, InputError for a deck that cannot continue
    /// it (every writer alike: the outcome is agreed over the writers)
    std::int64_t restore(const std::function<void(const StateIn &)> &load);

    /// After step `step` of the loop (every writer at the same steps): writes a checkpoint when
    /// output.checkpoint_every divides `step`, at the last step, or when a stop signal arrived (agreed
    /// over the writers every `signal_every` steps or more); then, on a stop, logs how to resume.
    /// `fill` puts this rank's state. Collective on the writers.
    /// @return true if the run must stop here (a stop signal)
    bool after_step(std::int64_t step, const std::function<void(StateOut &)> &fill);

  private:
    /// restore() on this rank, before the outcome is agreed.
    std::int64_t open_and_load(const std::function<void(const StateIn &)> &load);

    const config::Deck        &deck_;
    const parallel::Partition &part_;
    std::string                kind_, path_, directory_;
    double                     dt_;
    TimerTable                &timers_;
    MPI_Comm                   writers_;
    io::Provenance             prov_;
    std::int64_t               steps_, every_, last_signal_check_ = 0;
    static constexpr long      signal_every = 10;
  };
} // namespace seam::app
