// The blended (bridging-domain) Hamiltonian of MdSystem: weighted forces are minus the gradient of the
// weighted energy for every potential style, weight 1 reproduces the plain run bit for bit, the dead
// load makes the reference lattice an equilibrium and migrates with its atoms, weighted NVE conserves
// energy to second order in dt, and the results do not depend on the number of ranks.
#include "md/md_system.h"
#include "md/counter_rng.h"
#include "support/tolerance.h"
#include "support/potential_files.h"

#include <gtest/gtest.h>
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

using namespace seam;
using namespace seam::md;

namespace
{
  const std::string cu_u3      = "/usr/share/lammps/potentials/Cu_u3.eam";
  const std::string cu_mishin1 = "/usr/share/lammps/potentials/Cu_mishin1.eam.alloy";


  const std::vector<std::string> all_styles = {"lj_cut", "morse", "harmonic", "eam", "eam_alloy"};

  /// A free (non-periodic) fcc cluster of `cells`^3 cubic cells for `style`. Cutoffs sit between
  /// neighbour shells (LJ lattice a = 1.68: shells 2.375 | cutoff 2.5 | 2.656; Cu a = 3.615: Cu_u3
  /// 4.43 | 4.95 | 5.11, Cu_mishin1 5.11 | 5.51 | 5.72), at least 0.0448 a from the nearest shell, so a
  /// perturbation of at most fd_amplitude = 0.012 a per component (a pair distance changes by at most
  /// 2 sqrt(3) 0.012 a = 0.0416 a) never moves a lattice pair across the cutoff, where the lj_cut and
  /// morse energies jump.
  ///
  /// `slab`: periodic along y and z (the weights vary along x only), free along x.
  MdSystemParams cluster(const std::string &style, int cells = 4, bool slab = false)
  {
    MdSystemParams p;
    p.periodic        = {false, slab, slab};
    p.lattice_style   = LatticeStyle::fcc;
    p.potential_style = style;
    if (style == "eam" || style == "eam_alloy")
      {
        p.units            = UnitSystem::metal;
        p.lattice_constant = 3.615;
        p.mass             = 63.55;
        p.potential.file   = style == "eam" ? cu_u3 : cu_mishin1;
        p.time_step        = 0.002;
        p.skin             = 1.0;
      }
    else
      {
        p.units            = UnitSystem::lj;
        p.lattice_constant = std::cbrt(4.0 / 0.8442);
        p.time_step        = 0.005;
        p.skin             = 0.3;
        const double r_nn  = p.lattice_constant / std::sqrt(2.0);
        if (style == "lj_cut")
          p.potential.values = {{"epsilon", 1.0}, {"sigma", 1.0}, {"cutoff", 2.5}};
        else if (style == "morse")
          p.potential.values = {{"d0", 1.0}, {"alpha", 4.0}, {"r0", r_nn}, {"cutoff", 2.5}};
        else
          p.potential.values = {{"k", 10.0}, {"r0", r_nn}};
      }
    const double L = cells * p.lattice_constant;
    p.region_lo    = {0, 0, 0};
    p.region_hi    = {L, L, L};
    return p;
  }

  /// The cubic ramp s^2 (3 - 2 s) of s = (x - 0.2 L) / (0.6 L) along x, clamped to [0, 1], mapped to
  /// [lo, 1]: alpha = lo at x <= 0.2 L, 1 at x >= 0.8 L, C1 in between.
  std::function<double(const Vec3 &)> ramp(double L, double lo = 0.0)
  {
    return [L, lo](const Vec3 &x0) {
      const double s = std::clamp((x0[0] - 0.2 * L) / (0.6 * L), 0.0, 1.0);
      return lo + (1.0 - lo) * s * s * (3.0 - 2.0 * s);
    };
  }

  constexpr double fd_amplitude = 0.012; ///< of the lattice constant, see cluster()

  /// The potential file of an EAM style is readable (other styles need none).
  ::testing::AssertionResult potential_file_of(const std::string &style)
  {
    if (style == "eam")
      return seam::testing::potential_file_readable(cu_u3);
    if (style == "eam_alloy")
      return seam::testing::potential_file_readable(cu_mishin1);
    return ::testing::AssertionSuccess();
  }

  /// Displaces every owned atom by a uniform random vector in [-amp, amp]^3 drawn from (seed, id), so
  /// the configuration does not depend on the decomposition.
  void perturb(MdSystem &sys, double amp, std::uint64_t seed)
  {
    auto &a = sys.atoms();
    for (LocalIndex i = 0; i < a.n_owned(); ++i)
      {
        std::uint64_t key = splitmix64(seed ^ splitmix64(static_cast<std::uint64_t>(a.id()[i])));
        for (int d = 0; d < 3; ++d)
          {
            key = splitmix64(key);
            a.x()[i][d] += amp * (2.0 * (static_cast<double>(key >> 11) * 0x1.0p-53) - 1.0);
          }
      }
  }

  /// id -> a per-owned-atom vector over all ranks of `comm` (every rank gets the whole map).
  std::map<GlobalId, Vec3> gather(const MdSystem &sys, const std::vector<Vec3> &q, MPI_Comm comm)
  {
    const LocalIndex    n = sys.n_owned();
    std::vector<double> mine;
    for (LocalIndex i = 0; i < n; ++i)
      {
        mine.push_back(static_cast<double>(sys.atoms().id()[i]));
        mine.insert(mine.end(), q[i].begin(), q[i].end());
      }
    int size = 1;
    MPI_Comm_size(comm, &size);
    int              count = static_cast<int>(mine.size());
    std::vector<int> counts(size), displs(size, 0);
    MPI_Allgather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, comm);
    for (int r = 1; r < size; ++r)
      displs[r] = displs[r - 1] + counts[r - 1];
    std::vector<double> all(static_cast<std::size_t>(displs[size - 1] + counts[size - 1]));
    MPI_Allgatherv(mine.data(), count, MPI_DOUBLE, all.data(), counts.data(), displs.data(), MPI_DOUBLE, comm);
    std::map<GlobalId, Vec3> out;
    for (std::size_t o = 0; o + 4 <= all.size(); o += 4)
      out[static_cast<GlobalId>(all[o])] = {all[o + 1], all[o + 2], all[o + 3]};
    return out;
  }

  std::vector<Vec3> owned_forces(const MdSystem &sys)
  {
    return {sys.atoms().f().begin(), sys.atoms().f().begin() + sys.n_owned()};
  }

  /// Id of the atom whose reference position is nearest to `target` (the same on every rank).
  GlobalId atom_near(const MdSystem &sys, const Vec3 &target, MPI_Comm comm)
  {
    struct
    {
      double d;
      int    id;
    } mine{std::numeric_limits<double>::max(), -1}, best{};
    for (LocalIndex i = 0; i < sys.n_owned(); ++i)
      {
        const Vec3  &x0 = sys.atoms().x0()[i];
        const double d  = std::hypot(x0[0] - target[0], x0[1] - target[1], x0[2] - target[2]);
        if (d < mine.d)
          mine = {d, static_cast<int>(sys.atoms().id()[i])};
      }
    MPI_Allreduce(&mine, &best, 1, MPI_DOUBLE_INT, MPI_MINLOC, comm);
    return static_cast<GlobalId>(best.id);
  }

  /// Adds `delta` to component d of the atom `id` (on its owner) and recomputes (collective).
  void shift_atom(MdSystem &sys, GlobalId id, int d, double delta)
  {
    for (LocalIndex i = 0; i < sys.n_owned(); ++i)
      if (sys.atoms().id()[i] == id)
        sys.atoms().x()[i][d] += delta;
    sys.setup();
  }

  struct FdResult
  {
    double max_error = 0.0, f_scale = 0.0;
  };

  /// Central differences of potential_energy() (weighted energy plus dead load) against the forces
  /// on atoms spread over the ramp: alpha = 0, inside the ramp, alpha = 1, a corner. Truncation
  /// h^2 |E'''| / 6 and round-off eps |E| / h are both below 1e-7 of the force scale for h = 1e-5
  /// (|E| <= 2e3, forces O(1..10)), so the check is at 1e-6 of the largest force.
  FdResult fd_check(MdSystem &sys, double h, MPI_Comm comm)
  {
    sys.setup();
    const auto f = gather(sys, owned_forces(sys), comm);
    FdResult   res;
    for (const auto &[id, fi] : f)
      res.f_scale = std::max({res.f_scale, std::abs(fi[0]), std::abs(fi[1]), std::abs(fi[2])});
    const double L = sys.domain().length()[0];
    for (const Vec3 &t : std::vector<Vec3>{{0.05 * L, 0.5 * L, 0.5 * L},
                                           {0.35 * L, 0.5 * L, 0.5 * L},
                                           {0.5 * L, 0.3 * L, 0.6 * L},
                                           {0.65 * L, 0.5 * L, 0.5 * L},
                                           {0.95 * L, 0.5 * L, 0.5 * L},
                                           {0.5 * L, 0.0, 0.0}})
      {
        const GlobalId id = atom_near(sys, t, comm);
        for (int d = 0; d < 3; ++d)
          {
            shift_atom(sys, id, d, h);
            const double ep = sys.potential_energy();
            shift_atom(sys, id, d, -2 * h);
            const double em = sys.potential_energy();
            shift_atom(sys, id, d, h);
            const double fd = -(ep - em) / (2 * h);
            res.max_error   = std::max(res.max_error, std::abs(fd - f.at(id)[d]));
          }
      }
    sys.setup();
    return res;
  }

  int n_ranks(MPI_Comm comm)
  {
    int n = 1;
    MPI_Comm_size(comm, &n);
    return n;
  }
} // namespace

TEST(Weights, ForcesAreMinusGradientOfWeightedEnergy)
{
  for (const bool slab : {false, true})
  for (const std::string &style : all_styles)
    {
      ASSERT_TRUE(potential_file_of(style));
      SCOPED_TRACE(style + (slab ? " slab" : " cluster"));
      MdSystemParams p = cluster(style, 4, slab);
      p.weight         = ramp(p.region_hi[0]);
      MdSystem sys(p, MPI_COMM_WORLD);
      perturb(sys, fd_amplitude * p.lattice_constant, 11);
      const FdResult r = fd_check(sys, 1e-5 * p.lattice_constant, MPI_COMM_WORLD);
      ASSERT_GT(r.f_scale, 0.1);
      EXPECT_LE(r.max_error, 1e-6 * r.f_scale) << "max |FD - f| " << r.max_error << ", f scale " << r.f_scale;
      if (n_ranks(MPI_COMM_WORLD) == 1)
        std::printf("  %-9s %-7s FD: max |f + dE/dx| = %.2e, max |f| = %.3g\n", style.c_str(),
                    slab ? "slab" : "cluster", r.max_error, r.f_scale);
    }
}

TEST(Weights, EnergyIsWeightedSumOfSiteEnergies)
{
  // sum_i alpha_i E_i with E_i the plain run's per-atom energies: the weighted kernels split each bond
  // and embedding term by the right weights. Round-off of sums of ~100 terms: 1e-12 relative.
  for (const std::string &style : all_styles)
    {
      ASSERT_TRUE(potential_file_of(style));
      SCOPED_TRACE(style);
      MdSystemParams p = cluster(style);
      MdSystem       plain(p, MPI_COMM_WORLD);
      p.weight = ramp(p.region_hi[0]);
      MdSystem weighted(p, MPI_COMM_WORLD);
      perturb(plain, fd_amplitude * p.lattice_constant, 5);
      perturb(weighted, fd_amplitude * p.lattice_constant, 5);
      plain.setup();
      weighted.setup();
      std::vector<Vec3> e_plain, e_weighted;
      for (LocalIndex i = 0; i < plain.n_owned(); ++i)
        e_plain.push_back({plain.atoms().energy()[i], 0, 0});
      for (LocalIndex i = 0; i < weighted.n_owned(); ++i)
        e_weighted.push_back({weighted.atoms().energy()[i], weighted.atoms().weight()[i], 0});
      const auto ep = gather(plain, e_plain, MPI_COMM_WORLD);
      const auto ew = gather(weighted, e_weighted, MPI_COMM_WORLD);
      double     sum = 0, scale = 0;
      int        n_between = 0;
      for (const auto &[id, e] : ep)
        {
          const double alpha = ew.at(id)[1];
          sum += alpha * e[0];
          scale = std::max(scale, std::abs(e[0]));
          n_between += alpha > 0.01 && alpha < 0.99;
          expect_abs_near(ew.at(id)[0], alpha * e[0], 1e-12 * std::abs(e[0]));
        }
      EXPECT_GT(n_between, 50); // the ramp is non-trivial
      expect_rel_near(weighted.potential_energy(), sum, 1e-12);
      EXPECT_GT(std::abs(weighted.potential_energy() - plain.potential_energy()), 0.1 * std::abs(sum));
    }
}

TEST(Weights, WeightOneIsBitwiseThePlainRun)
{
  for (const std::string &style : all_styles)
    {
      ASSERT_TRUE(potential_file_of(style));
      SCOPED_TRACE(style);
      MdSystemParams p = cluster(style, 3);
      MdSystem       plain(p, MPI_COMM_WORLD);
      p.weight = [](const Vec3 &) { return 1.0; };
      MdSystem one(p, MPI_COMM_WORLD);
      ASSERT_TRUE(one.weighted());
      ASSERT_FALSE(plain.weighted());
      for (MdSystem *s : {&plain, &one})
        {
          perturb(*s, fd_amplitude * p.lattice_constant, 3);
          s->create_velocities(style.rfind("eam", 0) == 0 ? 300.0 : 0.5, 9);
          s->setup();
          for (int k = 0; k < 20; ++k)
            s->step(k % 5 == 4);
        }
      EXPECT_EQ(plain.potential_energy(), one.potential_energy());
      EXPECT_EQ(plain.kinetic_energy(), one.kinetic_energy());
      ASSERT_EQ(plain.n_owned(), one.n_owned());
      int n_diff = 0;
      for (LocalIndex i = 0; i < plain.n_owned(); ++i)
        for (int d = 0; d < 3; ++d)
          n_diff += plain.atoms().f()[i][d] != one.atoms().f()[i][d] ||
                    plain.atoms().x()[i][d] != one.atoms().x()[i][d] ||
                    plain.atoms().v()[i][d] != one.atoms().v()[i][d] ||
                    plain.atoms().energy()[i] != one.atoms().energy()[i];
      EXPECT_EQ(n_diff, 0);
    }
}

TEST(Weights, DeadLoadMakesReferenceAnEquilibrium)
{
  for (const bool slab : {false, true})
  for (const std::string &style : all_styles)
    {
      ASSERT_TRUE(potential_file_of(style));
      SCOPED_TRACE(style + (slab ? " slab" : " cluster"));
      MdSystemParams p = cluster(style, 4, slab);
      const double   L = p.region_hi[0];
      p.weight         = ramp(L);
      MdSystem sys(p, MPI_COMM_WORLD);
      sys.setup();
      // The free surface and the ramp leave net forces at the perfect lattice (harmonic: none, its
      // springs are at rest).
      double g_max = 0;
      for (const auto &[id, f] : gather(sys, owned_forces(sys), MPI_COMM_WORLD))
        g_max = std::max({g_max, std::abs(f[0]), std::abs(f[1]), std::abs(f[2])});
      if (style != "harmonic")
        {
          ASSERT_GT(g_max, 1e-3);
        }
      // Nearest-neighbour bond force scale: the largest lattice force (a surface atom's), or k r0 / 10.
      const double f_bond = style == "harmonic" ? 1.0 : g_max;
      const double e0     = sys.potential_energy();
      sys.freeze_reference_force();
      ASSERT_TRUE(sys.has_reference_force());
      for (LocalIndex i = 0; i < sys.n_owned(); ++i)
        for (int d = 0; d < 3; ++d)
          EXPECT_LE(std::abs(sys.atoms().f()[i][d]), 1e-12 * f_bond);
      EXPECT_EQ(sys.dead_load_energy(), 0.0); // x = x0 exactly
      expect_rel_near(sys.potential_energy(), e0, 1e-14);

      // A rigid translation by ~0.37 of the box crosses rank boundaries: the dead loads migrate with
      // their atoms, the translated weighted forces equal the reference ones and sum_i g_i = 0
      // (translation invariance), so the forces stay zero up to the round-off of shifted coordinates
      // (eps |x| / r_nn relative) and the energy is unchanged.
      const Vec3 shift{0.37 * L, -0.29 * L, 0.41 * L};
      for (LocalIndex i = 0; i < sys.n_owned(); ++i)
        for (int d = 0; d < 3; ++d)
          sys.atoms().x()[i][d] += shift[d];
      sys.setup();
      double f_max = 0;
      for (LocalIndex i = 0; i < sys.n_owned(); ++i)
        for (int d = 0; d < 3; ++d)
          f_max = std::max(f_max, std::abs(sys.atoms().f()[i][d]));
      double f_max_all = 0;
      MPI_Allreduce(&f_max, &f_max_all, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
      EXPECT_LE(f_max_all, 1e-11 * f_bond);
      // Energy scale |e0| + f_bond a (the harmonic lattice has e0 = 0).
      expect_abs_near(sys.potential_energy(), e0, 1e-11 * (std::abs(e0) + f_bond * p.lattice_constant));
      if (n_ranks(MPI_COMM_WORLD) == 1)
        std::printf("  %-9s %-7s max |g| = %.3g, max |f| after translation %.2e\n", style.c_str(),
                    slab ? "slab" : "cluster", g_max, f_max_all);

      // Energy and forces stay consistent with the dead load on (perturbed configuration).
      perturb(sys, fd_amplitude * p.lattice_constant, 21);
      const FdResult r = fd_check(sys, 1e-5 * p.lattice_constant, MPI_COMM_WORLD);
      EXPECT_LE(r.max_error, 1e-6 * r.f_scale) << "max |FD - f| " << r.max_error << ", f scale " << r.f_scale;
      if (style != "harmonic")
        {
          EXPECT_NE(sys.dead_load_energy(), 0.0);
        }
    }
}

TEST(Weights, SelectedDeadLoad)
{
  // Only the selected atoms (x0 < L/2) are corrected; the others keep their plain weighted force.
  MdSystemParams p = cluster("lj_cut");
  const double   L = p.region_hi[0];
  p.weight         = ramp(L);
  MdSystem sys(p, MPI_COMM_WORLD);
  sys.setup();
  const std::vector<Vec3> f0 = owned_forces(sys);
  sys.freeze_reference_force([L](const Vec3 &x0) { return x0[0] < 0.5 * L; });
  int n_kept = 0;
  for (LocalIndex i = 0; i < sys.n_owned(); ++i)
    for (int d = 0; d < 3; ++d)
      {
        const bool selected = sys.atoms().x0()[i][0] < 0.5 * L;
        EXPECT_EQ(sys.atoms().f()[i][d], selected ? 0.0 : f0[i][d]);
        EXPECT_EQ(sys.atoms().reference_force()[i][d], selected ? f0[i][d] : 0.0);
        n_kept += !selected && f0[i][d] != 0.0;
      }
  int n_kept_all = 0;
  MPI_Allreduce(&n_kept, &n_kept_all, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
  EXPECT_GT(n_kept_all, 0);
}

TEST(Weights, NveConservesWeightedEnergyToSecondOrder)
{
  // Smooth Morse (alpha = 6 / length, cutoff r0 + 2.5 where |phi| < 1e-6) in a free cluster with
  // weights 0.1..1, scaled masses and the dead load. Velocity Verlet conserves a shadow Hamiltonian:
  // the deviation of H = KE(m~) + PE_w + dead load stays bounded and scales as dt^2 (halving dt
  // quarters it), so the ratio of the two runs' deviations over the same time is 4 up to O(dt^2)
  // corrections; the deviation is (omega dt)^2/8 ~ 1e-3 of KE.
  auto run = [](double dt, int steps) {
    MdSystemParams p   = cluster("morse");
    const double   r0  = p.lattice_constant / std::sqrt(2.0);
    p.potential.values = {{"d0", 1.0}, {"alpha", 6.0}, {"r0", r0}, {"cutoff", r0 + 2.5}};
    p.weight           = ramp(p.region_hi[0], 0.1);
    p.time_step        = dt;
    MdSystem sys(p, MPI_COMM_WORLD);
    sys.setup();
    sys.freeze_reference_force();
    sys.create_velocities(0.05, 17);
    sys.setup();
    const double h0 = sys.kinetic_energy() + sys.potential_energy();
    double       dev = 0;
    for (int s = 1; s <= steps; ++s)
      {
        sys.step(true);
        dev = std::max(dev, std::abs(sys.kinetic_energy() + sys.potential_energy() - h0));
      }
    return std::pair<double, double>{dev, sys.kinetic_energy()};
  };
  const auto [dev1, ke1] = run(0.002, 2000);
  const auto [dev2, ke2] = run(0.004, 1000);
  if (n_ranks(MPI_COMM_WORLD) == 1)
    std::printf("  NVE max |H - H0|: dt 0.002 %.3e, dt 0.004 %.3e (ratio %.3f), KE %.3g\n", dev1, dev2,
                dev2 / dev1, ke1);
  EXPECT_GT(ke1, 1.0);
  EXPECT_LT(dev1, 1e-3 * ke1);
  EXPECT_GT(dev2 / dev1, 3.5);
  EXPECT_LT(dev2 / dev1, 4.5);
}

TEST(Weights, SameResultOnAnyNumberOfRanks)
{
  // The whole job (MPI_COMM_WORLD, 1, 2 or 4 ranks) against each rank's serial copy (MPI_COMM_SELF):
  // weighted energies with dead load after 30 steps of weighted NVE. Only summation order differs:
  // 1e-12 relative for energies, 1e-10 of the force scale per component after 30 steps (round-off
  // growth along the trajectory).
  for (const std::string &style : all_styles)
    {
      ASSERT_TRUE(potential_file_of(style));
      SCOPED_TRACE(style);
      MdSystemParams p = cluster(style);
      p.weight         = ramp(p.region_hi[0], 0.1);
      std::vector<double>                   energies[2];
      std::map<GlobalId, Vec3>              forces[2];
      double                                f_scale = 0;
      for (int k = 0; k < 2; ++k)
        {
          const MPI_Comm comm = k == 0 ? MPI_COMM_WORLD : MPI_COMM_SELF;
          MdSystem       sys(p, comm);
          sys.setup();
          sys.freeze_reference_force([&](const Vec3 &x0) { return x0[1] < 0.6 * p.region_hi[1]; });
          perturb(sys, 0.02 * p.lattice_constant, 8);
          sys.create_velocities(style.rfind("eam", 0) == 0 ? 200.0 : 0.2, 4);
          sys.setup();
          energies[k].push_back(sys.potential_energy());
          for (int s = 0; s < 30; ++s)
            sys.step(s % 10 == 9);
          energies[k].push_back(sys.potential_energy());
          energies[k].push_back(sys.dead_load_energy());
          energies[k].push_back(sys.kinetic_energy());
          forces[k] = gather(sys, owned_forces(sys), comm);
        }
      double e_rel = 0, f_rel = 0;
      for (std::size_t q = 0; q < energies[0].size(); ++q)
        {
          expect_rel_near(energies[0][q], energies[1][q], 1e-12);
          e_rel = std::max(e_rel, std::abs(energies[0][q] - energies[1][q]) / std::abs(energies[1][q]));
        }
      ASSERT_EQ(forces[0].size(), forces[1].size());
      for (const auto &[id, f] : forces[1])
        f_scale = std::max({f_scale, std::abs(f[0]), std::abs(f[1]), std::abs(f[2])});
      for (const auto &[id, f] : forces[1])
        for (int d = 0; d < 3; ++d)
          {
            expect_abs_near(forces[0].at(id)[d], f[d], 1e-10 * f_scale);
            f_rel = std::max(f_rel, std::abs(forces[0].at(id)[d] - f[d]) / f_scale);
          }
      int rank = 0;
      MPI_Comm_rank(MPI_COMM_WORLD, &rank);
      if (rank == 0)
        std::printf("  %-9s %d ranks vs serial: energies rel %.1e, forces %.1e of max\n", style.c_str(),
                    n_ranks(MPI_COMM_WORLD), e_rel, f_rel);
    }
}

namespace
{
  /// Records the step of every hook call (md::Fix with all hooks).
  struct RecordingFix : Fix
  {
    std::vector<std::int64_t> *post_force_steps;
    std::vector<std::int64_t>  before, after, closing, end;
    explicit RecordingFix(std::vector<std::int64_t> *calls) : post_force_steps(calls) {}
    std::string name() const override { return "recording"; }
    unsigned    mask() const override { return ~0u; }
    void initial_integrate(Atoms &, std::int64_t s) override { before.push_back(s); }
    void post_integrate(Atoms &, std::int64_t s) override { after.push_back(s); }
    void post_force(Atoms &, std::int64_t s, bool) override { post_force_steps->push_back(s); }
    void final_integrate(Atoms &, std::int64_t s) override { closing.push_back(s); }
    void end_of_step(Atoms &, std::int64_t s) override { end.push_back(s); }
  };
} // namespace

TEST(Weights, SplitStepAndFixHooks)
{
  // step() == step_first_half() + step_second_half() bit for bit; a fix's post_force runs once per force
  // evaluation with the step its positions belong to, its integrate hooks once per step with the step
  // being left (initial/post_integrate) or reached (final_integrate/end_of_step); a move between the
  // halves is seen by the neighbor check.
  MdSystemParams p = cluster("lj_cut", 3);
  p.weight         = ramp(p.region_hi[0], 0.1);
  MdSystem a(p, MPI_COMM_WORLD), b(p, MPI_COMM_WORLD);
  std::vector<std::int64_t> calls;
  auto &rec = static_cast<RecordingFix &>(b.add_fix(std::make_unique<RecordingFix>(&calls)));
  for (MdSystem *s : {&a, &b})
    {
      s->create_velocities(0.3, 2);
      s->setup();
    }
  for (int k = 0; k < 10; ++k)
    {
      a.step(true);
      b.step_first_half();
      b.step_second_half(true);
    }
  EXPECT_EQ(a.potential_energy(), b.potential_energy());
  for (LocalIndex i = 0; i < a.n_owned(); ++i)
    EXPECT_EQ(a.atoms().v()[i][0], b.atoms().v()[i][0]);
  ASSERT_EQ(calls.size(), 11u);
  for (std::size_t k = 0; k < calls.size(); ++k)
    EXPECT_EQ(calls[k], static_cast<std::int64_t>(k));
  ASSERT_EQ(rec.before.size(), 10u);
  ASSERT_EQ(rec.after.size(), 10u);
  ASSERT_EQ(rec.closing.size(), 10u);
  ASSERT_EQ(rec.end.size(), 10u);
  for (std::size_t k = 0; k < 10; ++k)
    {
      EXPECT_EQ(rec.before[k], static_cast<std::int64_t>(k));
      EXPECT_EQ(rec.after[k], static_cast<std::int64_t>(k));
      EXPECT_EQ(rec.closing[k], static_cast<std::int64_t>(k + 1));
      EXPECT_EQ(rec.end[k], static_cast<std::int64_t>(k + 1));
    }
  EXPECT_THROW(b.step_second_half(), std::logic_error);

  const long builds = b.n_rebuilds();
  b.step_first_half();
  EXPECT_THROW(b.step_first_half(), std::logic_error);
  if (b.n_owned() > 0)
    b.atoms().x()[0][0] += p.skin; // more than skin/2
  b.step_second_half(true);
  EXPECT_EQ(b.n_rebuilds(), builds + 1);
}

TEST(Weights, ScaledMassesInThermostatAndKineticEnergy)
{
  // Langevin at T = 0 is pure friction -m s_i v / damping; KE uses m s_i, temperature the plain m.
  MdSystemParams p = cluster("lj_cut", 3);
  p.weight         = ramp(p.region_hi[0]);
  p.mass_floor     = 0.05;
  MdSystem sys(p, MPI_COMM_WORLD);
  sys.create_velocities(0.4, 6);
  sys.setup();
  const std::vector<Vec3> f0 = owned_forces(sys);
  LangevinParams          lp;
  lp.temperature = 0.0;
  lp.damping     = 2.0;
  sys.set_thermostat(lp);
  sys.setup();
  double ke_scaled = 0, ke_plain = 0;
  for (LocalIndex i = 0; i < sys.n_owned(); ++i)
    {
      const double s = sys.atoms().mass_scale()[i];
      EXPECT_EQ(s, std::max(sys.atoms().weight()[i], 0.05));
      for (int d = 0; d < 3; ++d)
        {
          const double v = sys.atoms().v()[i][d];
          expect_abs_near(sys.atoms().f()[i][d] - f0[i][d], -s * v / 2.0, 1e-13 * (1 + std::abs(f0[i][d])));
          ke_scaled += 0.5 * s * v * v;
          ke_plain += 0.5 * v * v;
        }
    }
  double sums[2] = {ke_scaled, ke_plain}, tot[2];
  MPI_Allreduce(sums, tot, 2, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
  expect_rel_near(sys.kinetic_energy(), tot[0], 1e-12);
  expect_rel_near(sys.temperature(), 0.4, 1e-12);
  EXPECT_LT(sys.kinetic_energy(), 0.9 * tot[1]);
}

TEST(Weights, InvalidWeightsAreRejectedOnEveryRank)
{
  MdSystemParams p = cluster("lj_cut", 2);
  p.weight         = [](const Vec3 &x0) { return x0[0] > 1.0 ? 1.5 : 0.5; };
  EXPECT_THROW((MdSystem{p, MPI_COMM_WORLD}), std::invalid_argument);
  p.weight     = [](const Vec3 &) { return 0.5; };
  p.mass_floor = 0.0;
  EXPECT_THROW((MdSystem{p, MPI_COMM_WORLD}), std::invalid_argument);
}
