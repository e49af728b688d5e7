// Atoms whose coordination changed.
#include "md/fix/coordination_change.h"

#include "config/deck.h"
#include "md/atoms.h"
#include "md/fix/registry.h"
#include "md/md_system.h"

namespace seam::md
{
  CoordinationChange::CoordinationChange(MdSystem &system)
    : sys_(system)
  {
    Atoms &atoms = sys_.atoms();
    start_       = atoms.find_extra("coordination0");
    if (start_ < 0)
      start_ = atoms.add_extra("coordination0", 1);
    const std::vector<double> c = sys_.output_coordination(); // collective
    auto                     &s = atoms.extra(start_);
    for (LocalIndex i = 0; i < atoms.n_owned(); ++i)
      s[i] = c[i];
  }

  void CoordinationChange::post_force(Atoms &atoms, std::int64_t, bool want_energy)
  {
    if (!want_energy)
      return;
    const std::vector<double> c = sys_.output_coordination(); // collective: want_energy is the same everywhere
    const auto               &s = atoms.extra(start_);
    double                    n = 0;
    for (LocalIndex i = 0; i < atoms.n_owned(); ++i)
      n += c[i] != s[i] ? 1.0 : 0.0;
    changed_ = n;
  }

  std::unique_ptr<Fix> CoordinationChange::from_deck(const FixContext &ctx)
  {
    const config::Deck &d = ctx.deck;
    if (!ctx.system.has_lattice() || !(d.has("md.indenter") || !ctx.system.params().cuts.empty()))
      return nullptr;
    return std::make_unique<CoordinationChange>(ctx.system);
  }
} // namespace seam::md
