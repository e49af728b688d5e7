// Geometry of the handshake: the MD-only core, the overlap band and the atomistic weight alpha(X) of
// the bridging-domain method, evaluated at reference positions of atoms, FE nodes and quadrature points.
#pragma once

#include "base/types.h"

#include <array>
#include <string>

namespace seam::coupling
{
  /// Weight profile across the band, in the normalised depth s = distance from the band's outer face /
  /// width, s in [0, 1].
  enum class WeightProfile
  {
    linear, ///< alpha = s
    cubic   ///< alpha = 3 s^2 - 2 s^3 (C1: zero slope at both edges of the band)
  };

  /// The handshake band of a bridging-domain coupling (Xiao & Belytschko 2004, CMAME 193:1645, sec. 2;
  /// the weight "alpha" of their eq. 7, 1 on the atomistic side and 0 on the continuum side).
  ///
  /// A face of md.region borders the continuum unless it lies on the matching face of fe.domain
  /// (within `tolerance`) or its axis is periodic. The core is md.region shrunk by `width` on every
  /// bordering face; the band is md.region minus the core (contract: ../shared/spec/deck.md, Geometry).
  ///
  /// alpha(X) = product over bordering faces f of p(min(1, d_f(X) / width)), with d_f the distance of X
  /// from face f inward (clamped at 0 outside md.region) and p the profile. It is 1 in the core, 0 on the
  /// bordering faces and outside md.region, and depends only on the coordinates along axes with a
  /// bordering face (so it is constant along periodic axes). The product keeps corners smooth for the
  /// cubic profile and is symmetric in the faces.
  class Handshake
  {
  public:
    /// @param region_lo, region_hi  md.region [length]
    /// @param domain_lo, domain_hi  fe.domain [length]
    /// @param periodic  per axis
    /// @param width     band width > 0 [length]
    /// @pre 2 width <= region extent along every axis with two bordering faces (checked by the deck)
    Handshake(int dimension, const Vec3 &region_lo, const Vec3 &region_hi, const Vec3 &domain_lo,
              const Vec3 &domain_hi, const std::array<bool, 3> &periodic, double width,
              WeightProfile profile);

    int dimension() const { return dim_; }
    double width() const { return width_; }
    WeightProfile profile() const { return profile_; }

    /// Whether face 2*axis + (0: lo, 1: hi) of md.region borders the continuum.
    bool borders(int axis, int side) const { return borders_[2 * axis + side]; }
    /// Whether any face borders the continuum (a coupled run needs at least one).
    bool has_band() const;

    const Vec3 &region_lo() const { return region_lo_; }
    const Vec3 &region_hi() const { return region_hi_; }
    const Vec3 &core_lo() const { return core_lo_; }
    const Vec3 &core_hi() const { return core_hi_; }

    /// The atomistic weight alpha at a reference position (see the class comment).
    double alpha(const Vec3 &X) const;
    /// True if X lies in the band: inside md.region (lo <= X <= hi) and not strictly inside the core
    /// along every bordering axis, i.e. alpha(X) < 1 or X on the core boundary.
    bool in_band(const Vec3 &X) const;
    /// True if X lies in md.region (closed box, first `dimension` axes, to a relative 1e-9: the lattice's
    /// sites on a face are in it however the face's coordinate rounds).
    bool in_region(const Vec3 &X) const;
    /// True if X lies in the core (closed box).
    bool in_core(const Vec3 &X) const;

    /// Text for logs, e.g. "band on x_lo x_hi y_lo y_hi, width 20, cubic".
    std::string describe() const;

  private:
    double profile_value(double s) const;

    int                 dim_;
    Vec3                region_lo_, region_hi_, core_lo_, core_hi_;
    std::array<bool, 6> borders_{};
    double              width_;
    WeightProfile       profile_;
  };
} // namespace seam::coupling
