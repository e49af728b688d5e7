// The dead-load (ghost-force) correction as an MD fix: a constant force -g_i on every owned atom, with
// the potential energy g_i . (x_i - x0_i), that makes the reference lattice an exact equilibrium.
#pragma once

#include "md/fix.h"

namespace seam::md
{
  /// Ghost-force correction by a dead load (Shenoy, Miller, Tadmor, Rodney, Phillips & Ortiz 1999,
  /// JMPS 47:611; in the blended form of Van Koten & Ortner 2013): f_i -= g_i and E_i += g_i . (x_i - x0_i)
  /// with g_i stored per atom in Atoms::reference_force() (it migrates with its atom), set by
  /// MdSystem::freeze_reference_force(). x - x0 is continuous across periodic wraps (Atoms shifts both).
  /// Inactive while Atoms::has_reference_force() is false.
  class DeadLoad : public Fix
  {
  public:
    explicit DeadLoad(const Atoms &atoms) : atoms_(atoms) {}

    std::string name() const override { return "dead_load"; }
    unsigned    mask() const override { return Fix::at_post_force; }
    void        post_force(Atoms &atoms, std::int64_t step, bool want_energy) override;
    double      potential_energy_local() const override { return energy_; }
    bool        has_potential_energy() const override;

  private:
    const Atoms &atoms_;
    double       energy_ = 0.0; ///< sum of g_i . (x_i - x0_i) over owned atoms, last post_force
  };
} // namespace seam::md
