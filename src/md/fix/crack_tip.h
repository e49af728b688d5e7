// Crack-tip position and applied K in thermo.csv (crack_tip_x[, crack_tip_y], k_applied) for runs with
// an md.cut crack or a k_field load.
#pragma once

#include "base/expression.h"
#include "base/types.h"
#include "md/bond_cuts.h"
#include "md/fix.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace seam::md
{
  class MdSystem;
  struct FixContext;

  /// Tracks the tip of the crack that the first md.cut inserts, as the bond-breaking criterion of
  /// atomistic fracture studies defines it (e.g. Bitzek, Kermode & Gumbsch 2015, Int. J. Fract. 191, 13,
  /// sec. 3.3: the crack front is where bonds across the crack plane are broken): a nearest-neighbour
  /// bond (reference length below 1.2 nearest-neighbour distances, the coordination radius) whose
  /// reference bond crosses the cut's plane beyond its `to` end (ahead of the initial tip) is broken when
  /// its current length exceeds 1.5 nearest-neighbour distances (well past the force maximum of any pair
  /// potential's bond: LJ's is at 1.12 nn; a bond near the tip stretched just past it still carries
  /// load until the tip advances); the tip is the crossing point of the
  /// furthest broken bond along from -> to (the initial tip `to` while none is broken). Evaluated at the
  /// force evaluations that compute energies (thermo rows), one MPI_MAX reduction each.
  ///
  /// Columns: `crack_tip_x[, crack_tip_y]` (2D/3D; the tip's position) with a cut, `k_applied` (K(t) of
  /// the run's k_field, fe.boundary's or md.walls') with a K-field load.
  class CrackTip : public Fix
  {
  public:
    /// @param cut  the crack (md.cut[0]), or none; @param k  K(t), or none
    CrackTip(MdSystem &system, std::optional<Cut> cut, std::unique_ptr<Expression> k);

    std::string name() const override { return "crack_tip"; }
    unsigned    mask() const override { return Fix::at_post_force; }
    void        post_force(Atoms &atoms, std::int64_t step, bool want_energy) override;

    std::vector<std::string> thermo_columns() const override;
    std::vector<double>      thermo_shares(bool lead) const override;

    /// The tip's distance from the cut's `from` end along the crack at the last evaluation [length].
    double tip_distance() const { return s_tip_; }

    /// Creates it when the deck has an md.cut or a k_field (fe.boundary or md.walls), else null.
    static std::unique_ptr<Fix> from_deck(const FixContext &ctx);

  private:
    MdSystem                   &sys_;
    std::optional<Cut>          cut_;
    std::unique_ptr<Expression> k_;
    Vec3                        t_{}, n_{};   ///< the cut's unit direction from -> to and its plane's normal
    double                      len_   = 0;   ///< |to - from|: the initial tip's distance
    double                      s_tip_ = 0, time_ = 0;
  };
} // namespace seam::md
