// Halo communication of the spatial decomposition, with LAMMPS' named verbs: exchange (migrate atoms),
// borders (build ghosts), forward (ghost positions from owners), reverse (ghost forces to owners).
#pragma once

#include "base/types.h"

#include <mpi.h>

#include <vector>

namespace seam::md
{
  class Atoms;
  class Domain;

  /// Ghost-atom communication by axis-ordered swaps with the face neighbours of the processor grid
  /// (Plimpton 1995, J. Comp. Phys. 117, 1; LAMMPS `Comm::exchange/borders/forward_comm/reverse_comm`).
  ///
  /// borders(): for axis x, then y, then z, and for each direction (toward lower, toward upper), atoms
  /// within `cutoff` of the face are copied to the neighbour; candidates on later axes include ghosts
  /// from earlier ones, which fills edges and corners. A sub-box thinner than the cutoff needs
  /// ceil(cutoff / width) passes per direction: pass k forwards the ghosts received in pass k-1 of the
  /// same direction. On a periodic axis with one rank the neighbour is this rank itself (periodic
  /// self-images, copied without MPI). Copies that cross a periodic boundary are shifted by the box
  /// length (positions and reference positions alike). Along free axes no pass goes past the box end,
  /// so a rank sees ghosts from at most p-1 ranks along that axis.
  ///
  /// All verbs are collective on domain.comm(). Message order per swap: counts (borders and exchange
  /// only), then data, with MPI_Sendrecv to the send neighbour / from the receive neighbour.
  class HaloExchange
  {
  public:
    explicit HaloExchange(const Domain &domain);

    /// Drops ghosts, wraps owned atoms into the periodic box and moves every owned atom outside this
    /// rank's sub-box to its owner (ids, x0, x, v, image, and when present weight, mass scale and
    /// reference force). Repeats until no atom is misplaced, so any displacement is handled. Collective.
    void exchange(Atoms &atoms);

    /// Rebuilds the ghosts: all atoms (or periodic images) within `cutoff` [length] of this sub-box.
    /// When atoms.weighted(), the ghosts' weights are then forwarded from their owners.
    /// @pre exchange() was called since positions last changed. Collective.
    void borders(Atoms &atoms, double cutoff);

    /// Ghost positions from their owners (with the periodic shifts of borders()). Collective.
    void forward(Atoms &atoms);
    /// Ghost copies of a per-atom scalar (size n_local) from the owners. Collective.
    void forward(std::vector<double> &per_atom);
    /// Adds ghost forces (and per-atom energies when `energy`) into their owners. Collective.
    void reverse(Atoms &atoms, bool energy);
    /// Adds a per-atom scalar of ghosts (size n_local) into the owners. Collective.
    void reverse(std::vector<double> &per_atom);

    /// Wall time spent so far in the per-atom-scalar forward() and reverse() [s] (the communication a
    /// potential does inside its compute(), e.g. EAM's densities and embedding derivatives), so that
    /// MdSystem can report it apart from the pair work.
    double scalar_seconds() const { return scalar_seconds_; }

  private:
    struct Swap
    {
      int                     axis = 0;
      int                     send_rank = MPI_PROC_NULL; ///< neighbour we send to
      int                     recv_rank = MPI_PROC_NULL; ///< neighbour we receive from
      std::vector<LocalIndex> send_list;                 ///< local indices we send
      Vec3                    shift{};                   ///< added to sent positions (periodic)
      LocalIndex              first_ghost = 0;           ///< where received ghosts start
      LocalIndex              n_recv = 0;
    };

    bool is_self(const Swap &s) const;
    /// Exchanges `n_send` items of `width` doubles; returns the received buffer.
    void sendrecv(const Swap &s, const double *send, int n_send_doubles, double *recv,
                  int n_recv_doubles, bool reverse_direction);

    const Domain     &domain_;
    std::vector<Swap> swaps_;
    std::vector<double> send_buf_, recv_buf_;
    double              scalar_seconds_ = 0;
  };
} // namespace seam::md
