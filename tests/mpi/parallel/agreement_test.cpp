// parallel::agree: a failure on any subset of ranks reaches every rank as the same exception with the
// message of the lowest failing rank; an InputError stays an InputError; no failure, no throw. The test
// itself would hang (and time out) if a rank were left in a collective.
#include "base/error.h"
#include "parallel/agreement.h"

#include <gtest/gtest.h>
#include <mpi.h>

#include <string>

namespace
{
  int rank() { int r = 0; MPI_Comm_rank(MPI_COMM_WORLD, &r); return r; }
  int size() { int s = 1; MPI_Comm_size(MPI_COMM_WORLD, &s); return s; }

  TEST(Agreement, NoFailureNoThrow)
  {
    EXPECT_NO_THROW(seam::parallel::agreed(MPI_COMM_WORLD, "[t]", [] {}));
  }

  TEST(Agreement, OneRankFailsEveryRankThrowsItsMessage)
  {
    const int failing = size() - 1; // the last rank only (e.g. the FE rank of a 1 + 1 split)
    try
      {
        seam::parallel::agreed(MPI_COMM_WORLD, "[r " + std::to_string(rank()) + "]", [&] {
          if (rank() == failing)
            throw std::runtime_error("disk on fire");
        });
        FAIL() << "rank " << rank() << " did not throw";
      }
    catch (const seam::parallel::JobError &e)
      {
        EXPECT_EQ(std::string(e.what()), "[r " + std::to_string(failing) + "] error: disk on fire");
      }
  }

  TEST(Agreement, LowestFailingRankWinsAndInputErrorsStayInputErrors)
  {
    try
      {
        seam::parallel::agreed(MPI_COMM_WORLD, "", [&] {
          if (rank() >= size() / 2)
            throw seam::InputError("deck.yaml:3: bad key on rank " + std::to_string(rank()));
        });
        FAIL() << "rank " << rank() << " did not throw";
      }
    catch (const seam::InputError &e)
      {
        EXPECT_EQ(std::string(e.what()), "deck.yaml:3: bad key on rank " + std::to_string(size() / 2));
      }
  }

  TEST(Agreement, CommunicatorStillUsableAfterwards)
  {
    for (int k = 0; k < 3; ++k)
      EXPECT_THROW(seam::parallel::agreed(MPI_COMM_WORLD, "", [&] {
        if (rank() == k % size())
          throw std::runtime_error("x");
      }),
                   seam::parallel::JobError);
    int one = 1, sum = 0;
    MPI_Allreduce(&one, &sum, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    EXPECT_EQ(sum, size());
  }
} // namespace
