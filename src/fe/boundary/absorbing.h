// `type: absorbing`: viscous dashpots absorbing plane waves at normal incidence.
#pragma once

#include "config/schema.h"
#include "fe/boundary/boundary_style.h"

namespace seam::fe::boundary
{
  /// Absorbing boundary: traction -Z(n) v with the impedance tensor Z = rho sqrt(Gamma(n)) of
  /// Material::impedance, i.e. Lysmer and Kuhlemeyer (1969, J. Eng. Mech. Div. ASCE 95:859)
  /// -rho c_p (v.n) n - rho c_s (v - (v.n) n) for isotropic solids; lumped on the face nodes by
  /// Gauss-Lobatto face quadrature (fe::FaceConditions), integrated implicitly by the integrator
  /// (stable for any dashpot strength, absorbed energy tallied).
  class Absorbing final : public BoundaryStyle
  {
  public:
    static constexpr const char *name    = "absorbing";
    static constexpr bool        absorbing = true; ///< registry: quasistatic runs refuse it
    static constexpr const char *doc     = "viscous dashpots absorbing plane waves at normal incidence (Lysmer-Kuhlemeyer)";
    static constexpr bool        is_free = false;
    static constexpr int         rank    = 0;
    static std::vector<config::Entry> keys() { return {}; }

    explicit Absorbing(const StyleArgs &a) { expect_no_value(a.value, a.id); }

    bool absorbs() const override { return true; }
  };
} // namespace seam::fe::boundary
