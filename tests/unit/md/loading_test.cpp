// Loadings and defects of the applications (md.indenter, md.delete, md.cut): the indenter's force is
// minus the gradient of its energy and its load is the reaction on the atoms; a cut through the whole
// crystal leaves exactly two independent slabs (the cut crystal's energy is the sum of the energies of
// its halves, each made by deleting the other), for LJ and for EAM, whose embedding density must then
// exclude the cut bonds too; at any rank count.
#include "md/bond_cuts.h"
#include "md/fix/indenter.h"
#include "md/md_system.h"
#include "support/potential_files.h"
#include "support/tolerance.h"

#include <gtest/gtest.h>
#include <mpi.h>

#include <cmath>
#include <random>

using namespace seam;
using namespace seam::md;

namespace
{
  /// Atoms at random positions around `c` within `spread` (owned, no ghosts).
  Atoms random_atoms(const Vec3 &c, double spread, int dim, int n, unsigned seed)
  {
    Atoms                                  atoms;
    std::mt19937                           gen(seed);
    std::uniform_real_distribution<double> u(-spread, spread);
    for (int i = 0; i < n; ++i)
      {
        Vec3 x{};
        for (int a = 0; a < dim; ++a)
          x[a] = c[a] + u(gen);
        atoms.add_owned(i + 1, x, x, Vec3{});
      }
    return atoms;
  }

  double energy_of(Indenter &ind, Atoms &atoms, std::int64_t step)
  {
    atoms.zero_forces(true);
    ind.post_force(atoms, step, true);
    return ind.potential_energy_local();
  }

  /// Checks F = -dE/dx by central differences on every atom and axis, and the load = -sum of forces.
  void check_gradient(IndenterParams p, double spread)
  {
    Indenter ind(p);
    Atoms    atoms = random_atoms(ind.center(p.time_step * 7), spread, p.dimension, 40, 11);
    energy_of(ind, atoms, 7);
    const std::vector<Vec3> f = atoms.f();
    Vec3                    sum{};
    int                     touched = 0;
    for (const auto &fi : f)
      {
        touched += (fi[0] != 0 || fi[1] != 0 || fi[2] != 0);
        for (int a = 0; a < 3; ++a)
          sum[a] += fi[a];
      }
    ASSERT_GT(touched, 5) << "too few atoms inside the indenter for a meaningful test";
    for (int a = 0; a < 3; ++a)
      EXPECT_NEAR(ind.force_local()[a], -sum[a], 1e-12 * (1 + std::abs(sum[a])));
    // E ~ K d^3: central differences have error h^2 K d / 3 relative to F ~ K d^2; h = 1e-5 R.
    const double h = 1e-5 * (p.radius > 0 ? p.radius : 1.0);
    for (LocalIndex i = 0; i < atoms.n_owned(); ++i)
      for (int a = 0; a < p.dimension; ++a)
        {
          const double x = atoms.x()[i][a];
          atoms.x()[i][a] = x + h;
          const double ep = energy_of(ind, atoms, 7);
          atoms.x()[i][a] = x - h;
          const double em = energy_of(ind, atoms, 7);
          atoms.x()[i][a] = x;
          const double fd = -(ep - em) / (2 * h);
          EXPECT_NEAR(f[i][a], fd, 1e-6 * p.stiffness * p.radius * p.radius + 1e-6 * std::abs(fd))
            << "atom " << i << " axis " << a;
        }
  }
} // namespace

TEST(Indenter, ForceIsMinusTheEnergyGradientForEveryStyle)
{
  IndenterParams p;
  p.stiffness = 1000;
  p.radius    = 3;
  p.time_step = 0.005;
  p.center    = {1, 2, 3};
  p.velocity  = {0.1, -0.2, 0.05};
  for (int dim : {2, 3})
    {
      p.dimension = dim;
      p.shape     = IndenterShape::cylinder;
      check_gradient(p, 3.5);
      p.shape = IndenterShape::sphere;
      check_gradient(p, 3.5);
      p.shape = IndenterShape::flat;
      check_gradient(p, 1.0);
    }
}

TEST(Indenter, MovesWithItsVelocityOrExpressionsAndReportsDepthAlongIt)
{
  IndenterParams p;
  p.dimension = 2;
  p.stiffness = 10;
  p.radius    = 2;
  p.time_step = 0.01;
  p.center    = {0, 5};
  p.velocity  = {0, -0.5};
  Indenter ind(p);
  EXPECT_NEAR(ind.center(4.0)[1], 3.0, 1e-15);
  EXPECT_NEAR(ind.direction()[1], -1.0, 1e-15);
  Atoms atoms = random_atoms({0, 1.5, 0}, 0.4, 2, 10, 3); // all below the centre (0, 3) at t = 4
  energy_of(ind, atoms, 400); // t = 4
  const auto cols   = ind.thermo_columns();
  const auto lead   = ind.thermo_shares(true);
  const auto follow = ind.thermo_shares(false);
  ASSERT_EQ(cols.size(), 3u);
  EXPECT_EQ(cols[2], "indent_depth");
  EXPECT_NEAR(lead[2], 2.0, 1e-12);  // moved 2 along -y
  EXPECT_EQ(follow[2], 0.0);         // only the lead reports a non-additive value
  EXPECT_EQ(lead[1], follow[1]);     // the force is every rank's share
  EXPECT_GT(lead[1], 0.0);           // atoms below push the indenter up: load > 0 against the motion

  IndenterParams q = p;
  q.position       = {"0", "5 - 0.5*t"};
  Indenter byexpr(q);
  EXPECT_NEAR(byexpr.center(4.0)[1], 3.0, 1e-12);
  EXPECT_NEAR(byexpr.direction()[1], -1.0, 1e-12);
}

TEST(BondCuts, CrossingWithinTheSegmentOnly)
{
  BondCuts c2({Cut{{-10, 0.5, 0}, {0, 0.5, 0}, {}, 0}}, 2);
  EXPECT_TRUE(c2.cuts({-3, 0, 0}, {-3, 1, 0}));
  EXPECT_TRUE(c2.cuts({-3, 1, 0}, {-2, 0, 0}));
  EXPECT_FALSE(c2.cuts({1, 0, 0}, {1, 1, 0}));   // beyond the tip
  EXPECT_FALSE(c2.cuts({-3, 0, 0}, {-2, 0.4, 0})); // same side
  EXPECT_TRUE(c2.near({-5, 1.4, 0}, 1.0));
  EXPECT_FALSE(c2.near({-5, 2.6, 0}, 1.0));
  EXPECT_FALSE(c2.near({3, 0.5, 0}, 1.0));
  // 3D strip: plane z = 0.5 from x = -10 to 0, width 4 across (y in [-2, 2]).
  Cut s{{-10, 0, 0.5}, {0, 0, 0.5}, {0, 0, 1}, 4.0};
  BondCuts c3({s}, 3);
  EXPECT_TRUE(c3.cuts({-3, 1, 0}, {-3, 1, 1}));
  EXPECT_FALSE(c3.cuts({-3, 3, 0}, {-3, 3, 1}));  // outside the strip's width
  EXPECT_FALSE(c3.cuts({2, 1, 0}, {2, 1, 1}));    // beyond its edge
  EXPECT_THROW(BondCuts({Cut{{0, 0, 0}, {0, 0, 0}, {}, 0}}, 2), std::invalid_argument);
  EXPECT_THROW(BondCuts({Cut{{0, 0, 0}, {1, 0, 0}, {1, 0, 0}, 1}}, 3), std::invalid_argument);
}

namespace
{
  struct Slabs
  {
    double       e_cut, e_lower, e_upper, e_whole;
    std::int64_t n_cut, n_lower, n_upper;
  };

  /// The crystal of `p` cut at height `zc` along the last axis (a cut across the whole periodic width),
  /// and its two halves made by md.delete.
  Slabs cut_and_halves(MdSystemParams p, double zc)
  {
    const int    n    = p.dimension - 1;
    const double big  = 1e3;
    auto         pe   = [](const MdSystemParams &q, std::int64_t &count) {
      MdSystem s(q, MPI_COMM_WORLD);
      s.setup();
      count = s.n_atoms();
      return s.potential_energy();
    };
    Slabs r{};
    std::int64_t dummy = 0;
    r.e_whole          = pe(p, dummy);
    MdSystemParams c   = p;
    Cut            cut;
    cut.from[0] = p.region_lo[0] - 10;
    cut.to[0]   = p.region_hi[0] + 10;
    cut.from[n] = cut.to[n] = zc;
    if (p.dimension == 3)
      cut.normal = {0, 0, 1};
    c.cuts = {cut};
    r.e_cut = pe(c, r.n_cut);
    MdSystemParams lower = p, upper = p;
    Vec3           lo{-big, -big, -big}, hi{big, big, big};
    Vec3           mid_lo = lo, mid_hi = hi;
    mid_lo[n]             = zc;
    mid_hi[n]             = zc;
    lower.deleted         = {{mid_lo, hi}};
    upper.deleted         = {{lo, mid_hi}};
    r.e_lower             = pe(lower, r.n_lower);
    r.e_upper             = pe(upper, r.n_upper);
    return r;
  }
} // namespace

TEST(BondCuts, CutLjCrystalIsTwoIndependentSlabs)
{
  // 2D hex LJ (cutoff 2.5: second and third neighbours cross the cut too), periodic in x, free in y.
  MdSystemParams p;
  p.dimension        = 2;
  p.lattice_style    = LatticeStyle::hex;
  p.lattice_constant = 1.1132013;
  const double a = p.lattice_constant, row = a * std::sqrt(3.0) / 2;
  p.region_lo        = {0, 0, 0};
  p.region_hi        = {12 * a, 16 * row, 0};
  p.periodic         = {true, false, false};
  p.potential_style  = "lj_cut";
  p.potential.values = {{"epsilon", 1.0}, {"sigma", 1.0}, {"cutoff", 2.5}};
  const Slabs s      = cut_and_halves(p, 7.5 * row);
  EXPECT_EQ(s.n_lower + s.n_upper, s.n_cut);
  EXPECT_GT(s.n_lower, 0);
  EXPECT_GT(s.n_upper, 0);
  EXPECT_NEAR(s.e_cut, s.e_lower + s.e_upper, 1e-11 * std::abs(s.e_cut));
  // The cut costs two surfaces: 2 gamma L with gamma = 1.091 (close-packed LJ surface, cutoff 2.5, unrelaxed
  // near it); only the sign and rough size are asserted here, the cut must remove bonds.
  const double surface = (s.e_cut - s.e_whole) / (2 * 12 * a);
  std::printf("LJ: %lld atoms, unrelaxed surface energy %.4f\n", static_cast<long long>(s.n_cut), surface);
  EXPECT_GT(surface, 0.8);
  EXPECT_LT(surface, 1.6);
}

TEST(BondCuts, CutEamCrystalIsTwoIndependentSlabsIncludingTheDensity)
{
  ASSERT_TRUE(seam::testing::potential_file_readable("/usr/share/lammps/potentials/Cu_u3.eam"));
  MdSystemParams p;
  p.units            = UnitSystem::metal;
  p.lattice_style    = LatticeStyle::fcc;
  p.lattice_constant = 3.615;
  const double a     = p.lattice_constant;
  p.region_lo        = {0, 0, 0};
  p.region_hi        = {4 * a, 4 * a, 6 * a};
  p.periodic         = {true, true, false};
  p.mass             = 63.55;
  p.potential_style  = "eam";
  p.potential.file   = "/usr/share/lammps/potentials/Cu_u3.eam";
  p.time_step        = 0.002;
  p.skin             = 1.0;
  const Slabs s      = cut_and_halves(p, 3.25 * a); // between the (001) planes at 3 a and 3.5 a
  EXPECT_EQ(s.n_lower + s.n_upper, s.n_cut);
  EXPECT_NEAR(s.e_cut, s.e_lower + s.e_upper, 1e-10 * std::abs(s.e_cut));
  // Unrelaxed Cu(001) surface energy of this potential is about 1.3 J/m^2 = 0.08 eV/A^2.
  const double surface = (s.e_cut - s.e_whole) / (2 * 16 * a * a);
  std::printf("EAM: %lld atoms, unrelaxed (001) surface energy %.4f eV/A^2\n", static_cast<long long>(s.n_cut),
              surface);
  EXPECT_GT(surface, 0.05);
  EXPECT_LT(surface, 0.12);
}

TEST(Coordination, PerfectLatticesAndTheirSurfaces)
{
  // 2D hex slab, periodic in x, free in y: 6 neighbours inside, 4 on the two surface rows. fcc Cu with a
  // free (001) pair of faces: 12 inside, 8 on the surfaces. At any rank count (ghost counts come back).
  MdSystemParams p;
  p.dimension        = 2;
  p.lattice_style    = LatticeStyle::hex;
  p.lattice_constant = 1.1132013;
  const double a = p.lattice_constant, row = a * std::sqrt(3.0) / 2;
  p.region_hi        = {12 * a, 10 * row, 0};
  p.periodic         = {true, false, false};
  p.potential.values = {{"epsilon", 1.0}, {"sigma", 1.0}, {"cutoff", 2.5}};
  MdSystem hex(p, MPI_COMM_WORLD);
  hex.setup();
  const auto c = hex.output_coordination();
  const auto X = hex.owned_reference_positions();
  for (std::size_t i = 0; i < c.size(); ++i)
    {
      const bool surface = X[i][1] < 0.5 * row || X[i][1] > 8.5 * row;
      EXPECT_EQ(c[i], surface ? 4.0 : 6.0) << "atom at " << X[i][0] << ", " << X[i][1];
    }

  MdSystemParams q;
  q.units            = UnitSystem::metal;
  q.lattice_style    = LatticeStyle::fcc;
  q.lattice_constant = 3.615;
  q.region_hi        = {4 * 3.615, 4 * 3.615, 4 * 3.615};
  q.periodic         = {true, true, false};
  q.mass             = 63.55;
  q.potential_style  = "eam";
  q.potential.file   = "/usr/share/lammps/potentials/Cu_u3.eam";
  q.skin             = 1.0;
  MdSystem cu(q, MPI_COMM_WORLD);
  cu.setup();
  const auto cc = cu.output_coordination();
  const auto Y  = cu.owned_reference_positions();
  for (std::size_t i = 0; i < cc.size(); ++i)
    {
      const bool surface = Y[i][2] < 1.0 || Y[i][2] > 3.5 * 3.615 - 1.0;
      EXPECT_EQ(cc[i], surface ? 8.0 : 12.0) << "atom at z = " << Y[i][2];
    }
}
