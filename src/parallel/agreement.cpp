// The matched error protocol (agreement.h).
#include "parallel/agreement.h"

#include "base/error.h"

#include <climits>
#include <vector>

namespace seam::parallel
{
  void agree(MPI_Comm comm, const std::exception_ptr &failure, const std::string &prefix)
  {
    int rank = 0, size = 1;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    const int mine  = failure ? rank : INT_MAX;
    int       first = INT_MAX;
    MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, comm);
    if (first == INT_MAX)
      return;
    // kind: 0 input error, 1 any other failure
    int         header[2] = {1, 0};
    std::string text;
    if (rank == first)
      {
        try
          {
            std::rethrow_exception(failure);
          }
        catch (const InputError &e)
          {
            header[0] = 0;
            text      = e.what();
          }
        catch (const std::exception &e)
          {
            text = prefix.empty() ? std::string(e.what()) : prefix + " error: " + e.what();
          }
        catch (...)
          {
            text = prefix + " error: unknown exception";
          }
        header[1] = static_cast<int>(text.size());
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
