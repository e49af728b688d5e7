// The cross-field checks of a deck that need nothing but the deck (the schema checks each value alone),
// one function per section in cross_checks.cpp. Checks that need the lattice or the rank count are in
// app/deck_checks.h.
#pragma once

#include "config/deck.h"

namespace seam::config
{
  /// Runs the checks of the parts present (md and/or fe; coupling iff both), then md (lattice against
  /// dimension, orientation, region, readable potential files), fe (domain, element sizes, material,
  /// boundary list), coupling (md.region inside fe.domain, the band, step multiples of substeps),
  /// initial and run, in this order: the first failure is the error reported. Called by Deck::load.
  /// @throws InputError, identically on every rank.
  void check_cross_fields(const Deck &deck);
} // namespace seam::config
