// Phase timers.
#include "base/timer.h"

#include <fmt/format.h>

namespace seam
{
  TimerTable::Scope::Scope(TimerTable &table, const std::string &phase)
    : table_(table)
    , index_(table.index_of(phase))
    , start_(std::chrono::steady_clock::now())
  {}

  TimerTable::Scope::~Scope()
  {
    const auto elapsed = std::chrono::steady_clock::now() - start_;
    table_.entries_[index_].seconds += std::chrono::duration<double>(elapsed).count();
    ++table_.entries_[index_].calls;
  }

  std::size_t TimerTable::index_of(const std::string &phase)
  {
    for (std::size_t i = 0; i < entries_.size(); ++i)
      if (entries_[i].name == phase)
        return i;
    entries_.push_back({phase, 0., 0});
    return entries_.size() - 1;
  }

  double TimerTable::seconds(const std::string &phase) const
  {
    for (const auto &e : entries_)
      if (e.name == phase)
        return e.seconds;
    return 0.;
  }

  std::string TimerTable::summary(MPI_Comm comm, const std::string &title) const
  {
    // Phases are entered in the same order on every rank of a partition, so the tables line up.
    int size = 1;
    MPI_Comm_size(comm, &size);
    std::vector<double> local(entries_.size()), maxs(entries_.size()), sums(entries_.size());
    for (std::size_t i = 0; i < entries_.size(); ++i)
      local[i] = entries_[i].seconds;
    MPI_Allreduce(local.data(), maxs.data(), static_cast<int>(local.size()), MPI_DOUBLE, MPI_MAX, comm);
    MPI_Allreduce(local.data(), sums.data(), static_cast<int>(local.size()), MPI_DOUBLE, MPI_SUM, comm);
    double total = 0;
    for (double m : maxs)
      total += m;
    std::string out = fmt::format("{:<28} {:>10} {:>10} {:>7} {:>9}\n", title, "max [s]", "mean [s]",
                                  "share", "calls");
    for (std::size_t i = 0; i < entries_.size(); ++i)
      out += fmt::format("  {:<26} {:>10.3f} {:>10.3f} {:>6.1f}% {:>9}\n", entries_[i].name, maxs[i],
                         sums[i] / size, total > 0 ? 100. * maxs[i] / total : 0., entries_[i].calls);
    return out;
  }
} // namespace seam
