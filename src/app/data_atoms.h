// md.lattice.style: data: the atoms of a LAMMPS data file, checked against the deck.
#pragma once

#include "base/types.h"
#include "config/deck.h"
#include "md/md_system.h"

#include <memory>

namespace seam::app
{
  /// The atoms of md.lattice.file (md::read_lammps_data_file) for an MD run of deck `d`, and the box:
  /// `lo`/`hi` come in as md.region and leave with the file's bounds on periodic axes.
  /// Checks (input errors, the same on every rank): the file's Masses equal md.mass for every type an
  /// atom uses (seam has one mass), coordinates, image flags and velocities beyond `dimension` are 0, and
  /// along periodic axes md.region equals the file's box within 1e-6 of its length.
  /// Every rank reads the whole file. @throws seam::InputError.
  std::shared_ptr<const md::ExplicitAtoms> data_file_atoms(const config::Deck &d, Vec3 &lo, Vec3 &hi);
} // namespace seam::app
