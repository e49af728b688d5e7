// Benchmark driver for scripts/bench/md_vs_lammps: the LAMMPS bench/in.lj and bench/in.eam systems on
// seam's MD engine; prints one line of key=value results (rank 0), with the step timing breakdown as
// t_<section>_{min,avg,max}=seconds fields, and with --timing also MdSystem::timing_table().
#include "md/md_system.h"

#include <mpi.h>
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

using namespace seam;
using namespace seam::md;

namespace
{
  [[noreturn]] void usage()
  {
    std::fprintf(stderr, "usage: md_bench lj|eam [--cells N] [--steps N] [--file Cu_u3.eam] [--every N] [--delay N] [--sync 0|1] [--timing 0|1]\n");
    MPI_Abort(MPI_COMM_WORLD, 2);
    std::exit(2);
  }
} // namespace

int main(int argc, char **argv)
{
  MPI_Init(&argc, &argv);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  if (argc < 2)
    usage();
  const std::string system = argv[1];
  int               cells = 20, steps = 100, every = 1, delay = 0, sync = 0, table = 0;
  std::string       file  = "/usr/share/lammps/potentials/Cu_u3.eam";
  for (int k = 2; k + 1 < argc; k += 2)
    {
      if (!std::strcmp(argv[k], "--cells"))
        cells = std::atoi(argv[k + 1]);
      else if (!std::strcmp(argv[k], "--steps"))
        steps = std::atoi(argv[k + 1]);
      else if (!std::strcmp(argv[k], "--every"))
        every = std::atoi(argv[k + 1]);
      else if (!std::strcmp(argv[k], "--delay"))
        delay = std::atoi(argv[k + 1]);
      else if (!std::strcmp(argv[k], "--sync"))
        sync = std::atoi(argv[k + 1]);
      else if (!std::strcmp(argv[k], "--timing"))
        table = std::atoi(argv[k + 1]);
      else if (!std::strcmp(argv[k], "--file"))
        file = argv[k + 1];
      else
        usage();
    }

  // LAMMPS bench/in.lj: fcc rho* 0.8442, lj/cut 2.5, skin 0.3, T 1.44, dt 0.005, thermo every 100.
  // LAMMPS bench/in.eam: fcc Cu 3.615, Cu_u3.eam, skin 1.0, T 1600 K, dt 0.005 ps, thermo every 50.
  MdSystemParams p;
  double         temperature = 0;
  int            thermo      = 100;
  if (system == "lj")
    {
      p.units            = UnitSystem::lj;
      p.lattice_constant = std::cbrt(4.0 / 0.8442);
      p.mass             = 1.0;
      p.potential_style  = "lj_cut";
      p.potential.values = {{"epsilon", 1.0}, {"sigma", 1.0}, {"cutoff", 2.5}};
      p.time_step        = 0.005;
      p.skin             = 0.3;
      temperature        = 1.44;
    }
  else if (system == "eam")
    {
      p.units            = UnitSystem::metal;
      p.lattice_constant = 3.615;
      p.mass             = 63.55;
      p.potential_style  = "eam";
      p.potential.file   = file;
      p.time_step        = 0.005;
      p.skin             = 1.0;
      temperature        = 1600.0;
      thermo             = 50;
    }
  else
    usage();
  p.lattice_style = LatticeStyle::fcc;
  p.region_lo     = {0, 0, 0};
  p.region_hi     = {cells * p.lattice_constant, cells * p.lattice_constant, cells * p.lattice_constant};
  p.periodic      = {true, true, true};
  p.neighbor_every = every; // --every/--delay: LAMMPS' neigh_modify every/delay (default: check every step)
  p.neighbor_delay = delay;
  p.timer_sync     = sync != 0; // --sync 1: barriers before communication, so imbalance shows as "sync"

  const auto t_setup0 = std::chrono::steady_clock::now();
  MdSystem   sys(p, MPI_COMM_WORLD);
  sys.create_velocities(temperature, 87287);
  sys.setup();
  const double pe0      = sys.potential_energy();
  const auto   t_setup1 = std::chrono::steady_clock::now();
  MPI_Barrier(MPI_COMM_WORLD);
  const auto t0 = std::chrono::steady_clock::now();
  for (int s = 1; s <= steps; ++s)
    sys.step(s % thermo == 0 || s == steps);
  MPI_Barrier(MPI_COMM_WORLD);
  const auto   t1   = std::chrono::steady_clock::now();
  const double loop = std::chrono::duration<double>(t1 - t0).count();
  const double pe   = sys.potential_energy();
  const double ke   = sys.kinetic_energy();

  // Collective: every rank takes part before rank 0 prints.
  const auto        stats = sys.timing_stats();
  const std::string text  = table ? sys.timing_table() : std::string();
  std::string       fields;
  for (const MdTimingStats &r : stats)
    if (r.name != "sync" || sync)
      fields += " t_" + r.name + "_min=" + std::to_string(r.min) + " t_" + r.name + "_avg=" + std::to_string(r.avg) +
                " t_" + r.name + "_max=" + std::to_string(r.max);
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  long rss = ru.ru_maxrss, rss_sum = 0;
  MPI_Reduce(&rss, &rss_sum, 1, MPI_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
  if (rank == 0)
    std::printf("system=%s ranks=%d atoms=%lld steps=%d loop_s=%.6f setup_s=%.6f atom_steps_per_s=%.6e "
                "pe0_per_atom=%.12f pe_per_atom=%.12f ke_per_atom=%.12f rebuilds=%ld dangerous=%ld rss_kb_sum=%ld%s\n",
                system.c_str(), size, static_cast<long long>(sys.n_atoms()), steps, loop,
                std::chrono::duration<double>(t_setup1 - t_setup0).count(),
                double(sys.n_atoms()) * steps / loop, pe0 / sys.n_atoms(), pe / sys.n_atoms(),
                ke / sys.n_atoms(), sys.n_rebuilds(), sys.n_dangerous_builds(), rss_sum, fields.c_str());
  if (rank == 0 && table)
    std::printf("%s", text.c_str());
  MPI_Finalize();
  return 0;
}
