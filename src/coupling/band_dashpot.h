// coupling.damping.style dashpot: the MD half of the band dashpot (FeBand::dashpot() is the FE half).
#pragma once

#include "coupling/band_damping.h"

namespace seam::coupling
{
  /// A graded dashpot between every band atom and the continuum at its site: after each constraint
  /// exchange the FE side (FeBand::dashpot(), where the physics and its references are) returns the
  /// atoms' velocity kick, which this fix applies; the FE side applies the reaction to the nodes and
  /// tallies the energy removed (atoms and nodes together, so e_damped never decreases).
  ///
  /// The FE side tallies the kick at the half-step velocity v_{n+1/2} it is applied to; the energy
  /// reported at step n+1 has v_{n+1} = v_{n+1/2} + kick + (dt/2) a_{n+1}, so the kick changes it by a
  /// further m~ kick . (dt/2) a_{n+1}, an O(dt) share of what is removed. This fix adds that term at the
  /// end of the step, exactly: m~ kick . (v_{n+1} - v_after_kick) (energy_removed_local()), so that
  /// e_total + e_damped is kept to the integrator's own accuracy.
  class BandDashpot : public md::Fix
  {
  public:
    explicit BandDashpot(const BandDampingContext &c) : c_(c) {}

    std::string name() const override { return "dashpot"; }
    unsigned    mask() const override { return md::Fix::at_post_integrate | md::Fix::at_end_of_step; }
    void        post_integrate(md::Atoms &atoms, std::int64_t step) override;
    void        end_of_step(md::Atoms &atoms, std::int64_t step) override;
    double      energy_removed_local() const override { return removed_; }
    void        save_state(StateOut &out) const override { out.put("removed", std::vector<double>{removed_}); }
    void        load_state(const StateIn &in) override { removed_ = in.get_doubles("removed").at(0); }
    void        load_state_redistributed(const StateIn &in, const md::Atoms &) override
    {
      removed_ = 0.0; // the tally to the lead reader
      if (in.reader() == 0)
        for (double r : in.all_doubles("removed"))
          removed_ += r;
    }

  private:
    BandDampingContext c_;
    double             removed_ = 0.0;
    int                memory_  = -1; // Atoms extra: per atom this step's kick and the velocity after it
    bool               pending_ = false;
  };
} // namespace seam::coupling
