// The coupled time loop, one flat list of timed phases per partition (ExaMiniMD's run()): the MD ranks
// step the atoms (the band's fixes exchange the constraint inside the steps), the FE ranks step the
// continuum in time windows of coupling.substeps MD steps; both follow the same CouplingScheme.
#include "app/coupled_run.h"

#include "app/coupled_fe_side.h"
#include "app/coupled_md_side.h"
#include "app/checkpointing.h"
#include "app/coupled_report.h"
#include "base/error.h"
#include "base/log.h"
#include "coupling/coupling_scheme.h"
#include "parallel/agreement.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

namespace seam::app
{
  namespace
  {
    /// Output of a frame, agreed over the world: both sides write their frames at the same steps, so an I/O
    /// failure on either (a full disk) ends every rank of both partitions here, with one message.
    template <class Write>
    void agreed_frame(const parallel::Partition &part, std::int64_t step, Write &&write)
    {
      parallel::agreed(part.world(), fmt::format("{} step {}: output", part.prefix(), step), std::forward<Write>(write));
    }

    /// Loop bounds shared by both sides.
    struct Schedule
    {
      long windows, thermo_every, fields_every;
      bool thermo_after(long w) const { return ((w + 1) * substeps) % thermo_every == 0 || w + 1 == windows; }
      long substeps;
    };

    Schedule schedule(const config::Deck &d, const coupling::CouplingScheme &scheme)
    {
      return {scheme.n_windows(d.integer("run.steps")), d.integer("output.thermo_every"),
              d.integer("output.fields_every"), scheme.substeps()};
    }

    /// The window a run continues from: a checkpoint's step is a window's end (both sides check the
    /// window length it was written with, check_substeps). @throws RuntimeError otherwise
    long first_window(std::int64_t first_step, const Schedule &s)
    {
      if (first_step % s.substeps != 0)
        throw RuntimeError(fmt::format("run.restart: the checkpoint is at step {}, not the end of an FE step of {} MD "
                                       "steps: restart with the coupling.substeps it was written with",
                                       first_step, s.substeps));
      return static_cast<long>(first_step / s.substeps);
    }

    /// coupling.substeps: auto. Both partitions call this with the same stable step (the FE ranks' own,
    /// the MD ranks' from the exchange plan), so they agree on the window without a message.
    void choose_substeps(const config::Deck &d, coupling::CouplingScheme &scheme, double stable, const Log &log,
                         const char *side)
    {
      if (!d.is_auto("coupling.substeps"))
        return;
      long multiple = d.integer("run.steps");
      for (const char *k : {"output.thermo_every", "output.fields_every", "output.dump_every", "output.checkpoint_every"})
        if (d.integer(k) > 0)
          multiple = std::gcd(multiple, d.integer(k));
      const long n = coupling::CouplingScheme::auto_substeps(stable, scheme.dt_md(), multiple);
      scheme.set_substeps(n);
      if (std::string(side) == "fe") // one line for the run
        log.info("{}: coupling.substeps auto: {} (FE step {:.6g}, {:.0f} % of the stable step {:.6g}; a divisor of "
               "run.steps and the output intervals, gcd {})",
               side, n, scheme.dt_fe(), 100.0 * scheme.dt_fe() / stable, stable, multiple);
    }

    // MD ranks: velocity-Verlet steps; in each, post_integrate fixes exchange the constraint at the
    // scheme's exchange points (BandConstraintFix) and absorb at the window's end (coupling.damping).
    RunStats run_md(const config::Deck &d, const parallel::Partition &part, TimerTable &timers,
                coupling::CouplingScheme &scheme)
    {
      CoupledMdSide  md(d, part, timers, scheme);
      choose_substeps(d, scheme, md.band().fe_stable_step(), Log(part.local(), "md"), "md");
      const Schedule s = schedule(d, scheme);
      Checkpointing  checkpoints(d, part, "coupled", scheme.dt_md(), timers);
      const long     w0 = first_window(checkpoints.restore([&](const StateIn &in) { md.load_state(in); }), s);
      const bool     fresh = w0 == 0 && !checkpoints.restarting();
      md.open_output(fresh ? -1 : w0 * s.substeps);
      if (fresh)
        md.band().exchange(false, 0.0); // start-up: the FE side records the constraint's target
      CoupledReport report(d, part, fresh ? -1 : w0 * s.substeps, md.system().fix_thermo_columns());
      auto          thermo = [&](std::int64_t step) {
        TimerTable::Scope   t(timers, "thermo");
        std::vector<double> e(report.size(), 0.0);
        md.energies(e.data());
        const auto extra = md.system().fix_thermo_shares(); // e.g. the indenter's load and depth
        std::copy(extra.begin(), extra.end(), e.begin() + n_slots);
        report(step, e.data());
      };
      if (fresh)
        {
          thermo(0);
          agreed_frame(part, 0, [&] { md.frame(0); });
          md.dump(0);
        }
      long w = w0;
      for (; w < s.windows; ++w)
        {
          const std::int64_t last = (w + 1) * s.substeps;
          const bool         want = s.thermo_after(w);
          for (long k = 1; k <= s.substeps; ++k)
            {
              TimerTable::Scope t(timers, "md substeps"); // the constraint exchange included
              md.system().step(want && k == s.substeps);
            }
          if (want)
            thermo(last);
          if (s.fields_every > 0 && last % s.fields_every == 0)
            agreed_frame(part, last, [&] { md.frame(last); });
          md.dump(last);
          report.tick(last);
          if (checkpoints.after_step(last, [&](StateOut &out) { md.save_state(out); }))
            {
              ++w;
              break;
            }
        }
      Log(part.local(), "md").info("md: {} neighbor list builds", md.system().n_rebuilds());
      RunStats stats;
      stats.steps        = w * s.substeps;
      stats.time_step    = d.real("md.time_step");
      stats.n_atoms      = md.system().n_atoms();
      stats.md_steps     = (w - w0) * s.substeps;
      stats.loop_seconds = report.elapsed();
      return stats;
    }

    // FE ranks: per window a half kick, then per exchange point a drift and the constraint exchange,
    // then the FE force and the closing half kick (the r-RESPA slow force, see CouplingScheme).
    template <int dim>
    RunStats run_fe(const config::Deck &d, const parallel::Partition &part, TimerTable &timers,
                coupling::CouplingScheme &scheme)
    {
      CoupledFeSide<dim> fe(d, part, timers, scheme);
      choose_substeps(d, scheme, fe.continuum().stable_time_step(), Log(part.local(), "fe"), "fe");
      const Schedule     s   = schedule(d, scheme);
      auto              &fem = fe.continuum();
      Checkpointing      checkpoints(d, part, "coupled", scheme.dt_md(), timers);
      const long         w0 = first_window(checkpoints.restore([&](const StateIn &in) { fe.load_state(in); }), s);
      const bool         fresh = w0 == 0 && !checkpoints.restarting();
      fe.open_output(fresh ? -1 : w0 * s.substeps);
      if (fresh)
        fe.band().exchange(false, 0.0);
      CoupledReport report(d, part, fresh ? -1 : w0 * s.substeps);
      auto          thermo = [&](std::int64_t step) {
        TimerTable::Scope   t(timers, "thermo");
        std::vector<double> e(report.size(), 0.0);
        fe.energies(e.data());
        report(step, e.data());
      };
      if (fresh)
        {
          thermo(0);
          agreed_frame(part, 0, [&] { fe.frame(0); });
        }
      const std::vector<long> points = scheme.exchange_points();
      long                    w      = w0;
      for (; w < s.windows; ++w)
        {
          const std::int64_t last = (w + 1) * s.substeps;
          const double       t    = w * scheme.dt_fe();
          {
            TimerTable::Scope tm(timers, "fe kick drift");
            fem.kick(t, scheme.dt_fe());
          }
          double drifted = 0.0;
          for (long k : points)
            {
              const double segment = scheme.segment(w * s.substeps + k);
              {
                TimerTable::Scope tm(timers, "fe kick drift");
                fe.drift_band(segment); // the band's nodes only: the rest drifts once below
              }
              drifted += segment;
              fe.band().exchange(true, segment);
            }
          {
            TimerTable::Scope tm(timers, "fe kick drift");
            fe.drift_rest(drifted);
          }
          {
            TimerTable::Scope tm(timers, "fe force");
            fem.force_kick(t, scheme.dt_fe());
          }
          fe.close_window();
          if (s.thermo_after(w))
            thermo(last);
          if (s.fields_every > 0 && last % s.fields_every == 0)
            agreed_frame(part, last, [&] { fe.frame(last); });
          if (checkpoints.after_step(last, [&](StateOut &out) { fe.save_state(out); }))
            {
              ++w;
              break;
            }
        }
      RunStats stats;
      stats.n_dofs       = static_cast<std::int64_t>(fem.n_dofs());
      stats.fe_steps     = w - w0;
      stats.loop_seconds = report.elapsed();
      return stats;
    }
  } // namespace

  RunStats run_coupled(const config::Deck &d, const parallel::Partition &part, TimerTable &timers)
  {
    // coupling.substeps: auto starts with 1 (the sides' start-up checks pass) and is set once the FE's
    // stable step is known (choose_substeps).
    const long substeps = d.is_auto("coupling.substeps") ? 1 : d.integer("coupling.substeps");
    const auto scheme   = coupling::create_coupling_scheme(d.string("coupling.constrain_every"), substeps, d.real("md.time_step"));
    if (part.is_md())
      return run_md(d, part, timers, *scheme);
    switch (d.dimension())
      {
        case 1: return run_fe<1>(d, part, timers, *scheme);
        case 2: return run_fe<2>(d, part, timers, *scheme);
        default: return run_fe<3>(d, part, timers, *scheme);
      }
  }
} // namespace seam::app
