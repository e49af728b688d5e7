// Cut bonds (md.cut).
#include "md/bond_cuts.h"

#include <cmath>
#include <stdexcept>

namespace seam::md
{
  namespace
  {
    double dot(const Vec3 &a, const Vec3 &b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
    Vec3   sub(const Vec3 &a, const Vec3 &b) { return {a[0] - b[0], a[1] - b[1], a[2] - b[2]}; }
    Vec3   cross(const Vec3 &a, const Vec3 &b)
    {
      return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }
  } // namespace

  BondCuts::BondCuts(std::vector<Cut> cuts, int dimension)
    : dim_(dimension)
  {
    for (const Cut &c : cuts)
      {
        Plane p;
        p.p0 = c.from;
        p.t  = sub(c.to, c.from);
        for (int a = dimension; a < 3; ++a)
          p.p0[a] = p.t[a] = 0;
        p.t2 = dot(p.t, p.t);
        if (!(p.t2 > 0))
          throw std::invalid_argument("md.cut: from and to are the same point");
        const double tl = std::sqrt(p.t2);
        if (dimension == 3)
          {
            const double nl = std::sqrt(dot(c.normal, c.normal));
            if (!(nl > 0))
              throw std::invalid_argument("md.cut: a 3D cut needs a non-zero normal");
            for (int a = 0; a < 3; ++a)
              p.n[a] = c.normal[a] / nl;
            if (std::abs(dot(p.n, p.t)) > 1e-9 * tl)
              throw std::invalid_argument("md.cut: normal must be perpendicular to to - from");
            const Vec3 e = cross(p.n, p.t);
            for (int a = 0; a < 3; ++a)
              p.e[a] = e[a] / tl;
            p.half_extent = 0.5 * c.extent;
          }
        else
          {
            // 2D (and 1D, where a cut is a point between two atoms): the normal in the plane.
            p.n = dimension == 2 ? Vec3{-p.t[1] / tl, p.t[0] / tl, 0.0} : Vec3{1.0, 0.0, 0.0};
            p.e           = Vec3{0.0, 0.0, 1.0};
            p.half_extent = std::numeric_limits<double>::infinity();
          }
        cuts_.push_back(p);
      }
  }

  bool BondCuts::near(const Vec3 &X, double reach) const
  {
    for (const Plane &p : cuts_)
      {
        const Vec3   d = sub(X, p.p0);
        const double h = dot(d, p.n);
        if (std::abs(h) > reach)
          continue;
        const double s = dot(d, p.t) / p.t2, span = std::sqrt(p.t2);
        if (s * span < -reach || (s - 1.0) * span > reach)
          continue;
        if (std::abs(dot(d, p.e)) > p.half_extent + reach)
          continue;
        return true;
      }
    return false;
  }

  bool BondCuts::cuts(const Vec3 &Xi, const Vec3 &Xj) const
  {
    for (const Plane &p : cuts_)
      {
        const Vec3   di = sub(Xi, p.p0), dj = sub(Xj, p.p0);
        const double hi = dot(di, p.n), hj = dot(dj, p.n);
        if (!((hi > 0 && hj < 0) || (hi < 0 && hj > 0)))
          continue;
        // The crossing point P = Xi + w (Xj - Xi), w = hi / (hi - hj).
        const double w = hi / (hi - hj);
        Vec3         d{};
        for (int a = 0; a < 3; ++a)
          d[a] = di[a] + w * (dj[a] - di[a]);
        const double s = dot(d, p.t) / p.t2;
        if (s < 0.0 || s > 1.0)
          continue;
        if (std::abs(dot(d, p.e)) > p.half_extent)
          continue;
        return true;
      }
    return false;
  }
} // namespace seam::md
