// Fixes created from the deck by style (key = class = file), registered in one place; a new loading,
// wall or thermostat is one new file plus one line in registry.cpp (or a register_fix_style() call).
#pragma once

#include "config/schema.h"
#include "md/fix.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace seam::config
{
  class Deck;
}

namespace seam::md
{
  class MdSystem;

  /// What a fix factory may read: the validated deck and the MD system it will act on.
  struct FixContext
  {
    const config::Deck &deck;
    MdSystem           &system;
  };

  /// Creates the fix from the deck, or returns null when the deck does not ask for it (e.g. its
  /// section is absent). @throws InputError (through Deck::fail) on values only it can judge.
  using FixFactory = std::function<std::unique_ptr<Fix>(const FixContext &)>;

  /// Where a fix style reads its deck keys: the styled section `section` (e.g. "md.thermostat") with
  /// `style: name`, its one-line summary and the keys it adds (declared once, in the fix's own file).
  struct FixKeys
  {
    std::string                  section;
    std::string                  summary;
    std::vector<config::Entry> (*keys)() = nullptr;
    std::string                  section_doc; ///< doc of the section (given by one of its styles)
  };

  /// Registers a fix style after the built-in ones (for plug-ins and tests: a static
  /// `const bool registered = register_fix_style(...)` in the fix's own file). Returns true. A style
  /// with `keys` joins the deck schema through register_fix_keys() (so register before that).
  /// @throws std::invalid_argument if the name is taken.
  bool register_fix_style(const std::string &name, FixFactory factory, FixKeys keys = {});

  /// Registers the deck keys of every fix style with the schema (config::register_styles), grouped by
  /// section in registry order. Call at start-up (idempotent), before the deck schema is first used (seam's
  /// main does).
  void register_fix_keys();

  /// The registered style names, built-ins first, in the order add_deck_fixes() creates them.
  std::vector<std::string> fix_style_names();

  /// Appends to `system` every fix the deck asks for, in registry order. Returns how many. Not collective
  /// (every rank gets the same verdict from the same deck).
  int add_deck_fixes(const config::Deck &deck, MdSystem &system);
} // namespace seam::md
