// coupling.damping.style fine_scale: damping of the band atoms' velocity relative to the FE velocity.
#pragma once

#include "coupling/band_damping.h"

namespace seam::coupling
{
  /// After the constraint correction that closes each FE step, the band atoms' velocity relative to the
  /// FE velocity at the atom, d = v - v_fe, decays by exp(-strength (1 - alpha)) per FE step, i.e. at
  /// the rate gamma = strength (1 - alpha) / dt_fe: from nothing at the band's inner edge to one e-fold
  /// per FE step at its outer edge (a damping ramp as in the stadium damping of Holian & Ravelo 1995,
  /// PRB 51:11275, applied to the fine-scale part only, Wagner & Liu 2003, JCP 190:249). v_fe is the
  /// corrected FE half-step velocity interpolated at the atom. The kinetic energy removed is tallied
  /// exactly (energy_removed_local(); it can be negative at times: v_fe is not the atoms' own coarse
  /// velocity).
  class FineScaleDamping : public BandAbsorber
  {
  public:
    using BandAbsorber::BandAbsorber;

    std::string name() const override { return "fine_scale"; }
    unsigned    mask() const override { return md::Fix::at_post_integrate; }
    void        post_integrate(md::Atoms &atoms, std::int64_t step) override;
  };
} // namespace seam::coupling
