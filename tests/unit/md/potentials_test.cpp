// Potentials: forces equal -dE/dr by central differences, per-atom energies sum to the total, the
// registry, and the LJ fcc lattice energy against LAMMPS.
#include "base/error.h"
#include "config/deck.h"
#include "md/md_system.h"
#include "unit/md/md_testing.h"
#include "md/potential/harmonic.h"
#include "md/potential/lj_cut.h"
#include "md/potential/morse.h"
#include "md/fix/registry.h"
#include "md/potential/registry.h"
#include "support/tolerance.h"

#include <gtest/gtest.h>
#include <mpi.h>

#include <cmath>
#include <map>
#include <random>
#include <set>
#include <stdexcept>

using namespace seam;
using namespace seam::md;

namespace
{
  using seam::md::testing::lj_fcc;

  void displace_randomly(MdSystem &sys, double amplitude, unsigned seed)
  {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(-amplitude, amplitude);
    auto &x = sys.atoms().x();
    for (LocalIndex i = 0; i < sys.atoms().n_owned(); ++i)
      for (int d = 0; d < sys.domain().dimension(); ++d)
        x[i][d] += u(rng);
  }

  /// Compares the analytic force on a few atoms with the central difference of the total energy,
  /// -(E(x + h) - E(x - h)) / 2h. Error bound: truncation h^2 |E'''| / 6 plus round-off
  /// ~ eps |E_total| / h; with h = 1e-5 (relative to the unit length) and |E_total| ~ 1e3 both are
  /// ~1e-8 in absolute force, against forces of order 1-10: tolerance 1e-6 of the rms force.
  void expect_forces_match_energy(MdSystem &sys, double h)
  {
    ASSERT_EQ(sys.domain().n_ranks(), 1);
    sys.setup();
    const auto   f0  = std::vector<Vec3>(sys.atoms().f().begin(), sys.atoms().f().begin() + sys.n_owned());
    double       rms = 0;
    for (const auto &f : f0)
      rms += f[0] * f[0] + f[1] * f[1] + f[2] * f[2];
    rms = std::sqrt(rms / f0.size());
    ASSERT_GT(rms, 0.0);
    const int dim = sys.domain().dimension();
    for (LocalIndex i : {LocalIndex(0), LocalIndex(sys.n_owned() / 3), LocalIndex(sys.n_owned() - 1)})
      for (int d = 0; d < dim; ++d)
        {
          const double xi = sys.atoms().x()[i][d];
          sys.atoms().x()[i][d] = xi + h;
          sys.setup();
          const double ep = sys.potential_energy();
          sys.atoms().x()[i][d] = xi - h;
          sys.setup();
          const double em = sys.potential_energy();
          sys.atoms().x()[i][d] = xi;
          const double fd = -(ep - em) / (2 * h);
          expect_abs_near(f0[i][d], fd, 1e-6 * rms);
        }
    sys.setup();
  }

  /// Per-atom energies (after the reverse communication) sum to the total energy, to round-off.
  void expect_per_atom_sum(MdSystem &sys)
  {
    sys.setup();
    double s = 0;
    for (LocalIndex i = 0; i < sys.n_owned(); ++i)
      s += sys.atoms().energy()[i];
    double total = 0;
    MPI_Allreduce(&s, &total, 1, MPI_DOUBLE, MPI_SUM, sys.domain().comm());
    expect_rel_near(total, sys.potential_energy(), 1e-13);
  }
} // namespace

TEST(Potentials, LjFccEnergyMatchesLammps)
{
  // LAMMPS 6x6x6 fcc at rho* = 0.8442, lj/cut 2.5, run 0: PotEng -6.7733680532536 (printed with
  // %.14g). The sums differ only in order: round-off ~ 1e-14 relative.
  MdSystem sys(lj_fcc(6, 0.8442), MPI_COMM_SELF);
  EXPECT_EQ(sys.n_atoms(), 864);
  sys.setup();
  expect_rel_near(sys.potential_energy() / sys.n_atoms(), -6.7733680532536, 1e-12);
  // A perfect lattice has zero force on every atom (symmetry), to round-off of the pair forces.
  for (LocalIndex i = 0; i < sys.n_owned(); ++i)
    for (int d = 0; d < 3; ++d)
      expect_abs_near(sys.atoms().f()[i][d], 0.0, 1e-12);
}

TEST(Potentials, LjForcesAreMinusEnergyGradient)
{
  MdSystem sys(lj_fcc(3, 0.8442), MPI_COMM_SELF);
  displace_randomly(sys, 0.08, 1);
  expect_forces_match_energy(sys, 1e-5);
  expect_per_atom_sum(sys);
}

TEST(Potentials, MorseForcesAreMinusEnergyGradient)
{
  MdSystemParams p   = lj_fcc(3, 0.8442);
  const double   rnn = p.lattice_constant / std::sqrt(2.0);
  p.potential_style  = "morse";
  p.potential.values = {{"d0", 0.7}, {"alpha", 1.6}, {"r0", rnn}, {"cutoff", 2.2}};
  MdSystem sys(p, MPI_COMM_SELF);
  displace_randomly(sys, 0.08, 2);
  expect_forces_match_energy(sys, 1e-5);
  expect_per_atom_sum(sys);
}

TEST(Potentials, HarmonicForcesAreMinusEnergyGradient)
{
  MdSystemParams p   = lj_fcc(3, 0.8442);
  const double   rnn = p.lattice_constant / std::sqrt(2.0);
  p.potential_style  = "harmonic";
  p.potential.values = {{"k", 3.0}, {"r0", 0.97 * rnn}};
  MdSystem sys(p, MPI_COMM_SELF);
  displace_randomly(sys, 0.08, 3);
  expect_forces_match_energy(sys, 1e-5);
  expect_per_atom_sum(sys);
  // Exactly 6 bonds per atom (12 nearest neighbours, each bond shared): the energy of a uniform
  // stretch of all bonds from r0 to rnn is N * 6 * k/2 (rnn - r0)^2.
  MdSystem perfect(p, MPI_COMM_SELF);
  perfect.setup();
  const double dr = rnn - 0.97 * rnn;
  expect_rel_near(perfect.potential_energy(), perfect.n_atoms() * 6 * 1.5 * dr * dr, 1e-12);
}

TEST(Potentials, HarmonicChainMatchesAnalyticForces)
{
  // Periodic chain of N atoms, spacing a, displacement u_n = A sin(q n a) with q = 2 pi m / (N a):
  // F_n = k (u_{n+1} + u_{n-1} - 2 u_n) = -4 k sin^2(q a / 2) u_n exactly (linear springs, r0 = a).
  const int    N = 24, m = 3;
  const double a = 1.3, k = 2.0, A = 0.01;
  MdSystemParams p;
  p.dimension        = 1;
  p.lattice_style    = LatticeStyle::chain;
  p.lattice_constant = a;
  p.region_lo        = {0, 0, 0};
  p.region_hi        = {N * a, 0, 0};
  p.periodic         = {true, false, false};
  p.potential_style  = "harmonic";
  p.potential.values = {{"k", k}, {"r0", a}};
  MdSystem sys(p, MPI_COMM_SELF);
  ASSERT_EQ(sys.n_atoms(), N);
  const double q = 2 * M_PI * m / (N * a);
  for (LocalIndex i = 0; i < sys.n_owned(); ++i)
    sys.atoms().x()[i][0] += A * std::sin(q * sys.atoms().x0()[i][0]);
  sys.setup();
  const double s = std::sin(q * a / 2);
  for (LocalIndex i = 0; i < sys.n_owned(); ++i)
    {
      const double u = sys.atoms().x()[i][0] - sys.atoms().x0()[i][0];
      expect_abs_near(sys.atoms().f()[i][0], -4 * k * s * s * u, 1e-13);
      EXPECT_EQ(sys.atoms().f()[i][1], 0.0);
      EXPECT_EQ(sys.atoms().f()[i][2], 0.0);
    }
}

TEST(Potentials, HarmonicThrowsWhenABondLeavesTheCutoff)
{
  MdSystemParams p;
  p.dimension        = 1;
  p.lattice_style    = LatticeStyle::chain;
  p.lattice_constant = 1.0;
  p.region_lo        = {0, 0, 0};
  p.region_hi        = {8, 0, 0};
  p.potential_style  = "harmonic";
  p.potential.values = {{"k", 1.0}, {"r0", 1.0}, {"cutoff", 1.4}};
  p.skin             = 0.5;
  MdSystem sys(p, MPI_COMM_SELF);
  sys.atoms().x()[3][0] += 0.45; // one bond to 1.45 > 1.4, still within cutoff + skin
  try
    {
      sys.setup();
      ADD_FAILURE() << "no error for a bond beyond the cutoff";
    }
  catch (const RuntimeError &e)
    {
      // The message names the bond length and suggests only fixes a deck can express: the harmonic style
      // declares no `cutoff` key, so it must not suggest md.potential.cutoff.
      const std::string what = e.what();
      EXPECT_NE(what.find("1.45"), std::string::npos) << what;
      EXPECT_EQ(what.find("md.potential.cutoff"), std::string::npos) << what;
      EXPECT_NE(what.find("md.potential.style"), std::string::npos) << what;
      for (const auto &key : Harmonic::keys())
        EXPECT_NE(key.name, "cutoff") << "harmonic now declares a cutoff key: let the message suggest it";
    }
}

TEST(Potentials, PairEnergiesHaveTheirDocumentedForm)
{
  LjCut lj({1.5, 1.1, 3.0});
  expect_rel_near(lj.pair_energy(std::pow(2.0, 1.0 / 6.0) * 1.1), -1.5, 1e-14);
  expect_abs_near(lj.pair_energy(1.1), 0.0, 1e-14);
  EXPECT_EQ(lj.pair_energy(3.0), 0.0);
  Morse morse({0.5, 2.0, 1.2, 4.0});
  expect_rel_near(morse.pair_energy(1.2), -0.5, 1e-15);
  expect_rel_near(morse.pair_energy(1.7), 0.5 * (std::exp(-2.0) - 2 * std::exp(-1.0)), 1e-14);
}

TEST(Potentials, RegistryCreatesByNameAndRejectsUnknown)
{
  PotentialParams lj{{{"epsilon", 1.0}, {"sigma", 1.0}, {"cutoff", 2.5}}, "", ""};
  EXPECT_EQ(create_potential("lj_cut", lj)->style(), "lj_cut");
  EXPECT_EQ(create_potential("lj_cut", lj)->cutoff(), 2.5);
  EXPECT_EQ(create_potential("harmonic", PotentialParams{{{"k", 1.0}, {"r0", 2.0}}, "", ""})->cutoff(), 3.0);
  try
    {
      create_potential("lj_cutt", lj);
      FAIL() << "expected std::invalid_argument";
    }
  catch (const std::invalid_argument &e)
    {
      const std::string msg = e.what();
      EXPECT_NE(msg.find("lj_cutt"), std::string::npos);
      EXPECT_NE(msg.find("lj_cut, morse, harmonic"), std::string::npos);
    }
  EXPECT_THROW(create_potential("morse", lj), std::invalid_argument); // wrong keys
  EXPECT_THROW(create_potential("lj_cut", PotentialParams{{{"epsilon", 1.0}}, "", ""}), std::invalid_argument);
  EXPECT_THROW(create_potential("lj_cut", PotentialParams{{{"epsilon", -1.0}, {"sigma", 1.0}, {"cutoff", 2.5}}, "", ""}),
               std::invalid_argument);
}

TEST(Potentials, EveryStyleDeclaresDocumentedKeysOnce)
{
  EXPECT_EQ(known_potential_styles(), (std::vector<std::string>{"lj_cut", "morse", "harmonic", "eam", "eam_alloy"}));
  for (const auto &style : potential_styles())
    {
      SCOPED_TRACE(style.name);
      ASSERT_NE(style.keys, nullptr);
      ASSERT_NE(style.create, nullptr);
      std::set<std::string> names;
      for (const auto &k : style.keys())
        {
          EXPECT_TRUE(names.insert(k.name).second) << k.name << " declared twice";
          EXPECT_FALSE(k.doc.empty()) << k.name << " has no doc";
          EXPECT_FALSE(k.required && k.has_default()) << k.name << " is required and has a default";
          EXPECT_TRUE(!k.allow_auto || style.auto_value != nullptr) << k.name << " accepts auto, but nothing resolves it";
          EXPECT_TRUE(k.type == config::ValueType::real || k.name == "file" || k.name == "element")
            << k.name << " has no place in PotentialParams";
        }
    }
}

TEST(Potentials, DeckParametersAreTheKeysTheStyleDeclares)
{
  register_potential_keys();
  register_fix_keys();
  // coupling (above md) owns these choices; seam's main registers them with coupling::register_coupling_keys().
  static const bool coupling_registered = [] {
    seam::config::register_choices("coupling.damping.style", {{"none", ""}, {"fine_scale", ""}});
    seam::config::register_choices("coupling.constrain_every", {{"md_step", ""}, {"fe_step", ""}});
    return true;
  }();
  ASSERT_TRUE(coupling_registered);
  const std::string text = R"(units: lj
dimension: 1
md:
  lattice: {style: chain, constant: 1.1}
  region: {lo: [0], hi: [10]}
  mass: 1
  potential: {style: harmonic, k: 2}
run: {steps: 1}
)";
  const config::Deck d = config::Deck::from_text(text, "deck.yaml");
  const Lattice      lattice(LatticeStyle::chain, 1.1, {{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}}, 1);
  // r0 defaults to auto: the lattice's nearest-neighbour distance.
  EXPECT_EQ(potential_params(d, lattice).values,
            (std::map<std::string, double>{{"k", 2.0}, {"r0", lattice.nearest_neighbor_distance()}}));
  const config::Deck lj = config::Deck::from_text(text, "deck.yaml",
                                                  {"md.potential={style: lj_cut, epsilon: 1, sigma: 1, cutoff: 2.5}"});
  EXPECT_EQ(potential_params(lj, lattice).values,
            (std::map<std::string, double>{{"epsilon", 1.0}, {"sigma", 1.0}, {"cutoff", 2.5}}));
}
