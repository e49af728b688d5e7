// The Cauchy-Born continuum material as the app builds it from a deck (app::make_material): plane-wave
// speeds from the prestressed tangent A = C + delta S0, in the FE module's consistent units. The one
// deal.II test next to the MD tests, because it checks the MD side's constants arriving in fe::Material.
#include "app/material_factory.h"
#include "app/md_run.h"
#include "base/error.h"
#include "base/log.h"
#include "base/units.h"
#include "md/cauchy_born.h"
#include "coupling/coupling_scheme.h"
#include "md/fix/registry.h"
#include "md/potential/registry.h"
#include "support/potential_files.h"
#include "support/tolerance.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>

using namespace seam;

namespace
{
  /// A coupled deck whose md section is `md` (YAML flow mappings for lattice and potential).
  config::Deck coupled_deck(const std::string &units, int dim, const std::string &lattice, const std::string &potential,
                            double mass)
  {
    const std::string v = dim == 3 ? "[-20, -20, -20]" : dim == 2 ? "[-20, -20]" : "[-20]";
    const std::string w = dim == 3 ? "[20, 20, 20]" : dim == 2 ? "[20, 20]" : "[20]";
    const std::string fv = dim == 3 ? "[-60, -60, -60]" : dim == 2 ? "[-60, -60]" : "[-60]";
    const std::string fw = dim == 3 ? "[60, 60, 60]" : dim == 2 ? "[60, 60]" : "[60]";
    const std::string zero = dim == 3 ? "[\"0\", \"0\", \"0\"]" : dim == 2 ? "[\"0\", \"0\"]" : "[\"0\"]";
    const std::string text = "units: " + units + "\ndimension: " + std::to_string(dim) +
                             "\nparallel: {md_ranks: 1}\nmd:\n  lattice: " + lattice + "\n  region: {lo: " + v +
                             ", hi: " + w + "}\n  mass: " + std::to_string(mass) + "\n  potential: " + potential +
                             "\nfe:\n  domain: {lo: " + fv + ", hi: " + fw +
                             "}\n  element_size: {near: 5, far: 10}\n  material: {style: cauchy_born}\n"
                             "coupling:\n  handshake: {width: 5}\ninitial:\n  displacement: " + zero +
                             "\nrun: {steps: 10}\n";
    md::register_potential_keys(); // as seam's main does before reading a deck
    md::register_fix_keys();
    coupling::register_coupling_keys();
    return config::Deck::from_text(text, "deck.yaml");
  }

  /// The constants the factory should have used: the same lattice and potential through md_params().
  md::CauchyBorn constants_of(const config::Deck &d)
  {
    const md::MdSystemParams p   = app::md_params(d);
    const auto               pot = md::create_potential(p.potential_style, p.potential);
    return md::CauchyBorn(md::Lattice(p.lattice_style, p.lattice_constant, p.orientation, p.dimension), *pot, p.mass);
  }

  const std::string cu_u3 = "/usr/share/lammps/potentials/Cu_u3.eam";
} // namespace

TEST(CauchyBornMaterial, LjFccSpeedsAlong100IncludeTheInitialStress)
{
  // in.lj lattice: stretched beyond the LJ equilibrium, so S0 is a large tension (S0_11 ~ 6.2 vs C44).
  const double a = std::cbrt(4.0 / 0.8442);
  const auto   d = coupled_deck("lj", 3, "{style: fcc, constant: " + std::to_string(a) + "}",
                                "{style: lj_cut, epsilon: 1, sigma: 1, cutoff: 2.5}", 1.0);
  const auto   m  = app::make_material<3>(d);
  const auto   cb = constants_of(d);
  const double rho = cb.density() * unit_constants(UnitSystem::lj).mvv2e;
  expect_rel_near(m.density(), rho, 1e-15);
  dealii::Tensor<1, 3> x;
  x[0] = 1;
  // [100] of a cubic crystal: the longitudinal wave (polarised along x, speed^2 A_1111 / rho) and two
  // degenerate shear waves (A_1212 / rho). In this stretched lattice C11 < C44, so the longitudinal wave
  // is the SLOWER one here and Material::longitudinal_speed (the largest speed) is the shear speed.
  const double c_l = std::sqrt(cb.tangent(0, 0, 0, 0) / rho), c_t = std::sqrt(cb.tangent(1, 0, 1, 0) / rho);
  expect_rel_near(m.christoffel(x)[0][0], c_l * c_l, 1e-14);
  expect_rel_near(m.christoffel(x)[1][1], c_t * c_t, 1e-14);
  expect_abs_near(m.christoffel(x)[0][1], 0.0, 1e-15 * c_l * c_l);
  const auto v = m.wave_speeds(x);
  // deal.II's closed-form 3x3 eigenvalues lose about sqrt(eps) ~ 1e-8 on a degenerate pair.
  expect_rel_near(v[0], std::min(c_l, c_t), 1e-7);
  expect_rel_near(v[2], std::max(c_l, c_t), 1e-7);
  expect_rel_near(v[1], c_t, 1e-7);
  // The S0 term matters here (so the test above discriminates): C alone would be > 10 % off.
  EXPECT_GT(std::abs(std::sqrt(cb.stiffness(0, 0, 0, 0) / rho) / c_l - 1.0), 0.1);
  EXPECT_GT(std::abs(std::sqrt(cb.stiffness(1, 0, 1, 0) / rho) / c_t - 1.0), 0.1);
  // Impedance along x: rho c_L on the longitudinal axis.
  expect_rel_near(m.impedance(x)[0][0], rho * c_l, 1e-7);
  const auto vo = cb.voigt();
  std::printf("  LJ fcc (in.lj): C11 %.8g C12 %.8g C44 %.8g, S0_11 %.8g; c_L[100] %.8g, c_T[100] %.8g, max %.8g\n",
              vo[0][0], vo[0][1], vo[3][3], cb.stress(0, 0), c_l, c_t, m.max_wave_speed());
}
TEST(CauchyBornMaterial, CuEamLongitudinalSpeedAlong100)
{
  ASSERT_TRUE(seam::testing::potential_file_readable(cu_u3));
  const auto d = coupled_deck("metal", 3, "{style: fcc, constant: 3.615}", "{style: eam, file: " + cu_u3 + "}", 63.55);
  const Log  log(MPI_COMM_SELF, "fe"); // the factory's info lines (constants, speeds) go to stdout
  const auto m  = app::make_material<3>(d, &log);
  const auto cb = constants_of(d);
  const double rho = cb.density() * unit_constants(UnitSystem::metal).mvv2e;
  dealii::Tensor<1, 3> x;
  x[0] = 1;
  expect_rel_near(m.longitudinal_speed(x), std::sqrt(cb.tangent(0, 0, 0, 0) / rho), 1e-13);
  // sqrt(C11 / rho) with the fit's target C11 = 1.70 Mbar and rho = 8.935 g/cm^3 (a = 3.615 Å):
  // 4362 m/s = 43.6 Å/ps. The fit reproduces C11 to 1.6 %, i.e. the speed to 0.8 %: band 2 %.
  expect_rel_near(m.longitudinal_speed(x), 43.6, 0.02);
  std::printf("  Cu_u3: c_L[100] %.6g A/ps, c_T[100] %.6g A/ps, max %.6g A/ps\n", m.longitudinal_speed(x),
              m.transverse_speed(x), m.max_wave_speed());
}

TEST(CauchyBornMaterial, RotatedLatticeKeepsTheSpeedsOfTheCrystalDirection)
{
  // With x along [1 -1 0], the [100] speed of the lab equals the [1 -1 0] speed of the unrotated crystal.
  const std::string pot = "{style: morse, d0: 0.3429, alpha: 1.3588, r0: 2.866, cutoff: 6.0}";
  const auto        rot = app::make_material<3>(coupled_deck(
    "metal", 3, "{style: fcc, constant: 3.615, orientation: [[1, -1, 0], [1, 1, -2], [1, 1, 1]]}", pot, 63.55));
  const auto        ref = app::make_material<3>(coupled_deck("metal", 3, "{style: fcc, constant: 3.615}", pot, 63.55));
  dealii::Tensor<1, 3> x, n;
  x[0] = 1;
  n[0] = 1;
  n[1] = -1;
  const auto a = rot.wave_speeds(x), b = ref.wave_speeds(n);
  for (int k = 0; k < 3; ++k)
    expect_rel_near(a[k], b[k], 1e-12);
  expect_rel_near(rot.max_wave_speed(), ref.max_wave_speed(), 1e-9);
}

TEST(CauchyBornMaterial, HexAndChainInLowerDimensions)
{
  const std::string pot = "{style: lj_cut, epsilon: 1, sigma: 1, cutoff: 2.5}";
  {
    const auto d  = coupled_deck("lj", 2, "{style: hex, constant: 1.1}", pot, 1.0);
    const Log  log(MPI_COMM_SELF, "fe");
    const auto m  = app::make_material<2>(d, &log);
    const auto cb = constants_of(d);
    dealii::Tensor<1, 2> x;
    x[0] = 1;
    // The triangular lattice is elastically isotropic in the plane: the speeds do not depend on n.
    expect_rel_near(m.longitudinal_speed(x), std::sqrt(cb.tangent(0, 0, 0, 0) / cb.density()), 1e-13);
    dealii::Tensor<1, 2> n;
    n[0] = std::cos(0.3);
    n[1] = std::sin(0.3);
    expect_rel_near(m.longitudinal_speed(n), m.longitudinal_speed(x), 1e-12);
    expect_rel_near(m.transverse_speed(n), m.transverse_speed(x), 1e-12);
  }
  {
    const auto d  = coupled_deck("lj", 1, "{style: chain, constant: 1.1}", pot, 1.0);
    const Log  log(MPI_COMM_SELF, "fe");
    const auto m  = app::make_material<1>(d, &log);
    const auto cb = constants_of(d);
    dealii::Tensor<1, 1> x;
    x[0] = 1;
    expect_rel_near(m.longitudinal_speed(x), std::sqrt(cb.tangent(0, 0, 0, 0) / cb.density()), 1e-13);
    expect_rel_near(m.max_wave_speed(), m.longitudinal_speed(x), 1e-15);
  }
}

TEST(CauchyBornMaterial, UnstableLatticeIsAnInputErrorAtTheMaterialKey)
{
  // A chain stretched past the inflection point of LJ (r = 1.244 sigma): A_1111 = sum phi'' r^2 < 0.
  const auto d = coupled_deck("lj", 1, "{style: chain, constant: 1.4}", "{style: lj_cut, epsilon: 1, sigma: 1, cutoff: 2.5}",
                              1.0);
  try
    {
      app::make_material<1>(d);
      FAIL() << "expected an InputError";
    }
  catch (const InputError &e)
    {
      const std::string msg = e.what();
      EXPECT_NE(msg.find("fe.material.style"), std::string::npos) << msg;
      EXPECT_NE(msg.find("not strongly elliptic"), std::string::npos) << msg;
    }
}

TEST(CauchyBornMaterial, GeneralMaterialAddsTheInitialStressToTheChristoffelTensor)
{
  // Isotropic C (lambda, mu) with a hydrostatic S0 = s I: Gamma(n) = ((lambda + mu) n n + (mu + s) I
  // + ...) / rho, so c_L^2 = (lambda + 2 mu + s) / rho and c_T^2 = (mu + s) / rho exactly.
  const double lambda = 2.0, mu = 1.5, rho = 3.0, s = -0.4;
  dealii::SymmetricTensor<4, 3> c;
  dealii::SymmetricTensor<2, 3> s0;
  for (unsigned i = 0; i < 3; ++i)
    {
      s0[i][i] = s;
      for (unsigned j = 0; j < 3; ++j)
        for (unsigned k = 0; k < 3; ++k)
          for (unsigned l = 0; l < 3; ++l)
            c[i][j][k][l] = lambda * (i == j) * (k == l) + mu * ((i == k) * (j == l) + (i == l) * (j == k));
    }
  const auto           m = fe::Material<3>::general(c, rho, s0);
  dealii::Tensor<1, 3> n;
  n[0] = 1;
  n[1] = 2;
  n[2] = -0.5;
  expect_rel_near(m.longitudinal_speed(n), std::sqrt((lambda + 2 * mu + s) / rho), 1e-14);
  // Degenerate shear pair: deal.II's closed-form eigenvalues are good to about sqrt(eps) there.
  expect_rel_near(m.transverse_speed(n), std::sqrt((mu + s) / rho), 1e-7);
  expect_rel_near(m.max_wave_speed(), std::sqrt((lambda + 2 * mu + s) / rho), 1e-12);
  // A compression that exceeds the shear modulus leaves no real shear speed: rejected.
  EXPECT_THROW(fe::Material<3>::general(c, rho, -2.0 * mu * dealii::unit_symmetric_tensor<3>()), InputError);
}
