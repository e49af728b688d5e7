// The FE-only time loop (the one deal.II-heavy translation unit of app/, instantiated for dim 1, 2, 3).
#include "app/fe_run.h"

#include "app/checkpointing.h"
#include "app/runaway_guard.h"

#include "app/material_factory.h"
#include "base/error.h"
#include "base/log.h"
#include "base/progress.h"
#include "fe/elastodynamics.h"
#include "fe/material.h"
#include "fe/mesh.h"
#include "io/continuum_writer.h"
#include "io/thermo_writer.h"
#include "parallel/agreement.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>

namespace seam::app
{
  namespace
  {
    template <int dim>
    RunStats run(const config::Deck &d, const parallel::Partition &part, TimerTable &timers)
    {
      Log log(part.local(), "fe");
      const typename fe::Mesh<dim>::Params mp = mesh_params<dim>(d);

      typename fe::Elastodynamics<dim>::Params ep = elastodynamics_params<dim>(d);

      std::unique_ptr<fe::Mesh<dim>>           mesh;
      std::unique_ptr<fe::Elastodynamics<dim>> fe;
      {
        TimerTable::Scope t(timers, "setup");
        mesh = std::make_unique<fe::Mesh<dim>>(part.local(), mp);
        fe   = std::make_unique<fe::Elastodynamics<dim>>(*mesh, make_material<dim>(d, &log), ep);
        fe->set_initial_conditions(d.strings("initial.displacement"), d.strings("initial.velocity"));
      }
      const double stable = fe->stable_time_step();
      double       dt     = 0;
      if (d.is_auto("fe.time_step"))
        dt = 0.9 * stable;
      else
        {
          dt = d.real("fe.time_step");
          if (dt > stable)
            d.fail("fe.time_step",
                   fmt::format("fe.time_step = {} is larger than the largest stable step {:.6g} of this mesh and "
                               "material (explicit central differences)",
                               dt, stable),
                   fmt::format("fe.time_step <= {:.6g}", stable),
                   fmt::format("use fe.time_step: auto (0.9 x {:.6g}) or a smaller value", stable));
        }
      log.info("fe: {} cells, {} DoFs, Q{}, dt = {:.6g} {} (stable step {:.6g}), {} steps", mesh->n_cells(),
               fe->n_dofs(), ep.degree, dt, unit_symbol(d.units(), Quantity::time), stable, d.integer("run.steps"));

      // run.restart: the checkpoint's state replaces the initial conditions (same deck, same ranks).
      Checkpointing      checkpoints(d, part, "fe", dt, timers);
      const std::int64_t first   = checkpoints.restore([&](const StateIn &in) { fe->load_state(in); });
      const bool         restart = checkpoints.restarting();

      const std::string dir = d.string("output.directory");
      io::Provenance    prov(d.text(), to_string(d.units()), part.n_md_ranks(), part.n_fe_ranks());
      io::ThermoWriter  thermo(dir + "/thermo.csv", part.local(), {},
                               !restart ? io::ThermoWriter::Mode::create : io::ThermoWriter::Mode::restart,
                               first);
      const long        fields_every = d.integer("output.fields_every");
      std::unique_ptr<io::ContinuumWriter<dim>> out;
      if (fields_every > 0)
        out = std::make_unique<io::ContinuumWriter<dim>>(dir, prov, d.units(), part.local(),
                                                         !restart ? -1 : first);

      const long steps = d.integer("run.steps"), thermo_every = d.integer("output.thermo_every");
      Progress   progress(part.local(), steps, dt, unit_symbol(d.units(), Quantity::time));
      log.info("{:>10} {:>14} {:>16} {:>16} {:>16}{}", "step", "time", "e_fe", "e_damped", "e_fe+e_damped",
               progress.header());
      RunawayGuard runaway("fe", "reduce fe.time_step (or use auto)", std::numeric_limits<double>::infinity());
      auto report = [&](std::int64_t step) {
        TimerTable::Scope t(timers, "thermo");
        io::ThermoRow     row;
        row.step     = step;
        row.time     = step * dt;
        row.e_fe     = fe->kinetic_energy() + fe->strain_energy();
        row.e_damped = fe->absorbed_energy();
        row.e_total  = row.e_fe;
        runaway.check(row); // identical on every rank (reduced energies)
        thermo.write(row);
        log.info("{:>10} {:>14.6g} {:>16.10g} {:>16.10g} {:>16.10g}{}", step, row.time, row.e_fe, row.e_damped,
                 row.e_fe + row.e_damped, progress.columns(step));
      };
      auto frame = [&](std::int64_t step) {
        TimerTable::Scope         t(timers, "output");
        io::ContinuumFrame<dim> f;
        f.step            = step;
        f.time            = step * dt;
        f.dof_handler     = &fe->dof_handler();
        f.displacement    = &fe->displacement();
        f.velocity        = &fe->velocity();
        f.weight_function = [](const dealii::Point<dim> &) { return 1.0; }; // no band: all continuum
        std::array<typename fe::Elastodynamics<dim>::VectorType, dim> stress; // C : eps, no unit conversion
        fe->compute_nodal_stress(stress);
        for (int i = 0; i < dim; ++i)
          f.stress[i] = &stress[i];
        out->write(f);
      };

      if (first == 0)
        {
          report(0);
          if (out)
            parallel::agreed(part.world(), part.prefix() + " step 0: output", [&] { frame(0); });
        }
      long last = steps;
      for (long s = first + 1; s <= steps; ++s)
        {
          {
            TimerTable::Scope t(timers, "fe step");
            fe->step((s - 1) * dt, dt);
          }
          if (s % thermo_every == 0 || s == steps)
            report(s);
          if (out && s % fields_every == 0)
            parallel::agreed(part.world(), fmt::format("{} step {}: output", part.prefix(), s), [&] { frame(s); });
          progress.tick(s);
          if (checkpoints.after_step(s, [&](StateOut &o) { fe->save_state(o); }))
            {
              last = s;
              break;
            }
        }
      RunStats stats;
      stats.steps        = last;
      stats.time_step    = dt;
      stats.n_dofs       = static_cast<std::int64_t>(fe->n_dofs());
      stats.fe_steps     = last - first;
      stats.loop_seconds = progress.elapsed();
      return stats;
    }
  } // namespace

  RunStats run_fe_only(const config::Deck &deck, const parallel::Partition &part, TimerTable &timers)
  {
    switch (deck.dimension())
      {
        case 1: return run<1>(deck, part, timers);
        case 2: return run<2>(deck, part, timers);
        default: return run<3>(deck, part, timers);
      }
  }
} // namespace seam::app
