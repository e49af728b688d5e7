// Checkpoint files: the StateOut/StateIn of base/state.h over one parallel HDF5 file, written to a
// temporary file and moved into place so a complete checkpoint always exists.
#pragma once

#include "base/state.h"
#include "io/provenance.h"

#include <mpi.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace seam::io
{
  class Hdf5File;

  /// What a checkpoint says about itself (root attributes).
  struct CheckpointInfo
  {
    std::int64_t step = 0;     ///< the MD step (or FE step count) the state belongs to
    double       time = 0;     ///< step * dt [time]
    int          n_ranks = 0;  ///< ranks of the communicator that wrote it
    int          md_ranks = 0; ///< of which MD ranks (the provenance's split)
    int          fe_ranks = 0; ///< and FE ranks
    std::string  kind;         ///< "md", "fe" or "coupled"
    std::string  deck;         ///< the deck text of the run that wrote it
  };

  /// Writes `directory`/checkpoint.h5: `fill` puts the state into a new file `checkpoint.h5.tmp`; when it
  /// is complete and closed, the existing checkpoint.h5 becomes checkpoint.prev.h5 (a hard link, so
  /// checkpoint.h5 is never missing) and the temporary file is renamed to checkpoint.h5. A job killed at
  /// any moment leaves a complete checkpoint.h5 or checkpoint.prev.h5. Collective on `comm`.
  /// The ranks of `comm` may put different names (a coupled run's MD and FE ranks each put their own
  /// state): the state is recorded first, the union of the names (in the order of the lowest rank that
  /// put each) is agreed over `comm`, and every rank writes every dataset, empty where it put nothing.
  /// Test hook: the environment variable SEAM_TEST_CHECKPOINT_SLEEP=seconds sleeps inside the write
  /// (after the data, before the file is closed and moved).
  /// @return the path of the checkpoint
  std::string write_checkpoint(const std::string &directory, MPI_Comm comm, const Provenance &prov,
                               const CheckpointInfo &info, const std::function<void(StateOut &)> &fill);

  /// An open checkpoint to restore from. Collective on `comm` (construction, root(), destruction).
  class CheckpointReader
  {
  public:
    /// @throws RuntimeError naming the file if it is not a seam checkpoint (every rank alike).
    CheckpointReader(const std::string &path, MPI_Comm comm);
    ~CheckpointReader();
    const CheckpointInfo &info() const { return info_; }
    /// The state as written on this rank (see root(writer, n_writers)).
    std::unique_ptr<StateIn> root() const;
    /// The state written by rank `writer` of a communicator of `n_writers` ranks (a coupled run reads
    /// each partition on its own communicator, by world rank). On another rank count than the
    /// checkpoint's, StateIn::same_layout() is false: the components redistribute it or refuse.
    std::unique_ptr<StateIn> root(int writer, int n_writers) const;
    /// As above, with the caller's verdict whether the readers are laid out as the writers were (a
    /// coupled run: the same MD/FE split). StateIn::reader() is the rank in this reader's communicator.
    std::unique_ptr<StateIn> root(int writer, bool same_layout) const;

  private:
    std::unique_ptr<Hdf5File> file_;
    CheckpointInfo            info_;
  };
} // namespace seam::io
