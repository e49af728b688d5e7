// The one place continuum boundary conditions are registered: deck `type` name -> class -> file
// (velocity <-> Velocity <-> fe/boundary/velocity.h). deal.II-free and header-only, so that the deck
// schema (config, below fe) builds the fe.boundary item from this list without linking fe.
#pragma once

#include <type_traits>

#include "config/schema.h"
#include "fe/boundary/absorbing.h"
#include "fe/boundary/boundary_style.h"
#include "fe/boundary/fixed.h"
#include "fe/boundary/free.h"
#include "fe/boundary/displacement.h"
#include "fe/boundary/k_field.h"
#include "fe/boundary/traction.h"
#include "fe/boundary/velocity.h"

#include <memory>
#include <string>
#include <vector>

namespace seam::fe::boundary
{
  /// A registered style: what the schema, the deck-level description and the solver ask of it.
  struct StyleInfo
  {
    std::string name; ///< the deck's `type`
    std::string doc;  ///< one line for the schema
    std::vector<config::Entry> (*keys)(); ///< the item keys this style reads besides faces and type
    bool is_free;             ///< does nothing (zero traction)
    bool prescribes_velocity; ///< holds the velocity of its face nodes (fixed, velocity)
    bool absorbs;             ///< removes energy (a style with `static constexpr bool absorbing = true`)
    /// Creates the condition of boundary id `id` from its `value` expressions.
    /// @throws seam::InputError if `value` does not fit the style.
    std::unique_ptr<BoundaryStyle> (*make)(const StyleArgs &args);
  };

  namespace detail
  {
    template <typename Style, typename = void>
    struct Absorbs : std::false_type
    {};
    template <typename Style>
    struct Absorbs<Style, std::void_t<decltype(Style::absorbing)>> : std::bool_constant<Style::absorbing>
    {};

    template <typename Style>
    StyleInfo info()
    {
      return {Style::name, Style::doc, &Style::keys, Style::is_free, Style::rank > 0, Absorbs<Style>::value,
              [](const StyleArgs &args) -> std::unique_ptr<BoundaryStyle> { return std::make_unique<Style>(args); }};
    }
  } // namespace detail

  /// Every style, in the order the schema lists them.
  inline const std::vector<StyleInfo> &styles()
  {
    static const std::vector<StyleInfo> all{detail::info<Free>(), detail::info<Fixed>(), detail::info<Absorbing>(),
                                            detail::info<Velocity>(), detail::info<Traction>(),
                                            detail::info<Displacement>(), detail::info<KField>()};
    return all;
  }

  inline std::vector<std::string> style_names()
  {
    std::vector<std::string> names;
    for (const StyleInfo &s : styles())
      names.push_back(s.name);
    return names;
  }

  /// The registered style `name`. @throws seam::InputError naming the known styles (and the closest one)
  /// if there is none.
  inline const StyleInfo &style_info(const std::string &name)
  {
    for (const StyleInfo &s : styles())
      if (s.name == name)
        return s;
    const std::vector<std::string> names = style_names();
    std::string                    known;
    for (const std::string &n : names)
      known += (known.empty() ? "" : ", ") + n;
    const std::string closest = config::did_you_mean(name, names);
    throw InputError(fmt::format("fe boundary: unknown condition type '{}'; expected one of {}{}", name, known,
                                 closest.empty() ? "" : "; did you mean '" + closest + "'?"));
  }

  /// Creates the condition `style` of boundary id `id`. @throws seam::InputError for an unknown style or
  /// a `value` that does not fit it.
  inline std::unique_ptr<BoundaryStyle> create(const std::string &style, const StyleArgs &args)
  {
    return style_info(style).make(args);
  }

  /// The same for a style that needs nothing but its `value` (no other keys, no material).
  inline std::unique_ptr<BoundaryStyle> create(const std::string &style, const std::vector<std::string> &value,
                                               unsigned dim, unsigned id)
  {
    StyleArgs args;
    args.value = value;
    args.dim   = dim;
    args.id    = id;
    return create(style, args);
  }
} // namespace seam::fe::boundary
