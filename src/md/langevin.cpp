// Langevin thermostat with counter-based random numbers and a work tally.
#include "md/langevin.h"

#include <unordered_map>

#include "md/atoms.h"
#include "md/counter_rng.h"
#include "md/fix/registry.h"
#include "md/md_system.h"
#include "config/deck.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace seam::md
{
  Langevin::Langevin(const LangevinParams &params, double mass, double dt, const UnitConstants &units,
                     int dimension)
    : params_(params), dt_(dt), dimension_(dimension)
  {
    if (!(params.temperature >= 0) || !(params.damping > 0) || !(mass > 0) || !(dt > 0))
      throw std::invalid_argument("langevin thermostat: need temperature >= 0 and damping > 0, got temperature " +
                                  std::to_string(params.temperature) + ", damping " +
                                  std::to_string(params.damping));
    if (params.region)
      for (int d = 0; d < dimension; ++d)
        if (!(params.region->hi[d] > params.region->lo[d]))
          throw std::invalid_argument("langevin thermostat: region hi must exceed lo on axis " + std::to_string(d));
    gamma1_ = -mass / params.damping / units.ftm2v;
    gamma2_ = std::sqrt(mass) *
              std::sqrt(24.0 * units.boltzmann * params.temperature / (params.damping * dt * units.mvv2e)) /
              units.ftm2v;
  }

  std::vector<config::Entry> Langevin::keys()
  {
    config::Entry region = config::section(
      "region", "only atoms currently inside this box are thermostatted; omit for all atoms",
      {config::real_vector("lo", Quantity::length, "lower corner").req(),
       config::real_vector("hi", Quantity::length, "upper corner (each component > lo)").req()});
    region.optional = true;
    return {config::real("temperature", Quantity::temperature, "target temperature").at_least(0).req(),
            config::real("damping", Quantity::time, "relaxation time").above(0).req(),
            config::integer("seed", "random seed").at_least(1).def("12345"), std::move(region)};
  }

  std::unique_ptr<Fix> Langevin::from_deck(const FixContext &ctx)
  {
    const config::Deck &d = ctx.deck;
    if (!d.has("md.thermostat"))
      return nullptr;
    LangevinParams lp;
    lp.temperature = d.real("md.thermostat.temperature");
    lp.damping     = d.real("md.thermostat.damping");
    lp.seed        = static_cast<std::uint64_t>(d.integer("md.thermostat.seed"));
    if (d.has("md.thermostat.region"))
      {
        LangevinParams::Box box;
        const auto lo = d.reals("md.thermostat.region.lo"), hi = d.reals("md.thermostat.region.hi");
        for (int a = 0; a < d.dimension(); ++a)
          {
            box.lo[a] = lo[a];
            box.hi[a] = hi[a];
          }
        lp.region = box;
      }
    const MdSystemParams &p = ctx.system.params();
    return std::make_unique<Langevin>(lp, p.mass, p.time_step, unit_constants(p.units), p.dimension);
  }

  void Langevin::save_state(StateOut &out) const
  {
    out.put("work", std::vector<double>{work_});
    std::vector<double> g(3 * g_.size());
    for (std::size_t i = 0; i < g_.size(); ++i)
      for (int a = 0; a < 3; ++a)
        g[3 * i + a] = g_[i][a];
    out.put("force", g);
    out.put("id", ids_);
  }

  void Langevin::load_state_redistributed(const StateIn &in, const Atoms &atoms)
  {
    // The work tally to the lead reader; each atom's remembered force by its id.
    work_ = 0.0;
    if (in.reader() == 0)
      for (double w : in.all_doubles("work"))
        work_ += w;
    const auto g  = in.all_doubles("force");
    const auto id = in.all_int64("id");
    std::unordered_map<std::int64_t, std::size_t> at;
    for (std::size_t k = 0; k < id.size(); ++k)
      at.emplace(id[k], k);
    g_.assign(static_cast<std::size_t>(atoms.n_owned()), Vec3{});
    ids_.assign(g_.size(), 0);
    for (LocalIndex i = 0; i < atoms.n_owned(); ++i)
      {
        ids_[i]       = atoms.id()[i];
        const auto it = at.find(atoms.id()[i]);
        if (it != at.end())
          for (int a = 0; a < 3; ++a)
            g_[i][a] = g[3 * it->second + a];
      }
  }

  void Langevin::load_state(const StateIn &in)
  {
    const auto w = in.get_doubles("work");
    work_        = w.empty() ? 0.0 : w[0];
    const auto g = in.get_doubles("force");
    g_.assign(g.size() / 3, Vec3{});
    for (std::size_t i = 0; i < g_.size(); ++i)
      for (int a = 0; a < 3; ++a)
        g_[i][a] = g[3 * i + a];
    ids_.clear();
    if (in.has("id"))
      for (auto i : in.get_int64("id"))
        ids_.push_back(i);
  }

  void Langevin::apply(Atoms &atoms, std::int64_t step)
  {
    const LocalIndex n = atoms.n_owned();
    const auto      &x = atoms.x();
    const auto      &v = atoms.v();
    auto            &f = atoms.f();
    const auto      &id = atoms.id();
    const bool       scaled = atoms.weighted();
    const double    *ms     = scaled ? atoms.mass_scale().data() : nullptr;
    g_.assign(static_cast<std::size_t>(n), Vec3{});
    ids_.assign(id.begin(), id.begin() + n);
    const std::uint64_t step_key = splitmix64(params_.seed ^ splitmix64(static_cast<std::uint64_t>(step)));
    for (LocalIndex i = 0; i < n; ++i)
      {
        if (params_.region)
          {
            bool inside = true;
            for (int d = 0; d < dimension_; ++d)
              inside = inside && x[i][d] >= params_.region->lo[d] && x[i][d] < params_.region->hi[d];
            if (!inside)
              continue;
          }
        std::uint64_t key = splitmix64(step_key ^ static_cast<std::uint64_t>(id[i]));
        // Scaled mass m s: friction ~ m s, noise amplitude ~ sqrt(m s).
        double g1 = gamma1_, g2 = gamma2_;
        if (scaled)
          {
            g1 *= ms[i];
            g2 *= std::sqrt(ms[i]);
          }
        for (int d = 0; d < dimension_; ++d)
          {
            key            = splitmix64(key);
            const double u = unit_uniform(key);
            const double g = g1 * v[i][d] + g2 * (u - 0.5);
            g_[i][d]       = g;
            f[i][d] += g;
          }
      }
  }

  double Langevin::power(const Atoms &atoms) const
  {
    if (g_.size() != static_cast<std::size_t>(atoms.n_owned()))
      return 0.0; // no apply() since the atoms changed: no thermostat force in this kick
    const auto &v = atoms.v();
    double      s = 0.0;
    for (std::size_t i = 0; i < g_.size(); ++i)
      s += g_[i][0] * v[i][0] + g_[i][1] * v[i][1] + g_[i][2] * v[i][2];
    return s;
  }

  void Langevin::begin_kick(const Atoms &atoms) { p_before_ = power(atoms); }

  void Langevin::end_kick(const Atoms &atoms) { work_ += 0.25 * dt_ * (p_before_ + power(atoms)); }
} // namespace seam::md
