// Lennard-Jones 12-6 pair potential.
#include "md/potential/lj_cut.h"

#include "md/atoms.h"
#include "md/neighbor_list.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace seam::md
{
  LjCut::LjCut(const Params &p) : p_(p)
  {
    if (!(p.epsilon > 0) || !(p.sigma > 0) || !(p.cutoff > 0))
      throw std::invalid_argument("lj_cut: epsilon, sigma and cutoff must be positive, got " +
                                  std::to_string(p.epsilon) + ", " + std::to_string(p.sigma) + ", " +
                                  std::to_string(p.cutoff));
    const double s6  = std::pow(p.sigma, 6.0);
    const double s12 = s6 * s6;
    lj1_ = 48.0 * p.epsilon * s12;
    lj2_ = 24.0 * p.epsilon * s6;
    lj3_ = 4.0 * p.epsilon * s12;
    lj4_ = 4.0 * p.epsilon * s6;
  }

  std::vector<config::Entry> LjCut::keys()
  {
    using config::real;
    return {real("epsilon", Quantity::energy, "well depth").above(0).req(),
            real("sigma", Quantity::length, "zero-crossing distance").above(0).req(),
            real("cutoff", Quantity::length, "cutoff radius (energy not shifted, as LAMMPS lj/cut)").above(0).req()};
  }

  std::unique_ptr<Potential> LjCut::create(const PotentialParams &p)
  {
    return std::make_unique<LjCut>(Params{p.get("lj_cut", "epsilon"), p.get("lj_cut", "sigma"), p.get("lj_cut", "cutoff")});
  }

  double LjCut::pair_energy(double r) const
  {
    if (r >= p_.cutoff)
      return 0.0;
    const double r6inv = 1.0 / std::pow(r, 6.0);
    return r6inv * (lj3_ * r6inv - lj4_);
  }

  Jet2 LjCut::pair_jet(double r) const
  {
    if (r >= p_.cutoff)
      return {};
    const double r2inv = 1.0 / (r * r);
    const double r6inv = r2inv * r2inv * r2inv;
    // phi = lj3 r^-12 - lj4 r^-6
    return {r6inv * (lj3_ * r6inv - lj4_), r6inv * (-12.0 * lj3_ * r6inv + 6.0 * lj4_) / r,
            r6inv * (156.0 * lj3_ * r6inv - 42.0 * lj4_) * r2inv};
  }

  namespace
  {
    /// The LJ pair loop over a half list, branch-free in the cutoff test: about a third of the listed
    /// pairs (those in the skin) lie beyond the cutoff in random order, so a branch mispredicts often;
    /// instead every listed pair is evaluated and its force scaled by a 0/1 mask (pairs beyond the
    /// cutoff have r2 >= rc2 > 0, so their masked terms are exact zeros). Measured +26 % atom-steps/s on
    /// the in.lj benchmark. Same arithmetic as LAMMPS pair_lj_cut for the pairs inside the cutoff.
    /// `weighted`: blended energy (see detail::pair_loop), a separate instantiation.
    template <bool want_energy, bool weighted>
    void lj_loop(Atoms &atoms, const NeighborList &list, double rc2, double lj1, double lj2, double lj3,
                 double lj4, double &energy, std::array<double, 6> &virial)
    {
      const double *__restrict x   = atoms.x().data()->data();
      double *__restrict f         = atoms.f().data()->data();
      double *__restrict eat       = atoms.energy().data();
      const double *__restrict w   = weighted ? atoms.weight().data() : nullptr;
      const std::size_t *__restrict off = list.offsets().data();
      const LocalIndex *__restrict nbr  = list.neighbors().data();
      double etot = 0.0, v0 = 0, v1 = 0, v2 = 0, v3 = 0, v4 = 0, v5 = 0;
      const LocalIndex n = list.n_owned();
      for (LocalIndex i = 0; i < n; ++i)
        {
          const double xi = x[3 * i], yi = x[3 * i + 1], zi = x[3 * i + 2];
          double       fxi = 0, fyi = 0, fzi = 0, ei = 0;
          const double wi = weighted ? w[i] : 1.0;
          const std::size_t k_end = off[i + 1];
          for (std::size_t k = off[i]; k < k_end; ++k)
            {
              const std::size_t j  = static_cast<std::size_t>(nbr[k]);
              const double      dx = x[3 * j] - xi, dy = x[3 * j + 1] - yi, dz = x[3 * j + 2] - zi;
              const double      r2 = dx * dx + dy * dy + dz * dz;
              const double      inside = r2 < rc2 ? 1.0 : 0.0;
              const double      r2inv  = 1.0 / r2;
              const double      r6inv  = r2inv * r2inv * r2inv;
              // fpair = -dE/dr / r; force on j is +fpair (x_j - x_i), on i the opposite.
              double fpair = inside * r6inv * (lj1 * r6inv - lj2) * r2inv;
              double wj    = 1.0;
              if constexpr (weighted)
                {
                  wj = w[j];
                  fpair *= 0.5 * (wi + wj);
                }
              const double fx = fpair * dx, fy = fpair * dy, fz = fpair * dz;
              fxi -= fx;
              fyi -= fy;
              fzi -= fz;
              f[3 * j] += fx;
              f[3 * j + 1] += fy;
              f[3 * j + 2] += fz;
              if constexpr (want_energy)
                {
                  const double e = inside * r6inv * (lj3 * r6inv - lj4);
                  if constexpr (weighted)
                    {
                      etot += 0.5 * (wi + wj) * e;
                      ei += 0.5 * wi * e;
                      eat[j] += 0.5 * wj * e;
                    }
                  else
                    {
                      etot += e;
                      ei += 0.5 * e;
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
          f[3 * i] += fxi;
          f[3 * i + 1] += fyi;
          f[3 * i + 2] += fzi;
          if constexpr (want_energy)
            eat[i] += ei;
        }
      if constexpr (want_energy)
        {
          energy = etot;
          virial = {v0, v1, v2, v3, v4, v5};
        }
    }
  } // namespace

  void LjCut::compute(Atoms &atoms, const NeighborList &list, HaloExchange &, bool want_energy)
  {
    const double rc2 = p_.cutoff * p_.cutoff;
    // Weighted (blended) and plain runs are separate instantiations: no per-pair test of the mode.
    if (atoms.weighted())
      {
        if (want_energy)
          lj_loop<true, true>(atoms, list, rc2, lj1_, lj2_, lj3_, lj4_, energy_, virial_);
        else
          lj_loop<false, true>(atoms, list, rc2, lj1_, lj2_, lj3_, lj4_, energy_, virial_);
      }
    else if (want_energy)
      lj_loop<true, false>(atoms, list, rc2, lj1_, lj2_, lj3_, lj4_, energy_, virial_);
    else
      lj_loop<false, false>(atoms, list, rc2, lj1_, lj2_, lj3_, lj4_, energy_, virial_);
  }
} // namespace seam::md
