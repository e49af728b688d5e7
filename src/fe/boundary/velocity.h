// `type: velocity`: a prescribed velocity field on the face nodes.
#pragma once

#include "config/schema.h"
#include "fe/boundary/boundary_style.h"

namespace seam::fe::boundary
{
  /// Prescribed velocity `value` (velocity units, expressions in x, y, z, t) overwriting the face nodes'
  /// velocity after every kick; their displacement follows by integration.
  class Velocity final : public BoundaryStyle
  {
  public:
    static constexpr const char *name    = "velocity";
    static constexpr const char *doc     = "prescribed velocity `value` (the displacement follows by integration)";
    static constexpr bool        is_free = false;
    static constexpr int         rank    = 1;
    static std::vector<config::Entry> keys()
    {
      return {config::expr_vector("value", Quantity::velocity, "velocity components, expressions in x, y, z, t")};
    }

    explicit Velocity(const StyleArgs &a)
      : value_(parse_components(a.value, a.dim, fmt::format("boundary id {} velocity", a.id)))
    {}

    int    velocity_rank() const override { return rank; }
    double velocity(unsigned c, const Coordinates &x, double t) const override { return evaluate(value_[c], x, t); }

  private:
    std::vector<Expression> value_;
  };
} // namespace seam::fe::boundary
