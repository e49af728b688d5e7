// The deck schema: one tree of entries, each with its type, unit, range or choices, default and doc.
// Validation, defaults, `seam check` and `seam schema` (docs/deck.md) are all driven by it.
#pragma once

#include "base/units.h"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace seam::config
{
  enum class ValueType
  {
    integer,
    real,
    string,
    choice,
    expression, ///< muparser expression in x, y, z, t (numbers are accepted too)
    path        ///< a file path (existence is checked where it is used)
  };

  enum class Shape
  {
    scalar,
    vector_dim, ///< exactly `dimension` components
    list,       ///< one or more components
    matrix3     ///< 3 rows of 3 components
  };

  /// One node of the schema tree: a value, a section (map of named entries, optionally styled) or a
  /// list of sections.
  struct Entry
  {
    enum class Kind
    {
      value,
      section,
      list
    };

    Kind        kind = Kind::value;
    std::string name;
    std::string doc;

    // --- values
    ValueType                type     = ValueType::real;
    Shape                    shape    = Shape::scalar;
    Quantity                 quantity = Quantity::none;
    std::optional<double>    min, max;           ///< bounds, inclusive unless *_open
    bool                     min_open = false, max_open = false;
    std::vector<std::string> choices;            ///< for ValueType::choice
    bool                     allow_auto = false; ///< the word `auto` is accepted too
    bool                     required   = false;
    std::string              default_text;       ///< YAML text of the default ("" = none)
    std::map<std::string, std::string> default_by_units; ///< unit system -> default text

    // --- sections and lists (a list's items are sections described by `children`)
    bool                                                       optional = false; ///< may be omitted
    std::vector<Entry>                                         children;
    std::vector<std::pair<std::string, std::vector<Entry>>> variants; ///< style -> extra keys

    bool has_default() const { return !default_text.empty() || !default_by_units.empty(); }
    bool is_styled() const { return !variants.empty(); }
    const Entry *child(const std::string &key) const;
    const std::vector<Entry> *variant(const std::string &style) const;

    /// "a real number > 0 (time: ps)" etc.: what a valid value looks like.
    std::string expectation(UnitSystem units, int dimension) const;

    // Fluent modifiers for defining the schema.
    Entry &&above(double v) &&;    ///< > v
    Entry &&at_least(double v) &&; ///< >= v
    Entry &&below(double v) &&;    ///< < v
    Entry &&at_most(double v) &&;  ///< <= v
    Entry &&def(std::string text) &&;
    Entry &&def_units(std::string metal, std::string lj) &&;
    Entry &&req() &&;
    Entry &&or_auto() &&;
  };

  // Builders.
  Entry real(std::string name, Quantity q, std::string doc);
  Entry integer(std::string name, std::string doc);
  Entry text(std::string name, std::string doc);
  Entry path(std::string name, std::string doc);
  Entry choice(std::string name, std::vector<std::string> choices, std::string doc);
  Entry real_vector(std::string name, Quantity q, std::string doc);        ///< `dimension` reals
  Entry expr_vector(std::string name, Quantity q, std::string doc);        ///< `dimension` expressions
  Entry choice_vector(std::string name, std::vector<std::string> c, std::string doc); ///< `dimension`
  Entry choice_list(std::string name, std::vector<std::string> c, std::string doc);   ///< 1 or more
  Entry int_matrix(std::string name, std::string doc);                     ///< 3x3 integers
  Entry section(std::string name, std::string doc, std::vector<Entry> children);
  Entry optional_section(std::string name, std::string doc, std::vector<Entry> children);
  /// A section whose `style` key picks one of `variants`, each adding its own keys.
  Entry styled_section(std::string name, std::string doc, bool optional, std::string style_doc,
                       std::vector<std::pair<std::string, std::vector<Entry>>> variants,
                       std::vector<Entry> common = {});
  Entry list_of(std::string name, std::string doc, std::vector<Entry> item_children);

  /// One style of a styled section whose keys are declared by a module above config (md.potential:
  /// each potential declares its keys in its own file under md/potential/).
  struct StyleKeys
  {
    std::string        name;    ///< the style, as written after `style:`
    std::string        summary; ///< note after the name in the style key's doc ("" = none)
    std::vector<Entry> keys;    ///< the keys this style adds to the section
  };

  /// Registers the styles of the styled section `section_path` ("md.potential"), in the order the
  /// schema lists them. config sits below the modules that own these styles and cannot include their
  /// headers, so the dependency is inverted: the owner registers its declarations here
  /// (md::register_potential_keys(), called by the app at start-up) before the schema is first built.
  /// A section of `md` other than md.potential and md.thermostat (e.g. md.indenter) joins the schema as an
  /// optional section, documented by `section_doc`, in path order.
  /// @throws std::logic_error once deck_schema() has been built (the registration would be ignored).
  void register_styles(const std::string &section_path, std::vector<StyleKeys> styles,
                       std::string section_doc = "");

  /// Registers the choices (name, one-line doc) of the choice key `key_path` ("coupling.damping.style")
  /// whose values are styles of a module above config, as register_styles does for styled sections.
  /// @throws std::logic_error once deck_schema() has been built.
  void register_choices(const std::string &key_path, std::vector<std::pair<std::string, std::string>> choices);

  /// The schema of a seam deck (../shared/spec/deck.md plus our extensions). Built on the first call.
  /// @throws std::logic_error if a section's styles were not registered (register_styles) before.
  const Entry &deck_schema();

  /// The key reference as Markdown (what `seam schema` prints and docs/deck.md holds).
  std::string schema_markdown();

  /// Up to `max_distance` edits away, case-insensitive: the closest candidate, or "" if none is close.
  std::string did_you_mean(const std::string &word, const std::vector<std::string> &candidates);
} // namespace seam::config
