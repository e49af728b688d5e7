// coupling.damping.style dashpot: the MD half of the band dashpot (FeBand::dashpot() is the FE half).
#pragma once

#include "coupling/band_damping.h"

namespace seam::coupling
{
  /// A graded dashpot between every band atom and the continuum at its site: after each constraint
  /// exchange the FE side (FeBand::dashpot(), where the physics and its references are) returns the
  /// atoms' velocity kick, which this fix applies; the FE side applies the reaction to the nodes and
  /// tallies the energy removed (atoms and nodes together, so e_damped never decreases).
  class BandDashpot : public md::Fix
  {
  public:
    explicit BandDashpot(const BandDampingContext &c) : c_(c) {}

    std::string name() const override { return "dashpot"; }
    unsigned    mask() const override { return md::Fix::at_post_integrate; }
    void        post_integrate(md::Atoms &atoms, std::int64_t step) override;

  private:
    BandDampingContext c_;
  };
} // namespace seam::coupling
