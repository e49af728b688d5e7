// LAMMPS data files (md.lattice.style: data): what read_lammps_data_file reads, the errors it gives
// (file:line, what was found, what was expected), and MdSystem built from the atoms at 1 and 2 ranks.
#include "base/error.h"
#include "md/lammps_data_file.h"
#include "md/md_system.h"
#include "support/tolerance.h"

#include <gtest/gtest.h>
#include <mpi.h>

#include <filesystem>
#include <fstream>
#include <string>

using namespace seam;
using namespace seam::md;

namespace
{
  /// Writes `text` to a file of this test's own (per rank, so ranks do not race) and returns its path.
  std::string write_file(const std::string &name, const std::string &text)
  {
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    const std::string dir = "lammps_data_file_test." + std::to_string(rank);
    std::filesystem::create_directories(dir);
    const std::string path = dir + "/" + name;
    std::ofstream(path) << text;
    return path;
  }

  // As LAMMPS' write_data writes it, plus comments, a skipped PairIJ Coeffs section and image flags.
  const std::string good = R"(LAMMPS data file via write_data

4 atoms   # four
1 atom types

0 10 xlo xhi
0 10 ylo yhi
-1 12.5 zlo zhi

Masses

1 63.55

PairIJ Coeffs # lj/cut

1 1 1.0 1.0

Atoms # atomic

3 1 1.5 2.5 3.5 0 0 0
1 1 9.75 0.5 0.5 -1 0 0
2 1 0.25 9.5 11.0 0 2 0
7 1 5 5 5 0 0 0

Velocities

1 0.1 0.2 0.3
2 -1 -2 -3
3 0 0 0
7 1e-3 0 0
)";

  /// The message of the InputError `read` throws for `text` (a failure when it throws none).
  std::string error_of(const std::string &name, const std::string &text)
  {
    try
      {
        read_lammps_data_file(write_file(name, text));
      }
    catch (const InputError &e)
      {
        return e.what();
      }
    ADD_FAILURE() << name << ": no InputError";
    return "";
  }

  std::string replace(std::string text, const std::string &from, const std::string &to)
  {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return text.replace(at, from.size(), to);
  }
} // namespace

TEST(LammpsDataFile, ReadsWhatWriteDataWrites)
{
  const LammpsDataFile f = read_lammps_data_file(write_file("good.data", good));
  EXPECT_EQ(f.n_types, 1);
  EXPECT_EQ(f.lo[2], -1.0);
  EXPECT_EQ(f.hi[2], 12.5);
  EXPECT_EQ(f.masses.at(1), 63.55);
  ASSERT_EQ(f.id.size(), 4u);
  EXPECT_EQ(f.id[1], 1);
  EXPECT_EQ(f.x[1][0], 9.75);
  EXPECT_EQ(f.image[1][0], -1);
  EXPECT_EQ(f.image[2][1], 2);
  EXPECT_EQ(f.line[0], 20);
  ASSERT_EQ(f.v.size(), 4u);
  EXPECT_EQ(f.v[0][0], 0.0);  // atom 3 is row 0, atom 1 row 1, atom 2 row 2: velocities matched by id
  EXPECT_EQ(f.v[1][2], 0.3);
  EXPECT_EQ(f.v[2][1], -2.0);
}

TEST(LammpsDataFile, ErrorsNameTheFileLineAndWhatWasExpected)
{
  struct Case
  {
    std::string name, text, where, says;
  };
  const std::vector<Case> cases = {
    {"short_line", replace(good, "7 1 5 5 5 0 0 0", "7 1 5 5"), ":23:", "an Atoms line with 4 values"},
    {"bad_number", replace(good, "1 1 9.75", "1 1 9.7x5"), ":21:", "coordinate x is not a number"},
    {"bad_type", replace(good, "7 1 5 5 5", "7 2 5 5 5"), ":23:", "atom type is not an integer in 1..1"},
    {"duplicate", replace(good, "7 1 5 5 5", "3 1 5 5 5"), ":23:", "atom id 3 appears twice (first on line 20)"},
    {"triclinic", replace(good, "-1 12.5 zlo zhi", "-1 12.5 zlo zhi\n0 0 0 xy xz yz"), ":9:", "triclinic"},
    {"full_style", replace(good, "Atoms # atomic", "Atoms # full"), ":18:", "atom_style full"},
    {"bonds", replace(good, "Velocities\n", "Bonds\n"), ":25:", "section Bonds belongs to another atom style"},
    {"no_types", replace(good, "1 atom types\n", ""), ":", "no 'N atom types' line"},
    {"unknown_header", replace(good, "1 atom types", "1 atom types\n3 bonds"), ":5:", "unsupported header line"},
    {"too_few", replace(good, "4 atoms", "5 atoms"), ":", "section Atoms ends after 4 of its 5 lines"},
    {"velocity_id", replace(good, "7 1e-3 0 0", "8 1e-3 0 0"), ":30:", "not an atom of the Atoms section"},
    {"bad_mass", replace(good, "1 63.55", "1 -63.55"), ":12:", "a Masses line"},
  };
  for (const auto &c : cases)
    {
      const std::string msg = error_of(c.name + ".data", c.text);
      EXPECT_NE(msg.find(c.name + ".data" + c.where), std::string::npos) << c.name << ":\n" << msg;
      EXPECT_NE(msg.find(c.says), std::string::npos) << c.name << ":\n" << msg;
      EXPECT_NE(msg.find("expected:"), std::string::npos) << c.name << ":\n" << msg;
    }
  try
    {
      read_lammps_data_file("no/such/file.data");
      ADD_FAILURE() << "no error for a missing file";
    }
  catch (const InputError &e)
    {
      EXPECT_NE(std::string(e.what()).find("cannot read the LAMMPS data file 'no/such/file.data'"), std::string::npos)
        << e.what();
    }
}

// The atoms become MdSystem's owned atoms on whichever rank's sub-box holds them (after wrapping along
// periodic axes, counted in the image flags), with their ids and velocities, at any rank count.
TEST(LammpsDataFile, AtomsEnterMdSystem)
{
  const LammpsDataFile f = read_lammps_data_file(write_file("good.data", good));
  auto                 e = std::make_shared<ExplicitAtoms>();
  e->id                  = f.id;
  e->x                   = f.x;
  e->image               = f.image;
  e->v                   = f.v;
  e->x[3]                = {15.0, -2.0, 5.0}; // atom 7 outside the periodic x and y bounds
  MdSystemParams p;
  p.units           = UnitSystem::metal;
  p.region_lo       = f.lo;
  p.region_hi       = f.hi;
  p.periodic        = {true, true, false};
  p.mass            = 63.55;
  p.potential_style = "lj_cut";
  p.potential.values = {{"epsilon", 0.01}, {"sigma", 2.0}, {"cutoff", 4.0}};
  p.explicit_atoms  = e;
  MdSystem sys(p, MPI_COMM_WORLD);
  EXPECT_EQ(sys.n_atoms(), 4);
  EXPECT_THROW(sys.lattice(), std::logic_error);
  const auto &a = sys.atoms();
  for (LocalIndex i = 0; i < a.n_owned(); ++i)
    {
      if (a.id()[i] == 7)
        {
          EXPECT_EQ(a.x()[i][0], 5.0);
          EXPECT_EQ(a.x()[i][1], 8.0);
          EXPECT_EQ(a.image()[i][0], 1);
          EXPECT_EQ(a.image()[i][1], -1);
          const Vec3 X = a.reference_position(i, sys.domain().length());
          EXPECT_EQ(X[0], 15.0);
          EXPECT_EQ(X[1], -2.0);
          EXPECT_EQ(a.v()[i][0], 1e-3);
        }
      if (a.id()[i] == 2)
        {
          EXPECT_EQ(a.image()[i][1], 2);
          EXPECT_EQ(a.v()[i][1], -2.0);
        }
    }
  sys.setup();
  EXPECT_TRUE(std::isfinite(sys.potential_energy()));
}
