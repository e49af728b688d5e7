// Crystal lattices (fcc, bcc, sc in 3D with an orthogonal orientation; hex in 2D; chain in 1D) and the
// enumeration of their sites inside an axis-aligned box.
#pragma once

#include "base/types.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace seam::md
{
  enum class LatticeStyle
  {
    fcc,   ///< face-centred cubic, 3D; constant = cubic lattice constant a
    bcc,   ///< body-centred cubic, 3D; constant = a
    sc,    ///< simple cubic, 3D; constant = a
    hex,   ///< 2D triangular lattice; constant = nearest-neighbour distance, a row of atoms along x
    chain  ///< 1D chain along x; constant = spacing
  };

  /// "fcc" | "bcc" | "sc" | "hex" | "chain"; anything else throws std::invalid_argument naming the
  /// known styles.
  LatticeStyle parse_lattice_style(const std::string &name);
  std::string  to_string(LatticeStyle style);

  /// A lattice site found in a box, with its integer address: the oriented periodic cell `cell` (one
  /// index per box axis, 0 on axes beyond the dimension) and the site `basis` within that cell. The
  /// address is unique and does not depend on the box that was searched, so it can make atom ids that
  /// do not depend on the domain decomposition.
  struct LatticeSite
  {
    Vec3                        x{};
    std::array<std::int64_t, 3> cell{};
    int                         basis = 0;
  };

  /// A Bravais lattice rotated into the box frame, with a site at the origin.
  ///
  /// Construction (as LAMMPS' `lattice ... orient`): for the cubic styles row i of `orientation` is the
  /// crystal direction [h k l] that lies along box axis i; the rows must be mutually orthogonal and need
  /// not be normalised. Every site coordinate along box axis i is then an integer multiple of
  /// h_i = a / (2 |d_i|) (d_i = row i), and the shortest lattice translation along axis i, period(i), is
  /// an integer multiple K_i of h_i. Sites are therefore enumerated in exact integer arithmetic in the
  /// oriented periodic cell [0, period(0)) x [0, period(1)) x [0, period(2)), and that cell is tiled; a
  /// site's coordinates are computed by one multiplication h_i * integer, so the same site has
  /// bit-identical coordinates whatever box it is found in.
  ///
  /// Box membership lo <= X < hi is tested with the tolerance tol = 1e-9 * constant: a site is in the
  /// box when lo_i - tol <= X_i < hi_i - tol on every active axis, so a site meant to lie on lo (up to
  /// round-off in lo) is included and one on hi is excluded. Adjacent boxes sharing a face therefore
  /// partition the sites exactly (no site twice, none lost).
  ///
  /// Source: the lattice geometry follows LAMMPS `lattice` (src/lattice.cpp, orient keywords), but the
  /// enumeration above is our own integer formulation.
  class Lattice
  {
  public:
    /// @param style        lattice style
    /// @param constant     a for fcc/bcc/sc, nearest-neighbour distance for hex and chain [length], > 0
    /// @param orientation  rows = crystal directions along x, y, z (3D styles; ignored for hex, chain)
    /// @param dimension    1 (chain), 2 (hex) or 3 (fcc, bcc, sc)
    /// @throws std::invalid_argument on a non-positive constant, a style/dimension mismatch, a zero row or
    ///         non-orthogonal rows.
    Lattice(LatticeStyle style, double constant, std::array<std::array<int, 3>, 3> orientation,
            int dimension);

    LatticeStyle style() const { return style_; }
    double       constant() const { return constant_; }
    int          dimension() const { return dimension_; }

    /// Shortest lattice translation along box axis `axis` [length]: a periodic box length must be a
    /// whole multiple of it. 0 for axes beyond the dimension.
    double period(int axis) const { return h_[axis] * static_cast<double>(k_[axis]); }

    /// Number of sites in the oriented periodic cell (product of the periods / volume_per_atom()).
    int n_cell_sites() const { return static_cast<int>(cell_sites_.size()); }

    /// All sites X with lo <= X < hi on the first `dimension` axes (see the class comment for the
    /// tolerance); trailing components are 0. Ordered by cell (x fastest) then basis.
    std::vector<Vec3> sites_in_box(const Vec3 &lo, const Vec3 &hi) const;

    /// As sites_in_box, with each site's integer address.
    std::vector<LatticeSite> indexed_sites_in_box(const Vec3 &lo, const Vec3 &hi) const;

    /// Number of sites in the box, without storing them.
    std::size_t count_sites(const Vec3 &lo, const Vec3 &hi) const;

    double nearest_neighbor_distance() const; ///< [length]
    /// Volume (3D), area (2D) or length (1D) per site.
    double volume_per_atom() const;
    /// The tolerance used for box membership: 1e-9 * constant [length].
    double tolerance() const { return 1e-9 * constant_; }

  private:
    template <typename Visit>
    void for_each_site(const Vec3 &lo, const Vec3 &hi, Visit &&visit) const;

    LatticeStyle style_;
    double       constant_;
    int          dimension_;
    std::array<double, 3>       h_{};  ///< integer coordinate unit per box axis [length]
    std::array<std::int64_t, 3> k_{};  ///< period in units of h_
    std::vector<std::array<std::int64_t, 3>> cell_sites_; ///< integer coordinates in the periodic cell
  };
} // namespace seam::md
