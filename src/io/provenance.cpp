// Provenance attributes of seam's HDF5 files.
#include "io/provenance.h"

#include "io/hdf5_file.h"

#include "seam/version.h"

#include <utility>

namespace seam::io
{
  Provenance::Provenance() : seam_version(seam::version_string), git_commit(seam::git_commit) {}

  Provenance::Provenance(std::string deck_text, std::string unit_system, int n_md_ranks, int n_fe_ranks)
    : deck(std::move(deck_text))
    , seam_version(seam::version_string)
    , git_commit(seam::git_commit)
    , units(std::move(unit_system))
    , md_ranks(n_md_ranks)
    , fe_ranks(n_fe_ranks)
  {}

  void write_provenance(Hdf5File &file, const Provenance &provenance)
  {
    file.write_attribute("deck", provenance.deck);
    file.write_attribute("seam_version", provenance.seam_version);
    file.write_attribute("git_commit", provenance.git_commit);
    file.write_attribute("units", provenance.units);
    file.write_attribute("md_ranks", static_cast<std::int64_t>(provenance.md_ranks));
    file.write_attribute("fe_ranks", static_cast<std::int64_t>(provenance.fe_ranks));
  }

  Provenance read_provenance(const Hdf5File &file)
  {
    Provenance p;
    p.deck = file.read_string_attribute("deck");
    p.seam_version = file.read_string_attribute("seam_version");
    p.git_commit = file.read_string_attribute("git_commit");
    p.units = file.read_string_attribute("units");
    p.md_ranks = static_cast<int>(file.read_int64_attribute("md_ranks"));
    p.fe_ranks = static_cast<int>(file.read_int64_attribute("fe_ranks"));
    return p;
  }
} // namespace seam::io
