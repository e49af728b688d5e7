// Absorbers of the handshake band's fine scale, created by coupling.damping.style (one registry line
// per style; `none` creates nothing).
#pragma once

#include "coupling/coupling_scheme.h"
#include "coupling/md_band.h"
#include "md/fix.h"

#include <memory>
#include <string>
#include <vector>

namespace seam::coupling
{
  /// What a band absorber may use: the band's last exchange, the scheme, and its deck parameters.
  struct BandDampingContext
  {
    const MdBand         &band;
    const CouplingScheme &scheme;
    double                strength; ///< coupling.damping.strength
    double                mvv2e;    ///< unit conversion of m v^2 to energy
  };

  /// What every band absorber shares: its context and the energy it has removed from this rank's atoms
  /// (energy_removed_local(), checkpointed; on another MD partition the tally goes to the lead reader).
  class BandAbsorber : public md::Fix
  {
  public:
    explicit BandAbsorber(const BandDampingContext &c) : c_(c) {}

    double energy_removed_local() const override { return removed_; }
    void   save_state(StateOut &out) const override { out.put("removed", std::vector<double>{removed_}); }
    void   load_state(const StateIn &in) override { removed_ = in.get_doubles("removed").at(0); }
    void   load_state_redistributed(const StateIn &in, const md::Atoms &) override
    {
      removed_ = 0.0;
      if (in.reader() == 0)
        for (double r : in.all_doubles("removed"))
          removed_ += r;
    }

  protected:
    BandDampingContext c_;
    double             removed_ = 0.0;
  };

  /// The absorber of style `style` as an MD fix (listed after BandConstraintFix, whose exchange it
  /// reads), or null for `none`. @throws std::invalid_argument for an unknown style.
  std::unique_ptr<md::Fix> create_band_damping(const std::string &style, const BandDampingContext &context);
  /// The registered styles (none included) with a one-line doc each.
  std::vector<std::pair<std::string, std::string>> band_damping_styles();
} // namespace seam::coupling
