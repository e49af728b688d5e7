// The MD half of the band dashpot.
#include "coupling/band_dashpot.h"

#include "md/atoms.h"

namespace seam::coupling
{
  void BandDashpot::post_integrate(md::Atoms &atoms, std::int64_t step)
  {
    if (!c_.scheme.exchanges_after(step + 1))
      return;
    if (memory_ < 0)
      memory_ = atoms.add_extra("band_dashpot_kick", 6);
    auto     &mem = atoms.extra(memory_);
    const int dim = c_.band.dimension();
    c_.band.for_each_answer([&](LocalIndex i, const double *answer) {
      for (int a = 0; a < dim; ++a)
        {
          const double kick = answer[3 * dim + a];
          atoms.v()[i][a] += kick;
          mem[6 * i + a]     = kick;
          mem[6 * i + 3 + a] = atoms.v()[i][a];
        }
    });
    pending_ = true;
  }

  void BandDashpot::end_of_step(md::Atoms &atoms, std::int64_t)
  {
    if (!pending_)
      return;
    pending_ = false;
    // The kick's share of the full-step kinetic energy the FE side could not see (class comment). The
    // memory migrated with the atoms since post_integrate; atoms without a kick hold zeros.
    auto             &mem = atoms.extra(memory_);
    const std::size_t n   = atoms.n_owned();
    double            e   = 0.0;
    for (std::size_t i = 0; i < n; ++i)
      {
        double dot = 0.0;
        for (int a = 0; a < 3; ++a)
          {
            dot += mem[6 * i + a] * (atoms.v()[i][a] - mem[6 * i + 3 + a]);
            mem[6 * i + a] = mem[6 * i + 3 + a] = 0.0;
          }
        if (dot != 0.0)
          e += atoms.mass() * atoms.mass_scale()[i] * dot;
      }
    removed_ -= c_.mvv2e * e;
  }
} // namespace seam::coupling
