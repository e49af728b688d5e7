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

  /// Runs `<launcher> <numproc flag> N <flags> <seam> <args>` in `workdir` (created if missing) with the
  /// launcher and flags CMake configured (tests/CMakeLists.txt: MPIEXEC_*, SEAM_MPIEXEC_TEST_FLAGS),
  /// killed after `timeout_s` seconds. Must not be called from a process that initialised MPI.
  ProcessResult run_seam(int np, const std::string &args, const std::string &workdir, int timeout_s = 120);

  /// Shell-quotes one argument.
  std::string quote(const std::string &s);
} // namespace seam::testing
