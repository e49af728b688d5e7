// thermo.csv: one header line, then one row of energies every thermo_every steps, flushed per row.
#pragma once

#include <mpi.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace seam::io
{
  /// One thermo row (energies in the run's energy unit, temperature in its temperature unit).
  struct ThermoRow
  {
    std::int64_t step = 0;
    double       time = 0;
    double       temperature = 0; ///< of the atoms
    double       ke_atoms = 0;    ///< plain kinetic energy of all atoms
    double       pe_atoms = 0;    ///< plain potential energy of all atoms (absolute, as LAMMPS)
    double       e_md = 0;        ///< MD-only core, relative to the reference state at rest
    double       e_handshake = 0; ///< blended energy of the handshake band
    double       e_fe = 0;        ///< continuum outside the band (kinetic + strain)
    double       e_damped = 0;    ///< cumulative energy removed by dampers/thermostats/absorbers (>= 0)
    double       e_total = 0;     ///< e_md + e_handshake + e_fe
    std::vector<double> extra;    ///< values of the extra columns, in the order given to ThermoWriter
  };

  /// Writes thermo.csv with the columns `step,time,temperature,ke_atoms,pe_atoms,e_md,e_handshake,e_fe,
  /// e_damped,e_total` followed by any extra columns; numbers in the shortest form that reads back to
  /// the same double (up to 17 significant digits, fmt's "{}"), each row flushed to the file system as it is written. Rank 0 of the communicator writes.
  class ThermoWriter
  {
  public:
    enum class Mode
    {
      create, ///< start a new file (replacing an existing one)
      restart ///< continue an existing file: keep its rows with step <= restart_step, drop later ones
    };

    /// Opens `path`. Collective on `comm` (not owned). In restart mode a missing file is created; an
    /// existing file whose header differs from the columns asked for is an error. Throws
    /// seam::RuntimeError on every rank on failure.
    ThermoWriter(std::string path, MPI_Comm comm, std::vector<std::string> extra_columns = {},
                 Mode mode = Mode::create, std::int64_t restart_step = 0);
    ~ThermoWriter();
    ThermoWriter(const ThermoWriter &) = delete;
    ThermoWriter &operator=(const ThermoWriter &) = delete;

    /// Appends one row. Collective on the communicator (rank 0's values are written; the outcome is
    /// broadcast). @pre row.extra has as many values as there are extra columns.
    void write(const ThermoRow &row);

    /// The header line (without newline).
    std::string header() const;
    const std::string &path() const { return path_; }

  private:
    void open(Mode mode, std::int64_t restart_step);
    void broadcast_error(std::string error) const;

    std::string              path_;
    MPI_Comm                 comm_;
    std::vector<std::string> extra_columns_;
    std::FILE               *file_ = nullptr; ///< rank 0 only
  };
} // namespace seam::io
