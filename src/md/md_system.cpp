// The MD engine assembled from plain parameters.
#include "md/md_system.h"

#include "base/error.h"
#include "md/counter_rng.h"
#include "md/fix/dead_load.h"
#include "md/thermo.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace seam::md
{
  namespace
  {
    /// Uniform in (0, 1] from a 64-bit state.
    double uniform(std::uint64_t &state)
    {
      state = splitmix64(state);
      return (double((state >> 11) + 1)) * 0x1.0p-53;
    }

    /// Maxwell-Boltzmann velocity components of standard deviation sd on the first `dim` axes for atom
    /// `id`, a pure function of (seed, id) (Box-Muller: two normals per pair of uniforms).
    Vec3 normal_velocity(std::uint64_t seed, GlobalId id, int dim, double sd)
    {
      std::uint64_t state = splitmix64(seed ^ splitmix64(static_cast<std::uint64_t>(id)));
      Vec3          v{};
      for (int d = 0; d < dim; d += 2)
        {
          const double u1 = uniform(state), u2 = uniform(state);
          const double r  = std::sqrt(-2.0 * std::log(u1));
          v[d] = sd * r * std::cos(2.0 * M_PI * u2);
          if (d + 1 < dim)
            v[d + 1] = sd * r * std::sin(2.0 * M_PI * u2);
        }
      return v;
    }

    std::unique_ptr<Potential> make_potential(const MdSystemParams &p)
    {
      return create_potential(p.potential_style, p.potential);
    }
  } // namespace

  const char *MdTimings::name(int section)
  {
    static constexpr const char *names[n_sections] = {"pair",    "neigh",  "check",  "exchange", "borders", "forward",
                                                      "reverse", "pcomm",  "modify", "reduce",   "sync"};
    return section >= 0 && section < n_sections ? names[section] : "?";
  }

  double MdTimings::sections_seconds() const
  {
    double sum = 0;
    for (double s : seconds)
      sum += s;
    return sum;
  }

  MdSystem::MdSystem(const MdSystemParams &params, MPI_Comm md_comm)
    : params_(params)
    , constants_(unit_constants(params.units))
    , domain_(md_comm, params.region_lo, params.region_hi, params.periodic, params.dimension,
              params.processor_grid)
    , lattice_(params.explicit_atoms ? std::nullopt
                                     : std::optional<Lattice>(std::in_place, params.lattice_style,
                                                              params.lattice_constant, params.orientation,
                                                              params.dimension))
    , atoms_(params.mass)
    , halo_(domain_)
    , potential_(make_potential(params))
    , list_(potential_->cutoff(), params.skin)
    , integrator_(params.time_step, params.mass, constants_.ftm2v, params.dimension)
    , cuts_(params.cuts, params.dimension)
  {
    create_atoms();
    n_atoms_ = thermo::n_atoms(atoms_, domain_.comm());
    if (params.explicit_atoms && n_atoms_ != static_cast<std::int64_t>(params.explicit_atoms->id.size()))
      throw std::logic_error(fmt::format("internal: {} explicit atoms were given but the ranks took {}",
                                         params.explicit_atoms->id.size(), n_atoms_));
    assign_weights();
    if (params.neighbor_every < 1 || params.neighbor_delay < 0)
      throw std::invalid_argument("md neighbor check: need neighbor_every >= 1 and neighbor_delay >= 0, got " +
                                  std::to_string(params.neighbor_every) + " and " +
                                  std::to_string(params.neighbor_delay));
  }

  void MdSystem::build_list()
  {
    list_.build(atoms_, params_.dimension);
    if (cuts_.empty())
      return;
    // A pair is cut by its reference bond: X_i unwrapped, X_j = X_i + (x0_j - x0_i) (a ghost's x0 carries
    // the same periodic shift as its x, so the difference is the bond in the reference lattice).
    const Vec3  L     = domain_.length();
    const auto &x0    = atoms_.x0();
    const double reach = list_.radius();
    std::vector<Vec3> X(static_cast<std::size_t>(atoms_.n_owned()));
    for (LocalIndex i = 0; i < atoms_.n_owned(); ++i)
      X[i] = atoms_.reference_position(i, L);
    n_cut_pairs_ = list_.remove_pairs([&](LocalIndex i) { return cuts_.near(X[i], reach); },
                                      [&](LocalIndex i, LocalIndex j) {
                                        Vec3 Xj;
                                        for (int a = 0; a < 3; ++a)
                                          Xj[a] = X[i][a] + (x0[j][a] - x0[i][a]);
                                        return cuts_.cuts(X[i], Xj);
                                      });
  }

  const Lattice &MdSystem::lattice() const
  {
    if (!lattice_)
      throw std::logic_error("MdSystem::lattice: the atoms were given explicitly (md.lattice.style: data); there "
                             "is no lattice");
    return *lattice_;
  }

  bool MdSystem::deleted(const Vec3 &X) const
  {
    for (const auto &[lo, hi] : params_.deleted)
      {
        bool inside = true;
        for (int d = 0; d < params_.dimension; ++d)
          inside = inside && lo[d] <= X[d] && X[d] < hi[d];
        if (inside)
          return true;
      }
    return false;
  }

  void MdSystem::create_atoms()
  {
    const MdSystemParams &params = params_;
    const int             dim    = params.dimension;
    if (params.explicit_atoms)
      {
        const ExplicitAtoms &e = *params.explicit_atoms;
        for (std::size_t k = 0; k < e.id.size(); ++k)
          {
            Vec3               x     = e.x[k];
            std::array<int, 3> image = e.image.empty() ? std::array<int, 3>{0, 0, 0} : e.image[k];
            bool               mine  = true;
            for (int d = 0; d < dim; ++d)
              {
                if (params.periodic[d])
                  {
                    const double L = domain_.length()[d];
                    const double n = std::floor((x[d] - domain_.lo()[d]) / L);
                    x[d] -= n * L;
                    image[d] += static_cast<int>(n);
                    if (x[d] >= domain_.hi()[d]) // round-off: lo - tiny + L rounded up to hi
                      {
                        x[d] = domain_.lo()[d];
                        image[d] += 1;
                      }
                  }
                mine = mine && domain_.in_slab(d, x[d]);
              }
            for (int d = dim; d < 3; ++d)
              x[d] = 0;
            if (mine && !deleted(e.x[k]))
              atoms_.add_owned(e.id[k], x, x, e.v.empty() ? Vec3{} : e.v[k], image);
          }
        return;
      }

    const Lattice &lattice = *lattice_;
    for (int d = 0; d < dim; ++d)
      if (params.periodic[d])
        {
          const double n = domain_.length()[d] / lattice.period(d);
          if (std::abs(n - std::round(n)) > 1e-9 * std::max(1.0, n) || std::round(n) < 1)
            throw std::invalid_argument(
              "md.region: length " + std::to_string(domain_.length()[d]) + " along periodic axis " +
              std::to_string(d) + " is " + std::to_string(n) + " lattice periods of " +
              std::to_string(lattice.period(d)) + "; it must be a whole number (e.g. " +
              std::to_string(std::max(1.0, std::round(n)) * lattice.period(d)) + ")");
        }

    // Global cell index ranges of the region, for decomposition-independent ids.
    const double              tol = lattice.tolerance();
    std::array<std::int64_t, 3> n_lo{0, 0, 0}, n_count{1, 1, 1};
    for (int d = 0; d < dim; ++d)
      {
        const double P = lattice.period(d);
        n_lo[d]    = static_cast<std::int64_t>(std::floor((params.region_lo[d] - tol) / P)) - 1;
        n_count[d] = static_cast<std::int64_t>(std::floor((params.region_hi[d] - tol) / P)) + 2 - n_lo[d];
      }
    Vec3 sub_lo{}, sub_hi{};
    for (int d = 0; d < dim; ++d)
      {
        sub_lo[d] = domain_.sub_lo(d);
        sub_hi[d] = domain_.sub_hi(d);
      }
    const std::int64_t nb = lattice.n_cell_sites();
    for (const LatticeSite &s : lattice.indexed_sites_in_box(sub_lo, sub_hi))
      {
        if (deleted(s.x))
          continue;
        const std::int64_t cell =
          (s.cell[0] - n_lo[0]) + n_count[0] * ((s.cell[1] - n_lo[1]) + n_count[1] * (s.cell[2] - n_lo[2]));
        atoms_.add_owned(1 + s.basis + nb * cell, s.x, s.x, Vec3{});
      }
  }

  void MdSystem::assign_weights()
  {
    if (!params_.weight)
      return;
    if (!(params_.mass_floor > 0.0 && params_.mass_floor <= 1.0))
      throw std::invalid_argument("md weights: mass_floor must be in (0, 1], got " +
                                  std::to_string(params_.mass_floor));
    atoms_.set_weighted(true);
    // The verdict must be the same on every rank: reduce the extreme values before judging.
    const double inf      = std::numeric_limits<double>::infinity();
    double       range[2] = {-inf, -inf}; // {-min, max}
    int    n_nan    = 0;
    for (LocalIndex i = 0; i < atoms_.n_owned(); ++i)
      {
        const double a = params_.weight(atoms_.x0()[i]);
        if (std::isnan(a))
          ++n_nan;
        range[0]                = std::max(range[0], -a);
        range[1]                = std::max(range[1], a);
        atoms_.weight()[i]      = a;
        atoms_.mass_scale()[i]  = std::max(a, params_.mass_floor);
      }
    double total[2];
    int    nan_total = 0;
    MPI_Allreduce(range, total, 2, MPI_DOUBLE, MPI_MAX, domain_.comm());
    MPI_Allreduce(&n_nan, &nan_total, 1, MPI_INT, MPI_SUM, domain_.comm());
    if (nan_total > 0 || (n_atoms_ > 0 && (-total[0] < 0.0 || total[1] > 1.0)))
      throw std::invalid_argument("md weights: alpha(x0) must lie in [0, 1]; got values in [" +
                                  std::to_string(-total[0]) + ", " + std::to_string(total[1]) + "] and " +
                                  std::to_string(nan_total) + " NaN");
  }

  void MdSystem::setup()
  {
    halo_.exchange(atoms_);
    halo_.borders(atoms_, list_.radius());
    build_list();
    last_build_step_    = step_;
    previous_unchecked_ = false;
    compute_forces(true, step_, Clock::now());
  }

  void MdSystem::hold_clock(std::int64_t n)
  {
    clock_held_ = true;
    step_       = n - 1;
  }

  void MdSystem::release_clock()
  {
    if (clock_held_)
      ++step_;
    clock_held_ = false;
  }

  void MdSystem::set_integration_step(double dt)
  {
    integrator_ = VelocityVerlet(dt, params_.mass, constants_.ftm2v, params_.dimension);
  }

  void MdSystem::step(bool want_energy)
  {
    step_first_half();
    step_second_half(want_energy);
  }

  void MdSystem::step_first_half()
  {
    if (half_step_open_)
      throw std::logic_error("MdSystem::step_first_half: the previous first half was not closed by "
                             "step_second_half()");
    const Clock::time_point start = Clock::now();
    timing_                       = true;
    for_fixes(Fix::at_initial_integrate, [&](Fix &f) { f.initial_integrate(atoms_, step_); });
    integrator_.initial_integrate(atoms_);
    for_fixes(Fix::at_post_integrate, [&](Fix &f) { f.post_integrate(atoms_, step_); });
    half_step_open_ = true;
    const Clock::time_point end = stamp(MdTimings::modify, start);
    timings_.step_seconds += std::chrono::duration<double>(end - start).count();
    timing_ = false;
  }

  void MdSystem::step_second_half(bool want_energy)
  {
    if (!half_step_open_)
      throw std::logic_error("MdSystem::step_second_half: no step_first_half() to close");
    half_step_open_               = false;
    const Clock::time_point start = Clock::now();
    timing_                       = true;
    Clock::time_point t           = start;
    // Steps since the last build, counting this one; the same on every rank, so all or none check.
    const std::int64_t ago   = step_ + 1 - last_build_step_;
    const bool         check = clock_held_ || (ago >= params_.neighbor_delay && ago % params_.neighbor_every == 0);
    bool               rebuild = false;
    if (check)
      {
        t       = sync(t);
        rebuild = list_.needs_rebuild(atoms_, domain_.comm());
        t       = stamp(MdTimings::check, t);
      }
    if (rebuild)
      {
        if (previous_unchecked_)
          ++n_dangerous_;
        halo_.exchange(atoms_);
        t = stamp(MdTimings::exchange, t);
        t = sync(t);
        halo_.borders(atoms_, list_.radius());
        t = stamp(MdTimings::borders, t);
        build_list();
        t                   = stamp(MdTimings::neigh, t);
        last_build_step_    = step_ + 1;
        previous_unchecked_ = false;
      }
    else
      {
        // A passed check proves this step's list complete; an unchecked step may be stale.
        previous_unchecked_ = !check;
        t                   = sync(t);
        halo_.forward(atoms_);
        t = stamp(MdTimings::forward, t);
      }
    t = compute_forces(want_energy, step_ + 1, t);
    for_fixes(Fix::at_final_integrate, [&](Fix &f) { f.final_integrate(atoms_, step_ + 1); });
    integrator_.final_integrate(atoms_);
    for_fixes(Fix::at_end_of_step, [&](Fix &f) { f.end_of_step(atoms_, step_ + 1); });
    if (!clock_held_)
      ++step_;
    const Clock::time_point end = stamp(MdTimings::modify, t);
    timings_.step_seconds += std::chrono::duration<double>(end - start).count();
    ++timings_.steps;
    timing_ = false;
  }

  MdSystem::Clock::time_point MdSystem::stamp(int section, Clock::time_point since)
  {
    const Clock::time_point now = Clock::now();
    if (timing_)
      {
        timings_.seconds[section] += std::chrono::duration<double>(now - since).count();
        ++timings_.calls[section];
      }
    return now;
  }

  MdSystem::Clock::time_point MdSystem::sync(Clock::time_point now)
  {
    // Callers stamp their previous section right before, so `now` is current.
    if (!params_.timer_sync || !timing_)
      return now;
    MPI_Barrier(domain_.comm());
    return stamp(MdTimings::sync, now);
  }

  MdSystem::Clock::time_point MdSystem::compute_forces(bool want_energy, std::int64_t step,
                                                        Clock::time_point t)
  {
    atoms_.zero_forces(want_energy);
    const double halo_before = halo_.scalar_seconds();
    potential_->compute(atoms_, list_, halo_, want_energy);
    t = stamp(MdTimings::pair, t);
    if (timing_)
      {
        // The potential's own halo calls (EAM) are communication, not pair work.
        const double inner = halo_.scalar_seconds() - halo_before;
        timings_.seconds[MdTimings::pair] -= inner;
        timings_.seconds[MdTimings::pcomm] += inner;
        timings_.calls[MdTimings::pcomm] += inner > 0.0;
      }
    t = sync(t);
    halo_.reverse(atoms_, want_energy);
    t = stamp(MdTimings::reverse, t);
    for_fixes(Fix::at_post_force, [&](Fix &f) { f.post_force(atoms_, step, want_energy); });
    t         = stamp(MdTimings::modify, t);
    pe_valid_ = want_energy;
    if (want_energy)
      {
        t = sync(t);
        bool   fix_energy = false;
        double fix_pe     = 0.0, dead_load = 0.0;
        for (const auto &f : fixes_)
          if (f->has_potential_energy())
            {
              fix_energy = true;
              fix_pe += f->potential_energy_local();
              if (f.get() == dead_load_)
                dead_load += f->potential_energy_local();
            }
        if (fix_energy)
          {
            const double local[2] = {potential_->energy() + fix_pe, dead_load};
            double       total[2] = {0.0, 0.0};
            MPI_Allreduce(local, total, 2, MPI_DOUBLE, MPI_SUM, domain_.comm());
            pe_total_        = total[0];
            dead_load_total_ = total[1];
          }
        else
          {
            pe_total_        = thermo::sum(potential_->energy(), domain_.comm());
            dead_load_total_ = 0.0;
          }
        t = stamp(MdTimings::reduce, t);
      }
    return t;
  }

  void MdSystem::freeze_reference_force(std::function<bool(const Vec3 &x0)> select)
  {
    // The potential's force alone (no old dead load, thermostat or hook) at the current positions.
    halo_.forward(atoms_);
    atoms_.zero_forces(false);
    potential_->compute(atoms_, list_, halo_, false);
    halo_.reverse(atoms_, false);
    atoms_.set_reference_force_enabled(true); // zeros
    if (!dead_load_) // the dead load acts first, before thermostats and the fixes that override forces
      {
        auto fix   = std::make_unique<DeadLoad>(atoms_);
        dead_load_ = fix.get();
        fixes_.insert(fixes_.begin(), std::move(fix));
      }
    auto &g = atoms_.reference_force();
    for (LocalIndex i = 0; i < atoms_.n_owned(); ++i)
      if (!select || select(atoms_.x0()[i]))
        g[i] = atoms_.f()[i];
    compute_forces(true, step_, Clock::now());
  }

  double MdSystem::unweighted_potential_energy()
  {
    const std::vector<Vec3>   f = atoms_.f();
    const std::vector<double> e = atoms_.energy();
    std::vector<double>       w, s;
    const bool                weighted = atoms_.weighted();
    if (weighted)
      {
        w = atoms_.weight();
        s = atoms_.mass_scale();
        atoms_.set_weighted(false);
      }
    atoms_.zero_forces(true);
    potential_->compute(atoms_, list_, halo_, true);
    const double pe = thermo::sum(potential_->energy(), domain_.comm());
    if (weighted)
      {
        atoms_.set_weighted(true);
        atoms_.weight()     = std::move(w);
        atoms_.mass_scale() = std::move(s);
      }
    atoms_.f()      = f;
    atoms_.energy() = e;
    return pe;
  }

  std::vector<MdTimingStats> MdSystem::timing_stats() const
  {
    constexpr int      n = MdTimings::n_sections + 2; // + other, total
    std::vector<double> local(n), mins(n), maxs(n), sums(n);
    for (int k = 0; k < MdTimings::n_sections; ++k)
      local[k] = timings_.seconds[k];
    local[n - 2] = timings_.other_seconds();
    local[n - 1] = timings_.step_seconds;
    MPI_Comm comm = domain_.comm();
    MPI_Allreduce(local.data(), mins.data(), n, MPI_DOUBLE, MPI_MIN, comm);
    MPI_Allreduce(local.data(), maxs.data(), n, MPI_DOUBLE, MPI_MAX, comm);
    MPI_Allreduce(local.data(), sums.data(), n, MPI_DOUBLE, MPI_SUM, comm);
    std::array<long, MdTimings::n_sections> calls = timings_.calls;
    MPI_Bcast(calls.data(), MdTimings::n_sections, MPI_LONG, 0, comm);
    long steps = timings_.steps;
    MPI_Bcast(&steps, 1, MPI_LONG, 0, comm);
    const int size = domain_.n_ranks();
    std::vector<MdTimingStats> out(n);
    for (int k = 0; k < n; ++k)
      {
        out[k].name  = k < MdTimings::n_sections ? MdTimings::name(k) : (k == n - 2 ? "other" : "total");
        out[k].min   = mins[k];
        out[k].avg   = sums[k] / size;
        out[k].max   = maxs[k];
        out[k].calls = k < MdTimings::n_sections ? calls[k] : steps;
      }
    return out;
  }

  std::string MdSystem::timing_table() const
  {
    const std::vector<MdTimingStats> stats = timing_stats();
    const double                     total = stats.back().avg;
    std::string out = fmt::format("MD step timing breakdown over {} rank{}, {} steps (LAMMPS-style):\n",
                                  domain_.n_ranks(), domain_.n_ranks() == 1 ? "" : "s", stats.back().calls);
    out += fmt::format("  {:<9} | {:>9} | {:>9} | {:>9} | {:>7} | {:>7} | {:>8}\n", "section", "min [s]",
                       "avg [s]", "max [s]", "%varavg", "%total", "calls");
    for (const MdTimingStats &r : stats)
      {
        if (r.name == "sync" && r.max == 0.0)
          continue; // timer_sync off
        out += fmt::format("  {:<9} | {:>9.4f} | {:>9.4f} | {:>9.4f} | {:>6.1f}% | {:>6.1f}% | {:>8}\n", r.name,
                           r.min, r.avg, r.max, r.avg > 1e-6 ? 100.0 * (r.max - r.avg) / r.avg : 0.0,
                           total > 0 ? 100.0 * r.avg / total : 0.0, r.calls);
      }
    // Work per rank: owned and ghost atoms, neighbor pairs (min/avg/max over ranks).
    const double local[3] = {double(atoms_.n_owned()), double(atoms_.n_local() - atoms_.n_owned()),
                             double(list_.n_pairs())};
    double       lo[3], hi[3], sum[3];
    MPI_Allreduce(local, lo, 3, MPI_DOUBLE, MPI_MIN, domain_.comm());
    MPI_Allreduce(local, hi, 3, MPI_DOUBLE, MPI_MAX, domain_.comm());
    MPI_Allreduce(local, sum, 3, MPI_DOUBLE, MPI_SUM, domain_.comm());
    const char *what[3] = {"owned", "ghosts", "pairs"};
    for (int k = 0; k < 3; ++k)
      out += fmt::format("  {:<9} per rank: min {:.0f}, avg {:.0f}, max {:.0f}\n", what[k], lo[k],
                         sum[k] / domain_.n_ranks(), hi[k]);
    return out;
  }

  double MdSystem::dead_load_energy() const
  {
    if (!pe_valid_)
      throw std::logic_error("MdSystem::dead_load_energy: the last force evaluation skipped energies");
    return dead_load_total_;
  }

  Fix &MdSystem::add_fix(std::unique_ptr<Fix> fix)
  {
    if (auto *t = dynamic_cast<Langevin *>(fix.get()))
      {
        if (thermostat_)
          throw std::logic_error("MdSystem::add_fix: a second thermostat; use set_thermostat() to replace it");
        thermostat_ = t;
      }
    fixes_.push_back(std::move(fix));
    return *fixes_.back();
  }

  void MdSystem::freeze_reference_energies()
  {
    reference_energy_ = atoms_.add_extra("reference_energy", 1);
    auto &ref         = atoms_.extra(reference_energy_);
    for (LocalIndex i = 0; i < atoms_.n_owned(); ++i)
      ref[i] = atoms_.energy()[i];
  }

  void MdSystem::set_thermostat(const LangevinParams &params)
  {
    auto t   = std::make_unique<Langevin>(params, params_.mass, params_.time_step, constants_, params_.dimension);
    auto raw = t.get();
    if (thermostat_)
      {
        removed_energy_ += thermostat_->energy_removed_local();
        for (auto &f : fixes_)
          if (f.get() == thermostat_)
            f = std::move(t);
      }
    else
      fixes_.push_back(std::move(t));
    thermostat_ = raw;
  }

  double MdSystem::energy_removed_local() const
  {
    double e = removed_energy_;
    for (const auto &f : fixes_)
      e += f->energy_removed_local();
    return e;
  }

  double MdSystem::energy_removed() const { return thermo::sum(energy_removed_local(), domain_.comm()); }

  std::vector<std::string> MdSystem::fix_thermo_columns() const
  {
    std::vector<std::string> names;
    for (const auto &f : fixes_)
      for (auto &c : f->thermo_columns())
        names.push_back(std::move(c));
    return names;
  }

  std::vector<double> MdSystem::fix_thermo_shares() const
  {
    int rank = 0;
    MPI_Comm_rank(domain_.comm(), &rank);
    std::vector<double> v;
    for (const auto &f : fixes_)
      {
        const auto s = f->thermo_shares(rank == 0);
        if (s.size() != f->thermo_columns().size())
          throw std::logic_error("internal: fix " + f->name() + " gives " + std::to_string(s.size()) +
                                 " thermo values for " + std::to_string(f->thermo_columns().size()) + " columns");
        v.insert(v.end(), s.begin(), s.end());
      }
    return v;
  }

  void MdSystem::create_velocities(double temperature, std::uint64_t seed)
  {
    const int  dim   = params_.dimension;
    const double sd  = std::sqrt(constants_.boltzmann * temperature / (params_.mass * constants_.mvv2e));
    auto      &v     = atoms_.v();
    double     mom[3] = {0, 0, 0};
    for (LocalIndex i = 0; i < atoms_.n_owned(); ++i)
      {
        v[i] = normal_velocity(seed, atoms_.id()[i], dim, sd);
        for (int d = 0; d < dim; ++d)
          mom[d] += v[i][d];
      }
    double total[3] = {0, 0, 0};
    MPI_Allreduce(mom, total, 3, MPI_DOUBLE, MPI_SUM, domain_.comm());
    for (LocalIndex i = 0; i < atoms_.n_owned(); ++i)
      for (int d = 0; d < dim; ++d)
        v[i][d] -= total[d] / double(n_atoms_);
    const double t_now = this->temperature();
    if (t_now > 0)
      {
        const double scale = std::sqrt(temperature / t_now);
        for (LocalIndex i = 0; i < atoms_.n_owned(); ++i)
          for (int d = 0; d < dim; ++d)
            v[i][d] *= scale;
      }
  }

  void MdSystem::create_velocities_in_box(double temperature, std::uint64_t seed, const Vec3 &lo, const Vec3 &hi)
  {
    const int           dim = params_.dimension;
    auto               &v   = atoms_.v();
    std::vector<char>   in(atoms_.n_owned(), 0);
    double              sum[4] = {0, 0, 0, 0}; // momentum per axis, count
    for (LocalIndex i = 0; i < atoms_.n_owned(); ++i)
      {
        const Vec3 X = atoms_.reference_position(i, domain_.length());
        bool       inside = true;
        for (int d = 0; d < dim; ++d)
          inside = inside && X[d] >= lo[d] && X[d] < hi[d];
        if (!inside)
          continue;
        in[i] = 1;
        v[i]  = normal_velocity(seed, atoms_.id()[i], dim, 1.0);
        for (int d = 0; d < dim; ++d)
          sum[d] += v[i][d];
        sum[3] += 1.0;
      }
    double total[4];
    MPI_Allreduce(sum, total, 4, MPI_DOUBLE, MPI_SUM, domain_.comm());
    if (total[3] == 0.0)
      throw std::invalid_argument("no atom has its site in the box");
    double v2 = 0.0, v2_total = 0.0;
    for (LocalIndex i = 0; i < atoms_.n_owned(); ++i)
      if (in[i])
        for (int d = 0; d < dim; ++d)
          {
            v[i][d] -= total[d] / total[3];
            v2 += v[i][d] * v[i][d];
          }
    MPI_Allreduce(&v2, &v2_total, 1, MPI_DOUBLE, MPI_SUM, domain_.comm());
    // (1/2) m v2_total = (dim n / 2) k_B T
    const double scale = v2_total > 0 ? std::sqrt(dim * total[3] * constants_.boltzmann * temperature /
                                                  (params_.mass * constants_.mvv2e * v2_total))
                                      : 0.0;
    for (LocalIndex i = 0; i < atoms_.n_owned(); ++i)
      if (in[i])
        for (int d = 0; d < dim; ++d)
          v[i][d] *= scale;
  }

  double MdSystem::kinetic_energy() const
  {
    if (atoms_.weighted())
      return thermo::scaled_kinetic_energy(atoms_, constants_.mvv2e, domain_.comm());
    return thermo::kinetic_energy(atoms_, constants_.mvv2e, domain_.comm());
  }

  double MdSystem::temperature() const
  {
    const double ke = thermo::kinetic_energy(atoms_, constants_.mvv2e, domain_.comm());
    return thermo::temperature(ke, n_atoms_, params_.dimension, constants_.boltzmann);
  }

  double MdSystem::potential_energy() const
  {
    if (!pe_valid_)
      throw std::logic_error("MdSystem::potential_energy: the last force evaluation skipped energies");
    return pe_total_;
  }

  std::vector<GlobalId> MdSystem::owned_ids() const
  {
    return {atoms_.id().begin(), atoms_.id().begin() + atoms_.n_owned()};
  }

  std::vector<Vec3> MdSystem::owned_reference_positions() const
  {
    std::vector<Vec3> r(static_cast<std::size_t>(atoms_.n_owned()));
    for (LocalIndex i = 0; i < atoms_.n_owned(); ++i)
      r[i] = atoms_.reference_position(i, domain_.length());
    return r;
  }

  std::vector<Vec3> MdSystem::owned_velocities() const
  {
    return {atoms_.v().begin(), atoms_.v().begin() + atoms_.n_owned()};
  }

  std::vector<double> MdSystem::coordination(double radius)
  {
    const double r  = std::min(radius, list_.radius());
    const double r2 = r * r;
    const auto  &x  = atoms_.x();
    const auto  &offsets   = list_.offsets();
    const auto  &neighbors = list_.neighbors();
    std::vector<double> count(atoms_.n_local(), 0.0);
    for (LocalIndex i = 0; i < atoms_.n_owned(); ++i)
      for (std::size_t k = offsets[i]; k < offsets[i + 1]; ++k)
        {
          const LocalIndex j  = neighbors[k];
          double           d2 = 0;
          for (int a = 0; a < params_.dimension; ++a)
            d2 += (x[j][a] - x[i][a]) * (x[j][a] - x[i][a]);
          if (d2 < r2)
            {
              count[i] += 1;
              count[j] += 1;
            }
        }
    halo_.reverse(count);
    count.resize(atoms_.n_owned());
    return count;
  }
} // namespace seam::md

namespace seam::md
{
  namespace
  {
    std::vector<double> flatten(const std::vector<Vec3> &v, std::size_t n)
    {
      std::vector<double> out(3 * n);
      for (std::size_t i = 0; i < n; ++i)
        for (int a = 0; a < 3; ++a)
          out[3 * i + a] = v[i][a];
      return out;
    }

    void unflatten(const std::vector<double> &in, std::vector<Vec3> &v)
    {
      for (std::size_t i = 0; i < in.size() / 3; ++i)
        for (int a = 0; a < 3; ++a)
          v[i][a] = in[3 * i + a];
    }
  } // namespace

  void MdSystem::save_state(StateOut &out) const
  {
    const std::size_t n = static_cast<std::size_t>(atoms_.n_owned());
    std::vector<std::int64_t> grid;
    for (int a = 0; a < 3; ++a)
      grid.push_back(domain_.n_ranks_along(a));
    out.put("processor_grid", grid);
    out.put("counters", std::vector<std::int64_t>{step_, last_build_step_, previous_unchecked_ ? 1 : 0, n_dangerous_,
                                                  n_atoms_});
    out.put("removed_energy", std::vector<double>{removed_energy_});
    out.put("id", std::vector<std::int64_t>(atoms_.id().begin(), atoms_.id().begin() + n));
    out.put("x0", flatten(atoms_.x0(), n));
    out.put("x", flatten(atoms_.x(), n));
    out.put("v", flatten(atoms_.v(), n));
    out.put("f", flatten(atoms_.f(), n));
    std::vector<std::int64_t> image(3 * n);
    for (std::size_t i = 0; i < n; ++i)
      for (int a = 0; a < 3; ++a)
        image[3 * i + a] = atoms_.image()[i][a];
    out.put("image", image);
    out.put("x_at_build", flatten(list_.positions_at_build(), list_.positions_at_build().size()));
    if (atoms_.weighted())
      {
        out.put("weight", std::vector<double>(atoms_.weight().begin(), atoms_.weight().begin() + n));
        out.put("mass_scale", std::vector<double>(atoms_.mass_scale().begin(), atoms_.mass_scale().begin() + n));
      }
    if (atoms_.has_reference_force())
      out.put("reference_force", flatten(atoms_.reference_force(), n));
    for (int h = 0; h < atoms_.n_extras(); ++h)
      {
        const auto       &e = atoms_.extra(h);
        const std::size_t w = static_cast<std::size_t>(atoms_.extra_width(h));
        out.put("extra_" + std::to_string(h), std::vector<double>(e.begin(), e.begin() + n * w));
      }
    for (std::size_t k = 0; k < fixes_.size(); ++k)
      {
        auto g = out.group(fmt::format("fix_{}_{}", k, fixes_[k]->name()));
        fixes_[k]->save_state(*g);
      }
  }

  void MdSystem::load_state(const StateIn &in)
  {
    if (!in.same_layout())
      {
        load_redistributed(in);
        return;
      }
    const auto grid = in.get_int64("processor_grid");
    for (int a = 0; a < 3; ++a)
      if (grid.size() != 3 || grid[a] != domain_.n_ranks_along(a))
        throw RuntimeError(fmt::format("the checkpoint's MD processor grid {}x{}x{} differs from this run's "
                                       "{}x{}x{}: restart on the same number of MD ranks",
                                       grid.at(0), grid.at(1), grid.at(2), domain_.n_ranks_along(0),
                                       domain_.n_ranks_along(1), domain_.n_ranks_along(2)));
    const auto counters = in.get_int64("counters");
    if (counters.at(4) != n_atoms_)
      throw RuntimeError(fmt::format("the checkpoint has {} atoms, the deck builds {}: restart with the deck "
                                     "the checkpoint was written with",
                                     counters.at(4), n_atoms_));
    const auto ids = in.get_int64("id");
    const auto x0 = in.get_doubles("x0"), x = in.get_doubles("x"), v = in.get_doubles("v"), f = in.get_doubles("f");
    const auto image = in.get_int64("image");
    const auto xb    = in.get_doubles("x_at_build");
    const std::size_t n = ids.size();
    // Rebuild the owned atoms in the saved order; every per-atom array is then overwritten.
    atoms_.clear_ghosts();
    while (atoms_.n_owned() > 0)
      atoms_.remove_owned(atoms_.n_owned() - 1);
    for (std::size_t i = 0; i < n; ++i)
      atoms_.add_owned(ids[i], Vec3{x0[3 * i], x0[3 * i + 1], x0[3 * i + 2]}, Vec3{xb[3 * i], xb[3 * i + 1], xb[3 * i + 2]},
                       Vec3{v[3 * i], v[3 * i + 1], v[3 * i + 2]},
                       {static_cast<int>(image[3 * i]), static_cast<int>(image[3 * i + 1]), static_cast<int>(image[3 * i + 2])});
    if (atoms_.weighted())
      {
        const auto w = in.get_doubles("weight"), s = in.get_doubles("mass_scale");
        std::copy(w.begin(), w.end(), atoms_.weight().begin());
        std::copy(s.begin(), s.end(), atoms_.mass_scale().begin());
      }
    if (in.has("reference_force"))
      {
        if (!atoms_.has_reference_force())
          atoms_.set_reference_force_enabled(true);
        unflatten(in.get_doubles("reference_force"), atoms_.reference_force());
      }
    for (int h = 0; h < atoms_.n_extras(); ++h)
      {
        const auto e = in.get_doubles("extra_" + std::to_string(h));
        std::copy(e.begin(), e.end(), atoms_.extra(h).begin());
      }
    // Ghosts and list as they were built (from the positions of the last build), then today's positions.
    halo_.borders(atoms_, list_.radius());
    build_list();
    unflatten(x, atoms_.x());
    halo_.forward(atoms_);
    atoms_.zero_forces(false);
    unflatten(f, atoms_.f());
    step_               = counters.at(0);
    last_build_step_    = counters.at(1);
    previous_unchecked_ = counters.at(2) != 0;
    n_dangerous_        = counters.at(3);
    removed_energy_     = in.get_doubles("removed_energy").at(0);
    pe_valid_           = false;
    for (std::size_t k = 0; k < fixes_.size(); ++k)
      fixes_[k]->load_state(*in.group(fmt::format("fix_{}_{}", k, fixes_[k]->name())));
  }
  void MdSystem::load_redistributed(const StateIn &in)
  {
    const auto counters = in.all_int64("counters"); // 5 per writer
    if (counters.size() < 5 || counters[4] != n_atoms_)
      throw RuntimeError(fmt::format("the checkpoint has {} atoms, the deck builds {}: restart with the deck "
                                     "the checkpoint was written with",
                                     counters.size() < 5 ? 0 : counters[4], n_atoms_));
    int reader = 0, n_readers = 1;
    MPI_Comm_rank(domain_.comm(), &reader);
    MPI_Comm_size(domain_.comm(), &n_readers);
    const auto ids = in.all_int64("id");
    const auto x0 = in.all_doubles("x0"), x = in.all_doubles("x"), v = in.all_doubles("v");
    const auto image = in.all_int64("image");
    std::vector<double> w, s, g;
    if (atoms_.weighted())
      {
        w = in.all_doubles("weight");
        s = in.all_doubles("mass_scale");
      }
    if (in.has("reference_force"))
      {
        if (!atoms_.has_reference_force())
          atoms_.set_reference_force_enabled(true);
        g = in.all_doubles("reference_force");
      }
    std::vector<std::vector<double>> extras(static_cast<std::size_t>(atoms_.n_extras()));
    for (int h = 0; h < atoms_.n_extras(); ++h)
      extras[h] = in.all_doubles("extra_" + std::to_string(h));
    if (static_cast<std::int64_t>(ids.size()) != n_atoms_)
      throw RuntimeError(fmt::format("the checkpoint holds {} atoms, its counters say {}: the file is damaged",
                                     ids.size(), n_atoms_));
    // This rank takes every n_readers-th atom; the exchange of setup() moves each to its owner.
    atoms_.clear_ghosts();
    while (atoms_.n_owned() > 0)
      atoms_.remove_owned(atoms_.n_owned() - 1);
    for (std::size_t i = static_cast<std::size_t>(reader); i < ids.size(); i += static_cast<std::size_t>(n_readers))
      {
        atoms_.add_owned(ids[i], Vec3{x0[3 * i], x0[3 * i + 1], x0[3 * i + 2]}, Vec3{x[3 * i], x[3 * i + 1], x[3 * i + 2]},
                         Vec3{v[3 * i], v[3 * i + 1], v[3 * i + 2]},
                         {static_cast<int>(image[3 * i]), static_cast<int>(image[3 * i + 1]),
                          static_cast<int>(image[3 * i + 2])});
        const LocalIndex k = atoms_.n_owned() - 1;
        if (atoms_.weighted())
          {
            atoms_.weight()[k]     = w[i];
            atoms_.mass_scale()[k] = s[i];
          }
        if (!g.empty())
          for (int a = 0; a < 3; ++a)
            atoms_.reference_force()[k][a] = g[3 * i + a];
        for (int h = 0; h < atoms_.n_extras(); ++h)
          {
            const std::size_t wd = static_cast<std::size_t>(atoms_.extra_width(h));
            std::copy(extras[h].begin() + wd * i, extras[h].begin() + wd * (i + 1), atoms_.extra(h).begin() + wd * k);
          }
      }
    // The run's tallies go to the lead reader; the step is every writer's.
    step_               = counters[0];
    n_dangerous_        = 0;
    removed_energy_     = 0;
    const auto removed  = in.all_doubles("removed_energy");
    if (reader == 0)
      for (std::size_t r = 0; r < counters.size() / 5; ++r)
        {
          n_dangerous_ += counters[5 * r + 3];
          removed_energy_ += removed.at(r);
        }
    // Place the atoms, build the list from today's positions, and give each atom its saved force (the
    // forces of this step with the fixes' contributions, which depend on the half-step velocities).
    halo_.exchange(atoms_);
    halo_.borders(atoms_, list_.radius());
    build_list();
    last_build_step_    = step_;
    previous_unchecked_ = false;
    pe_valid_           = false;
    const auto f = in.all_doubles("f");
    std::unordered_map<std::int64_t, std::size_t> at;
    at.reserve(ids.size());
    for (std::size_t k = 0; k < ids.size(); ++k)
      at.emplace(ids[k], k);
    atoms_.zero_forces(false);
    for (LocalIndex i = 0; i < atoms_.n_owned(); ++i)
      {
        const std::size_t k = at.at(atoms_.id()[i]);
        for (int a = 0; a < 3; ++a)
          atoms_.f()[i][a] = f[3 * k + a];
      }
    for (std::size_t k = 0; k < fixes_.size(); ++k)
      fixes_[k]->load_state_redistributed(*in.group(fmt::format("fix_{}_{}", k, fixes_[k]->name())), atoms_);
  }
} // namespace seam::md
