// EAM (funcfl and setfl): the fcc Cu lattice energy against LAMMPS, forces equal -dE/dr by finite
// differences, per-atom energies sum to the total, the tables reproduce the file, and file errors.
#include "md/md_system.h"
#include "md/potential/eam.h"
#include "md/potential/registry.h"
#include "support/tolerance.h"
#include "support/potential_files.h"

#include <gtest/gtest.h>
#include <mpi.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

using namespace seam;
using namespace seam::md;

namespace
{
  const std::string cu_u3      = "/usr/share/lammps/potentials/Cu_u3.eam";
  const std::string cu_mishin1 = "/usr/share/lammps/potentials/Cu_mishin1.eam.alloy";


  MdSystemParams cu_fcc(const std::string &style, const std::string &file, int cells)
  {
    MdSystemParams p;
    p.units            = UnitSystem::metal;
    p.lattice_style    = LatticeStyle::fcc;
    p.lattice_constant = 3.615;
    p.region_lo        = {0, 0, 0};
    p.region_hi        = {cells * 3.615, cells * 3.615, cells * 3.615};
    p.periodic         = {true, true, true};
    p.mass             = 63.55;
    p.potential_style  = style;
    p.potential.file   = file;
    p.time_step        = 0.002;
    p.skin             = 1.0;
    return p;
  }

  void displace_randomly(MdSystem &sys, double amplitude, unsigned seed)
  {
    std::mt19937_64                        rng(seed);
    std::uniform_real_distribution<double> u(-amplitude, amplitude);
    auto                                  &x = sys.atoms().x();
    for (LocalIndex i = 0; i < sys.atoms().n_owned(); ++i)
      for (int d = 0; d < 3; ++d)
        x[i][d] += u(rng);
  }

  /// Central differences of the total energy against the analytic force on a few atoms. Error bound:
  /// truncation h^2 |E'''| / 6 ~ 1e-10 eV/Å (|E'''| ~ 10 eV/Å^3) plus round-off eps |E| / h ~ 2e-8 eV/Å
  /// (|E| ~ 900 eV, h = 1e-5 Å); forces are ~1 eV/Å: tolerance 1e-6 of the rms force.
  void expect_forces_match_energy(MdSystem &sys, double h)
  {
    sys.setup();
    const std::vector<Vec3> f0(sys.atoms().f().begin(), sys.atoms().f().begin() + sys.n_owned());
    double                  rms = 0;
    for (const auto &f : f0)
      rms += f[0] * f[0] + f[1] * f[1] + f[2] * f[2];
    rms = std::sqrt(rms / f0.size());
    ASSERT_GT(rms, 0.1);
    for (LocalIndex i : {LocalIndex(0), LocalIndex(sys.n_owned() / 3), LocalIndex(sys.n_owned() - 1)})
      for (int d = 0; d < 3; ++d)
        {
          const double xi       = sys.atoms().x()[i][d];
          sys.atoms().x()[i][d] = xi + h;
          sys.setup();
          const double ep       = sys.potential_energy();
          sys.atoms().x()[i][d] = xi - h;
          sys.setup();
          const double em       = sys.potential_energy();
          sys.atoms().x()[i][d] = xi;
          expect_abs_near(f0[i][d], -(ep - em) / (2 * h), 1e-6 * rms);
        }
    sys.setup();
  }

  /// Per-atom energies (embedding on the atom, pair energies half and half) sum to the total.
  void expect_per_atom_sum(MdSystem &sys)
  {
    sys.setup();
    double s = 0;
    for (LocalIndex i = 0; i < sys.n_owned(); ++i)
      s += sys.atoms().energy()[i];
    expect_rel_near(s, sys.potential_energy(), 1e-13);
  }

  /// The numbers of a funcfl file after its two header lines (grid line, then the tables), read
  /// independently of Eam.
  std::vector<double> funcfl_tables(const std::string &file)
  {
    std::ifstream in(file);
    std::string   line;
    for (int k = 0; k < 2; ++k)
      std::getline(in, line);
    std::vector<double> v;
    for (double d; in >> d;)
      v.push_back(d);
    return v;
  }
} // namespace

TEST(Eam, FuncflFccCuEnergyMatchesLammps)
{
  ASSERT_TRUE(seam::testing::potential_file_readable(cu_u3));
  // Reference: Debian LAMMPS 29 Sep 2021 (lmp), fcc 3.615, 4x4x4 periodic cells, pair_style eam,
  // pair_coeff * * Cu_u3.eam, run 0, thermo_modify format float %25.17g norm yes:
  // PotEng -3.5400000022794567 eV/atom. Only the summation order differs: round-off ~1e-15.
  MdSystem sys(cu_fcc("eam", cu_u3, 4), MPI_COMM_SELF);
  ASSERT_EQ(sys.n_atoms(), 256);
  sys.setup();
  expect_rel_near(sys.potential_energy() / sys.n_atoms(), -3.5400000022794567, 1e-12);
  for (LocalIndex i = 0; i < sys.n_owned(); ++i)
    {
      expect_rel_near(sys.atoms().energy()[i], -3.5400000022794567, 1e-12);
      for (int d = 0; d < 3; ++d)
        expect_abs_near(sys.atoms().f()[i][d], 0.0, 1e-12); // cubic symmetry
    }
}

TEST(Eam, SetflFccCuEnergyMatchesLammps)
{
  ASSERT_TRUE(seam::testing::potential_file_readable(cu_mishin1));
  // Reference: as above with pair_style eam/alloy, pair_coeff * * Cu_mishin1.eam.alloy Cu:
  // PotEng -3.5402183104870315 eV/atom.
  MdSystemParams p    = cu_fcc("eam_alloy", cu_mishin1, 4);
  p.potential.element = "Cu";
  MdSystem sys(p, MPI_COMM_SELF);
  sys.setup();
  expect_rel_near(sys.potential_energy() / sys.n_atoms(), -3.5402183104870315, 1e-12);
}

TEST(Eam, ForcesAreMinusEnergyGradient)
{
  ASSERT_TRUE(seam::testing::potential_file_readable(cu_u3));
  ASSERT_TRUE(seam::testing::potential_file_readable(cu_mishin1));
  for (const auto &[style, file] : {std::pair<std::string, std::string>{"eam", cu_u3}, {"eam_alloy", cu_mishin1}})
    {
      SCOPED_TRACE(style);
      MdSystem sys(cu_fcc(style, file, 3), MPI_COMM_SELF);
      displace_randomly(sys, 0.15, 7);
      expect_forces_match_energy(sys, 1e-5);
      expect_per_atom_sum(sys);
    }
}

TEST(Eam, FuncflTablesReproduceTheFile)
{
  ASSERT_TRUE(seam::testing::potential_file_readable(cu_u3));
  // Cu_u3.eam: 500 points each, drho = 5.0100200400801306e-04, dr = 1.0e-2. At a knot the spline
  // returns the tabulated value (resampled onto the same grid): round-off only.
  const Eam                 eam(Eam::Format::funcfl, cu_u3);
  const std::vector<double> t = funcfl_tables(cu_u3);
  ASSERT_EQ(t.size(), 5u + 3 * 500);
  const double drho = t[1], dr = t[3];
  EXPECT_EQ(eam.cutoff(), t[4]);
  EXPECT_DOUBLE_EQ(eam.mass(), 63.55);
  for (int m : {10, 137, 300, 480})
    {
      const double F = t[5 + m], Z = t[5 + 500 + m], rho = t[5 + 1000 + m], r = m * dr;
      expect_rel_near(eam.embedding_energy(m * drho), F, 1e-13);
      if (r < eam.cutoff())
        {
          expect_rel_near(eam.density(r), rho, 1e-12);
          // r phi(r) = 27.2 * 0.529 Z(r)^2 (Hartree x Bohr in eV Å, LAMMPS' conversion).
          expect_rel_near(eam.pair_energy(r), 27.2 * 0.529 * Z * Z / r, 1e-12);
        }
    }
  // Above the table (LAMMPS' rules): resampling keeps knots up to 498 drho while rho_max stays the
  // file's 499 drho; in between F is held at its last knot value, above rho_max it grows linearly with
  // the slope F' of the last interval's end.
  const double rho_end = 498 * drho, rho_max = 499 * drho;
  const double slope   = (eam.embedding_energy(rho_end) - eam.embedding_energy(rho_end - 1e-7)) / 1e-7;
  EXPECT_EQ(eam.embedding_energy(rho_max), eam.embedding_energy(rho_end));
  expect_rel_near(eam.embedding_energy(rho_max + 0.01) - eam.embedding_energy(rho_max), slope * 0.01, 1e-5);
  EXPECT_EQ(eam.density(eam.cutoff()), 0.0);
}

TEST(Eam, RegistryAndFileErrors)
{
  ASSERT_TRUE(seam::testing::potential_file_readable(cu_mishin1));
  PotentialParams p;
  EXPECT_THROW(create_potential("eam", p), std::invalid_argument); // no file
  p.file = cu_mishin1;
  EXPECT_EQ(create_potential("eam_alloy", p)->style(), "eam_alloy");
  p.element = "Al";
  try
    {
      create_potential("eam_alloy", p);
      FAIL() << "expected std::invalid_argument";
    }
  catch (const std::invalid_argument &e)
    {
      const std::string msg = e.what();
      EXPECT_NE(msg.find("no element 'Al'"), std::string::npos) << msg;
      EXPECT_NE(msg.find("it has: Cu"), std::string::npos) << msg;
    }
  p.element.clear();
  p.values["cutoff"] = 5.0;
  EXPECT_THROW(create_potential("eam_alloy", p), std::invalid_argument); // eam styles take no values

  // A truncated funcfl file: the message names the file and the table that ran out.
  const std::string bad = ::testing::TempDir() + "/truncated.eam";
  {
    std::ofstream out(bad);
    out << "comment\n29 63.55 3.615 FCC\n10 0.1 10 0.5 4.0\n0 -1 -2 -3 -4 -5 -6 -7 -8 -9\n1 2 3\n";
  }
  try
    {
      Eam eam(Eam::Format::funcfl, bad);
      FAIL() << "expected std::invalid_argument";
    }
  catch (const std::invalid_argument &e)
    {
      const std::string msg = e.what();
      EXPECT_NE(msg.find("truncated.eam"), std::string::npos) << msg;
      EXPECT_NE(msg.find("Z(r) table"), std::string::npos) << msg;
    }
  std::remove(bad.c_str());
  EXPECT_THROW(Eam(Eam::Format::funcfl, "/nonexistent/file.eam"), std::invalid_argument);
}
