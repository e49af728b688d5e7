// The progress of a time loop on the console.
#include "base/progress.h"

#include "base/log.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdio>

namespace seam
{
  std::string format_duration(double seconds)
  {
    if (!std::isfinite(seconds) || seconds < 0)
      return "-";
    const auto s = static_cast<long long>(std::llround(seconds));
    if (s < 60)
      return fmt::format("{}s", s);
    if (s < 3600)
      return fmt::format("{}m{:02}s", s / 60, s % 60);
    if (s < 86400)
      return fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60);
    return fmt::format("{}d{:02}h", s / 86400, (s % 86400) / 3600);
  }

  Progress::Progress(MPI_Comm comm, std::int64_t steps, double dt, std::string time_unit)
    : steps_(steps)
    , dt_(dt)
    , time_unit_(std::move(time_unit))
    , every_(Log::console().progress_every)
    , start_(Clock::now())
    , last_time_(start_)
  {
    MPI_Comm_rank(comm, &rank_);
  }

  double Progress::elapsed() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

  std::string Progress::header() const
  {
    return fmt::format(" {:>10} {:>10} {:>8}", "steps/s", time_unit_ + "/h", "ETA");
  }

  Progress::Rates Progress::rates(std::int64_t step, Clock::time_point now) const
  {
    const double interval = std::chrono::duration<double>(now - last_time_).count();
    const double total    = std::chrono::duration<double>(now - start_).count();
    Rates        r{};
    r.steps_per_second = interval > 0 ? (step - last_step_) / interval : 0.0;
    r.time_per_hour    = r.steps_per_second * dt_ * 3600.0;
    r.eta_seconds      = step > 0 ? total / step * (steps_ - step) : -1.0;
    return r;
  }

  std::string Progress::columns(std::int64_t step)
  {
    const auto now = Clock::now();
    std::string text;
    if (step <= last_step_)
      text = fmt::format(" {:>10} {:>10} {:>8}", "-", "-", "-");
    else
      {
        const Rates r = rates(step, now);
        text = fmt::format(" {:>10.4g} {:>10.4g} {:>8}", r.steps_per_second, r.time_per_hour,
                           format_duration(r.eta_seconds));
      }
    last_time_ = now;
    last_step_ = step;
    return text;
  }

  void Progress::tick(std::int64_t step)
  {
    if (every_ <= 0 || rank_ != 0 || Log::console().quiet)
      return;
    const auto now = Clock::now();
    if (std::chrono::duration<double>(now - last_time_).count() < every_ || step <= last_step_)
      return;
    const Rates r = rates(step, now);
    std::fputs(fmt::format("# progress: step {}/{} ({:.1f} %), {:.4g} steps/s, {:.4g} {}/h, ETA {}\n", step, steps_,
                           100.0 * step / steps_, r.steps_per_second, r.time_per_hour, time_unit_,
                           format_duration(r.eta_seconds))
                 .c_str(),
               stdout);
    std::fflush(stdout);
    last_time_ = now;
    last_step_ = step;
  }
} // namespace seam
