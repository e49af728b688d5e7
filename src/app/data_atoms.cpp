// md.lattice.style: data: the atoms of a LAMMPS data file, checked against the deck.
#include "app/data_atoms.h"

#include "base/error.h"
#include "md/lammps_data_file.h"

#include <fmt/format.h>

#include <cmath>
#include <fstream>

namespace seam::app
{
  std::shared_ptr<const md::ExplicitAtoms> data_file_atoms(const config::Deck &d, Vec3 &lo, Vec3 &hi)
  {
    const std::string path = d.string("md.lattice.file");
    if (!std::ifstream(path))
      d.fail("md.lattice.file", fmt::format("cannot read the LAMMPS data file '{}'", path),
             "a readable LAMMPS data file (atom_style atomic, as LAMMPS write_data writes it)",
             "check the path (relative paths are taken from the directory seam runs in)");
    const md::LammpsDataFile f   = md::read_lammps_data_file(path);
    const int                dim = d.dimension();
    const double             m   = d.real("md.mass");
    auto at_line = [&](std::size_t k) { return SourceMark{f.path, f.line[k], 0}; };
    static const char *axis = "xyz";

    for (const auto &[type, mass] : f.masses)
      if (std::abs(mass - m) > 1e-9 * m)
        {
          bool used = false;
          for (long t : f.type)
            used = used || t == type;
          if (used)
            d.fail("md.mass",
                   fmt::format("atom type {} has mass {} in {} but md.mass is {}; seam gives every atom one mass",
                               type, mass, f.path, m),
                   "every atom type in the file's Masses with the mass md.mass",
                   "set md.mass to the file's mass (a single-element structure), or fix the Masses section");
        }

    const auto bc = d.strings("md.boundary");
    for (int a = 0; a < dim; ++a)
      if (bc[a] == "periodic")
        {
          const double L = f.hi[a] - f.lo[a];
          if (std::abs(lo[a] - f.lo[a]) > 1e-6 * L || std::abs(hi[a] - f.hi[a]) > 1e-6 * L)
            d.fail(fmt::format("md.region"),
                   fmt::format("md.boundary is periodic along {0} but md.region ([{1}, {2}]) is not the data file's "
                               "box ({0}lo {0}hi = {3:.17g} {4:.17g} in {5})",
                               axis[a], lo[a], hi[a], f.lo[a], f.hi[a], f.path),
                   "along periodic axes md.region equal to the file's box (within 1e-6 of its length)",
                   fmt::format("set md.region.lo[{0}] = {1:.17g} and md.region.hi[{0}] = {2:.17g}, or make the axis "
                               "free",
                               a, f.lo[a], f.hi[a]));
          lo[a] = f.lo[a];
          hi[a] = f.hi[a];
        }

    auto atoms = std::make_shared<md::ExplicitAtoms>();
    atoms->id  = f.id;
    atoms->x   = f.x;
    atoms->v   = f.v;
    atoms->image = f.image;
    for (std::size_t k = 0; k < f.id.size(); ++k)
      for (int a = dim; a < 3; ++a)
        {
          if (f.x[k][a] != 0.0 || f.image[k][a] != 0 || (!f.v.empty() && f.v[k][a] != 0.0))
            throw InputError(at_line(k), "md.lattice.file", fmt::format("atom {}", f.id[k]),
                             fmt::format("atom {} has a non-zero {} coordinate, image flag or velocity in a "
                                         "dimension-{} deck",
                                         f.id[k], axis[a], dim),
                             fmt::format("{} = 0 for every atom (LAMMPS writes 2D structures with z = 0)", axis[a]),
                             fmt::format("set dimension: 3, or write the structure in the plane {} = 0", axis[a]));
          atoms->image[k][a] = 0;
        }
    return atoms;
  }
} // namespace seam::app
