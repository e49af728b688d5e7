// Unit systems (LAMMPS style: one per run) and the constants that convert between their quantities.
#pragma once

#include <string>

namespace seam
{
  enum class UnitSystem
  {
    metal, ///< Å, ps, eV, amu, K, eV/Å^3 (stress), Å/ps
    lj     ///< reduced Lennard-Jones units (σ, τ, ε, m, ε/k_B)
  };

  /// Physical kinds of quantities a deck key can carry; used for documentation and HDF5 attributes.
  enum class Quantity
  {
    none,
    length,
    time,
    energy,
    mass,
    temperature,
    velocity,
    stress,   ///< stress, pressure and elastic moduli
    density,  ///< mass per volume
    force_constant, ///< energy per length^2 (spring constants)
    inverse_length,
    force ///< energy per length
  };

  UnitSystem  parse_unit_system(const std::string &name); ///< "metal" | "lj"; throws std::invalid_argument
  std::string to_string(UnitSystem u);
  std::string quantity_name(Quantity q);                  ///< "length", "time", ...
  std::string unit_symbol(UnitSystem u, Quantity q);      ///< "Å", "ps", ... ("" for none)

  /// Conversion constants, with the values LAMMPS uses so energies and temperatures agree digit for digit.
  struct UnitConstants
  {
    double boltzmann; ///< k_B in energy/temperature
    double mvv2e;     ///< mass*velocity^2 -> energy
    double ftm2v;     ///< force/mass*time -> velocity (1/mvv2e)
  };
  UnitConstants unit_constants(UnitSystem u);
} // namespace seam
