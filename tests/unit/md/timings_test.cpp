// MdSystem's step timing breakdown (MdTimings): the sections cover the step time, each section is
// entered as often as the step's algorithm says (neighbor check, rebuild or forward, forces, energy
// sums), setup() is not counted, and timer_sync changes nothing but the timing.
#include "md/md_system.h"
#include "md_testing.h"
#include "support/potential_files.h"

#include <gtest/gtest.h>
#include <mpi.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <string>

using namespace seam;
using namespace seam::md;

namespace
{
  /// A hot LJ crystal (T* 1.44, as in.lj) of 5^3 cells: a few rebuilds within 40 steps.
  MdSystemParams hot_lj() { return seam::md::testing::lj_fcc(5); }

  constexpr int n_steps      = 40;
  constexpr int energy_every = 10;

  /// Runs n_steps steps with energies every energy_every steps; returns the wall time of the loop [s].
  double run(MdSystem &sys)
  {
    const auto t0 = std::chrono::steady_clock::now();
    for (int s = 1; s <= n_steps; ++s)
      sys.step(s % energy_every == 0);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
} // namespace

TEST(MdTimings, SetupIsNotCountedAndResetClears)
{
  MdSystem sys(hot_lj(), MPI_COMM_WORLD);
  sys.create_velocities(1.44, 87287);
  sys.setup();
  EXPECT_EQ(sys.timings().steps, 0);
  EXPECT_EQ(sys.timings().step_seconds, 0.0);
  EXPECT_EQ(sys.timings().sections_seconds(), 0.0);
  sys.step();
  EXPECT_EQ(sys.timings().steps, 1);
  EXPECT_GT(sys.timings().step_seconds, 0.0);
  sys.reset_timings();
  EXPECT_EQ(sys.timings().steps, 0);
  EXPECT_EQ(sys.timings().sections_seconds(), 0.0);
}

TEST(MdTimings, SectionsCoverTheStepAndFollowTheAlgorithm)
{
  MdSystem sys(hot_lj(), MPI_COMM_WORLD);
  sys.create_velocities(1.44, 87287);
  sys.setup();
  const long   builds_at_setup = sys.n_rebuilds();
  const double wall            = run(sys);
  const auto  &t               = sys.timings();
  const long   rebuilds        = sys.n_rebuilds() - builds_at_setup;
  ASSERT_GT(rebuilds, 0) << "the hot crystal should need a rebuild within " << n_steps << " steps";

  // Call counts per step (default schedule: checked every step).
  EXPECT_EQ(t.steps, n_steps);
  EXPECT_EQ(t.calls[MdTimings::check], n_steps);
  EXPECT_EQ(t.calls[MdTimings::pair], n_steps);
  EXPECT_EQ(t.calls[MdTimings::reverse], n_steps);
  EXPECT_EQ(t.calls[MdTimings::neigh], rebuilds);
  EXPECT_EQ(t.calls[MdTimings::exchange], rebuilds);
  EXPECT_EQ(t.calls[MdTimings::borders], rebuilds);
  EXPECT_EQ(t.calls[MdTimings::forward], n_steps - rebuilds);
  EXPECT_EQ(t.calls[MdTimings::reduce], n_steps / energy_every);
  EXPECT_EQ(t.calls[MdTimings::modify], 3 * n_steps); // first half, after forces, closing half kick
  EXPECT_EQ(t.calls[MdTimings::sync], 0);
  EXPECT_EQ(t.calls[MdTimings::pcomm], 0); // lj_cut communicates nothing inside compute()

  // The sections tile the step halves (consecutive clock reads): what is left is round-off of the
  // sum of ~10 n_steps terms of at most `wall` each.
  EXPECT_GT(t.step_seconds, 0.0);
  EXPECT_LE(t.step_seconds, wall);
  EXPECT_LE(std::abs(t.step_seconds - t.sections_seconds()), 1e-12 * (1 + 10 * n_steps) * wall);
  for (int k = 0; k < MdTimings::n_sections; ++k)
    EXPECT_GE(t.seconds[k], 0.0) << MdTimings::name(k);
  EXPECT_GT(t.seconds[MdTimings::pair], 0.0);

  // Statistics over the ranks: min <= avg <= max, this rank inside, rows in section order.
  const auto stats = sys.timing_stats();
  ASSERT_EQ(stats.size(), std::size_t(MdTimings::n_sections + 2));
  for (int k = 0; k < MdTimings::n_sections; ++k)
    {
      EXPECT_EQ(stats[k].name, MdTimings::name(k));
      EXPECT_LE(stats[k].min, t.seconds[k]);
      EXPECT_GE(stats[k].max, t.seconds[k]);
      EXPECT_LE(stats[k].min, stats[k].avg * (1 + 1e-12));
      EXPECT_LE(stats[k].avg, stats[k].max * (1 + 1e-12));
    }
  EXPECT_EQ(stats[MdTimings::n_sections].name, "other");
  EXPECT_EQ(stats.back().name, "total");
  EXPECT_EQ(stats.back().calls, n_steps);
  const std::string table = sys.timing_table();
  for (const char *row : {"pair", "neigh", "reverse", "total", "ghosts"})
    EXPECT_NE(table.find(row), std::string::npos) << row;
}

TEST(MdTimings, SplitStepIsTimedLikeStep)
{
  MdSystem sys(hot_lj(), MPI_COMM_WORLD);
  sys.create_velocities(1.44, 87287);
  sys.setup();
  for (int s = 0; s < 5; ++s)
    {
      sys.step_first_half();
      sys.step_second_half(false);
    }
  EXPECT_EQ(sys.timings().steps, 5);
  EXPECT_EQ(sys.timings().calls[MdTimings::pair], 5);
  EXPECT_EQ(sys.timings().calls[MdTimings::reduce], 0);
  EXPECT_EQ(sys.timings().calls[MdTimings::modify], 15);
}

TEST(MdTimings, TimerSyncOnlyAddsBarriers)
{
  // Barriers do not touch the arithmetic: the trajectories agree bit for bit.
  MdSystemParams p = hot_lj();
  MdSystem       plain(p, MPI_COMM_WORLD);
  p.timer_sync = true;
  MdSystem synced(p, MPI_COMM_WORLD);
  for (MdSystem *sys : {&plain, &synced})
    {
      sys->create_velocities(1.44, 87287);
      sys->setup();
      run(*sys);
    }
  EXPECT_EQ(plain.potential_energy(), synced.potential_energy());
  EXPECT_EQ(plain.kinetic_energy(), synced.kinetic_energy());
  EXPECT_EQ(plain.n_rebuilds(), synced.n_rebuilds());
  const auto &t = synced.timings();
  // One barrier before each check, forward or borders, reverse and energy sum.
  EXPECT_EQ(t.calls[MdTimings::sync], t.calls[MdTimings::check] + t.calls[MdTimings::forward] +
                                        t.calls[MdTimings::borders] + t.calls[MdTimings::reverse] +
                                        t.calls[MdTimings::reduce]);
  EXPECT_LE(std::abs(t.step_seconds - t.sections_seconds()), 1e-12 * (1 + 12 * n_steps) * t.step_seconds);
}

TEST(MdTimings, EamHaloCallsAreCommNotPair)
{
  // EAM communicates densities and embedding derivatives inside compute(): timed as pcomm, once per
  // force evaluation, and taken out of pair.
  const std::string file = "/usr/share/lammps/potentials/Cu_u3.eam";
  ASSERT_TRUE(seam::testing::potential_file_readable(file));
  MdSystemParams p   = seam::md::testing::lj_fcc(4);
  p.units            = UnitSystem::metal;
  p.lattice_constant = 3.615;
  p.region_hi        = {4 * 3.615, 4 * 3.615, 4 * 3.615};
  p.mass             = 63.55;
  p.potential_style  = "eam";
  p.potential.values.clear();
  p.potential.file = file;
  p.skin           = 1.0;
  MdSystem sys(p, MPI_COMM_WORLD);
  sys.create_velocities(300.0, 4928459);
  sys.setup();
  for (int s = 0; s < 5; ++s)
    sys.step(false);
  const auto &t = sys.timings();
  EXPECT_EQ(t.calls[MdTimings::pcomm], 5);
  EXPECT_GT(t.seconds[MdTimings::pcomm], 0.0);
  EXPECT_GT(t.seconds[MdTimings::pair], 0.0);
  EXPECT_LE(std::abs(t.step_seconds - t.sections_seconds()), 1e-12 * 100 * t.step_seconds);
}
