// The fix registry: one line per built-in style.
#include "md/fix/registry.h"

#include "md/fix/coordination_change.h"
#include "md/fix/crack_tip.h"
#include "md/fix/indenter.h"
#include "md/langevin.h"
#include "md/md_system.h"

#include <map>
#include <stdexcept>
#include <utility>

namespace seam::md
{
  namespace
  {
    struct Style
    {
      std::string name;
      FixFactory  create;
      FixKeys     keys;
    };

    std::vector<Style> &styles()
    {
      static std::vector<Style> list = {
        {"langevin", Langevin::from_deck, {"md.thermostat", "", Langevin::keys, ""}},
        {"cylinder", [](const FixContext &c) { return Indenter::from_deck(c, IndenterShape::cylinder); },
         {"md.indenter", "axis along z; a disc in 2D", Indenter::keys_round,
          "optional rigid indenter (LAMMPS fix indent): F(r) = K (R - r)^2 on atoms within R of the centre; "
          "thermo columns indent_force_*, indent_depth"}},
        {"sphere", [](const FixContext &c) { return Indenter::from_deck(c, IndenterShape::sphere); },
         {"md.indenter", "3D (a disc in 2D)", Indenter::keys_round, ""}},
        {"flat", [](const FixContext &c) { return Indenter::from_deck(c, IndenterShape::flat); },
         {"md.indenter", "the half-space above a plane normal to the last axis", Indenter::keys_flat, ""}},
        {"crack_tip", CrackTip::from_deck, {}}, // automatic with md.cut or a k_field: thermo columns only
        {"coordination_change", CoordinationChange::from_deck, {}}, // automatic with md.indenter or md.cut
      };
      return list;
    }
  } // namespace

  bool register_fix_style(const std::string &name, FixFactory factory, FixKeys keys)
  {
    for (const Style &s : styles())
      if (s.name == name)
        throw std::invalid_argument("fix style '" + name + "' is registered twice");
    styles().push_back({name, std::move(factory), std::move(keys)});
    return true;
  }

  void register_fix_keys()
  {
    static const bool registered = [] {
      std::map<std::string, std::vector<config::StyleKeys>> sections;
      std::map<std::string, std::string>                    docs;
      for (const Style &s : styles())
        if (s.keys.keys)
          {
            sections[s.keys.section].push_back({s.name, s.keys.summary, s.keys.keys()});
            if (!s.keys.section_doc.empty())
              docs[s.keys.section] = s.keys.section_doc;
          }
      for (auto &[section, list] : sections)
        config::register_styles(section, std::move(list), docs[section]);
      return true;
    }();
    (void)registered;
  }

  std::vector<std::string> fix_style_names()
  {
    std::vector<std::string> names;
    for (const Style &s : styles())
      names.push_back(s.name);
    return names;
  }

  int add_deck_fixes(const config::Deck &deck, MdSystem &system)
  {
    int n = 0;
    for (const Style &s : styles())
      if (auto fix = s.create(FixContext{deck, system}))
        {
          system.add_fix(std::move(fix));
          ++n;
        }
    return n;
  }
} // namespace seam::md
