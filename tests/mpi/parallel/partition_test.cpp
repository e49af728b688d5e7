// The MD/FE split of the world: sizes, roles, the intercommunicator and the all-ranks agreement check.
#include "parallel/partition.h"

#include <gtest/gtest.h>

using seam::parallel::Partition;

TEST(Partition, CoupledSplitPutsTheFirstRanksOnMd)
{
  int world = 0, rank = 0;
  MPI_Comm_size(MPI_COMM_WORLD, &world);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (world < 2)
    GTEST_SKIP() << "needs 2 or more ranks";
  for (int n_md = 1; n_md < world; ++n_md)
    {
      Partition p(MPI_COMM_WORLD, true, true, n_md);
      EXPECT_TRUE(p.is_coupled());
      EXPECT_EQ(p.n_md_ranks(), n_md);
      EXPECT_EQ(p.n_fe_ranks(), world - n_md);
      EXPECT_EQ(p.is_md(), rank < n_md);
      EXPECT_EQ(p.local_size(), p.is_md() ? n_md : world - n_md);
      EXPECT_EQ(p.local_rank(), p.is_md() ? rank : rank - n_md);
      ASSERT_NE(p.inter(), MPI_COMM_NULL);
      int remote = 0;
      MPI_Comm_remote_size(p.inter(), &remote);
      EXPECT_EQ(remote, p.is_md() ? world - n_md : n_md);
      // A message across the intercommunicator: each side's leader sends its partition size.
      int mine = p.local_size(), theirs = -1;
      if (p.local_rank() == 0)
        MPI_Sendrecv(&mine, 1, MPI_INT, 0, 11, &theirs, 1, MPI_INT, 0, 11, p.inter(), MPI_STATUS_IGNORE);
      MPI_Bcast(&theirs, 1, MPI_INT, 0, p.local());
      EXPECT_EQ(theirs, remote);
      EXPECT_EQ(p.prefix(), (p.is_md() ? "[md " : "[fe ") + std::to_string(p.local_rank()) + "/" +
                              std::to_string(p.local_size()) + "]");
    }
}

TEST(Partition, SinglePartRunsUseEveryRank)
{
  int world = 0;
  MPI_Comm_size(MPI_COMM_WORLD, &world);
  Partition md(MPI_COMM_WORLD, true, false, 1);
  EXPECT_TRUE(md.is_md());
  EXPECT_FALSE(md.is_coupled());
  EXPECT_EQ(md.local_size(), world);
  EXPECT_EQ(md.inter(), MPI_COMM_NULL);
  Partition fe(MPI_COMM_WORLD, false, true, 1);
  EXPECT_TRUE(fe.is_fe());
  EXPECT_EQ(fe.n_fe_ranks(), world);
}

TEST(Partition, AllSameDetectsADifferentDeckOnOneRank)
{
  int rank = 0, world = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &world);
  Partition p(MPI_COMM_WORLD, true, false, 1);
  EXPECT_TRUE(p.all_same(seam::parallel::fnv1a_hash("units: metal")));
  if (world > 1)
    {
      EXPECT_FALSE(p.all_same(seam::parallel::fnv1a_hash(rank == world - 1 ? "units: lj" : "units: metal")));
    }
}
