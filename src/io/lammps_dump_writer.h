// Atom frames as a LAMMPS text dump (dump custom), for OVITO and LAMMPS' read_dump.
#pragma once

#include "base/types.h"

#include <mpi.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace seam::io
{
  /// One rank's owned atoms at one dump step: plain arrays the writer does not own or keep.
  struct DumpFrame
  {
    std::int64_t                    step    = 0;       ///< MD step (ITEM: TIMESTEP)
    std::size_t                     n_atoms = 0;       ///< atoms owned by this rank (may be 0)
    const GlobalId                 *id      = nullptr; ///< global ids
    const Vec3                     *x       = nullptr; ///< positions, wrapped into the box along periodic axes
    const Vec3                     *v       = nullptr; ///< velocities
    const std::array<int, 3>       *image   = nullptr; ///< periodic image flags
    const double                   *extra   = nullptr; ///< n_atoms x n_extra values, row-major (may be null if n_extra = 0)
  };

  /// Writes atom frames to one text file in the format of LAMMPS `dump custom`
  /// (https://docs.lammps.org/dump.html), frames appended:
  ///
  ///     ITEM: TIMESTEP
  ///     <step>
  ///     ITEM: NUMBER OF ATOMS
  ///     <N>
  ///     ITEM: BOX BOUNDS <bx> <by> <bz>
  ///     xlo xhi
  ///     ylo yhi
  ///     zlo zhi
  ///     ITEM: ATOMS id type x y z vx vy vz ix iy iz <extra names...>
  ///     one line per atom, sorted by id
  ///
  /// Box flags as LAMMPS' `boundary`: pp for a periodic axis (bounds = the box); mm for a free axis (LAMMPS
  /// "shrink-wrapped with a minimum": the box, grown to hold every atom, since seam's free axes lose no
  /// atoms); axes beyond the dimension pp with bounds -0.5 0.5, as LAMMPS writes 2D boxes. Every atom has
  /// type 1 (seam has one species). Numbers are written with the shortest decimal text that reads back
  /// to the same double, so a reader sees the exact positions. Units are the run's (seam's metal and lj
  /// units are LAMMPS'). LAMMPS `read_dump file step x y z vx vy vz ix iy iz box yes` reads a frame,
  /// OVITO reads the file as a trajectory.
  ///
  /// The ranks send their atoms to rank 0, which writes (memory on rank 0: all atoms of one frame).
  class LammpsDumpWriter
  {
  public:
    /// Creates (truncates) `path`, or with `restart_step` >= 0 continues it: the frames up to that step
    /// are kept and later ones (written after the checkpoint a run restarts from) are cut off, so the
    /// file has no gap and no duplicate. Collective on `comm` (not owned).
    /// @param lo, hi       the box [length]
    /// @param periodic     per axis; axes >= dimension are written as pp
    /// @param extra_names  names of the extra per-atom columns, after ix iy iz
    /// @throws seam::RuntimeError on every rank if rank 0 cannot create or cut the file.
    LammpsDumpWriter(std::string path, const Vec3 &lo, const Vec3 &hi, std::array<bool, 3> periodic,
                     int dimension, std::vector<std::string> extra_names, MPI_Comm comm,
                     std::int64_t restart_step = -1);

    /// Appends one frame. Collective; every rank passes its own atoms and the same step.
    /// @throws seam::RuntimeError on every rank on an I/O failure.
    void write(const DumpFrame &frame);

    const std::string &path() const { return path_; }
    std::size_t        n_extra() const { return extra_names_.size(); }

  private:
    std::string              path_;
    Vec3                     lo_, hi_;
    std::array<bool, 3>      periodic_;
    int                      dimension_;
    std::vector<std::string> extra_names_;
    MPI_Comm                 comm_;
  };
} // namespace seam::io
