// Elasticity tensors (isotropic, rotated cubic, general) and plane-wave speeds from the Christoffel
// equation.
#include "fe/material.h"

#include "base/error.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace seam::fe
{
  namespace
  {
    using dealii::SymmetricTensor;

    SymmetricTensor<4, 3> cubic_3d(double c11, double c12, double c44)
    {
      SymmetricTensor<4, 3> c;
      for (unsigned i = 0; i < 3; ++i)
        for (unsigned j = 0; j < 3; ++j)
          {
            if (i == j)
              c[i][i][i][i] = c11;
            else
              {
                c[i][i][j][j] = c12;
                c[i][j][i][j] = c44; // also sets [i][j][j][i], [j][i][i][j], [j][i][j][i]
              }
          }
      return c;
    }

    template <int dim>
    SymmetricTensor<4, dim> leading_block(const SymmetricTensor<4, 3> &c3)
    {
      SymmetricTensor<4, dim> c;
      for (unsigned i = 0; i < dim; ++i)
        for (unsigned j = 0; j < dim; ++j)
          for (unsigned k = 0; k < dim; ++k)
            for (unsigned l = 0; l < dim; ++l)
              c[i][j][k][l] = c3[i][j][k][l];
      return c;
    }

    template <int dim>
    std::string direction_text(const dealii::Tensor<1, dim> &n)
    {
      std::string t = "[";
      for (unsigned i = 0; i < dim; ++i)
        t += fmt::format("{}{:.4f}", i ? ", " : "", n[i] / n.norm());
      return t + "]";
    }

    /// Cholesky test of positive definiteness of C on symmetric strains, in Mandel notation (shear
    /// components scaled by sqrt 2 so that the quadratic form is preserved).
    template <int dim>
    bool is_positive_definite(const SymmetricTensor<4, dim> &c)
    {
      constexpr unsigned          n = dim * (dim + 1) / 2;
      std::vector<std::pair<unsigned, unsigned>> idx;
      for (unsigned i = 0; i < dim; ++i)
        idx.emplace_back(i, i);
      for (unsigned i = 0; i < dim; ++i)
        for (unsigned j = i + 1; j < dim; ++j)
          idx.emplace_back(i, j);
      double a[n][n];
      double scale = 0;
      for (unsigned p = 0; p < n; ++p)
        for (unsigned q = 0; q < n; ++q)
          {
            const double sp = idx[p].first == idx[p].second ? 1.0 : std::sqrt(2.0);
            const double sq = idx[q].first == idx[q].second ? 1.0 : std::sqrt(2.0);
            a[p][q] = sp * sq * c[idx[p].first][idx[p].second][idx[q].first][idx[q].second];
            scale   = std::max(scale, std::abs(a[p][q]));
          }
      if (!(scale > 0))
        return false;
      for (unsigned j = 0; j < n; ++j)
        {
          double d = a[j][j];
          for (unsigned k = 0; k < j; ++k)
            d -= a[j][k] * a[j][k];
          if (!(d > 1e-12 * scale))
            return false;
          a[j][j] = std::sqrt(d);
          for (unsigned i = j + 1; i < n; ++i)
            {
              double s = a[i][j];
              for (unsigned k = 0; k < j; ++k)
                s -= a[i][k] * a[j][k];
              a[i][j] = s / a[j][j];
            }
        }
      return true;
    }
  } // namespace

  template <int dim>
  Material<dim>::Material(const dealii::SymmetricTensor<4, dim> &c, double density, bool check_c)
    : c_(c)
    , rho_(density)
  {
    if (!(density > 0))
      throw InputError(fmt::format("material: density must be > 0, got {}", density));
    // Constants that overflow, or a density so small that c / rho does, would reach LAPACK (the stable
    // step's eigenvalues) as inf or NaN.
    double c_max = 0;
    for (unsigned i = 0; i < dim; ++i)
      for (unsigned j = 0; j < dim; ++j)
        for (unsigned k = 0; k < dim; ++k)
          for (unsigned l = 0; l < dim; ++l)
            {
              if (!std::isfinite(c[i][j][k][l]))
                throw InputError("material: an elastic constant overflows (is not finite); check the constants' "
                                 "magnitude and units");
              c_max = std::max(c_max, std::abs(c[i][j][k][l]));
            }
    // A wave speed above 1e50 (in any unit system) is a mistake, and its squares overflow in the
    // element matrices.
    if (!std::isfinite(c_max / density) || c_max / density > 1e100)
      throw InputError(fmt::format("material: stiffness / density = {:.3g} / {:.3g} overflows: the wave speed "
                                   "would be absurd; check the density, the elastic constants and their units",
                                   c_max, density));
    if (check_c && !is_positive_definite(c))
      throw InputError("material: the elasticity tensor is not positive definite on symmetric "
                       "strains; check the elastic constants (cubic: c11 > |c12|, c11 + 2 c12 > 0, "
                       "c44 > 0; isotropic: E > 0, -1 < nu < 0.5)");
  }

  template <int dim>
  Material<dim> Material<dim>::isotropic(double youngs_modulus, double poisson_ratio, double density)
  {
    if (!(youngs_modulus > 0) || !(poisson_ratio > -1.0 && poisson_ratio < 0.5))
      throw InputError(fmt::format("material isotropic: need youngs_modulus > 0 and -1 < poisson_ratio "
                                   "< 0.5, got youngs_modulus = {}, poisson_ratio = {}",
                                   youngs_modulus, poisson_ratio));
    const double e = youngs_modulus, nu = poisson_ratio;
    const double lambda = e * nu / ((1 + nu) * (1 - 2 * nu));
    const double mu     = e / (2 * (1 + nu));
    return Material(leading_block<dim>(cubic_3d(lambda + 2 * mu, lambda, mu)), density);
  }

  template <int dim>
  Material<dim> Material<dim>::cubic(double c11, double c12, double c44, double density,
                                     const std::array<std::array<int, 3>, 3> &orientation)
  {
    // r[i][a]: lab axis i expressed in the crystal frame (normalised row i of the orientation), so a
    // vector with crystal components v_a has lab components r[i][a] v_a.
    double r[3][3];
    for (unsigned i = 0; i < 3; ++i)
      {
        double norm2 = 0;
        for (unsigned a = 0; a < 3; ++a)
          norm2 += double(orientation[i][a]) * orientation[i][a];
        if (norm2 == 0)
          throw InputError(fmt::format("material cubic: orientation row {} is the zero vector; give "
                                       "the crystal direction along axis {} as three integers",
                                       i, "xyz"[i]));
        for (unsigned a = 0; a < 3; ++a)
          r[i][a] = orientation[i][a] / std::sqrt(norm2);
      }
    for (unsigned i = 0; i < 3; ++i)
      for (unsigned j = i + 1; j < 3; ++j)
        {
          const long dot = long(orientation[i][0]) * orientation[j][0] +
                           long(orientation[i][1]) * orientation[j][1] +
                           long(orientation[i][2]) * orientation[j][2];
          if (dot != 0)
            throw InputError(fmt::format(
              "material cubic: orientation rows {} [{} {} {}] and {} [{} {} {}] are not orthogonal "
              "(dot product {}); the rows must be mutually orthogonal crystal directions",
              i, orientation[i][0], orientation[i][1], orientation[i][2], j, orientation[j][0],
              orientation[j][1], orientation[j][2], dot));
        }

    const SymmetricTensor<4, 3> cc = cubic_3d(c11, c12, c44);
    // Full (non-symmetric-storage) copy for the rotation sums.
    double full[3][3][3][3];
    for (unsigned a = 0; a < 3; ++a)
      for (unsigned b = 0; b < 3; ++b)
        for (unsigned c = 0; c < 3; ++c)
          for (unsigned d = 0; d < 3; ++d)
            full[a][b][c][d] = cc[a][b][c][d];
    // Rotate one index at a time: 4 x 81 x 3 operations instead of 81 x 81.
    double tmp[3][3][3][3];
    for (unsigned pass = 0; pass < 4; ++pass)
      {
        for (unsigned i = 0; i < 3; ++i)
          for (unsigned b = 0; b < 3; ++b)
            for (unsigned c = 0; c < 3; ++c)
              for (unsigned d = 0; d < 3; ++d)
                {
                  double s = 0;
                  for (unsigned a = 0; a < 3; ++a)
                    s += r[i][a] * full[a][b][c][d];
                  tmp[b][c][d][i] = s; // cyclic shift: after 4 passes the index order is restored
                }
        std::copy(&tmp[0][0][0][0], &tmp[0][0][0][0] + 81, &full[0][0][0][0]);
      }
    SymmetricTensor<4, 3> rotated;
    for (unsigned i = 0; i < 3; ++i)
      for (unsigned j = 0; j < 3; ++j)
        for (unsigned k = 0; k < 3; ++k)
          for (unsigned l = 0; l < 3; ++l)
            rotated[i][j][k][l] = full[i][j][k][l];
    return Material(leading_block<dim>(rotated), density);
  }

  template <int dim>
  Material<dim> Material<dim>::general(const dealii::SymmetricTensor<4, dim> &c, double density)
  {
    return Material(c, density);
  }

  template <int dim>
  Material<dim> Material<dim>::general(const dealii::SymmetricTensor<4, dim> &c, double density,
                                       const dealii::SymmetricTensor<2, dim> &initial_stress)
  {
    // A prestressed reference need not have a positive definite C; what the dynamics needs is a
    // positive definite acoustic tensor of the full tangent A = C + delta S0 for every direction
    // (strong ellipticity: real wave speeds), checked on the direction sample of max_wave_speed().
    Material m(c, density, false);
    m.s0_ = initial_stress;
    double         worst = std::numeric_limits<double>::infinity();
    dealii::Tensor<1, dim> worst_n;
    double         scale = 0;
    for (unsigned i = 0; i < dim; ++i)
      scale = std::max(scale, std::abs(c[i][i][i][i]));
    m.for_each_sample_direction([&](const dealii::Tensor<1, dim> &n) {
      const double e = dealii::eigenvalues(m.christoffel(n))[dim - 1]; // eigenvalues are descending
      if (e < worst)
        {
          worst   = e;
          worst_n = n;
        }
    });
    if (!(worst * density > 1e-12 * scale))
      throw InputError(fmt::format(
        "material: the tangent C + delta S0 (elasticity plus initial stress) is not strongly elliptic: the "
        "acoustic tensor along n = {} has the eigenvalue {:.6g} (rho c^2 = {:.6g} <= 0), so some plane "
        "wave has no real speed; the lattice is unstable at this reference state (check the lattice "
        "constant against the potential's equilibrium)",
        direction_text(worst_n), worst, worst * density));
    return m;
  }

  template <int dim>
  dealii::SymmetricTensor<2, dim> Material<dim>::christoffel(const dealii::Tensor<1, dim> &n) const
  {
    SEAM_ASSERT(n.norm() > 0, "christoffel: zero direction");
    const dealii::Tensor<1, dim>    e = n / n.norm();
    // The initial-stress term delta_ik S0_jl n_j n_l adds the same n.S0.n to every diagonal entry.
    double nsn = 0;
    for (unsigned j = 0; j < dim; ++j)
      for (unsigned l = 0; l < dim; ++l)
        nsn += s0_[j][l] * e[j] * e[l];
    dealii::SymmetricTensor<2, dim> g;
    for (unsigned i = 0; i < dim; ++i)
      for (unsigned k = i; k < dim; ++k)
        {
          double s = i == k ? nsn : 0.0;
          for (unsigned j = 0; j < dim; ++j)
            for (unsigned l = 0; l < dim; ++l)
              s += c_[i][j][k][l] * e[j] * e[l];
          g[i][k] = s / rho_;
        }
    return g;
  }

  template <int dim>
  std::vector<double> Material<dim>::wave_speeds(const dealii::Tensor<1, dim> &n) const
  {
    const auto          ev = dealii::eigenvalues(christoffel(n));
    std::vector<double> speeds;
    for (unsigned i = 0; i < dim; ++i)
      speeds.push_back(std::sqrt(std::max(ev[i], 0.0)));
    std::sort(speeds.begin(), speeds.end());
    return speeds;
  }

  template <int dim>
  double Material<dim>::longitudinal_speed(const dealii::Tensor<1, dim> &n) const
  {
    return wave_speeds(n).back();
  }

  template <int dim>
  double Material<dim>::transverse_speed(const dealii::Tensor<1, dim> &n) const
  {
    return dim == 1 ? 0.0 : wave_speeds(n).front();
  }

  template <int dim>
  dealii::SymmetricTensor<2, dim> Material<dim>::impedance(const dealii::Tensor<1, dim> &n) const
  {
    const auto                      pairs = dealii::eigenvectors(christoffel(n));
    dealii::SymmetricTensor<2, dim> z;
    for (const auto &[lambda, e] : pairs)
      z += rho_ * std::sqrt(std::max(lambda, 0.0)) * dealii::symmetrize(dealii::outer_product(e, e));
    return z;
  }

  template <int dim>
  template <typename Visit>
  void Material<dim>::for_each_sample_direction(Visit &&probe) const
  {
    dealii::Tensor<1, dim> n;
    if constexpr (dim == 1)
      {
        n[0] = 1;
        probe(n);
      }
    else if constexpr (dim == 2)
      {
        for (unsigned k = 0; k < 720; ++k)
          {
            const double phi = M_PI * k / 720.0; // directions n and -n give the same speeds
            n[0]             = std::cos(phi);
            n[1]             = std::sin(phi);
            probe(n);
          }
      }
    else
      {
        const int special[][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 0}, {1, -1, 0},
                                  {1, 0, 1}, {1, 0, -1}, {0, 1, 1}, {0, 1, -1}, {1, 1, 1},
                                  {1, 1, -1}, {1, -1, 1}, {-1, 1, 1}};
        for (const auto &s : special)
          {
            for (unsigned d = 0; d < 3; ++d)
              n[d] = s[d];
            probe(n);
          }
        const unsigned m      = 4000;
        const double   golden = M_PI * (3.0 - std::sqrt(5.0));
        for (unsigned k = 0; k < m; ++k)
          {
            const double z   = 1.0 - (k + 0.5) / m; // upper hemisphere suffices (n ~ -n)
            const double rho = std::sqrt(1.0 - z * z);
            n[0]             = rho * std::cos(golden * k);
            n[1]             = rho * std::sin(golden * k);
            n[2]             = z;
            probe(n);
          }
      }
  }

  template <int dim>
  double Material<dim>::max_wave_speed() const
  {
    dealii::Tensor<1, dim> best;
    double                 vmax  = 0;
    auto                   probe = [&](const dealii::Tensor<1, dim> &n) {
      const double v = longitudinal_speed(n);
      if (v > vmax)
        {
          vmax = v;
          best = n / n.norm();
        }
    };
    for_each_sample_direction(probe);
    if constexpr (dim == 1)
      return vmax;
    // Refine the best sample by a compass search on the sphere (steps along two tangents), so the
    // maximum is found to round-off also for rotated crystals and general tensors.
    for (double step = 0.05; step > 1e-10;)
      {
        dealii::Tensor<1, dim> t1, t2;
        if constexpr (dim == 2)
          {
            t1[0] = -best[1];
            t1[1] = best[0];
          }
        else
          {
            dealii::Tensor<1, dim> a;
            a[std::abs(best[0]) < 0.9 ? 0 : 1] = 1;
            t1 = dealii::cross_product_3d(best, a);
            t1 /= t1.norm();
            t2 = dealii::cross_product_3d(best, t1);
          }
        const double before = vmax;
        const auto   centre = best;
        for (const auto &t : {t1, -t1, t2, -t2})
          if (t.norm() > 0)
            probe(centre + step * t);
        if (!(vmax > before))
          step *= 0.5;
      }
    return vmax;
  }

  template <int dim>
  std::array<double, 36> Material<dim>::voigt_stiffness() const
  {
    const int              v[3][3] = {{0, 5, 4}, {5, 1, 3}, {4, 3, 2}};
    std::array<double, 36> out{};
    for (int i = 0; i < dim; ++i)
      for (int j = 0; j < dim; ++j)
        for (int k = 0; k < dim; ++k)
          for (int l = 0; l < dim; ++l)
            out[v[i][j] * 6 + v[k][l]] = c_[i][j][k][l];
    return out;
  }

  template class Material<1>;
  template class Material<2>;
  template class Material<3>;
} // namespace seam::fe
