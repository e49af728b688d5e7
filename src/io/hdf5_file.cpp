// Parallel HDF5 file: MPI-IO driver, collective hyperslab writes of stacked row blocks, readers.
#include "io/hdf5_file.h"

#include "base/error.h"

#include <hdf5.h>

#include <sys/statvfs.h>

#include <algorithm>
#include <filesystem>
#include <cstdio>
#include <type_traits>

namespace seam::io
{
  static_assert(std::is_same_v<hid_t, std::int64_t>, "Hdf5File stores hid_t as std::int64_t");

  namespace
  {
    /// "; the file system holding it is full ..." when the file's directory has (almost) no space left:
    /// HDF5 reports a full disk only as a failed write.
    std::string space_note(const std::string &path)
    {
      const std::string dir = std::filesystem::path(path).parent_path().string();
      struct statvfs    st{};
      if (statvfs(dir.empty() ? "." : dir.c_str(), &st) != 0)
        return "";
      const unsigned long long free_bytes = static_cast<unsigned long long>(st.f_bavail) * st.f_frsize;
      if (free_bytes >= 1024ull * 1024ull)
        return "";
      return "; the file system holding it is full (" + std::to_string(free_bytes) +
             " bytes free): free space or choose another output.directory";
    }

    /// Closes an HDF5 identifier with the matching H5?close when it leaves scope.
    class Handle
    {
    public:
      Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
      ~Handle()
      {
        if (id_ >= 0)
          close_(id_);
      }
      Handle(const Handle &) = delete;
      Handle &operator=(const Handle &) = delete;
      hid_t get() const { return id_; }
      bool  valid() const { return id_ >= 0; }

    private:
      hid_t id_;
      herr_t (*close_)(hid_t);
    };

    /// Silences HDF5's automatic error printing while alive; we read the stack ourselves.
    class QuietErrors
    {
    public:
      QuietErrors()
      {
        H5Eget_auto2(H5E_DEFAULT, &func_, &data_);
        H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
      }
      ~QuietErrors() { H5Eset_auto2(H5E_DEFAULT, func_, data_); }

    private:
      H5E_auto2_t func_ = nullptr;
      void       *data_ = nullptr;
    };

    herr_t collect_error(unsigned n, const H5E_error2_t *err, void *client)
    {
      auto *text = static_cast<std::string *>(client);
      // Walked upwards: the innermost entries come first and name the real cause
      // (e.g. "unable to open file: ... errno = 2"); keep the first few distinct ones.
      if (n < 4 && err->desc != nullptr && text->find(err->desc) == std::string::npos)
        {
          if (!text->empty())
            *text += "; ";
          *text += err->desc;
        }
      return 0;
    }

    std::string hdf5_reason()
    {
      std::string text;
      H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, collect_error, &text);
      H5Eclear2(H5E_DEFAULT);
      return text.empty() ? std::string("unknown HDF5 error") : text;
    }

    hid_t string_type(std::size_t length)
    {
      hid_t type = H5Tcopy(H5T_C_S1);
      H5Tset_size(type, std::max<std::size_t>(length, 1));
      H5Tset_strpad(type, H5T_STR_NULLPAD);
      H5Tset_cset(type, H5T_CSET_UTF8);
      return type;
    }
  } // namespace

  Hdf5File::Hdf5File(const std::string &path, Mode mode, MPI_Comm comm) : path_(path), comm_(comm)
  {
    QuietErrors quiet;
    Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
    if (H5Pset_fapl_mpio(fapl.get(), comm_, MPI_INFO_NULL) < 0)
      fail("cannot select the MPI-IO driver");
    // 1.8+ object headers: attributes larger than 64 KiB (long decks) go to dense storage.
    H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_V18, H5F_LIBVER_LATEST);
    H5Pset_coll_metadata_write(fapl.get(), true);
    switch (mode)
      {
        case Mode::create:
          file_ = H5Fcreate(path_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get());
          if (file_ < 0)
            fail("cannot create the file");
          break;
        case Mode::read_only:
        case Mode::read_write:
          file_ = H5Fopen(path_.c_str(), mode == Mode::read_only ? H5F_ACC_RDONLY : H5F_ACC_RDWR, fapl.get());
          if (file_ < 0)
            fail("cannot open the file");
          break;
      }
  }

  namespace
  {
    bool close_failed_ = false;
  }

  bool Hdf5File::close_failed() { return close_failed_; }

  Hdf5File::~Hdf5File()
  {
    // Closing after a failed write (a full disk) fails again; HDF5's own 30-line trace would bury the
    // one message the driver prints, so it is silenced here.
    QuietErrors quiet;
    if (file_ >= 0 && H5Fclose(file_) < 0 && (close_failed_ = true))
      std::fprintf(stderr, "seam: error closing HDF5 file %s%s\n", path_.c_str(), space_note(path_).c_str());
  }

  void Hdf5File::fail(const std::string &what) const
  {
    throw RuntimeError("HDF5 file '" + path_ + "': " + what + " (" + hdf5_reason() + ")" + space_note(path_));
  }

  std::int64_t Hdf5File::open_object(const std::string &object) const
  {
    hid_t id = H5Oopen(file_, object.c_str(), H5P_DEFAULT);
    if (id < 0)
      fail("cannot open object '" + object + "'");
    return id;
  }

  bool Hdf5File::has_object(const std::string &path) const
  {
    QuietErrors quiet;
    // H5Lexists needs every intermediate group to exist: walk the path one component at a time.
    std::string prefix;
    std::size_t start = path[0] == '/' ? 1 : 0;
    while (start <= path.size())
      {
        const std::size_t end = std::min(path.find('/', start), path.size());
        prefix += "/" + path.substr(start, end - start);
        const htri_t exists = H5Lexists(file_, prefix.c_str(), H5P_DEFAULT);
        H5Eclear2(H5E_DEFAULT);
        if (exists <= 0)
          return false;
        start = end + 1;
      }
    return true;
  }

  void Hdf5File::write_attribute(const std::string &name, const std::string &value, const std::string &object)
  {
    QuietErrors quiet;
    Handle obj(open_object(object), H5Oclose);
    if (H5Aexists(obj.get(), name.c_str()) > 0)
      H5Adelete(obj.get(), name.c_str());
    Handle type(string_type(value.size()), H5Tclose);
    Handle space(H5Screate(H5S_SCALAR), H5Sclose);
    Handle attr(H5Acreate2(obj.get(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    if (!attr.valid())
      fail("cannot create attribute '" + name + "' on '" + object + "'");
    // An empty string is stored as one NUL byte (HDF5 string types have size >= 1).
    const std::string padded = value.empty() ? std::string(1, '\0') : value;
    if (H5Awrite(attr.get(), type.get(), padded.data()) < 0)
      fail("cannot write attribute '" + name + "' on '" + object + "'");
  }

  void Hdf5File::write_numeric_attribute(const std::string &name, std::int64_t type, const void *value,
                                         const std::string &object)
  {
    QuietErrors quiet;
    Handle obj(open_object(object), H5Oclose);
    if (H5Aexists(obj.get(), name.c_str()) > 0)
      H5Adelete(obj.get(), name.c_str());
    Handle space(H5Screate(H5S_SCALAR), H5Sclose);
    Handle attr(H5Acreate2(obj.get(), name.c_str(), type, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    if (!attr.valid() || H5Awrite(attr.get(), type, value) < 0)
      fail("cannot write attribute '" + name + "' on '" + object + "'");
  }

  void Hdf5File::write_attribute(const std::string &name, double value, const std::string &object)
  {
    write_numeric_attribute(name, H5T_NATIVE_DOUBLE, &value, object);
  }

  void Hdf5File::write_attribute(const std::string &name, std::int64_t value, const std::string &object)
  {
    write_numeric_attribute(name, H5T_NATIVE_INT64, &value, object);
  }

  void Hdf5File::write_rows(const std::string &dataset, const double *local_rows, std::size_t n_local_rows,
                            std::size_t n_columns, const std::string &units)
  {
    write_distributed(dataset, H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, local_rows, n_local_rows, n_columns, true, units);
  }

  void Hdf5File::write_values(const std::string &dataset, const double *local_values, std::size_t n_local,
                              const std::string &units)
  {
    write_distributed(dataset, H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, local_values, n_local, 1, false, units);
  }

  void Hdf5File::write_int64(const std::string &dataset, const std::int64_t *local_values, std::size_t n_local,
                             const std::string &units)
  {
    write_distributed(dataset, H5T_NATIVE_INT64, H5T_STD_I64LE, local_values, n_local, 1, false, units);
  }

  void Hdf5File::write_int64_rows(const std::string &dataset, const std::int64_t *local_rows,
                                  std::size_t n_local_rows, std::size_t n_columns, const std::string &units)
  {
    write_distributed(dataset, H5T_NATIVE_INT64, H5T_STD_I64LE, local_rows, n_local_rows, n_columns, true, units);
  }

  void Hdf5File::write_distributed(const std::string &dataset, std::int64_t memory_type, std::int64_t file_type,
                                   const void *data, std::size_t n_local_rows, std::size_t n_columns,
                                   bool two_dimensional, const std::string &units)
  {
    // Agree on the shape before any HDF5 call, so a mismatch throws on every rank instead of hanging.
    unsigned long long columns[2] = {n_columns, ~static_cast<unsigned long long>(n_columns)};
    MPI_Allreduce(MPI_IN_PLACE, columns, 2, MPI_UNSIGNED_LONG_LONG, MPI_MAX, comm_);
    if (columns[0] != n_columns || ~columns[1] != n_columns)
      throw RuntimeError("HDF5 file '" + path_ + "': dataset '" + dataset +
                         "' has a different number of columns on different ranks (max " +
                         std::to_string(columns[0]) + ", min " + std::to_string(~columns[1]) + ")");

    unsigned long long n_local = n_local_rows, offset = 0, n_global = 0;
    MPI_Exscan(&n_local, &offset, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, comm_);
    int rank = 0;
    MPI_Comm_rank(comm_, &rank);
    if (rank == 0)
      offset = 0; // MPI_Exscan leaves rank 0's result undefined
    MPI_Allreduce(&n_local, &n_global, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, comm_);

    QuietErrors quiet;
    const int     rank_of_data = two_dimensional ? 2 : 1;
    const hsize_t global_dims[2] = {n_global, n_columns};
    Handle file_space(H5Screate_simple(rank_of_data, global_dims, nullptr), H5Sclose);
    Handle lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
    H5Pset_create_intermediate_group(lcpl.get(), 1);
    if (has_object(dataset))
      fail("dataset '" + dataset + "' exists already");
    {
    Handle dset(H5Dcreate2(file_, dataset.c_str(), file_type, file_space.get(), lcpl.get(), H5P_DEFAULT, H5P_DEFAULT),
                H5Dclose);
    if (!dset.valid())
      fail("cannot create dataset '" + dataset + "'");

    // A rank without rows selects nothing but still joins the collective write with a non-null buffer.
    const hsize_t local_dims[2] = {std::max<hsize_t>(n_local, 1), n_columns};
    Handle        memory_space(H5Screate_simple(rank_of_data, local_dims, nullptr), H5Sclose);
    const double  dummy[1] = {0.0};
    if (n_local == 0 || n_columns == 0)
      {
        H5Sselect_none(file_space.get());
        H5Sselect_none(memory_space.get());
        data = dummy;
      }
    else
      {
        const hsize_t start[2] = {offset, 0};
        const hsize_t count[2] = {n_local, n_columns};
        H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start, nullptr, count, nullptr);
      }
    Handle dxpl(H5Pcreate(H5P_DATASET_XFER), H5Pclose);
    H5Pset_dxpl_mpio(dxpl.get(), H5FD_MPIO_COLLECTIVE);
    // An empty dataset has nothing to write (and MPI-IO rejects a collective write of zero bytes).
    if (n_global > 0 && n_columns > 0 && H5Dwrite(dset.get(), memory_type, memory_space.get(), file_space.get(), dxpl.get(), data) < 0)
      fail("cannot write dataset '" + dataset + "'");
    } // the dataset is closed before its attribute is added through the path
    write_attribute("units", units, dataset);
  }

  std::vector<std::size_t> Hdf5File::dimensions(const std::string &dataset) const
  {
    QuietErrors quiet;
    Handle dset(H5Dopen2(file_, dataset.c_str(), H5P_DEFAULT), H5Dclose);
    if (!dset.valid())
      fail("cannot open dataset '" + dataset + "'");
    Handle space(H5Dget_space(dset.get()), H5Sclose);
    const int ndims = H5Sget_simple_extent_ndims(space.get());
    std::vector<hsize_t> dims(std::max(ndims, 0));
    H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
    return std::vector<std::size_t>(dims.begin(), dims.end());
  }

  template <typename T>
  Table<T> Hdf5File::read_table(const std::string &dataset, std::int64_t memory_type) const
  {
    const std::vector<std::size_t> dims = dimensions(dataset);
    if (dims.empty() || dims.size() > 2)
      throw RuntimeError("HDF5 file '" + path_ + "': dataset '" + dataset + "' is not one- or two-dimensional");
    QuietErrors quiet;
    Table<T> table;
    table.n_rows = dims[0];
    table.n_columns = dims.size() == 2 ? dims[1] : 1;
    table.values.resize(table.n_rows * table.n_columns);
    Handle dset(H5Dopen2(file_, dataset.c_str(), H5P_DEFAULT), H5Dclose);
    if (!table.values.empty() &&
        H5Dread(dset.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, table.values.data()) < 0)
      fail("cannot read dataset '" + dataset + "'");
    return table;
  }

  Table<double> Hdf5File::read_doubles(const std::string &dataset) const
  {
    return read_table<double>(dataset, H5T_NATIVE_DOUBLE);
  }

  Table<std::int64_t> Hdf5File::read_int64(const std::string &dataset) const
  {
    return read_table<std::int64_t>(dataset, H5T_NATIVE_INT64);
  }

  std::string Hdf5File::read_string_attribute(const std::string &name, const std::string &object) const
  {
    QuietErrors quiet;
    Handle obj(open_object(object), H5Oclose);
    Handle attr(H5Aopen(obj.get(), name.c_str(), H5P_DEFAULT), H5Aclose);
    if (!attr.valid())
      fail("no attribute '" + name + "' on '" + object + "'");
    Handle file_type(H5Aget_type(attr.get()), H5Tclose);
    if (H5Tget_class(file_type.get()) != H5T_STRING || H5Tis_variable_str(file_type.get()) > 0)
      fail("attribute '" + name + "' on '" + object + "' is not a fixed-length string");
    const std::size_t size = H5Tget_size(file_type.get());
    std::string       value(size, '\0');
    Handle            memory_type(string_type(size), H5Tclose);
    if (H5Aread(attr.get(), memory_type.get(), value.data()) < 0)
      fail("cannot read attribute '" + name + "' on '" + object + "'");
    value.resize(value.find('\0') == std::string::npos ? size : value.find('\0'));
    return value;
  }

  double Hdf5File::read_double_attribute(const std::string &name, const std::string &object) const
  {
    QuietErrors quiet;
    Handle obj(open_object(object), H5Oclose);
    Handle attr(H5Aopen(obj.get(), name.c_str(), H5P_DEFAULT), H5Aclose);
    double value = 0;
    if (!attr.valid() || H5Aread(attr.get(), H5T_NATIVE_DOUBLE, &value) < 0)
      fail("cannot read attribute '" + name + "' on '" + object + "' as a double");
    return value;
  }

  std::int64_t Hdf5File::read_int64_attribute(const std::string &name, const std::string &object) const
  {
    QuietErrors quiet;
    Handle       obj(open_object(object), H5Oclose);
    Handle       attr(H5Aopen(obj.get(), name.c_str(), H5P_DEFAULT), H5Aclose);
    std::int64_t value = 0;
    if (!attr.valid() || H5Aread(attr.get(), H5T_NATIVE_INT64, &value) < 0)
      fail("cannot read attribute '" + name + "' on '" + object + "' as an integer");
    return value;
  }
} // namespace seam::io
