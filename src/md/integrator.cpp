// Velocity Verlet time integration.
#include "md/integrator.h"

#include "md/atoms.h"

#include <stdexcept>
#include <string>

namespace seam::md
{
  VelocityVerlet::VelocityVerlet(double dt, double mass, double ftm2v, int dimension)
    : dt_(dt), dtf_(0.5 * dt * ftm2v / mass), dimension_(dimension)
  {
    if (!(dt > 0) || !(mass > 0) || !(ftm2v > 0) || dimension < 1 || dimension > 3)
      throw std::invalid_argument("VelocityVerlet: need dt, mass, ftm2v > 0 and dimension 1..3, got dt " +
                                  std::to_string(dt) + ", mass " + std::to_string(mass));
  }

  void VelocityVerlet::initial_integrate(Atoms &atoms) const
  {
    auto &x = atoms.x();
    auto &v = atoms.v();
    const auto &f = atoms.f();
    if (atoms.weighted())
      {
        const auto &ms = atoms.mass_scale();
        for (LocalIndex i = 0; i < atoms.n_owned(); ++i)
          {
            const double dtfm = dtf_ / ms[i];
            for (int d = 0; d < dimension_; ++d)
              {
                v[i][d] += dtfm * f[i][d];
                x[i][d] += dt_ * v[i][d];
              }
          }
        return;
      }
    for (LocalIndex i = 0; i < atoms.n_owned(); ++i)
      for (int d = 0; d < dimension_; ++d)
        {
          v[i][d] += dtf_ * f[i][d];
          x[i][d] += dt_ * v[i][d];
        }
  }

  void VelocityVerlet::final_integrate(Atoms &atoms) const
  {
    auto &v = atoms.v();
    const auto &f = atoms.f();
    if (atoms.weighted())
      {
        const auto &ms = atoms.mass_scale();
        for (LocalIndex i = 0; i < atoms.n_owned(); ++i)
          {
            const double dtfm = dtf_ / ms[i];
            for (int d = 0; d < dimension_; ++d)
              v[i][d] += dtfm * f[i][d];
          }
        return;
      }
    for (LocalIndex i = 0; i < atoms.n_owned(); ++i)
      for (int d = 0; d < dimension_; ++d)
        v[i][d] += dtf_ * f[i][d];
  }
} // namespace seam::md
