// Shared loop of the pair potentials over a half neighbor list, inlined with the pair kernel (no
// virtual call per pair). Internal to md/potential.
#pragma once

#include "md/atoms.h"
#include "md/neighbor_list.h"

#include <array>

namespace seam::md::detail
{
  /// Loops over the pairs (i, j) of `list`; `kernel(i, j, r2, fpair, e)` returns false to skip a pair,
  /// otherwise sets fpair (force on j along x_j - x_i is +fpair * (x_j - x_i), i.e. fpair = -dE/dr / r)
  /// and, when energy is wanted, e. Pairs with r2 >= cutoff2 are skipped before the kernel.
  ///
  /// `weighted` (atoms.weighted(), a separate instantiation so the unweighted loop has no extra work):
  /// the pair's energy and force are scaled by (alpha_i + alpha_j) / 2 and atom i's per-atom energy gets
  /// alpha_i e / 2 (j alpha_j e / 2), the blended Hamiltonian sum_i alpha_i E_i with E_i = 1/2 sum_j phi
  /// (Xiao & Belytschko 2004).
  template <bool want_energy, bool weighted, typename Kernel>
  void pair_loop(Atoms &atoms, const NeighborList &list, double cutoff2, double &energy,
                 std::array<double, 6> &virial, Kernel &&kernel)
  {
    const double     *w    = weighted ? atoms.weight().data() : nullptr;
    const Vec3       *x    = atoms.x().data();
    Vec3             *f    = atoms.f().data();
    double           *eat  = atoms.energy().data();
    const auto       &off  = list.offsets();
    const LocalIndex *nbr  = list.neighbors().data();
    double            etot = 0.0;
    double            v0 = 0, v1 = 0, v2 = 0, v3 = 0, v4 = 0, v5 = 0;
    for (LocalIndex i = 0; i < list.n_owned(); ++i)
      {
        const double xi = x[i][0], yi = x[i][1], zi = x[i][2];
        double       fxi = 0, fyi = 0, fzi = 0;
        for (std::size_t k = off[i]; k < off[i + 1]; ++k)
          {
            const LocalIndex j  = nbr[k];
            const double     dx = x[j][0] - xi, dy = x[j][1] - yi, dz = x[j][2] - zi;
            const double     r2 = dx * dx + dy * dy + dz * dz;
            if (r2 >= cutoff2)
              continue;
            double fpair = 0.0, e = 0.0;
            if (!kernel(i, j, r2, fpair, e))
              continue;
            double wi = 1.0, wj = 1.0;
            if constexpr (weighted)
              {
                wi = w[i];
                wj = w[j];
                fpair *= 0.5 * (wi + wj);
              }
            // fpair = -dE/dr / r: force on i is -fpair * (x_j - x_i), on j +fpair * (x_j - x_i).
            const double fx = fpair * dx, fy = fpair * dy, fz = fpair * dz;
            fxi -= fx;
            fyi -= fy;
            fzi -= fz;
            f[j][0] += fx;
            f[j][1] += fy;
            f[j][2] += fz;
            if constexpr (want_energy)
              {
                if constexpr (weighted)
                  {
                    etot += 0.5 * (wi + wj) * e;
                    eat[i] += 0.5 * wi * e;
                    eat[j] += 0.5 * wj * e;
                  }
                else
                  {
                    etot += e;
                    eat[i] += 0.5 * e;
                    eat[j] += 0.5 * e;
                  }
                // Virial sum r_ij (x) f_ij with r_ij = x_i - x_j and f_ij the force on i.
                v0 += dx * fx;
                v1 += dy * fy;
                v2 += dz * fz;
                v3 += dx * fy;
                v4 += dx * fz;
                v5 += dy * fz;
              }
          }
        f[i][0] += fxi;
        f[i][1] += fyi;
        f[i][2] += fzi;
      }
    if constexpr (want_energy)
      {
        energy = etot;
        virial = {v0, v1, v2, v3, v4, v5};
      }
  }
} // namespace seam::md::detail
