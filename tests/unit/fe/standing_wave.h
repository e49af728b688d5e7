// The standing-wave convergence study shared by the unit (small) and verification (large) tests.
#pragma once

#include "fe_testing.h"

#include <cmath>
#include <vector>

namespace seam::fe::test_util
{
  /// u_x = A sin(pi x) cos(pi c t) on [0,1] x [0,W]^(dim-1), x faces fixed, others free, isotropic with
  /// nu = 0 (so lambda = 0: the lateral faces carry no traction and the 1D mode is exact in dim D),
  /// E = rho = 1 (c = 1). Runs to T = 0.75 with dt = 0.2 h / c and returns the relative L2 error.
  ///
  /// Why this measures the spatial order: with dt proportional to h, the central-difference phase
  /// error (omega dt)^2/24 and the lumped-Q1 dispersion error -(k h)^2/24 are both O(h^2) and of
  /// opposite sign, so the total phase error at fixed T is (k h)^2 (1 - 0.04)/24 = O(h^2); the nodal
  /// interpolation error is O(h^2) too. The L2 error therefore halves by 4 per halving of h.
  template <int dim>
  double standing_wave_error(MPI_Comm comm, unsigned n_elements_x, unsigned degree = 1)
  {
    const double            h = 1.0 / n_elements_x, width = 0.25;
    std::array<double, dim> lo{}, hi{};
    hi.fill(width);
    hi[0]                          = 1.0;
    const Mesh<dim>       mesh     = box_mesh<dim>(comm, lo, hi, h);
    const auto            material = Material<dim>::isotropic(1.0, 0.0, 1.0);
    typename Elastodynamics<dim>::Params params;
    params.degree                                  = degree;
    params.boundary[boundary_id::x_lo].style        = "fixed";
    params.boundary[boundary_id::x_hi].style        = "fixed";
    Elastodynamics<dim>      ed(mesh, material, params);
    const double             a = 0.01;
    std::vector<std::string> u0(dim, "0"), v0(dim, "0");
    u0[0] = "0.01*sin(pi*x)";
    ed.set_initial_conditions(u0, v0);
    const double   t_end = 0.75;
    const unsigned steps = unsigned(std::ceil(t_end / (0.2 * h / degree)));
    const double   dt    = t_end / steps;
    for (unsigned n = 0; n < steps; ++n)
      ed.step(n * dt, dt);
    const double err = l2_error<dim>(ed, [&](const dealii::Point<dim> &x, unsigned c) {
      return c == 0 ? a * std::sin(M_PI * x[0]) * std::cos(M_PI * t_end) : 0.0;
    });
    // ||u_exact||_L2 = a |cos(pi T)| sqrt(1/2) sqrt(width^(dim-1))
    const double norm =
      a * std::abs(std::cos(M_PI * t_end)) * std::sqrt(0.5 * std::pow(width, dim - 1));
    return err / norm;
  }
} // namespace seam::fe::test_util
