// The indenter of md.indenter.
#include "md/fix/indenter.h"

#include "base/error.h"

#include "config/deck.h"
#include "md/atoms.h"
#include "md/fix/registry.h"
#include "md/md_system.h"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

namespace seam::md
{
  Indenter::Indenter(IndenterParams params)
    : p_(std::move(params))
  {
    const int n = p_.dimension - 1; // the normal axis of a flat indenter, the default loading axis
    if (p_.dimension < 1 || p_.dimension > 3)
      throw std::invalid_argument("indenter: dimension must be 1, 2 or 3");
    if (!(p_.stiffness > 0) || (p_.shape != IndenterShape::flat && !(p_.radius > 0)))
      throw std::invalid_argument("indenter: stiffness and radius must be > 0");
    if (p_.shape == IndenterShape::cylinder && p_.dimension < 2)
      throw std::invalid_argument("indenter: a cylinder needs dimension 2 or 3");
    for (const auto &text : p_.position)
      position_.emplace_back(text);
    if (!position_.empty() && static_cast<int>(position_.size()) != p_.dimension)
      throw std::invalid_argument("indenter: position needs one expression per dimension");
    // Loading direction: the velocity's, else (expressions) that of c(1) - c(0), else -e_n.
    Vec3 d = p_.velocity;
    if (!position_.empty())
      {
        const Vec3 c0 = center(0.0), c1 = center(1.0);
        for (int a = 0; a < 3; ++a)
          d[a] = c1[a] - c0[a];
      }
    const double len = std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
    if (len > 0 && std::isfinite(len))
      for (int a = 0; a < 3; ++a)
        dir_[a] = d[a] / len;
    else
      dir_[n] = -1.0;
  }

  Vec3 Indenter::center(double t) const
  {
    Vec3 c{};
    if (!position_.empty())
      for (int a = 0; a < p_.dimension; ++a)
        {
          c[a] = position_[a](0.0, 0.0, 0.0, t);
          // The same value on every rank: all stop together, naming the key.
          if (!std::isfinite(c[a]))
            throw RuntimeError(fmt::format("md.indenter.position[{}] is {} at t = {:.6g}: the indenter's centre "
                                           "must stay finite over the run; fix the expression",
                                           a, c[a], t));
        }
    else
      for (int a = 0; a < p_.dimension; ++a)
        c[a] = p_.center[a] + p_.velocity[a] * t;
    return c;
  }

  void Indenter::post_force(Atoms &atoms, std::int64_t step, bool want_energy)
  {
    step_            = step;
    const Vec3   c   = center(static_cast<double>(step) * p_.time_step);
    const double K   = p_.stiffness, R = p_.radius;
    const int    dim = p_.dimension;
    // Axes that count in the distance: all (sphere), x and y (cylinder), the normal (flat).
    const int n_axes = p_.shape == IndenterShape::cylinder ? 2 : dim;
    force_           = Vec3{};
    double energy    = 0;
    auto  &x = atoms.x();
    auto  &f = atoms.f();
    for (LocalIndex i = 0; i < atoms.n_owned(); ++i)
      {
        Vec3 push{};
        if (p_.shape == IndenterShape::flat)
          {
            const double depth = x[i][dim - 1] - c[dim - 1];
            if (depth <= 0)
              continue;
            const double fmag = K * depth * depth;
            push[dim - 1]     = -fmag;
            if (want_energy)
              {
                const double e = K * depth * depth * depth / 3.0;
                atoms.energy()[i] += e;
                energy += e;
              }
          }
        else
          {
            Vec3   d{};
            double r2 = 0;
            for (int a = 0; a < n_axes; ++a)
              {
                d[a] = x[i][a] - c[a];
                r2 += d[a] * d[a];
              }
            if (r2 >= R * R)
              continue;
            const double r = std::sqrt(r2);
            if (r == 0.0) // at the centre the direction is undefined (LAMMPS divides by 0 here)
              continue;
            const double gap  = R - r;
            const double fmag = K * gap * gap;
            for (int a = 0; a < n_axes; ++a)
              push[a] = fmag * d[a] / r;
            if (want_energy)
              {
                const double e = K * gap * gap * gap / 3.0;
                atoms.energy()[i] += e;
                energy += e;
              }
          }
        for (int a = 0; a < 3; ++a)
          {
            f[i][a] += push[a];
            force_[a] -= push[a];
          }
      }
    if (want_energy)
      energy_ = energy;
  }

  std::vector<std::string> Indenter::thermo_columns() const
  {
    static const char *axis[] = {"x", "y", "z"};
    std::vector<std::string> c;
    for (int a = 0; a < p_.dimension; ++a)
      c.push_back(std::string("indent_force_") + axis[a]);
    c.push_back("indent_depth");
    return c;
  }

  std::vector<double> Indenter::thermo_shares(bool lead) const
  {
    std::vector<double> v(force_.begin(), force_.begin() + p_.dimension);
    double depth = 0;
    if (lead)
      {
        const Vec3 c = center(static_cast<double>(step_) * p_.time_step), c0 = center(0.0);
        for (int a = 0; a < 3; ++a)
          depth += (c[a] - c0[a]) * dir_[a];
      }
    v.push_back(depth);
    return v;
  }

  namespace
  {
    std::vector<config::Entry> common_keys()
    {
      using namespace config;
      return {
        real("stiffness", Quantity::none, "K of F = K (R - r)^2 [energy / length^3]").above(0).req(),
        real_vector("center", Quantity::length,
                    "position of the centre at t = 0 (flat: a point of the plane); give it with velocity, or "
                    "give position instead"),
        real_vector("velocity", Quantity::velocity, "constant velocity of the centre (with center)"),
        expr_vector("position", Quantity::length,
                    "expressions in t of the centre (instead of center and velocity); x, y, z are 0")};
    }
  } // namespace

  std::vector<config::Entry> Indenter::keys_round()
  {
    auto k = common_keys();
    k.insert(k.begin(), config::real("radius", Quantity::length, "R, the indenter's radius").above(0).req());
    return k;
  }

  std::vector<config::Entry> Indenter::keys_flat() { return common_keys(); }

  std::unique_ptr<Fix> Indenter::from_deck(const FixContext &ctx, IndenterShape shape)
  {
    static const char *names[] = {"cylinder", "sphere", "flat"};
    const config::Deck &d      = ctx.deck;
    if (!d.has("md.indenter") || d.string("md.indenter.style") != names[static_cast<int>(shape)])
      return nullptr;
    IndenterParams p;
    p.shape     = shape;
    p.dimension = d.dimension();
    p.stiffness = d.real("md.indenter.stiffness");
    if (shape != IndenterShape::flat)
      p.radius = d.real("md.indenter.radius");
    const bool by_position = d.has("md.indenter.position");
    if (by_position == d.has("md.indenter.center"))
      d.fail(by_position ? "md.indenter.position" : "md.indenter",
             by_position ? "md.indenter has both position and center" : "md.indenter has neither center nor position",
             "either center (with an optional velocity) or position expressions in t",
             by_position ? "remove center and velocity, or remove position"
                         : "add center: [...] (and velocity: [...]) or position: [\"expr\", ...]");
    if (by_position && d.has("md.indenter.velocity"))
      d.fail("md.indenter.velocity", "md.indenter has both position and velocity",
             "velocity only with center", "remove velocity, or give center instead of position");
    if (by_position)
      p.position = d.strings("md.indenter.position");
    else
      {
        const auto c = d.reals("md.indenter.center");
        for (int a = 0; a < p.dimension; ++a)
          p.center[a] = c[a];
        if (d.has("md.indenter.velocity"))
          {
            const auto v = d.reals("md.indenter.velocity");
            for (int a = 0; a < p.dimension; ++a)
              p.velocity[a] = v[a];
          }
      }
    if (shape == IndenterShape::cylinder && p.dimension == 1)
      d.fail("md.indenter.style", "a cylinder indenter needs dimension 2 or 3", "sphere or flat in 1D",
             "use style: flat");
    p.time_step = ctx.system.params().time_step;
    return std::make_unique<Indenter>(p);
  }
} // namespace seam::md
