// An XDMF temporal collection for one output stream (atoms or continuum): one grid per frame, heavy
// data in HDF5 files beside the .xdmf, the whole text rewritten atomically after every frame.
#pragma once

#include <mpi.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace seam::io
{
  /// Cell shapes of an XDMF topology. Connectivity datasets list point indices in VTK/XDMF order.
  enum class XdmfTopology
  {
    polyvertex,    ///< points (atoms); with a connectivity dataset (n x 1: 0..n-1) every ParaView XDMF
                   ///< reader makes vertex cells, without one the Xdmf3 readers make none (nothing shows)
    polyline,      ///< 2-node line segments (1D continuum)
    quadrilateral, ///< 4 nodes, counter-clockwise
    hexahedron     ///< 8 nodes: bottom face counter-clockwise, then top face
  };

  /// One nodal array of a frame: a dataset of `n_points x n_components` values in the frame's HDF5 file.
  struct XdmfAttribute
  {
    std::string  name;           ///< name ParaView shows ("displacement")
    std::string  dataset;        ///< path inside the HDF5 file ("/displacement")
    unsigned int n_components = 1; ///< 1 (Scalar) or 3 (Vector)
    bool         is_integer = false; ///< 64-bit integers instead of doubles (atom ids)
  };

  /// Everything the XDMF text needs to describe one output frame.
  struct XdmfFrame
  {
    double        time = 0;   ///< simulation time of the frame (time units of the run)
    std::int64_t  step = 0;   ///< MD step (or FE step of an FE-only run)
    std::string   h5_file;    ///< HDF5 file name relative to the directory of the .xdmf
    std::size_t   n_points = 0;
    std::string   geometry_dataset; ///< n_points x 3 doubles (XYZ)
    XdmfTopology  topology = XdmfTopology::polyvertex;
    std::size_t   n_cells = 0;            ///< ignored for polyvertex (one cell per point)
    std::string   connectivity_dataset;   ///< n_cells x nodes_per_cell int64 (may be empty for polyvertex)
    std::vector<XdmfAttribute> attributes;
  };

  /// An XDMF (version 3 syntax, read by ParaView's XDMF readers) temporal collection
  /// (GridType="Collection" CollectionType="Temporal"): one Uniform grid per frame.
  ///
  /// After every add_frame the whole .xdmf is written to a temporary file in the same directory and
  /// renamed over the old one (rename is atomic on POSIX), so a complete, valid file exists after each
  /// frame even if the run dies later. Only rank 0 of the communicator writes.
  /// Format: the XDMF model and format description, https://www.xdmf.org/index.php/XDMF_Model_and_Format.
  class XdmfSeries
  {
  public:
    /// Creates the directory of `xdmf_path` if missing; writes nothing until the first frame.
    /// Collective on `comm` (throws seam::RuntimeError on every rank if the directory cannot be made).
    /// @param xdmf_path  the .xdmf file to (re)write
    /// @param name       name of the collection grid ("atoms", "continuum")
    /// @param comm       communicator of the writers (not owned); rank 0 writes the text
    XdmfSeries(std::string xdmf_path, std::string name, MPI_Comm comm);

    /// Continues the series of a run restarted from `restart_step`: the frames of an existing .xdmf
    /// (written by this class) with step <= restart_step are kept, later ones dropped, and the file is
    /// rewritten; a missing file starts an empty series. Collective on `comm`.
    XdmfSeries(std::string xdmf_path, std::string name, MPI_Comm comm, std::int64_t restart_step);

    /// Appends a frame and rewrites the file. Collective on the communicator (the outcome of rank 0's
    /// write is broadcast, so an I/O error throws seam::RuntimeError on every rank).
    /// @pre the same frame on every rank; frames in increasing time.
    void add_frame(const XdmfFrame &frame);

    std::size_t n_frames() const { return n_frames_; }
    const std::string &path() const { return path_; }

    /// The complete XDMF text for the frames so far.
    std::string text() const;

  private:
    /// One frame's Grid element, rendered once (rank 0 keeps them; restarts read them back).
    struct Block
    {
      std::int64_t step;
      std::string  text;
    };
    static std::string grid_text(const std::string &name, const XdmfFrame &frame);
    void rewrite();
    /// Broadcasts rank 0's error text (empty: none) and throws it on every rank. Collective.
    void broadcast_error(std::string error) const;

    std::string            path_;
    std::string            name_;
    MPI_Comm               comm_;
    std::vector<Block>     frames_; ///< rank 0 only
    std::size_t            n_frames_ = 0;
  };
} // namespace seam::io
