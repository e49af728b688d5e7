// Binned (cell-list) half neighbor list over owned and ghost atoms, with Newton's third law, and the
// collective check whether it must be rebuilt.
#pragma once

#include "base/types.h"

#include <mpi.h>

#include <vector>

namespace seam::md
{
  class Atoms;

  /// Half neighbor list with Newton's third law (Verlet 1967 lists on Hockney-Eastwood cells; the
  /// ghost rule of LAMMPS `npair_half_bin_newton`, applied to all pairs). Every pair within
  /// cutoff + skin appears once in the whole job: a pair (i, j) is listed under owned atom i when j lies
  /// "above" i (greater z; equal z and greater y; equal z, y and greater x), whether j is owned or a
  /// ghost. The owner of a ghost sees the mirror pair with exactly the opposite ordering (periodic
  /// shifts move both atoms alike), so forces on ghosts are reverse-communicated and every pair is
  /// counted once. The rule halves the bin stencil: rows of bins below atom i are never visited.
  ///
  /// Bins have an edge of at least (cutoff + skin)/3 over the bounding box of the local atoms (capped
  /// in number so a stray atom far outside cannot blow up memory); the stencil reaches as far as the
  /// cutoff needs whatever the actual bin edge, and each row of bins along x is trimmed to the bins
  /// that can hold a partner given the row's smallest y and z distance from the atom's bin, so the
  /// candidates approach the list sphere (LAMMPS `nstencil` trims bins the same way).
  ///
  /// Storage is CSR: neighbors of owned atom i are neighbors()[offsets()[i] .. offsets()[i+1]).
  class NeighborList
  {
  public:
    /// @param cutoff  force cutoff [length] > 0
    /// @param skin    extra distance [length] >= 0; the list is valid until an atom moved skin/2
    NeighborList(double cutoff, double skin);

    double cutoff() const { return cutoff_; }
    double skin() const { return skin_; }
    /// cutoff + skin: the list radius and the ghost cutoff HaloExchange::borders() must use.
    double radius() const { return cutoff_ + skin_; }

    /// Builds the list from the owned and ghost atoms' current positions and remembers the owned
    /// positions for needs_rebuild(). Local (not collective). `dimension` axes are binned.
    void build(const Atoms &atoms, int dimension);

    /// Removes the pairs (i, j) with candidate(i) and drop(i, j) true from the list built last (call right
    /// after build(); e.g. the cut bonds of md.cut). Returns the number removed. Local.
    template <typename Candidate, typename Drop>
    std::size_t remove_pairs(Candidate candidate, Drop drop)
    {
      std::size_t n = 0, removed = 0, begin = 0;
      for (LocalIndex i = 0; i < n_owned_; ++i)
        {
          const std::size_t end = offsets_[i + 1];
          const bool        any = candidate(i);
          for (std::size_t k = begin; k < end; ++k)
            if (any && drop(i, neighbors_[k]))
              ++removed;
            else
              neighbors_[n++] = neighbors_[k];
          begin           = end;
          offsets_[i + 1] = n;
        }
      neighbors_.resize(n);
      return removed;
    }

    /// True on every rank if any owned atom anywhere moved more than skin/2 since the last build (or
    /// the list was never built, or the owned atoms changed). Collective on `comm` (one allreduce).
    bool needs_rebuild(const Atoms &atoms, MPI_Comm comm) const;

    LocalIndex n_owned() const { return n_owned_; }
    /// The owned positions of the last build (what needs_rebuild() compares with).
    const std::vector<Vec3> &positions_at_build() const { return x_at_build_; }
    std::size_t n_pairs() const { return neighbors_.size(); }
    long n_builds() const { return n_builds_; }
    const std::vector<std::size_t> &offsets() const { return offsets_; }
    const std::vector<LocalIndex>  &neighbors() const { return neighbors_; }

  private:
    double                   cutoff_, skin_;
    LocalIndex               n_owned_ = -1;
    LocalIndex               n_local_ = -1;
    long                     n_builds_ = 0;
    std::vector<std::size_t> offsets_;
    std::vector<LocalIndex>  neighbors_;
    std::vector<Vec3>        x_at_build_;
    std::vector<LocalIndex>  bin_start_, bin_atoms_, atom_bin_;
    std::size_t              n_pairs_hint_ = 0; ///< capacity to reserve at the next build
  };
} // namespace seam::md
