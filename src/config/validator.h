// Checking a raw deck against the schema: types, ranges, choices, unknown and missing keys, defaults;
// builds the normalised tree of a Deck. Internal to config (Deck::from_text uses it).
#pragma once

#include "base/error.h"
#include "config/deck.h"
#include "config/schema.h"

#include <yaml-cpp/yaml.h>

#include <map>
#include <string>
#include <vector>

namespace seam::config
{
  /// Checks a raw YAML tree against deck_schema() and fills the Deck's normalised tree, source marks,
  /// units and dimension; then runs the cross-field checks (cross_checks.h).
  class Validator
  {
  public:
    /// `overrides`: overridden path -> "--set path=value" (apply_overrides), the mark of those values.
    Validator(Deck &deck, std::map<std::string, std::string> overrides)
      : d_(deck)
      , overrides_(std::move(overrides))
    {}

    /// @throws InputError for the first problem found, in schema order.
    void run(const YAML::Node &raw);

  private:
    SourceMark mark_of(const YAML::Node &n, const std::string &path, const SourceMark &fallback) const;
    [[noreturn]] void error(const SourceMark &m, const std::string &path, const std::string &value,
                            const std::string &problem, const std::string &expected, const std::string &fix) const
    {
      throw InputError(m, path, value, problem, expected, fix);
    }

    void       read_units_and_dimension(const Entry &schema, const YAML::Node &raw, const SourceMark &top);
    YAML::Node section(const Entry &e, const YAML::Node &raw, const std::string &path, const SourceMark &m);
    /// The keys allowed in section `e` at `path`: its children plus those of the style `raw` picks.
    std::vector<const Entry *> allowed_keys(const Entry &e, const YAML::Node &raw, const std::string &path,
                                            const SourceMark &m, std::string &style);
    /// Unknown and repeated keys of `raw` (with "did you mean" and "that key belongs to style ...").
    void check_keys(const Entry &e, const YAML::Node &raw, const std::string &path, const SourceMark &m,
                    const std::vector<const Entry *> &allowed, const std::string &style);
    /// Adds child `c` of the section at `path` to `out`: validated, defaulted, or an error if missing.
    void fill_child(const Entry &c, const YAML::Node &raw, const std::string &path, const SourceMark &m,
                    YAML::Node &out);
    YAML::Node list(const Entry &e, const YAML::Node &raw, const std::string &path, const SourceMark &m);
    YAML::Node value(const Entry &e, const YAML::Node &raw, const std::string &path, const SourceMark &m);
    YAML::Node sequence(const Entry &e, const YAML::Node &raw, const std::string &path, const SourceMark &m);
    YAML::Node matrix(const Entry &e, const YAML::Node &raw, const std::string &path, const SourceMark &m);
    YAML::Node scalar(const Entry &e, const YAML::Node &raw, const std::string &path, const SourceMark &m);
    YAML::Node default_value(const Entry &e, const std::string &path);

    /// The section's description in messages ("section md.lattice", "the top level of the deck").
    static std::string where(const std::string &path);

    Deck                              &d_;
    std::map<std::string, std::string> overrides_; ///< overridden path -> "--set path=value"
  };
} // namespace seam::config
