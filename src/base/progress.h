// The progress of a time loop on the console: rate, simulated time per wall hour and ETA on each thermo
// line, and "# progress" lines between thermo rows with --progress.
#pragma once

#include <mpi.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace seam
{
  /// "42s", "3m05s", "2h07m", "3d04h": a duration for people, rounded to its two leading units.
  std::string format_duration(double seconds);

  /// Measures a time loop. The thermo-line columns are LAMMPS' thermo keywords spcpu (steps per wall
  /// second since the previous line), tpcpu (simulated time per wall second; here per wall hour, the
  /// unit a long run is planned in) and cpuremain (wall time left, from the mean rate since the loop
  /// started, which is steadier than the last interval's). Wall time is this rank's clock; the ranks of
  /// a run meet at every thermo row, so rank 0's clock is the job's. Not collective.
  class Progress
  {
  public:
    /// @param comm      the communicator whose rank 0 prints the "# progress" lines (not owned)
    /// @param steps     the loop runs steps 1 .. steps
    /// @param dt        simulated time per step [time unit]
    /// @param time_unit "ps" or "tau", for the column header
    /// Starts the clock. Heartbeat lines follow Log::console().progress_every.
    Progress(MPI_Comm comm, std::int64_t steps, double dt, std::string time_unit);

    /// The header of the columns that columns() returns, aligned with them.
    std::string header() const;

    /// The columns for the thermo row of `step` ("-" at step 0) and the start of a new interval.
    std::string columns(std::int64_t step);

    /// Call after each step (cheap: a clock read only when heartbeat lines are on, on rank 0). Prints a
    /// "# progress" line when Log::console().progress_every wall seconds passed without a line.
    void tick(std::int64_t step);

    /// Wall seconds since construction.
    double elapsed() const;

  private:
    using Clock = std::chrono::steady_clock;
    struct Rates
    {
      double steps_per_second, time_per_hour, eta_seconds;
    };
    /// Rates over the interval since the last line, ETA from the mean since the start.
    Rates rates(std::int64_t step, Clock::time_point now) const;

    int               rank_ = 0;
    std::int64_t      steps_;
    double            dt_;
    std::string       time_unit_;
    double            every_;
    Clock::time_point start_;
    Clock::time_point last_time_;     ///< of the last console line (row or heartbeat)
    std::int64_t      last_step_ = 0; ///< step of the last console line
  };
} // namespace seam
