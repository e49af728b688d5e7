// NVE energy conservation of velocity Verlet over 1e5 steps: the LJ fcc solid at T* = 0.1.
#include "md/md_system.h"
#include "support/tolerance.h"

#include <gtest/gtest.h>
#include <mpi.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <vector>

using namespace seam;
using namespace seam::md;

// Velocity Verlet is symplectic: the energy of a smooth Hamiltonian oscillates by O(dt^2) around a
// shadow energy and does not drift (Hairer, Lubich & Wanner 2003, Acta Numerica 12, 399). System: the LJ
// fcc solid (rho* 0.8442, lj/cut 2.5 not shifted, dt 0.005, skin 0.3, 500 atoms, periodic) started at
// T* = 0.1 (it equilibrates to ~0.05 as half the kinetic energy goes into potential energy).
//
// What is asserted (issue 3: drift below 1e-4 relative over 1e5 steps):
//  - drift: the least-squares line through E(t) (every 100th step from step 2000 = 10 tau on, after the
//    equilibration below) changes by |slope| t_end over the run; |slope| t_end / |E(0)| < 1e-4.
//  - no run-away or jumps beyond the cutoff's: over the same samples max |E(t) - line(t)| / |E(0)| <
//    5e-4. Bound from the cutoff statistics: pair distances of the 4th shell (12 per atom at 2.375) and
//    5th shell (24 per atom at 2.656) spread by ~0.06 at T* 0.05, so ~100 of their 9000 pairs are on
//    the "wrong" side of 2.5 at any time, a count fluctuating by ~sqrt(100) = 10, i.e. E by
//    10 x 0.0163 = 0.16 (5e-5 of |E|) per standard deviation; 1000 samples reach ~4 sigma (2e-4).
//    Measured (this seed; the values move with summation order): drift 3e-6 to 8e-6, max |E - line| /
//    |E(0)| 7.5e-5 to 7.8e-5, 10-14 s on one core.
// Not asserted: |E(t) - E(0)| itself. The unshifted cutoff makes E jump by |E_LJ(2.5)| = 0.0163 each
// time a pair crosses r = 2.5, and the 4th neighbour shell (2.375) starts crossing it as soon as the
// perfect lattice vibrates: within the first few hundred steps ~27 more pairs end up outside than inside,
// offsetting E by ~+0.44 (1.3e-4 of |E(0)|), an equilibrium property of the truncated potential, not
// an integration error. LAMMPS shows the same: the same system with `velocity all create 0.1 2024 loop
// geom` goes from E/N = -6.6236681 at step 0 to -6.6232159 at step 800 and stays there (+0.23 in total).
// The maximum |E - E(0)| is printed.
TEST(NveDrift, LjSolidConservesEnergyOver1e5Steps)
{
  MdSystemParams p;
  p.units            = UnitSystem::lj;
  p.lattice_style    = LatticeStyle::fcc;
  p.lattice_constant = std::cbrt(4.0 / 0.8442);
  const int cells    = 5;
  p.region_hi        = {cells * p.lattice_constant, cells * p.lattice_constant, cells * p.lattice_constant};
  p.periodic         = {true, true, true};
  p.potential_style  = "lj_cut";
  p.potential.values = {{"epsilon", 1.0}, {"sigma", 1.0}, {"cutoff", 2.5}};
  p.time_step        = 0.005;
  p.skin             = 0.3;
  MdSystem sys(p, MPI_COMM_WORLD);
  ASSERT_EQ(sys.n_atoms(), 500);
  sys.create_velocities(0.1, 2024);
  sys.setup();

  const double e0      = sys.potential_energy() + sys.kinetic_energy();
  const int    n_steps = 100000;
  const int    every   = 100;
  std::vector<double> t, e;
  const auto t0 = std::chrono::steady_clock::now();
  for (int s = 1; s <= n_steps; ++s)
    {
      sys.step(s % every == 0);
      if (s % every != 0 || s < 2000)
        continue;
      t.push_back(sys.time());
      e.push_back(sys.potential_energy() + sys.kinetic_energy() - e0);
    }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  // Least-squares line e = a + b t.
  double s_t = 0, s_e = 0, s_tt = 0, s_te = 0;
  const double n = double(t.size());
  for (std::size_t k = 0; k < t.size(); ++k)
    {
      s_t += t[k];
      s_e += e[k];
      s_tt += t[k] * t[k];
      s_te += t[k] * e[k];
    }
  const double b = (n * s_te - s_t * s_e) / (n * s_tt - s_t * s_t);
  const double a = (s_e - b * s_t) / n;
  double max_resid = 0, max_dev = 0;
  for (std::size_t k = 0; k < t.size(); ++k)
    {
      max_resid = std::max(max_resid, std::abs(e[k] - a - b * t[k]));
      max_dev   = std::max(max_dev, std::abs(e[k]));
    }
  const double t_end = n_steps * p.time_step;
  const double drift = std::abs(b) * t_end / std::abs(e0);
  const double resid = max_resid / std::abs(e0);
  std::printf("N %lld, E(0)/N %.10f, T_end %.4f, drift |slope| t_end/|E0| %.3e, max |E - line|/|E0| %.3e, "
              "max |E - E0|/|E0| %.3e, rebuilds %ld, %.1f s\n",
              static_cast<long long>(sys.n_atoms()), e0 / sys.n_atoms(), sys.temperature(), drift, resid,
              max_dev / std::abs(e0), sys.n_rebuilds(), seconds);
  EXPECT_LT(drift, 1e-4);
  EXPECT_LT(resid, 5e-4);
}
