// Langevin thermostat: relaxation to the target temperature within the canonical fluctuation band, the
// energy balance closed by the work tally, the region restriction and the random force's variance.
#include "md/md_system.h"
#include "unit/md/md_testing.h"
#include "support/tolerance.h"
#include "support/potential_files.h"

#include <gtest/gtest.h>
#include <mpi.h>

#include <cmath>
#include <cstdio>
#include <fstream>

using namespace seam;
using namespace seam::md;

namespace
{
  using seam::md::testing::lj_fcc;
} // namespace

TEST(Langevin, RelaxesToTargetTemperature)
{
  // 256 LJ atoms (liquid at rho* = 0.8442, T* = 1.44) heated from rest by the thermostat alone.
  MdSystem sys(lj_fcc(4), MPI_COMM_SELF);
  const double T = 1.44, damping = 0.25;
  sys.set_thermostat({T, damping, 4711, std::nullopt});
  sys.setup();
  const int per_damping = static_cast<int>(damping / 0.005);
  for (int s = 0; s < 10 * per_damping; ++s) // 10 damping times: exp(-20) of the start left in the KE
    sys.step(false);
  // Samples one damping time apart (the kinetic energy decorrelates in about damping/2: adjacent samples
  // correlate by ~exp(-2), which widens the standard error by ~15 %, inside the band's margin).
  const int M   = 100;
  double    sum = 0;
  for (int k = 0; k < M; ++k)
    {
      for (int s = 0; s < per_damping; ++s)
        sys.step(false);
      sum += sys.temperature();
    }
  const double N = double(sys.n_atoms()), d = 3;
  // All d N velocity components are thermostatted (<KE> = d N k T / 2) while temperature() divides by
  // d N - d degrees of freedom (LAMMPS' compute temp): <T_measured> = T N / (N - 1).
  const double expected = T * N / (N - 1);
  // Canonical relative fluctuation of one sample sqrt(2 / (d N)); the mean of M independent samples has
  // sqrt(M) less; a band of 5 standard errors.
  const double band = 5 * std::sqrt(2.0 / (d * N)) / std::sqrt(double(M));
  std::printf("mean T %.6f expected %.6f band %.4f rel err %.5f\n", sum / M, expected, band, (sum / M - expected) / expected);
  expect_rel_near(sum / M, expected, band);
}

TEST(Langevin, WorkTallyClosesTheEnergyBalance)
{
  // EAM Cu (smooth at its cutoff, unlike lj_cut whose energy jumps when pairs cross it), 256 atoms
  // started at 1200 K and cooled towards 300 K: the thermostat removes most of the thermal energy.
  auto run = [](bool thermostat, double &error, double &removed) {
    MdSystemParams p;
    p.units            = UnitSystem::metal;
    p.lattice_style    = LatticeStyle::fcc;
    p.lattice_constant = 3.615;
    p.region_hi        = {4 * 3.615, 4 * 3.615, 4 * 3.615};
    p.periodic         = {true, true, true};
    p.mass             = 63.55;
    p.potential_style  = "eam";
    p.potential.file   = "/usr/share/lammps/potentials/Cu_u3.eam";
    p.time_step        = 0.002;
    p.skin             = 1.0;
    MdSystem sys(p, MPI_COMM_SELF);
    sys.create_velocities(1200.0, 99);
    if (thermostat)
      sys.set_thermostat({300.0, 0.1, 17, std::nullopt});
    sys.setup();
    const double e0 = sys.kinetic_energy() + sys.potential_energy();
    error           = 0;
    for (int s = 1; s <= 1000; ++s)
      {
        sys.step(s % 10 == 0);
        if (s % 10 == 0)
          {
            const double balance = sys.kinetic_energy() + sys.potential_energy() - e0 + sys.energy_removed();
            error                = std::max(error, std::abs(balance));
          }
      }
    removed = sys.energy_removed();
    std::printf("thermostat %d balance error %.3e eV, removed %.3e eV\n", int(thermostat), error, removed);
  };
  ASSERT_TRUE(seam::testing::potential_file_readable("/usr/share/lammps/potentials/Cu_u3.eam"));
  double nve_error = 0, nve_removed = 0, error = 0, removed = 0;
  run(false, nve_error, nve_removed);
  run(true, error, removed);
  EXPECT_EQ(nve_removed, 0.0);
  // The 1200 K kinetic energy shares itself with the potential energy (a ~600 K crystal, 3 k_B T per
  // atom); cooling to 300 K over 20 damping times removes ~256 x 3 k_B x 300 K = 19.9 eV (harmonic
  // estimate; anharmonicity and the remaining exp(-20) are far below the 20 % margin).
  ASSERT_GT(removed, 0.8 * 256 * 3 * 8.617e-5 * 300);
  // The tally is exact per kick, so what is left is velocity Verlet's energy error, which the NVE run of
  // the same system at the same step shows; it only shrinks as the thermostat cools the crystal, so the
  // thermostatted error stays below it (a factor 2 for the random kicks' higher frequencies).
  EXPECT_LT(error, 2 * nve_error) << "NVE error " << nve_error << ", removed " << removed;
  // Verlet's energy fluctuation at dt = 2 fs is ~1e-4 eV per atom, i.e. ~1e-3 of the removed energy.
  EXPECT_LT(error, 5e-3 * removed);
}

TEST(Langevin, RandomForceHasFluctuationDissipationVarianceAndRespectsRegion)
{
  // Atoms at rest on the perfect lattice feel no conservative force: the force after setup() is the
  // random force alone, with variance 2 k_B T m / (damping dt) per component (lj units: k_B = 1).
  MdSystem       sys(lj_fcc(6), MPI_COMM_SELF); // 864 atoms
  const double   T = 1.3, damping = 0.2, dt = 0.005;
  const double   half = 3 * sys.lattice().period(0);
  LangevinParams lp{T, damping, 5, LangevinParams::Box{{-1, -1, -1}, {half, 100, 100}}};
  sys.set_thermostat(lp);
  sys.setup();
  double s2 = 0;
  int    n  = 0;
  for (LocalIndex i = 0; i < sys.n_owned(); ++i)
    {
      const auto &x = sys.atoms().x()[i];
      const auto &f = sys.atoms().f()[i];
      if (x[0] < half)
        {
          for (int d = 0; d < 3; ++d)
            s2 += f[d] * f[d];
          n += 3;
        }
      else
        for (int d = 0; d < 3; ++d)
          expect_abs_near(f[d], 0.0, 1e-12); // outside the region: conservative force (zero) only
    }
  ASSERT_EQ(n, 3 * 432);
  // Sample variance of n uniform draws: relative standard error sqrt(0.8 / n) (kurtosis 9/5); 5 of them.
  expect_rel_near(s2 / n, 2 * T / (damping * dt), 5 * std::sqrt(0.8 / n));
}
