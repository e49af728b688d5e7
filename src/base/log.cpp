// Rank-aware logging.
#include "base/log.h"

#include <cstdio>

namespace seam
{
  namespace
  {
    ConsoleOptions &console_options()
    {
      static ConsoleOptions options;
      return options;
    }
  } // namespace

  void Log::set_console(const ConsoleOptions &options) { console_options() = options; }

  const ConsoleOptions &Log::console() { return console_options(); }

  Log::Log(MPI_Comm comm, std::string tag)
    : tag_(std::move(tag))
  {
    MPI_Comm_rank(comm, &rank_);
    MPI_Comm_size(comm, &size_);
  }

  std::string Log::prefix() const { return fmt::format("[{} {}/{}]", tag_, rank_, size_); }

  void Log::write_stdout(const std::string &line)
  {
    std::fputs(line.c_str(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
  }

  void Log::write_stderr(const std::string &line)
  {
    std::fputs(line.c_str(), stderr);
    std::fputc('\n', stderr);
    std::fflush(stderr);
  }
} // namespace seam
