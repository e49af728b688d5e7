// Atom frames in HDF5 plus their XDMF description.
#include "io/atom_writer.h"

#include "io/hdf5_file.h"

#include <fmt/format.h>

#include <utility>
#include <vector>

namespace seam::io
{
  static_assert(sizeof(Vec3) == 3 * sizeof(double), "Vec3 arrays are written as n x 3 doubles");

  AtomWriter::AtomWriter(std::string directory, Provenance provenance, UnitSystem units, MPI_Comm comm,
                                        std::int64_t restart_step)
    : directory_(std::move(directory))
    , provenance_(std::move(provenance))
    , units_(units)
    , comm_(comm)
    , series_(restart_step < 0 ? XdmfSeries(directory_ + "/atoms.xdmf", "atoms", comm)
                               : XdmfSeries(directory_ + "/atoms.xdmf", "atoms", comm, restart_step))
  {}

  std::string AtomWriter::file_name(std::int64_t step)
  {
    return fmt::format("atoms_{:08d}.h5", step);
  }

  void AtomWriter::write(const AtomFrame &frame)
  {
    const std::size_t   n = frame.n_atoms;
    std::vector<Vec3>   position(n);
    for (std::size_t i = 0; i < n; ++i)
      for (int d = 0; d < 3; ++d)
        position[i][d] = frame.reference_position[i][d] + frame.displacement[i][d];

    // Vertex cells, one per atom, numbered by global row: the Xdmf3 readers of ParaView make no cells
    // (and draw nothing) for a Polyvertex topology without explicit connectivity.
    unsigned long long n_local = n, first = 0, n_global = 0;
    MPI_Exscan(&n_local, &first, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, comm_);
    int rank = 0;
    MPI_Comm_rank(comm_, &rank);
    if (rank == 0)
      first = 0;
    MPI_Allreduce(&n_local, &n_global, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, comm_);
    std::vector<std::int64_t> vertex_cells(n);
    for (std::size_t i = 0; i < n; ++i)
      vertex_cells[i] = static_cast<std::int64_t>(first + i);

    const std::string length = unit_symbol(units_, Quantity::length);
    const std::string name = file_name(frame.step);
    {
      Hdf5File file(directory_ + "/" + name, Hdf5File::Mode::create, comm_);
      write_provenance(file, provenance_);
      file.write_attribute("time", frame.time);
      file.write_attribute("step", frame.step);
      file.write_attribute("time_units", unit_symbol(units_, Quantity::time));
      auto rows = [](const Vec3 *v) { return v == nullptr ? nullptr : v->data(); };
      file.write_int64("id", frame.id, n, "1");
      file.write_rows("position", rows(position.data()), n, 3, length);
      file.write_rows("reference_position", rows(frame.reference_position), n, 3, length);
      file.write_rows("displacement", rows(frame.displacement), n, 3, length);
      file.write_rows("velocity", rows(frame.velocity), n, 3, unit_symbol(units_, Quantity::velocity));
      file.write_values("weight", frame.weight, n, "1");
      if (frame.with_coordination)
        file.write_values("coordination", frame.coordination, n, "1");
      file.write_int64_rows("cells", vertex_cells.data(), n, 1, "1");
    } // closed before the XDMF names it

    XdmfFrame xf;
    xf.time = frame.time;
    xf.step = frame.step;
    xf.h5_file = name;
    xf.n_points = n_global;
    xf.geometry_dataset = "/position";
    xf.topology = XdmfTopology::polyvertex;
    xf.connectivity_dataset = "/cells";
    xf.attributes = {{"id", "/id", 1, true},
                     {"reference_position", "/reference_position", 3, false},
                     {"displacement", "/displacement", 3, false},
                     {"velocity", "/velocity", 3, false},
                     {"weight", "/weight", 1, false}};
    if (frame.with_coordination)
      xf.attributes.push_back({"coordination", "/coordination", 1, false});
    series_.add_frame(xf);
  }
} // namespace seam::io
