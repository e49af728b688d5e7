// run.restart, output.checkpoint_every and stop signals for every time loop.
#include "app/checkpointing.h"

#include "base/error.h"
#include "base/log.h"
#include "base/stop_request.h"
#include "parallel/agreement.h"

#include <fmt/format.h>

#include <memory>

namespace seam::app
{
  Checkpointing::Checkpointing(const config::Deck &d, const parallel::Partition &part, std::string kind, double dt,
                               TimerTable &timers)
    : deck_(d)
    , part_(part)
    , kind_(std::move(kind))
    , path_(d.string("run.restart"))
    , directory_(d.string("output.directory"))
    , dt_(dt)
    , timers_(timers)
    , writers_(part.is_coupled() ? part.world() : part.local())
    , prov_(d.text(), to_string(d.units()), part.n_md_ranks(), part.n_fe_ranks())
    , steps_(d.integer("run.steps"))
    , every_(d.integer("output.checkpoint_every"))
  {}

  std::int64_t Checkpointing::restore(const std::function<void(const StateIn &)> &load)
  {
    if (path_.empty())
      return 0;
    // Every writer (both partitions of a coupled run) learns of a failure on any rank and stops with the
    // same message (parallel::agreed): the checks below fail alike everywhere, a file one node cannot
    // read fails on that node only.
    std::int64_t first = 0;
    parallel::agreed(writers_, part_.prefix(), [&] { first = open_and_load(load); });
    Log(writers_, kind_.c_str()).info("{}: restarted from {} at step {}", kind_, path_, first);
    return first;
  }

  std::int64_t Checkpointing::open_and_load(const std::function<void(const StateIn &)> &load)
  {
    TimerTable::Scope    t(timers_, "setup");
    std::unique_ptr<io::CheckpointReader> reader;
    try
      {
        reader = std::make_unique<io::CheckpointReader>(path_, part_.local());
      }
    catch (const std::exception &e)
      {
        throw RuntimeError(fmt::format("run.restart (deck {}): '{}' cannot be read as a checkpoint: {}. A run killed "
                                       "while writing leaves the previous checkpoint as checkpoint.prev.h5 beside "
                                       "it: restart from that one",
                                       deck_.mark("run.restart").str(), path_, e.what()));
      }
    io::CheckpointReader &ckpt = *reader;
    const auto          &info = ckpt.info();
    const char          *what = kind_ == "md" ? "an MD-only" : kind_ == "fe" ? "an FE-only" : "a coupled";
    if (info.kind != kind_)
      throw RuntimeError(fmt::format("run.restart: '{}' is a checkpoint of a {} run, this deck is {} run: restart "
                                     "with the deck that wrote it",
                                     path_, info.kind, what));
    const std::int64_t first = info.step;
    if (first >= steps_)
      throw RuntimeError(fmt::format("run.restart: the checkpoint '{}' is at step {}, run.steps = {} ends there or "
                                     "before: set run.steps to the step the run should reach (> {})",
                                     path_, first, steps_, first));
    int writer = 0, n_writers = 0;
    MPI_Comm_rank(writers_, &writer);
    MPI_Comm_size(writers_, &n_writers);
    // Another rank count (or MD/FE split) than wrote it: the components redistribute their state.
    const bool same = n_writers == info.n_ranks &&
                      (!part_.is_coupled() || (info.md_ranks == part_.n_md_ranks() && info.fe_ranks == part_.n_fe_ranks()));
    if (!same)
      Log(writers_, kind_.c_str())
        .info("{}: the checkpoint was written by {} MD + {} FE ranks, this run has {} + {}: its state is "
              "redistributed (the continuation agrees with the uninterrupted run to round-off, not bit for bit)",
              kind_, info.md_ranks, info.fe_ranks, part_.n_md_ranks(), part_.n_fe_ranks());
    load(*ckpt.root(writer, same));
    last_signal_check_ = first;
    return first;
  }

  bool Checkpointing::after_step(std::int64_t step, const std::function<void(StateOut &)> &fill)
  {
    // A stop signal: every writer learns of it at the same step (one allreduce every few steps).
    int stop = 0;
    if (step - last_signal_check_ >= signal_every && step < steps_)
      {
        last_signal_check_ = step;
        stop               = stop_signal();
        MPI_Allreduce(MPI_IN_PLACE, &stop, 1, MPI_INT, MPI_MAX, writers_);
      }
    if (stop == 0 && step != steps_ && !(every_ > 0 && step % every_ == 0))
      return false;
    std::string path;
    {
      TimerTable::Scope  t(timers_, "checkpoint");
      io::CheckpointInfo info;
      info.kind = kind_;
      info.step = step;
      info.time = step * dt_;
      path      = io::write_checkpoint(directory_, writers_, prov_, info, fill);
    }
    if (stop == 0)
      return false;
    Log(writers_, "seam").summary("seam: stopped by {} at step {} of {}; checkpoint {}\nresume with: seam run {} --set "
                                  "run.restart={} (and the same --set options)",
                                  signal_name(stop), step, steps_, path, deck_.file(), path);
    return true;
  }
} // namespace seam::app
