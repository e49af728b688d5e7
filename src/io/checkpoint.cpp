// Checkpoint files over parallel HDF5: per-rank blocks with their counts, atomic replacement.
#include "io/checkpoint.h"

#include "base/error.h"
#include "io/hdf5_file.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

namespace seam::io
{
  namespace
  {
    int rank_of(MPI_Comm comm)
    {
      int r = 0;
      MPI_Comm_rank(comm, &r);
      return r;
    }

    /// Dataset <prefix>/<name> holds the ranks' blocks in rank order; <prefix>/<name>.counts their sizes.
    class Hdf5StateOut : public StateOut
    {
    public:
      Hdf5StateOut(Hdf5File &file, std::string prefix) : file_(file), prefix_(std::move(prefix)) {}
      void put(const std::string &name, const std::vector<double> &v) override
      {
        file_.write_values(prefix_ + name, v.data(), v.size(), "1");
        count(name, v.size());
      }
      void put(const std::string &name, const std::vector<std::int64_t> &v) override
      {
        file_.write_int64(prefix_ + name, v.data(), v.size(), "1");
        count(name, v.size());
      }
      std::unique_ptr<StateOut> group(const std::string &name) override
      {
        return std::make_unique<Hdf5StateOut>(file_, prefix_ + name + "/");
      }

    private:
      void count(const std::string &name, std::size_t n)
      {
        const std::int64_t c = static_cast<std::int64_t>(n);
        file_.write_int64(prefix_ + name + ".counts", &c, 1, "1");
      }
      Hdf5File   &file_;
      std::string prefix_;
    };

    class Hdf5StateIn : public StateIn
    {
    public:
      Hdf5StateIn(const Hdf5File &file, std::string prefix) : file_(file), prefix_(std::move(prefix)) {}
      std::vector<double> get_doubles(const std::string &name) const override
      {
        return block(file_.read_doubles(prefix_ + name).values, name);
      }
      std::vector<std::int64_t> get_int64(const std::string &name) const override
      {
        return block(file_.read_int64(prefix_ + name).values, name);
      }
      bool has(const std::string &name) const override { return file_.has_object(prefix_ + name); }
      std::unique_ptr<StateIn> group(const std::string &name) const override
      {
        return std::make_unique<Hdf5StateIn>(file_, prefix_ + name + "/");
      }

    private:
      template <typename T>
      std::vector<T> block(const std::vector<T> &all, const std::string &name) const
      {
        if (!has(name))
          throw RuntimeError(fmt::format("checkpoint '{}': '{}{}' is missing (written by another version of "
                                         "seam or for another deck?)",
                                         file_.path(), prefix_, name));
        const auto counts = file_.read_int64(prefix_ + name + ".counts").values;
        const int  rank   = rank_of(file_.communicator());
        std::int64_t offset = 0;
        for (int r = 0; r < rank; ++r)
          offset += counts.at(r);
        return std::vector<T>(all.begin() + offset, all.begin() + offset + counts.at(rank));
      }
      const Hdf5File &file_;
      std::string     prefix_;
    };
  } // namespace

  std::string write_checkpoint(const std::string &directory, MPI_Comm comm, const Provenance &prov,
                               const CheckpointInfo &info, const std::function<void(StateOut &)> &fill)
  {
    namespace fs = std::filesystem;
    const std::string path = directory + "/checkpoint.h5", tmp = path + ".tmp", prev = directory + "/checkpoint.prev.h5";
    int n_ranks = 0;
    MPI_Comm_size(comm, &n_ranks);
    {
      Hdf5File file(tmp, Hdf5File::Mode::create, comm);
      write_provenance(file, prov);
      file.write_attribute("checkpoint_kind", info.kind);
      file.write_attribute("checkpoint_step", info.step);
      file.write_attribute("checkpoint_time", info.time);
      file.write_attribute("checkpoint_ranks", static_cast<std::int64_t>(n_ranks));
      Hdf5StateOut out(file, "/state/");
      fill(out);
      if (const char *s = std::getenv("SEAM_TEST_CHECKPOINT_SLEEP"))
        std::this_thread::sleep_for(std::chrono::duration<double>(std::atof(s)));
    }
    MPI_Barrier(comm);
    int ok = 1;
    std::string error;
    if (rank_of(comm) == 0)
      {
        std::error_code ec;
        if (fs::exists(path))
          {
            fs::remove(prev, ec);
            fs::create_hard_link(path, prev, ec);
            if (ec)
              fs::copy_file(path, prev, fs::copy_options::overwrite_existing, ec);
          }
        if (!ec)
          fs::rename(tmp, path, ec);
        if (ec)
          {
            ok    = 0;
            error = ec.message();
          }
      }
    MPI_Bcast(&ok, 1, MPI_INT, 0, comm);
    if (!ok)
      throw RuntimeError(fmt::format("cannot move the checkpoint '{}' into place as '{}': {}", tmp, path,
                                     error.empty() ? "see rank 0" : error));
    return path;
  }

  CheckpointReader::CheckpointReader(const std::string &path, MPI_Comm comm)
    : file_(std::make_unique<Hdf5File>(path, Hdf5File::Mode::read_only, comm))
  {
    if (!file_->has_object("/state"))
      throw RuntimeError(fmt::format("'{}' is not a seam checkpoint (no /state group); run.restart takes a "
                                     "checkpoint.h5 written with output.checkpoint_every or at the end of a run",
                                     path));
    info_.kind    = file_->read_string_attribute("checkpoint_kind");
    info_.step    = file_->read_int64_attribute("checkpoint_step");
    info_.time    = file_->read_double_attribute("checkpoint_time");
    info_.n_ranks = static_cast<int>(file_->read_int64_attribute("checkpoint_ranks"));
    info_.deck    = read_provenance(*file_).deck;
  }

  CheckpointReader::~CheckpointReader() = default;

  std::unique_ptr<StateIn> CheckpointReader::root() const
  {
    int n = 0;
    MPI_Comm_size(file_->communicator(), &n);
    if (n != info_.n_ranks)
      throw RuntimeError(fmt::format("checkpoint '{}' was written by {} rank{} of this partition, this run has {}: "
                                     "restarting on another number of ranks is not implemented yet; restart "
                                     "on {} rank{}",
                                     file_->path(), info_.n_ranks, info_.n_ranks == 1 ? "" : "s", n, info_.n_ranks,
                                     info_.n_ranks == 1 ? "" : "s"));
    return std::make_unique<Hdf5StateIn>(*file_, "/state/");
  }
} // namespace seam::io
