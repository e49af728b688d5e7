// Binned half neighbor list with Newton's third law.
#include "md/neighbor_list.h"

#include "md/atoms.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <string>

namespace seam::md
{
  NeighborList::NeighborList(double cutoff, double skin) : cutoff_(cutoff), skin_(skin)
  {
    if (!(cutoff > 0.0) || !(skin >= 0.0))
      throw std::invalid_argument("NeighborList: need cutoff > 0 and skin >= 0, got cutoff " +
                                  std::to_string(cutoff) + ", skin " + std::to_string(skin));
  }

  namespace
  {
    /// The bin grid over the bounding box of the local atoms.
    struct BinGrid
    {
      std::array<double, 3> bmin{0, 0, 0}, inv_edge{0, 0, 0};
      std::array<long, 3>   nb{1, 1, 1};    ///< bins per axis
      std::array<long, 3>   reach{0, 0, 0}; ///< stencil half-width in bins per axis

      long coord(const Vec3 &p, int d) const
      {
        const long b = static_cast<long>((p[d] - bmin[d]) * inv_edge[d]);
        return std::clamp(b, 0L, nb[d] - 1);
      }
      long n_bins() const { return nb[0] * nb[1] * nb[2]; }
    };

    BinGrid make_bin_grid(const Vec3 *x, LocalIndex n_local, int dimension, double rc)
    {
      BinGrid g;
      if (n_local == 0)
        return g;
      std::array<double, 3> bmax{0, 0, 0};
      for (int d = 0; d < dimension; ++d)
        {
          g.bmin[d] = bmax[d] = x[0][d];
          for (LocalIndex i = 1; i < n_local; ++i)
            {
              g.bmin[d] = std::min(g.bmin[d], x[i][d]);
              bmax[d]   = std::max(bmax[d], x[i][d]);
            }
        }
      // Bins of edge rc/3 with per-row trimmed x ranges (below) visit fewer candidate atoms than rc/2
      // bins (whose 5^3-bin stencil is a cube of (2.5 rc)^3 around the sphere of radius rc); rows of
      // bins are contiguous, so smaller bins add little overhead. On in.lj rc/2, rc/3 and rc/4 measured
      // the same speed within the machine's noise (the build is bound by the candidate loop's loads).
      const double max_bins = 8.0 * n_local + 1000.0;
      double       edge     = rc / 3.0;
      for (;;)
        {
          double total = 1.0;
          for (int d = 0; d < dimension; ++d)
            total *= std::max(1.0, std::floor((bmax[d] - g.bmin[d]) / edge));
          if (total <= max_bins)
            break;
          edge *= 2.0;
        }
      for (int d = 0; d < dimension; ++d)
        {
          const double extent = bmax[d] - g.bmin[d];
          g.nb[d]             = std::max(1L, static_cast<long>(std::floor(extent / edge)));
          const double actual = extent > 0 ? extent / g.nb[d] : rc;
          g.inv_edge[d]       = 1.0 / actual;
          g.reach[d]          = std::min(g.nb[d] - 1, static_cast<long>(std::ceil(rc / actual)));
        }
      return g;
    }

    /// x reach of the row at bin offsets (d1, d2), d2 >= 0, at index (d1 + reach[1]) + w1 d2 with
    /// w1 = 2 reach[1] + 1: the x bins that can hold an atom within rc of some point of the centre bin,
    /// from the smallest distance between the bins along y and z ((|d| - 1) edges); -1 for rows entirely
    /// out of reach.
    std::vector<long> row_reaches(const BinGrid &g, double rc2)
    {
      const auto       &reach = g.reach;
      const auto       &inv_edge = g.inv_edge;
      const long        w1 = 2 * reach[1] + 1;
      std::vector<long> row_reach(static_cast<std::size_t>(w1 * (reach[2] + 1)), -1);
      const double e1 = inv_edge[1] > 0 ? 1.0 / inv_edge[1] : 0.0, e2 = inv_edge[2] > 0 ? 1.0 / inv_edge[2] : 0.0;
      const double e0 = inv_edge[0] > 0 ? 1.0 / inv_edge[0] : 0.0;
      for (long d2 = 0; d2 <= reach[2]; ++d2)
        for (long d1 = -reach[1]; d1 <= reach[1]; ++d1)
          {
            // Gaps shrunk by 1e-9 relative: bin indices come from rounded coordinates.
            const double gy   = std::max(0L, std::labs(d1) - 1) * e1 * (1.0 - 1e-9);
            const double gz   = std::max(0L, d2 - 1) * e2 * (1.0 - 1e-9);
            const double rest = rc2 - gy * gy - gz * gz;
            if (rest <= 0)
              continue;
            long r0 = reach[0];
            if (e0 > 0)
              r0 = std::min(reach[0], static_cast<long>(std::ceil(std::sqrt(rest) / e0 * (1.0 + 1e-9))));
            row_reach[static_cast<std::size_t>((d1 + reach[1]) + w1 * d2)] = r0;
          }
      return row_reach;
    }

    /// Counting sort of the local atoms by bin: atoms of bin b are bin_atoms[bin_start[b] ..
    /// bin_start[b + 1]), in index order.
    void sort_into_bins(const Vec3 *x, LocalIndex n_local, const BinGrid &g, std::vector<LocalIndex> &atom_bin,
                        std::vector<LocalIndex> &bin_start, std::vector<LocalIndex> &bin_atoms)
    {
      const long n_bins = g.n_bins();
      atom_bin.resize(static_cast<std::size_t>(n_local));
      bin_start.assign(static_cast<std::size_t>(n_bins + 1), 0);
      for (LocalIndex i = 0; i < n_local; ++i)
        {
          const long b = g.coord(x[i], 0) + g.nb[0] * (g.coord(x[i], 1) + g.nb[1] * g.coord(x[i], 2));
          atom_bin[i]  = static_cast<LocalIndex>(b);
          ++bin_start[b + 1];
        }
      for (long b = 0; b < n_bins; ++b)
        bin_start[b + 1] += bin_start[b];
      bin_atoms.resize(static_cast<std::size_t>(n_local));
      std::vector<LocalIndex> fill(bin_start.begin(), bin_start.end() - 1);
      for (LocalIndex i = 0; i < n_local; ++i)
        bin_atoms[fill[atom_bin[i]]++] = i;
    }
  } // namespace

  void NeighborList::build(const Atoms &atoms, int dimension)
  {
    const auto      &x       = atoms.x();
    const LocalIndex n_owned = atoms.n_owned();
    const LocalIndex n_local = atoms.n_local();
    const double     rc      = radius();
    const double     rc2     = rc * rc;

    const BinGrid            grid      = make_bin_grid(x.data(), n_local, dimension, rc);
    const auto              &nb        = grid.nb;
    const auto              &reach     = grid.reach;
    const long               w1        = 2 * reach[1] + 1;
    const std::vector<long>  row_reach = row_reaches(grid, rc2);
    sort_into_bins(x.data(), n_local, grid, atom_bin_, bin_start_, bin_atoms_);
    auto bin_coord = [&](const Vec3 &p, int d) { return grid.coord(p, d); };

    // Every pair is kept on the side where x_j follows x_i in (z, y, x) lexicographic order. Bin
    // indices are monotone in each coordinate, so bin rows below atom i's z-row hold no partner and rows
    // above hold only partners; only the atom's own z-row needs the comparison. Bins of one (b1, b2) row
    // are contiguous in bin_atoms_, so a row's x-range is one index range.
    offsets_.assign(static_cast<std::size_t>(n_owned) + 1, 0);
    // Candidates are written unconditionally and kept by advancing the count by the 0/1 test result:
    // about half of them fail the distance test in no predictable order, which a branch would
    // mispredict. The buffer is grown before each row so that the row's candidates always fit.
    if (neighbors_.size() < n_pairs_hint_)
      neighbors_.resize(n_pairs_hint_);
    std::size_t       n     = 0;
    const Vec3       *xp    = x.data();
    const LocalIndex *batom = bin_atoms_.data();
    for (LocalIndex i = 0; i < n_owned; ++i)
      {
        const double xi = xp[i][0], yi = xp[i][1], zi = xp[i][2];
        const long   c0 = bin_coord(xp[i], 0), c1 = bin_coord(xp[i], 1), c2 = bin_coord(xp[i], 2);
        for (long b2 = c2; b2 <= std::min(nb[2] - 1, c2 + reach[2]); ++b2)
          for (long b1 = std::max(0L, c1 - reach[1]); b1 <= std::min(nb[1] - 1, c1 + reach[1]); ++b1)
            {
              const long r0 = row_reach[static_cast<std::size_t>((b1 - c1 + reach[1]) + w1 * (b2 - c2))];
              if (r0 < 0)
                continue;
              const long       b0_lo   = std::max(0L, c0 - r0), b0_hi = std::min(nb[0] - 1, c0 + r0);
              const long       row     = nb[0] * (b1 + nb[1] * b2);
              const LocalIndex k_begin = bin_start_[row + b0_lo];
              const LocalIndex k_end   = bin_start_[row + b0_hi + 1];
              if (n + static_cast<std::size_t>(k_end - k_begin) > neighbors_.size())
                neighbors_.resize(2 * neighbors_.size() + static_cast<std::size_t>(k_end - k_begin));
              LocalIndex *out = neighbors_.data();
              if (b2 > c2)
                for (LocalIndex k = k_begin; k < k_end; ++k)
                  {
                    const LocalIndex j  = batom[k];
                    const double     dx = xp[j][0] - xi, dy = xp[j][1] - yi, dz = xp[j][2] - zi;
                    out[n] = j;
                    n += (dx * dx + dy * dy + dz * dz < rc2);
                  }
              else
                for (LocalIndex k = k_begin; k < k_end; ++k)
                  {
                    const LocalIndex j  = batom[k];
                    const double     dx = xp[j][0] - xi, dy = xp[j][1] - yi, dz = xp[j][2] - zi;
                    const bool after = (dz > 0) | ((dz == 0) & ((dy > 0) | ((dy == 0) & (dx > 0))));
                    out[n] = j;
                    n += (after & (dx * dx + dy * dy + dz * dz < rc2));
                  }
            }
        offsets_[i + 1] = n;
      }
    neighbors_.resize(n);
    n_pairs_hint_ = neighbors_.size() + neighbors_.size() / 8;
    x_at_build_.assign(x.begin(), x.begin() + n_owned);
    n_owned_ = n_owned;
    n_local_ = n_local;
    ++n_builds_;
  }

  bool NeighborList::needs_rebuild(const Atoms &atoms, MPI_Comm comm) const
  {
    int local = 0;
    if (n_owned_ != atoms.n_owned() || n_local_ != atoms.n_local())
      local = 1;
    else
      {
        const double limit2 = 0.25 * skin_ * skin_;
        const auto  &x      = atoms.x();
        for (LocalIndex i = 0; i < n_owned_; ++i)
          {
            const double dx = x[i][0] - x_at_build_[i][0], dy = x[i][1] - x_at_build_[i][1],
                         dz = x[i][2] - x_at_build_[i][2];
            if (dx * dx + dy * dy + dz * dz > limit2)
              {
                local = 1;
                break;
              }
          }
      }
    int global = 0;
    MPI_Allreduce(&local, &global, 1, MPI_INT, MPI_LOR, comm);
    return global != 0;
  }
} // namespace seam::md
