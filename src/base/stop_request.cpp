// Signal handlers that only set a flag.
#include "base/stop_request.h"

#include <csignal>

namespace seam
{
  namespace
  {
    volatile std::sig_atomic_t requested = 0;

    extern "C" void on_stop_signal(int signal) { requested = signal; }
  } // namespace

  void install_stop_handlers()
  {
    struct sigaction action = {};
    action.sa_handler       = on_stop_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGUSR1, &action, nullptr);
  }

  void release_stop_handlers()
  {
    std::signal(SIGTERM, SIG_DFL);
    std::signal(SIGUSR1, SIG_DFL);
    if (requested != 0)
      std::raise(requested);
  }

  int stop_signal() { return requested; }

  const char *signal_name(int signal)
  {
    switch (signal)
      {
        case SIGTERM:
          return "SIGTERM";
        case SIGUSR1:
          return "SIGUSR1";
        default:
          return "a signal";
      }
  }
} // namespace seam
