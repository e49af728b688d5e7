// The MD fix of the handshake constraint: exchanges the constraint correction with the FE side at the
// scheme's exchange points and adds the predicted multiplier force between them.
#pragma once

#include "coupling/coupling_scheme.h"
#include "coupling/md_band.h"
#include "md/fix.h"

namespace seam::coupling
{
  /// post_integrate: after an MD step that ends at one of the scheme's exchange points, the SHAKE-type
  /// correction of the bridging-domain constraint (MdBand::exchange; Ryckaert, Ciccotti & Berendsen
  /// 1977; the multiple-time-step form is CouplingScheme's). post_force (schemes that predict the
  /// multiplier, fe_step): the constraint force -lambda on the band atoms (alpha < 1).
  /// Collective on the intercommunicator in post_integrate.
  class BandConstraintFix : public md::Fix
  {
  public:
    BandConstraintFix(MdBand &band, const CouplingScheme &scheme) : band_(band), scheme_(scheme) {}

    std::string name() const override { return "band_constraint"; }
    unsigned    mask() const override
    {
      return md::Fix::at_post_integrate | (scheme_.predicts_multiplier() ? md::Fix::at_post_force : 0u);
    }
    void post_integrate(md::Atoms &atoms, std::int64_t step) override;
    void post_force(md::Atoms &atoms, std::int64_t step, bool want_energy) override;

  private:
    MdBand               &band_;
    const CouplingScheme &scheme_;
  };
} // namespace seam::coupling
