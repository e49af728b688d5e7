// Walls of held atoms.
#include "md/fix/held_layers.h"

#include "md/atoms.h"

namespace seam::md
{
  HeldLayers::HeldLayers(std::vector<HeldFace> faces, const Vec3 &region_lo, const Vec3 &region_hi,
                         const Vec3 &box_length, double reach, double dt)
    : lo_(region_lo), hi_(region_hi), box_(box_length), reach_(reach), dt_(dt)
  {
    for (const HeldFace &f : faces)
      {
        Face face{f.axis, f.side, {}};
        for (const std::string &e : f.velocity)
          face.velocity.emplace_back(e);
        faces_.push_back(std::move(face));
      }
  }

  bool HeldLayers::held(const Atoms &atoms, LocalIndex i, double t, Vec3 &v) const
  {
    const Vec3 X = atoms.reference_position(i, box_);
    for (const Face &w : faces_)
      {
        const double dist = w.side == 0 ? X[w.axis] - lo_[w.axis] : hi_[w.axis] - X[w.axis];
        if (dist >= reach_)
          continue;
        v = {0.0, 0.0, 0.0};
        for (std::size_t c = 0; c < w.velocity.size() && c < 3; ++c)
          v[c] = w.velocity[c](X[0], X[1], X[2], t);
        return true;
      }
    return false;
  }

  void HeldLayers::place(Atoms &atoms) const
  {
    for (LocalIndex i = 0; i < atoms.n_owned(); ++i)
      {
        Vec3 v;
        if (!held(atoms, i, 0.0, v))
          continue;
        atoms.x()[i] = atoms.x0()[i]; // the initial displacement does not apply to the wall
        atoms.v()[i] = v;
      }
  }

  void HeldLayers::post_force(Atoms &atoms, std::int64_t step, bool)
  {
    if (faces_.empty())
      return;
    const double t = step * dt_;
    for (LocalIndex i = 0; i < atoms.n_owned(); ++i)
      {
        Vec3 v;
        if (!held(atoms, i, t, v))
          continue;
        atoms.f()[i] = Vec3{};
        atoms.v()[i] = v;
      }
  }
} // namespace seam::md
