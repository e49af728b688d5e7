// Morse pair potential.
#include "md/potential/morse.h"

#include "md/atoms.h"
#include "md/potential/pair_kernel.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace seam::md
{
  Morse::Morse(const Params &p) : p_(p)
  {
    if (!(p.d0 > 0) || !(p.alpha > 0) || !(p.r0 > 0) || !(p.cutoff > 0))
      throw std::invalid_argument("morse: d0, alpha, r0 and cutoff must be positive, got " +
                                  std::to_string(p.d0) + ", " + std::to_string(p.alpha) + ", " +
                                  std::to_string(p.r0) + ", " + std::to_string(p.cutoff));
  }

  std::vector<config::Entry> Morse::keys()
  {
    using config::real;
    return {real("d0", Quantity::energy, "well depth").above(0).req(),
            real("alpha", Quantity::inverse_length, "width parameter").above(0).req(),
            real("r0", Quantity::length, "equilibrium distance").above(0).req(),
            real("cutoff", Quantity::length, "cutoff radius").above(0).req()};
  }

  std::unique_ptr<Potential> Morse::create(const PotentialParams &p)
  {
    return std::make_unique<Morse>(
      Params{p.get("morse", "d0"), p.get("morse", "alpha"), p.get("morse", "r0"), p.get("morse", "cutoff")});
  }

  double Morse::pair_energy(double r) const
  {
    if (r >= p_.cutoff)
      return 0.0;
    const double dexp = std::exp(-p_.alpha * (r - p_.r0));
    return p_.d0 * (dexp * dexp - 2.0 * dexp);
  }

  Jet2 Morse::pair_jet(double r) const
  {
    if (r >= p_.cutoff)
      return {};
    const double a = p_.alpha, e = std::exp(-a * (r - p_.r0));
    return {p_.d0 * (e * e - 2.0 * e), 2.0 * a * p_.d0 * (e - e * e), 2.0 * a * a * p_.d0 * (2.0 * e * e - e)};
  }

  void Morse::compute(Atoms &atoms, const NeighborList &list, HaloExchange &, bool want_energy)
  {
    const double d0 = p_.d0, alpha = p_.alpha, r0 = p_.r0, morse1 = 2.0 * p_.d0 * p_.alpha;
    auto kernel = [=](LocalIndex, LocalIndex, double r2, double &fpair, double &e) {
      const double r    = std::sqrt(r2);
      const double dexp = std::exp(-alpha * (r - r0));
      fpair = morse1 * (dexp * dexp - dexp) / r;
      e     = d0 * (dexp * dexp - 2.0 * dexp);
      return true;
    };
    const double rc2 = p_.cutoff * p_.cutoff;
    // Weighted (blended) and plain runs are separate instantiations: no per-pair test of the mode.
    if (atoms.weighted())
      {
        if (want_energy)
          detail::pair_loop<true, true>(atoms, list, rc2, energy_, virial_, kernel);
        else
          detail::pair_loop<false, true>(atoms, list, rc2, energy_, virial_, kernel);
      }
    else if (want_energy)
      detail::pair_loop<true, false>(atoms, list, rc2, energy_, virial_, kernel);
    else
      detail::pair_loop<false, false>(atoms, list, rc2, energy_, virial_, kernel);
  }
} // namespace seam::md
