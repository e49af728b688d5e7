// Partitioning the world into MD and FE communicators.
#include "parallel/partition.h"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>

namespace seam::parallel
{
  Partition::Partition(MPI_Comm world, bool has_md, bool has_fe, int n_md)
    : world_(world)
  {
    MPI_Comm_rank(world_, &world_rank_);
    MPI_Comm_size(world_, &world_size_);
    coupled_ = has_md && has_fe;
    if (coupled_)
      {
        n_md_ = n_md;
        n_fe_ = world_size_ - n_md;
        role_ = world_rank_ < n_md ? Role::md : Role::fe;
      }
    else
      {
        role_ = has_md ? Role::md : Role::fe;
        n_md_ = has_md ? world_size_ : 0;
        n_fe_ = has_md ? 0 : world_size_;
      }
    // Color by role, keep world order inside each partition.
    MPI_Comm_split(world_, role_ == Role::md ? 0 : 1, world_rank_, &local_);
    MPI_Comm_rank(local_, &local_rank_);
    MPI_Comm_size(local_, &local_size_);
    if (coupled_)
      {
        // Leaders: world rank 0 for MD, world rank n_md for FE.
        const int remote_leader = role_ == Role::md ? n_md_ : 0;
        MPI_Intercomm_create(local_, 0, world_, remote_leader, /*tag=*/7301, &inter_);
      }
  }

  Partition::~Partition()
  {
    if (inter_ != MPI_COMM_NULL)
      MPI_Comm_free(&inter_);
    if (local_ != MPI_COMM_NULL)
      MPI_Comm_free(&local_);
  }

  std::string Partition::prefix() const
  {
    return fmt::format("[{} {}/{}]", tag(), local_rank_, local_size_);
  }

  bool Partition::all_same(std::uint64_t value) const
  {
    std::uint64_t lo = 0, hi = 0;
    MPI_Allreduce(&value, &lo, 1, MPI_UINT64_T, MPI_MIN, world_);
    MPI_Allreduce(&value, &hi, 1, MPI_UINT64_T, MPI_MAX, world_);
    return lo == hi;
  }

  void abort_job(const std::string &message, int exit_code)
  {
    std::fputs((message + "\n").c_str(), stderr);
    std::fflush(stderr);
    std::fflush(stdout);
    int initialized = 0, finalized = 0;
    MPI_Initialized(&initialized);
    MPI_Finalized(&finalized);
    if (initialized && !finalized)
      MPI_Abort(MPI_COMM_WORLD, exit_code);
    std::_Exit(exit_code);
  }

  std::uint64_t fnv1a_hash(const std::string &text)
  {
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : text)
      {
        h ^= c;
        h *= 1099511628211ull;
      }
    return h;
  }
} // namespace seam::parallel
