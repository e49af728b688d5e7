// Unit systems.
#include "base/units.h"

#include <stdexcept>

namespace seam
{
  UnitSystem parse_unit_system(const std::string &name)
  {
    if (name == "metal")
      return UnitSystem::metal;
    if (name == "lj")
      return UnitSystem::lj;
    throw std::invalid_argument("unknown unit system '" + name + "'");
  }

  std::string to_string(UnitSystem u) { return u == UnitSystem::metal ? "metal" : "lj"; }

  std::string quantity_name(Quantity q)
  {
    switch (q)
      {
        case Quantity::none: return "";
        case Quantity::length: return "length";
        case Quantity::time: return "time";
        case Quantity::energy: return "energy";
        case Quantity::mass: return "mass";
        case Quantity::temperature: return "temperature";
        case Quantity::velocity: return "velocity";
        case Quantity::stress: return "stress";
        case Quantity::density: return "density";
        case Quantity::force_constant: return "force constant";
        case Quantity::inverse_length: return "inverse length";
        case Quantity::force: return "force";
      }
    return "";
  }

  std::string unit_symbol(UnitSystem u, Quantity q)
  {
    if (u == UnitSystem::lj)
      {
        switch (q)
          {
            case Quantity::none: return "";
            case Quantity::length: return "sigma";
            case Quantity::time: return "tau";
            case Quantity::energy: return "epsilon";
            case Quantity::mass: return "m";
            case Quantity::temperature: return "epsilon/k_B";
            case Quantity::velocity: return "sigma/tau";
            case Quantity::stress: return "epsilon/sigma^3";
            case Quantity::density: return "m/sigma^3";
            case Quantity::force_constant: return "epsilon/sigma^2";
            case Quantity::inverse_length: return "1/sigma";
            case Quantity::force: return "epsilon/sigma";
          }
      }
    switch (q)
      {
        case Quantity::none: return "";
        case Quantity::length: return "Å";
        case Quantity::time: return "ps";
        case Quantity::energy: return "eV";
        case Quantity::mass: return "amu";
        case Quantity::temperature: return "K";
        case Quantity::velocity: return "Å/ps";
        case Quantity::stress: return "eV/Å^3";
        case Quantity::density: return "amu/Å^3";
        case Quantity::force_constant: return "eV/Å^2";
        case Quantity::inverse_length: return "1/Å";
        case Quantity::force: return "eV/Å";
      }
    return "";
  }

  UnitConstants unit_constants(UnitSystem u)
  {
    // LAMMPS src/update.cpp (units metal / lj).
    if (u == UnitSystem::metal)
      return {8.617343e-5, 1.0364269e-4, 1.0 / 1.0364269e-4};
    return {1.0, 1.0, 1.0};
  }
} // namespace seam
