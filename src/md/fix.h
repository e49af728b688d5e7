// The MD fix interface: whatever changes the atoms' forces or velocities beyond the potential (walls,
// thermostats, the dead-load correction, the coupler's constraint and absorber, an indenter) hooks into
// the time step here, with its own energy tallies.
#pragma once

#include "base/state.h"

#include <cstdint>
#include <string>
#include <vector>

namespace seam::md
{
  class Atoms;
  class MdSystem;

  /// A modification of the dynamics, LAMMPS `Fix` with its `setmask()` (Plimpton 1995; LAMMPS
  /// src/fix.h): MdSystem keeps an ordered list of fixes and calls, at each point of a velocity-Verlet
  /// step, the hook of every fix whose mask() has that bit, in list order:
  ///
  ///   step_first_half():  initial_integrate (before the half kick + drift), then the integrator, then
  ///                       post_integrate (positions at t + dt, before any communication: a constraint
  ///                       correction may still move owned atoms here)
  ///   step_second_half(): neighbor check / halo, potential, reverse communication, post_force
  ///                       (forces of step n + 1 complete; a fix adds or overrides forces or velocities),
  ///                       final_integrate (before the closing half kick), the integrator, end_of_step
  ///
  /// post_force also runs in MdSystem::setup() and every other force evaluation. A fix may add a
  /// potential energy (potential_energy_local(), summed into MdSystem::potential_energy() and the
  /// per-atom energies) and tallies the energy it removes from the atoms (energy_removed_local(): the
  /// thermo column e_damped, >= 0 when it cools). Per-atom state that must follow an atom across ranks
  /// lives in Atoms (see Atoms::add_extra()).
  ///
  /// Hooks are local unless a fix documents otherwise; a fix whose hook is collective (e.g. on the MD
  /// communicator or the coupling intercommunicator) must be on every MD rank with the same mask.
  ///
  /// Checkpoints: a fix with memory beyond its deck keys (tallies, per-atom forces remembered between
  /// hooks, history) overrides Checkpointable's save_state/load_state; per-atom values in Atoms extras
  /// are saved with the atoms.
  class Fix : public Checkpointable
  {
  public:
    /// Bits of mask(): at_X means "call the hook X".
    enum Mask : unsigned
    {
      at_initial_integrate = 1u << 0,
      at_post_integrate    = 1u << 1,
      at_post_force        = 1u << 2,
      at_final_integrate   = 1u << 3,
      at_end_of_step       = 1u << 4
    };

    virtual ~Fix() = default;

    /// Short name for logs and errors (the deck style, e.g. "langevin").
    virtual std::string name() const = 0;
    /// The hooks this fix needs (bits of Mask).
    virtual unsigned mask() const = 0;

    /// load_state() on another number of MD ranks (StateIn::same_layout() false), once the atoms are on
    /// their new owners: a fix with per-rank state redistributes it here (per-atom values by id, tallies
    /// to the lead reader, StateIn::reader() == 0). The default calls load_state(), right for a fix whose
    /// state is the same on every rank (or none); a fix with per-rank or per-atom memory must override it.
    virtual void load_state_redistributed(const StateIn &in, const Atoms &) { load_state(in); }

    /// @param step  the step whose positions are being integrated from (MdSystem::step_count()).
    virtual void initial_integrate(Atoms &, std::int64_t step) {}
    /// @param step  the step being completed (positions now belong to step + 1).
    virtual void post_integrate(Atoms &, std::int64_t step) {}
    /// @param step         the step the forces belong to
    /// @param want_energy  per-atom energies are being computed (a fix adding a potential adds its
    ///                     per-atom share to Atoms::energy() and remembers its total)
    virtual void post_force(Atoms &, std::int64_t step, bool want_energy) {}
    virtual void final_integrate(Atoms &, std::int64_t step) {}
    virtual void end_of_step(Atoms &, std::int64_t step) {}

    /// This rank's share of the fix's potential energy at the last post_force with energies [energy].
    virtual double potential_energy_local() const { return 0.0; }
    /// True if the fix contributes potential_energy_local() (MdSystem then reduces it with the pair energy).
    virtual bool has_potential_energy() const { return false; }
    /// Energy this fix has removed from this rank's atoms since it was added (minus the work it did on
    /// them) [energy]; the e_damped column sums it over the ranks.
    virtual double energy_removed_local() const { return 0.0; }

    /// Extra thermo.csv columns this fix reports (e.g. an indenter's load and depth), after the standard
    /// ones, in fix-list order. Must be the same on every MD rank.
    virtual std::vector<std::string> thermo_columns() const { return {}; }
    /// This rank's share of thermo_columns()' values at the last force evaluation: the values are the
    /// sums of the shares over the MD ranks (a quantity that is not a sum, such as a position, is given
    /// by the rank with `lead` true, exactly one per MD partition, and 0 by the others). Not collective.
    virtual std::vector<double> thermo_shares(bool lead) const { return {}; }
  };
} // namespace seam::md
