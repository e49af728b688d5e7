// Thermodynamic sums over the MD partition.
#include "md/thermo.h"

#include "md/atoms.h"

namespace seam::md::thermo
{
  std::int64_t n_atoms(const Atoms &atoms, MPI_Comm comm)
  {
    std::int64_t local = atoms.n_owned(), total = 0;
    MPI_Allreduce(&local, &total, 1, MPI_INT64_T, MPI_SUM, comm);
    return total;
  }

  double kinetic_energy(const Atoms &atoms, double mvv2e, MPI_Comm comm)
  {
    double s = 0.0;
    const auto &v = atoms.v();
    for (LocalIndex i = 0; i < atoms.n_owned(); ++i)
      s += v[i][0] * v[i][0] + v[i][1] * v[i][1] + v[i][2] * v[i][2];
    return 0.5 * atoms.mass() * mvv2e * sum(s, comm);
  }

  double scaled_kinetic_energy(const Atoms &atoms, double mvv2e, MPI_Comm comm)
  {
    double s = 0.0;
    const auto &v  = atoms.v();
    const auto &ms = atoms.mass_scale();
    for (LocalIndex i = 0; i < atoms.n_owned(); ++i)
      s += ms[i] * (v[i][0] * v[i][0] + v[i][1] * v[i][1] + v[i][2] * v[i][2]);
    return 0.5 * atoms.mass() * mvv2e * sum(s, comm);
  }

  double temperature(double kinetic_energy, std::int64_t n_atoms, int dimension, double boltzmann)
  {
    const double dof = double(dimension) * double(n_atoms) - double(dimension);
    return dof > 0 ? 2.0 * kinetic_energy / (dof * boltzmann) : 0.0;
  }

  double sum(double local, MPI_Comm comm)
  {
    double total = 0.0;
    MPI_Allreduce(&local, &total, 1, MPI_DOUBLE, MPI_SUM, comm);
    return total;
  }
} // namespace seam::md::thermo
