// Velocity Verlet and the engine loop: time reversibility, energy conservation, thermo definitions,
// and 1D/2D runs staying on their line/plane.
#include "md/md_system.h"
#include "unit/md/md_testing.h"
#include "md/thermo.h"
#include "support/tolerance.h"

#include <gtest/gtest.h>
#include <mpi.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <utility>

using namespace seam;
using namespace seam::md;

namespace
{
  using seam::md::testing::lj_fcc;

  std::map<GlobalId, Vec3> displacements(const MdSystem &sys)
  {
    std::map<GlobalId, Vec3> u;
    const auto &a = sys.atoms();
    for (LocalIndex i = 0; i < a.n_owned(); ++i)
      u[a.id()[i]] = {a.x()[i][0] - a.x0()[i][0], a.x()[i][1] - a.x0()[i][1], a.x()[i][2] - a.x0()[i][2]};
    return u;
  }
} // namespace

TEST(Integrator, VelocityVerletRunsBackToTheStart)
{
  // Velocity Verlet is exactly time-reversible: N steps, negate v, N steps returns to the start. In
  // floating point the round-off (1e-16) grows with the Lyapunov exponent of the LJ solid at T* = 1
  // over 0.5 tau: far below 1e-10 of the lattice constant.
  MdSystem sys(lj_fcc(3), MPI_COMM_SELF);
  sys.create_velocities(1.0, 42);
  sys.setup();
  const auto u0 = displacements(sys);
  std::map<GlobalId, Vec3> v0;
  for (LocalIndex i = 0; i < sys.n_owned(); ++i)
    v0[sys.atoms().id()[i]] = sys.atoms().v()[i];
  const int  n  = 100;
  for (int s = 0; s < n; ++s)
    sys.step(false);
  EXPECT_GT(sys.n_rebuilds(), 1); // atoms moved past skin/2: exchange and wrap were exercised
  double moved = 0;
  for (const auto &[id, u] : displacements(sys))
    moved = std::max(moved, std::abs(u[0] - u0.at(id)[0]));
  EXPECT_GT(moved, 0.1);
  for (auto &v : sys.atoms().v())
    for (auto &c : v)
      c = -c;
  for (int s = 0; s < n; ++s)
    sys.step(false);
  const double a = sys.lattice().constant();
  for (const auto &[id, u] : displacements(sys))
    for (int d = 0; d < 3; ++d)
      expect_abs_near(u[d], u0.at(id)[d], 1e-10 * a);
  // The final velocities are the negated initial ones (ids identify atoms across migrations).
  for (LocalIndex i = 0; i < sys.n_owned(); ++i)
    for (int d = 0; d < 3; ++d)
      expect_abs_near(sys.atoms().v()[i][d], -v0.at(sys.atoms().id()[i])[d], 1e-10);
}

TEST(Integrator, EnergyIsConservedWithSmoothForces)
{
  // Morse with a cutoff where the pair energy is ~1e-9 of d0: the NVE energy error is the O(dt^2)
  // shadow-Hamiltonian fluctuation; halving dt quarters it.
  auto run = [](double dt, int steps) {
    MdSystemParams p = lj_fcc(3);
    p.potential_style  = "morse";
    p.potential.values = {{"d0", 1.0}, {"alpha", 4.0}, {"r0", p.lattice_constant / std::sqrt(2.0)},
                          {"cutoff", p.lattice_constant / std::sqrt(2.0) + 3.0}};
    p.time_step = dt;
    MdSystem sys(p, MPI_COMM_SELF);
    sys.create_velocities(0.1, 3);
    sys.setup();
    const double e0 = sys.kinetic_energy() + sys.potential_energy();
    double worst = 0;
    for (int s = 0; s < steps; ++s)
      {
        sys.step(true);
        worst = std::max(worst, std::abs(sys.kinetic_energy() + sys.potential_energy() - e0));
      }
    return worst / sys.n_atoms();
  };
  const double e1 = run(0.004, 100), e2 = run(0.002, 200);
  std::printf("energy error per atom: dt 0.004: %g, dt 0.002: %g\n", e1, e2);
  EXPECT_LT(e1, 1e-4);
  EXPECT_NEAR(e1 / e2, 4.0, 1.0);
}

TEST(Thermo, TemperatureUsesDimNMinusDimDegreesOfFreedom)
{
  MdSystemParams p = lj_fcc(2);
  MdSystem sys(p, MPI_COMM_SELF);
  sys.create_velocities(1.5, 9);
  // create_velocities hits the target exactly and leaves zero net momentum.
  expect_rel_near(sys.temperature(), 1.5, 1e-13);
  Vec3 mom{};
  for (LocalIndex i = 0; i < sys.n_owned(); ++i)
    for (int d = 0; d < 3; ++d)
      mom[d] += sys.atoms().v()[i][d];
  for (int d = 0; d < 3; ++d)
    expect_abs_near(mom[d], 0.0, 1e-12);
  // KE = T k_B (3N - 3) / 2 in LJ units.
  expect_rel_near(sys.kinetic_energy(), 1.5 * (3.0 * sys.n_atoms() - 3.0) / 2.0, 1e-13);
  // Metal units: LAMMPS' boltz and mvv2e.
  expect_rel_near(thermo::temperature(1.0, 101, 3, 8.617343e-5), 2.0 / (300 * 8.617343e-5), 1e-15);
}

TEST(MdSystem, TwoDimensionalHexStaysInPlane)
{
  MdSystemParams p;
  p.dimension        = 2;
  p.lattice_style    = LatticeStyle::hex;
  p.lattice_constant = std::pow(2.0, 1.0 / 6.0);
  p.region_lo        = {-5 * p.lattice_constant, -3 * std::sqrt(3.0) * p.lattice_constant, 0};
  p.region_hi        = {5 * p.lattice_constant, 3 * std::sqrt(3.0) * p.lattice_constant, 0};
  p.periodic         = {true, false, false};
  p.potential_style  = "lj_cut";
  p.potential.values = {{"epsilon", 1.0}, {"sigma", 1.0}, {"cutoff", 2.5}};
  MdSystem sys(p, MPI_COMM_SELF);
  EXPECT_EQ(sys.n_atoms(), 10 * 6 * 2);
  sys.create_velocities(0.5, 5);
  expect_rel_near(sys.temperature(), 0.5, 1e-13);
  sys.setup();
  for (int s = 0; s < 50; ++s)
    sys.step();
  for (LocalIndex i = 0; i < sys.n_owned(); ++i)
    {
      EXPECT_EQ(sys.atoms().x()[i][2], 0.0);
      EXPECT_EQ(sys.atoms().v()[i][2], 0.0);
    }
}

TEST(MdSystem, OneDimensionalChainStaysOnItsLine)
{
  MdSystemParams p;
  p.dimension        = 1;
  p.lattice_style    = LatticeStyle::chain;
  p.lattice_constant = 1.0;
  p.region_lo        = {0, 0, 0};
  p.region_hi        = {40, 0, 0};
  p.periodic         = {true, false, false};
  p.potential_style  = "morse";
  p.potential.values = {{"d0", 1.0}, {"alpha", 3.0}, {"r0", 1.0}, {"cutoff", 2.5}};
  MdSystem sys(p, MPI_COMM_SELF);
  EXPECT_EQ(sys.n_atoms(), 40);
  sys.create_velocities(0.2, 5);
  sys.setup();
  for (int s = 0; s < 50; ++s)
    sys.step();
  for (LocalIndex i = 0; i < sys.n_owned(); ++i)
    for (int d = 1; d < 3; ++d)
      {
        EXPECT_EQ(sys.atoms().x()[i][d], 0.0);
        EXPECT_EQ(sys.atoms().v()[i][d], 0.0);
      }
}

TEST(MdSystem, RejectsPeriodicLengthOffTheLattice)
{
  MdSystemParams p = lj_fcc(3);
  p.region_hi[1] *= 1.01;
  try
    {
      MdSystem sys(p, MPI_COMM_SELF);
      FAIL() << "expected std::invalid_argument";
    }
  catch (const std::invalid_argument &e)
    {
      EXPECT_NE(std::string(e.what()).find("whole number"), std::string::npos);
    }
}

TEST(Integrator, NeighborCheckScheduleAndDangerousBuilds)
{
  // Hot LJ (T* 1.44, the in.lj state): atoms move more than skin/2 = 0.15 within ~7 steps.
  auto run = [](int every, int delay) {
    MdSystemParams p = lj_fcc(4);
    p.neighbor_every = every;
    p.neighbor_delay = delay;
    MdSystem sys(p, MPI_COMM_SELF);
    sys.create_velocities(1.44, 87287);
    sys.setup();
    for (int s = 0; s < 100; ++s)
      sys.step(false);
    return std::make_pair(sys.n_rebuilds() - 1, sys.n_dangerous_builds()); // minus setup()'s build
  };
  // Default: checked every step, never stale, so never dangerous; it rebuilds often at this T.
  const auto [safe_builds, safe_danger] = run(1, 0);
  EXPECT_EQ(safe_danger, 0);
  EXPECT_GE(safe_builds, 8);
  // every 20 (LAMMPS in.lj): at most one build per 20 steps, and at this T each is found only after
  // 19 unchecked steps, so every one is dangerous.
  const auto [every_builds, every_danger] = run(20, 0);
  EXPECT_LE(every_builds, 100 / 20);
  EXPECT_GE(every_builds, 1);
  EXPECT_EQ(every_danger, every_builds);
  // delay 5: at most one build per 5 steps.
  const auto [delay_builds, delay_danger] = run(1, 5);
  EXPECT_LE(delay_builds, 100 / 5);
  EXPECT_LE(delay_danger, delay_builds);
  // Invalid schedules are rejected with the same verdict on every rank.
  MdSystemParams bad = lj_fcc(4);
  bad.neighbor_every = 0;
  EXPECT_THROW(MdSystem(bad, MPI_COMM_SELF), std::invalid_argument);
  bad.neighbor_every = 1;
  bad.neighbor_delay = -1;
  EXPECT_THROW(MdSystem(bad, MPI_COMM_SELF), std::invalid_argument);
}
