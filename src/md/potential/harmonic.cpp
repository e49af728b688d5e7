// Harmonic springs between reference-lattice nearest neighbours.
#include "md/potential/harmonic.h"

#include "base/error.h"
#include "md/atoms.h"
#include "md/lattice.h"
#include "md/potential/pair_kernel.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace seam::md
{
  Harmonic::Harmonic(const Params &p) : p_(p)
  {
    if (!(p.k > 0) || !(p.r0 > 0) || p.bond_cutoff < 0 || p.cutoff < 0)
      throw std::invalid_argument("harmonic: k and r0 must be positive, got k " + std::to_string(p.k) +
                                  ", r0 " + std::to_string(p.r0));
    if (p_.bond_cutoff == 0.0)
      p_.bond_cutoff = 1.1 * p.r0;
    if (p_.cutoff == 0.0)
      p_.cutoff = 1.5 * p.r0;
    if (!(p_.cutoff > p_.bond_cutoff))
      throw std::invalid_argument("harmonic: cutoff " + std::to_string(p_.cutoff) +
                                  " must exceed bond_cutoff " + std::to_string(p_.bond_cutoff));
  }

  std::vector<config::Entry> Harmonic::keys()
  {
    using config::real;
    return {real("k", Quantity::force_constant, "spring constant of each nearest-neighbour bond").above(0).req(),
            real("r0", Quantity::length,
                 "rest length of the bonds; auto = the lattice nearest-neighbour distance (zero stress)")
              .above(0)
              .or_auto()
              .def("auto")};
  }

  std::unique_ptr<Potential> Harmonic::create(const PotentialParams &p)
  {
    return std::make_unique<Harmonic>(Params{p.get("harmonic", "k"), p.get("harmonic", "r0"),
                                             p.get_or("bond_cutoff", 0.0), p.get_or("cutoff", 0.0)});
  }

  double Harmonic::auto_value(const std::string &key, const Lattice &lattice)
  {
    if (key != "r0")
      throw std::logic_error("harmonic: key '" + key + "' has no auto value");
    return lattice.nearest_neighbor_distance();
  }

  void Harmonic::compute(Atoms &atoms, const NeighborList &list, HaloExchange &, bool want_energy)
  {
    const double k = p_.k, r0 = p_.r0, rb2 = p_.bond_cutoff * p_.bond_cutoff;
    const double rc2 = p_.cutoff * p_.cutoff;
    const Vec3  *x0  = atoms.x0().data();
    double       worst_r2 = 0.0;
    auto kernel = [&](LocalIndex i, LocalIndex j, double r2, double &fpair, double &e) {
      const double dx = x0[j][0] - x0[i][0], dy = x0[j][1] - x0[i][1], dz = x0[j][2] - x0[i][2];
      if (dx * dx + dy * dy + dz * dz >= rb2)
        return false;
      if (r2 >= rc2)
        worst_r2 = std::max(worst_r2, r2);
      const double r = std::sqrt(r2);
      fpair = -k * (r - r0) / r;
      e     = 0.5 * k * (r - r0) * (r - r0);
      return true;
    };
    // Every pair of the list is offered to the kernel: a bond longer than cutoff is an error, not a
    // pair to skip.
    const double inf = std::numeric_limits<double>::infinity();
    // Weighted (blended) and plain runs are separate instantiations: no per-pair test of the mode.
    if (atoms.weighted())
      {
        if (want_energy)
          detail::pair_loop<true, true>(atoms, list, inf, energy_, virial_, kernel);
        else
          detail::pair_loop<false, true>(atoms, list, inf, energy_, virial_, kernel);
      }
    else if (want_energy)
      detail::pair_loop<true, false>(atoms, list, inf, energy_, virial_, kernel);
    else
      detail::pair_loop<false, false>(atoms, list, inf, energy_, virial_, kernel);
    if (worst_r2 > 0.0)
      // The cutoff is not a deck key of this style, so the fixes suggested are ones a deck can express.
      throw RuntimeError(fmt::format("harmonic: a bond is stretched to {:.6g}, beyond the style's cutoff {:.6g} "
                                     "(1.5 x md.potential.r0 by default; not a deck key), so it could drop out of the neighbor "
                                     "list; the harmonic lattice cannot break bonds: reduce the deformation "
                                     "(initial.displacement, initial.velocity, boundary velocities) or the "
                                     "time step md.time_step, or use a potential whose bonds may break "
                                     "(md.potential.style: morse, lj_cut or eam)",
                                     std::sqrt(worst_r2), p_.cutoff));
  }
} // namespace seam::md
