// Time windows and exchange points of the coupling schemes, and their registry.
#include "coupling/coupling_scheme.h"

#include "config/schema.h"
#include "coupling/band_damping.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <stdexcept>
#include <utility>

namespace seam::coupling
{
  CouplingScheme::CouplingScheme(long substeps, double dt_md)
    : substeps_(substeps), dt_md_(dt_md), dt_fe_(static_cast<double>(substeps) * dt_md)
  {
    if (substeps < 1)
      throw std::invalid_argument("coupling scheme: substeps must be >= 1, got " + std::to_string(substeps));
  }

  void CouplingScheme::set_substeps(long substeps)
  {
    if (substeps < 1)
      throw std::invalid_argument("coupling scheme: substeps must be >= 1, got " + std::to_string(substeps));
    substeps_ = substeps;
    dt_fe_    = static_cast<double>(substeps) * dt_md_;
    tabulate();
  }

  long CouplingScheme::auto_substeps(double stable, double dt_md, long multiple_of, double safety)
  {
    const double ratio = safety * stable / dt_md;
    const long   n_max = ratio >= 1e9 ? 1000000000L : std::max(1L, static_cast<long>(std::floor(ratio)));
    if (multiple_of <= 0)
      return n_max;
    for (long n = std::min(n_max, multiple_of); n > 1; --n)
      if (multiple_of % n == 0)
        return n;
    return 1;
  }

  void CouplingScheme::tabulate()
  {
    segment_.assign(static_cast<std::size_t>(substeps_) + 1, 0.0);
    long previous = 0;
    for (long k : exchange_points())
      {
        if (k <= previous || k > substeps_)
          throw std::logic_error("coupling scheme " + name() + ": exchange points must increase within [1, substeps]");
        // (k - previous) dt_md: for one exchange per window this is exactly dt_fe (same product).
        segment_[static_cast<std::size_t>(k)] = static_cast<double>(k - previous) * dt_md_;
        previous                              = k;
      }
    if (previous != substeps_)
      throw std::logic_error("coupling scheme " + name() + ": the last exchange point must close the window");
  }

  bool CouplingScheme::exchanges_after(std::int64_t step_done) const { return segment(step_done) > 0.0; }

  double CouplingScheme::segment(std::int64_t step_done) const
  {
    const auto k = static_cast<std::size_t>((step_done - 1) % substeps_ + 1);
    return segment_[k];
  }

  std::vector<long> RespaScheme::exchange_points() const
  {
    std::vector<long> k(static_cast<std::size_t>(substeps()));
    for (long i = 0; i < substeps(); ++i)
      k[static_cast<std::size_t>(i)] = i + 1;
    return k;
  }

  namespace
  {
    using Factory = std::function<std::unique_ptr<CouplingScheme>(long, double)>;
    struct Entry
    {
      std::string name, doc;
      Factory     make;
    };
    template <typename Scheme>
    Entry entry(const std::string &name, const std::string &doc)
    {
      return {name, doc, [](long n, double dt) { return std::make_unique<Scheme>(n, dt); }};
    }
    const std::vector<Entry> &registry()
    {
      static const std::vector<Entry> list = {
        entry<RespaScheme>("md_step", "the constraint holds at every MD substep, the FE band drifting with the atoms "
                                      "between FE force kicks: multiple time stepping with constraints, energy-conserving"),
        entry<WindowScheme>("fe_step", "one correction per FE step: cheaper exchange, energy error grows with "
                                       "substeps (see README)"),
      };
      return list;
    }
  } // namespace

  std::unique_ptr<CouplingScheme> create_coupling_scheme(const std::string &name, long substeps, double dt_md)
  {
    for (const Entry &e : registry())
      if (e.name == name)
        return e.make(substeps, dt_md);
    std::string known;
    for (const Entry &e : registry())
      known += (known.empty() ? "" : ", ") + e.name;
    throw std::invalid_argument("unknown coupling scheme '" + name + "' (known: " + known + ")");
  }

  std::vector<std::string> coupling_scheme_names()
  {
    std::vector<std::string> names;
    for (const Entry &e : registry())
      names.push_back(e.name);
    return names;
  }

  void register_coupling_keys()
  {
    static const bool registered = [] {
      std::vector<std::pair<std::string, std::string>> schemes;
      for (const Entry &e : registry())
        schemes.emplace_back(e.name, e.doc);
      config::register_choices("coupling.constrain_every", std::move(schemes));
      config::register_choices("coupling.damping.style", band_damping_styles());
      return true;
    }();
    (void)registered;
  }
} // namespace seam::coupling
