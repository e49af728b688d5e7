// Reading atoms from a LAMMPS data file (atom_style atomic): md.lattice.style: data.
#pragma once

#include "base/types.h"

#include <array>
#include <map>
#include <string>
#include <vector>

namespace seam::md
{
  /// The atoms of a LAMMPS data file with atom_style atomic, as `read_data` reads it
  /// (https://docs.lammps.org/read_data.html):
  ///
  ///     first line: a comment (skipped)
  ///     header:     "N atoms", "N atom types", "xlo xhi", "ylo yhi", "zlo zhi" (any order, blank lines
  ///                 and '#' comments ignored); "xy xz yz" (a triclinic box) is refused
  ///     sections:   a keyword line, a blank line, then one line per entry:
  ///                 Masses      "type mass"                      (one line per atom type, optional)
  ///                 Atoms       "id type x y z [ix iy iz]"       (the keyword may be followed by
  ///                                                              "# atomic"; another style is refused)
  ///                 Velocities  "id vx vy vz"                    (optional)
  ///                 Pair Coeffs / PairIJ Coeffs                  (skipped: the deck sets the potential)
  ///
  /// Every other section (Bonds, Ellipsoids, ...) is refused: they belong to other atom styles.
  /// Values are in the run's unit system, as LAMMPS' are in its `units` (seam's metal and lj units are
  /// LAMMPS').
  struct LammpsDataFile
  {
    std::string                 path;
    long                        n_types = 0;
    Vec3                        lo{}, hi{};           ///< box bounds xlo ylo zlo, xhi yhi zhi [length]
    std::map<long, double>      masses;              ///< type -> mass (empty without a Masses section)
    std::vector<GlobalId>       id;                  ///< atom ids (> 0, unique)
    std::vector<long>           type;                ///< atom types (1..n_types)
    std::vector<Vec3>           x;                   ///< positions as written [length]
    std::vector<std::array<int, 3>> image;           ///< image flags (0 when the file has none)
    std::vector<Vec3>           v;                   ///< velocities; empty without a Velocities section
    std::vector<int>            line;                ///< line of each atom in the file (for messages)
  };

  /// Reads `path`. Every rank may call it and gets the same result or the same error.
  /// @throws seam::InputError "path:line: what was found, what was expected" for an unreadable or
  ///         malformed file, a non-atomic Atoms section, duplicate or missing ids, a triclinic box,
  ///         a type outside 1..n_types, or Velocities for an id that has no atom.
  LammpsDataFile read_lammps_data_file(const std::string &path);
} // namespace seam::md
