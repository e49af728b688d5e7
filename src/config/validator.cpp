// Validation of a raw deck against the schema (types, ranges, choices, unknown and missing keys) and the
// normalised tree with defaults filled in.
#include "config/validator.h"

#include "base/expression.h"
#include "config/cross_checks.h"
#include "config/key_path.h"

#include <fmt/format.h>
#include <limits>
#include <fmt/ranges.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

namespace seam::config
{
  namespace
  {
    /// An optional sign and digits only: an integer literal (perhaps too large for a long).
    bool all_digits(const std::string &s)
    {
      std::size_t i = !s.empty() && (s[0] == '+' || s[0] == '-') ? 1 : 0;
      if (i >= s.size())
        return false;
      for (; i < s.size(); ++i)
        if (s[i] < '0' || s[i] > '9')
          return false;
      return true;
    }
    /// A complete number literal whose value over- or underflows a double.
    bool overflows_real(const std::string &s)
    {
      if (s.empty())
        return false;
      errno          = 0;
      char        *end = nullptr;
      const double v   = std::strtod(s.c_str(), &end);
      (void)v;
      return end == s.c_str() + s.size() && errno == ERANGE;
    }
  } // namespace

  namespace
  {
    bool parse_integer(const std::string &s, long &v)
    {
      if (s.empty())
        return false;
      char *end = nullptr;
      errno     = 0;
      v         = std::strtol(s.c_str(), &end, 10);
      return errno == 0 && end == s.c_str() + s.size();
    }

    bool parse_real(const std::string &s, double &v)
    {
      if (s.empty())
        return false;
      char *end = nullptr;
      errno     = 0;
      v         = std::strtod(s.c_str(), &end);
      return errno == 0 && end == s.c_str() + s.size() && std::isfinite(v);
    }
  } // namespace

  SourceMark Validator::mark_of(const YAML::Node &n, const std::string &path, const SourceMark &fallback) const
  {
    // A value that came from --set (or lies under one) is reported as the command-line argument.
    for (const auto &[p, arg] : overrides_)
      if (path == p || path.rfind(p + ".", 0) == 0 || path.rfind(p + "[", 0) == 0)
        return {arg, 0, 0};
    if (n.IsDefined() && !n.Mark().is_null())
      return {d_.file_, n.Mark().line + 1, n.Mark().column + 1};
    return fallback;
  }

  void Validator::run(const YAML::Node &raw)
  {
    const Entry     &schema = deck_schema();
    const SourceMark top{d_.file_, 1, 1};
    if (!raw.IsDefined() || raw.IsNull())
      error(top, "", "", "the deck is empty", "a YAML map with at least the sections run and md or fe",
            "start from one of the decks in inputs/ (seam schema lists every key)");
    if (!raw.IsMap())
      error(mark_of(raw, "", top), "", flow_text(raw), "the deck is not a map of keys",
            "`key: value` lines at the top level (units, dimension, md, fe, coupling, run, output, ...)",
            "start from one of the decks in inputs/");
    read_units_and_dimension(schema, raw, top);
    d_.root_ = section(schema, raw, "", top);
    check_cross_fields(d_);
  }

  void Validator::read_units_and_dimension(const Entry &schema, const YAML::Node &raw, const SourceMark &top)
  {
    // units and dimension first: vector lengths and unit-dependent defaults need them.
    for (const char *key : {"units", "dimension"})
      {
        const Entry *e = schema.child(key);
        YAML::Node   v = raw[key] ? scalar(*e, raw[key], key, mark_of(raw[key], key, top)) : default_value(*e, key);
        if (std::string(key) == "units")
          d_.units_ = parse_unit_system(v.Scalar());
        else
          d_.dimension_ = std::stoi(v.Scalar());
      }
  }

  YAML::Node Validator::default_value(const Entry &e, const std::string &path)
  {
    std::string text = e.default_text;
    if (!e.default_by_units.empty())
      text = e.default_by_units.at(to_string(d_.units_));
    YAML::Node def = YAML::Load(text);
    if (e.shape == Shape::vector_dim && def.IsScalar())
      {
        YAML::Node seq = flow_seq();
        for (int i = 0; i < d_.dimension_; ++i)
          seq.push_back(def.Scalar());
        return seq;
      }
    if (def.IsSequence())
      def.SetStyle(YAML::EmitterStyle::Flow);
    return def;
  }

  std::string Validator::where(const std::string &path)
  {
    return path.empty() ? "the top level of the deck" : "section " + path;
  }

  YAML::Node Validator::section(const Entry &e, const YAML::Node &raw, const std::string &path, const SourceMark &m)
  {
    if (raw.IsDefined() && !raw.IsNull() && !raw.IsMap())
      error(m, path, flow_text(raw), path + " must be a section", e.expectation(d_.units_, d_.dimension_),
            "write the keys of " + path + " indented on the lines below `" + e.name + ":`");
    std::string                      style;
    const std::vector<const Entry *> allowed = allowed_keys(e, raw, path, m, style);
    if (raw.IsDefined() && raw.IsMap())
      check_keys(e, raw, path, m, allowed, style);

    YAML::Node out(YAML::NodeType::Map);
    d_.marks_[path] = m;
    for (const Entry *c : allowed)
      fill_child(*c, raw, path, m, out);
    return out;
  }

  std::vector<const Entry *> Validator::allowed_keys(const Entry &e, const YAML::Node &raw, const std::string &path,
                                                     const SourceMark &m, std::string &style)
  {
    // The style picks the variant's extra keys.
    const std::vector<Entry> *variant = nullptr;
    if (e.is_styled())
      {
        const Entry      *style_entry = e.child("style");
        const std::string sp          = join_path(path, "style");
        if (!raw.IsDefined() || raw.IsNull() || !raw["style"])
          error(m, sp, "", "missing required key style in " + where(path),
                style_entry->expectation(d_.units_, d_.dimension_), "add `style: <one of the choices>` under " + path);
        style   = scalar(*style_entry, raw["style"], sp, mark_of(raw["style"], sp, m)).Scalar();
        variant = e.variant(style);
      }

    std::vector<const Entry *> allowed;
    for (const auto &c : e.children)
      allowed.push_back(&c);
    if (variant)
      for (const auto &c : *variant)
        allowed.push_back(&c);
    return allowed;
  }

  void Validator::check_keys(const Entry &e, const YAML::Node &raw, const std::string &path, const SourceMark &m,
                             const std::vector<const Entry *> &allowed, const std::string &style)
  {
    std::map<std::string, int> seen;
    for (auto it = raw.begin(); it != raw.end(); ++it)
      {
        const std::string key = it->first.Scalar();
        const std::string kp  = join_path(path, key);
        const SourceMark  km  = mark_of(it->first, kp, m);
        if (seen.count(key))
          error(km, kp, key, fmt::format("key {} appears twice in {} (first at line {})", key, where(path), seen[key]),
                "each key once per section", "remove one of the two lines");
        seen[key] = km.line;
        bool known = false;
        for (const Entry *a : allowed)
          known = known || a->name == key;
        if (known)
          continue;
        std::vector<std::string> names;
        for (const Entry *a : allowed)
          names.push_back(a->name);
        std::string other_style;
        for (const auto &[s, keys] : e.variants)
          for (const auto &k : keys)
            if (k.name == key && other_style.empty())
              other_style = s;
        const std::string guess = did_you_mean(key, names);
        std::string       fix   = guess.empty() ? "remove it, or see `seam schema` for the keys of " +
                                                (path.empty() ? std::string("the top level") : path)
                                              : "did you mean '" + guess + "'?";
        if (!other_style.empty())
          fix = fmt::format("{} takes this key with style {}, not {}; remove it or change the style",
                            path, other_style, style);
        error(km, kp, key, fmt::format("unknown key '{}' in {}", key, where(path)),
              (names.empty() ? std::string("no keys here") : "one of: " + fmt::format("{}", fmt::join(names, ", "))),
              fix);
      }
  }

  void Validator::fill_child(const Entry &c, const YAML::Node &raw, const std::string &path, const SourceMark &m,
                             YAML::Node &out)
  {
    const std::string cp    = join_path(path, c.name);
    YAML::Node        child = (raw.IsDefined() && raw.IsMap()) ? raw[c.name] : YAML::Node();
    const bool        given = child.IsDefined();
    // Values are reported where the value is; sections and lists at their key's line.
    SourceMark cm = given ? mark_of(child, cp, m) : m;
    if (given && c.kind != Entry::Kind::value)
      for (auto it = raw.begin(); it != raw.end(); ++it)
        if (it->first.Scalar() == c.name)
          cm = mark_of(it->first, cp, m);
    switch (c.kind)
      {
        case Entry::Kind::section:
          if (!given && c.optional)
            return;
          if (!given && std::any_of(c.children.begin(), c.children.end(), [](const Entry &k) { return k.required; }))
            error(m, cp, "", fmt::format("missing required section {} in {}", c.name, where(path)),
                  c.expectation(d_.units_, d_.dimension_),
                  fmt::format("add a `{}:` section ({}); see seam schema", c.name, c.doc));
          out[c.name] = section(c, given ? child : YAML::Node(YAML::NodeType::Map), cp, cm);
          break;
        case Entry::Kind::list:
          out[c.name] = list(c, child, cp, cm);
          break;
        case Entry::Kind::value:
          if (given && !child.IsNull())
            out[c.name] = value(c, child, cp, cm);
          else if (c.required || (given && !c.has_default()))
            error(cm, cp, given ? "(nothing)" : "",
                  given ? fmt::format("{} has no value", cp) : fmt::format("missing required key {} in {}", c.name, where(path)),
                  c.expectation(d_.units_, d_.dimension_),
                  fmt::format("add `{}: <value>` under {} ({})", c.name,
                              path.empty() ? std::string("the top level") : path, c.doc));
          else if (given && child.IsNull())
            error(cm, cp, "(nothing)", fmt::format("{} has no value", cp),
                  c.expectation(d_.units_, d_.dimension_),
                  "give it a value, or delete the line to use the default");
          else if (c.has_default())
            {
              out[c.name]   = default_value(c, cp);
              d_.marks_[cp] = m;
              d_.defaulted_.insert(cp);
            }
          break;
      }
  }

  YAML::Node Validator::list(const Entry &e, const YAML::Node &raw, const std::string &path, const SourceMark &m)
  {
    YAML::Node out(YAML::NodeType::Sequence);
    d_.marks_[path] = m;
    if (!raw.IsDefined() || raw.IsNull())
      return out;
    if (!raw.IsSequence())
      error(m, path, flow_text(raw), path + " must be a list", e.expectation(d_.units_, d_.dimension_),
            "write one `- {key: value, ...}` item per line under `" + e.name + ":`");
    for (std::size_t i = 0; i < raw.size(); ++i)
      {
        const std::string ip = fmt::format("{}[{}]", path, i);
        out.push_back(section(e, raw[i], ip, mark_of(raw[i], ip, m)));
      }
    return out;
  }

  YAML::Node Validator::value(const Entry &e, const YAML::Node &raw, const std::string &path, const SourceMark &m)
  {
    d_.marks_[path] = m;
    switch (e.shape)
      {
        case Shape::scalar:
          return scalar(e, raw, path, m);
        case Shape::vector_dim:
        case Shape::list:
          return sequence(e, raw, path, m);
        case Shape::matrix3:
          return matrix(e, raw, path, m);
      }
    return raw;
  }

  YAML::Node Validator::sequence(const Entry &e, const YAML::Node &raw, const std::string &path, const SourceMark &m)
  {
    const std::string expected = e.expectation(d_.units_, d_.dimension_);
    if (!raw.IsSequence())
      error(m, path, flow_text(raw), fmt::format("{} must be a list", path), expected,
            e.shape == Shape::vector_dim
              ? fmt::format("write it as [{}]", d_.dimension_ == 1 ? "a" : d_.dimension_ == 2 ? "a, b" : "a, b, c")
              : "write it as [a, b, ...]");
    if (e.shape == Shape::vector_dim && static_cast<int>(raw.size()) != d_.dimension_)
      error(m, path, flow_text(raw),
            fmt::format("{} has {} components but the deck's dimension is {}", path, raw.size(), d_.dimension_),
            expected, fmt::format("give exactly {} component{} (or change dimension)", d_.dimension_,
                                  d_.dimension_ == 1 ? "" : "s"));
    if (e.shape == Shape::list && raw.size() == 0)
      error(m, path, "[]", fmt::format("{} is empty", path), expected, "list at least one entry");
    YAML::Node out = flow_seq();
    for (std::size_t i = 0; i < raw.size(); ++i)
      {
        const std::string ip = fmt::format("{}[{}]", path, i);
        const SourceMark  im = mark_of(raw[i], ip, m);
        d_.marks_[ip]        = im;
        out.push_back(scalar(e, raw[i], ip, im));
      }
    return out;
  }

  YAML::Node Validator::matrix(const Entry &e, const YAML::Node &raw, const std::string &path, const SourceMark &m)
  {
    const std::string expected = e.expectation(d_.units_, d_.dimension_);
    bool              ok       = raw.IsSequence() && raw.size() == 3;
    for (std::size_t i = 0; ok && i < 3; ++i)
      ok = raw[i].IsSequence() && raw[i].size() == 3;
    if (!ok)
      error(m, path, flow_text(raw), fmt::format("{} is not a 3x3 matrix", path), expected,
            "write three rows of three integers, one crystal direction per axis");
    YAML::Node out = flow_seq();
    for (std::size_t i = 0; i < 3; ++i)
      {
        YAML::Node row = flow_seq();
        for (std::size_t j = 0; j < 3; ++j)
          {
            const std::string ip = fmt::format("{}[{}][{}]", path, i, j);
            long              v  = 0;
            if (raw[i][j].IsScalar() && all_digits(raw[i][j].Scalar()) && !parse_integer(raw[i][j].Scalar(), v))
              error(mark_of(raw[i][j], ip, m), path, flow_text(raw[i][j]),
                    fmt::format("{} row {} has an entry out of range", path, i + 1),
                    "integer Miller indices between -1000 and 1000", "use small integer Miller indices, e.g. [1, -1, 0]");
            if (!raw[i][j].IsScalar() || !parse_integer(raw[i][j].Scalar(), v))
              error(mark_of(raw[i][j], ip, m), path, flow_text(raw[i][j]),
                    fmt::format("{} row {} has a non-integer entry", path, i + 1), expected,
                    "use integer Miller indices, e.g. [1, -1, 0]");
            // Miller indices beyond this are no crystal direction anyone means, and their products in the
            // lattice builder would overflow an int.
            constexpr long max_index = 1000;
            if (v > max_index || v < -max_index)
              error(mark_of(raw[i][j], ip, m), path, flow_text(raw[i][j]),
                    fmt::format("{} row {} has an entry out of range ({})", path, i + 1, v),
                    fmt::format("integer Miller indices between -{} and {}", max_index, max_index),
                    "use small integer Miller indices, e.g. [1, -1, 0]");
            row.push_back(raw[i][j].Scalar());
          }
        out.push_back(row);
      }
    return out;
  }

  YAML::Node Validator::scalar(const Entry &e, const YAML::Node &raw, const std::string &path, const SourceMark &m)
  {
    const std::string expected = e.expectation(d_.units_, d_.dimension_);
    if (!raw.IsScalar())
      error(m, path, flow_text(raw), fmt::format("{} must be a single value", path), expected,
            "write a single value (vectors are [a, b, c] lists only where the schema says so)");
    const std::string s = raw.Scalar();
    if (e.allow_auto && s == "auto")
      return YAML::Node("auto");
    auto range_check = [&](double v) {
      const bool low  = e.min && (e.min_open ? !(v > *e.min) : !(v >= *e.min));
      const bool high = e.max && (e.max_open ? !(v < *e.max) : !(v <= *e.max));
      if (low || high)
        error(m, path, s, fmt::format("{} is out of range", path), expected,
              fmt::format("change {} to a value in the allowed range", path));
    };
    switch (e.type)
      {
        case ValueType::integer:
          {
            long v = 0;
            if (!parse_integer(s, v))
              {
                if (all_digits(s))
                  error(m, path, s, fmt::format("{} is out of range (a 64-bit integer)", path), expected,
                        fmt::format("write a whole number below {}", std::numeric_limits<long>::max()));
                error(m, path, s, fmt::format("{} is not an integer", path), expected,
                      fmt::format("write a whole number{}", e.allow_auto ? " or auto" : ""));
              }
            range_check(static_cast<double>(v));
            return YAML::Node(std::to_string(v));
          }
        case ValueType::real:
          {
            double v = 0;
            if (!parse_real(s, v))
              {
                if (overflows_real(s))
                  error(m, path, s, fmt::format("{} is out of range (below 1e-308 or above 1e308)", path), expected,
                        "write a number of a magnitude the run can use");
                const std::string guess = e.allow_auto ? did_you_mean(s, {"auto"}) : "";
                error(m, path, s, fmt::format("{} is not a number", path), expected,
                      guess.empty() ? "write a plain number such as 0.002 or 1.5e-3 (no units, no expressions)"
                                    : "did you mean 'auto'?");
              }
            range_check(v);
            return YAML::Node(s);
          }
        case ValueType::choice:
          {
            for (const auto &c : e.choices)
              if (c == s)
                return YAML::Node(s);
            const std::string guess = did_you_mean(s, e.choices);
            error(m, path, s, fmt::format("'{}' is not a valid {}", s, path), expected,
                  guess.empty() ? fmt::format("use one of: {}", fmt::join(e.choices, ", "))
                                : fmt::format("did you mean '{}'?", guess));
          }
        case ValueType::expression:
          try
            {
              Expression expr(s);
              return YAML::Node(s);
            }
          catch (const std::invalid_argument &ex)
            {
              error(m, path, s, fmt::format("{} is not a valid expression: {}", path, ex.what()), expected,
                    "use x, y, z, t, numbers, + - * / ^, and functions such as sin, cos, exp, sqrt; quote "
                    "the expression");
            }
        case ValueType::string:
        case ValueType::path:
          return YAML::Node(s);
      }
    return YAML::Node(s);
  }

} // namespace seam::config
