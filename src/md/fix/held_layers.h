// Walls of held atoms: the layers of atoms next to chosen faces of md.region stay at their sites or
// move with a prescribed velocity (expressions in x, y, z, t).
#pragma once

#include "base/expression.h"
#include "base/types.h"
#include "md/fix.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace seam::md
{
  /// A prescribed displacement u(X, t) of the atom with reference site X [length].
  using DisplacementField = std::function<Vec3(const Vec3 &X, double t)>;

  /// One held face: face `side` (0 lo, 1 hi) of md.region normal to `axis`; `velocity` holds dimension
  /// expressions of the prescribed velocity, or is empty for a fixed face; or `displacement` (when set)
  /// prescribes the displacement itself (a K-field, a displacement boundary condition).
  struct HeldFace
  {
    int                      axis = 0, side = 0;
    std::vector<std::string> velocity;
    DisplacementField        displacement;
  };

  /// Frozen or driven boundary layers, LAMMPS' practice of a wall of atoms held by `fix setforce 0 0 0`
  /// and `velocity set` (or `fix move linear`): the atoms whose reference site lies within `reach` of a
  /// held face have no force and the prescribed velocity after every force evaluation (post_force), so
  /// the closing half kick leaves them at it. A layer of two cutoffs plus the skin gives every atom
  /// beyond it its full neighbourhood. A face with a prescribed displacement u(X, t) gets the velocity
  /// (u(X, t + dt) - u(X, t)) / dt at step t, so that the velocity-Verlet drift puts the atoms exactly
  /// at X + u(X, t + dt) (held atoms feel no force), and place() puts them at X + u(X, 0).
  class HeldLayers : public Fix
  {
  public:
    /// @param region_lo, region_hi  md.region [length]; @param box_length for the atoms' reference sites
    /// @param dt  MD time step (time = step dt in the expressions) [time]
    HeldLayers(std::vector<HeldFace> faces, const Vec3 &region_lo, const Vec3 &region_hi, const Vec3 &box_length,
               double reach, double dt);

    std::string name() const override { return "held_layers"; }
    unsigned    mask() const override { return Fix::at_post_force | Fix::at_post_integrate; }
    void        post_force(Atoms &atoms, std::int64_t step, bool want_energy) override;
    /// Atoms of faces with a prescribed displacement are put back at X + u(X, t) after the drift (and
    /// after any constraint correction of the fixes before this one, e.g. a handshake band that overlaps
    /// the layer: the prescribed atoms act as infinitely heavy there).
    void        post_integrate(Atoms &atoms, std::int64_t step) override;

    /// Puts the held atoms at their sites with the velocity of time 0 (before MdSystem::setup()).
    void place(Atoms &atoms) const;
    /// True if owned atom i is held at time t; then its velocity goes into v.
    bool held(const Atoms &atoms, LocalIndex i, double t, Vec3 &v) const;
    bool empty() const { return faces_.empty(); }

  private:
    struct Face
    {
      int                     axis, side;
      std::vector<Expression> velocity;
      DisplacementField       displacement;
    };
    /// The face holding owned atom i, or null.
    const Face *face_of(const Atoms &atoms, LocalIndex i, Vec3 &X) const;
    std::vector<Face> faces_;
    Vec3              lo_, hi_, box_;
    double            reach_, dt_;
  };
} // namespace seam::md
