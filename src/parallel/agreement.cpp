// The matched error protocol (agreement.h).
#include "parallel/agreement.h"

#include "base/error.h"

#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

namespace seam::parallel
{
  namespace
  {
    /// The text of a failure as agree() reports it.
    std::string describe(const std::exception_ptr &failure, const std::string &prefix, bool &input_error)
    {
      input_error = false;
      try
        {
          std::rethrow_exception(failure);
        }
      catch (const InputError &e)
        {
          input_error = true;
          return e.what();
        }
      catch (const std::exception &e)
        {
          return prefix.empty() ? std::string(e.what()) : prefix + " error: " + e.what();
        }
      catch (...)
        {
          return prefix + " error: unknown exception";
        }
    }

    /// The watchdog of a failing rank: the other ranks normally reach the agreement at once; if they do
    /// not within agreement_timeout() (some of them wait in a collective of their own that this rank
    /// will never enter), this rank prints its error and ends the job with MPI_Abort rather than hang.
    void wait_or_abort(MPI_Request &request, const std::exception_ptr &failure, const std::string &prefix)
    {
      const auto start = std::chrono::steady_clock::now();
      for (;;)
        {
          int done = 0;
          MPI_Test(&request, &done, MPI_STATUS_IGNORE);
          if (done)
            return;
          const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
          if (waited > agreement_timeout())
            {
              bool input_error = false;
              const std::string text = describe(failure, prefix, input_error);
              std::fprintf(stderr,
                           "seam: %s\n%s\n(the other ranks did not reach the error agreement within %.0f s: "
                           "stopping the job)\n",
                           input_error ? "input error" : "run-time error", text.c_str(), agreement_timeout());
              std::fflush(stderr);
              MPI_Abort(MPI_COMM_WORLD, 1);
            }
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }
  } // namespace

  double agreement_timeout()
  {
    static const double seconds = [] {
      const char *s = std::getenv("SEAM_AGREE_TIMEOUT");
      const double t = s ? std::atof(s) : 0.0;
      return t > 0 ? t : 10.0;
    }();
    return seconds;
  }

  void agree(MPI_Comm comm, const std::exception_ptr &failure, const std::string &prefix)
  {
    int rank = 0, size = 1;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    const int mine  = failure ? rank : INT_MAX;
    int       first = INT_MAX;
    MPI_Request request;
    MPI_Iallreduce(&mine, &first, 1, MPI_INT, MPI_MIN, comm, &request);
    if (!failure)
      MPI_Wait(&request, MPI_STATUS_IGNORE);
    else
      wait_or_abort(request, failure, prefix);
    if (first == INT_MAX)
      return;
    // kind: 0 input error, 1 any other failure
    int         header[2] = {1, 0};
    std::string text;
    if (rank == first)
      {
        bool input_error = false;
        text             = describe(failure, prefix, input_error);
        header[0]        = input_error ? 0 : 1;
        header[1]        = static_cast<int>(text.size());
      }
    MPI_Bcast(header, 2, MPI_INT, first, comm);
    std::vector<char> buf(static_cast<std::size_t>(header[1]) + 1, '\0');
    if (rank == first)
      std::copy(text.begin(), text.end(), buf.begin());
    MPI_Bcast(buf.data(), header[1], MPI_CHAR, first, comm);
    const std::string message(buf.data(), static_cast<std::size_t>(header[1]));
    if (header[0] == 0)
      throw InputError(message);
    throw JobError(message);
  }
} // namespace seam::parallel
