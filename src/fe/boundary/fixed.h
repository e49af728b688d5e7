// `type: fixed`: zero displacement and velocity.
#pragma once

#include "config/schema.h"
#include "fe/boundary/boundary_style.h"

namespace seam::fe::boundary
{
  /// Zero displacement and velocity on the face nodes (a clamped face). Outranks a prescribed velocity
  /// at shared nodes.
  class Fixed final : public BoundaryStyle
  {
  public:
    static constexpr const char *name    = "fixed";
    static constexpr const char *doc     = "zero displacement and velocity";
    static constexpr bool        is_free = false;
    static constexpr int         rank    = 2;
    static std::vector<config::Entry> keys() { return {}; }

    explicit Fixed(const StyleArgs &a) { expect_no_value(a.value, a.id); }

    int  velocity_rank() const override { return rank; }
    bool holds_displacement() const override { return true; }
  };
} // namespace seam::fe::boundary
