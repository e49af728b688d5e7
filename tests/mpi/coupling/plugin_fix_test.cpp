// A fix added from this file alone (registered with md::register_fix_style, no change to src/app) acts
// in a coupled run: its force moves the atoms and its energy tally closes the energy balance.
#include "app/simulation.h"
#include "config/deck.h"
#include "md/atoms.h"
#include "coupling/coupling_scheme.h"
#include "md/fix/registry.h"
#include "md/md_system.h"
#include "md/potential/registry.h"

#include <gtest/gtest.h>

#include <mpi.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace
{
  using namespace seam;

  constexpr double force = 5e-3; // [eV/Å] along x
  constexpr double reach = 5.0;  // the atoms with |X| < reach (inside the MD core) are pushed
  long             post_force_calls = 0;

  /// A constant force on a region of atoms, with the work it does tallied as energy removed (negative).
  class ConstantForce : public md::Fix
  {
  public:
    explicit ConstantForce(const md::MdSystem &sys) : sys_(sys) {}
    std::string name() const override { return "test_constant_force"; }
    unsigned    mask() const override { return md::Fix::at_post_force; }
    void        post_force(md::Atoms &atoms, std::int64_t, bool) override
    {
      ++post_force_calls;
      for (LocalIndex i = 0; i < atoms.n_owned(); ++i)
        if (pushed(atoms, i))
          atoms.f()[i][0] += force;
    }
    /// The work of a constant force is F . (x - x0) (the atoms start at their sites).
    double energy_removed_local() const override
    {
      const md::Atoms &atoms = sys_.atoms();
      double           work  = 0;
      for (LocalIndex i = 0; i < atoms.n_owned(); ++i)
        if (pushed(atoms, i))
          work += force * (atoms.x()[i][0] - atoms.x0()[i][0]);
      return -work;
    }

  private:
    bool pushed(const md::Atoms &atoms, LocalIndex i) const
    {
      const Vec3 X = atoms.reference_position(i, sys_.domain().length());
      return std::hypot(X[0], X[1]) < reach;
    }
    const md::MdSystem &sys_;
  };

  const bool registered = md::register_fix_style(
    "test_constant_force", [](const md::FixContext &c) { return std::make_unique<ConstantForce>(c.system); });

  std::vector<std::vector<double>> read_thermo(const std::string &file)
  {
    std::ifstream                    in(file);
    std::string                      line;
    std::vector<std::vector<double>> rows;
    std::getline(in, line); // header
    while (std::getline(in, line))
      {
        std::vector<double> row;
        std::stringstream   s(line);
        std::string         cell;
        while (std::getline(s, cell, ','))
          row.push_back(std::stod(cell));
        rows.push_back(row);
      }
    return rows;
  }
} // namespace

TEST(PluginFix, ConstantForceActsAndTalliesInACoupledRun)
{
  ASSERT_TRUE(registered);
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  const std::string dir = std::string(SEAM_BINARY_DIR) + "/tests/plugin_fix_out";
  // A small coupled 2D LJ crystal at rest with fixed outer faces and no absorber: without the fix
  // nothing moves; with it, e_total + e_damped must stay at its initial value.
  const std::string text = R"(
units: metal
dimension: 2
parallel: {md_ranks: 1}
md:
  lattice: {style: hex, constant: 2.5}
  region: {lo: [-20, -20], hi: [20, 20]}
  mass: 63.5
  potential: {style: lj_cut, epsilon: 0.4, sigma: 2.227, cutoff: 6.0}
  time_step: 0.002
fe:
  domain: {lo: [-60, -60], hi: [60, 60]}
  element_size: {near: 2.5, far: 10}
  material: {style: cauchy_born}
  boundary:
    - {faces: [x_lo, x_hi, y_lo, y_hi], type: fixed}
coupling:
  handshake: {width: 5}
  damping: {style: none}
run: {steps: 400}
output: {thermo_every: 40, fields_every: 0}
)";
  md::register_potential_keys(); // as seam's main does before the schema is used
  md::register_fix_keys();
  coupling::register_coupling_keys();
  const config::Deck deck = config::Deck::from_text(text, "plugin_fix.yaml", {"output.directory=" + dir});
  ASSERT_EQ(app::Simulation(deck, MPI_COMM_WORLD).run(), 0);

  long calls = 0;
  MPI_Allreduce(&post_force_calls, &calls, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
  EXPECT_GE(calls, 400); // once per MD step at least, on the MD rank

  if (rank == 0)
    {
      const auto rows = read_thermo(dir + "/thermo.csv");
      ASSERT_EQ(rows.size(), 11u);
      const int    e_damped = 8, e_total = 9;
      const double e0       = rows.front()[e_total];
      EXPECT_EQ(rows.front()[e_damped], 0.0);
      double largest_work = 0, worst = 0;
      for (const auto &r : rows)
        {
          largest_work = std::max(largest_work, -r[e_damped]);
          worst        = std::max(worst, std::abs(r[e_total] + r[e_damped] - e0));
        }
      // The force did work on the atoms (tally negative, energy in the crystal grew by as much).
      EXPECT_GT(largest_work, 1e-4);
      EXPECT_GT(rows.back()[e_total] - e0, 0.5 * largest_work);
      // Balance: the velocity-Verlet and r-RESPA steps conserve energy to O((omega dt)^2) of the
      // energy moved (here omega dt ~ 0.05 for the LJ crystal's highest mode).
      EXPECT_LT(worst, 1e-2 * largest_work) << "e_total + e_damped drifted by " << worst;
    }
}
