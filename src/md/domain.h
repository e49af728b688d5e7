// The simulation box (bounds, periodic flags, dimension) and its split over the MD ranks into a
// regular processor grid; which sub-box this rank owns.
#pragma once

#include "base/types.h"

#include <mpi.h>

#include <array>

namespace seam::md
{
  class Atoms;

  /// The box [lo, hi) and a regular processor grid over its first `dimension` axes (spatial
  /// decomposition, Plimpton 1995, J. Comp. Phys. 117, 1). The grid comes from MPI_Dims_create over
  /// the active axes; its largest factor goes to the longest axis. Unused axes keep 1 rank.
  ///
  /// Sub-box boundaries along axis k are split(k, c) = lo + (hi - lo) * c / p (exactly lo and hi at the
  /// ends), computed identically on every rank so neighbouring sub-boxes share bit-identical faces.
  /// Along a free (non-periodic) axis the first and last sub-boxes are open outwards: atoms that leave
  /// the box stay with the end rank (ownership clamps), and no ghosts are made beyond the box.
  ///
  /// Rank layout: rank = c0 + p0 * (c1 + p1 * c2) on the communicator (a duplicate of the one passed in,
  /// freed by the destructor; construction and destruction are collective on it).
  class Domain
  {
  public:
    /// @param comm       MD communicator (duplicated)
    /// @param lo, hi     box bounds [length]; hi > lo on the first `dimension` axes
    /// @param periodic   per axis; ignored beyond `dimension`
    /// @param dimension  1, 2 or 3
    /// @param grid       ranks per axis, or all 0 to choose (product must equal the communicator size)
    /// @throws std::invalid_argument on bad bounds, dimension or grid (same verdict on every rank).
    Domain(MPI_Comm comm, const Vec3 &lo, const Vec3 &hi, std::array<bool, 3> periodic, int dimension,
           std::array<int, 3> grid = {0, 0, 0});
    ~Domain();
    Domain(const Domain &) = delete;
    Domain &operator=(const Domain &) = delete;

    MPI_Comm comm() const { return comm_; }
    int      rank() const { return rank_; }
    int      n_ranks() const { return size_; }
    int      dimension() const { return dimension_; }

    const Vec3 &lo() const { return lo_; }
    const Vec3 &hi() const { return hi_; }
    /// hi - lo on active axes, 0 beyond the dimension [length].
    const Vec3 &length() const { return length_; }
    bool        is_periodic(int axis) const { return periodic_[axis]; }

    int n_ranks_along(int axis) const { return grid_[axis]; }
    int coord(int axis) const { return coord_[axis]; }
    /// Rank of the neighbour one step along `axis` in direction dir = -1 | +1, wrapping on periodic
    /// axes; MPI_PROC_NULL past a free end.
    int neighbor(int axis, int dir) const;
    /// Sub-box boundary c (0..p) along axis [length].
    double split(int axis, int c) const;
    double sub_lo(int axis) const { return split(axis, coord_[axis]); }
    double sub_hi(int axis) const { return split(axis, coord_[axis] + 1); }
    /// Nominal sub-box width along an active axis (all sub-boxes along an axis have it) [length].
    double sub_width(int axis) const { return length_[axis] / grid_[axis]; }

    /// True if position component x along `axis` belongs to this rank's slab, counting the open ends
    /// of free axes. @pre x is wrapped into the box on periodic axes.
    bool in_slab(int axis, double x) const;

    /// Wraps owned atoms into [lo, hi) along periodic axes, shifting x0 with x and counting images.
    void wrap(Atoms &atoms) const;

  private:
    MPI_Comm            comm_ = MPI_COMM_NULL;
    int                 rank_ = 0, size_ = 1, dimension_ = 3;
    Vec3                lo_{}, hi_{}, length_{};
    std::array<bool, 3> periodic_{};
    std::array<int, 3>  grid_{1, 1, 1}, coord_{0, 0, 0};
  };
} // namespace seam::md
