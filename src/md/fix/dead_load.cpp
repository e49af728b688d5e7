// The dead-load (ghost-force) correction fix.
#include "md/fix/dead_load.h"

#include "md/atoms.h"

namespace seam::md
{
  bool DeadLoad::has_potential_energy() const { return atoms_.has_reference_force(); }

  void DeadLoad::post_force(Atoms &atoms, std::int64_t, bool want_energy)
  {
    energy_ = 0.0;
    if (!atoms.has_reference_force())
      return;
    auto       &f  = atoms.f();
    auto       &e  = atoms.energy();
    const auto &g  = atoms.reference_force();
    const auto &x  = atoms.x();
    const auto &x0 = atoms.x0();
    for (LocalIndex i = 0; i < atoms.n_owned(); ++i)
      {
        for (int d = 0; d < 3; ++d)
          f[i][d] -= g[i][d];
        if (want_energy)
          {
            const double ei = g[i][0] * (x[i][0] - x0[i][0]) + g[i][1] * (x[i][1] - x0[i][1]) +
                              g[i][2] * (x[i][2] - x0[i][2]);
            e[i] += ei;
            energy_ += ei;
          }
      }
  }
} // namespace seam::md
