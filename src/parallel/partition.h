// The world split into the MD and FE partitions, their intercommunicator, and the job-wide abort.
#pragma once

#include <mpi.h>

#include <cstdint>
#include <string>

namespace seam::parallel
{
  enum class Role
  {
    md,
    fe
  };

  /// Splits a world communicator into an MD partition (the first `n_md` ranks) and an FE partition (the
  /// rest) and connects them with an intercommunicator. A run with only one part puts every rank in it.
  /// Construction and destruction are collective on `world`.
  class Partition
  {
  public:
    /// @param world   the communicator of the whole job (not owned)
    /// @param has_md  the deck has an md section
    /// @param has_fe  the deck has an fe section
    /// @param n_md    MD ranks for a coupled run, 1 <= n_md < size(world); ignored otherwise
    /// @pre the arguments are the same on every rank (they come from the same validated deck).
    Partition(MPI_Comm world, bool has_md, bool has_fe, int n_md);
    ~Partition();
    Partition(const Partition &) = delete;
    Partition &operator=(const Partition &) = delete;

    bool is_md() const { return role_ == Role::md; }
    bool is_fe() const { return role_ == Role::fe; }
    bool is_coupled() const { return coupled_; }

    MPI_Comm world() const { return world_; }
    MPI_Comm local() const { return local_; } ///< this rank's partition (MD or FE)
    MPI_Comm inter() const { return inter_; } ///< MPI_COMM_NULL unless coupled

    int world_rank() const { return world_rank_; }
    int world_size() const { return world_size_; }
    int local_rank() const { return local_rank_; }
    int local_size() const { return local_size_; }
    int n_md_ranks() const { return n_md_; }
    int n_fe_ranks() const { return n_fe_; }

    std::string tag() const { return role_ == Role::md ? "md" : "fe"; }
    /// "[md 3/8]": partition, rank within it and partition size, for run-time messages.
    std::string prefix() const;

    /// True if every rank of the world passed the same value. Collective on world.
    bool all_same(std::uint64_t value) const;

  private:
    MPI_Comm world_;
    MPI_Comm local_ = MPI_COMM_NULL;
    MPI_Comm inter_ = MPI_COMM_NULL;
    Role     role_  = Role::md;
    bool     coupled_ = false;
    int      world_rank_ = 0, world_size_ = 1, local_rank_ = 0, local_size_ = 1;
    int      n_md_ = 0, n_fe_ = 0;
  };

  /// Ends the whole job, both partitions, after printing `message` (prefixed by the caller) to stderr.
  /// Safe to call from a single rank while others are inside collectives: MPI_Abort on the job's world.
  [[noreturn]] void abort_job(const std::string &message, int exit_code = 1);

  /// 64-bit FNV-1a hash of a text (used to check that all ranks read the same deck).
  std::uint64_t fnv1a_hash(const std::string &text);
} // namespace seam::parallel
