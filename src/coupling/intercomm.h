// Collective data movement between the MD and FE partitions over their intercommunicator.
#pragma once

#include <mpi.h>

#include <vector>

namespace seam::coupling
{
  /// Sends send[r] to rank r of the remote group and returns what each remote rank sent here
  /// (MPI_Alltoall of the counts, then MPI_Alltoallv, both on the intercommunicator). Both groups
  /// call it; a group with nothing to send passes empty buffers. Collective on `inter`.
  std::vector<std::vector<double>> exchange(MPI_Comm inter, const std::vector<std::vector<double>> &send);

  /// Every rank of the remote group's `send`, concatenated in remote rank order (MPI_Allgatherv on the
  /// intercommunicator). Collective on `inter`.
  std::vector<double> gather_remote(MPI_Comm inter, const std::vector<double> &send);
} // namespace seam::coupling
