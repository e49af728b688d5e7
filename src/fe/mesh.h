// The continuum mesh: a box domain minus an optional MD-only hole, graded from a fine size in the
// handshake band to a coarse size far away, distributed over the FE communicator.
#pragma once

#include "fe/box.h"

#include <deal.II/grid/tria.h>

#include <mpi.h>

#include <array>
#include <memory>
#include <optional>
#include <vector>

namespace seam::fe
{
  /// Boundary ids of the mesh: faces of the domain box, then the faces of the hole.
  namespace boundary_id
  {
    constexpr unsigned x_lo = 0, x_hi = 1, y_lo = 2, y_hi = 3, z_lo = 4, z_hi = 5, hole = 6;
  }

  /// Tensor-product mesh of `domain` minus `hole`, built from one graded coordinate list per axis.
  ///
  /// Per axis the break points are the faces of domain, md_region and hole. Intervals inside the
  /// md_region's extent get uniform elements of size <= near; intervals outside it grow geometrically
  /// away from the md_region (ratio `growth`, capped at `far`), each interval holding a whole number of
  /// elements, so element faces lie on every hole and md_region face for any input numbers. The
  /// product mesh is conforming (no hanging nodes). The cells inside the hole are then removed
  /// (GridGenerator::create_triangulation_with_removed_cells).
  ///
  /// Limitation of the tensor product: an element is `near` wide along an axis wherever it lies in the
  /// md_region's extent along that axis, also far away in the other axes (aspect ratio up to far/near).
  /// The explicit stable step is set by the band's elements anyway.
  ///
  /// Without a hole and md_region the mesh is uniform with size <= near.
  ///
  /// The triangulation is parallel::distributed (p4est, each coarse cell a tree, no refinement) for
  /// dim = 2, 3 and parallel::shared with z-order (contiguous) partitioning for dim = 1.
  ///
  /// Boundary ids: see seam::fe::boundary_id (x_lo = 0 ... z_hi = 5 on domain faces, 6 on hole faces).
  template <int dim>
  class Mesh
  {
  public:
    struct Params
    {
      Box<dim> domain;
      /// MD-only core, removed from the mesh; absent for an FE-only run.
      std::optional<Box<dim>> hole;
      /// hole grown by the handshake width on the faces that border the continuum; defaults to the hole.
      std::optional<Box<dim>> md_region;
      double near   = 1.0; ///< element size in the md_region's extent (length units)
      double far    = 1.0; ///< largest element size (length units), >= near
      double growth = 1.2; ///< ratio of neighbouring element sizes outside the md_region, > 1
    };

    /// Builds the mesh. Collective on `comm` (the FE communicator, not owned, must outlive the mesh).
    /// @throws seam::InputError (on every rank alike) if the boxes are invalid or not nested
    /// (hole inside md_region inside domain) or the sizes are not 0 < near <= far, growth > 1.
    Mesh(MPI_Comm comm, const Params &params);
    ~Mesh();

    dealii::Triangulation<dim>       &triangulation() { return *tria_; }
    const dealii::Triangulation<dim> &triangulation() const { return *tria_; }
    MPI_Comm                          communicator() const { return comm_; }
    const Params                     &params() const { return params_; }

    /// The element face coordinates along `axis` (ascending, first = domain.lo, last = domain.hi).
    const std::vector<double> &coordinates(unsigned axis) const { return coordinates_[axis]; }

    /// Cells of the whole mesh (all ranks).
    unsigned long n_cells() const;

    /// The element sizes for one axis interval [a, b], summing exactly to b - a: uniform <= near if
    /// `fine`; otherwise starting at exactly `near` next to `start_fine_at_a ? a : b` and growing by a
    /// constant ratio <= growth, capped at far (uniform <= near if the interval is too short to grade).
    /// Exposed for tests.
    static std::vector<double> interval_sizes(double a, double b, bool fine, bool start_fine_at_a,
                                              double near, double far, double growth);

  private:
    MPI_Comm                                    comm_;
    Params                                      params_;
    std::unique_ptr<dealii::Triangulation<dim>> tria_;
    std::array<std::vector<double>, dim>        coordinates_;
  };
} // namespace seam::fe
