// Creation of potentials by deck style name (key = class = file: lj_cut <-> LjCut <-> lj_cut.h).
#pragma once

#include "md/potential/potential.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace seam::md
{
  /// Style-independent parameters as the deck gives them: named reals plus a file path (EAM styles).
  struct PotentialParams
  {
    std::map<std::string, double> values; ///< e.g. {"epsilon", 1.0}, {"sigma", 1.0}, {"cutoff", 2.5}
    std::string                   file;   ///< potential file for file-based styles
    std::string                   element; ///< eam_alloy: element of the setfl file ("" = its first)

    /// values[key]; throws std::invalid_argument naming the style and the missing key.
    double get(const std::string &style, const std::string &key) const;
    /// values[key] if present, else `fallback`.
    double get_or(const std::string &key, double fallback) const;
  };

  /// The style names create_potential() knows, in registry order.
  std::vector<std::string> known_potential_styles();

  /// Creates the potential `style` from `params`.
  /// lj_cut: epsilon, sigma, cutoff. morse: d0, alpha, r0, cutoff. harmonic: k, r0 [bond_cutoff, cutoff].
  /// eam: file (LAMMPS funcfl). eam_alloy: file (LAMMPS setfl) [element]. A file or element given to a
  /// style that takes none is an error.
  /// @throws std::invalid_argument for an unknown style (listing the known ones), a missing or unknown
  ///         parameter, or invalid values.
  std::unique_ptr<Potential> create_potential(const std::string &style, const PotentialParams &params);
} // namespace seam::md
