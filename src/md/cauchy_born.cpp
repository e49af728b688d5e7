// Lattice sums of the Cauchy-Born model of a Bravais lattice for pair and EAM potentials: the linearised
// constants (energy, stress, elasticity tensor) and the nonlinear energy density W(F) with P = dW/dF.
#include "md/cauchy_born.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace seam::md
{
  CauchyBorn::CauchyBorn(const Lattice &lattice, const Potential &potential, double mass)
    : dim_(lattice.dimension())
  {
    if (!(mass > 0))
      throw std::invalid_argument("CauchyBorn: mass must be positive, got " + std::to_string(mass));
    const double rc = potential.reference_cutoff();
    if (!(rc > 0))
      throw std::invalid_argument("CauchyBorn: potential '" + potential.style() + "' has no positive reference cutoff");

    // All sites in the cube |X_a| <= r_bond (plus a margin) on the active axes; the origin is a site.
    // r_bond >= rc: the bonds of the nonlinear energy_density() (see the class comment).
    const bool   fixed  = potential.bonds_fixed_by_reference();
    const double r_bond = fixed ? rc : potential.cutoff() / min_stretch();
    const double margin = 1e-3 * r_bond + 2.0 * lattice.tolerance();
    Vec3         lo{}, hi{};
    for (int a = 0; a < dim_; ++a)
      {
        lo[a] = -r_bond - margin;
        hi[a] = r_bond + margin;
      }
    const auto sites = lattice.sites_in_box(lo, hi);
    cut2_            = fixed ? std::numeric_limits<double>::infinity() : potential.cutoff() * potential.cutoff();
    for (const Vec3 &x : sites)
      {
        const double r = std::sqrt(x[0] * x[0] + x[1] * x[1] + x[2] * x[2]);
        if (r < 0.5 * lattice.tolerance() || r >= r_bond)
          continue;
        // Keep X when its first non-zero component (beyond the tolerance) is positive: one of X, -X.
        int a = 0;
        while (a < 2 && std::abs(x[a]) < lattice.tolerance())
          ++a;
        if (x[a] > 0)
          half_bonds_.push_back(x);
      }

    omega_   = lattice.volume_per_atom();
    density_ = mass / omega_;

    const bool embed = potential.has_embedding();
    // Pair sums and the density sums of the embedding term, per neighbour at reference distance R:
    //   dW_pair   = 1/2 phi'/R X_i X_j,          d2W_pair = 1/2 (phi'' - phi'/R)/R^2 X_i X_j X_k X_l
    //   B_ij      = sum rho'/R X_i X_j,          D_ijkl   = sum (rho'' - rho'/R)/R^2 X_i X_j X_k X_l
    double w_pair = 0.0;
    double s[3][3]{}, b[3][3]{};
    double c[3][3][3][3]{}, d[3][3][3][3]{};
    // Within 1e-5 of the cutoff a neighbour is "on" it: the smallest thermal or elastic motion crosses it,
    // and the tangent there is meaningless.
    const double on_cut = 1e-5 * rc;
    for (const Vec3 &x : sites)
      {
        const double r2 = x[0] * x[0] + x[1] * x[1] + x[2] * x[2];
        const double r  = std::sqrt(r2);
        if (r < 0.5 * lattice.tolerance())
          continue; // the site itself
        if (std::abs(r - rc) < on_cut)
          throw std::invalid_argument(
            "CauchyBorn: a neighbour shell at distance " + fmt::format("{:.10g}", r) +
            " lies on (within 1e-5 relative of) the reference cutoff " + fmt::format("{:.10g}", rc) +
            " of potential '" + potential.style() +
            "'; the lattice energy is not twice differentiable there (change the cutoff or the lattice constant)");
        if (r >= rc)
          continue;
        ++n_neighbors_;
        const Jet2   phi = potential.pair_jet(r);
        const double p1  = 0.5 * phi.first / r;
        const double p2  = 0.5 * (phi.second - phi.first / r) / r2;
        w_pair += 0.5 * phi.value;
        Jet2 rho;
        if (embed)
          {
            rho = potential.density_jet(r);
            rho_bar_ += rho.value;
          }
        const double q1 = rho.first / r;
        const double q2 = (rho.second - rho.first / r) / r2;
        for (int i = 0; i < dim_; ++i)
          for (int j = 0; j < dim_; ++j)
            {
              const double xij = x[i] * x[j];
              s[i][j] += p1 * xij;
              b[i][j] += q1 * xij;
              for (int k = 0; k < dim_; ++k)
                for (int l = 0; l < dim_; ++l)
                  {
                    const double xijkl = xij * x[k] * x[l];
                    c[i][j][k][l] += p2 * xijkl;
                    d[i][j][k][l] += q2 * xijkl;
                  }
            }
      }

    Jet2 u;
    if (embed)
      u = potential.embedding_jet(rho_bar_);
    w0_ = w_pair + u.value;
    const double inv = 1.0 / omega_;
    for (int i = 0; i < dim_; ++i)
      for (int j = 0; j < dim_; ++j)
        {
          s0_[i][j] = inv * (s[i][j] + u.first * b[i][j]);
          for (int k = 0; k < dim_; ++k)
            for (int l = 0; l < dim_; ++l)
              c_[i][j][k][l] =
                inv * (c[i][j][k][l] + u.second * b[i][j] * b[k][l] + u.first * d[i][j][k][l]);
        }
  }

  double CauchyBorn::energy_density(const Potential &potential, const double f[3][3], double p[3][3]) const
  {
    switch (dim_)
      {
        case 1: return energy_density_n<1>(potential, f, p);
        case 2: return energy_density_n<2>(potential, f, p);
        default: return energy_density_n<3>(potential, f, p);
      }
  }

  template <int n>
  double CauchyBorn::energy_density_n(const Potential &potential, const double f[3][3], double p[3][3]) const
  {
    const bool embed = potential.has_embedding();
    // The pair energy and, for EAM, the host density (both halves of every bond), and the sums
    // m_pair = sum phi'/r X(x)X, m_rho = sum rho'/r X(x)X over the half bonds: P = F (m_pair + 2 U' m_rho).
    double w_pair = 0.0, rho_bar = 0.0;
    double m_pair[n][n]{}, m_rho[n][n]{};
    for (const Vec3 &x : half_bonds_)
      {
        double r2 = 0.0;
        for (int i = 0; i < n; ++i)
          {
            double fx = 0.0;
            for (int j = 0; j < n; ++j)
              fx += f[i][j] * x[j];
            r2 += fx * fx;
          }
        if (r2 >= cut2_)
          continue; // beyond the cutoff: phi and rho vanish
        const double r   = std::sqrt(r2);
        const Jet2   phi = potential.pair_jet(r);
        w_pair += phi.value; // 1/2 sum over both halves
        const double a = phi.first / r;
        double       b = 0.0;
        if (embed)
          {
            const Jet2 rho = potential.density_jet(r);
            rho_bar += 2.0 * rho.value;
            b = rho.first / r;
          }
        if (p != nullptr)
          for (int i = 0; i < n; ++i)
            for (int j = 0; j < n; ++j)
              {
                const double t = x[i] * x[j];
                m_pair[i][j] += a * t;
                m_rho[i][j] += b * t;
              }
      }
    double w  = w_pair;
    double u1 = 0.0;
    if (embed)
      {
        const Jet2 u = potential.embedding_jet(rho_bar);
        w += u.value;
        u1 = u.first;
      }
    const double inv = 1.0 / omega_;
    if (p != nullptr)
      {
        for (int i = 0; i < 3; ++i)
          for (int j = 0; j < 3; ++j)
            p[i][j] = 0.0;
        for (int i = 0; i < n; ++i)
          for (int j = 0; j < n; ++j)
            {
              double pij = 0.0;
              for (int k = 0; k < n; ++k)
                pij += f[i][k] * (m_pair[k][j] + 2.0 * u1 * m_rho[k][j]);
              p[i][j] = inv * pij;
            }
      }
    return inv * w;
  }

  std::array<std::array<double, 6>, 6> CauchyBorn::voigt() const
  {
    static const int pair[6][2] = {{0, 0}, {1, 1}, {2, 2}, {1, 2}, {0, 2}, {0, 1}};
    std::array<std::array<double, 6>, 6> v{};
    for (int p = 0; p < 6; ++p)
      for (int q = 0; q < 6; ++q)
        v[p][q] = c_[pair[p][0]][pair[p][1]][pair[q][0]][pair[q][1]];
    return v;
  }
} // namespace seam::md
