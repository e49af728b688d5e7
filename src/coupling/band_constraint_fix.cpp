// The MD fix of the handshake constraint.
#include "coupling/band_constraint_fix.h"

#include "md/atoms.h"

namespace seam::coupling
{
  void BandConstraintFix::post_integrate(md::Atoms &, std::int64_t step)
  {
    if (scheme_.exchanges_after(step + 1))
      band_.exchange(true, scheme_.segment(step + 1));
  }

  void BandConstraintFix::post_force(md::Atoms &atoms, std::int64_t, bool)
  {
    const auto &lambda = atoms.extra(band_.multiplier_extra());
    const int   dim    = band_.dimension();
    for (LocalIndex i = 0; i < atoms.n_owned(); ++i)
      if (atoms.weight()[i] < 1.0)
        for (int a = 0; a < dim; ++a)
          atoms.f()[i][a] -= lambda[3 * i + a];
  }
} // namespace seam::coupling
