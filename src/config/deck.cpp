// Loading a deck: YAML parsing with positions, --set overrides, schema validation, defaults and the
// cross-field checks that need nothing but the deck.
#include "config/deck.h"

#include "base/expression.h"
#include "config/schema.h"
#include "parallel/partition.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

namespace seam::config
{
  namespace
  {
    /// One segment of a key path: a map key, or a list index.
    struct Segment
    {
      std::string key;
      long        index = -1; ///< >= 0 for "[i]"
    };

    /// "fe.boundary[0].type" -> {fe}{boundary}{[0]}{type}. Returns false on a malformed path.
    bool split_path(const std::string &path, std::vector<Segment> &out)
    {
      out.clear();
      std::size_t i = 0;
      while (i < path.size())
        {
          if (path[i] == '[')
            {
              const auto close = path.find(']', i);
              if (close == std::string::npos)
                return false;
              char *end  = nullptr;
              long  idx  = std::strtol(path.c_str() + i + 1, &end, 10);
              if (end != path.c_str() + close || idx < 0)
                return false;
              out.push_back({"", idx});
              i = close + 1;
              if (i < path.size() && path[i] == '.')
                ++i;
              continue;
            }
          std::size_t j = i;
          while (j < path.size() && path[j] != '.' && path[j] != '[')
            ++j;
          if (j == i)
            return false;
          out.push_back({path.substr(i, j - i), -1});
          i = j < path.size() && path[j] == '.' ? j + 1 : j;
        }
      return !out.empty();
    }

    std::string join_path(const std::string &prefix, const std::string &key)
    {
      return prefix.empty() ? key : prefix + "." + key;
    }

    std::string flow_text(const YAML::Node &n)
    {
      if (!n.IsDefined() || n.IsNull())
        return "(nothing)";
      if (n.IsScalar())
        return n.Scalar();
      YAML::Emitter e;
      e.SetMapFormat(YAML::Flow);
      e.SetSeqFormat(YAML::Flow);
      e << n;
      return e.c_str();
    }

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

    bool parse_bool(const std::string &s, bool &v)
    {
      if (s == "true" || s == "yes" || s == "on")
        return v = true, true;
      if (s == "false" || s == "no" || s == "off")
        return v = false, true;
      return false;
    }

    YAML::Node flow_seq()
    {
      YAML::Node n(YAML::NodeType::Sequence);
      n.SetStyle(YAML::EmitterStyle::Flow);
      return n;
    }

    std::string face_axis_hint(int dimension)
    {
      static const char *names[] = {"x_lo, x_hi", "x_lo, x_hi, y_lo, y_hi", "x_lo, x_hi, y_lo, y_hi, z_lo, z_hi"};
      return names[std::clamp(dimension, 1, 3) - 1];
    }
  } // namespace

  /// Checks a raw YAML tree against the schema and builds the normalised tree of a Deck.
  class Validator
  {
  public:
    Validator(Deck &deck, std::map<std::string, std::string> overrides)
      : d_(deck)
      , overrides_(std::move(overrides))
    {}

    void run(const YAML::Node &raw);

  private:
    SourceMark mark_of(const YAML::Node &n, const std::string &path, const SourceMark &fallback) const;
    [[noreturn]] void error(const SourceMark &m, const std::string &path, const std::string &value,
                            const std::string &problem, const std::string &expected, const std::string &fix) const
    {
      throw InputError(m, path, value, problem, expected, fix);
    }

    YAML::Node section(const Entry &e, const YAML::Node &raw, const std::string &path, const SourceMark &m);
    YAML::Node list(const Entry &e, const YAML::Node &raw, const std::string &path, const SourceMark &m);
    YAML::Node value(const Entry &e, const YAML::Node &raw, const std::string &path, const SourceMark &m);
    YAML::Node scalar(const Entry &e, const YAML::Node &raw, const std::string &path, const SourceMark &m);
    YAML::Node default_value(const Entry &e, const std::string &path);
    void       cross_checks();

    Deck                              &d_;
    std::map<std::string, std::string> overrides_; ///< overridden path -> "--set path=value"
  };

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

    d_.root_ = section(schema, raw, "", top);
    cross_checks();
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

  YAML::Node Validator::section(const Entry &e, const YAML::Node &raw, const std::string &path, const SourceMark &m)
  {
    const std::string where = path.empty() ? "the top level of the deck" : "section " + path;
    if (raw.IsDefined() && !raw.IsNull() && !raw.IsMap())
      error(m, path, flow_text(raw), path + " must be a section", e.expectation(d_.units_, d_.dimension_),
            "write the keys of " + path + " indented on the lines below `" + e.name + ":`");

    // The style picks the variant's extra keys.
    const std::vector<Entry> *variant = nullptr;
    std::string               style;
    if (e.is_styled())
      {
        const Entry      *style_entry = e.child("style");
        const std::string sp          = join_path(path, "style");
        if (!raw.IsDefined() || raw.IsNull() || !raw["style"])
          error(m, sp, "", "missing required key style in " + where,
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

    // Unknown and repeated keys.
    if (raw.IsDefined() && raw.IsMap())
      {
        std::map<std::string, int> seen;
        for (auto it = raw.begin(); it != raw.end(); ++it)
          {
            const std::string key = it->first.Scalar();
            const std::string kp  = join_path(path, key);
            const SourceMark  km  = mark_of(it->first, kp, m);
            if (seen.count(key))
              error(km, kp, key, fmt::format("key {} appears twice in {} (first at line {})", key, where, seen[key]),
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
            error(km, kp, key, fmt::format("unknown key '{}' in {}", key, where),
                  (names.empty() ? std::string("no keys here") : "one of: " + fmt::format("{}", fmt::join(names, ", "))),
                  fix);
          }
      }

    YAML::Node out(YAML::NodeType::Map);
    d_.marks_[path] = m;
    for (const Entry *c : allowed)
      {
        const std::string cp    = join_path(path, c->name);
        YAML::Node        child = (raw.IsDefined() && raw.IsMap()) ? raw[c->name] : YAML::Node();
        const bool        given = child.IsDefined();
        // Values are reported where the value is; sections and lists at their key's line.
        SourceMark cm = given ? mark_of(child, cp, m) : m;
        if (given && c->kind != Entry::Kind::value)
          for (auto it = raw.begin(); it != raw.end(); ++it)
            if (it->first.Scalar() == c->name)
              cm = mark_of(it->first, cp, m);
        switch (c->kind)
          {
            case Entry::Kind::section:
              if (!given && c->optional)
                continue;
              if (!given && std::any_of(c->children.begin(), c->children.end(), [](const Entry &k) { return k.required; }))
                error(m, cp, "", fmt::format("missing required section {} in {}", c->name, where),
                      c->expectation(d_.units_, d_.dimension_),
                      fmt::format("add a `{}:` section ({}); see seam schema", c->name, c->doc));
              out[c->name] = section(*c, given ? child : YAML::Node(YAML::NodeType::Map), cp, cm);
              break;
            case Entry::Kind::list:
              out[c->name] = list(*c, child, cp, cm);
              break;
            case Entry::Kind::value:
              if (given && !child.IsNull())
                out[c->name] = value(*c, child, cp, cm);
              else if (c->required || (given && !c->has_default()))
                error(cm, cp, given ? "(nothing)" : "",
                      given ? fmt::format("{} has no value", cp) : fmt::format("missing required key {} in {}", c->name, where),
                      c->expectation(d_.units_, d_.dimension_),
                      fmt::format("add `{}: <value>` under {} ({})", c->name,
                                  path.empty() ? std::string("the top level") : path, c->doc));
              else if (given && child.IsNull())
                error(cm, cp, "(nothing)", fmt::format("{} has no value", cp),
                      c->expectation(d_.units_, d_.dimension_),
                      "give it a value, or delete the line to use the default");
              else if (c->has_default())
                {
                  out[c->name]  = default_value(*c, cp);
                  d_.marks_[cp] = m;
                }
              break;
          }
      }
    return out;
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
    const std::string expected = e.expectation(d_.units_, d_.dimension_);
    switch (e.shape)
      {
        case Shape::scalar:
          return scalar(e, raw, path, m);
        case Shape::vector_dim:
        case Shape::list:
          {
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
        case Shape::matrix3:
          {
            bool ok = raw.IsSequence() && raw.size() == 3;
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
                    if (!raw[i][j].IsScalar() || !parse_integer(raw[i][j].Scalar(), v))
                      error(mark_of(raw[i][j], ip, m), path, flow_text(raw[i][j]),
                            fmt::format("{} row {} has a non-integer entry", path, i + 1), expected,
                            "use integer Miller indices, e.g. [1, -1, 0]");
                    row.push_back(raw[i][j].Scalar());
                  }
                out.push_back(row);
              }
            return out;
          }
      }
    return raw;
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
              error(m, path, s, fmt::format("{} is not an integer", path), expected,
                    fmt::format("write a whole number{}", e.allow_auto ? " or auto" : ""));
            range_check(static_cast<double>(v));
            return YAML::Node(std::to_string(v));
          }
        case ValueType::real:
          {
            double v = 0;
            if (!parse_real(s, v))
              {
                const std::string guess = e.allow_auto ? did_you_mean(s, {"auto"}) : "";
                error(m, path, s, fmt::format("{} is not a number", path), expected,
                      guess.empty() ? "write a plain number such as 0.002 or 1.5e-3 (no units, no expressions)"
                                    : "did you mean 'auto'?");
              }
            range_check(v);
            return YAML::Node(s);
          }
        case ValueType::boolean:
          {
            bool v = false;
            if (!parse_bool(s, v))
              error(m, path, s, fmt::format("{} is not true or false", path), expected, "write true or false");
            return YAML::Node(v ? "true" : "false");
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

  void Validator::cross_checks()
  {
    const Deck &d   = d_;
    const int   dim = d.dimension();
    static const char *axis_name[] = {"x", "y", "z"};

    if (!d.has("md") && !d.has("fe"))
      d.fail("", "the deck has neither an md nor an fe section", "an md section, an fe section, or both",
             "add md: (atoms) and/or fe: (continuum); see inputs/ for examples");
    const bool coupled = d.has("md") && d.has("fe");
    if (coupled && !d.has("coupling"))
      d.fail("", "the deck has both md and fe but no coupling section",
             "a coupling section when both md and fe are present",
             "add `coupling: {handshake: {width: <band width>}}` (see seam schema)");
    if (!coupled && d.has("coupling"))
      d.fail("coupling", fmt::format("coupling is given but the deck has no {} section", d.has("md") ? "fe" : "md"),
             "coupling only when both md and fe are present", "remove the coupling section, or add the missing part");

    auto check_box = [&](const std::string &p) {
      const auto lo = d.reals(p + ".lo"), hi = d.reals(p + ".hi");
      for (int a = 0; a < dim; ++a)
        if (!(hi[a] > lo[a]))
          d.fail(fmt::format("{}.hi[{}]", p, a),
                 fmt::format("{}.hi is not above {}.lo along {} ({} <= {})", p, p, axis_name[a], hi[a], lo[a]),
                 "hi > lo on every axis", fmt::format("swap or correct the {} components of {}", axis_name[a], p));
    };

    if (d.has("md"))
      {
        const std::string style = d.string("md.lattice.style");
        const int         want  = style == "hex" ? 2 : style == "chain" ? 1 : 3;
        if (want != dim)
          d.fail("md.lattice.style", fmt::format("lattice style {} needs dimension {}, but the deck's dimension is {}",
                                                 style, want, dim),
                 dim == 3 ? "fcc, bcc or sc for dimension 3" : dim == 2 ? "hex for dimension 2" : "chain for dimension 1",
                 fmt::format("change md.lattice.style or set dimension: {}", want));
        if (dim != 3 && d.value_text("md.lattice.orientation") != "[[1, 0, 0], [0, 1, 0], [0, 0, 1]]")
          d.fail("md.lattice.orientation", "md.lattice.orientation is only meaningful in dimension 3",
                 "no orientation key for hex and chain lattices", "remove md.lattice.orientation");
        if (dim == 3)
          {
            const auto o = d.int_matrix("md.lattice.orientation");
            for (int i = 0; i < 3; ++i)
              {
                if (o[i][0] == 0 && o[i][1] == 0 && o[i][2] == 0)
                  d.fail(fmt::format("md.lattice.orientation[{}]", i), "a crystal direction is zero",
                         "three non-zero, mutually orthogonal integer directions", "give a direction such as [1, 1, 0]");
                for (int j = i + 1; j < 3; ++j)
                  if (o[i][0] * o[j][0] + o[i][1] * o[j][1] + o[i][2] * o[j][2] != 0)
                    d.fail("md.lattice.orientation",
                           fmt::format("the directions along {} and {} are not orthogonal", axis_name[i], axis_name[j]),
                           "mutually orthogonal rows (dot products zero)",
                           "e.g. [[1,1,0],[-1,1,0],[0,0,1]] or [[1,1,1],[-1,1,0],[-1,-1,2]]");
              }
            const long det = long(o[0][0]) * (o[1][1] * o[2][2] - o[1][2] * o[2][1]) -
                             long(o[0][1]) * (o[1][0] * o[2][2] - o[1][2] * o[2][0]) +
                             long(o[0][2]) * (o[1][0] * o[2][1] - o[1][1] * o[2][0]);
            if (det < 0)
              d.fail("md.lattice.orientation", "the orientation is left-handed (z != x cross y)",
                     "a right-handed set of directions", "negate the z direction");
          }
        check_box("md.region");
        if (d.string("md.potential.style") == "eam" || d.string("md.potential.style") == "eam_alloy")
          {
            const std::string f = d.string("md.potential.file");
            std::ifstream     in(f);
            if (!in)
              d.fail("md.potential.file", fmt::format("cannot read the potential file '{}'", f),
                     "a readable LAMMPS potential file",
                     "check the path (Debian's lammps-data installs them in /usr/share/lammps/potentials)");
          }
      }

    if (d.has("fe"))
      {
        check_box("fe.domain");
        if (d.real("fe.element_size.far") < d.real("fe.element_size.near"))
          d.fail("fe.element_size.far", "fe.element_size.far is smaller than fe.element_size.near",
                 "far >= near", "make far at least " + d.value_text("fe.element_size.near"));
        if (d.string("fe.material.style") == "cauchy_born" && !d.has("md"))
          d.fail("fe.material.style", "the cauchy_born material needs md.lattice and md.potential, but the deck has no md",
                 "isotropic or cubic for an FE-only deck", "use `material: {style: isotropic, ...}`");
        std::set<std::string> faces_seen;
        for (std::size_t i = 0; i < d.list_size("fe.boundary"); ++i)
          {
            const std::string p     = fmt::format("fe.boundary[{}]", i);
            const auto        faces = d.strings(p + ".faces");
            for (std::size_t k = 0; k < faces.size(); ++k)
              {
                const int axis = faces[k][0] - 'x';
                if (axis >= dim)
                  d.fail(fmt::format("{}.faces[{}]", p, k),
                         fmt::format("face {} does not exist in dimension {}", faces[k], dim),
                         "faces of fe.domain: " + face_axis_hint(dim), "remove it from the list");
                if (!faces_seen.insert(faces[k]).second)
                  d.fail(fmt::format("{}.faces[{}]", p, k),
                         fmt::format("face {} is given a boundary condition twice", faces[k]),
                         "each face in at most one fe.boundary entry", "remove it from one of the entries");
              }
            const std::string type      = d.string(p + ".type");
            const bool        wants_val = type == "velocity" || type == "traction";
            if (wants_val && !d.has(p + ".value"))
              d.fail(p + ".type", fmt::format("boundary type {} needs a value", type),
                     fmt::format("value: [{} expressions]", dim),
                     fmt::format("add value: [...] with {} components to this entry", dim));
            if (!wants_val && d.has(p + ".value"))
              d.fail(p + ".value", fmt::format("boundary type {} takes no value", type),
                     "value only for velocity and traction", "remove value from this entry");
          }
      }

    if (coupled)
      {
        const auto mlo = d.reals("md.region.lo"), mhi = d.reals("md.region.hi");
        const auto flo = d.reals("fe.domain.lo"), fhi = d.reals("fe.domain.hi");
        const auto bnd = d.strings("md.boundary");
        const double w = d.real("coupling.handshake.width");
        const double eps = 1e-9 * std::max(1.0, std::abs(fhi[0] - flo[0]));
        for (int a = 0; a < dim; ++a)
          {
            if (mlo[a] < flo[a] - eps || mhi[a] > fhi[a] + eps)
              d.fail("md.region", fmt::format("md.region sticks out of fe.domain along {} ([{}, {}] vs [{}, {}])",
                                              axis_name[a], mlo[a], mhi[a], flo[a], fhi[a]),
                     "md.region inside fe.domain", "shrink md.region or grow fe.domain");
            if (bnd[a] == "periodic" && (std::abs(mlo[a] - flo[a]) > eps || std::abs(mhi[a] - fhi[a]) > eps))
              d.fail(fmt::format("md.boundary[{}]", a),
                     fmt::format("md.boundary is periodic along {} but md.region does not span fe.domain on that axis",
                                 axis_name[a]),
                     "a periodic axis of a coupled run has md.region.lo/hi equal to fe.domain.lo/hi",
                     "make the axis free, or give md.region and fe.domain the same extent along it");
            // Faces of md.region on a face of fe.domain have no band.
            const int    n_band = (std::abs(mlo[a] - flo[a]) > eps) + (std::abs(mhi[a] - fhi[a]) > eps);
            const double core   = (mhi[a] - mlo[a]) - n_band * w;
            if (n_band > 0 && !(core > 0))
              d.fail("coupling.handshake.width",
                     fmt::format("the handshake band ({} on {} face{}) does not fit inside md.region along {} "
                                 "(length {}): no MD-only core is left",
                                 w, n_band, n_band == 2 ? "s" : "", axis_name[a], mhi[a] - mlo[a]),
                     fmt::format("width < {}", (mhi[a] - mlo[a]) / n_band), "narrow the band or grow md.region");
          }
        bool any_band = false;
        for (int a = 0; a < dim; ++a)
          any_band = any_band || std::abs(mlo[a] - flo[a]) > eps || std::abs(mhi[a] - fhi[a]) > eps;
        if (!any_band)
          d.fail("md.region",
                 "md.region covers all of fe.domain, so no face of it borders the continuum and there is no "
                 "handshake band",
                 "md.region strictly inside fe.domain along at least one axis",
                 "shrink md.region (or grow fe.domain) along an axis, or remove fe and coupling for an MD-only run");
        const long sub = d.integer("coupling.substeps");
        for (const char *k : {"run.steps", "output.thermo_every", "output.fields_every", "output.checkpoint_every"})
          if (d.integer(k) % sub != 0)
            d.fail(k, fmt::format("{} = {} is not a multiple of coupling.substeps = {}", k, d.integer(k), sub),
                   "a multiple of coupling.substeps, so it falls on an FE step",
                   fmt::format("use {} or {}", (d.integer(k) / sub) * sub, (d.integer(k) / sub + 1) * sub));
      }

    if (!d.has("md") && d.real("initial.temperature") > 0)
      d.fail("initial.temperature", "initial.temperature sets atom velocities, but the deck has no md section",
             "0 for an FE-only deck", "remove initial.temperature");
    const std::string restart = d.string("run.restart");
    if (!restart.empty() && !std::ifstream(restart))
      d.fail("run.restart", fmt::format("cannot read the checkpoint '{}'", restart), "the path of a checkpoint file",
             "check the path, or set run.restart to \"\" to start fresh");
  }

  // ------------------------------------------------------------------ Deck

  Deck Deck::load(const std::string &file, const std::vector<std::string> &overrides)
  {
    std::ifstream in(file);
    if (!in)
      throw InputError(SourceMark{file}, "", "", fmt::format("cannot read the deck file ({})", std::strerror(errno)),
                       "a readable YAML deck", "check the path");
    std::stringstream buf;
    buf << in.rdbuf();
    return from_text(buf.str(), file, overrides);
  }

  Deck Deck::from_text(const std::string &text, const std::string &file, const std::vector<std::string> &overrides)
  {
    Deck d;
    d.file_ = file;
    d.text_ = text;
    YAML::Node raw;
    try
      {
        raw = YAML::Load(text);
      }
    catch (const YAML::Exception &e)
      {
        throw InputError(SourceMark{file, e.mark.line + 1, e.mark.column + 1}, "", "",
                         "YAML syntax error: " + e.msg,
                         "valid YAML: `key: value` lines, sections indented with spaces (no tabs), lists as [a, b]",
                         "fix the syntax at or just before this line");
      }

    std::map<std::string, std::string> override_marks;
    for (const auto &arg : overrides)
      {
        const std::string label = "--set " + arg;
        const auto        eq    = arg.find('=');
        std::vector<Segment> segs;
        if (eq == std::string::npos || !split_path(arg.substr(0, eq), segs) || segs.front().index >= 0)
          throw InputError(SourceMark{label}, "", arg, "a --set override must be key.path=value",
                           "key.path=value, e.g. --set md.time_step=0.001 or --set fe.boundary[0].type=fixed",
                           "write the full key path, '=', then the value in YAML syntax");
        const std::string key = arg.substr(0, eq);
        YAML::Node        value;
        try
          {
            value = YAML::Load(arg.substr(eq + 1));
          }
        catch (const YAML::Exception &e)
          {
            throw InputError(SourceMark{label}, key, arg.substr(eq + 1), "the value is not valid YAML: " + e.msg,
                             "a YAML value: 0.5, fixed, [1, 2, 3], \"sin(x)\"", "quote the value for your shell");
          }
        if (!raw.IsDefined() || raw.IsNull())
          raw = YAML::Node(YAML::NodeType::Map);
        YAML::Node cur;
        cur.reset(raw);
        for (std::size_t i = 0; i < segs.size(); ++i)
          {
            const bool last = i + 1 == segs.size();
            if (segs[i].index >= 0)
              {
                if (!cur.IsSequence() || static_cast<std::size_t>(segs[i].index) >= cur.size())
                  throw InputError(SourceMark{label}, key, "",
                                   fmt::format("the deck has no list entry [{}] there", segs[i].index),
                                   "an index of an existing list entry", "check the index (counting from 0)");
                if (last)
                  cur[segs[i].index] = value;
                else
                  {
                    YAML::Node next = cur[segs[i].index];
                    cur.reset(next);
                  }
                continue;
              }
            if (!cur.IsMap())
              {
                if (cur.IsNull())
                  cur = YAML::Node(YAML::NodeType::Map);
                else
                  throw InputError(SourceMark{label}, key, "", "the path runs through a value that is not a section",
                                   "a path of section names ending at a key", "check the key path with seam schema");
              }
            if (last)
              cur[segs[i].key] = value;
            else
              {
                if (!cur[segs[i].key])
                  cur[segs[i].key] = YAML::Node(YAML::NodeType::Map);
                YAML::Node next = cur[segs[i].key];
                cur.reset(next);
              }
          }
        override_marks[key] = label;
      }

    Validator(d, override_marks).run(raw);
    return d;
  }

  std::string Deck::normalised() const
  {
    YAML::Emitter e;
    e << root_;
    return std::string(e.c_str()) + "\n";
  }

  std::uint64_t Deck::hash() const { return parallel::fnv1a_hash(normalised()); }

  YAML::Node Deck::node(const std::string &path) const
  {
    std::vector<Segment> segs;
    if (!split_path(path, segs))
      throw std::logic_error("malformed deck key path '" + path + "'");
    YAML::Node cur;
    cur.reset(root_);
    for (const auto &s : segs)
      {
        YAML::Node next = s.index >= 0 ? (cur.IsSequence() && std::size_t(s.index) < cur.size() ? cur[s.index] : YAML::Node())
                                       : (cur.IsMap() ? cur[s.key] : YAML::Node());
        if (!next.IsDefined())
          throw std::logic_error("internal: the validated deck has no key '" + path + "'");
        cur.reset(next);
      }
    return cur;
  }

  bool Deck::has(const std::string &path) const
  {
    if (path.empty())
      return true;
    try
      {
        return node(path).IsDefined();
      }
    catch (const std::logic_error &)
      {
        return false;
      }
  }

  bool Deck::is_auto(const std::string &path) const
  {
    const auto n = node(path);
    return n.IsScalar() && n.Scalar() == "auto";
  }

  double Deck::real(const std::string &path) const { return std::stod(node(path).Scalar()); }
  long   Deck::integer(const std::string &path) const { return std::stol(node(path).Scalar()); }
  bool   Deck::boolean(const std::string &path) const { return node(path).Scalar() == "true"; }
  std::string Deck::string(const std::string &path) const { return node(path).Scalar(); }

  std::vector<double> Deck::reals(const std::string &path) const
  {
    std::vector<double> v;
    for (const auto &x : node(path))
      v.push_back(std::stod(x.Scalar()));
    return v;
  }

  std::vector<std::string> Deck::strings(const std::string &path) const
  {
    std::vector<std::string> v;
    for (const auto &x : node(path))
      v.push_back(x.Scalar());
    return v;
  }

  std::array<std::array<int, 3>, 3> Deck::int_matrix(const std::string &path) const
  {
    std::array<std::array<int, 3>, 3> m{};
    const auto                        n = node(path);
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j)
        m[i][j] = std::stoi(n[i][j].Scalar());
    return m;
  }

  std::size_t Deck::list_size(const std::string &path) const { return node(path).size(); }

  SourceMark Deck::mark(const std::string &path) const
  {
    // The closest recorded ancestor: defaults are reported at their section.
    std::string p = path;
    while (true)
      {
        const auto it = marks_.find(p);
        if (it != marks_.end())
          return it->second;
        const auto cut = p.find_last_of(".[");
        if (cut == std::string::npos)
          break;
        p = p.substr(0, cut);
      }
    const auto it = marks_.find("");
    return it != marks_.end() ? it->second : SourceMark{file_, 1, 1};
  }

  std::string Deck::value_text(const std::string &path) const
  {
    try
      {
        return flow_text(node(path));
      }
    catch (const std::logic_error &)
      {
        return "";
      }
  }

  void Deck::fail(const std::string &path, const std::string &problem, const std::string &expected,
                  const std::string &fix) const
  {
    throw InputError(mark(path), path, path.empty() ? "" : value_text(path), problem, expected, fix);
  }
} // namespace seam::config
