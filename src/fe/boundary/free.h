// `type: free`: the natural condition, zero traction (also every face not named in the deck).
#pragma once

#include "config/schema.h"
#include "fe/boundary/boundary_style.h"

namespace seam::fe::boundary
{
  /// Zero traction: nothing to do, the weak form's natural boundary condition.
  class Free final : public BoundaryStyle
  {
  public:
    static constexpr const char *name    = "free";
    static constexpr const char *doc     = "zero traction (every face not named)";
    static constexpr bool        is_free = true;
    static constexpr int         rank    = 0;
    static std::vector<config::Entry> keys() { return {}; }

    explicit Free(const StyleArgs &a) { expect_no_value(a.value, a.id); }
  };
} // namespace seam::fe::boundary
