// A rigid indenter pressed into the atoms (md.indenter): LAMMPS `fix indent` with a moving centre; its
// load and depth are thermo columns and its energy is part of the atoms' potential energy.
#pragma once

#include "base/expression.h"
#include "base/types.h"
#include "config/schema.h"
#include "md/fix.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace seam::md
{
  struct FixContext;

  /// The shape of an indenter (md.indenter.style).
  enum class IndenterShape
  {
    cylinder, ///< axis along z: the distance in the x-y plane (a disc in 2D)
    sphere,   ///< the distance in all `dimension` axes
    flat      ///< a half-space above a plane normal to the last axis (y in 2D, z in 3D), pressing down
  };

  /// Everything an Indenter needs, in plain values.
  struct IndenterParams
  {
    IndenterShape shape     = IndenterShape::cylinder;
    int           dimension = 3;
    double        radius    = 0;  ///< R [length] (cylinder, sphere)
    double        stiffness = 0;  ///< K [energy / length^3]
    Vec3          center{};       ///< centre at t = 0 [length] (flat: a point of the plane)
    Vec3          velocity{};     ///< constant velocity of the centre [velocity]
    /// When not empty, `dimension` expressions of the centre in t (they replace center + velocity).
    std::vector<std::string> position;
    double        time_step = 0;  ///< MD time step: t = step * time_step [time]
  };

  /// The indenter of LAMMPS `fix indent` (Kelchner, Plimpton & Hamilton 1998, PRB 58, 11085, the
  /// spherical indenter of nanoindentation MD; LAMMPS src/fix_indent.cpp for the styles): an owned atom
  /// at distance r < R from the centre (cylinder: from the axis; flat: depth d = x_n - c_n > 0 into the
  /// half-space) feels the repulsive force F(r) = K (R - r)^2 along the outward normal, of potential
  /// energy K (R - r)^3 / 3 (flat: K d^2 and K d^3 / 3, pushing along -e_n). The centre moves as
  /// c(t) = c0 + v t, or follows the `position` expressions, evaluated at the time of each force
  /// evaluation (post_force of step n: t = n dt), so the indenter's work on the atoms shows in e_total.
  ///
  /// Thermo columns: `indent_force_x, indent_force_y[, indent_force_z]`, the force on the indenter (minus
  /// the sum of its forces on the atoms, LAMMPS' f_ID[1..3]: the load, positive against the motion),
  /// and `indent_depth`, the centre's displacement since t = 0 along the loading direction (the unit
  /// velocity, or -e_n without one; with `position` expressions the direction from c(0) to c(1 time unit)
  /// when it differs, else -e_n).
  class Indenter : public Fix
  {
  public:
    explicit Indenter(IndenterParams params);

    std::string name() const override { return "indenter"; }
    unsigned    mask() const override { return Fix::at_post_force; }
    void        post_force(Atoms &atoms, std::int64_t step, bool want_energy) override;

    bool   has_potential_energy() const override { return true; }
    double potential_energy_local() const override { return energy_; }

    std::vector<std::string> thermo_columns() const override;
    std::vector<double>      thermo_shares(bool lead) const override;

    /// The centre at time t [length].
    Vec3 center(double t) const;
    /// The unit loading direction.
    const Vec3 &direction() const { return dir_; }
    /// This rank's force on the indenter at the last post_force [force].
    const Vec3 &force_local() const { return force_; }

    /// The deck keys of each style (md.indenter), for the fix registry.
    static std::vector<config::Entry> keys_round();
    static std::vector<config::Entry> keys_flat();
    /// Creates the indenter of md.indenter when its style is `shape`, else null.
    static std::unique_ptr<Fix> from_deck(const FixContext &ctx, IndenterShape shape);

  private:
    IndenterParams          p_;
    std::vector<Expression> position_;
    Vec3                    dir_{};
    Vec3                    force_{};
    double                  energy_ = 0;
    std::int64_t            step_   = 0;
  };
} // namespace seam::md
