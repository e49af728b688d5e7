// Fine-scale damping of the handshake band.
#include "coupling/fine_scale_damping.h"

#include "md/atoms.h"

#include <cmath>

namespace seam::coupling
{
  void FineScaleDamping::post_integrate(md::Atoms &atoms, std::int64_t step)
  {
    if (!c_.scheme.closes_window(step + 1))
      return;
    const int dim = c_.band.dimension();
    c_.band.for_each_answer([&](LocalIndex i, const double *answer) {
      const double r  = std::exp(-c_.strength * (1.0 - atoms.weight()[i]));
      double       ke = 0;
      for (int a = 0; a < dim; ++a)
        {
          const double vfe = answer[dim + a];
          const double vn  = vfe + r * (atoms.v()[i][a] - vfe);
          ke += atoms.v()[i][a] * atoms.v()[i][a] - vn * vn;
          atoms.v()[i][a] = vn;
        }
      removed_ += 0.5 * atoms.mass() * atoms.mass_scale()[i] * c_.mvv2e * ke;
    });
  }
} // namespace seam::coupling
