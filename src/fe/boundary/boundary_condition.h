// The deck-level description of the condition on the faces with one boundary id (plain data, deal.II-free).
#pragma once

#include "fe/boundary/registry.h"

#include <map>
#include <string>
#include <vector>

namespace seam::fe
{
  /// The condition on the faces with one boundary id, as the deck gives it: a registered style name
  /// (fe/boundary/registry.h) and its `value` expressions, muparser strings in the reference coordinates
  /// x, y, z and time t (seam::Expression; y and z are 0 in lower dimensions). Checked when the solver
  /// creates the condition (fe::FaceConditions).
  struct BoundaryCondition
  {
    std::string              style = boundary::Free::name; ///< e.g. "fixed", "velocity"
    std::vector<std::string> value; ///< dim expressions for the styles that take a value (velocity, traction)
    /// The item's other keys the style declares (k_field: mode, k, tip), as text.
    std::map<std::string, std::vector<std::string>> options;

    /// True if the condition does nothing (zero traction). @throws seam::InputError for an unknown style.
    bool is_free() const { return boundary::style_info(style).is_free; }
    /// True if the velocity of the face nodes is prescribed (fixed: 0; velocity: `value`).
    /// @throws seam::InputError for an unknown style.
    bool prescribes_velocity() const { return boundary::style_info(style).prescribes_velocity; }
    /// True if the style removes energy (absorbing). @throws seam::InputError for an unknown style.
    bool absorbs() const { return boundary::style_info(style).absorbs; }
  };
} // namespace seam::fe
