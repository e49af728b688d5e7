// The MD engine assembled from plain parameters: lattice-built atoms on a decomposed box, halo, neighbor
// list, potential and velocity Verlet, with setup() and step() and the thermodynamic accessors.
#pragma once

#include "base/types.h"
#include "base/units.h"
#include "md/atoms.h"
#include "md/bond_cuts.h"
#include "md/domain.h"
#include "md/fix.h"
#include "md/halo_exchange.h"
#include "md/integrator.h"
#include "md/langevin.h"
#include "md/lattice.h"
#include "md/neighbor_list.h"
#include "md/potential/potential.h"
#include "md/potential/registry.h"

#include <mpi.h>

#include <algorithm>
#include <optional>
#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace seam::md
{
  /// Atoms given one by one instead of lattice sites (md.lattice.style: data, read from a LAMMPS data
  /// file): parallel arrays, one entry per atom of the whole system.
  struct ExplicitAtoms
  {
    std::vector<GlobalId>           id;    ///< > 0, unique
    std::vector<Vec3>               x;     ///< positions, the reference positions X [length]
    std::vector<std::array<int, 3>> image; ///< periodic image flags (LAMMPS ix iy iz)
    std::vector<Vec3>               v;     ///< velocities [velocity]; empty = at rest
  };

  /// Everything MdSystem needs, in plain values (the deck is wired to it elsewhere).
  struct MdSystemParams
  {
    int        dimension = 3;
    UnitSystem units     = UnitSystem::lj;
    LatticeStyle                      lattice_style    = LatticeStyle::fcc;
    double                            lattice_constant = 1.0; ///< [length]
    std::array<std::array<int, 3>, 3> orientation{{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}};
    /// When set, these atoms instead of the lattice's sites (lattice_style, lattice_constant and
    /// orientation are then unused and lattice() is not available). Positions along periodic axes are
    /// wrapped into the box (the wraps added to the image flags); along free axes they may lie outside
    /// the region (the end ranks own them). Shared, not copied, by every MdSystem built from the params.
    std::shared_ptr<const ExplicitAtoms> explicit_atoms;
    Vec3                region_lo{}, region_hi{}; ///< atoms at lattice sites lo <= X < hi [length]
    std::array<bool, 3> periodic{false, false, false};
    double              mass = 1.0;                ///< [mass]
    std::string         potential_style = "lj_cut";
    PotentialParams     potential;
    double              time_step = 0.005; ///< [time]
    double              skin      = 0.3;   ///< neighbor skin [length]
    /// Neighbor-list check schedule (LAMMPS `neigh_modify every N delay M check yes`): the exact
    /// rebuild criterion (an atom moved more than skin/2 since the last build, one allreduce) is evaluated
    /// only on steps at least `neighbor_delay` steps after the last build that are multiples of
    /// `neighbor_every` steps since it. The defaults (1, 0) check every step, so the list is never stale.
    /// Larger values save checks and rebuilds but the list can be stale between checks; a rebuild found
    /// necessary right after an unchecked step is counted in n_dangerous_builds() (the step(s) before
    /// may have missed pairs; LAMMPS counts "Dangerous builds" similarly, as rebuilds at the first
    /// allowed check).
    int neighbor_every = 1; ///< >= 1 [steps]
    int neighbor_delay = 0; ///< >= 0 [steps]
    /// LAMMPS `timer sync`: an MPI_Barrier before each communication section of a step, timed as
    /// MdTimings::sync, so load imbalance shows there and the Comm sections hold only the transfers.
    /// Diagnostic only (costs the barriers); off by default.
    bool timer_sync = false;
    std::array<int, 3>  processor_grid{0, 0, 0}; ///< all 0: chosen by Domain

    /// Blending weight alpha(x0) in [0, 1] of the bridging-domain Hamiltonian (see MdSystem); empty =
    /// unweighted run. Evaluated once per atom at construction on its reference position x0 as stored
    /// in Atoms (wrapped into the box along periodic axes, so alpha must not vary along them); the value
    /// then travels with the atom (Atoms::weight()).
    std::function<double(const Vec3 &x0)> weight;
    /// Boxes {lo, hi} of sites left empty (md.delete): no atom is created at X with lo <= X < hi.
    std::vector<std::pair<Vec3, Vec3>> deleted;
    /// Cut bonds (md.cut, BondCuts): pairs whose reference bond crosses one of these do not interact.
    std::vector<Cut> cuts;
    /// Weighted runs: atom i has the mass mass * max(alpha_i, mass_floor); 0 < mass_floor <= 1.
    double mass_floor = 1e-3;
  };

  /// Wall time per section of the time step on this rank, accumulated over step_first_half() and
  /// step_second_half() (not setup() or the other entry points), like LAMMPS' "MPI task timing
  /// breakdown" (Pair, Neigh, Comm, Modify, Output, Other). Sections are timed with
  /// std::chrono::steady_clock at step-section granularity (about ten clock reads per step).
  ///
  /// Where waiting shows: a rank that finishes its forces early waits in the first blocking call after
  /// them, the reverse communication (`reverse`); one that finishes its integration early waits in the
  /// neighbor check's allreduce (`check`). With MdSystemParams::timer_sync the waiting is collected in
  /// `sync` instead.
  struct MdTimings
  {
    enum Section : int
    {
      pair,     ///< Potential::compute (LAMMPS Pair)
      neigh,    ///< NeighborList::build (Neigh)
      check,    ///< NeighborList::needs_rebuild: displacement test and its allreduce
      exchange, ///< HaloExchange::exchange: migration (Comm)
      borders,  ///< HaloExchange::borders: ghost lists (Comm)
      forward,  ///< HaloExchange::forward: ghost positions (Comm)
      reverse,  ///< HaloExchange::reverse: ghost forces (Comm)
      pcomm,    ///< halo communication inside Potential::compute, e.g. EAM rho/fp (Comm; not in pair)
      modify,   ///< integration, thermostat, dead load, force hook (Modify)
      reduce,   ///< potential-energy allreduce on energy steps (LAMMPS counts it in Output)
      sync,     ///< barriers of MdSystemParams::timer_sync (load-imbalance wait)
      n_sections
    };
    /// Short lower-case name of a section ("pair", ..., "sync").
    static const char *name(int section);

    std::array<double, n_sections> seconds{}; ///< per section [s]
    std::array<long, n_sections>   calls{};   ///< times each section was entered
    double                         step_seconds = 0; ///< inside the step halves [s]
    long                           steps        = 0; ///< completed step_second_half() calls

    /// Sum of the section times [s].
    double sections_seconds() const;
    /// Step time not in any section (call overhead, clock reads, trivial bookkeeping) [s].
    double other_seconds() const { return std::max(0.0, step_seconds - sections_seconds()); } // >= 0 (rounding)
  };

  /// One row of MdSystem::timing_stats(): a section's time over the ranks of the MD communicator.
  struct MdTimingStats
  {
    std::string name;
    double      min = 0, avg = 0, max = 0; ///< [s]
    long        calls = 0;                 ///< on rank 0
  };

  /// One MD partition's engine (ExaMiniMD-style flat loop; Plimpton 1995 for the parallel method).
  /// Each rank creates only the lattice sites inside its own sub-box; atom ids come from the sites'
  /// lattice addresses within the region, so they do not depend on the number of ranks.
  ///
  /// Life cycle: construct (collective on md_comm), optionally set velocities or displace atoms through
  /// atoms(), then setup() (collective), then step() as often as wanted (collective). Call setup() again
  /// after changing positions from outside.
  ///
  /// Weighted runs (params.weight set) integrate the blended Hamiltonian of the bridging-domain method
  /// (Xiao & Belytschko 2004, CMAME 193, 1645)
  ///   H = sum_i 1/2 m s_i |v_i|^2 + sum_i alpha_i E_i(x) + sum_i g_i . (x_i - x0_i),
  /// with E_i the site energy (Potential), s_i = max(alpha_i, mass_floor) and g_i an optional constant
  /// dead load (freeze_reference_force(): the ghost-force correction of Shenoy et al. 1999, JMPS 47,
  /// 611, in its blended form, Van Koten & Ortner 2013), which makes the reference lattice an exact
  /// equilibrium. potential_energy() and the per-atom energies include the dead-load term;
  /// kinetic_energy() is the scaled-mass one, temperature() the physical one (plain mass).
  ///
  /// Fixes (md::Fix, LAMMPS Modify): an ordered list whose hooks the step calls (see Fix for where).
  /// Force evaluation order (setup() and every step): potential on owned and ghosts, reverse
  /// communication, then every fix's post_force in list order (the dead load first when present, then
  /// the thermostat, then the fixes added after it).
  class MdSystem
  {
  public:
    /// @throws std::invalid_argument on invalid parameters, e.g. a periodic region length that is not a
    ///         whole number of lattice periods (same verdict on every rank).
    MdSystem(const MdSystemParams &params, MPI_Comm md_comm);

    /// Migrates atoms, builds ghosts and the neighbor list, computes forces and energies. Collective.
    void setup();
    /// One velocity-Verlet step; on the steps the check schedule selects (every step by default) rebuilds
    /// (exchange, borders, list) when an atom moved more than skin/2, otherwise forwards ghost positions. Energies are computed when `want_energy`. Collective.
    void step(bool want_energy = true);
    /// First half of step(): thermostat tally, half kick v += dt/2 f/m_i and drift x += dt v of the
    /// owned atoms. No communication and no neighbor check (the caller may still move owned atoms).
    /// @throws std::logic_error if the previous step_first_half() was not closed by step_second_half().
    void step_first_half();
    /// Second half of step(): neighbor check (rebuild or forward of ghost positions, seeing any change of
    /// owned positions since step_first_half()), forces of the new positions, closing half kick,
    /// ++step_count(). Collective. @throws std::logic_error without a preceding step_first_half().
    void step_second_half(bool want_energy = true);

    /// Stores the dead load g_i = the (weighted) potential force on each owned atom at the current
    /// positions (call it at the reference lattice, after setup()), for the atoms with select(x0) true
    /// (all when `select` is empty; x0 as stored in Atoms) and 0 for the others; replaces a previous dead
    /// load. Every later force evaluation subtracts g_i and adds g_i . (x_i - x0_i) to the energy; this
    /// call ends with such an evaluation (with energies; the thermostat and force hook see it as a
    /// re-evaluation of the current step). g_i migrates with its atom. Works unweighted too.
    /// @pre the neighbor list is valid for the current positions (setup() since they last changed
    ///      beyond skin/2). Collective.
    void freeze_reference_force(std::function<bool(const Vec3 &x0)> select = {});
    bool has_reference_force() const { return atoms_.has_reference_force(); }
    /// Dead-load part sum_i g_i . (x_i - x0_i) of potential_energy(), summed over the MD partition,
    /// from the last force evaluation with energies (0 without dead load) [energy]. Not collective.
    /// @throws std::logic_error if that evaluation skipped energies.
    double dead_load_energy() const;
    /// The plain potential energy sum_i E_i of all atoms (no weights, no dead load), as LAMMPS would
    /// report it, by an extra energy evaluation at the current positions; forces and per-atom energies
    /// of the last evaluation are kept. Collective. [energy]
    double unweighted_potential_energy();

    /// Appends a fix to the list (its hooks run after those of the fixes already there) and returns it.
    /// It acts from the next hook call on; a Langevin fix becomes the thermostat (set_thermostat()
    /// replaces it). Not collective.
    Fix &add_fix(std::unique_ptr<Fix> fix);
    /// The fixes in list order.
    const std::vector<std::unique_ptr<Fix>> &fixes() const { return fixes_; }

    /// Checkpoint (base/state.h): the owned atoms in local order with every per-atom array (ids,
    /// reference and current positions, velocities, forces, images, weights, dead load, extras), the
    /// positions of the last neighbor build, the step and list-schedule counters, and each fix's own state
    /// (Fix::save_state, one group per fix in list order). Collective on the MD communicator.
    void save_state(StateOut &out) const;
    /// Restores save_state()'s state on a system built from the same deck with the same fixes, in place
    /// of setup(), on the same number of MD ranks and processor grid: every rank gets back its own atoms
    /// in their order, the ghosts and neighbor list are rebuilt from the positions of the last build and
    /// then forwarded to the current ones, and the forces are the saved ones, so the continuation is
    /// bit-for-bit the uninterrupted run. Collective. @throws RuntimeError on a mismatch (same on every rank).
    void load_state(const StateIn &in);
    /// load_state() on another number of MD ranks than wrote the checkpoint (StateIn::same_layout() is
    /// false): every atom with its per-atom state is placed on its owner here, the neighbor list is built
    /// anew and the forces of the checkpoint's step recomputed; the continuation agrees with the
    /// uninterrupted run to round-off. Collective on the MD communicator.
    void load_redistributed(const StateIn &in);

    /// True if params.weight was given.
    bool weighted() const { return atoms_.weighted(); }

    /// Maxwell-Boltzmann velocities at temperature T [temperature] on the active axes, drawn per atom
    /// from (seed, id) so they do not depend on the decomposition, then zero net momentum and rescaled
    /// to exactly T. Collective.
    void create_velocities(double temperature, std::uint64_t seed);
    /// create_velocities() for the atoms whose reference site X has lo <= X < hi on the active axes only
    /// (the others keep their velocities): zero net momentum and exactly T (2 KE / (dim n k_B) with the
    /// real mass) over those n atoms. Collective. @throws std::invalid_argument if the box holds no atom.
    void create_velocities_in_box(double temperature, std::uint64_t seed, const Vec3 &lo, const Vec3 &hi);

    /// Thermostats the atoms (in params.region, if any) with Langevin dynamics from the next force
    /// evaluation (setup() or step()) on, replacing a previous thermostat in its place in the fix list
    /// (appended when there was none); its work tally starts at 0 (the old one's stays in
    /// energy_removed()).
    /// @throws std::invalid_argument on invalid parameters (same on every rank). Not collective.
    void set_thermostat(const LangevinParams &params);
    /// Cumulative energy removed from the atoms by all fixes (thermostats, dampers) since construction,
    /// minus the work they did [energy], at the last completed step: the e_damped of the atoms.
    /// Collective (one allreduce).
    double energy_removed() const;
    /// This rank's share of energy_removed(). Not collective.
    double energy_removed_local() const;
    /// The extra thermo columns of the fixes (Fix::thermo_columns), in list order. Not collective.
    std::vector<std::string> fix_thermo_columns() const;
    /// This rank's shares of their values (Fix::thermo_shares; the lead is MD rank 0): summed over the
    /// MD ranks they are the values. Not collective.
    std::vector<double> fix_thermo_shares() const;

    /// Quasistatic relaxation (run.style: quasistatic): until release_clock(), step() leaves
    /// step_count() at n - 1 and every hook sees the positions as those of step n (post_integrate(n - 1),
    /// post_force(n), ...), so prescribed fields stay at load step n however many iterations relax it;
    /// every step then checks the neighbor list. release_clock() sets step_count() to n.
    void hold_clock(std::int64_t n);
    void release_clock();
    bool clock_held() const { return clock_held_; }
    /// The integrator's time step from now on (a minimizer's adaptive step); params().time_step, which
    /// the fixes convert steps to time with, is unchanged. @pre dt > 0
    void set_integration_step(double dt);
    double integration_step() const { return integrator_.time_step(); }

    const MdSystemParams &params() const { return params_; }
    std::int64_t step_count() const { return step_; }
    double       time() const { return step_ * params_.time_step; }

    std::int64_t n_atoms() const { return n_atoms_; }      ///< all ranks
    /// sum 1/2 m s_i v_i^2 with the mass scales s_i of a weighted run (1 otherwise). Collective [energy].
    double kinetic_energy() const;
    /// Physical temperature from the plain mass m (not the scaled masses): 2 KE_m / (dof k_B).
    /// Collective [temperature].
    double temperature() const;
    /// Total potential energy from the last force evaluation with energies, including the dead load
    /// [energy]; not collective (summed when computed). @throws std::logic_error if that evaluation
    /// skipped energies.
    double potential_energy() const;

    /// Owned atoms (this rank).
    LocalIndex        n_owned() const { return atoms_.n_owned(); }
    std::vector<GlobalId> owned_ids() const;
    std::vector<Vec3> owned_reference_positions() const; ///< original lattice sites (unwrapped)
    std::vector<Vec3> owned_velocities() const;
    /// Coordination of each owned atom: the number of atoms within `radius` of it (LAMMPS compute
    /// coord/atom), counted from the neighbor list, so bonds cut by md.cut do not count. A radius above
    /// the list radius (cutoff + skin) is clipped to it. Collective (reverse communication of the ghosts'
    /// counts).
    std::vector<double> coordination(double radius);

    Atoms              &atoms() { return atoms_; }
    const Atoms        &atoms() const { return atoms_; }
    const Domain       &domain() const { return domain_; }
    /// The lattice the atoms were built on. @throws std::logic_error for explicit atoms (no lattice).
    const Lattice      &lattice() const;
    bool                has_lattice() const { return static_cast<bool>(lattice_); }
    /// The coordination of atoms.xdmf (spec: neighbours within 1.2 x the nearest-neighbour distance);
    /// empty for explicit atoms (no lattice). Collective.
    std::vector<double> output_coordination()
    {
      return has_lattice() ? coordination(1.2 * lattice().nearest_neighbor_distance()) : std::vector<double>{};
    }
    Potential          &potential() { return *potential_; }
    const NeighborList &neighbor_list() const { return list_; }
    HaloExchange       &halo() { return halo_; }
    long                n_rebuilds() const { return list_.n_builds(); }
    /// Rebuilds found necessary right after a step whose list was not checked: the forces of the
    /// unchecked steps since the last passed check may have missed pairs. Always 0 with the default
    /// neighbor_every = 1, neighbor_delay = 0 (every step checked, list never stale).
    long                n_dangerous_builds() const { return n_dangerous_; }
    /// Pairs removed from this rank's neighbor list at its last build because md.cut cuts them. Local.
    std::size_t         n_cut_pairs() const { return n_cut_pairs_; }

    /// Stores every owned atom's current site energy (from the last force evaluation with energies) as
    /// its reference E_i,ref, kept per atom (it migrates with the atom, Atoms::add_extra). The relative
    /// energies E_i - E_i,ref are then summed atom by atom (relative_energy()), so they carry none of the
    /// round-off of the large absolute sums and agree between rank counts to the last digits of small
    /// relative values. Not collective.
    void freeze_reference_energies();
    /// E_i - E_i,ref of owned atom i [energy]; @pre freeze_reference_energies(). Not collective.
    double relative_energy(LocalIndex i) const { return atoms_.energy()[i] - atoms_.extra(reference_energy_)[i]; }

    /// This rank's step timings since construction or reset_timings(). Not collective.
    const MdTimings &timings() const { return timings_; }
    void             reset_timings() { timings_ = MdTimings{}; }
    /// Min/avg/max over the MD communicator of each section, then "other" (step time outside the
    /// sections) and "total" (step time). Collective (allreduces); same result on every rank.
    std::vector<MdTimingStats> timing_stats() const;
    /// timing_stats() as a LAMMPS-style table (section, min/avg/max [s], %varavg = (max - avg) / avg,
    /// %total of the average step time), plus owned/ghost atom counts and neighbor pairs per rank.
    /// Collective; every rank gets the same text.
    std::string timing_table() const;

  private:
    using Clock = std::chrono::steady_clock;
    /// Adds now - since to `section` when timing is active; returns now.
    Clock::time_point stamp(int section, Clock::time_point since);
    /// With params_.timer_sync: barrier, timed as MdTimings::sync. Returns the current time.
    Clock::time_point sync(Clock::time_point now);

    /// Forces (and energies) of the current positions, which belong to time step `step`; times its
    /// sections from `t` on (inside a step) and returns the time at its end.
    Clock::time_point compute_forces(bool want_energy, std::int64_t step, Clock::time_point t);
    /// Adds the lattice sites (or the explicit atoms) in this rank's sub-box as owned atoms.
    void create_atoms();
    /// True if reference position X lies in a deleted box (params_.deleted).
    bool deleted(const Vec3 &X) const;
    /// Builds the neighbor list and removes the cut pairs (params_.cuts).
    void build_list();
    /// Sets the owned atoms' weights and mass scales from params_.weight (validated collectively).
    void assign_weights();
    /// Calls hook `bit` (Fix::Mask) of every fix that has it, in list order.
    template <typename Call>
    void for_fixes(unsigned bit, Call call)
    {
      for (const auto &f : fixes_)
        if (f->mask() & bit)
          call(*f);
    }

    MdSystemParams             params_;
    UnitConstants              constants_;
    Domain                     domain_;
    std::optional<Lattice>     lattice_; ///< empty for explicit atoms
    Atoms                      atoms_;
    HaloExchange               halo_;
    std::unique_ptr<Potential> potential_;
    NeighborList               list_;
    VelocityVerlet             integrator_;
    std::vector<std::unique_ptr<Fix>> fixes_;
    Langevin                  *thermostat_ = nullptr; ///< in fixes_, if any
    BondCuts                   cuts_;
    std::size_t                n_cut_pairs_ = 0; ///< on this rank at the last build
    Fix                       *dead_load_  = nullptr; ///< in fixes_ (first) once freeze_reference_force() ran
    double                     removed_energy_ = 0.0; ///< local energy_removed_local() of fixes removed
    std::int64_t               step_    = 0;
    std::int64_t               last_build_step_ = 0; ///< step whose positions the list was built from
    bool                       previous_unchecked_ = false; ///< the last step skipped the check
    long                       n_dangerous_ = 0;
    std::int64_t               n_atoms_ = 0;
    double                     pe_total_ = 0.0;
    bool                       pe_valid_ = false;
    double                     dead_load_total_ = 0.0;
    bool                       half_step_open_  = false;
    int                        reference_energy_ = -1; ///< Atoms extra of freeze_reference_energies()
    MdTimings                  timings_;
    bool                       timing_ = false; ///< inside a step half: sections accumulate
    bool                       clock_held_ = false; ///< hold_clock(): steps do not advance step_
  };
} // namespace seam::md
