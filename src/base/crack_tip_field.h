// The near-tip displacement field of a straight crack in an anisotropic elastic solid (linear elastic
// fracture mechanics), for K-field boundary conditions (fe.boundary type k_field, md.walls type k_field).
#pragma once

#include <array>
#include <complex>

namespace seam
{
  /// Crack-tip displacement field of modes I and II in a rectilinearly anisotropic solid, Sih, Paris &
  /// Irwin (1965), Int. J. Fract. Mech. 1, 189, eqs. (25)-(26) (also Lekhnitskii's formalism; Anderson,
  /// Fracture Mechanics, 3rd ed., sec. 2.10): with the in-plane reduced compliances a_ij (Voigt indices
  /// 1 = xx, 2 = yy, 6 = xy, engineering shear), mu_1, mu_2 the roots with positive imaginary part of
  ///   a11 mu^4 - 2 a16 mu^3 + (2 a12 + a66) mu^2 - 2 a26 mu + a22 = 0,
  ///   p_k = a11 mu_k^2 + a12 - a16 mu_k,   q_k = a12 mu_k + a22 / mu_k - a26,
  /// and polar coordinates (r, theta) about the tip (crack along -x: its faces at theta = +-pi),
  ///   u_I  = K_I  sqrt(2r/pi) Re[ (mu1 P2 - mu2 P1) / (mu1 - mu2) ],
  ///   u_II = K_II sqrt(2r/pi) Re[ (P2 - P1) / (mu1 - mu2) ],
  /// with P_k = (p_k, q_k) sqrt(cos theta + mu_k sin theta) (principal branch, continuous on (-pi, pi)).
  /// For an in-plane isotropic solid the two roots coincide (mu = i); the expression is even in
  /// mu1 - mu2 about their mean, so near-equal roots are split symmetrically by 1e-4 of their size, which
  /// leaves a relative error of 1e-8 (the unit test compares with the isotropic closed form
  /// u = K/(2 G) sqrt(r / 2 pi) (...) of Anderson, Table 2.2).
  ///
  /// The compliances: a 2D model's own in-plane constants (its 3 x 3 stiffness inverted: the 2D crystal
  /// is its own plane problem), or a 3D solid in plane strain, b_ij = a_ij - a_i3 a_j3 / a_33 (Lekhnitskii),
  /// for a crack front along z in a solid whose x-y plane is a mirror plane (the antiplane coupling terms
  /// a_i4, a_i5 are ignored: exact for orthotropic orientations, e.g. cubic crystals with the front
  /// along <100> or <110>).
  class CrackTipField
  {
  public:
    /// @param voigt  stiffness in Voigt notation (xx, yy, zz, yz, xz, xy), 6 x 6, row-major [stress].
    /// @param dimension 2: only the in-plane block (xx, yy, xy) is used (a 2D model); 3: plane strain.
    /// @throws std::invalid_argument if the in-plane stiffness is not positive definite.
    CrackTipField(const std::array<double, 36> &voigt, int dimension);

    /// Displacement (x, y) at (dx, dy) from the tip for K = 1 of `mode` (1 or 2) [length / (stress sqrt(length))].
    std::array<double, 2> unit_displacement(int mode, double dx, double dy) const;

    /// The roots mu_1, mu_2 (as used, after any symmetric split).
    const std::array<std::complex<double>, 2> &roots() const { return mu_; }

  private:
    std::array<std::complex<double>, 2> mu_, p_, q_;
  };
} // namespace seam
