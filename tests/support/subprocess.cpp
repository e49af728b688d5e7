// Subprocess helper for tests that drive the real executable.
#include "support/subprocess.h"

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <sys/wait.h>

namespace seam::testing
{
  std::string quote(const std::string &s)
  {
    std::string q = "'";
    for (char c : s)
      q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
  }

  ProcessResult run_seam(int np, const std::string &args, const std::string &workdir, int timeout_s)
  {
    std::filesystem::create_directories(workdir);
    const std::string cmd = "cd " + quote(workdir) +
                            " && env OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 timeout " +
                            std::to_string(timeout_s) + " " + SEAM_MPIEXEC + " " + SEAM_MPIEXEC_NUMPROC_FLAG + " " +
                            std::to_string(np) + " " + SEAM_MPIEXEC_FLAGS + " " + SEAM_EXE + " " + args + " 2>&1";
    const auto    start = std::chrono::steady_clock::now();
    ProcessResult r;
    FILE         *pipe = popen(cmd.c_str(), "r");
    if (!pipe)
      return r;
    std::array<char, 4096> buf{};
    while (std::fgets(buf.data(), buf.size(), pipe))
      r.output += buf.data();
    const int status = pclose(pipe);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
  }
} // namespace seam::testing
