// LammpsDumpWriter: the same file at every rank count (atoms gathered and sorted by id), the dump
// custom layout and box flags, every digit of the positions, and an I/O error on every rank.
#include "base/error.h"
#include "io/lammps_dump_writer.h"

#include <gtest/gtest.h>
#include <mpi.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace seam;

TEST(LammpsDump, SameFileAtEveryRankCountWithEveryDigit)
{
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const std::string dir = "lammps_dump_np" + std::to_string(size);
  if (rank == 0)
    std::filesystem::create_directories(dir);
  MPI_Barrier(MPI_COMM_WORLD);

  // Five atoms dealt to the ranks round-robin in reverse id order; atom 3 sits below the free x bound.
  std::vector<GlobalId>           id;
  std::vector<Vec3>               x, v;
  std::vector<std::array<int, 3>> image;
  std::vector<double>             extra;
  for (int k = 5; k >= 1; --k)
    if ((5 - k) % size == rank)
      {
        id.push_back(k);
        x.push_back({k == 3 ? -0.5 : 0.1 * k, 1.0 / 3.0, 2.0});
        v.push_back({k == 1 ? 1e-17 : 0.125 * k, -1.0 * k, 0});
        image.push_back({0, k == 5 ? -1 : 0, 0});
        extra.push_back(0.25 * k);
      }
  io::LammpsDumpWriter w(dir + "/atoms.lammpstrj", {0, 0, 0}, {10, 5, 4}, {false, true, true}, 3, {"weight"},
                         MPI_COMM_WORLD);
  for (std::int64_t step : {0, 10})
    {
      io::DumpFrame f;
      f.step    = step;
      f.n_atoms = id.size();
      f.id      = id.data();
      f.x       = x.data();
      f.v       = v.data();
      f.image   = image.data();
      f.extra   = extra.data();
      w.write(f);
    }
  if (rank != 0)
    return;
  std::ostringstream frame;
  frame << "ITEM: NUMBER OF ATOMS\n5\nITEM: BOX BOUNDS mm pp pp\n-0.5 10\n0 5\n0 4\n"
        << "ITEM: ATOMS id type x y z vx vy vz ix iy iz weight\n"
        << "1 1 0.1 0.3333333333333333 2 1e-17 -1 0 0 0 0 0.25\n"
        << "2 1 0.2 0.3333333333333333 2 0.25 -2 0 0 0 0 0.5\n"
        << "3 1 -0.5 0.3333333333333333 2 0.375 -3 0 0 0 0 0.75\n"
        << "4 1 0.4 0.3333333333333333 2 0.5 -4 0 0 0 0 1\n"
        << "5 1 0.5 0.3333333333333333 2 0.625 -5 0 0 -1 0 1.25\n";
  const std::string expected = "ITEM: TIMESTEP\n0\n" + frame.str() + "ITEM: TIMESTEP\n10\n" + frame.str();
  std::ifstream     in(dir + "/atoms.lammpstrj");
  std::stringstream got;
  got << in.rdbuf();
  EXPECT_EQ(got.str(), expected);
}

TEST(LammpsDump, UnwritablePathFailsOnEveryRank)
{
  EXPECT_THROW(io::LammpsDumpWriter("/nonexistent/dir/atoms.lammpstrj", {0, 0, 0}, {1, 1, 1}, {true, true, true}, 3,
                                    {}, MPI_COMM_WORLD),
               RuntimeError);
}
