// Continuum frames: nodal displacement, velocity and weight of a deal.II mesh at one output step in
// continuum_<step>.h5, described by the continuum.xdmf temporal collection.
#pragma once

#include "base/types.h"
#include "base/units.h"
#include "io/provenance.h"
#include "io/xdmf_series.h"

#include <deal.II/base/index_set.h>
#include <deal.II/base/point.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/lac/la_parallel_vector.h>

#include <mpi.h>

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace seam::io
{
  /// The continuum state at one output step, as deal.II objects the writer reads but does not keep.
  template <int dim>
  struct ContinuumFrame
  {
    using Vector = dealii::LinearAlgebra::distributed::Vector<double>;

    std::int64_t step = 0; ///< MD step (FE step of an FE-only run)
    double       time = 0; ///< simulation time
    /// DoFHandler of an FESystem(FE_Q(p), dim) on a parallel::distributed or parallel::shared
    /// Triangulation (or a plain Triangulation, written by rank 0 alone).
    const dealii::DoFHandler<dim> *dof_handler = nullptr;
    const Vector                  *displacement = nullptr; ///< on dof_handler (length units)
    const Vector                  *velocity = nullptr;     ///< on dof_handler (velocity units)
    /// Nodal weight either as a vector on a scalar FE_Q DoFHandler of the same triangulation (ghosted:
    /// it is read at every vertex of the locally owned cells) ...
    const dealii::DoFHandler<dim> *weight_dof_handler = nullptr;
    const Vector                  *weight = nullptr;
    /// ... or, when `weight` is null, as a function of the reference position (1 when both are empty).
    std::function<double(const dealii::Point<dim> &)> weight_function;
    /// Optional nodal Cauchy stress (stress units), written as `stress` when stress[0] is set (on every
    /// rank alike; then all dim must be): stress[i] is row i of sigma as a ghosted vector on dof_handler, its component
    /// j at a vertex being sigma_ij (seam::fe::Elastodynamics::compute_nodal_stress gives this).
    std::array<const Vector *, dim> stress{};
  };

  /// Writes the continuum for ParaView and scripts: the mesh vertices once each (the vertex values of
  /// the FE_Q fields; higher-order nodes inside cells are not written) and the cells as linear
  /// Polyline / Quadrilateral / Hexahedron in VTK vertex order.
  ///
  /// `<dir>/continuum_<step, 8 digits>.h5` holds (each with a `units` attribute) `position` (current
  /// configuration X + u, padded to 3D, the XDMF geometry), `reference_position`, `displacement`,
  /// `velocity` (n x 3, zeros beyond dim), `weight` (n), optionally `stress` (n x 9: the full 3 x 3
  /// tensor row by row, xx xy xz yx yy yz zx zy zz, which ParaView shows as a 9-component tensor with
  /// components XX ... ZZ; entries with an index >= dim are 0, so the out-of-plane sigma_zz of 2D plane
  /// strain is not reported), `cells` (n_cells x 2^dim int64 indices into the
  /// node rows), and the Provenance root attributes plus `time` and `step`. A vertex is written by the
  /// rank owning its first displacement DoF; cells by the rank owning them.
  /// Vertex ordering follows the XDMF/VTK convention (VTK file formats, "Linear cell types").
  template <int dim>
  class ContinuumWriter
  {
  public:
    /// Collective on `comm` (the triangulation's communicator; not owned). Creates `directory`.
    /// With `restart_step` >= 0 the existing continuum.xdmf is continued: its frames up to that step are kept
    /// (XdmfSeries' restart constructor); otherwise a new series starts.
    ContinuumWriter(std::string directory, Provenance provenance, UnitSystem units, MPI_Comm comm,
              std::int64_t restart_step = -1);

    /// Writes one frame. Collective on the communicator. Throws seam::RuntimeError on every rank on
    /// I/O failure or when the DoFHandler is not an FESystem of dim FE_Q components.
    void write(const ContinuumFrame<dim> &frame);

    /// The HDF5 file name (no directory) of a step: "continuum_00002000.h5".
    static std::string file_name(std::int64_t step);
    const XdmfSeries &series() const { return series_; }

  private:
    /// The vertex values this rank writes, one entry per vertex it numbers.
    struct NodeValues
    {
      std::vector<Vec3>                  reference, displacement, velocity;
      std::vector<double>                weight;
      std::vector<std::array<double, 9>> stress; ///< empty without the frame's stress
    };

    /// Throws RuntimeError (on every rank alike) for an incomplete frame or an element it cannot write.
    static void check_frame(const ContinuumFrame<dim> &frame);
    /// Numbers (node index + 1 in `node_number`) and collects the vertices whose first DoF this rank
    /// owns, over its owned cells (none unless `writes_cells`).
    static NodeValues collect_nodes(const ContinuumFrame<dim> &frame, const dealii::IndexSet &owned,
                                    bool writes_cells, typename ContinuumFrame<dim>::Vector &node_number);
    /// The owned cells' node indices in VTK order (node_number ghosted, offset to global indices).
    /// Collective on `comm`: throws everywhere if a vertex was not numbered.
    static std::vector<std::int64_t> cell_nodes(const dealii::DoFHandler<dim> &dofs, bool writes_cells,
                                                const typename ContinuumFrame<dim>::Vector &node_number,
                                                MPI_Comm comm);
    /// Writes the frame's HDF5 file. Collective.
    void write_h5(const std::string &path, const ContinuumFrame<dim> &frame, const NodeValues &nodes,
                  const std::vector<std::int64_t> &cells) const;

    std::string directory_;
    Provenance  provenance_;
    UnitSystem  units_;
    MPI_Comm    comm_;
    XdmfSeries  series_;
  };
} // namespace seam::io
