// Rank-aware logging: progress lines printed once per partition, errors prefixed "[md 3/8]".
#pragma once

#include <mpi.h>

#include <fmt/format.h>

#include <string>

namespace seam
{
  /// What the console shows (`seam run --quiet` / `--progress`). Process-wide, like deal.II's
  /// `deallog.depth_console()`: it is a property of the terminal, not of any one module.
  struct ConsoleOptions
  {
    /// Only errors, warnings and the final summary: no start-up lines, thermo rows or timing tables.
    bool quiet = false;
    /// > 0: between thermo rows, print a "# progress" line whenever this many wall seconds passed
    /// without a console line (Progress::tick). 0: thermo rows only.
    double progress_every = 0;
  };

  /// A logger bound to one communicator. `info` prints on the communicator's rank 0 only (not with
  /// --quiet); `warning` and `summary` print on rank 0 even with --quiet; `all` prints on every rank
  /// with the "[tag r/N]" prefix. Not collective.
  class Log
  {
  public:
    /// @param tag short partition name ("md", "fe", "seam") used in prefixes.
    Log(MPI_Comm comm, std::string tag);

    std::string prefix() const; ///< "[md 3/8]" (ranks counted from 0)

    /// Sets what every Log of this process prints. Call once, before the run.
    static void                  set_console(const ConsoleOptions &options);
    static const ConsoleOptions &console();

    template <typename... Args>
    void info(fmt::format_string<Args...> f, Args &&...args) const
    {
      if (rank_ == 0 && !console().quiet)
        write_stdout(fmt::format(f, std::forward<Args>(args)...));
    }

    /// Something the user should act on (printed with --quiet too).
    template <typename... Args>
    void warning(fmt::format_string<Args...> f, Args &&...args) const
    {
      if (rank_ == 0)
        write_stdout(fmt::format(f, std::forward<Args>(args)...));
    }

    /// The end-of-run summary (printed with --quiet too).
    template <typename... Args>
    void summary(fmt::format_string<Args...> f, Args &&...args) const
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
