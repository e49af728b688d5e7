// The interface of a continuum boundary condition (one style per file in this folder, created by name in
// registry.h). deal.II-free, so that the deck schema can list the styles and their keys.
#pragma once

#include "base/error.h"
#include "base/expression.h"

#include <fmt/format.h>

#include <array>
#include <exception>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace seam::fe::boundary
{
  /// Reference coordinates x, y, z of a boundary point (components beyond the dimension are 0).
  using Coordinates = std::array<double, 3>;

  /// What a style is created from: the deck item's `value` expressions, its other keys (the ones the
  /// style declares in keys(), as text; vectors element by element), and what it may need of the solver.
  struct StyleArgs
  {
    std::vector<std::string>                               value;
    std::map<std::string, std::vector<std::string>>        options;
    unsigned                                               dim = 3;
    unsigned                                               id  = 0;
    /// The material's stiffness at the reference state in Voigt notation (xx, yy, zz, yz, xz, xy),
    /// row-major, 2D: the in-plane block (xx, yy, xy) only; all zero when the caller has no material.
    std::array<double, 36> stiffness{};

    /// The option `key` as one string. @throws seam::InputError naming the boundary id if it is absent.
    const std::string &option(const std::string &key) const
    {
      const auto it = options.find(key);
      if (it == options.end() || it->second.empty())
        throw InputError(fmt::format("fe boundary id {}: missing key `{}`", id, key));
      return it->second.front();
    }
    /// The option `key` as a list. @throws seam::InputError naming the boundary id if it is absent.
    const std::vector<std::string> &options_of(const std::string &key) const
    {
      const auto it = options.find(key);
      if (it == options.end())
        throw InputError(fmt::format("fe boundary id {}: missing key `{}`", id, key));
      return it->second;
    }
  };

  /// What a condition does on its faces, asked by fe::FaceConditions (which owns the deal.II side: the
  /// face nodes, the face quadrature and the material's impedance). Every style answers all questions;
  /// the defaults are those of a free (traction-free) face.
  class BoundaryStyle
  {
  public:
    virtual ~BoundaryStyle() = default;

    /// > 0: the velocity of the face nodes is prescribed (velocity()), and the force there is ignored.
    /// A node on faces of several prescribing conditions takes the one of highest rank (fixed over
    /// velocity: a held corner stays held).
    virtual int velocity_rank() const { return 0; }
    bool        prescribes_velocity() const { return velocity_rank() > 0; }
    /// The prescribed velocity component `c` at x, time t (velocity units). Only if prescribes_velocity().
    virtual double velocity(unsigned /*c*/, const Coordinates & /*x*/, double /*t*/) const { return 0.0; }
    /// True if the displacement of the prescribed nodes is zero (set so by the initial conditions).
    virtual bool holds_displacement() const { return false; }
    /// True if the displacement of the prescribed nodes follows displacement() (fixed: 0; displacement,
    /// k_field): the initial conditions set it there, and velocity() is its time derivative.
    virtual bool prescribes_displacement() const { return holds_displacement(); }
    /// The prescribed displacement component `c` at x, time t (length). Only if prescribes_displacement().
    virtual double displacement(unsigned /*c*/, const Coordinates & /*x*/, double /*t*/) const { return 0.0; }

    /// True if the condition adds a surface traction (traction()) to the force.
    virtual bool has_traction() const { return false; }
    /// Traction component `c` at x, time t (force per area, pressure units). Only if has_traction().
    virtual double traction(unsigned /*c*/, const Coordinates & /*x*/, double /*t*/) const { return 0.0; }
    /// True if traction() depends on t (it is then reassembled at every force evaluation).
    virtual bool traction_depends_on_time() const { return false; }

    /// True if the faces carry viscous dashpots -Z(n) v with the material's impedance Z (absorbed energy
    /// tallied by the integrator). Nodes with a prescribed velocity get none.
    virtual bool absorbs() const { return false; }
  };

  /// Parses the `dim` component expressions of a condition's `value`. `what` names the condition in
  /// messages ("boundary id 1 velocity").
  /// @throws seam::InputError if the count is not dim or an expression does not parse.
  inline std::vector<Expression> parse_components(const std::vector<std::string> &text, unsigned dim,
                                                  const std::string &what)
  {
    if (text.size() != dim)
      throw InputError(fmt::format("fe {}: expected {} expressions (one per component), got {}", what, dim,
                                   text.size()));
    std::vector<Expression> out;
    for (unsigned c = 0; c < dim; ++c)
      {
        try
          {
            out.emplace_back(text[c]);
          }
        catch (const std::exception &e)
          {
            throw InputError(
              fmt::format("fe {}: component {} expression '{}' is invalid: {}", what, c, text[c], e.what()));
          }
      }
    return out;
  }

  /// For the styles that take no value. @throws seam::InputError if `text` is not empty.
  inline void expect_no_value(const std::vector<std::string> &text, unsigned id)
  {
    if (!text.empty())
      throw InputError(
        fmt::format("fe boundary id {}: this condition takes no value, got {} expressions", id, text.size()));
  }

  /// Evaluates an expression at x and t.
  inline double evaluate(const Expression &e, const Coordinates &x, double t) { return e(x[0], x[1], x[2], t); }
} // namespace seam::fe::boundary
