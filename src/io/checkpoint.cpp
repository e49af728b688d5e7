// Checkpoint files over parallel HDF5: per-rank blocks with their counts, atomic replacement.
#include "io/checkpoint.h"

#include "base/error.h"
#include "io/hdf5_file.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <algorithm>

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

    /// One put of a rank, recorded before the collective write.
    struct Entry
    {
      std::string               name; // full path below /state/
      bool                      is_int = false;
      std::vector<double>       doubles;
      std::vector<std::int64_t> ints;
    };

    class RecordingStateOut : public StateOut
    {
    public:
      RecordingStateOut(std::vector<Entry> &entries, std::string prefix) : entries_(entries), prefix_(std::move(prefix)) {}
      void put(const std::string &name, const std::vector<double> &v) override
      {
        entries_.push_back({prefix_ + name, false, v, {}});
      }
      void put(const std::string &name, const std::vector<std::int64_t> &v) override
      {
        entries_.push_back({prefix_ + name, true, {}, v});
      }
      std::unique_ptr<StateOut> group(const std::string &name) override
      {
        return std::make_unique<RecordingStateOut>(entries_, prefix_ + name + "/");
      }

    private:
      std::vector<Entry> &entries_;
      std::string         prefix_;
    };

    /// The union over `comm` of the ranks' entry names ("d name" / "i name"), in rank order, each name
    /// where it first appears; the same list on every rank. Collective.
    std::vector<std::string> agreed_names(const std::vector<Entry> &entries, MPI_Comm comm)
    {
      std::string mine;
      for (const auto &e : entries)
        mine += std::string(e.is_int ? "i " : "d ") + e.name + '\n';
      int n_ranks = 0;
      MPI_Comm_size(comm, &n_ranks);
      const int        length = static_cast<int>(mine.size());
      std::vector<int> lengths(n_ranks), offsets(n_ranks, 0);
      MPI_Allgather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, comm);
      for (int r = 1; r < n_ranks; ++r)
        offsets[r] = offsets[r - 1] + lengths[r - 1];
      std::string all(static_cast<std::size_t>(offsets.back() + lengths.back()), '\0');
      MPI_Allgatherv(mine.data(), length, MPI_CHAR, all.data(), lengths.data(), offsets.data(), MPI_CHAR, comm);
      std::vector<std::string>        names;
      std::unordered_set<std::string> seen;
      std::size_t                     start = 0;
      while (start < all.size())
        {
          const std::size_t end  = all.find('\n', start);
          std::string       line = all.substr(start, end - start);
          start                  = end + 1;
          if (!seen.count(line.substr(2)))
            {
              seen.insert(line.substr(2));
              names.push_back(line);
            }
          else if (std::find(names.begin(), names.end(), line) == names.end())
            throw RuntimeError(fmt::format("checkpoint: '{}' is put as integers on some ranks and as reals on "
                                           "others (a bug in seam: please report it)",
                                           line.substr(2)));
        }
      return names;
    }

    class Hdf5StateIn : public StateIn
    {
    public:
      Hdf5StateIn(const Hdf5File &file, std::string prefix, int block, int reader, bool same)
        : file_(file), prefix_(std::move(prefix)), block_(block), reader_(reader), same_(same)
      {}
      bool same_layout() const override { return same_; }
      int  reader() const override { return reader_; }
      std::vector<double> all_doubles(const std::string &name) const override
      {
        check(name);
        return file_.read_doubles(prefix_ + name).values;
      }
      std::vector<std::int64_t> all_int64(const std::string &name) const override
      {
        check(name);
        return file_.read_int64(prefix_ + name).values;
      }
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
        return std::make_unique<Hdf5StateIn>(file_, prefix_ + name + "/", block_, reader_, same_);
      }

    private:
      void check(const std::string &name) const
      {
        if (!has(name))
          throw RuntimeError(fmt::format("checkpoint '{}': '{}{}' is missing (written by another version of "
                                         "seam or for another deck?)",
                                         file_.path(), prefix_, name));
      }
      template <typename T>
      std::vector<T> block(const std::vector<T> &all, const std::string &name) const
      {
        check(name);
        const auto counts = file_.read_int64(prefix_ + name + ".counts").values;
        if (block_ < 0 || block_ >= static_cast<int>(counts.size()))
          return {};
        std::int64_t offset = 0;
        for (int r = 0; r < block_; ++r)
          offset += counts.at(r);
        return std::vector<T>(all.begin() + offset, all.begin() + offset + counts.at(block_));
      }
      const Hdf5File &file_;
      std::string     prefix_;
      int             block_;  // the writing rank whose values this rank reads
      int             reader_; // this rank among the readers
      bool            same_;   // the readers are the writers
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
      // Record, agree on the names, then write every dataset on every rank (see the header).
      std::vector<Entry> entries;
      {
        RecordingStateOut recorder(entries, "");
        fill(recorder);
      }
      std::unordered_map<std::string, const Entry *> mine;
      for (const auto &e : entries)
        mine[e.name] = &e;
      Hdf5StateOut out(file, "/state/");
      for (const auto &line : agreed_names(entries, comm))
        {
          const std::string name = line.substr(2);
          const auto        it   = mine.find(name);
          const Entry      *e    = it == mine.end() ? nullptr : it->second;
          if (line[0] == 'i')
            out.put(name, e ? e->ints : std::vector<std::int64_t>{});
          else
            out.put(name, e ? e->doubles : std::vector<double>{});
        }
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
    const Provenance prov = read_provenance(*file_);
    info_.deck     = prov.deck;
    info_.md_ranks = prov.md_ranks;
    info_.fe_ranks = prov.fe_ranks;
  }

  CheckpointReader::~CheckpointReader() = default;

  std::unique_ptr<StateIn> CheckpointReader::root() const
  {
    int n = 0;
    MPI_Comm_size(file_->communicator(), &n);
    return root(rank_of(file_->communicator()), n);
  }

  std::unique_ptr<StateIn> CheckpointReader::root(int writer, int n) const
  {
    return root(writer, n == info_.n_ranks);
  }

  std::unique_ptr<StateIn> CheckpointReader::root(int writer, bool same_layout) const
  {
    return std::make_unique<Hdf5StateIn>(*file_, "/state/", writer, rank_of(file_->communicator()), same_layout);
  }
} // namespace seam::io
