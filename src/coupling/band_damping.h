// Absorbers of the handshake band's fine scale, created by coupling.damping.style (one registry line
// per style; `none` creates nothing).
#pragma once

#include "coupling/coupling_scheme.h"
#include "coupling/md_band.h"
#include "md/fix.h"

#include <memory>
#include <string>
#include <vector>

namespace seam::coupling
{
  /// What a band absorber may use: the band's last exchange, the scheme, and its deck parameters.
  struct BandDampingContext
  {
    const MdBand         &band;
    const CouplingScheme &scheme;
    double                strength; ///< coupling.damping.strength
    double                mvv2e;    ///< unit conversion of m v^2 to energy
  };

  /// The absorber of style `style` as an MD fix (listed after BandConstraintFix, whose exchange it
  /// reads), or null for `none`. @throws std::invalid_argument for an unknown style.
  std::unique_ptr<md::Fix> create_band_damping(const std::string &style, const BandDampingContext &context);
  /// The registered styles (none included) with a one-line doc each.
  std::vector<std::pair<std::string, std::string>> band_damping_styles();
} // namespace seam::coupling
