// The one place potentials are registered: one line per style.
#include "md/potential/registry.h"

#include "config/deck.h"
#include "md/potential/eam.h"
#include "md/potential/harmonic.h"
#include "md/potential/lj_cut.h"
#include "md/potential/morse.h"

#include <fmt/format.h>

#include <set>
#include <stdexcept>
#include <utility>

namespace seam::md
{
  double PotentialParams::get(const std::string &style, const std::string &key) const
  {
    const auto it = values.find(key);
    if (it == values.end())
      throw std::invalid_argument("potential style '" + style + "' needs parameter '" + key + "'");
    return it->second;
  }

  double PotentialParams::get_or(const std::string &key, double fallback) const
  {
    const auto it = values.find(key);
    return it == values.end() ? fallback : it->second;
  }

  const std::vector<PotentialStyle> &potential_styles()
  {
    static const std::vector<PotentialStyle> styles{
      {"lj_cut", "", LjCut::keys, LjCut::create},
      {"morse", "", Morse::keys, Morse::create},
      {"harmonic", "nearest-neighbour springs", Harmonic::keys, Harmonic::create, Harmonic::auto_value, {"bond_cutoff", "cutoff"}},
      {"eam", "funcfl file", Eam::funcfl_keys, Eam::create_funcfl},
      {"eam_alloy", "setfl file", Eam::setfl_keys, Eam::create_setfl},
    };
    return styles;
  }

  namespace
  {
    const PotentialStyle *find_style(const std::string &name)
    {
      for (const auto &s : potential_styles())
        if (s.name == name)
          return &s;
      return nullptr;
    }

    bool declares(const PotentialStyle &style, const std::string &key)
    {
      for (const auto &k : style.keys())
        if (k.name == key)
          return true;
      return false;
    }

    /// Every value, the file and the element of `params` must be a parameter of `style`.
    void check_known(const PotentialStyle &style, const PotentialParams &params)
    {
      std::set<std::string> allowed(style.code_only.begin(), style.code_only.end());
      for (const auto &k : style.keys())
        if (k.type == config::ValueType::real)
          allowed.insert(k.name);
      for (const auto &kv : params.values)
        if (!allowed.count(kv.first))
          throw std::invalid_argument("potential style '" + style.name + "' has no parameter '" + kv.first + "'");
      if (!declares(style, "file") && !params.file.empty())
        throw std::invalid_argument("potential style '" + style.name + "' takes no file (got '" + params.file + "')");
      if (!declares(style, "element") && !params.element.empty())
        throw std::invalid_argument("potential style '" + style.name + "' takes no element (got '" +
                                    params.element + "'); only eam_alloy selects an element");
    }
  } // namespace

  std::vector<std::string> known_potential_styles()
  {
    std::vector<std::string> names;
    for (const auto &s : potential_styles())
      names.push_back(s.name);
    return names;
  }

  void register_potential_keys()
  {
    static const bool registered = [] {
      std::vector<config::StyleKeys> styles;
      for (const auto &s : potential_styles())
        styles.push_back({s.name, s.summary, s.keys()});
      config::register_styles("md.potential", std::move(styles));
      return true;
    }();
    (void)registered;
  }

  PotentialParams potential_params(const config::Deck &deck, const Lattice &lattice)
  {
    return potential_params(deck, &lattice);
  }

  PotentialParams potential_params(const config::Deck &deck, const Lattice *lattice)
  {
    const std::string     name  = deck.string("md.potential.style");
    const PotentialStyle *style = find_style(name);
    if (!style)
      throw std::logic_error("internal: the validated deck has the unregistered potential style '" + name + "'");
    PotentialParams p;
    for (const auto &key : style->keys())
      {
        const std::string path = "md.potential." + key.name;
        if (!deck.has(path))
          continue;
        if (key.type == config::ValueType::real && deck.is_auto(path))
          {
            if (!style->auto_value)
              throw std::logic_error("internal: potential style '" + name + "' declares " + key.name +
                                     " with auto but registers no auto_value");
            if (!lattice)
              deck.fail(path, fmt::format("{} is auto, which takes its value from the lattice, but the atoms come "
                                          "from a data file (md.lattice.style: data)", path),
                        "a number", fmt::format("give {} a value", path));
            p.values[key.name] = style->auto_value(key.name, *lattice);
          }
        else if (key.type == config::ValueType::real)
          p.values[key.name] = deck.real(path);
        else if (key.name == "file")
          p.file = deck.string(path);
        else if (key.name == "element")
          p.element = deck.string(path);
        else
          throw std::logic_error("internal: potential key " + path + " has no place in PotentialParams");
      }
    return p;
  }

  std::unique_ptr<Potential> create_potential(const std::string &style, const PotentialParams &params)
  {
    if (const PotentialStyle *s = find_style(style))
      {
        check_known(*s, params);
        return s->create(params);
      }
    std::string known;
    for (const auto &n : known_potential_styles())
      known += (known.empty() ? "" : ", ") + n;
    throw std::invalid_argument("unknown potential style '" + style + "'; known styles: " + known);
  }
} // namespace seam::md
