// Provenance of an output file: the deck text, the seam version and commit, the unit system and the
// MD/FE rank counts, written as root attributes of every HDF5 file seam produces.
#pragma once

#include <string>

namespace seam::io
{
  class Hdf5File;

  /// What a reader of any output file needs to know about the run that wrote it.
  struct Provenance
  {
    std::string deck;         ///< the full deck text as read (before --set overrides are applied)
    std::string seam_version; ///< seam::version_string unless set otherwise
    std::string git_commit;   ///< seam::git_commit unless set otherwise
    std::string units;        ///< "metal" | "lj"
    int         md_ranks = 0; ///< ranks of the MD partition (0 for an FE-only run)
    int         fe_ranks = 0; ///< ranks of the FE partition (0 for an MD-only run)

    /// Fills seam_version and git_commit from the build (seam/version.h).
    Provenance();
    Provenance(std::string deck_text, std::string unit_system, int n_md_ranks, int n_fe_ranks);
  };

  /// Writes `provenance` as the root attributes `deck`, `seam_version`, `git_commit`, `units` (strings)
  /// and `md_ranks`, `fe_ranks` (64-bit integers). Collective on the file's communicator.
  void write_provenance(Hdf5File &file, const Provenance &provenance);

  /// Reads the attributes written by write_provenance back (to every rank). Collective.
  Provenance read_provenance(const Hdf5File &file);
} // namespace seam::io
