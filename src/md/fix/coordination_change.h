// The number of atoms whose coordination changed since the start (thermo column n_coordination_changed):
// the first defect under an indenter (pop-in) or at a crack tip.
#pragma once

#include "md/fix.h"

#include <memory>
#include <string>
#include <vector>

namespace seam::md
{
  class MdSystem;
  struct FixContext;

  /// Counts the atoms whose coordination (MdSystem::output_coordination: neighbours within 1.2 nearest-
  /// neighbour distances, LAMMPS compute coord/atom) differs from their own at the start, the usual
  /// marker of the first dislocation nucleation (pop-in) in nanoindentation MD (e.g. Kelchner, Plimpton &
  /// Hamilton 1998, PRB 58, 11085, who use the centrosymmetry parameter; coordination is the 2D- and
  /// potential-independent choice of the contract). Evaluated at the force evaluations that
  /// compute energies (thermo rows): one neighbour-list pass and one reverse communication. The start's
  /// values are an atom array that migrates with the atoms; after a restart they are those of the
  /// restart's state.
  class CoordinationChange : public Fix
  {
  public:
    explicit CoordinationChange(MdSystem &system);

    std::string name() const override { return "coordination_change"; }
    unsigned    mask() const override { return Fix::at_post_force; }
    void        post_force(Atoms &atoms, std::int64_t step, bool want_energy) override;

    std::vector<std::string> thermo_columns() const override { return {"n_coordination_changed"}; }
    std::vector<double>      thermo_shares(bool) const override { return {changed_}; }

    /// Created with md.indenter or md.cut (on a lattice), else null.
    static std::unique_ptr<Fix> from_deck(const FixContext &ctx);

  private:
    MdSystem &sys_;
    int       start_  = -1; ///< Atoms extra: the coordination at the start
    double    changed_ = 0; ///< this rank's count at the last evaluation
  };
} // namespace seam::md
