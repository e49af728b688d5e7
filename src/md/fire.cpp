// FIRE relaxation.
#include "md/fire.h"

#include "md/atoms.h"
#include "md/domain.h"
#include "md/md_system.h"

#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace seam::md
{
  Fire::Fire(const Params &p) : p_(p)
  {
    if (!(p.dt > 0) || !(p.force_tolerance > 0) || p.max_iterations < 1)
      throw std::invalid_argument("Fire: need dt > 0, force_tolerance > 0 and max_iterations >= 1");
  }

  Fire::Result Fire::relax(MdSystem &sys) const
  {
    Atoms     &atoms   = sys.atoms();
    const int  dim     = sys.params().dimension;
    const auto saved   = sys.integration_step();
    const auto dt_max  = p_.dt_max_factor * p_.dt, dt_min = p_.dt_min_factor * p_.dt;
    auto       at_rest = [&] {
      for (LocalIndex i = 0; i < atoms.n_owned(); ++i)
        atoms.v()[i] = Vec3{};
    };
    Result r;
    at_rest();
    double dt = p_.dt, alpha = p_.alpha_start;
    int    positive = 0;
    sys.set_integration_step(dt);
    // At least one step: the forces in hand belong to the previous load, and the step's hooks move what
    // the new load prescribes (held layers, the indenter) before the forces are evaluated again.
    do
      {
        sys.step(true);
        ++r.iterations;
        // P = F . v, |v|^2, |F|^2 and max |F_i|^2 in one reduction.
        double sums[3] = {0, 0, 0}, fmax2 = 0;
        for (LocalIndex i = 0; i < atoms.n_owned(); ++i)
          {
            double ff = 0;
            for (int a = 0; a < dim; ++a)
              {
                const double f = atoms.f()[i][a], v = atoms.v()[i][a];
                sums[0] += f * v;
                sums[1] += v * v;
                ff += f * f;
              }
            sums[2] += ff;
            fmax2 = std::max(fmax2, ff);
          }
        MPI_Allreduce(MPI_IN_PLACE, sums, 3, MPI_DOUBLE, MPI_SUM, sys.domain().comm());
        MPI_Allreduce(MPI_IN_PLACE, &fmax2, 1, MPI_DOUBLE, MPI_MAX, sys.domain().comm());
        r.max_force = std::sqrt(fmax2);
        if (!std::isfinite(r.max_force))
          break; // the caller reports it (a non-finite force is never converged)
        if (r.max_force <= p_.force_tolerance)
          break;
        if (sums[0] > 0)
          {
            const double scale = sums[2] > 0 ? alpha * std::sqrt(sums[1] / sums[2]) : 0.0;
            for (LocalIndex i = 0; i < atoms.n_owned(); ++i)
              for (int a = 0; a < dim; ++a)
                atoms.v()[i][a] = (1 - alpha) * atoms.v()[i][a] + scale * atoms.f()[i][a];
            if (++positive > p_.n_min)
              {
                dt    = std::min(dt * p_.f_inc, dt_max);
                alpha = alpha * p_.f_alpha;
              }
          }
        else
          {
            positive = 0;
            dt       = std::max(dt * p_.f_dec, dt_min);
            alpha    = p_.alpha_start;
            at_rest();
          }
        sys.set_integration_step(dt);
      }
    while (r.max_force > p_.force_tolerance && r.iterations < p_.max_iterations);
    r.converged = r.max_force <= p_.force_tolerance;
    at_rest();
    sys.set_integration_step(saved);
    return r;
  }
} // namespace seam::md
