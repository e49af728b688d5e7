// Named, timed phases of the time loop (ExaMiniMD's run() / deal.II's TimerOutput::Scope), so the
// timing table at the end of a run reads like the algorithm.
#pragma once

#include <mpi.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace seam
{
  /// Accumulates wall time per named phase, in the order phases are first entered.
  class TimerTable
  {
  public:
    /// RAII guard adding the elapsed time of its lifetime to one phase.
    class Scope
    {
    public:
      Scope(TimerTable &table, const std::string &phase);
      ~Scope();
      Scope(const Scope &) = delete;
      Scope &operator=(const Scope &) = delete;

    private:
      TimerTable                                   &table_;
      std::size_t                                   index_;
      std::chrono::steady_clock::time_point start_;
    };

    /// Seconds spent in a phase so far on this rank (0 if never entered).
    double seconds(const std::string &phase) const;

    /// The table as text: per phase the max and mean over the ranks of `comm`, and the call count.
    /// Collective on `comm`; every rank gets the same text.
    std::string summary(MPI_Comm comm, const std::string &title) const;

  private:
    std::size_t index_of(const std::string &phase);

    struct Entry
    {
      std::string name;
      double      seconds = 0;
      long        calls   = 0;
    };
    std::vector<Entry> entries_;
  };
} // namespace seam
