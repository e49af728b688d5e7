// Collective data movement between the MD and FE partitions.
#include "coupling/intercomm.h"

namespace seam::coupling
{
  std::vector<std::vector<double>> exchange(MPI_Comm inter, const std::vector<std::vector<double>> &send)
  {
    int remote = 0;
    MPI_Comm_remote_size(inter, &remote);
    std::vector<int> scount(remote, 0), rcount(remote, 0), sdispl(remote, 0), rdispl(remote, 0);
    for (int r = 0; r < remote && r < static_cast<int>(send.size()); ++r)
      scount[r] = static_cast<int>(send[r].size());
    MPI_Alltoall(scount.data(), 1, MPI_INT, rcount.data(), 1, MPI_INT, inter);
    std::vector<double> sbuf, rbuf;
    int                 stotal = 0, rtotal = 0;
    for (int r = 0; r < remote; ++r)
      {
        sdispl[r] = stotal;
        rdispl[r] = rtotal;
        stotal += scount[r];
        rtotal += rcount[r];
      }
    sbuf.reserve(stotal);
    for (int r = 0; r < remote && r < static_cast<int>(send.size()); ++r)
      sbuf.insert(sbuf.end(), send[r].begin(), send[r].end());
    rbuf.resize(rtotal);
    sbuf.push_back(0.0); // never a null buffer
    rbuf.push_back(0.0);
    MPI_Alltoallv(sbuf.data(), scount.data(), sdispl.data(), MPI_DOUBLE, rbuf.data(), rcount.data(),
                  rdispl.data(), MPI_DOUBLE, inter);
    std::vector<std::vector<double>> out(remote);
    for (int r = 0; r < remote; ++r)
      out[r].assign(rbuf.begin() + rdispl[r], rbuf.begin() + rdispl[r] + rcount[r]);
    return out;
  }

  std::vector<double> gather_remote(MPI_Comm inter, const std::vector<double> &send)
  {
    int remote = 0;
    MPI_Comm_remote_size(inter, &remote);
    int              n = static_cast<int>(send.size());
    std::vector<int> counts(remote), displ(remote);
    MPI_Allgather(&n, 1, MPI_INT, counts.data(), 1, MPI_INT, inter);
    int total = 0;
    for (int r = 0; r < remote; ++r)
      {
        displ[r] = total;
        total += counts[r];
      }
    std::vector<double> out(total + 1), sbuf(send);
    sbuf.push_back(0.0);
    MPI_Allgatherv(sbuf.data(), n, MPI_DOUBLE, out.data(), counts.data(), displ.data(), MPI_DOUBLE, inter);
    out.pop_back();
    return out;
  }
} // namespace seam::coupling
