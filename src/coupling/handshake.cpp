// Geometry of the handshake band and the bridging-domain weight.
#include "coupling/handshake.h"

#include <algorithm>
#include <cmath>

namespace seam::coupling
{
  Handshake::Handshake(int dimension, const Vec3 &region_lo, const Vec3 &region_hi, const Vec3 &domain_lo,
                       const Vec3 &domain_hi, const std::array<bool, 3> &periodic, double width,
                       WeightProfile profile)
    : dim_(dimension)
    , region_lo_(region_lo)
    , region_hi_(region_hi)
    , core_lo_(region_lo)
    , core_hi_(region_hi)
    , width_(width)
    , profile_(profile)
  {
    for (int d = 0; d < dim_; ++d)
      {
        const double tol = 1e-9 * std::max({1.0, std::abs(domain_lo[d]), std::abs(domain_hi[d])});
        borders_[2 * d]     = !periodic[d] && std::abs(region_lo[d] - domain_lo[d]) > tol;
        borders_[2 * d + 1] = !periodic[d] && std::abs(region_hi[d] - domain_hi[d]) > tol;
        if (borders_[2 * d])
          core_lo_[d] = region_lo[d] + width;
        if (borders_[2 * d + 1])
          core_hi_[d] = region_hi[d] - width;
      }
  }

  bool Handshake::has_band() const
  {
    return std::any_of(borders_.begin(), borders_.end(), [](bool b) { return b; });
  }

  double Handshake::profile_value(double s) const
  {
    s = std::clamp(s, 0.0, 1.0);
    return profile_ == WeightProfile::linear ? s : s * s * (3.0 - 2.0 * s);
  }

  double Handshake::alpha(const Vec3 &X) const
  {
    double a = 1.0;
    for (int d = 0; d < dim_; ++d)
      {
        if (borders_[2 * d])
          a *= profile_value((X[d] - region_lo_[d]) / width_);
        if (borders_[2 * d + 1])
          a *= profile_value((region_hi_[d] - X[d]) / width_);
      }
    return a;
  }

  bool Handshake::in_region(const Vec3 &X) const
  {
    // With the relative tolerance of the faces' tests above: the lattice places sites down to lo minus
    // its own tolerance (md::Lattice::tolerance()), e.g. at -32.535000000000004 for lo = -9 x 3.615. Such
    // an atom used to fall outside the region and so outside the band: never offered to the FE side, it
    // had weight 0, no constraint and no absorber, and at finite temperature it flew off.
    for (int d = 0; d < dim_; ++d)
      {
        const double tol = 1e-9 * std::max({1.0, std::abs(region_lo_[d]), std::abs(region_hi_[d])});
        if (X[d] < region_lo_[d] - tol || X[d] > region_hi_[d] + tol)
          return false;
      }
    return true;
  }

  bool Handshake::in_core(const Vec3 &X) const
  {
    for (int d = 0; d < dim_; ++d)
      if (X[d] < core_lo_[d] || X[d] > core_hi_[d])
        return false;
    return true;
  }

  bool Handshake::in_band(const Vec3 &X) const
  {
    if (!in_region(X))
      return false;
    for (int d = 0; d < dim_; ++d)
      if (X[d] <= core_lo_[d] || X[d] >= core_hi_[d])
        {
          if ((X[d] <= core_lo_[d] && borders_[2 * d]) || (X[d] >= core_hi_[d] && borders_[2 * d + 1]))
            return true;
        }
    return false;
  }

  std::string Handshake::describe() const
  {
    static const char *names[6] = {"x_lo", "x_hi", "y_lo", "y_hi", "z_lo", "z_hi"};
    std::string        faces;
    for (int f = 0; f < 2 * dim_; ++f)
      if (borders_[f])
        faces += std::string(faces.empty() ? "" : " ") + names[f];
    return "band on " + (faces.empty() ? std::string("no face") : faces) + ", width " + std::to_string(width_) +
           ", " + (profile_ == WeightProfile::linear ? "linear" : "cubic") + " weight";
  }
} // namespace seam::coupling
