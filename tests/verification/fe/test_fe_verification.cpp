// Slower continuum verification: standing-wave convergence on finer meshes in 1D, 2D and 3D, and the
// energy invariant plus the operator throughput on a 3D Q1 mesh of ~0.2 M DoFs.
#include "fe/elastodynamics.h"

#include "support/tolerance.h"
#include "unit/fe/fe_testing.h"
#include "unit/fe/standing_wave.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <iostream>

using namespace seam::fe;

namespace
{
  template <int dim>
  void convergence(const std::vector<unsigned> &n_x)
  {
    std::vector<double> err;
    for (unsigned n : n_x)
      err.push_back(test_util::standing_wave_error<dim>(MPI_COMM_WORLD, n));
    for (std::size_t k = 0; k + 1 < err.size(); ++k)
      {
        const double order = std::log(err[k] / err[k + 1]) / std::log(double(n_x[k + 1]) / n_x[k]);
        if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
          std::cout << "dim " << dim << " n " << n_x[k] << " -> " << n_x[k + 1] << ": L2 error "
                    << err[k] << " -> " << err[k + 1] << ", order " << order << "\n";
        EXPECT_GE(order, 1.9);
        EXPECT_LE(order, 2.1);
      }
  }
} // namespace

TEST(FeVerification, StandingWave1D) { convergence<1>({32, 64, 128, 256, 512}); }
TEST(FeVerification, StandingWave2D) { convergence<2>({16, 32, 64, 128}); }
TEST(FeVerification, StandingWave3D) { convergence<3>({8, 16, 32, 64}); }

TEST(FeVerification, InvariantAndThroughput3D)
{
  const unsigned n    = 48; // 49^3 * 3 = 0.35 M DoFs
  const Mesh<3>  mesh = test_util::box_mesh<3>(MPI_COMM_WORLD, {0, 0, 0}, {1, 1, 1}, 1.0 / n);
  Elastodynamics<3>::Params params;
  for (unsigned id = 0; id < 6; ++id)
    params.boundary[id].style = "fixed";
  Elastodynamics<3> ed(mesh, Material<3>::isotropic(1.0, 0.3, 1.0), params);
  ed.set_initial_conditions({"0.01*sin(pi*x)*sin(pi*y)*sin(pi*z)", "0.01*sin(2*pi*x)*sin(pi*y)*sin(pi*z)",
                             "0"},
                            {"0", "0", "0.01*sin(pi*x)*sin(2*pi*y)*sin(pi*z)"});
  const double dt        = 0.95 * ed.stable_time_step();
  auto         invariant = [&]() {
    double local = 0;
    for (unsigned i = 0; i < ed.force().locally_owned_size(); ++i)
      local += std::pow(ed.force().local_element(i), 2) / ed.lumped_mass().local_element(i);
    return ed.kinetic_energy() + ed.strain_energy() -
           dt * dt / 8 * dealii::Utilities::MPI::sum(local, MPI_COMM_WORLD);
  };
  const double   i0    = invariant();
  const unsigned steps = 200;
  const auto     start = std::chrono::steady_clock::now();
  for (unsigned s = 0; s < steps; ++s)
    ed.step(s * dt, dt);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  expect_rel_near(invariant(), i0, 1e-11);
  const unsigned ranks = dealii::Utilities::MPI::n_mpi_processes(MPI_COMM_WORLD);
  const double   rate  = double(ed.n_dofs()) * steps / seconds / ranks;
  if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
    std::cout << "3D Q1: " << ed.n_dofs() << " DoFs, " << steps << " steps in " << seconds << " s on "
              << ranks << " rank(s): " << rate / 1e6 << " M DoF updates/s/core\n";
  RecordProperty("dof_updates_per_second_per_core", std::to_string(rate));
}
