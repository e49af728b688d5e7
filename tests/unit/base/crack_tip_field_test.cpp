// The anisotropic crack-tip field (Sih, Paris & Irwin 1965): equals the isotropic closed form where the
// solid is isotropic (2D hex-lattice constants, and a 3D isotropic solid in plane strain), and for a
// strongly anisotropic cubic crystal is an equilibrium field with the K normalisation ahead of the tip
// (sigma_yy = K / sqrt(2 pi r) for mode I, sigma_xy for mode II) and traction-free crack faces.
#include "base/crack_tip_field.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace seam;

namespace
{
  std::array<double, 36> isotropic(double lambda, double mu)
  {
    std::array<double, 36> c{};
    for (int i = 0; i < 3; ++i)
      {
        for (int j = 0; j < 3; ++j)
          c[i * 6 + j] = lambda;
        c[i * 6 + i] = lambda + 2 * mu;
        c[(i + 3) * 6 + i + 3] = mu;
      }
    return c;
  }

  /// Anderson, Fracture Mechanics, Table 2.2: u for modes I and II, K = 1.
  std::array<double, 2> closed_form(int mode, double mu, double kappa, double r, double th)
  {
    const double f = std::sqrt(r / (2 * M_PI)) / (2 * mu), c = std::cos(th / 2), s = std::sin(th / 2);
    if (mode == 1)
      return {f * c * (kappa - 1 + 2 * s * s), f * s * (kappa + 1 - 2 * c * c)};
    return {f * s * (kappa + 1 + 2 * c * c), -f * c * (kappa - 1 - 2 * s * s)};
  }

  void expect_closed_form(const CrackTipField &field, double mu, double kappa)
  {
    for (int mode : {1, 2})
      for (double r : {0.5, 3.0, 40.0})
        for (double th = -3.1; th < 3.11; th += 0.31)
          {
            const auto u = field.unit_displacement(mode, r * std::cos(th), r * std::sin(th));
            const auto e = closed_form(mode, mu, kappa, r, th);
            const double scale = std::sqrt(r) / mu;
            EXPECT_NEAR(u[0], e[0], 1e-6 * scale) << "mode " << mode << " r " << r << " theta " << th;
            EXPECT_NEAR(u[1], e[1], 1e-6 * scale) << "mode " << mode << " r " << r << " theta " << th;
          }
  }

  /// In-plane stress (xx, yy, xy) at (x, y) from central differences of the field (plane strain).
  std::array<double, 3> stress(const CrackTipField &field, const std::array<double, 36> &c, int mode, double x,
                               double y)
  {
    const double h  = 1e-5;
    const auto   xp = field.unit_displacement(mode, x + h, y), xm = field.unit_displacement(mode, x - h, y);
    const auto   yp = field.unit_displacement(mode, x, y + h), ym = field.unit_displacement(mode, x, y - h);
    const double exx = (xp[0] - xm[0]) / (2 * h), eyy = (yp[1] - ym[1]) / (2 * h);
    const double gxy = (yp[0] - ym[0]) / (2 * h) + (xp[1] - xm[1]) / (2 * h);
    const int    idx[3] = {0, 1, 5};
    const double e[3]   = {exx, eyy, gxy};
    std::array<double, 3> s{};
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j)
        s[i] += c[idx[i] * 6 + idx[j]] * e[j];
    return s;
  }
} // namespace

TEST(CrackTipField, HexLatticeConstantsGiveTheIsotropicClosedForm)
{
  // 2D hex LJ (cutoff 2.5): C11 = 83.50, C12 = C66 = 27.83: lambda = mu = 27.83, kappa = (lambda + 3 mu) /
  // (lambda + mu) = 2 (the 2D solid's own plane problem).
  const double lambda = 27.833157, mu = 27.833157;
  const CrackTipField field(isotropic(lambda, mu), 2);
  expect_closed_form(field, mu, (lambda + 3 * mu) / (lambda + mu));
}

TEST(CrackTipField, IsotropicSolidInPlaneStrain)
{
  const double lambda = 60, mu = 25, nu = lambda / (2 * (lambda + mu));
  const CrackTipField field(isotropic(lambda, mu), 3);
  expect_closed_form(field, mu, 3 - 4 * nu);
}

TEST(CrackTipField, AnisotropicCubicCrystalIsAnEquilibriumFieldWithTheRightK)
{
  // Cu-like cubic constants, rotated 30 degrees about z (a16, a26 != 0): strongly anisotropic (A = 3.2).
  const double c11 = 170, c12 = 123, c44 = 75, phi = M_PI / 6;
  double       C[3][3][3][3] = {};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 3; ++k)
        for (int l = 0; l < 3; ++l)
          C[i][j][k][l] = c12 * (i == j) * (k == l) + c44 * ((i == k) * (j == l) + (i == l) * (j == k)) +
                          (c11 - c12 - 2 * c44) * (i == j && j == k && k == l);
  const double R[3][3] = {{std::cos(phi), -std::sin(phi), 0}, {std::sin(phi), std::cos(phi), 0}, {0, 0, 1}};
  const int    pairs[6][2] = {{0, 0}, {1, 1}, {2, 2}, {1, 2}, {0, 2}, {0, 1}};
  std::array<double, 36> c{};
  for (int I = 0; I < 6; ++I)
    for (int J = 0; J < 6; ++J)
      {
        double v = 0;
        for (int p = 0; p < 3; ++p)
          for (int q = 0; q < 3; ++q)
            for (int r = 0; r < 3; ++r)
              for (int s = 0; s < 3; ++s)
                v += R[pairs[I][0]][p] * R[pairs[I][1]][q] * R[pairs[J][0]][r] * R[pairs[J][1]][s] * C[p][q][r][s];
        c[I * 6 + J] = v;
      }
  ASSERT_GT(std::abs(c[0 * 6 + 5]), 1.0); // the rotation couples normal and shear
  const CrackTipField field(c, 3);
  EXPECT_GT(std::abs(field.roots()[0] - field.roots()[1]), 0.1);
  for (int mode : {1, 2})
    {
      // Ahead of the tip: sigma_yy (mode I) or sigma_xy (mode II) = 1 / sqrt(2 pi r).
      for (double r : {0.3, 2.0, 10.0})
        {
          const auto s = stress(field, c, mode, r, 0.0);
          const double k = 1 / std::sqrt(2 * M_PI * r);
          EXPECT_NEAR(mode == 1 ? s[1] : s[2], k, 1e-5 * k) << "mode " << mode << " r " << r;
        }
      // Equilibrium: d sigma_xx/dx + d sigma_xy/dy = 0 = d sigma_xy/dx + d sigma_yy/dy, by differences.
      for (double th = -2.9; th < 2.95; th += 0.58)
        {
          const double x = 2 * std::cos(th), y = 2 * std::sin(th), h = 1e-3;
          const auto   sxp = stress(field, c, mode, x + h, y), sxm = stress(field, c, mode, x - h, y);
          const auto   syp = stress(field, c, mode, x, y + h), sym = stress(field, c, mode, x, y - h);
          const double fx  = (sxp[0] - sxm[0] + syp[2] - sym[2]) / (2 * h);
          const double fy  = (sxp[2] - sxm[2] + syp[1] - sym[1]) / (2 * h);
          const double scale = 1 / std::sqrt(2 * M_PI * 2) / 2; // |sigma| / r
          EXPECT_NEAR(fx, 0, 1e-3 * scale) << "mode " << mode << " theta " << th;
          EXPECT_NEAR(fy, 0, 1e-3 * scale) << "mode " << mode << " theta " << th;
        }
      // Crack faces (theta -> +-pi): sigma_yy and sigma_xy vanish (linearly in the distance to the face).
      for (double side : {-1.0, 1.0})
        {
          const double th = side * (M_PI - 1e-3);
          const auto   s  = stress(field, c, mode, std::cos(th), std::sin(th));
          EXPECT_NEAR(s[1], 0, 0.02 / std::sqrt(2 * M_PI)) << "mode " << mode;
          EXPECT_NEAR(s[2], 0, 0.02 / std::sqrt(2 * M_PI)) << "mode " << mode;
        }
    }
}
