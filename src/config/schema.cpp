// Schema entries: builders, the description of valid values, "did you mean" and the Markdown reference.
#include "config/schema.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <sstream>

namespace seam::config
{
  const Entry *Entry::child(const std::string &key) const
  {
    for (const auto &c : children)
      if (c.name == key)
        return &c;
    return nullptr;
  }

  const std::vector<Entry> *Entry::variant(const std::string &style) const
  {
    for (const auto &v : variants)
      if (v.first == style)
        return &v.second;
    return nullptr;
  }

  namespace
  {
    std::string number(double v)
    {
      return fmt::format("{}", v);
    }

    std::string join(const std::vector<std::string> &items, const std::string &sep)
    {
      std::string out;
      for (std::size_t i = 0; i < items.size(); ++i)
        out += (i ? sep : "") + items[i];
      return out;
    }

    std::string scalar_description(const Entry &e)
    {
      std::string s;
      switch (e.type)
        {
          case ValueType::integer: s = "an integer"; break;
          case ValueType::real: s = "a real number"; break;
          case ValueType::string: s = "a string"; break;
          case ValueType::choice: s = "one of " + join(e.choices, ", "); break;
          case ValueType::expression: s = "an expression in x, y, z, t (muparser syntax)"; break;
          case ValueType::path: s = "a file path"; break;
        }
      std::vector<std::string> bounds;
      if (e.min)
        bounds.push_back((e.min_open ? "> " : ">= ") + number(*e.min));
      if (e.max)
        bounds.push_back((e.max_open ? "< " : "<= ") + number(*e.max));
      if (!bounds.empty())
        s += " " + join(bounds, " and ");
      return s;
    }

    std::string plural_description(const Entry &e)
    {
      switch (e.type)
        {
          case ValueType::integer: return "integers";
          case ValueType::real: return "real numbers";
          case ValueType::choice: return "entries from " + join(e.choices, ", ");
          case ValueType::expression: return "expressions in x, y, z, t";
          default: return "strings";
        }
    }
  } // namespace

  std::string Entry::expectation(UnitSystem units, int dimension) const
  {
    if (kind == Kind::section)
      return "a section (a map of keys: " + join([&] {
               std::vector<std::string> n;
               for (const auto &c : children)
                 n.push_back(c.name);
               return n;
             }(),
                                                  ", ") +
             ")";
    if (kind == Kind::list)
      return "a list of sections, each a map of keys";
    std::string s;
    switch (shape)
      {
        case Shape::scalar: s = scalar_description(*this); break;
        case Shape::vector_dim:
          {
            static const char *axes[] = {"x", "y", "z"};
            std::vector<std::string> names(axes, axes + std::clamp(dimension, 1, 3));
            s = fmt::format("a list of {} {} [{}] (one per axis, dimension: {})", dimension,
                            plural_description(*this), join(names, ", "), dimension);
            std::string b = scalar_description(*this);
            if (min || max)
              s += ", each " + b.substr(b.find(' ', 2) + 1);
            break;
          }
        case Shape::list: s = "a list of one or more " + plural_description(*this); break;
        case Shape::matrix3: s = "3 rows of 3 integers, e.g. [[1,0,0],[0,1,0],[0,0,1]]"; break;
      }
    if (allow_auto)
      s += ", or auto";
    if (quantity != Quantity::none)
      s += fmt::format(" ({}: {})", quantity_name(quantity), unit_symbol(units, quantity));
    return s;
  }

  Entry &&Entry::above(double v) &&
  {
    min      = v;
    min_open = true;
    return std::move(*this);
  }
  Entry &&Entry::at_least(double v) &&
  {
    min      = v;
    min_open = false;
    return std::move(*this);
  }
  Entry &&Entry::below(double v) &&
  {
    max      = v;
    max_open = true;
    return std::move(*this);
  }
  Entry &&Entry::at_most(double v) &&
  {
    max      = v;
    max_open = false;
    return std::move(*this);
  }
  Entry &&Entry::def(std::string text) &&
  {
    default_text = std::move(text);
    return std::move(*this);
  }
  Entry &&Entry::def_units(std::string metal, std::string lj) &&
  {
    default_by_units = {{"metal", std::move(metal)}, {"lj", std::move(lj)}};
    return std::move(*this);
  }
  Entry &&Entry::req() &&
  {
    required = true;
    return std::move(*this);
  }
  Entry &&Entry::or_auto() &&
  {
    allow_auto = true;
    return std::move(*this);
  }

  namespace
  {
    Entry value(std::string name, ValueType t, Shape s, Quantity q, std::string doc)
    {
      Entry e;
      e.kind     = Entry::Kind::value;
      e.name     = std::move(name);
      e.type     = t;
      e.shape    = s;
      e.quantity = q;
      e.doc      = std::move(doc);
      return e;
    }
  } // namespace

  Entry real(std::string name, Quantity q, std::string doc)
  {
    return value(std::move(name), ValueType::real, Shape::scalar, q, std::move(doc));
  }
  Entry integer(std::string name, std::string doc)
  {
    return value(std::move(name), ValueType::integer, Shape::scalar, Quantity::none, std::move(doc));
  }
  Entry text(std::string name, std::string doc)
  {
    return value(std::move(name), ValueType::string, Shape::scalar, Quantity::none, std::move(doc));
  }
  Entry path(std::string name, std::string doc)
  {
    return value(std::move(name), ValueType::path, Shape::scalar, Quantity::none, std::move(doc));
  }
  Entry choice(std::string name, std::vector<std::string> choices, std::string doc)
  {
    auto e    = value(std::move(name), ValueType::choice, Shape::scalar, Quantity::none, std::move(doc));
    e.choices = std::move(choices);
    return e;
  }
  Entry real_vector(std::string name, Quantity q, std::string doc)
  {
    return value(std::move(name), ValueType::real, Shape::vector_dim, q, std::move(doc));
  }
  Entry expr_vector(std::string name, Quantity q, std::string doc)
  {
    return value(std::move(name), ValueType::expression, Shape::vector_dim, q, std::move(doc));
  }
  Entry choice_vector(std::string name, std::vector<std::string> c, std::string doc)
  {
    auto e    = value(std::move(name), ValueType::choice, Shape::vector_dim, Quantity::none, std::move(doc));
    e.choices = std::move(c);
    return e;
  }
  Entry choice_list(std::string name, std::vector<std::string> c, std::string doc)
  {
    auto e    = value(std::move(name), ValueType::choice, Shape::list, Quantity::none, std::move(doc));
    e.choices = std::move(c);
    return e;
  }
  Entry int_matrix(std::string name, std::string doc)
  {
    return value(std::move(name), ValueType::integer, Shape::matrix3, Quantity::none, std::move(doc));
  }
  Entry section(std::string name, std::string doc, std::vector<Entry> children)
  {
    Entry e;
    e.kind     = Entry::Kind::section;
    e.name     = std::move(name);
    e.doc      = std::move(doc);
    e.children = std::move(children);
    return e;
  }
  Entry optional_section(std::string name, std::string doc, std::vector<Entry> children)
  {
    auto e     = section(std::move(name), std::move(doc), std::move(children));
    e.optional = true;
    return e;
  }
  Entry styled_section(std::string name, std::string doc, bool optional, std::string style_doc,
                       std::vector<std::pair<std::string, std::vector<Entry>>> variants,
                       std::vector<Entry> common)
  {
    std::vector<std::string> styles;
    for (const auto &v : variants)
      styles.push_back(v.first);
    std::vector<Entry> children;
    children.push_back(choice("style", styles, std::move(style_doc)).req());
    for (auto &c : common)
      children.push_back(std::move(c));
    auto e     = section(std::move(name), std::move(doc), std::move(children));
    e.optional = optional;
    e.variants = std::move(variants);
    return e;
  }
  Entry list_of(std::string name, std::string doc, std::vector<Entry> item_children)
  {
    Entry e;
    e.kind     = Entry::Kind::list;
    e.name     = std::move(name);
    e.doc      = std::move(doc);
    e.children = std::move(item_children);
    e.default_text = "[]";
    return e;
  }

  std::string did_you_mean(const std::string &word, const std::vector<std::string> &candidates)
  {
    auto lower = [](std::string s) {
      std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
      return s;
    };
    // Damerau-Levenshtein (optimal string alignment) distance: a transposition is one edit.
    auto distance = [](const std::string &a, const std::string &b) {
      const std::size_t n = a.size(), m = b.size();
      std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
      for (std::size_t i = 0; i <= n; ++i)
        d[i][0] = i;
      for (std::size_t j = 0; j <= m; ++j)
        d[0][j] = j;
      for (std::size_t i = 1; i <= n; ++i)
        for (std::size_t j = 1; j <= m; ++j)
          {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
              d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
          }
      return d[n][m];
    };
    const std::string w    = lower(word);
    std::string       best;
    std::size_t       best_d = std::max<std::size_t>(2, w.size() / 3) + 1;
    for (const auto &c : candidates)
      {
        const std::string lc = lower(c);
        std::size_t       d  = distance(w, lc);
        // A candidate that contains the word (or vice versa) is a likely intent too: "lj" -> "lj_cut".
        if (d >= best_d && w.size() >= 2 && (lc.find(w) == 0 || w.find(lc) == 0))
          d = best_d - 1;
        if (d < best_d)
          {
            best_d = d;
            best   = c;
          }
      }
    return best;
  }

  namespace
  {
    std::string default_column(const Entry &e)
    {
      if (e.required)
        return "required";
      if (!e.default_by_units.empty())
        {
          std::vector<std::string> parts;
          for (const auto &[u, v] : e.default_by_units)
            parts.push_back(fmt::format("`{}` ({})", v, u));
          return join(parts, ", ");
        }
      if (!e.default_text.empty())
        return "`" + e.default_text + "`";
      return "optional";
    }

    std::string md_escape(std::string s)
    {
      std::string out;
      for (char c : s)
        out += c == '|' ? std::string("\\|") : std::string(1, c);
      return out;
    }

    std::string unit_column(const Entry &e)
    {
      if (e.quantity == Quantity::none)
        return "";
      return fmt::format("{} ({} / {})", quantity_name(e.quantity), unit_symbol(UnitSystem::metal, e.quantity),
                         unit_symbol(UnitSystem::lj, e.quantity));
    }

    std::string allowed_column(const Entry &e)
    {
      // The expectation text without the unit suffix; `dimension` is written symbolically.
      std::string s;
      switch (e.shape)
        {
          case Shape::scalar: s = scalar_description(e); break;
          case Shape::vector_dim: s = "list of `dimension` " + plural_description(e); break;
          case Shape::list: s = "list of " + plural_description(e); break;
          case Shape::matrix3: s = "3×3 integers"; break;
        }
      if (e.shape == Shape::vector_dim && (e.min || e.max))
        {
          std::string b = scalar_description(e);
          s += ", each " + b.substr(b.find(' ', 2) + 1);
        }
      if (e.allow_auto)
        s += ", or `auto`";
      return s;
    }

    void markdown_rows(const Entry &section, const std::string &prefix, std::ostringstream &out,
                       const std::string &condition);

    /// @param condition the style that adds this section ("`style: langevin`"), or empty.
    void markdown_section(const Entry &sec, const std::string &path, std::ostringstream &out,
                          const std::string &condition)
    {
      std::vector<std::string> notes;
      if (sec.optional)
        notes.emplace_back("optional section");
      if (!condition.empty())
        notes.push_back("with " + condition);
      out << "\n## `" << path << "`" << (notes.empty() ? "" : " (" + join(notes, ", ") + ")") << "\n\n"
          << sec.doc << "\n\n";
      out << "| key | allowed values | unit | default | description |\n|---|---|---|---|---|\n";
      markdown_rows(sec, path, out, "");
      for (const auto &[style, keys] : sec.variants)
        markdown_rows(section("", "", keys), path, out, "`style: " + style + "`: ");
      // Sub-sections get their own tables, those a style adds (e.g. md.thermostat.region) included.
      for (const auto &c : sec.children)
        if (c.kind != Entry::Kind::value)
          markdown_section(c, path + "." + c.name + (c.kind == Entry::Kind::list ? "[i]" : ""), out, "");
      for (const auto &[style, keys] : sec.variants)
        for (const auto &c : keys)
          if (c.kind != Entry::Kind::value)
            markdown_section(c, path + "." + c.name + (c.kind == Entry::Kind::list ? "[i]" : ""), out,
                             "`style: " + style + "`");
    }

    void markdown_rows(const Entry &sec, const std::string &prefix, std::ostringstream &out,
                       const std::string &condition)
    {
      for (const auto &c : sec.children)
        {
          const std::string key = prefix.empty() ? c.name : prefix + "." + c.name;
          if (c.kind == Entry::Kind::value)
            out << "| `" << key << "` | " << md_escape(allowed_column(c)) << " | " << unit_column(c)
                << " | " << md_escape(default_column(c)) << " | " << condition << md_escape(c.doc) << " |\n";
          else
            out << "| `" << key << (c.kind == Entry::Kind::list ? "[i]" : "") << "` | "
                << (c.kind == Entry::Kind::list ? "list of sections" : "section") << " |  | "
                << (c.optional ? "optional" : (c.kind == Entry::Kind::list ? "`[]`" : "")) << " | "
                << condition << md_escape(c.doc) << " (see below) |\n";
        }
    }
  } // namespace

  std::string schema_markdown()
  {
    const Entry       &root = deck_schema();
    std::ostringstream out;
    out << "# seam deck reference\n\n"
        << "Generated by `seam schema`; do not edit by hand (a test compares this file with the "
           "program's output). Units: the first symbol is for `units: metal`, the second for `units: lj`. "
           "Expressions are muparser strings in the reference coordinates `x`, `y`, `z` and time `t`. A "
           "key that is not listed here is an input error.\n\n"
        << "## Top level\n\n| key | allowed values | unit | default | description |\n|---|---|---|---|---|\n";
    markdown_rows(root, "", out, "");
    for (const auto &c : root.children)
      if (c.kind != Entry::Kind::value)
        markdown_section(c, c.name, out, "");
    return out.str();
  }
} // namespace seam::config
