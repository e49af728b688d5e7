// Round trip of atom frames, HDF5 files and thermo.csv across rank counts: write from uneven row counts
// (one rank with no atoms), follow the XDMF back to the HDF5 datasets like a user script, compare exactly.
#include "io/atom_writer.h"
#include "io/hdf5_file.h"
#include "io/provenance.h"
#include "io/thermo_writer.h"
#include "xdmf_reader.h"

#include "base/error.h"
#include "seam/version.h"

#include <gtest/gtest.h>
#include <mpi.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace
{
  using namespace seam;
  using namespace seam::io;

  int rank() { int r = 0; MPI_Comm_rank(MPI_COMM_WORLD, &r); return r; }
  int size() { int s = 0; MPI_Comm_size(MPI_COMM_WORLD, &s); return s; }

  /// A fresh directory per rank count in the build tree; the ParaView tests read what is left in it.
  std::string fresh_directory(const std::string &leaf)
  {
    const std::string dir = std::string(SEAM_BINARY_DIR) + "/tests/unit/io/output/np" + std::to_string(size()) + "/" + leaf;
    if (rank() == 0)
      {
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
      }
    MPI_Barrier(MPI_COMM_WORLD);
    return dir;
  }

  /// Atoms of rank r in frame k: rank 1 has none, the others differ in number.
  std::size_t n_atoms(int r, int k) { return r == 1 ? 0 : static_cast<std::size_t>(2 + r + k); }

  struct Atoms
  {
    std::vector<GlobalId> id;
    std::vector<Vec3>     reference, displacement, velocity;
    std::vector<double>   weight;
  };

  /// The atoms of ranks [first, last) in frame k, values irrational enough to catch any mix-up.
  Atoms make_atoms(int first, int last, int k)
  {
    Atoms a;
    for (int r = first; r < last; ++r)
      for (std::size_t i = 0; i < n_atoms(r, k); ++i)
        {
          const GlobalId id = 1000 * (r + 1) + 7 * static_cast<GlobalId>(i) + 3;
          const double   s = static_cast<double>(id);
          a.id.push_back(id);
          a.reference.push_back({{0.5 * s, std::sqrt(s), -s / 3.0}});
          a.displacement.push_back({{1e-3 * std::sin(s + k), 1e-3 * std::cos(s * k), 1e-4 * s}});
          a.velocity.push_back({{std::exp(-s / 1000.0), -1.0 / s, k + 0.125}});
          a.weight.push_back(std::fmod(s, 7.0) / 7.0);
        }
    return a;
  }

  Provenance test_provenance()
  {
    // Quotes, newlines, non-ASCII units and an XML-looking line must survive unchanged.
    Provenance p("units: metal\ndimension: 3\n# Å \"quoted\" <tag> & more\n", "metal", 2, 3);
    return p;
  }

  void expect_rows(const Table<double> &table, const std::vector<Vec3> &expected, const std::string &what)
  {
    ASSERT_EQ(table.n_rows, expected.size()) << what;
    ASSERT_EQ(table.n_columns, 3u) << what;
    for (std::size_t i = 0; i < expected.size(); ++i)
      for (std::size_t d = 0; d < 3; ++d)
        EXPECT_EQ(table(i, d), expected[i][d]) << what << " row " << i << " column " << d;
  }
} // namespace

TEST(AtomWriter, RoundTripFollowingTheXdmf)
{
  const std::string dir = fresh_directory("atoms");
  const int         n_frames = 3;
  const double      dt = 0.002;
  {
    AtomWriter writer(dir, test_provenance(), UnitSystem::metal, MPI_COMM_WORLD);
    for (int k = 0; k < n_frames; ++k)
      {
        const Atoms mine = make_atoms(rank(), rank() + 1, k);
        AtomFrame   frame;
        frame.step = 100 * k;
        frame.time = frame.step * dt;
        frame.n_atoms = mine.id.size();
        frame.id = mine.id.data();
        frame.reference_position = mine.reference.data();
        frame.displacement = mine.displacement.data();
        frame.velocity = mine.velocity.data();
        frame.weight = mine.weight.data();
        writer.write(frame);
        // A valid XDMF with every frame so far exists after each frame.
        std::vector<test_support::GridInfo> grids;
        ASSERT_NO_THROW(grids = test_support::read_xdmf(dir + "/atoms.xdmf")) << "after frame " << k;
        EXPECT_EQ(grids.size(), static_cast<std::size_t>(k + 1));
      }
  }

  const std::vector<test_support::GridInfo> grids = test_support::read_xdmf(dir + "/atoms.xdmf");
  ASSERT_EQ(grids.size(), static_cast<std::size_t>(n_frames));
  for (int k = 0; k < n_frames; ++k)
    {
      const test_support::GridInfo &g = grids[k];
      const Atoms              all = make_atoms(0, size(), k);
      const std::size_t        n = all.id.size();
      EXPECT_EQ(g.time, 100 * k * dt);
      EXPECT_EQ(g.topology, "Polyvertex");
      EXPECT_EQ(g.n_elements, n);
      EXPECT_EQ(g.geometry_type, "XYZ");
      // One vertex cell per atom, numbered by row.
      EXPECT_EQ(g.connectivity.dimensions, std::to_string(n) + " 1");
      const Hdf5File                cells_file(g.connectivity.file, Hdf5File::Mode::read_only, MPI_COMM_WORLD);
      const Table<std::int64_t>     cells = cells_file.read_int64(g.connectivity.dataset);
      ASSERT_EQ(cells.values.size(), n);
      for (std::size_t i = 0; i < n; ++i)
        EXPECT_EQ(cells.values[i], static_cast<std::int64_t>(i));
      EXPECT_EQ(g.geometry.dimensions, std::to_string(n) + " 3");
      for (const char *name : {"id", "reference_position", "displacement", "velocity", "weight"})
        ASSERT_EQ(g.attributes.count(name), 1u) << name;
      EXPECT_EQ(g.attribute_types.at("velocity"), "Vector");
      EXPECT_EQ(g.attribute_types.at("weight"), "Scalar");

      // Geometry is the current position.
      std::vector<Vec3> position(n);
      for (std::size_t i = 0; i < n; ++i)
        for (int d = 0; d < 3; ++d)
          position[i][d] = all.reference[i][d] + all.displacement[i][d];
      const Hdf5File geometry_file(g.geometry.file, Hdf5File::Mode::read_only, MPI_COMM_WORLD);
      expect_rows(geometry_file.read_doubles(g.geometry.dataset), position, "position");

      const auto    &ids_at = g.attributes.at("id");
      const Hdf5File file(ids_at.file, Hdf5File::Mode::read_only, MPI_COMM_WORLD);
      const Table<std::int64_t> ids = file.read_int64(ids_at.dataset);
      ASSERT_EQ(ids.n_rows, n);
      EXPECT_EQ(ids.values, all.id);
      expect_rows(file.read_doubles(g.attributes.at("reference_position").dataset), all.reference, "reference");
      expect_rows(file.read_doubles(g.attributes.at("displacement").dataset), all.displacement, "displacement");
      expect_rows(file.read_doubles(g.attributes.at("velocity").dataset), all.velocity, "velocity");
      const Table<double> weight = file.read_doubles(g.attributes.at("weight").dataset);
      EXPECT_EQ(weight.n_columns, 1u);
      EXPECT_EQ(weight.values, all.weight);

      // Every dataset carries its units; the root carries time, step and the provenance.
      EXPECT_EQ(file.read_string_attribute("units", "/position"), "Å");
      EXPECT_EQ(file.read_string_attribute("units", "/displacement"), "Å");
      EXPECT_EQ(file.read_string_attribute("units", "/velocity"), "Å/ps");
      EXPECT_EQ(file.read_string_attribute("units", "/weight"), "1");
      EXPECT_EQ(file.read_string_attribute("units", "/id"), "1");
      EXPECT_EQ(file.read_double_attribute("time"), 100 * k * dt);
      EXPECT_EQ(file.read_int64_attribute("step"), 100 * k);
      const Provenance p = read_provenance(file);
      const Provenance expected = test_provenance();
      EXPECT_EQ(p.deck, expected.deck);
      EXPECT_EQ(p.seam_version, seam::version_string);
      EXPECT_EQ(p.git_commit, seam::git_commit);
      EXPECT_EQ(p.units, "metal");
      EXPECT_EQ(p.md_ranks, 2);
      EXPECT_EQ(p.fe_ranks, 3);
    }
}

TEST(AtomWriter, RestartKeepsFramesUpToTheRestartStep)
{
  const std::string dir = fresh_directory("atoms_restart");
  auto write = [&](AtomWriter &writer, int k, std::int64_t step) {
    const Atoms mine = make_atoms(rank(), rank() + 1, k);
    AtomFrame   frame;
    frame.step = step;
    frame.time = 0.5 * step;
    frame.n_atoms = mine.id.size();
    frame.id = mine.id.data();
    frame.reference_position = mine.reference.data();
    frame.displacement = mine.displacement.data();
    frame.velocity = mine.velocity.data();
    frame.weight = mine.weight.data();
    writer.write(frame);
  };
  std::string before;
  {
    AtomWriter writer(dir, test_provenance(), UnitSystem::lj, MPI_COMM_WORLD);
    for (int k = 0; k < 3; ++k)
      write(writer, k, 10 * k);
    before = writer.series().text(); // rank 0 holds the text
  }
  // The run died after step 20; it restarts from the checkpoint at step 10 and writes step 20 again.
  AtomWriter writer(dir, test_provenance(), UnitSystem::lj, MPI_COMM_WORLD, 10);
  EXPECT_EQ(writer.series().n_frames(), 2u);
  write(writer, 7, 20);
  const auto grids = test_support::read_xdmf(dir + "/atoms.xdmf");
  ASSERT_EQ(grids.size(), 3u);
  EXPECT_EQ(grids[2].time, 10.0);
  if (rank() == 0)
    {
      // The kept frames are the same text as before.
      const std::string after = writer.series().text();
      const std::string kept = before.substr(0, before.find("<Grid Name=\"atoms_20\""));
      EXPECT_EQ(after.substr(0, kept.size()), kept);
    }
  const Atoms    all = make_atoms(0, size(), 7);
  const Hdf5File file(grids[2].attributes.at("id").file, Hdf5File::Mode::read_only, MPI_COMM_WORLD);
  EXPECT_EQ(file.read_int64(grids[2].attributes.at("id").dataset).values, all.id);
  EXPECT_EQ(file.read_string_attribute("units", "/velocity"), "sigma/tau");
}

TEST(Hdf5File, LargeAttributeAndColumnMismatch)
{
  const std::string dir = fresh_directory("hdf5");
  const std::string path = dir + "/large.h5";
  // A deck beyond the 64 KiB compact-attribute limit of the HDF5 1.6 format.
  std::string deck;
  for (int i = 0; deck.size() < 200000; ++i)
    deck += "# line " + std::to_string(i) + " of a long deck\n";
  {
    Hdf5File file(path, Hdf5File::Mode::create, MPI_COMM_WORLD);
    write_provenance(file, Provenance(deck, "lj", 1, 0));
    // Ranks disagreeing on the row width must all throw, before any HDF5 collective.
    const std::vector<double> rows(8, 1.0);
    if (size() > 1)
      {
        EXPECT_THROW(file.write_rows("bad", rows.data(), 2, rank() == 0 ? 4 : 2, "1"), RuntimeError);
      }
    // Zero rows on every rank is a valid empty dataset.
    file.write_rows("empty", nullptr, 0, 3, "Å");
  }
  const Hdf5File file(path, Hdf5File::Mode::read_only, MPI_COMM_WORLD);
  EXPECT_EQ(read_provenance(file).deck, deck);
  EXPECT_EQ(file.dimensions("empty"), (std::vector<std::size_t>{0, 3}));
  EXPECT_FALSE(file.has_object("bad"));
  EXPECT_TRUE(file.has_object("empty"));
}

TEST(Hdf5File, ErrorsNameThePathAndTheHdf5Reason)
{
  const std::string missing = fresh_directory("errors") + "/no/such/dir/file.h5";
  try
    {
      Hdf5File file(missing, Hdf5File::Mode::create, MPI_COMM_WORLD);
      FAIL() << "created a file in a missing directory";
    }
  catch (const RuntimeError &e)
    {
      const std::string what = e.what();
      EXPECT_NE(what.find(missing), std::string::npos) << what;
      EXPECT_NE(what.find("cannot create"), std::string::npos) << what;
      EXPECT_NE(what.find("("), std::string::npos) << "no HDF5 reason: " << what;
    }
  EXPECT_THROW(Hdf5File(missing, Hdf5File::Mode::read_only, MPI_COMM_WORLD), RuntimeError);
}

namespace
{
  std::vector<std::string> lines_of(const std::string &path)
  {
    std::ifstream            in(path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
      lines.push_back(line);
    return lines;
  }

  ThermoRow thermo_row(std::int64_t step, double salt)
  {
    ThermoRow r;
    r.step = step;
    r.time = step * 0.002;
    r.temperature = 300.0 / 7.0 + salt;
    r.ke_atoms = std::sqrt(2.0) * step;
    r.pe_atoms = -3.54 * 4000 + 1.0 / 3.0;
    r.e_md = 1e-17 * step;
    r.e_handshake = -salt;
    r.e_fe = M_PI;
    r.e_damped = 1.0 / 9.0;
    r.e_total = r.e_md + r.e_handshake + r.e_fe;
    r.extra = {salt * 2, -0.0};
    return r;
  }

  std::vector<double> values_of(const std::string &line)
  {
    std::vector<double> v;
    std::stringstream   in(line);
    for (std::string cell; std::getline(in, cell, ',');)
      v.push_back(std::strtod(cell.c_str(), nullptr));
    return v;
  }

  std::vector<double> expected_values(const ThermoRow &r)
  {
    std::vector<double> v = {static_cast<double>(r.step), r.time, r.temperature, r.ke_atoms, r.pe_atoms, r.e_md,
                             r.e_handshake, r.e_fe, r.e_damped, r.e_total};
    v.insert(v.end(), r.extra.begin(), r.extra.end());
    return v;
  }
} // namespace

TEST(ThermoWriter, RowsRoundTripAndRestartTruncates)
{
  const std::string path = fresh_directory("thermo") + "/thermo.csv";
  const std::vector<std::string> extra = {"n_atoms", "pressure"};
  {
    ThermoWriter thermo(path, MPI_COMM_WORLD, extra);
    for (int k = 0; k < 3; ++k)
      {
        thermo.write(thermo_row(100 * k, 0.1 * k));
        // Flushed per row: the file holds every row so far while the writer is still open.
        EXPECT_EQ(lines_of(path).size(), static_cast<std::size_t>(k + 2));
        MPI_Barrier(MPI_COMM_WORLD); // every rank has looked before rank 0 appends the next row
      }
  }
  std::vector<std::string> lines = lines_of(path);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "step,time,temperature,ke_atoms,pe_atoms,e_md,e_handshake,e_fe,e_damped,e_total,n_atoms,pressure");
  for (int k = 0; k < 3; ++k)
    EXPECT_EQ(values_of(lines[k + 1]), expected_values(thermo_row(100 * k, 0.1 * k))) << lines[k + 1];

  // A restart from step 100 keeps rows 0 and 100 and replaces 200.
  MPI_Barrier(MPI_COMM_WORLD); // every rank has read the file before it is rewritten
  {
    ThermoWriter thermo(path, MPI_COMM_WORLD, extra, ThermoWriter::Mode::restart, 100);
    EXPECT_EQ(lines_of(path).size(), 3u);
    MPI_Barrier(MPI_COMM_WORLD);
    thermo.write(thermo_row(200, 5.0));
  }
  lines = lines_of(path);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(values_of(lines[1]), expected_values(thermo_row(0, 0.0)));
  EXPECT_EQ(values_of(lines[2]), expected_values(thermo_row(100, 0.1)));
  EXPECT_EQ(values_of(lines[3]), expected_values(thermo_row(200, 5.0)));

  // Restarting with other columns is refused on every rank, and leaves the file alone.
  MPI_Barrier(MPI_COMM_WORLD);
  EXPECT_THROW(ThermoWriter(path, MPI_COMM_WORLD, {}, ThermoWriter::Mode::restart, 0), RuntimeError);
  EXPECT_EQ(lines_of(path).size(), 4u);
}
