// The MD-only time loop.
#include "app/md_run.h"

#include "app/atom_dump.h"
#include "app/checkpointing.h"
#include "app/data_atoms.h"
#include "app/deck_checks.h"
#include "app/runaway_guard.h"
#include "base/crack_tip_field.h"
#include "base/error.h"
#include "base/expression.h"
#include "base/log.h"
#include "base/progress.h"
#include "io/atom_writer.h"
#include "io/thermo_writer.h"
#include "md/cauchy_born.h"
#include "md/fire.h"
#include "md/fix/held_layers.h"
#include "md/fix/registry.h"
#include "md/potential/registry.h"
#include "parallel/agreement.h"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>

namespace seam::app
{
  namespace
  {
    /// The deck's real vector at `key` as a Vec3 (components beyond the deck's dimension 0).
    Vec3 deck_vec(const config::Deck &d, const std::string &key)
    {
      Vec3       v{};
      const auto r = d.reals(key);
      for (int a = 0; a < d.dimension(); ++a)
        v[a] = r[a];
      return v;
    }
  } // namespace

  md::MdSystemParams md_params(const config::Deck &d)
  {
    md::MdSystemParams p;
    p.dimension        = d.dimension();
    p.units            = d.units();
    const auto lo = d.reals("md.region.lo"), hi = d.reals("md.region.hi");
    const auto bc = d.strings("md.boundary");
    for (int a = 0; a < p.dimension; ++a)
      {
        p.region_lo[a] = lo[a];
        p.region_hi[a] = hi[a];
        p.periodic[a]  = bc[a] == "periodic";
      }
    p.mass            = d.real("md.mass");
    p.potential_style = d.string("md.potential.style");
    if (d.string("md.lattice.style") == "data")
      {
        // The atoms of a LAMMPS data file; no lattice (its keys are refused by the deck checks).
        p.explicit_atoms = data_file_atoms(d, p.region_lo, p.region_hi);
        p.potential      = md::potential_params(d, nullptr);
      }
    else
      {
        p.lattice_style    = md::parse_lattice_style(d.string("md.lattice.style"));
        p.lattice_constant = d.real("md.lattice.constant");
        if (p.dimension == 3)
          p.orientation = d.int_matrix("md.lattice.orientation");
        // A periodic length within periodic_tolerance() of n periods is made exactly n periods (check_deck).
        const md::Lattice lattice(p.lattice_style, p.lattice_constant, p.orientation, p.dimension);
        for (int a = 0; a < p.dimension; ++a)
          if (p.periodic[a])
            p.region_hi[a] = p.region_lo[a] + std::round((hi[a] - lo[a]) / lattice.period(a)) * lattice.period(a);
        p.potential = md::potential_params(d, lattice); // the keys the style declares (md/potential/)
      }
    auto items = [&](const char *key) { return d.has(key) ? d.list_size(key) : std::size_t{0}; };
    for (std::size_t k = 0; k < items("md.delete"); ++k)
      {
        const std::string item = fmt::format("md.delete[{}].region", k);
        p.deleted.emplace_back(deck_vec(d, item + ".lo"), deck_vec(d, item + ".hi"));
      }
    for (std::size_t k = 0; k < items("md.cut"); ++k)
      {
        const std::string item = fmt::format("md.cut[{}]", k);
        md::Cut           c;
        c.from = deck_vec(d, item + ".from");
        c.to   = deck_vec(d, item + ".to");
        if (d.has(item + ".normal"))
          c.normal = deck_vec(d, item + ".normal");
        if (d.has(item + ".extent"))
          c.extent = d.real(item + ".extent");
        p.cuts.push_back(c);
      }
    p.time_step = d.real("md.time_step");
    p.skin      = d.real("md.neighbor.skin");
    p.neighbor_every = static_cast<int>(d.integer("md.neighbor.every"));
    p.neighbor_delay = static_cast<int>(d.integer("md.neighbor.delay"));
    return p;
  }

  void apply_initial_state(const config::Deck &d, md::MdSystem &sys)
  {
    const int dim = d.dimension();
    if (d.real("initial.temperature") > 0 && d.has("initial.temperature_region"))
      {
        try
          {
            sys.create_velocities_in_box(d.real("initial.temperature"),
                                         static_cast<std::uint64_t>(d.integer("initial.seed")),
                                         deck_vec(d, "initial.temperature_region.lo"),
                                         deck_vec(d, "initial.temperature_region.hi"));
          }
        catch (const std::invalid_argument &) // atoms from a data file: check_deck cannot count them
          {
            fail_empty_temperature_region(d);
          }
      }
    else if (d.real("initial.temperature") > 0)
      sys.create_velocities(d.real("initial.temperature"), static_cast<std::uint64_t>(d.integer("initial.seed")));
    std::vector<Expression> u, v;
    for (const auto &s : d.strings("initial.displacement"))
      u.emplace_back(s);
    for (const auto &s : d.strings("initial.velocity"))
      v.emplace_back(s);
    auto &atoms = sys.atoms();
    for (LocalIndex i = 0; i < atoms.n_owned(); ++i)
      {
        const Vec3 X = atoms.x0()[i];
        for (int a = 0; a < dim; ++a)
          {
            atoms.x()[i][a] += u[a](X[0], X[1], X[2], 0.0);
            atoms.v()[i][a] += v[a](X[0], X[1], X[2], 0.0);
          }
      }
  }

  namespace
  {
    /// Owned atoms' displacement u = x + image * L - X, velocity and weight, for output.
    struct AtomFields
    {
      std::vector<GlobalId> id;
      std::vector<Vec3>     ref, disp, vel;
      std::vector<double>   weight;
    };

    AtomFields atom_fields(const md::MdSystem &sys)
    {
      AtomFields f;
      f.id  = sys.owned_ids();
      f.ref = sys.owned_reference_positions();
      f.vel = sys.owned_velocities();
      // x and x0 are shifted together when an atom wraps, so x - x0 is the continuous displacement.
      const auto &atoms = sys.atoms();
      f.disp.resize(f.id.size());
      for (std::size_t i = 0; i < f.id.size(); ++i)
        for (int a = 0; a < 3; ++a)
          f.disp[i][a] = atoms.x()[i][a] - atoms.x0()[i][a];
      f.weight.assign(f.id.size(), 1.0);
      return f;
    }

    /// Virial pressure of the atoms as LAMMPS computes it (compute pressure): P = (N_dof k_B T + sum_a
    /// W_aa) / (d V) with N_dof = d N - d, W the virial sum of r_ij f_ij [stress: eV/Å^3 in metal units,
    /// not LAMMPS' bar]. Uses the virial of the last force evaluation with energies. Collective.
    double pressure(const md::MdSystem &sys, int dim, const UnitConstants &units, MPI_Comm comm)
    {
      const auto &w     = const_cast<md::MdSystem &>(sys).potential().virial();
      double      trace = 0, total = 0;
      for (int a = 0; a < dim; ++a)
        trace += w[a];
      MPI_Allreduce(&trace, &total, 1, MPI_DOUBLE, MPI_SUM, comm);
      double volume = 1;
      for (int a = 0; a < dim; ++a)
        volume *= sys.domain().length()[a];
      const double dof = dim * static_cast<double>(sys.n_atoms()) - dim;
      return (dof * units.boltzmann * sys.temperature() + total) / (dim * volume);
    }
  } // namespace

  /// The displacement of an md.walls item of type k_field: K(t) U(X - tip) of the lattice's own
  /// Cauchy-Born constants (seam::CrackTipField, as fe.boundary's k_field).
  static md::DisplacementField k_field_walls(const config::Deck &d, const std::string &item, md::MdSystem &sys)
  {
    for (const char *key : {"k", "tip"})
      if (!d.has(item + "." + key))
        d.fail(item, fmt::format("a k_field wall without `{}`", key), "k: \"expression in t\" and tip: [x, y]",
               fmt::format("add `{}` to the item", key));
    const md::CauchyBorn cb(sys.lattice(), sys.potential(), sys.params().mass);
    const auto           v = cb.voigt();
    std::array<double, 36> c{};
    for (int i = 0; i < 6; ++i)
      for (int j = 0; j < 6; ++j)
        c[i * 6 + j] = v[i][j];
    auto       field = std::make_shared<CrackTipField>(c, d.dimension());
    auto       k     = std::make_shared<Expression>(d.string(item + ".k"));
    const auto tip   = d.reals(item + ".tip");
    const int  mode  = d.has(item + ".mode") && d.string(item + ".mode") == "II" ? 2 : 1;
    const int  dim   = d.dimension();
    return [field, k, tip0 = tip[0], tip1 = tip[1], mode, dim](const Vec3 &X, double t) {
      const auto u = field->unit_displacement(mode, X[0] - tip0, X[1] - tip1);
      const double K = (*k)(0.0, 0.0, 0.0, t);
      return Vec3{K * u[0], dim > 1 ? K * u[1] : 0.0, 0.0};
    };
  }

  /// md.walls of an MD-only run as a HeldLayers fix, or null.
  static std::unique_ptr<md::HeldLayers> md_walls(const config::Deck &d, md::MdSystem &sys, const Log &log)
  {
    if (!d.has("md.walls"))
      return nullptr;
    std::vector<md::HeldFace> faces;
    double                    reach = -1;
    for (std::size_t k = 0; k < d.list_size("md.walls"); ++k)
      {
        const std::string item = fmt::format("md.walls[{}]", k);
        for (const auto &f : d.strings(item + ".faces"))
          {
            md::HeldFace h;
            h.axis = f[0] - 'x';
            h.side = f.substr(2) == "hi" ? 1 : 0;
            if (d.string(item + ".type") == "velocity")
              h.velocity = d.strings(item + ".value");
            if (d.string(item + ".type") == "k_field")
              h.displacement = k_field_walls(d, item, sys);
            faces.push_back(h);
          }
        if (d.has(item + ".reach"))
          reach = std::max(reach, d.real(item + ".reach"));
      }
    const auto &p = sys.params();
    if (reach < 0)
      reach = 2 * sys.potential().cutoff() + p.skin;
    log.info("md: {} held wall face(s), layers {:.6g} deep", faces.size(), reach);
    return std::make_unique<md::HeldLayers>(faces, p.region_lo, p.region_hi, sys.domain().length(), reach,
                                            p.time_step);
  }

  RunStats run_md_only(const config::Deck &d, const parallel::Partition &part, TimerTable &timers)
  {
    Log log(part.local(), "md");
    // run.style: quasistatic: the clock counts load steps (t = 0, 1, 2, ... in every expression and fix),
    // and each is relaxed by FIRE from md.time_step.
    const bool quasistatic = d.string("run.style") == "quasistatic";
    auto       params      = md_params(d);
    const double dt_md     = params.time_step;
    if (quasistatic)
      params.time_step = 1.0;

    std::unique_ptr<md::MdSystem> sys;
    {
      TimerTable::Scope t(timers, "setup");
      sys = std::make_unique<md::MdSystem>(params, part.local());
      if (quasistatic)
        sys->set_integration_step(dt_md);
      sys->setup();
      sys->freeze_reference_energies(); // the lattice at rest
      apply_initial_state(d, *sys);
      auto walls = md_walls(d, *sys, log);
      if (walls)
        walls->place(sys->atoms());
      sys->setup();
      md::add_deck_fixes(d, *sys);
      if (walls) // last: held atoms end every force evaluation at zero force
        {
        // The forces of setup() were computed before the fix existed: hold the atoms for them too, so the
        // first half kick leaves the held atoms at their prescribed velocity.
        walls->post_force(sys->atoms(), sys->step_count(), false);
        sys->add_fix(std::move(walls));
      }
    }
    // run.restart: the state of the checkpoint replaces the one just built (same deck, same ranks).
    Checkpointing      checkpoints(d, part, "md", params.time_step, timers);
    const std::int64_t first   = checkpoints.restore([&](const StateIn &in) { sys->load_state(in); });
    const bool         restart = checkpoints.restarting();
    if (quasistatic)
      log.info("md: {} atoms ({}), {} potential, quasistatic: {} load steps, each relaxed by FIRE (starting step "
               "{} {}) until no force exceeds {} {}",
               sys->n_atoms(), d.string("md.lattice.style"), params.potential_style, d.integer("run.load_steps"),
               dt_md, unit_symbol(d.units(), Quantity::time), d.real("run.force_tolerance"),
               unit_symbol(d.units(), Quantity::force));
    else
      log.info("md: {} atoms ({}), {} potential, dt = {} {}, {} steps", sys->n_atoms(), d.string("md.lattice.style"),
               params.potential_style, params.time_step, unit_symbol(d.units(), Quantity::time),
               d.integer("run.steps"));
    md::Fire::Params fire_params;
    fire_params.dt              = dt_md;
    fire_params.force_tolerance = d.real("run.force_tolerance");
    fire_params.max_iterations  = d.integer("run.max_iterations");
    const md::Fire     fire(fire_params);
    md::Fire::Result   relaxed;
    long               iterations_total = 0;
    // One load step's relaxation: an error on every rank alike (the force maximum is reduced) if FIRE does
    // not get there.
    auto relax = [&](std::int64_t n) {
      TimerTable::Scope t(timers, "md step");
      sys->hold_clock(n);
      relaxed = fire.relax(*sys);
      sys->release_clock();
      iterations_total += relaxed.iterations;
      if (!relaxed.converged)
        throw RuntimeError(fmt::format(
          "md: load step {}: FIRE did not relax the atoms: after {} iterations the largest force is {:.6g} {} "
          "(run.force_tolerance = {:.6g}). Raise run.max_iterations (now {}), take smaller load steps (more "
          "run.load_steps, or a slower indenter or K ramp), or loosen run.force_tolerance",
          n, relaxed.iterations, relaxed.max_force, unit_symbol(d.units(), Quantity::force),
          d.real("run.force_tolerance"), d.integer("run.max_iterations")));
    };

    const std::string dir = d.string("output.directory");
    io::Provenance    prov(d.text(), to_string(d.units()), part.n_md_ranks(), part.n_fe_ranks());
    std::vector<std::string> columns{"pressure"};
    if (quasistatic) // how hard each recorded load step was to relax
      for (const char *c : {"fire_iterations", "max_force"})
        columns.emplace_back(c);
    for (auto &c : sys->fix_thermo_columns()) // e.g. the indenter's load and depth
      columns.push_back(std::move(c));
    io::ThermoWriter  thermo(dir + "/thermo.csv", part.local(), columns,
                             !restart ? io::ThermoWriter::Mode::create : io::ThermoWriter::Mode::restart, first);
    std::unique_ptr<io::AtomWriter> atoms_out;
    const long fields_every = d.integer("output.fields_every");
    if (fields_every > 0)
      atoms_out = std::make_unique<io::AtomWriter>(dir, prov, d.units(), part.local(), !restart ? -1 : first);
    const std::unique_ptr<AtomDump> dump = AtomDump::from_deck(d, *sys, !restart ? -1 : first);
    auto write_dump = [&](std::int64_t step) {
      if (!dump || !dump->due(step))
        return;
      TimerTable::Scope t(timers, "output");
      dump->write(*sys, step);
    };

    const long steps = d.integer("run.steps"), thermo_every = d.integer("output.thermo_every");
    Progress progress(part.local(), steps, params.time_step,
                      quasistatic ? std::string("load steps") : unit_symbol(d.units(), Quantity::time));
    log.info("{:>10} {:>14} {:>16} {:>16} {:>16}{}", "step", "temperature", "pe_atoms", "ke_atoms", "e_total",
             progress.header());
    RunawayGuard runaway("md", d.real("initial.temperature") > 0
                                 ? fmt::format("lower initial.temperature (now {}: a crystal this hot may melt or "
                                               "its atoms fly apart), or reduce md.time_step (now {})",
                                               d.real("initial.temperature"), dt_md)
                                 : fmt::format("reduce md.time_step (now {}), or check for overlapping atoms and "
                                               "the initial velocities",
                                               dt_md));
    auto report = [&](std::int64_t step) {
      TimerTable::Scope t(timers, "thermo");
      io::ThermoRow     row;
      row.step        = step;
      row.time        = step * params.time_step;
      row.temperature = sys->temperature();
      row.ke_atoms    = sys->kinetic_energy();
      row.pe_atoms    = sys->potential_energy();
      // MD-only: every atom is in the core; energies relative to the reference lattice at rest.
      double rel = 0;
      for (LocalIndex i = 0; i < sys->atoms().n_owned(); ++i)
        rel += sys->relative_energy(i);
      MPI_Allreduce(MPI_IN_PLACE, &rel, 1, MPI_DOUBLE, MPI_SUM, part.local());
      row.e_md     = row.ke_atoms + rel;
      row.e_total  = row.e_md;
      row.e_damped = sys->energy_removed();
      row.extra    = {pressure(*sys, d.dimension(), unit_constants(d.units()), part.local())};
      if (quasistatic)
        {
          row.extra.push_back(static_cast<double>(relaxed.iterations));
          row.extra.push_back(relaxed.max_force);
        }
      std::vector<double> fix_values = sys->fix_thermo_shares();
      MPI_Allreduce(MPI_IN_PLACE, fix_values.data(), static_cast<int>(fix_values.size()), MPI_DOUBLE, MPI_SUM,
                    part.local());
      row.extra.insert(row.extra.end(), fix_values.begin(), fix_values.end());
      runaway.check(row); // identical on every rank (reduced energies): all stop together
      thermo.write(row);
      log.info("{:>10} {:>14.6g} {:>16.10g} {:>16.10g} {:>16.10g}{}", step, row.temperature, row.pe_atoms,
               row.ke_atoms, row.e_total, progress.columns(step));
    };
    auto write_frame = [&](std::int64_t step) {
      TimerTable::Scope t(timers, "output");
      const auto        f = atom_fields(*sys);
      io::AtomFrame     frame;
      frame.step               = step;
      frame.time               = step * params.time_step;
      frame.n_atoms            = f.id.size();
      frame.id                 = f.id.data();
      frame.reference_position = f.ref.data();
      frame.displacement       = f.disp.data();
      frame.velocity           = f.vel.data();
      frame.weight             = f.weight.data();
      const std::vector<double> coordination = sys->output_coordination();
      frame.with_coordination                = sys->has_lattice();
      frame.coordination                     = coordination.data();
      atoms_out->write(frame);
    };

    if (first == 0)
      {
        if (quasistatic)
          relax(0);
        report(0);
        if (atoms_out)
          parallel::agreed(part.world(), part.prefix() + " step 0: output", [&] { write_frame(0); });
        write_dump(0);
      }
    long last = steps;
    for (long s = first + 1; s <= steps; ++s)
      {
        const bool want_thermo = s % thermo_every == 0 || s == steps;
        if (quasistatic)
          relax(s);
        else
          {
            TimerTable::Scope t(timers, "md step");
            sys->step(want_thermo);
          }
        if (want_thermo)
          report(s);
        if (atoms_out && s % fields_every == 0)
          parallel::agreed(part.world(), fmt::format("{} step {}: output", part.prefix(), s), [&] { write_frame(s); });
        write_dump(s);
        progress.tick(s);
        if (checkpoints.after_step(s, [&](StateOut &out) { sys->save_state(out); }))
          {
            last = s;
            break;
          }
      }
    RunStats stats;
    stats.steps        = last;
    stats.time_step    = params.time_step;
    stats.n_atoms      = sys->n_atoms();
    stats.md_steps     = quasistatic ? iterations_total : last - first; // FIRE iterations are MD steps
    stats.loop_seconds = progress.elapsed();
    if (quasistatic)
      log.info("md: {} load steps relaxed in {} FIRE iterations, {} neighbor list builds", last - first,
               iterations_total, sys->n_rebuilds());
    else
      log.info("md: {} neighbor list builds in {} steps ({} dangerous: after a step that skipped the check)",
               sys->n_rebuilds(), last - first, sys->n_dangerous_builds());
    // Where the "md step" phase went, per section and over the MD ranks (collective on part.local()).
    const std::string breakdown = sys->timing_table();
    log.info("{}", breakdown);
    return stats;
  }
} // namespace seam::app
