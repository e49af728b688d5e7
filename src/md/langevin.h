// Langevin thermostat (friction plus random force on owned atoms, optionally only inside a box), with
// decomposition-independent random numbers and a tally of the work it does.
#pragma once

#include "base/types.h"
#include "base/units.h"
#include "config/schema.h"
#include "md/fix.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace seam::md
{
  class Atoms;
  struct FixContext;

  /// Parameters of the Langevin thermostat (deck: md.thermostat).
  struct LangevinParams
  {
    struct Box
    {
      Vec3 lo{}, hi{}; ///< atoms with lo <= x < hi on the active axes (current positions) [length]
    };
    double             temperature = 0.0; ///< target T [temperature] >= 0
    double             damping     = 1.0; ///< friction time constant [time] > 0
    std::uint64_t      seed        = 1;   ///< random stream (with atom id and step)
    std::optional<Box> region;            ///< thermostat only atoms in this box; none: all atoms
  };

  /// Langevin dynamics (Schneider & Stoll 1978, Phys. Rev. B 17, 1302) with LAMMPS `fix langevin`'s
  /// conventions: on each owned atom (inside the region, if any) and active axis the force
  ///   g = -(m / damping) v / ftm2v + sqrt(24 k_B T m / (damping dt mvv2e)) / ftm2v * (u - 1/2),
  /// u uniform in [0, 1), which has the variance 2 k_B T m / (damping dt) of the fluctuation-dissipation
  /// theorem. v is the half-step velocity at the time of the force evaluation (as LAMMPS' post_force).
  /// Weighted atoms (Atoms::weighted()) have the mass m mass_scale()[i], which replaces m in g, so the
  /// thermostat drives (1/2) m_i v^2 of each scaled-mass atom to k_B T / 2 per axis.
  ///
  /// u is drawn from a counter-based hash of (seed, atom id, step, axis) (splitmix64 finaliser; Steele,
  /// Lea & Flood 2014), not from a per-rank stream, so a trajectory does not depend on the number of
  /// ranks or on which rank owns an atom.
  ///
  /// Work tally: velocity Verlet kicks v by (dt/2) F/m with F = f + g; the kinetic energy change of a
  /// kick splits exactly into (dt/2) F . (v_before + v_after)/2, so the thermostat's share
  /// (dt/2) g . (v_before + v_after)/2 is accumulated around every kick (begin_kick/end_kick). Then
  /// E(t) - E(0) = work() up to the integration error of the conservative part; the energy removed by the
  /// thermostat is -work().
  ///
  /// As an MD fix: post_force applies the force; the kicks are wrapped by initial_integrate /
  /// post_integrate and final_integrate / end_of_step (so list it before fixes that move atoms in
  /// post_integrate, as MdSystem::set_thermostat() does).
  class Langevin : public Fix
  {
  public:
    /// @param mass      atom mass [mass] > 0
    /// @param dt        MD time step [time] > 0
    /// @param dimension active axes (1..3)
    /// @throws std::invalid_argument for T < 0, damping <= 0 or an empty region (same on every rank).
    Langevin(const LangevinParams &params, double mass, double dt, const UnitConstants &units, int dimension);

    const LangevinParams &params() const { return params_; }

    /// The deck's md.thermostat (style langevin, optionally restricted to md.thermostat.region) for
    /// ctx.system, or null without that section (fix registry factory).
    static std::unique_ptr<Fix> from_deck(const FixContext &ctx);
    /// The keys of md.thermostat with style langevin (the schema's single source for them).
    static std::vector<config::Entry> keys();

    /// Adds the thermostat force of time step `step` to the owned atoms' forces and remembers it for the
    /// kicks. Call after the conservative forces are complete (after the reverse communication). Local.
    void apply(Atoms &atoms, std::int64_t step);

    /// Around a velocity kick by the forces of the last apply(): accumulate the thermostat's work. Local.
    void begin_kick(const Atoms &atoms);
    void end_kick(const Atoms &atoms);

    /// Work done on this rank's atoms so far [energy] (negative when the thermostat cools). Local.
    double local_work() const { return work_; }

    // Fix hooks.
    std::string name() const override { return "langevin"; }
    unsigned    mask() const override
    {
      return Fix::at_initial_integrate | Fix::at_post_integrate | Fix::at_post_force | Fix::at_final_integrate | Fix::at_end_of_step;
    }
    void initial_integrate(Atoms &atoms, std::int64_t) override { begin_kick(atoms); }
    void post_integrate(Atoms &atoms, std::int64_t) override { end_kick(atoms); }
    void post_force(Atoms &atoms, std::int64_t step, bool) override { apply(atoms, step); }
    void final_integrate(Atoms &atoms, std::int64_t) override { begin_kick(atoms); }
    void end_of_step(Atoms &atoms, std::int64_t) override { end_kick(atoms); }
    double energy_removed_local() const override { return -work_; }
    /// The work tally and the thermostat force of the last apply() (used by the next kick).
    void save_state(StateOut &out) const override;
    void load_state(const StateIn &in) override;
    void load_state_redistributed(const StateIn &in, const Atoms &atoms) override;

  private:
    double power(const Atoms &atoms) const; ///< sum of g . v over owned atoms

    LangevinParams    params_;
    double            dt_;
    int               dimension_;
    double            gamma1_, gamma2_;
    std::vector<std::int64_t> ids_; ///< the atoms of g_ (checkpoints on other rank counts map g_ by id)
    std::vector<Vec3> g_;          ///< thermostat force per owned atom from the last apply()
    double            p_before_ = 0.0;
    double            work_     = 0.0;
  };
} // namespace seam::md
