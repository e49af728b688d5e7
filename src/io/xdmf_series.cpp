// XDMF temporal collection: text generation and atomic rewrite by rank 0.
#include "io/xdmf_series.h"

#include "base/error.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <unistd.h>
#include <utility>

namespace seam::io
{
  namespace
  {
    std::string xml_escape(const std::string &text)
    {
      std::string out;
      for (const char c : text)
        switch (c)
          {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
          }
      return out;
    }

    const char *topology_name(XdmfTopology t)
    {
      switch (t)
        {
          case XdmfTopology::polyvertex: return "Polyvertex";
          case XdmfTopology::polyline: return "Polyline";
          case XdmfTopology::quadrilateral: return "Quadrilateral";
          case XdmfTopology::hexahedron: return "Hexahedron";
        }
      return "";
    }

    std::string data_item(const std::string &dims, bool is_integer, const std::string &file,
                          const std::string &dataset, const std::string &indent)
    {
      const std::string path = dataset.empty() || dataset[0] == '/' ? dataset : "/" + dataset;
      return fmt::format("{}<DataItem Dimensions=\"{}\" NumberType=\"{}\" Precision=\"8\" Format=\"HDF\">{}:{}"
                         "</DataItem>\n",
                         indent, dims, is_integer ? "Int" : "Float", xml_escape(file), xml_escape(path));
    }

    /// Nodes per cell of a topology (1 for polyvertex).
    unsigned int nodes_per_cell(XdmfTopology topology)
    {
      switch (topology)
        {
          case XdmfTopology::polyvertex: return 1;
          case XdmfTopology::polyline: return 2;
          case XdmfTopology::quadrilateral: return 4;
          case XdmfTopology::hexahedron: return 8;
        }
      return 0;
    }
  } // namespace

  XdmfSeries::XdmfSeries(std::string xdmf_path, std::string name, MPI_Comm comm)
    : path_(std::move(xdmf_path)), name_(std::move(name)), comm_(comm)
  {
    int rank = 0;
    MPI_Comm_rank(comm_, &rank);
    std::string error;
    if (rank == 0)
      {
        const std::filesystem::path directory = std::filesystem::path(path_).parent_path();
        std::error_code             code;
        if (!directory.empty())
          std::filesystem::create_directories(directory, code);
        if (code)
          error = "cannot create directory '" + directory.string() + "': " + code.message();
      }
    broadcast_error(error);
  }

  void XdmfSeries::broadcast_error(std::string error) const
  {
    // Every rank learns the outcome, so an I/O error throws everywhere instead of on rank 0 alone.
    int length = static_cast<int>(error.size());
    MPI_Bcast(&length, 1, MPI_INT, 0, comm_);
    if (length > 0)
      {
        error.resize(length);
        MPI_Bcast(error.data(), length, MPI_CHAR, 0, comm_);
        throw RuntimeError("XDMF file '" + path_ + "': " + error);
      }
  }

  XdmfSeries::XdmfSeries(std::string xdmf_path, std::string name, MPI_Comm comm, std::int64_t restart_step)
    : XdmfSeries(std::move(xdmf_path), std::move(name), comm)
  {
    int rank = 0;
    MPI_Comm_rank(comm_, &rank);
    std::string error;
    if (rank == 0)
      {
        // Our own layout: each frame is the lines from '      <Grid Name="<name>_<step>"' to '      </Grid>'.
        std::ifstream in(path_);
        const std::string opening = "      <Grid Name=\"" + xml_escape(name_) + "_";
        Block             block{0, ""};
        bool              inside = false;
        for (std::string line; error.empty() && std::getline(in, line);)
          {
            if (!inside && line.rfind(opening, 0) == 0)
              {
                inside = true;
                block.text.clear();
                try
                  {
                    block.step = std::stoll(line.substr(opening.size()));
                  }
                catch (const std::exception &)
                  {
                    error = "cannot read the step of the grid '" + line + "'";
                  }
              }
            if (inside)
              block.text += line + "\n";
            if (inside && line == "      </Grid>")
              {
                inside = false;
                if (block.step <= restart_step)
                  frames_.push_back(block);
              }
          }
        if (error.empty() && inside)
          error = "the last grid is not closed; remove the file to start a new series";
      }
    broadcast_error(error);
    unsigned long long n = frames_.size();
    MPI_Bcast(&n, 1, MPI_UNSIGNED_LONG_LONG, 0, comm_);
    n_frames_ = n;
    rewrite();
  }

  void XdmfSeries::add_frame(const XdmfFrame &frame)
  {
    int rank = 0;
    MPI_Comm_rank(comm_, &rank);
    if (rank == 0)
      frames_.push_back({frame.step, grid_text(name_, frame)});
    ++n_frames_;
    rewrite();
  }

  std::string XdmfSeries::text() const
  {
    std::string out;
    out += "<?xml version=\"1.0\" ?>\n";
    out += "<!DOCTYPE Xdmf SYSTEM \"Xdmf.dtd\" []>\n";
    out += "<Xdmf Version=\"3.0\" xmlns:xi=\"http://www.w3.org/2001/XInclude\">\n";
    out += "  <Domain>\n";
    out += fmt::format("    <Grid Name=\"{}\" GridType=\"Collection\" CollectionType=\"Temporal\">\n",
                       xml_escape(name_));
    for (const Block &b : frames_)
      out += b.text;
    out += "    </Grid>\n";
    out += "  </Domain>\n";
    out += "</Xdmf>\n";
    return out;
  }

  std::string XdmfSeries::grid_text(const std::string &name, const XdmfFrame &f)
  {
    std::string       out;
    const std::string in = "        ";
    out += fmt::format("      <Grid Name=\"{}_{}\" GridType=\"Uniform\">\n", xml_escape(name), f.step);
    out += fmt::format("{}<Time Value=\"{}\"/>\n", in, f.time);
    if (f.topology == XdmfTopology::polyvertex && f.connectivity_dataset.empty())
      out += fmt::format("{}<Topology TopologyType=\"Polyvertex\" NumberOfElements=\"{}\" "
                         "NodesPerElement=\"1\"/>\n",
                         in, f.n_points);
    else
      {
        const unsigned int n = nodes_per_cell(f.topology);
        const std::size_t n_cells = f.topology == XdmfTopology::polyvertex ? f.n_points : f.n_cells;
        out += fmt::format("{}<Topology TopologyType=\"{}\" NumberOfElements=\"{}\"{}>\n", in,
                           topology_name(f.topology), n_cells,
                           f.topology == XdmfTopology::polyvertex ? " NodesPerElement=\"1\""
                           : f.topology == XdmfTopology::polyline ? " NodesPerElement=\"2\""
                                                                   : "");
        out += data_item(fmt::format("{} {}", n_cells, n), true, f.h5_file, f.connectivity_dataset, in + "  ");
        out += in + "</Topology>\n";
      }
    out += in + "<Geometry GeometryType=\"XYZ\">\n";
    out += data_item(fmt::format("{} 3", f.n_points), false, f.h5_file, f.geometry_dataset, in + "  ");
    out += in + "</Geometry>\n";
    for (const XdmfAttribute &a : f.attributes)
      {
        const bool vector = a.n_components > 1;
        // XDMF's attribute types: the Xdmf2 reader reads only 3 components of a "Vector", so a full
        // 3 x 3 tensor must say "Tensor" (and a 6-component symmetric one "Tensor6").
        const char *type = a.n_components == 9 ? "Tensor" : a.n_components == 6 ? "Tensor6" : vector ? "Vector" : "Scalar";
        out += fmt::format("{}<Attribute Name=\"{}\" AttributeType=\"{}\" Center=\"Node\">\n", in,
                           xml_escape(a.name), type);
        const std::string dims =
          vector ? fmt::format("{} {}", f.n_points, a.n_components) : fmt::format("{}", f.n_points);
        out += data_item(dims, a.is_integer, f.h5_file, a.dataset, in + "  ");
        out += in + "</Attribute>\n";
      }
    out += "      </Grid>\n";
    return out;
  }

  void XdmfSeries::rewrite()
  {
    int rank = 0;
    MPI_Comm_rank(comm_, &rank);
    std::string error;
    if (rank == 0)
      {
        // Write beside the target, then rename: readers never see a half-written file.
        const std::string tmp = path_ + ".tmp." + std::to_string(::getpid());
        const std::string content = text();
        std::FILE        *file = std::fopen(tmp.c_str(), "w");
        if (file == nullptr)
          error = "cannot create '" + tmp + "': " + std::strerror(errno);
        else
          {
            const bool written = std::fwrite(content.data(), 1, content.size(), file) == content.size();
            const bool flushed = std::fflush(file) == 0 && ::fsync(::fileno(file)) == 0;
            const bool closed = std::fclose(file) == 0;
            if (!written || !flushed || !closed)
              error = "cannot write '" + tmp + "': " + std::strerror(errno);
            else if (std::rename(tmp.c_str(), path_.c_str()) != 0)
              error = "cannot rename '" + tmp + "' to '" + path_ + "': " + std::strerror(errno);
            if (!error.empty())
              std::remove(tmp.c_str());
          }
      }
    broadcast_error(error);
  }
} // namespace seam::io
