// The potential styles by deck name (key = class = file: lj_cut <-> LjCut <-> lj_cut.h): each style's
// deck keys (declared once, in its own file) and its factory, registered in registry.cpp.
#pragma once

#include "config/schema.h"
#include "md/potential/potential.h"

#include <memory>
#include <string>
#include <vector>

namespace seam::config
{
  class Deck;
}

namespace seam::md
{
  class Lattice;

  /// A potential style as the registry knows it. Adding a style: its file (class with keys() and
  /// create()) plus one line in registry.cpp.
  struct PotentialStyle
  {
    std::string name;    ///< the deck style, = file = class
    std::string summary; ///< note after the name in the doc of md.potential.style ("" = none)
    /// The keys the style adds to md.potential (real keys land in PotentialParams::values, `file` and
    /// `element` in their fields): the single declaration the schema, the docs, validation and
    /// potential_params() read.
    std::vector<config::Entry> (*keys)();
    /// Builds the potential. @throws std::invalid_argument for missing or invalid values.
    std::unique_ptr<Potential> (*create)(const PotentialParams &);
    /// The value of a real key given as `auto` (declared or_auto()) for this lattice; null if none is.
    double (*auto_value)(const std::string &key, const Lattice &lattice) = nullptr;
    /// Real parameters create() accepts from code only (tests), never from a deck.
    std::vector<std::string> code_only = {};
  };

  /// Every style, in registry order (the order of seam schema and of error messages).
  const std::vector<PotentialStyle> &potential_styles();

  /// The style names create_potential() knows, in registry order.
  std::vector<std::string> known_potential_styles();

  /// Registers every style's keys as the variants of the deck schema's md.potential section. Call it
  /// once at start-up, before a deck is loaded or the schema printed (the app's main does); later calls
  /// do nothing. Not collective.
  void register_potential_keys();

  /// The parameters of the deck's md.potential (a validated deck), `auto` values resolved for `lattice`.
  PotentialParams potential_params(const config::Deck &deck, const Lattice &lattice);
  /// As above; `lattice` may be null (atoms from a data file), and a key given as `auto` is then an input
  /// error on that key (there is no lattice to take its value from).
  PotentialParams potential_params(const config::Deck &deck, const Lattice *lattice);

  /// Creates the potential `style` from `params` (the keys each style declares; see PotentialStyle).
  /// A file or element given to a style that takes none is an error.
  /// @throws std::invalid_argument for an unknown style (listing the known ones), a missing or unknown
  ///         parameter, or invalid values.
  std::unique_ptr<Potential> create_potential(const std::string &style, const PotentialParams &params);
} // namespace seam::md
