// `type: displacement`: a prescribed displacement field on the face nodes.
#pragma once

#include "config/schema.h"
#include "fe/boundary/boundary_style.h"

#include <algorithm>
#include <cmath>

namespace seam::fe::boundary
{
  /// Time derivative of a prescribed displacement by a central difference of width 2 delta, delta =
  /// 1e-4 (1 + |t|) time units: exact for displacements linear in t (ramps) and of relative error
  /// delta^2 u''' / (6 u') otherwise. The explicit integrator drifts the prescribed nodes with the
  /// velocity at mid-step (Elastodynamics::kick), so their displacement follows u(t) to that accuracy.
  template <typename U>
  double time_derivative(const U &u, double t)
  {
    const double delta = 1e-4 * (1.0 + std::abs(t));
    return (u(t + delta) - u(t - delta)) / (2.0 * delta);
  }

  /// Prescribed displacement `value` (length; expressions in the reference coordinates x, y, z and t)
  /// on the face nodes: set at the start, and the velocity of the nodes is its time derivative.
  class Displacement final : public BoundaryStyle
  {
  public:
    static constexpr const char *name    = "displacement";
    static constexpr const char *doc     = "prescribed displacement `value` (expressions in x, y, z, t)";
    static constexpr bool        is_free = false;
    static constexpr int         rank    = 1;
    static std::vector<config::Entry> keys()
    {
      return {config::expr_vector("value", Quantity::length, "displacement components, expressions in x, y, z, t")};
    }

    explicit Displacement(const StyleArgs &a)
      : value_(parse_components(a.value, a.dim, fmt::format("boundary id {} displacement", a.id)))
    {}

    int    velocity_rank() const override { return rank; }
    bool   prescribes_displacement() const override { return true; }
    double displacement(unsigned c, const Coordinates &x, double t) const override { return evaluate(value_[c], x, t); }
    double velocity(unsigned c, const Coordinates &x, double t) const override
    {
      return time_derivative([&](double s) { return evaluate(value_[c], x, s); }, t);
    }

  private:
    std::vector<Expression> value_;
  };
} // namespace seam::fe::boundary
