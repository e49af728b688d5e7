// Deck checks that need more than the deck's own text: the number of MPI ranks, the lattice geometry.
#pragma once

#include "config/deck.h"

namespace seam::app
{
  /// Throws config's InputError (identically on every rank) if the deck's geometry is inconsistent with
  /// the lattice (periodic lengths), or, when `world_size` > 0 (seam run), if it cannot run on that many
  /// ranks or asks for a feature this version does not implement yet.
  void check_deck(const config::Deck &deck, int world_size);

  /// How far a periodic md.region length may be from a whole number of lattice periods [length]:
  /// 1e-4 lattice constants; the region is then snapped to the exact multiple.
  double periodic_tolerance(const config::Deck &deck);

  /// The input error of an initial.temperature_region that holds no atom (check_deck for lattices, the
  /// run for atoms from a data file).
  [[noreturn]] void fail_empty_temperature_region(const config::Deck &deck);

  /// MD ranks of a coupled run: parallel.md_ranks, or the cost-based split for `auto`.
  /// @pre check_deck passed.
  int md_ranks(const config::Deck &deck, int world_size);
} // namespace seam::app
