// A stop requested by a signal (SIGTERM, SIGUSR1: what batch schedulers send before the kill): the
// handler only sets a flag; the time loops agree on it collectively and checkpoint before leaving.
#pragma once

namespace seam
{
  /// Installs the async-signal-safe handlers of SIGTERM and SIGUSR1 (each sets the flag). Call once.
  void install_stop_handlers();
  /// Gives SIGTERM and SIGUSR1 their default action back (a run that cannot checkpoint ends at once) and
  /// re-raises one that arrived while the handlers were installed.
  void release_stop_handlers();
  /// The signal that asked this process to stop, 0 if none. Local: the time loops combine it over their
  /// ranks (one allreduce) at a regular point so every rank stops at the same step.
  int stop_signal();
  /// "SIGTERM", "SIGUSR1" or "signal N".
  const char *signal_name(int signal);
} // namespace seam
