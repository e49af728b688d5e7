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
        Face face{f.axis, f.side, {}, f.displacement};
        for (const std::string &e : f.velocity)
          face.velocity.emplace_back(e);
        faces_.push_back(std::move(face));
      }
  }

  const HeldLayers::Face *HeldLayers::face_of(const Atoms &atoms, LocalIndex i, Vec3 &X) const
  {
    X = atoms.reference_position(i, box_);
    for (const Face &w : faces_)
      {
        const double dist = w.side == 0 ? X[w.axis] - lo_[w.axis] : hi_[w.axis] - X[w.axis];
        if (dist < reach_)
          return &w;
      }
    return nullptr;
  }

  bool HeldLayers::held(const Atoms &atoms, LocalIndex i, double t, Vec3 &v) const
  {
    Vec3        X;
    const Face *w = face_of(atoms, i, X);
    if (w == nullptr)
      return false;
    v = {0.0, 0.0, 0.0};
    if (w->displacement)
      {
        const Vec3 u0 = w->displacement(X, t), u1 = w->displacement(X, t + dt_);
        for (int c = 0; c < 3; ++c)
          v[c] = (u1[c] - u0[c]) / dt_;
        return true;
      }
    for (std::size_t c = 0; c < w->velocity.size() && c < 3; ++c)
      v[c] = w->velocity[c](X[0], X[1], X[2], t);
    return true;
  }

  void HeldLayers::place(Atoms &atoms) const
  {
    for (LocalIndex i = 0; i < atoms.n_owned(); ++i)
      {
        Vec3        X, v;
        const Face *w = face_of(atoms, i, X);
        if (w == nullptr)
          continue;
        held(atoms, i, 0.0, v);
        atoms.x()[i] = atoms.x0()[i]; // the initial displacement does not apply to the wall
        if (w->displacement)
          {
            const Vec3 u = w->displacement(X, 0.0);
            for (int c = 0; c < 3; ++c)
              atoms.x()[i][c] += u[c];
          }
        atoms.v()[i] = v;
      }
  }

  void HeldLayers::post_integrate(Atoms &atoms, std::int64_t step)
  {
    const double t = static_cast<double>(step + 1) * dt_; // the drift of step `step` ends here
    for (LocalIndex i = 0; i < atoms.n_owned(); ++i)
      {
        Vec3        X;
        const Face *w = face_of(atoms, i, X);
        if (w == nullptr || !w->displacement)
          continue;
        const Vec3 u = w->displacement(X, t);
        for (int c = 0; c < 3; ++c)
          atoms.x()[i][c] = atoms.x0()[i][c] + u[c];
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
