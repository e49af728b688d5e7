// Crystal lattices and the enumeration of their sites inside a box (see lattice.h for the method).
#include "md/lattice.h"

#include <cmath>
#include <numeric>
#include <sstream>
#include <stdexcept>

namespace seam::md
{
  LatticeStyle parse_lattice_style(const std::string &name)
  {
    if (name == "fcc")
      return LatticeStyle::fcc;
    if (name == "bcc")
      return LatticeStyle::bcc;
    if (name == "sc")
      return LatticeStyle::sc;
    if (name == "hex")
      return LatticeStyle::hex;
    if (name == "chain")
      return LatticeStyle::chain;
    throw std::invalid_argument("unknown lattice style '" + name +
                                "'; known styles: fcc, bcc, sc, hex, chain");
  }

  std::string to_string(LatticeStyle style)
  {
    switch (style)
      {
        case LatticeStyle::fcc: return "fcc";
        case LatticeStyle::bcc: return "bcc";
        case LatticeStyle::sc: return "sc";
        case LatticeStyle::hex: return "hex";
        case LatticeStyle::chain: return "chain";
      }
    return "";
  }

  namespace
  {
    int required_dimension(LatticeStyle s)
    {
      switch (s)
        {
          case LatticeStyle::hex: return 2;
          case LatticeStyle::chain: return 1;
          default: return 3;
        }
    }

    std::string row_str(const std::array<int, 3> &r)
    {
      std::ostringstream o;
      o << '[' << r[0] << ',' << r[1] << ',' << r[2] << ']';
      return o.str();
    }
  } // namespace

  Lattice::Lattice(LatticeStyle style, double constant, std::array<std::array<int, 3>, 3> orientation,
                   int dimension)
    : style_(style), constant_(constant), dimension_(dimension)
  {
    if (!(constant > 0.0) || !std::isfinite(constant))
      throw std::invalid_argument("lattice constant must be positive and finite, got " +
                                  std::to_string(constant));
    if (dimension != required_dimension(style))
      throw std::invalid_argument("lattice style '" + to_string(style) + "' needs dimension " +
                                  std::to_string(required_dimension(style)) + ", got dimension " +
                                  std::to_string(dimension));
    if (style == LatticeStyle::chain)
      {
        h_         = {constant, 0.0, 0.0};
        k_         = {1, 0, 0};
        cell_sites_ = {{0, 0, 0}};
        return;
      }
    if (style == LatticeStyle::hex)
      {
        // Rectangular cell d x d*sqrt(3) holding sites (0,0) and (d/2, d*sqrt(3)/2).
        h_         = {0.5 * constant, 0.5 * std::sqrt(3.0) * constant, 0.0};
        k_         = {2, 2, 0};
        cell_sites_ = {{0, 0, 0}, {1, 1, 0}};
        return;
      }

    // Cubic styles.
    const auto &d = orientation;
    for (int i = 0; i < 3; ++i)
      {
        if (d[i][0] == 0 && d[i][1] == 0 && d[i][2] == 0)
          throw std::invalid_argument("lattice orientation row " + std::to_string(i) + " is zero");
        for (int j = i + 1; j < 3; ++j)
          {
            const long dot = long(d[i][0]) * d[j][0] + long(d[i][1]) * d[j][1] + long(d[i][2]) * d[j][2];
            if (dot != 0)
              throw std::invalid_argument("lattice orientation rows " + row_str(d[i]) + " and " +
                                          row_str(d[j]) + " are not orthogonal");
          }
      }

    // Basis in units of a/2 (twice the fractional coordinates in the cubic cell).
    std::vector<std::array<int, 3>> basis;
    switch (style)
      {
        case LatticeStyle::fcc: basis = {{0, 0, 0}, {1, 1, 0}, {1, 0, 1}, {0, 1, 1}}; break;
        case LatticeStyle::bcc: basis = {{0, 0, 0}, {1, 1, 1}}; break;
        default: basis = {{0, 0, 0}}; break;
      }

    std::array<double, 3> norm{};
    for (int i = 0; i < 3; ++i)
      {
        const std::int64_t n2 = std::int64_t(d[i][0]) * d[i][0] + std::int64_t(d[i][1]) * d[i][1] +
                                std::int64_t(d[i][2]) * d[i][2];
        norm[i] = std::sqrt(double(n2));
        h_[i]   = constant / (2.0 * norm[i]);
        // Primitive direction d' = d/g; the lattice translations along it are m*d'*(a/2) for the
        // smallest m with m*d'*(a/2) a lattice vector (fcc: even coordinate sum; bcc: all even or all
        // odd; sc: all even). period = m |d'| a/2 = h * (m g |d'|^2).
        const int g  = std::gcd(std::gcd(std::abs(d[i][0]), std::abs(d[i][1])), std::abs(d[i][2]));
        const std::array<std::int64_t, 3> p{d[i][0] / g, d[i][1] / g, d[i][2] / g};
        int m = 2;
        if (style == LatticeStyle::fcc && (p[0] + p[1] + p[2]) % 2 == 0)
          m = 1;
        if (style == LatticeStyle::bcc && (p[0] % 2 != 0) && (p[1] % 2 != 0) && (p[2] % 2 != 0))
          m = 1;
        k_[i] = std::int64_t(m) * g * (p[0] * p[0] + p[1] * p[1] + p[2] * p[2]);
      }

    // Crystal cells n covering the periodic cell: crystal coordinates c = R^T X / a of its corners.
    std::array<double, 3> cmin{1e300, 1e300, 1e300}, cmax{-1e300, -1e300, -1e300};
    for (int corner = 0; corner < 8; ++corner)
      {
        Vec3 X{};
        for (int i = 0; i < 3; ++i)
          X[i] = ((corner >> i) & 1) ? period(i) : 0.0;
        for (int j = 0; j < 3; ++j)
          {
            double c = 0.0;
            for (int i = 0; i < 3; ++i)
              c += d[i][j] / norm[i] * X[i];
            c /= constant;
            cmin[j] = std::min(cmin[j], c);
            cmax[j] = std::max(cmax[j], c);
          }
      }
    std::array<std::int64_t, 3> nlo{}, nhi{};
    for (int j = 0; j < 3; ++j)
      {
        nlo[j] = static_cast<std::int64_t>(std::floor(cmin[j])) - 1;
        nhi[j] = static_cast<std::int64_t>(std::ceil(cmax[j])) + 1;
      }
    for (std::int64_t n0 = nlo[0]; n0 <= nhi[0]; ++n0)
      for (std::int64_t n1 = nlo[1]; n1 <= nhi[1]; ++n1)
        for (std::int64_t n2 = nlo[2]; n2 <= nhi[2]; ++n2)
          for (const auto &b : basis)
            {
              const std::array<std::int64_t, 3> twice{2 * n0 + b[0], 2 * n1 + b[1], 2 * n2 + b[2]};
              std::array<std::int64_t, 3> k{};
              bool inside = true;
              for (int i = 0; i < 3 && inside; ++i)
                {
                  k[i]   = d[i][0] * twice[0] + d[i][1] * twice[1] + d[i][2] * twice[2];
                  inside = k[i] >= 0 && k[i] < k_[i];
                }
              if (inside)
                cell_sites_.push_back(k);
            }
    // The cell volume over the volume per site must be the number of sites found.
    const double expected = period(0) * period(1) * period(2) / volume_per_atom();
    if (std::abs(expected - double(cell_sites_.size())) > 1e-6 * expected)
      throw std::logic_error("Lattice: oriented cell has " + std::to_string(cell_sites_.size()) +
                             " sites, expected " + std::to_string(expected));
  }

  double Lattice::nearest_neighbor_distance() const
  {
    switch (style_)
      {
        case LatticeStyle::fcc: return constant_ / std::sqrt(2.0);
        case LatticeStyle::bcc: return constant_ * std::sqrt(3.0) / 2.0;
        default: return constant_;
      }
  }

  double Lattice::volume_per_atom() const
  {
    const double a = constant_;
    switch (style_)
      {
        case LatticeStyle::fcc: return a * a * a / 4.0;
        case LatticeStyle::bcc: return a * a * a / 2.0;
        case LatticeStyle::sc: return a * a * a;
        case LatticeStyle::hex: return 0.5 * std::sqrt(3.0) * a * a;
        case LatticeStyle::chain: return a;
      }
    return 0.0;
  }

  template <typename Visit>
  void Lattice::for_each_site(const Vec3 &lo, const Vec3 &hi, Visit &&visit) const
  {
    const double tol = tolerance();
    std::array<std::int64_t, 3> nlo{0, 0, 0}, nhi{0, 0, 0};
    for (int i = 0; i < dimension_; ++i)
      {
        if (!(hi[i] > lo[i]))
          return;
        const double p = period(i);
        nlo[i] = static_cast<std::int64_t>(std::floor((lo[i] - tol) / p)) - 1;
        nhi[i] = static_cast<std::int64_t>(std::floor((hi[i] - tol) / p)) + 1;
      }
    Vec3 x{};
    for (std::int64_t n2 = nlo[2]; n2 <= nhi[2]; ++n2)
      for (std::int64_t n1 = nlo[1]; n1 <= nhi[1]; ++n1)
        for (std::int64_t n0 = nlo[0]; n0 <= nhi[0]; ++n0)
          {
            const std::array<std::int64_t, 3> n{n0, n1, n2};
            for (std::size_t b = 0; b < cell_sites_.size(); ++b)
              {
                bool inside = true;
                for (int i = 0; i < dimension_ && inside; ++i)
                  {
                    x[i]   = h_[i] * static_cast<double>(cell_sites_[b][i] + n[i] * k_[i]);
                    inside = x[i] >= lo[i] - tol && x[i] < hi[i] - tol;
                  }
                if (inside)
                  visit(x, n, static_cast<int>(b));
              }
          }
  }

  std::vector<Vec3> Lattice::sites_in_box(const Vec3 &lo, const Vec3 &hi) const
  {
    std::vector<Vec3> out;
    for_each_site(lo, hi, [&](const Vec3 &x, const auto &, int) { out.push_back(x); });
    return out;
  }

  std::vector<LatticeSite> Lattice::indexed_sites_in_box(const Vec3 &lo, const Vec3 &hi) const
  {
    std::vector<LatticeSite> out;
    for_each_site(lo, hi, [&](const Vec3 &x, const std::array<std::int64_t, 3> &n, int b) {
      out.push_back(LatticeSite{x, n, b});
    });
    return out;
  }

  std::size_t Lattice::count_sites(const Vec3 &lo, const Vec3 &hi) const
  {
    std::size_t count = 0;
    for_each_site(lo, hi, [&](const Vec3 &, const auto &, int) { ++count; });
    return count;
  }
} // namespace seam::md
