// Thermodynamic sums over the MD partition: atom count, kinetic energy, temperature, potential energy.
#pragma once

#include "base/types.h"

#include <mpi.h>

#include <cstdint>

namespace seam::md
{
  class Atoms;

  /// Collective sums on the MD communicator. Degrees of freedom follow LAMMPS' default
  /// `compute temp`: dof = dimension * N - dimension (the centre-of-mass motion removed), so the
  /// temperatures agree with LAMMPS' for the same velocities.
  namespace thermo
  {
    /// Total number of owned atoms. Collective on comm.
    std::int64_t n_atoms(const Atoms &atoms, MPI_Comm comm);
    /// sum over atoms of m v^2 / 2 * mvv2e [energy]. Collective on comm.
    double kinetic_energy(const Atoms &atoms, double mvv2e, MPI_Comm comm);
    /// sum over atoms of m s_i v^2 / 2 * mvv2e with the mass scales s_i = atoms.mass_scale()[i]
    /// (the kinetic energy of the blended Hamiltonian) [energy]. @pre atoms.weighted(). Collective on comm.
    double scaled_kinetic_energy(const Atoms &atoms, double mvv2e, MPI_Comm comm);
    /// 2 KE / (dof k_B) with dof = dimension * N - dimension; 0 if dof <= 0 [temperature]. Local.
    double temperature(double kinetic_energy, std::int64_t n_atoms, int dimension, double boltzmann);
    /// Sum of a rank-local value over comm (e.g. Potential::energy()). Collective on comm.
    double sum(double local, MPI_Comm comm);
  } // namespace thermo
} // namespace seam::md
