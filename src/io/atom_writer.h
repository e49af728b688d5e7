// Atom frames: one HDF5 file per output step (atoms_<step>.h5) and the atoms.xdmf temporal collection.
#pragma once

#include "base/types.h"
#include "base/units.h"
#include "io/provenance.h"
#include "io/xdmf_series.h"

#include <mpi.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace seam::io
{
  /// One rank's owned atoms at one output step: plain arrays the writer does not own or keep.
  /// Every vector has 3 components; components beyond the run's dimension must be zero.
  struct AtomFrame
  {
    std::int64_t    step = 0;       ///< MD step
    double          time = 0;       ///< step * dt (time units)
    std::size_t     n_atoms = 0;    ///< atoms owned by this rank (may be 0)
    const GlobalId *id = nullptr;   ///< n_atoms global ids
    const Vec3     *reference_position = nullptr; ///< lattice sites X (length)
    const Vec3     *displacement = nullptr;       ///< u = x - X (length)
    const Vec3     *velocity = nullptr;           ///< (velocity units)
    const double   *weight = nullptr;             ///< atomistic weight in [0,1] (1 in the MD core)
    /// With `with_coordination` (the same on every rank): n_atoms neighbour counts (MdSystem::coordination).
    bool            with_coordination = false;
    const double   *coordination      = nullptr;
  };

  /// Writes atom frames for ParaView and scripts. The file `<dir>/atoms_<step, 8 digits>.h5` holds the
  /// datasets (every one with a `units` attribute) `id` (int64), `reference_position`, `displacement`,
  /// `velocity`, `position` = reference_position + displacement (all n x 3), `weight` (n), `coordination` (n, when
  /// the frame has it) and `cells`
  /// (n x 1 int64, the row index: one vertex cell per atom for the XDMF Polyvertex topology), the root
  /// attributes of Provenance plus `time` (double) and `step` (int64); `<dir>/atoms.xdmf` gains a grid
  /// whose geometry is `position` (the current configuration) with Polyvertex topology.
  /// Rows are stacked in rank order (rank 0's atoms first); the order within a rank is the caller's.
  class AtomWriter
  {
  public:
    /// Collective on `comm` (creates `directory` if missing). `comm` is not owned.
    /// With `restart_step` >= 0 the existing atoms.xdmf is continued: its frames up to that step are kept
    /// (XdmfSeries' restart constructor); otherwise a new series starts.
    AtomWriter(std::string directory, Provenance provenance, UnitSystem units, MPI_Comm comm,
              std::int64_t restart_step = -1);

    /// Writes one frame. Collective on the communicator; every rank passes its own atoms and the same
    /// step and time. Throws seam::RuntimeError on every rank on I/O failure.
    void write(const AtomFrame &frame);

    /// The HDF5 file name (no directory) of a step: "atoms_00002000.h5".
    static std::string file_name(std::int64_t step);
    const XdmfSeries &series() const { return series_; }

  private:
    std::string directory_;
    Provenance  provenance_;
    UnitSystem  units_;
    MPI_Comm    comm_;
    XdmfSeries  series_;
  };
} // namespace seam::io
