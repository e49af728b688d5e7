// Continuum frames: vertex values of the FE fields and linear cells, written with Hdf5File.
// The only translation unit of seam_io that instantiates deal.II templates.
#include "io/continuum_writer.h"

#include "base/error.h"
#include "base/types.h"
#include "io/hdf5_file.h"

#include <deal.II/base/index_set.h>
#include <deal.II/base/partitioner.h>
#include <deal.II/distributed/tria_base.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe.h>

#include <fmt/format.h>

#include <array>
#include <memory>
#include <utility>
#include <vector>

namespace seam::io
{
  namespace
  {
    /// deal.II's vertex numbering (lexicographic) -> VTK/XDMF order of the linear cell.
    template <int dim>
    constexpr std::array<unsigned int, (1u << dim)> vtk_order();
    template <>
    constexpr std::array<unsigned int, 2> vtk_order<1>() { return {{0, 1}}; }
    template <>
    constexpr std::array<unsigned int, 4> vtk_order<2>() { return {{0, 1, 3, 2}}; }
    template <>
    constexpr std::array<unsigned int, 8> vtk_order<3>() { return {{0, 1, 3, 2, 4, 5, 7, 6}}; }

    template <int dim>
    constexpr XdmfTopology topology()
    {
      return dim == 1 ? XdmfTopology::polyline : dim == 2 ? XdmfTopology::quadrilateral : XdmfTopology::hexahedron;
    }

    /// Why the finite element cannot be written, or "" if it can: vertex DoF c must be component c.
    template <int dim>
    std::string check_element(const dealii::FiniteElement<dim> &fe)
    {
      if (fe.n_components() != dim || fe.n_dofs_per_vertex() != dim)
        return fmt::format("expected an FESystem of {} FE_Q components, got '{}'", dim, fe.get_name());
      for (unsigned int c = 0; c < dim; ++c)
        if (fe.system_to_component_index(c).first != c)
          return fmt::format("vertex DoF {} of '{}' is not component {}", c, fe.get_name(), c);
      return "";
    }
  } // namespace

  template <int dim>
  ContinuumWriter<dim>::ContinuumWriter(std::string directory, Provenance provenance, UnitSystem units,
                                        MPI_Comm comm, std::int64_t restart_step)
    : directory_(std::move(directory))
    , provenance_(std::move(provenance))
    , units_(units)
    , comm_(comm)
    , series_(restart_step < 0 ? XdmfSeries(directory_ + "/continuum.xdmf", "continuum", comm)
                               : XdmfSeries(directory_ + "/continuum.xdmf", "continuum", comm, restart_step))
  {}

  template <int dim>
  std::string ContinuumWriter<dim>::file_name(std::int64_t step)
  {
    return fmt::format("continuum_{:08d}.h5", step);
  }

  template <int dim>
  void ContinuumWriter<dim>::write(const ContinuumFrame<dim> &frame)
  {
    check_frame(frame);
    const dealii::DoFHandler<dim>    &dofs = *frame.dof_handler;
    const dealii::Triangulation<dim> &tria = dofs.get_triangulation();
    const bool is_parallel = dynamic_cast<const dealii::parallel::TriangulationBase<dim> *>(&tria) != nullptr;
    int        rank = 0;
    MPI_Comm_rank(comm_, &rank);
    // A plain Triangulation is the same on every rank: rank 0 writes it all, the others nothing.
    const bool writes_cells = is_parallel || rank == 0;

    // Node numbering: the rank owning a vertex's first displacement DoF numbers it; the numbers reach
    // the other ranks sharing the vertex through a ghosted vector on the DoFs of their owned cells.
    const dealii::IndexSet owned = dofs.locally_owned_dofs();
    dealii::IndexSet       active;
    dealii::DoFTools::extract_locally_active_dofs(dofs, active);
    auto partitioner = std::make_shared<dealii::Utilities::MPI::Partitioner>(owned, active,
                                                                            is_parallel ? comm_ : MPI_COMM_SELF);
    typename ContinuumFrame<dim>::Vector node_number(partitioner); // node index + 1; 0 = not numbered yet

    const NodeValues nodes = collect_nodes(frame, owned, writes_cells, node_number);
    const unsigned long long n_local = nodes.reference.size();
    unsigned long long       first = 0, n_nodes = 0;
    MPI_Exscan(&n_local, &first, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, comm_);
    if (rank == 0)
      first = 0;
    MPI_Allreduce(&n_local, &n_nodes, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, comm_);
    for (const auto dof : owned)
      if (node_number(dof) != 0)
        node_number(dof) += static_cast<double>(first);
    node_number.update_ghost_values();
    const std::vector<std::int64_t> cells = cell_nodes(dofs, writes_cells, node_number, comm_);

    const unsigned long long n_local_cells = cells.size() / vtk_order<dim>().size();
    unsigned long long       n_cells = 0;
    MPI_Allreduce(&n_local_cells, &n_cells, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, comm_);

    const std::string name = file_name(frame.step);
    write_h5(directory_ + "/" + name, frame, nodes, cells);
    XdmfFrame xf;
    xf.time = frame.time;
    xf.step = frame.step;
    xf.h5_file = name;
    xf.n_points = n_nodes;
    xf.geometry_dataset = "/position";
    xf.topology = topology<dim>();
    xf.n_cells = n_cells;
    xf.connectivity_dataset = "/cells";
    xf.attributes = {{"reference_position", "/reference_position", 3, false},
                     {"displacement", "/displacement", 3, false},
                     {"velocity", "/velocity", 3, false},
                     {"weight", "/weight", 1, false}};
    if (frame.stress[0] != nullptr)
      xf.attributes.push_back({"stress", "/stress", 9, false});
    series_.add_frame(xf);
  }

  template <int dim>
  void ContinuumWriter<dim>::check_frame(const ContinuumFrame<dim> &frame)
  {
    if (frame.dof_handler == nullptr || frame.displacement == nullptr || frame.velocity == nullptr ||
        (frame.weight != nullptr && frame.weight_dof_handler == nullptr))
      throw RuntimeError("continuum output: the frame lacks its DoFHandler, displacement, velocity or the "
                         "DoFHandler of its weight vector");
    const bool has_stress = frame.stress[0] != nullptr;
    for (const auto *row : frame.stress)
      if ((row != nullptr) != has_stress)
        throw RuntimeError("continuum output: the frame's stress has some rows set and others not");
    // The element is the same on every rank, so this check throws everywhere alike.
    if (const std::string problem = check_element(frame.dof_handler->get_fe()); !problem.empty())
      throw RuntimeError("continuum output: " + problem);
  }

  template <int dim>
  typename ContinuumWriter<dim>::NodeValues
  ContinuumWriter<dim>::collect_nodes(const ContinuumFrame<dim> &frame, const dealii::IndexSet &owned,
                                      bool writes_cells, typename ContinuumFrame<dim>::Vector &node_number)
  {
    using Vector                          = typename ContinuumFrame<dim>::Vector;
    const dealii::DoFHandler<dim>    &dofs = *frame.dof_handler;
    const dealii::Triangulation<dim> &tria = dofs.get_triangulation();
    const bool                        has_stress = frame.stress[0] != nullptr;
    NodeValues                        n;
    auto vec3 = [](const Vector &v, const typename dealii::DoFHandler<dim>::active_cell_iterator &cell, unsigned int i) {
      Vec3 out{{0, 0, 0}};
      for (unsigned int c = 0; c < dim; ++c)
        out[c] = v(cell->vertex_dof_index(i, c));
      return out;
    };
    for (const auto &cell : dofs.active_cell_iterators())
      {
        if (!writes_cells || !cell->is_locally_owned())
          continue;
        for (const unsigned int v : cell->vertex_indices())
          {
            const auto dof = cell->vertex_dof_index(v, 0);
            if (!owned.is_element(dof) || node_number(dof) != 0)
              continue;
            node_number(dof) = static_cast<double>(n.reference.size() + 1);
            const dealii::Point<dim> X = cell->vertex(v);
            Vec3                     x{{0, 0, 0}};
            for (unsigned int c = 0; c < dim; ++c)
              x[c] = X[c];
            n.reference.push_back(x);
            n.displacement.push_back(vec3(*frame.displacement, cell, v));
            n.velocity.push_back(vec3(*frame.velocity, cell, v));
            if (frame.weight != nullptr)
              {
                const typename dealii::DoFHandler<dim>::active_cell_iterator weight_cell(&tria, cell->level(),
                                                                                          cell->index(),
                                                                                          frame.weight_dof_handler);
                n.weight.push_back((*frame.weight)(weight_cell->vertex_dof_index(v, 0)));
              }
            else
              n.weight.push_back(frame.weight_function ? frame.weight_function(X) : 1.0);
            if (has_stress)
              {
                std::array<double, 9> sigma{};
                for (unsigned int i = 0; i < dim; ++i)
                  for (unsigned int j = 0; j < dim; ++j)
                    sigma[3 * i + j] = (*frame.stress[i])(cell->vertex_dof_index(v, j));
                n.stress.push_back(sigma);
              }
          }
      }
    return n;
  }

  template <int dim>
  std::vector<std::int64_t> ContinuumWriter<dim>::cell_nodes(const dealii::DoFHandler<dim> &dofs, bool writes_cells,
                                                             const typename ContinuumFrame<dim>::Vector &node_number,
                                                             MPI_Comm comm)
  {
    constexpr auto            order = vtk_order<dim>();
    std::vector<std::int64_t> cells;
    for (const auto &cell : dofs.active_cell_iterators())
      if (writes_cells && cell->is_locally_owned())
        for (const unsigned int v : order)
          cells.push_back(static_cast<std::int64_t>(node_number(cell->vertex_dof_index(v, 0))) - 1);
    // Every vertex of an owned cell must have been numbered by the owner of its DoF (an owned cell of
    // that rank touches it); check collectively so a violation throws everywhere rather than writing -1.
    int missing = 0;
    for (const std::int64_t c : cells)
      missing |= c < 0 ? 1 : 0;
    MPI_Allreduce(MPI_IN_PLACE, &missing, 1, MPI_INT, MPI_MAX, comm);
    if (missing != 0)
      throw RuntimeError("continuum output: a mesh vertex was not numbered by the owner of its DoF "
                         "(are the DoFHandler's owned DoFs those of the triangulation's subdomains?)");
    return cells;
  }

  template <int dim>
  void ContinuumWriter<dim>::write_h5(const std::string &path, const ContinuumFrame<dim> &frame, const NodeValues &n,
                                      const std::vector<std::int64_t> &cells) const
  {
    const unsigned long long n_local       = n.reference.size();
    const unsigned long long n_local_cells = cells.size() / vtk_order<dim>().size();
    std::vector<Vec3>        position(n.reference.size());
    for (std::size_t i = 0; i < position.size(); ++i)
      for (int d = 0; d < 3; ++d)
        position[i][d] = n.reference[i][d] + n.displacement[i][d];

    const std::string length = unit_symbol(units_, Quantity::length);
    Hdf5File          file(path, Hdf5File::Mode::create, comm_);
    write_provenance(file, provenance_);
    file.write_attribute("time", frame.time);
    file.write_attribute("step", frame.step);
    file.write_attribute("time_units", unit_symbol(units_, Quantity::time));
    file.write_attribute("dimension", static_cast<std::int64_t>(dim));
    file.write_rows("position", position.empty() ? nullptr : position[0].data(), n_local, 3, length);
    file.write_rows("reference_position", n.reference.empty() ? nullptr : n.reference[0].data(), n_local, 3, length);
    file.write_rows("displacement", n.displacement.empty() ? nullptr : n.displacement[0].data(), n_local, 3, length);
    file.write_rows("velocity", n.velocity.empty() ? nullptr : n.velocity[0].data(), n_local, 3,
                    unit_symbol(units_, Quantity::velocity));
    file.write_values("weight", n.weight.data(), n_local, "1");
    if (frame.stress[0] != nullptr)
      file.write_rows("stress", n.stress.empty() ? nullptr : n.stress[0].data(), n_local, 9,
                      unit_symbol(units_, Quantity::stress));
    file.write_int64_rows("cells", cells.data(), n_local_cells, vtk_order<dim>().size(), "1");
  }

  template class ContinuumWriter<1>;
  template class ContinuumWriter<2>;
  template class ContinuumWriter<3>;
} // namespace seam::io
