// `type: traction`: a prescribed surface traction.
#pragma once

#include "config/schema.h"
#include "fe/boundary/boundary_style.h"

namespace seam::fe::boundary
{
  /// Prescribed traction `value` (force per area, pressure units; expressions in x, y, z, t), integrated
  /// on the faces with (p+1)^(dim-1) Gauss points; reassembled at every force evaluation only if it
  /// depends on t.
  class Traction final : public BoundaryStyle
  {
  public:
    static constexpr const char *name    = "traction";
    static constexpr const char *doc     = "prescribed traction `value` (force per area)";
    static constexpr bool        is_free = false;
    static constexpr int         rank    = 0;
    static std::vector<config::Entry> keys()
    {
      return {config::expr_vector("value", Quantity::stress, "traction components, expressions in x, y, z, t")};
    }

    explicit Traction(const StyleArgs &a)
      : value_(parse_components(a.value, a.dim, fmt::format("boundary id {} traction", a.id)))
    {
      for (const Expression &e : value_)
        depends_on_t_ = depends_on_t_ || !e.is_time_independent();
    }

    bool   has_traction() const override { return true; }
    double traction(unsigned c, const Coordinates &x, double t) const override { return evaluate(value_[c], x, t); }
    bool   traction_depends_on_time() const override { return depends_on_t_; }

  private:
    std::vector<Expression> value_;
    bool                    depends_on_t_ = false;
  };
} // namespace seam::fe::boundary
