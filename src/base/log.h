// Rank-aware logging: progress lines printed once per partition, errors prefixed "[md 3/8]".
#pragma once

#include <mpi.h>

#include <fmt/format.h>

#include <string>

namespace seam
{
  /// A logger bound to one communicator. `info` prints on the communicator's rank 0 only; `all`
  /// prints on every rank with the "[tag r/N]" prefix. Not collective.
  class Log
  {
  public:
    /// @param tag short partition name ("md", "fe", "seam") used in prefixes.
    Log(MPI_Comm comm, std::string tag);

    std::string prefix() const; ///< "[md 3/8]" (ranks counted from 0)

    template <typename... Args>
    void info(fmt::format_string<Args...> f, Args &&...args) const
    {
      if (rank_ == 0)
        write_stdout(fmt::format(f, std::forward<Args>(args)...));
    }

    template <typename... Args>
    void all(fmt::format_string<Args...> f, Args &&...args) const
    {
      write_stderr(prefix() + " " + fmt::format(f, std::forward<Args>(args)...));
    }

  private:
    static void write_stdout(const std::string &line);
    static void write_stderr(const std::string &line);

    std::string tag_;
    int         rank_ = 0;
    int         size_ = 1;
  };
} // namespace seam
