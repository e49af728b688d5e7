// `type: k_field`: the LEFM crack-tip displacement field of the material's own elastic constants.
#pragma once

#include "base/crack_tip_field.h"
#include "config/schema.h"
#include "fe/boundary/boundary_style.h"
#include "fe/boundary/displacement.h"

#include <optional>
#include <stdexcept>

namespace seam::fe::boundary
{
  /// The displacement u = K(t) U_mode(x - tip) of a straight crack along -x with its tip at `tip`, U the
  /// anisotropic near-tip field of the material's reference stiffness (seam::CrackTipField: Sih, Paris
  /// & Irwin 1965; 2D models their own plane problem, 3D in plane strain with the front along z), K the
  /// expression `k` in t (stress x sqrt(length)), mode I or II: the standard "K-test" boundary condition
  /// of atomistic fracture (e.g. Bitzek, Kermode & Gumbsch 2015, Int. J. Fract. 191, 13). Prescribed on
  /// the face nodes like `displacement` (velocity = dK/dt U); z displacement 0 in 3D.
  class KField final : public BoundaryStyle
  {
  public:
    static constexpr const char *name    = "k_field";
    static constexpr const char *doc =
      "crack-tip displacement field K(t) U(x - tip) of the material's own elastic constants (anisotropic LEFM, "
      "Sih-Paris-Irwin; crack along -x from `tip`, 3D: plane strain, front along z)";
    static constexpr bool        is_free = false;
    static constexpr int         rank    = 1;
    static std::vector<config::Entry> keys()
    {
      return {config::choice("mode", {"I", "II"}, "crack opening mode (default I)"),
              config::text("k", "stress intensity factor K, an expression in t [stress sqrt(length)]"),
              config::real_vector("tip", Quantity::length, "crack tip position (x, y); the crack runs along -x from it")};
    }

    explicit KField(const StyleArgs &a)
      : mode_(a.options.count("mode") && a.option("mode") == "II" ? 2 : 1)
      , k_(std::move(parse_components({a.option("k")}, 1, fmt::format("boundary id {} k_field k", a.id)).front()))
      , dim_(a.dim)
    {
      if (a.dim < 2)
        throw InputError(fmt::format("fe boundary id {}: a k_field needs dimension 2 or 3", a.id));
      const auto &tip = a.options_of("tip");
      if (tip.size() < 2)
        throw InputError(fmt::format("fe boundary id {}: k_field tip needs x and y, got {} values", a.id, tip.size()));
      tip_ = {std::stod(tip[0]), std::stod(tip[1])};
      try
        {
          field_.emplace(a.stiffness, static_cast<int>(a.dim));
        }
      catch (const std::invalid_argument &e)
        {
          throw InputError(fmt::format("fe boundary id {}: k_field: {} (the material's stiffness)", a.id, e.what()));
        }
    }

    int    velocity_rank() const override { return rank; }
    bool   prescribes_displacement() const override { return true; }
    double displacement(unsigned c, const Coordinates &x, double t) const override
    {
      return c < 2 ? k(t) * field_->unit_displacement(mode_, x[0] - tip_[0], x[1] - tip_[1])[c] : 0.0;
    }
    double velocity(unsigned c, const Coordinates &x, double t) const override
    {
      if (c >= 2)
        return 0.0;
      return time_derivative([&](double s) { return k(s); }, t) *
             field_->unit_displacement(mode_, x[0] - tip_[0], x[1] - tip_[1])[c];
    }
    /// K at time t.
    double k(double t) const { return k_(0.0, 0.0, 0.0, t); }

  private:
    int                          mode_;
    Expression                   k_;
    unsigned                     dim_;
    std::array<double, 2>        tip_{};
    std::optional<CrackTipField> field_;
  };
} // namespace seam::fe::boundary
