// Running the real seam executable under mpirun from a test, capturing its output and exit code.
#pragma once

#include <string>

namespace seam::testing
{
  struct ProcessResult
  {
    int         exit_code = -1; ///< the process's exit status, or -1 if it did not exit normally
    std::string output;         ///< stdout and stderr together
    double      seconds = 0;    ///< wall time
  };

  /// Runs `mpirun -np N <seam> <args>` in `workdir` (created if missing), root-safe and oversubscribed,
  /// killed after `timeout_s` seconds. Must not be called from a process that initialised MPI.
  ProcessResult run_seam(int np, const std::string &args, const std::string &workdir, int timeout_s = 120);

  /// Shell-quotes one argument.
  std::string quote(const std::string &s);
} // namespace seam::testing
