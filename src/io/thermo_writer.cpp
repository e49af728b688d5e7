// thermo.csv writer, with the restart mode that truncates rows written after the checkpoint.
#include "io/thermo_writer.h"

#include "base/error.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <fstream>
#include <sstream>
#include <unistd.h>
#include <utility>

namespace seam::io
{
  namespace
  {
    const char *const base_columns = "step,time,temperature,ke_atoms,pe_atoms,e_md,e_handshake,e_fe,e_damped,e_total";
  }

  ThermoWriter::ThermoWriter(std::string path, MPI_Comm comm, std::vector<std::string> extra_columns, Mode mode,
                             std::int64_t restart_step)
    : path_(std::move(path)), comm_(comm), extra_columns_(std::move(extra_columns))
  {
    open(mode, restart_step);
  }

  ThermoWriter::~ThermoWriter()
  {
    if (file_ != nullptr)
      std::fclose(file_);
  }

  std::string ThermoWriter::header() const
  {
    std::string h = base_columns;
    for (const std::string &c : extra_columns_)
      h += "," + c;
    return h;
  }

  void ThermoWriter::broadcast_error(std::string error) const
  {
    int length = static_cast<int>(error.size());
    MPI_Bcast(&length, 1, MPI_INT, 0, comm_);
    if (length > 0)
      {
        error.resize(length);
        MPI_Bcast(error.data(), length, MPI_CHAR, 0, comm_);
        throw RuntimeError("thermo file '" + path_ + "': " + error);
      }
  }

  void ThermoWriter::open(Mode mode, std::int64_t restart_step)
  {
    int rank = 0;
    MPI_Comm_rank(comm_, &rank);
    std::string error;
    if (rank == 0)
      {
        std::string   kept; // the existing rows to keep, restart mode only
        std::ifstream in(path_);
        if (mode == Mode::restart && in)
          {
            std::string line;
            std::getline(in, line);
            if (line != header())
              error = "the header '" + line + "' differs from the columns of this run '" + header() +
                      "'; remove the file or restart with the same outputs";
            kept = line + "\n";
            // Rows after the checkpoint were written by the run that died: the restarted run rewrites them.
            while (error.empty() && std::getline(in, line))
              {
                if (line.empty())
                  continue;
                std::int64_t step = 0;
                try
                  {
                    step = std::stoll(line.substr(0, line.find(',')));
                  }
                catch (const std::exception &)
                  {
                    error = "cannot read the step of the row '" + line + "'";
                    break;
                  }
                if (step <= restart_step)
                  kept += line + "\n";
              }
          }
        else
          kept = header() + "\n";
        in.close();
        if (error.empty())
          {
            // Rewrite via a temporary file so a crash here cannot lose the rows before the checkpoint.
            const std::string tmp = path_ + ".tmp." + std::to_string(::getpid());
            std::FILE        *out = std::fopen(tmp.c_str(), "w");
            if (out == nullptr || std::fwrite(kept.data(), 1, kept.size(), out) != kept.size() ||
                std::fclose(out) != 0 || std::rename(tmp.c_str(), path_.c_str()) != 0)
              error = "cannot write '" + tmp + "': " + std::strerror(errno);
            else if ((file_ = std::fopen(path_.c_str(), "a")) == nullptr)
              error = std::string("cannot open for appending: ") + std::strerror(errno);
          }
      }
    broadcast_error(error);
  }

  void ThermoWriter::write(const ThermoRow &row)
  {
    int rank = 0;
    MPI_Comm_rank(comm_, &rank);
    std::string error;
    if (rank == 0)
      {
        if (row.extra.size() != extra_columns_.size())
          error = fmt::format("a row has {} extra values for {} extra columns", row.extra.size(),
                              extra_columns_.size());
        else
          {
            std::string line = fmt::format("{},{},{},{},{},{},{},{},{},{}",
                                           row.step, row.time, row.temperature, row.ke_atoms, row.pe_atoms, row.e_md,
                                           row.e_handshake, row.e_fe, row.e_damped, row.e_total);
            for (const double v : row.extra)
              line += fmt::format(",{}", v);
            line += "\n";
            if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() || std::fflush(file_) != 0)
              error = std::string("cannot append a row: ") + std::strerror(errno);
          }
      }
    broadcast_error(error);
  }
} // namespace seam::io
