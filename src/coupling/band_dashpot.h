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
  class BandDashpot : public BandAbsorber
  {
  public:
    using BandAbsorber::BandAbsorber;

    std::string name() const override { return "dashpot"; }
    unsigned    mask() const override { return md::Fix::at_post_integrate | md::Fix::at_end_of_step; }
    void        post_integrate(md::Atoms &atoms, std::int64_t step) override;
    void        end_of_step(md::Atoms &atoms, std::int64_t step) override;

  private:
    int  memory_  = -1; // Atoms extra: per atom this step's kick and the velocity after it
    bool pending_ = false;
  };
} // namespace seam::coupling
