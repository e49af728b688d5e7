// The MD half of the band dashpot.
#include "coupling/band_dashpot.h"

#include "md/atoms.h"

namespace seam::coupling
{
  void BandDashpot::post_integrate(md::Atoms &atoms, std::int64_t step)
  {
    if (!c_.scheme.exchanges_after(step + 1))
      return;
    const int dim = c_.band.dimension();
    c_.band.for_each_answer([&](LocalIndex i, const double *answer) {
      for (int a = 0; a < dim; ++a)
        atoms.v()[i][a] += answer[3 * dim + a];
    });
  }
} // namespace seam::coupling
