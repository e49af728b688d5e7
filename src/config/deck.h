// A validated, normalised input deck: the YAML text checked against the schema, defaults filled in,
// cross-field checks done, with typed accessors by key path and the source position of every value.
#pragma once

#include "base/error.h"
#include "base/units.h"

#include <yaml-cpp/yaml.h>

#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace seam::config
{
  /// A deck that passed validation. Every rank loads and validates the same text, so every rank holds an
  /// identical Deck (or throws the identical InputError). Key paths are dotted schema paths with list
  /// indices in brackets: "md.region.lo", "fe.boundary[0].type".
  class Deck
  {
  public:
    /// Reads `file`, applies `overrides` ("key.path=value", value in YAML syntax), validates.
    /// @throws InputError naming file:line:column, key, value, expectation and fix.
    static Deck load(const std::string &file, const std::vector<std::string> &overrides = {});
    /// The same from text already in memory; `file` only labels messages.
    static Deck from_text(const std::string &text, const std::string &file,
                          const std::vector<std::string> &overrides = {});

    const std::string &file() const { return file_; }
    const std::string &text() const { return text_; } ///< the deck as written (for provenance)
    /// The deck with every default filled in, in schema order (what `seam check` prints).
    std::string normalised() const;
    /// Hash of the normalised deck: equal on all ranks iff they run the same deck.
    std::uint64_t hash() const;

    UnitSystem units() const { return units_; }
    int        dimension() const { return dimension_; }

    bool has(const std::string &path) const; ///< the key or section is present (after defaults)
    bool is_auto(const std::string &path) const;

    double                            real(const std::string &path) const;
    long                              integer(const std::string &path) const;
    std::string                       string(const std::string &path) const;
    std::vector<double>               reals(const std::string &path) const;   ///< vector keys
    std::vector<std::string>          strings(const std::string &path) const; ///< vector/list keys
    std::array<std::array<int, 3>, 3> int_matrix(const std::string &path) const;
    std::size_t                       list_size(const std::string &path) const;

    /// True if the key was written in the deck or set by --set (not a default).
    bool given(const std::string &path) const { return has(path) && defaulted_.count(path) == 0; }
    /// Where a key's value came from (or its parent section, for defaults).
    SourceMark mark(const std::string &path) const;
    /// The value as written, for messages.
    std::string value_text(const std::string &path) const;

    /// Throws the InputError for a bad value at `path` (used by checks outside config, e.g. the MD
    /// lattice periodicity check): all ranks must call it alike.
    [[noreturn]] void fail(const std::string &path, const std::string &problem, const std::string &expected,
                           const std::string &fix) const;

  private:
    Deck() = default;
    YAML::Node node(const std::string &path) const; ///< throws std::logic_error if absent

    std::string                       file_;
    std::string                       text_;
    YAML::Node                        root_; ///< normalised tree
    std::map<std::string, SourceMark> marks_;
    std::set<std::string>             defaulted_; ///< keys filled in from the schema's defaults
    UnitSystem                        units_     = UnitSystem::metal;
    int                               dimension_ = 3;

    friend class Validator;
  };
} // namespace seam::config
