// Benchmark driver for scripts/bench/fe_step: explicit elastodynamics steps on a uniform Q_p box mesh;
// prints one line of key=value results (rank 0).
#include "fe/elastodynamics.h"
#include "fe/material.h"
#include "fe/mesh.h"

#include <deal.II/base/mpi.h>

#include <mpi.h>

#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace seam::fe;

namespace
{
  [[noreturn]] void usage()
  {
    std::fprintf(stderr, "usage: fe_bench --dim 2|3 [--cells N per axis] [--steps N] [--degree p] [--repeat R]\n");
    MPI_Abort(MPI_COMM_WORLD, 2);
    std::exit(2);
  }

  /// A unit-cell-sized isotropic solid (E = 1, nu = 0.25, rho = 1) on [0, n]^dim with unit elements,
  /// absorbing faces (so the dashpot path is timed too), a smooth initial displacement, dt = 0.9 x
  /// the stable step. Times `steps` full steps, the best of `repeat` runs.
  template <int dim>
  void run(unsigned cells, unsigned steps, unsigned degree, unsigned repeat)
  {
    typename Mesh<dim>::Params mp;
    for (int d = 0; d < dim; ++d)
      {
        mp.domain.lo[d] = 0;
        mp.domain.hi[d] = cells;
      }
    mp.near = mp.far = 1.0;
    const Mesh<dim> mesh(MPI_COMM_WORLD, mp);
    typename Elastodynamics<dim>::Params ep;
    ep.degree = degree;
    for (unsigned id = 0; id < 2 * dim; ++id)
      ep.boundary[id].style = "absorbing";
    Elastodynamics<dim> ed(mesh, Material<dim>::isotropic(1.0, 0.25, 1.0), ep);
    const std::string c = std::to_string(cells / 2.0);
    const std::string z = dim == 3 ? "+(z-" + c + ")^2" : "";
    std::vector<std::string> u(dim, "0.01*exp(-((x-" + c + ")^2+(y-" + c + ")^2" + z + ")/9)");
    ed.set_initial_conditions(u, std::vector<std::string>(dim, "0"));
    const double dt = 0.9 * ed.stable_time_step();

    // Wall time is what a user waits; CPU time (this process, summed over ranks) is what the step costs
    // on a core, and stays meaningful on a machine shared with other jobs (MPI polling counts as CPU).
    auto cpu_now = [] {
      timespec t{};
      clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
      return t.tv_sec + 1e-9 * t.tv_nsec;
    };
    double best = 1e300, best_cpu = 1e300;
    for (unsigned r = 0; r < repeat; ++r)
      {
        for (unsigned s = 0; s < 3; ++s) // warm-up: caches, MPI buffers
          ed.step(s * dt, dt);
        MPI_Barrier(MPI_COMM_WORLD);
        const auto   start     = std::chrono::steady_clock::now();
        const double cpu_start = cpu_now();
        for (unsigned s = 0; s < steps; ++s)
          ed.step((s + 3) * dt, dt);
        const double cpu = cpu_now() - cpu_start;
        MPI_Barrier(MPI_COMM_WORLD);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        best = std::min(best, dealii::Utilities::MPI::max(seconds, MPI_COMM_WORLD));
        best_cpu = std::min(best_cpu, dealii::Utilities::MPI::sum(cpu, MPI_COMM_WORLD));
      }
    // Profile: the matrix-free operator alone (K u), the rest of a step being vector updates, boundary
    // loops and the ghost exchanges of u and v.
    typename Elastodynamics<dim>::VectorType y;
    ed.initialize_vector(y);
    MPI_Barrier(MPI_COMM_WORLD);
    const auto k_start = std::chrono::steady_clock::now();
    for (unsigned s = 0; s < steps; ++s)
      ed.apply_stiffness(y, ed.displacement());
    MPI_Barrier(MPI_COMM_WORLD);
    const double k_seconds = dealii::Utilities::MPI::max(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - k_start).count(), MPI_COMM_WORLD);
    const double e     = ed.kinetic_energy() + ed.strain_energy() + ed.absorbed_energy();
    const int    ranks = dealii::Utilities::MPI::n_mpi_processes(MPI_COMM_WORLD);
    const double rate  = double(ed.n_dofs()) * steps / best / ranks;
    const double rate_cpu = double(ed.n_dofs()) * steps / best_cpu;
    if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
      std::printf("dim=%d degree=%u cells=%lu dofs=%llu ranks=%d steps=%u seconds=%.6g "
                  "dof_updates_per_s_per_core=%.6g cpu_seconds=%.6g dof_updates_per_cpu_s=%.6g stiffness_seconds=%.6g "
                  "energy=%.10g\n",
                  dim, degree, mesh.n_cells(), static_cast<unsigned long long>(ed.n_dofs()), ranks, steps, best,
                  rate, best_cpu, rate_cpu, k_seconds, e);
  }
} // namespace

int main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  unsigned dim = 3, cells = 0, steps = 50, degree = 1, repeat = 2;
  for (int i = 1; i < argc; ++i)
    {
      auto next = [&]() -> unsigned {
        if (i + 1 >= argc)
          usage();
        return unsigned(std::strtoul(argv[++i], nullptr, 10));
      };
      if (!std::strcmp(argv[i], "--dim"))
        dim = next();
      else if (!std::strcmp(argv[i], "--cells"))
        cells = next();
      else if (!std::strcmp(argv[i], "--steps"))
        steps = next();
      else if (!std::strcmp(argv[i], "--degree"))
        degree = next();
      else if (!std::strcmp(argv[i], "--repeat"))
        repeat = next();
      else
        usage();
    }
  if (cells == 0)
    cells = dim == 3 ? 55 : 500; // about 0.5 M DoFs: 3 x 56^3, 2 x 501^2
  if (dim == 2)
    run<2>(cells, steps, degree, repeat);
  else if (dim == 3)
    run<3>(cells, steps, degree, repeat);
  else
    usage();
  return 0;
}
