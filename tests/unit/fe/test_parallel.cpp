// The same run on the FE communicator (all ranks) and serially (MPI_COMM_SELF on every rank) gives
// the same energies, up to summation order.
#include "fe/elastodynamics.h"

#include "support/tolerance.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace seam::fe;

namespace
{
  struct Energies
  {
    std::vector<double> values;
  };

  /// A holed, graded mesh with every kind of boundary condition, an anisotropic material and a
  /// Gaussian initial field; returns the energies after `steps` steps.
  template <int dim>
  std::vector<double> run(MPI_Comm comm, unsigned steps)
  {
    typename Mesh<dim>::Params p;
    Box<dim>                  hole, md, band_outside;
    for (int d = 0; d < dim; ++d)
      {
        p.domain.lo[d] = -6;
        p.domain.hi[d] = 7;
        hole.lo[d]     = -1.5;
        hole.hi[d]     = 1.2;
        md.lo[d]       = -2.5;
        md.hi[d]       = 2.1;
      }
    p.hole      = hole;
    p.md_region = md;
    p.near      = dim == 3 ? 0.7 : 0.4;
    p.far       = 2.0;
    p.growth    = 1.4;
    const Mesh<dim> mesh(comm, p);

    typename Elastodynamics<dim>::Params params;
    params.boundary[boundary_id::x_lo].style = "fixed";
    params.boundary[boundary_id::x_hi].style = "absorbing";
    if (dim > 1)
      {
        params.boundary[boundary_id::y_lo] = {"velocity", std::vector<std::string>(dim, "0.001*sin(3*t)*(x+6)"), {}};
        params.boundary[boundary_id::y_hi] = {"traction", std::vector<std::string>(dim, "0.01*cos(2*t)*exp(-x^2)"), {}};
      }
    const auto material =
      dim == 3 ? Material<dim>::cubic(1.684, 1.214, 0.754, 1.0, {{{{1, -1, 0}}, {{1, 1, -2}}, {{1, 1, 1}}}})
               : Material<dim>::isotropic(1.0, 0.25, 1.0);
    Elastodynamics<dim>      ed(mesh, material, params);
    std::vector<std::string> u0(dim, "0.01*exp(-((x-2.5)^2+(y-2.8)^2+z^2))"), v0(dim, "0");
    v0[0] = "0.003*exp(-((x+3)^2+y^2+(z-3)^2))";
    ed.set_initial_conditions(u0, v0);
    const double dt = 0.9 * ed.stable_time_step();
    for (unsigned n = 0; n < steps; ++n)
      ed.step(n * dt, dt);
    auto weight = [&](const dealii::Point<dim> &x) { return md.contains(x) ? 0.5 + 0.1 * x[0] : 0.0; };
    return {ed.kinetic_energy(),        ed.strain_energy(),        ed.absorbed_energy(),
            ed.kinetic_energy(md),      ed.strain_energy(md),      ed.kinetic_energy(weight),
            ed.strain_energy(weight),   ed.displacement().l2_norm(), ed.velocity().l2_norm()};
  }

  template <int dim>
  void compare(unsigned steps)
  {
    const auto parallel = run<dim>(MPI_COMM_WORLD, steps);
    const auto serial   = run<dim>(MPI_COMM_SELF, steps);
    // Only the order of floating-point sums differs; over `steps` steps of an O(1)-conditioned linear
    // recursion that stays at a few 1e-16 per step, so 1e-11 relative is a safe bound.
    for (std::size_t k = 0; k < serial.size(); ++k)
      {
        EXPECT_GT(std::abs(serial[k]), 0) << "quantity " << k << " is zero: the test would be vacuous";
        expect_rel_near(parallel[k], serial[k], 1e-11);
      }
  }
} // namespace

TEST(FeParallel, SameEnergiesAsSerial1D) { compare<1>(300); }
TEST(FeParallel, SameEnergiesAsSerial2D) { compare<2>(150); }
TEST(FeParallel, SameEnergiesAsSerial3D) { compare<3>(40); }
