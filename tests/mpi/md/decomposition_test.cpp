// The MD engine gives the same trajectory at any rank count: a run on all ranks is compared, atom by
// atom (by id), with the same run done serially on every rank.
#include "md/md_system.h"
#include "support/tolerance.h"
#include "support/potential_files.h"

#include <gtest/gtest.h>
#include <mpi.h>

#include <cmath>
#include <fstream>
#include <map>
#include <optional>

using namespace seam;
using namespace seam::md;

namespace
{
  struct State
  {
    double                   pe = 0, ke = 0, removed = 0;
    std::int64_t             n_atoms = 0;
    std::map<GlobalId, Vec3> x, v;
  };

  /// Runs `steps` steps and gathers every atom's unwrapped position and velocity on every rank.
  State run(const MdSystemParams &p, MPI_Comm comm, int steps, double temperature,
            const std::optional<LangevinParams> &thermostat)
  {
    MdSystem sys(p, comm);
    sys.create_velocities(temperature, 2024);
    if (thermostat)
      sys.set_thermostat(*thermostat);
    sys.setup();
    for (int s = 0; s < steps; ++s)
      sys.step(s == steps - 1);
    State st;
    st.pe      = sys.potential_energy();
    st.ke      = sys.kinetic_energy();
    st.removed = sys.energy_removed();
    st.n_atoms = sys.n_atoms();
    std::vector<double> local;
    const auto &a = sys.atoms();
    for (LocalIndex i = 0; i < a.n_owned(); ++i)
      {
        const Vec3 r = a.reference_position(i, sys.domain().length());
        local.push_back(double(a.id()[i]));
        for (int d = 0; d < 3; ++d)
          local.push_back(r[d] + a.x()[i][d] - a.x0()[i][d]);
        for (int d = 0; d < 3; ++d)
          local.push_back(a.v()[i][d]);
      }
    int size = 1, n = static_cast<int>(local.size());
    MPI_Comm_size(comm, &size);
    std::vector<int> counts(size), displs(size, 0);
    MPI_Allgather(&n, 1, MPI_INT, counts.data(), 1, MPI_INT, comm);
    for (int r = 1; r < size; ++r)
      displs[r] = displs[r - 1] + counts[r - 1];
    std::vector<double> all(static_cast<std::size_t>(displs[size - 1] + counts[size - 1]));
    MPI_Allgatherv(local.data(), n, MPI_DOUBLE, all.data(), counts.data(), displs.data(), MPI_DOUBLE, comm);
    for (std::size_t o = 0; o < all.size(); o += 7)
      {
        const GlobalId id = GlobalId(all[o]);
        EXPECT_EQ(st.x.count(id), 0u) << "atom " << id << " owned twice";
        st.x[id] = {all[o + 1], all[o + 2], all[o + 3]};
        st.v[id] = {all[o + 4], all[o + 5], all[o + 6]};
      }
    return st;
  }

  /// Tolerance: the decompositions sum the same pair forces in different orders (round-off 1e-16
  /// relative per step), amplified by the chaotic dynamics over 50 steps (0.25 tau) by far less than
  /// 1e4: 1e-12 relative.
  void expect_same(const MdSystemParams &p, double temperature = 1.2,
                   const std::optional<LangevinParams> &thermostat = std::nullopt)
  {
    const int   steps    = 50;
    const State parallel = run(p, MPI_COMM_WORLD, steps, temperature, thermostat);
    MdSystemParams one = p;
    one.processor_grid = {0, 0, 0};
    const State serial = run(one, MPI_COMM_SELF, steps, temperature, thermostat);
    ASSERT_EQ(parallel.n_atoms, serial.n_atoms);
    ASSERT_EQ(std::int64_t(parallel.x.size()), serial.n_atoms);
    expect_rel_near(parallel.pe, serial.pe, 1e-12);
    expect_rel_near(parallel.ke, serial.ke, 1e-12);
    if (thermostat)
      {
        EXPECT_GT(std::abs(serial.removed), 0.0);
        expect_rel_near(parallel.removed, serial.removed, 1e-12);
      }
    double scale = 0;
    for (const auto &[id, v] : serial.v)
      scale = std::max({scale, std::abs(v[0]), std::abs(v[1]), std::abs(v[2])});
    for (const auto &[id, x] : serial.x)
      for (int d = 0; d < 3; ++d)
        {
          expect_abs_near(parallel.x.at(id)[d], x[d], 1e-12 * p.lattice_constant);
          expect_abs_near(parallel.v.at(id)[d], serial.v.at(id)[d], 1e-12 * scale);
        }
  }

  MdSystemParams lj_fcc(int cells, std::array<bool, 3> periodic)
  {
    MdSystemParams p;
    p.lattice_style    = LatticeStyle::fcc;
    p.lattice_constant = std::cbrt(4.0 / 0.8442);
    p.region_lo        = {-0.3, -0.3, -0.3};
    p.region_hi        = {cells * p.lattice_constant - 0.3, cells * p.lattice_constant - 0.3,
                          cells * p.lattice_constant - 0.3};
    p.periodic         = periodic;
    p.potential_style  = "lj_cut";
    p.potential.values = {{"epsilon", 1.0}, {"sigma", 1.0}, {"cutoff", 2.5}};
    p.time_step        = 0.005;
    p.skin             = 0.3;
    return p;
  }
} // namespace

TEST(Decomposition, PeriodicLjSameAtAnyRankCount) { expect_same(lj_fcc(5, {true, true, true})); }

TEST(Decomposition, FreeSurfacesSameAtAnyRankCount)
{
  // Free along z: the crystal's top and bottom surfaces relax and atoms leave the nominal box.
  expect_same(lj_fcc(4, {true, true, false}));
}

TEST(Decomposition, ThinSlabsSameAtAnyRankCount)
{
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  MdSystemParams p = lj_fcc(4, {true, true, true});
  p.processor_grid = {size, 1, 1}; // 4 ranks: slabs 1.68 sigma thick, below the 2.8 list radius
  expect_same(p);
}

TEST(Decomposition, Harmonic2dSameAtAnyRankCount)
{
  MdSystemParams p;
  p.dimension        = 2;
  p.lattice_style    = LatticeStyle::hex;
  p.lattice_constant = 1.1;
  p.region_lo        = {0, 0, 0};
  p.region_hi        = {12 * 1.1, 6 * std::sqrt(3.0) * 1.1, 0};
  p.periodic         = {true, true, false};
  p.potential_style  = "harmonic";
  p.potential.values = {{"k", 5.0}, {"r0", 1.1}};
  p.time_step        = 0.005;
  expect_same(p, 0.05); // rms bond stretch ~ sqrt(T / k) = 0.1, far from the 1.65 cutoff
}

namespace
{
  MdSystemParams cu_u3_fcc(int cells)
  {
    MdSystemParams p;
    p.units            = UnitSystem::metal;
    p.lattice_style    = LatticeStyle::fcc;
    p.lattice_constant = 3.615;
    p.region_lo        = {0, 0, 0};
    p.region_hi        = {cells * 3.615, cells * 3.615, cells * 3.615};
    p.periodic         = {true, true, true};
    p.mass             = 63.55;
    p.potential_style  = "eam";
    p.potential.file   = "/usr/share/lammps/potentials/Cu_u3.eam";
    p.time_step        = 0.002;
    p.skin             = 1.0;
    return p;
  }
} // namespace

TEST(Decomposition, EamLatticeEnergyMatchesLammpsAtAnyRankCount)
{
  ASSERT_TRUE(seam::testing::potential_file_readable("/usr/share/lammps/potentials/Cu_u3.eam"));
  // Reference: Debian LAMMPS 29 Sep 2021, fcc Cu 3.615, pair_style eam Cu_u3.eam, run 0 (see
  // tests/unit/md/eam_test.cpp): -3.5400000022794567 eV/atom. Ghost densities travel by reverse and
  // F' by forward communication; only the summation order changes with the rank count.
  MdSystem sys(cu_u3_fcc(5), MPI_COMM_WORLD);
  sys.setup();
  EXPECT_EQ(sys.n_atoms(), 500);
  expect_rel_near(sys.potential_energy() / sys.n_atoms(), -3.5400000022794567, 1e-12);
}

TEST(Decomposition, EamSameAtAnyRankCount)
{
  ASSERT_TRUE(seam::testing::potential_file_readable("/usr/share/lammps/potentials/Cu_u3.eam"));
  expect_same(cu_u3_fcc(5), 600.0);
}

TEST(Decomposition, LangevinSameAtAnyRankCount)
{
  // The random force is drawn per (seed, atom id, step, axis), so the thermostatted trajectory and the
  // thermostat's energy tally are those of the serial run, up to summation order. The thermostat acts
  // only in the lower half of the box along x (atoms cross the region's faces between ranks).
  MdSystemParams p = lj_fcc(5, {true, true, true});
  const double   L = 5 * p.lattice_constant;
  expect_same(p, 0.5, LangevinParams{1.5, 0.05, 99, LangevinParams::Box{{-1, -1, -1}, {0.5 * L - 0.3, L, L}}});
}
