// Crack-tip displacement field (Sih, Paris & Irwin 1965).
#include "base/crack_tip_field.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace seam
{
  namespace
  {
    /// Inverse of an n x n matrix (row-major) by Gauss-Jordan elimination with partial pivoting.
    std::vector<double> invert(std::vector<double> m, int n)
    {
      std::vector<double> inv(n * n, 0.0);
      for (int i = 0; i < n; ++i)
        inv[i * n + i] = 1.0;
      double scale = 0;
      for (double v : m)
        scale = std::max(scale, std::abs(v));
      for (int c = 0; c < n; ++c)
        {
          int piv = c;
          for (int r = c + 1; r < n; ++r)
            if (std::abs(m[r * n + c]) > std::abs(m[piv * n + c]))
              piv = r;
          if (!(std::abs(m[piv * n + c]) > 1e-12 * scale))
            throw std::invalid_argument("crack-tip field: the stiffness is singular");
          for (int k = 0; k < n; ++k)
            {
              std::swap(m[c * n + k], m[piv * n + k]);
              std::swap(inv[c * n + k], inv[piv * n + k]);
            }
          const double d = m[c * n + c];
          for (int k = 0; k < n; ++k)
            {
              m[c * n + k] /= d;
              inv[c * n + k] /= d;
            }
          for (int r = 0; r < n; ++r)
            if (r != c)
              {
                const double f = m[r * n + c];
                for (int k = 0; k < n; ++k)
                  {
                    m[r * n + k] -= f * m[c * n + k];
                    inv[r * n + k] -= f * inv[c * n + k];
                  }
              }
        }
      return inv;
    }

    /// The four roots of c4 z^4 + c3 z^3 + c2 z^2 + c1 z + c0 (Durand-Kerner / Weierstrass iteration).
    std::array<std::complex<double>, 4> quartic_roots(double c4, double c3, double c2, double c1, double c0)
    {
      using C                       = std::complex<double>;
      const std::array<double, 4> a = {c3 / c4, c2 / c4, c1 / c4, c0 / c4};
      auto p = [&](C z) { return (((z + a[0]) * z + a[1]) * z + a[2]) * z + a[3]; };
      std::array<C, 4> z;
      const C          seed(0.4, 0.9);
      z[0] = 1.0;
      for (int k = 1; k < 4; ++k)
        z[k] = z[k - 1] * seed;
      for (int it = 0; it < 5000; ++it)
        {
          double change = 0;
          for (int k = 0; k < 4; ++k)
            {
              C den = 1.0;
              for (int j = 0; j < 4; ++j)
                if (j != k)
                  den *= z[k] - z[j];
              const C step = p(z[k]) / den;
              z[k] -= step;
              change = std::max(change, std::abs(step));
            }
          if (change < 1e-15)
            break;
        }
      return z;
    }
  } // namespace

  CrackTipField::CrackTipField(const std::array<double, 36> &voigt, int dimension)
  {
    // In-plane reduced compliances a_ij, i, j in {xx, yy, xy} (Voigt 0, 1, 5).
    const int idx[3] = {0, 1, 5};
    double    a[3][3];
    if (dimension == 2)
      {
        std::vector<double> c(9);
        for (int i = 0; i < 3; ++i)
          for (int j = 0; j < 3; ++j)
            c[i * 3 + j] = voigt[idx[i] * 6 + idx[j]];
        const std::vector<double> s = invert(c, 3);
        for (int i = 0; i < 3; ++i)
          for (int j = 0; j < 3; ++j)
            a[i][j] = s[i * 3 + j];
      }
    else if (dimension == 3)
      {
        const std::vector<double> s = invert(std::vector<double>(voigt.begin(), voigt.end()), 6);
        for (int i = 0; i < 3; ++i)
          for (int j = 0; j < 3; ++j)
            a[i][j] = s[idx[i] * 6 + idx[j]] - s[idx[i] * 6 + 2] * s[idx[j] * 6 + 2] / s[2 * 6 + 2];
      }
    else
      throw std::invalid_argument("crack-tip field: needs dimension 2 or 3");
    const double a11 = a[0][0], a12 = a[0][1], a16 = a[0][2], a22 = a[1][1], a26 = a[1][2], a66 = a[2][2];
    if (!(a11 > 0 && a22 > 0 && a66 > 0))
      throw std::invalid_argument("crack-tip field: the in-plane stiffness is not positive definite");
    auto z = quartic_roots(a11, -2 * a16, 2 * a12 + a66, -2 * a26, a22);
    std::sort(z.begin(), z.end(), [](const auto &l, const auto &r) { return l.imag() > r.imag(); });
    mu_ = {z[0], z[1]};
    if (!(mu_[1].imag() > 0))
      throw std::invalid_argument("crack-tip field: the characteristic roots are not complex (not elliptic)");
    const double gap = std::abs(mu_[0] - mu_[1]);
    if (gap < 1e-3 * std::abs(mu_[0]))
      {
        // Coincident roots (in-plane isotropy): split them symmetrically about their mean.
        const std::complex<double> m = 0.5 * (mu_[0] + mu_[1]);
        const double               d = 1e-4 * std::abs(m);
        mu_                          = {m + d, m - d};
      }
    for (int k = 0; k < 2; ++k)
      {
        const std::complex<double> u = mu_[k];
        p_[k]                        = a11 * u * u + a12 - a16 * u;
        q_[k]                        = a12 * u + a22 / u - a26;
      }
  }

  std::array<double, 2> CrackTipField::unit_displacement(int mode, double dx, double dy) const
  {
    const double r = std::sqrt(dx * dx + dy * dy);
    if (r == 0.0)
      return {0.0, 0.0};
    const double               th = std::atan2(dy, dx);
    const double               c = std::cos(th), s = std::sin(th);
    const std::complex<double> s1 = std::sqrt(c + mu_[0] * s), s2 = std::sqrt(c + mu_[1] * s);
    const std::complex<double> inv = 1.0 / (mu_[0] - mu_[1]);
    const double               f   = std::sqrt(2.0 * r / M_PI);
    if (mode == 1)
      return {f * std::real(inv * (mu_[0] * p_[1] * s2 - mu_[1] * p_[0] * s1)),
              f * std::real(inv * (mu_[0] * q_[1] * s2 - mu_[1] * q_[0] * s1))};
    if (mode == 2)
      return {f * std::real(inv * (p_[1] * s2 - p_[0] * s1)), f * std::real(inv * (q_[1] * s2 - q_[0] * s1))};
    throw std::invalid_argument("crack-tip field: mode must be 1 (I) or 2 (II)");
  }
} // namespace seam
