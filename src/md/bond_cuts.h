// Cut bonds (md.cut): pairs of atoms whose reference bond crosses a planar segment or strip do not
// interact, a sharp crack inserted into a perfect lattice.
#pragma once

#include "base/types.h"

#include <array>
#include <limits>
#include <vector>

namespace seam::md
{
  /// One cut: the segment `from` -> `to` in 2D (the plane through it normal to the x-y plane), or in 3D
  /// the strip of the plane through it with unit `normal`, swept by +-extent/2 along e = normal x t / |t|.
  struct Cut
  {
    Vec3   from{}, to{};
    Vec3   normal{};                                          ///< 3D only; 2D: derived from to - from
    double extent = std::numeric_limits<double>::infinity(); ///< 3D strip width (infinite: whole crystal)
  };

  /// The cut-bond test of a crack inserted by cutting the bonds across its faces instead of removing
  /// atoms (the "bond-breaking" initial crack of atomistic fracture studies, e.g. Bitzek, Kermode & Gumbsch
  /// 2015, Int. J. Fract. 191, 13, section 3; LAMMPS users do it with pair-style exclusions between atom
  /// groups). A bond i-j is cut when the segment between the atoms' reference positions X_i, X_j passes
  /// through a cut: X_i and X_j lie strictly on opposite sides of its plane and the crossing point lies
  /// within the segment's span (0 <= s <= 1 along to - from) and, in 3D, within extent/2 of it across.
  /// Atoms exactly on a cut plane are on neither side: place cuts between lattice planes.
  class BondCuts
  {
  public:
    BondCuts() = default;
    /// @throws std::invalid_argument on a degenerate cut (from == to; 3D: normal not perpendicular to
    /// to - from or zero).
    BondCuts(std::vector<Cut> cuts, int dimension);

    bool empty() const { return cuts_.empty(); }
    /// True if X lies within `reach` of some cut (only such atoms can have cut bonds of length <= reach).
    bool near(const Vec3 &X, double reach) const;
    /// True if the bond Xi-Xj crosses a cut.
    bool cuts(const Vec3 &Xi, const Vec3 &Xj) const;

  private:
    struct Plane
    {
      Vec3   p0, t, n, e; ///< origin (from), span (to - from), unit normal, unit across-direction
      double t2, half_extent;
    };
    std::vector<Plane> cuts_;
    int                dim_ = 3;
  };
} // namespace seam::md
