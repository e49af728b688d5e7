// fe.boundary items as the solver's and the MD side's boundary conditions (deal.II-free declarations;
// defined with the material factory, which builds the material they may need).
#pragma once

#include "config/deck.h"
#include "fe/boundary/boundary_condition.h"

#include <array>
#include <cstddef>

namespace seam::app
{
  /// fe.boundary[i] of a validated deck: its style, value and the other keys its style declares.
  fe::BoundaryCondition boundary_condition(const config::Deck &deck, std::size_t i);

  /// The reference stiffness of fe.material in Voigt notation (xx, yy, zz, yz, xz, xy; 2D: the in-plane
  /// block), the form fe::boundary::StyleArgs carries, so that a condition built on the MD side (a held
  /// layer following a k_field) uses the continuum's own constants. Not collective.
  std::array<double, 36> material_voigt(const config::Deck &deck);
} // namespace seam::app
