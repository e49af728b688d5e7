// The matched error protocol: after a phase that may fail on some ranks only, every rank of a
// communicator learns whether any rank failed and rethrows the same error, so no rank is left waiting in a
// collective that the failing rank will never enter.
#pragma once

#include <mpi.h>

#include <exception>
#include <stdexcept>
#include <string>
#include <utility>

namespace seam::parallel
{
  /// A failure that every rank of the job knows about (after agree(), or after a world reduction such as a
  /// thermo row's energies): the driver prints it once, from world rank 0, and every rank exits with
  /// code 1 without MPI_Abort.
  class JobError : public std::runtime_error
  {
  public:
    using std::runtime_error::runtime_error;
  };

  /// Collective on `comm`: agrees whether `failure` (null where this rank succeeded) is set on any rank.
  /// If none failed, returns. Otherwise the lowest failing rank broadcasts its message and every rank throws
  /// the same exception: an InputError stays an InputError (printed as one); anything else becomes a
  /// JobError whose text is prefixed with `prefix` of the failing rank (e.g. "[fe 0/1]").
  /// Message order: MPI_Iallreduce(MIN failing rank) -> MPI_Bcast(kind, length) -> MPI_Bcast(text).
  /// Watchdog: a failing rank whose agreement does not complete within agreement_timeout() (another rank
  /// waits in a collective the failing one never enters) prints its error itself and calls MPI_Abort,
  /// so no failure leaves the job hanging.
  void agree(MPI_Comm comm, const std::exception_ptr &failure, const std::string &prefix);

  /// Seconds a failing rank waits for the others in agree() before it aborts the job: the environment
  /// variable SEAM_AGREE_TIMEOUT, default 10.
  double agreement_timeout();

  /// Runs `phase` on every rank of `comm` and then agree()s on its outcome (see above). `phase` must not
  /// itself enter a collective on ranks outside `comm` that a failing rank could skip. Collective on comm.
  template <class Phase>
  void agreed(MPI_Comm comm, const std::string &prefix, Phase &&phase)
  {
    std::exception_ptr failure;
    try
      {
        std::forward<Phase>(phase)();
      }
    catch (...)
      {
        failure = std::current_exception();
      }
    agree(comm, failure, prefix);
  }
} // namespace seam::parallel
