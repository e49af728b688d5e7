// The one place potentials are registered.
#include "md/potential/registry.h"

#include "md/potential/eam.h"
#include "md/potential/harmonic.h"
#include "md/potential/lj_cut.h"
#include "md/potential/morse.h"

#include <functional>
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

  namespace
  {
    struct Entry
    {
      std::string                                                          style;
      std::vector<std::string>                                             keys;
      std::function<std::unique_ptr<Potential>(const PotentialParams &)> make;
      bool                                                                 uses_file    = false;
      bool                                                                 uses_element = false;
    };

    std::string need_file(const std::string &style, const PotentialParams &p)
    {
      if (p.file.empty())
        throw std::invalid_argument("potential style '" + style + "' needs a potential file ('file')");
      return p.file;
    }

    const std::vector<Entry> &registry()
    {
      static const std::vector<Entry> entries{
        {"lj_cut",
         {"epsilon", "sigma", "cutoff"},
         [](const PotentialParams &p) {
           return std::make_unique<LjCut>(LjCut::Params{p.get("lj_cut", "epsilon"),
                                                        p.get("lj_cut", "sigma"),
                                                        p.get("lj_cut", "cutoff")});
         }},
        {"morse",
         {"d0", "alpha", "r0", "cutoff"},
         [](const PotentialParams &p) {
           return std::make_unique<Morse>(Morse::Params{p.get("morse", "d0"), p.get("morse", "alpha"),
                                                        p.get("morse", "r0"), p.get("morse", "cutoff")});
         }},
        {"harmonic",
         {"k", "r0", "bond_cutoff", "cutoff"},
         [](const PotentialParams &p) {
           return std::make_unique<Harmonic>(Harmonic::Params{p.get("harmonic", "k"),
                                                              p.get("harmonic", "r0"),
                                                              p.get_or("bond_cutoff", 0.0),
                                                              p.get_or("cutoff", 0.0)});
         }},
        {"eam",
         {},
         [](const PotentialParams &p) {
           return std::make_unique<Eam>(Eam::Format::funcfl, need_file("eam", p));
         },
         true,
         false},
        {"eam_alloy",
         {},
         [](const PotentialParams &p) {
           return std::make_unique<Eam>(Eam::Format::setfl, need_file("eam_alloy", p), p.element);
         },
         true,
         true},
      };
      return entries;
    }
  } // namespace

  std::vector<std::string> known_potential_styles()
  {
    std::vector<std::string> names;
    for (const auto &e : registry())
      names.push_back(e.style);
    return names;
  }

  std::unique_ptr<Potential> create_potential(const std::string &style, const PotentialParams &params)
  {
    for (const auto &e : registry())
      {
        if (e.style != style)
          continue;
        const std::set<std::string> allowed(e.keys.begin(), e.keys.end());
        for (const auto &kv : params.values)
          if (!allowed.count(kv.first))
            throw std::invalid_argument("potential style '" + style + "' has no parameter '" +
                                        kv.first + "'");
        if (!e.uses_file && !params.file.empty())
          throw std::invalid_argument("potential style '" + style + "' takes no file (got '" +
                                      params.file + "')");
        if (!e.uses_element && !params.element.empty())
          throw std::invalid_argument("potential style '" + style + "' takes no element (got '" +
                                      params.element + "'); only eam_alloy selects an element");
        return e.make(params);
      }
    std::string known;
    for (const auto &n : known_potential_styles())
      known += (known.empty() ? "" : ", ") + n;
    throw std::invalid_argument("unknown potential style '" + style + "'; known styles: " + known);
  }
} // namespace seam::md
