// An MPI-parallel HDF5 file (MPI-IO driver): string/number attributes, distributed row-block datasets
// of doubles and 64-bit integers written collectively, and whole-dataset readers.
#pragma once

#include <mpi.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace seam::io
{
  /// A dataset read back whole: `values` holds `n_rows * n_columns` entries, row-major.
  template <typename T>
  struct Table
  {
    std::vector<T> values;
    std::size_t    n_rows = 0;
    std::size_t    n_columns = 0; ///< 1 for a one-dimensional dataset
    const T &operator()(std::size_t row, std::size_t column) const { return values[row * n_columns + column]; }
  };

  /// RAII handle of one HDF5 file opened with the MPI-IO driver (H5Pset_fapl_mpio) on a communicator.
  ///
  /// Every member function is collective on that communicator: all its ranks call it in the same order
  /// with the same names and attribute values. Distributed datasets are stacked row blocks: rank r's
  /// rows follow those of ranks 0..r-1 (offsets by MPI_Exscan), written with one collective H5Dwrite
  /// (H5FD_MPIO_COLLECTIVE); a rank with no rows still takes part. Failures throw seam::RuntimeError
  /// naming the file and the innermost HDF5 error, on every rank alike when HDF5 fails collectively.
  /// Strings are stored as fixed-length UTF-8; files use the HDF5 1.8+ format (large attributes allowed).
  /// Pattern: the parallel HDF5 tutorial of The HDF Group ("Writing by hyperslabs", collective I/O).
  class Hdf5File
  {
  public:
    /// True once closing a file failed on this rank (a full disk): HDF5 1.10 then crashes in its own
    /// clean-up at MPI_Finalize (H5F__close_cb), so the driver must end such a job without finalizing.
    static bool close_failed();

    enum class Mode
    {
      create,    ///< create, truncating an existing file
      read_only, ///< open an existing file for reading
      read_write ///< open an existing file to add datasets or attributes
    };

    /// Opens or creates `path`. Collective on `comm` (not owned; must outlive this object).
    Hdf5File(const std::string &path, Mode mode, MPI_Comm comm);
    /// Closes the file (collective on the communicator). Errors at close are reported on stderr only.
    ~Hdf5File();
    Hdf5File(const Hdf5File &) = delete;
    Hdf5File &operator=(const Hdf5File &) = delete;

    const std::string &path() const { return path_; }
    MPI_Comm communicator() const { return comm_; }

    /// Writes (or replaces) an attribute of `object` ("/" for the root, or a dataset path).
    /// @pre the same value on every rank.
    void write_attribute(const std::string &name, const std::string &value, const std::string &object = "/");
    void write_attribute(const std::string &name, double value, const std::string &object = "/");
    void write_attribute(const std::string &name, std::int64_t value, const std::string &object = "/");

    /// Writes a distributed 2D dataset of doubles, `n_global x n_columns`, with a `units` attribute.
    /// @param dataset        path inside the file ("position" or "fields/velocity"); groups are created
    /// @param local_rows     this rank's rows, row-major, `n_local_rows * n_columns` values (may be null
    ///                       when n_local_rows == 0)
    /// @param n_columns      the same on every rank (checked: throws on every rank otherwise)
    /// @param units          unit symbol of the values ("Å", "Å/ps", "1" for dimensionless)
    void write_rows(const std::string &dataset, const double *local_rows, std::size_t n_local_rows,
                    std::size_t n_columns, const std::string &units);
    /// Writes a distributed 1D dataset of doubles (e.g. weights), with a `units` attribute.
    void write_values(const std::string &dataset, const double *local_values, std::size_t n_local,
                      const std::string &units);
    /// Writes a distributed 1D dataset of 64-bit integers (e.g. atom ids), with a `units` attribute.
    void write_int64(const std::string &dataset, const std::int64_t *local_values, std::size_t n_local,
                     const std::string &units);
    /// Same as write_rows for 64-bit integer rows (e.g. cell connectivity).
    void write_int64_rows(const std::string &dataset, const std::int64_t *local_rows,
                          std::size_t n_local_rows, std::size_t n_columns, const std::string &units);

    bool has_object(const std::string &path) const;
    /// Current dimensions of a dataset.
    std::vector<std::size_t> dimensions(const std::string &dataset) const;
    /// Reads a whole dataset of doubles to every rank (1D datasets give n_columns = 1).
    Table<double> read_doubles(const std::string &dataset) const;
    /// Reads a whole dataset of integers (converted to int64) to every rank.
    Table<std::int64_t> read_int64(const std::string &dataset) const;
    std::string  read_string_attribute(const std::string &name, const std::string &object = "/") const;
    double       read_double_attribute(const std::string &name, const std::string &object = "/") const;
    std::int64_t read_int64_attribute(const std::string &name, const std::string &object = "/") const;

  private:
    void write_distributed(const std::string &dataset, std::int64_t memory_type, std::int64_t file_type, const void *data,
                           std::size_t n_local_rows, std::size_t n_columns, bool two_dimensional,
                           const std::string &units);
    template <typename T>
    Table<T> read_table(const std::string &dataset, std::int64_t memory_type) const;
    std::int64_t open_object(const std::string &object) const;
    void write_numeric_attribute(const std::string &name, std::int64_t type, const void *value, const std::string &object);
    [[noreturn]] void fail(const std::string &what) const;

    std::string path_;
    MPI_Comm    comm_;
    std::int64_t file_ = -1; ///< hid_t (int64_t in HDF5 1.10), kept out of the header's includes
  };
} // namespace seam::io
