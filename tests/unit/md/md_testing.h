// Shared fixtures of the MD tests.
#pragma once

#include "md/md_system.h"

#include <cmath>

namespace seam::md::testing
{
  /// The LAMMPS bench/in.lj system: LJ fcc at reduced `density` (in.lj: 0.8442), `cells`^3 cubic cells,
  /// periodic, lj/cut 2.5, skin 0.3, dt 0.005, lj units.
  inline MdSystemParams lj_fcc(int cells, double density = 0.8442)
  {
    MdSystemParams p;
    p.units            = UnitSystem::lj;
    p.lattice_style    = LatticeStyle::fcc;
    p.lattice_constant = std::cbrt(4.0 / density);
    p.region_lo        = {0, 0, 0};
    p.region_hi        = {cells * p.lattice_constant, cells * p.lattice_constant, cells * p.lattice_constant};
    p.periodic         = {true, true, true};
    p.potential_style  = "lj_cut";
    p.potential.values = {{"epsilon", 1.0}, {"sigma", 1.0}, {"cutoff", 2.5}};
    p.time_step        = 0.005;
    p.skin             = 0.3;
    return p;
  }
} // namespace seam::md::testing
