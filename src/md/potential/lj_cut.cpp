// Lennard-Jones 12-6 pair potential.
#include "md/potential/lj_cut.h"

#include "md/potential/pair_kernel.h"

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

  double LjCut::pair_energy(double r) const
  {
    if (r >= p_.cutoff)
      return 0.0;
    const double r6inv = 1.0 / std::pow(r, 6.0);
    return r6inv * (lj3_ * r6inv - lj4_);
  }

  void LjCut::compute(Atoms &atoms, const NeighborList &list, HaloExchange &, bool want_energy)
  {
    const double lj1 = lj1_, lj2 = lj2_, lj3 = lj3_, lj4 = lj4_;
    auto kernel = [=](LocalIndex, LocalIndex, double r2, double &fpair, double &e) {
      const double r2inv = 1.0 / r2;
      const double r6inv = r2inv * r2inv * r2inv;
      // -dE/dr / r is the repulsive-positive force over r; on j along +(x_j - x_i).
      fpair = r6inv * (lj1 * r6inv - lj2) * r2inv;
      e     = r6inv * (lj3 * r6inv - lj4);
      return true;
    };
    const double rc2 = p_.cutoff * p_.cutoff;
    if (want_energy)
      detail::pair_loop<true>(atoms, list, rc2, energy_, virial_, kernel);
    else
      detail::pair_loop<false>(atoms, list, rc2, energy_, virial_, kernel);
  }
} // namespace seam::md
