// The coupled time loop: MD substeps on the MD ranks, the FE step on the FE ranks, the constraint
// exchanged over the intercommunicator at every MD substep (coupling.constrain_every: md_step, r-RESPA
// with SHAKE: see coupling::FeBand) or once per FE step (fe_step). The FE force of the next step is
// computed while the MD ranks compute theirs.
#include "app/coupled_run.h"

#include "app/material_factory.h"
#include "app/md_run.h"
#include "base/error.h"
#include "base/expression.h"
#include "base/log.h"
#include "coupling/fe_band.h"
#include "coupling/handshake.h"
#include "coupling/intercomm.h"
#include "fe/elastodynamics.h"
#include "fe/mesh.h"
#include "io/atom_writer.h"
#include "io/continuum_writer.h"
#include "io/thermo_writer.h"
#include "md/md_system.h"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <unordered_map>

namespace seam::app
{
  namespace
  {
    /// The energies of one thermo row that each side contributes (summed over the world).
    enum Slot
    {
      ke_atoms,
      pe_atoms,
      e_md,
      e_hs,
      e_fe,
      e_damped,
      n_atoms_slot,
      n_slots
    };

    coupling::Handshake make_handshake(const config::Deck &d, const md::MdSystemParams &mp)
    {
      Vec3       dlo{}, dhi{};
      const auto lo = d.reals("fe.domain.lo"), hi = d.reals("fe.domain.hi");
      for (int a = 0; a < d.dimension(); ++a)
        {
          dlo[a] = lo[a];
          dhi[a] = hi[a];
        }
      return coupling::Handshake(d.dimension(), mp.region_lo, mp.region_hi, dlo, dhi, mp.periodic,
                                 d.real("coupling.handshake.width"),
                                 d.string("coupling.weight") == "linear" ? coupling::WeightProfile::linear
                                                                        : coupling::WeightProfile::cubic);
    }

    /// Original lattice site of owned atom i (unwrapped).
    Vec3 site(const md::MdSystem &sys, LocalIndex i) { return sys.atoms().reference_position(i, sys.domain().length()); }

    /// Constants shared by both sides.
    struct Setup
    {
      int    dim;
      long   substeps, n_big, thermo_every, fields_every;
      double dt_md, dt_fe;
      bool   every_md;   // coupling.constrain_every: md_step
      double dt_c;       // the step between constraint corrections: dt_md or dt_fe
      double mvv2e;
    };

    /// Sums the energies of both sides over the world and writes the thermo row (world rank 0, an MD
    /// rank, writes and logs). Collective on the world.
    struct Reporter
    {
      Reporter(const config::Deck &d, const parallel::Partition &part, const Setup &s)
        : part_(part)
        , s_(s)
        , units_(unit_constants(d.units()))
        , thermo_(d.string("output.directory") + "/thermo.csv", part.world())
        , log_(part.world(), "seam")
      {
        log_.info("{:>10} {:>12} {:>15} {:>15} {:>15} {:>15} {:>15}", "step", "temperature", "e_md", "e_handshake",
                  "e_fe", "e_damped", "e_total");
      }
      void operator()(std::int64_t step, const double *local)
      {
        double e[n_slots];
        MPI_Allreduce(local, e, n_slots, MPI_DOUBLE, MPI_SUM, part_.world());
        io::ThermoRow row;
        row.step        = step;
        row.time        = step * s_.dt_md;
        const double n  = e[n_atoms_slot];
        const double dof = s_.dim * n - s_.dim;
        row.temperature = dof > 0 ? 2.0 * e[ke_atoms] / (dof * units_.boltzmann) : 0.0;
        row.ke_atoms    = e[ke_atoms];
        row.pe_atoms    = e[pe_atoms];
        row.e_md        = e[e_md];
        row.e_handshake = e[e_hs];
        row.e_fe        = e[e_fe];
        row.e_damped    = e[e_damped];
        row.e_total     = e[e_md] + e[e_hs] + e[e_fe];
        if (!std::isfinite(row.e_total))
          throw RuntimeError(fmt::format("step {}: the energy is not finite (e_md = {}, e_handshake = {}, e_fe = {}); "
                                         "the time steps are probably too large",
                                         step, row.e_md, row.e_handshake, row.e_fe));
        thermo_.write(row);
        log_.info("{:>10} {:>12.6g} {:>15.9g} {:>15.9g} {:>15.9g} {:>15.9g} {:>15.9g}", step, row.temperature,
                  row.e_md, row.e_handshake, row.e_fe, row.e_damped, row.e_total);
      }

      const parallel::Partition &part_;
      const Setup               &s_;
      UnitConstants              units_;
      io::ThermoWriter           thermo_;
      Log                        log_;
    };

    /// The FE step substeps x md.time_step must be stable; the same verdict on both sides (the MD side
    /// gets the FE's stable step with the exchange plan). @throws InputError
    void check_fe_step(const config::Deck &d, const Setup &s, double stable)
    {
      if (s.dt_fe > stable)
        d.fail("coupling.substeps",
               fmt::format("the FE step coupling.substeps x md.time_step = {} x {} = {:.6g} is larger than the "
                           "largest stable step {:.6g} of this mesh and material",
                           s.substeps, s.dt_md, s.dt_fe, stable),
               fmt::format("coupling.substeps <= {}", std::max(1L, static_cast<long>(stable / s.dt_md))),
               "use fewer substeps, or a larger fe.element_size.near");
    }

    // ------------------------------------------------------------------------------------------ MD side
    void run_md_side(const config::Deck &d, const parallel::Partition &part, TimerTable &timers, const Setup &s)
    {
      Log   log(part.local(), "md");
      auto  params = md_params(d);
      const coupling::Handshake hs = make_handshake(d, params);
      params.weight                = [&hs](const Vec3 &x0) { return hs.alpha(x0); };
      const MPI_Comm inter         = part.inter();
      const int      dim           = s.dim;

      // Faces of md.region on a face of fe.domain (no band there) take that face's condition (contract,
      // Geometry): fixed and velocity faces hold a layer of atoms (below); free faces are free surfaces;
      // absorbing and traction conditions act on the continuum only (logged).
      // shared[2 axis + side]: that face's non-free condition when the face lies on fe.domain, else null.
      // The conditions by face id (the parsing does not depend on the dimension).
      const auto                                   fe_bc = elastodynamics_params<3>(d).boundary;
      std::array<const fe::BoundaryCondition *, 6> shared{};
      for (int a = 0; a < dim; ++a)
        for (int side = 0; side < 2; ++side)
          {
            const auto it = fe_bc.find(static_cast<unsigned>(2 * a + side));
            if (!hs.borders(a, side) && !params.periodic[a] && it != fe_bc.end() && !it->second.is_free())
              shared[2 * a + side] = &it->second;
          }
      auto is_wall = [&](int a, int side) {
        const fe::BoundaryCondition *bc = shared[2 * a + side];
        return bc != nullptr && bc->prescribes_velocity();
      };

      std::unique_ptr<md::MdSystem> sys;
      std::unique_ptr<ReferenceSiteEnergies> reference; // relative energies atom by atom
      std::unordered_map<GlobalId, int> fe_rank_of; // band atom id -> FE rank owning its cell
      {
        TimerTable::Scope t(timers, "setup");
        sys = std::make_unique<md::MdSystem>(params, part.local());
        sys->setup();
        // Ghost-force correction at the reference lattice, except near faces that are real surfaces (not
        // near walls: the held layer gives the atoms beyond it their full neighbourhood).
        const double reach = 2.0 * sys->potential().cutoff() + params.skin;
        sys->freeze_reference_force([&](const Vec3 &X) {
          for (int a = 0; a < dim; ++a)
            for (int side = 0; side < 2; ++side)
              if (!hs.borders(a, side) && !params.periodic[a] && !is_wall(a, side))
                {
                  const double dist = side == 0 ? X[a] - params.region_lo[a] : params.region_hi[a] - X[a];
                  if (dist < reach)
                    return false;
                }
          return true;
        });
        // Reference site energies (weighted, dead load included, at rest).
        const auto &atoms = sys->atoms();
        reference         = std::make_unique<ReferenceSiteEnergies>(*sys, part.local());

        // Exchange plan: FE bounding boxes, candidates, the owners' answer.
        const auto boxes  = coupling::gather_remote(inter, {});
        const int  n_fe   = part.n_fe_ranks();
        const int  stride = 2 * dim + 1; // box, then the FE's stable step
        check_fe_step(d, s, boxes[stride - 1]);
        std::vector<std::vector<double>> send(n_fe);
        long n_band_local = 0;
        for (LocalIndex i = 0; i < atoms.n_owned(); ++i)
          {
            const Vec3 X = site(*sys, i);
            if (!hs.in_band(X))
              continue;
            ++n_band_local;
            for (int r = 0; r < n_fe; ++r)
              {
                bool inside = true;
                for (int a = 0; a < dim; ++a)
                  inside = inside && X[a] >= boxes[stride * r + 2 * a] && X[a] <= boxes[stride * r + 2 * a + 1];
                if (inside)
                  {
                    send[r].push_back(static_cast<double>(atoms.id()[i]));
                    send[r].insert(send[r].end(), X.begin(), X.end());
                  }
              }
          }
        coupling::exchange(inter, send);
        const auto claimed = coupling::gather_remote(inter, {});
        for (std::size_t k = 0; k + 1 < claimed.size(); k += 2)
          fe_rank_of[static_cast<GlobalId>(claimed[k + 1])] = static_cast<int>(claimed[k]);
        long n_band = 0;
        MPI_Allreduce(&n_band_local, &n_band, 1, MPI_LONG, MPI_SUM, part.local());
        if (n_band != static_cast<long>(fe_rank_of.size()))
          throw RuntimeError(fmt::format("handshake: {} band atoms but the FE ranks located {} of them in the mesh",
                                         n_band, fe_rank_of.size()));
        log.info("md: {} atoms, {} in the band ({}); {} potential, dt = {}, {} substeps per FE step",
                 sys->n_atoms(), n_band, hs.describe(), params.potential_style, s.dt_md, s.substeps);
      }

      // Initial state (atoms at reference sites), and md.thermostat (e.g. T = 0 to relax the atoms).
      apply_initial_state(d, *sys);

      // Walls: the atoms within `reach` of a fixed face stay at their sites; within reach of a velocity
      // face they move with the prescribed velocity. The layer is thick enough (2 cutoffs + skin) that
      // every atom outside it has its full neighbourhood, as in LAMMPS' frozen-wall practice.
      struct Wall
      {
        int                                      axis, side;
        std::vector<std::unique_ptr<Expression>> velocity; // empty: fixed
      };
      std::vector<Wall> walls;
      const double      reach = 2.0 * sys->potential().cutoff() + params.skin; // as for the dead load
      {
        const char *names[6] = {"x_lo", "x_hi", "y_lo", "y_hi", "z_lo", "z_hi"};
        for (int a = 0; a < dim; ++a)
          for (int side = 0; side < 2; ++side)
            {
              const fe::BoundaryCondition *bc = shared[2 * a + side];
              if (bc == nullptr)
                continue;
              if (is_wall(a, side))
                {
                  Wall w{a, side, {}};
                  for (const auto &e : bc->value) // empty for fixed
                    w.velocity.push_back(std::make_unique<Expression>(e));
                  walls.push_back(std::move(w));
                  log.info("md: atoms within {:.6g} of md.region's face {} (on fe.domain's {} face) are held {}",
                           reach, names[2 * a + side], bc->style,
                           bc->value.empty() ? "at their sites" : "at the prescribed velocity");
                }
              else
                log.info("md: md.region's face {} lies on fe.domain's {} face: the atoms there are a free surface "
                         "(absorbing and traction conditions act on the continuum only; leave a gap to fe.domain "
                         "for a handshake band there)",
                         names[2 * a + side], bc->style);
            }
      }
      // The wall condition of atom i at time t: false if it is in no layer; else its velocity into v.
      auto in_wall = [&](LocalIndex i, double t, std::array<double, 3> &v) {
        const Vec3 X = site(*sys, i);
        for (const Wall &w : walls)
          {
            const double dist = w.side == 0 ? X[w.axis] - params.region_lo[w.axis] : params.region_hi[w.axis] - X[w.axis];
            if (dist >= reach)
              continue;
            v = {0.0, 0.0, 0.0};
            for (std::size_t c = 0; c < w.velocity.size() && c < 3; ++c)
              v[c] = (*w.velocity[c])(X[0], X[1], X[2], t);
            return true;
          }
        return false;
      };
      if (!walls.empty())
        {
          auto &atoms = sys->atoms();
          for (LocalIndex i = 0; i < atoms.n_owned(); ++i)
            {
              std::array<double, 3> v;
              if (!in_wall(i, 0.0, v))
                continue;
              atoms.x()[i] = atoms.x0()[i]; // the initial displacement does not apply to the wall
              for (int a = 0; a < 3; ++a)
                atoms.v()[i][a] = v[a];
            }
        }
      sys->setup();
      apply_thermostat(d, *sys);

      // Fine-scale damping (after the constraint correction that closes each FE step): the band atoms'
      // velocity relative to the FE velocity at the atom, d = v - v_fe, decays by exp(-strength (1 - alpha)) per FE step, i.e. at
      // the rate gamma = strength (1 - alpha) / dt_fe, from nothing at the band's inner edge to one
      // e-fold per FE step at its outer edge (a damping ramp as in the stadium damping of Holian & Ravelo
      // 1995, PRB 51:11275, applied to the fine-scale part only, Wagner & Liu 2003, JCP 190:249). v_fe is
      // the corrected FE half-step velocity interpolated at the atom. The kinetic energy removed is
      // accounted for exactly in e_damped (it can be negative at times: v_fe is not the atoms' own
      // coarse velocity).
      const bool damp = d.string("coupling.damping.style") == "fine_scale";
      const double strength = d.real("coupling.damping.strength");
      struct FeVel
      {
        std::array<double, 3> now{};    // the FE velocity at the atom, last FE half step
        std::array<double, 3> lambda{}; // the multiplier field at the atom: constraint force -lambda
      };
      std::unordered_map<GlobalId, FeVel> fe_vel;
      double damped_local = 0;
      // The hook adds the predicted constraint force -lambda and the fine-scale damping to band atoms.
      sys->set_force_hook([&](md::Atoms &atoms, std::int64_t step) {
          for (LocalIndex i = 0; i < atoms.n_owned(); ++i)
            {
              std::array<double, 3> vw;
              if (!walls.empty() && in_wall(i, step * s.dt_md, vw))
                {
                  // Held: no force, the prescribed velocity (the closing half kick then changes nothing).
                  for (int a = 0; a < 3; ++a)
                    {
                      atoms.f()[i][a] = 0.0;
                      atoms.v()[i][a] = vw[a];
                    }
                  continue;
                }
              const double w = atoms.weight()[i];
              if (w >= 1.0)
                continue;
              const auto it = fe_vel.find(atoms.id()[i]);
              if (it == fe_vel.end())
                continue;
              const FeVel &fv = it->second;
              for (int a = 0; a < dim; ++a)
                atoms.f()[i][a] -= fv.lambda[a];
            }
        });

      // One constraint exchange: send (id, u) of owned band atoms, receive (dv, v_fe).
      std::vector<std::vector<LocalIndex>> sent(part.n_fe_ranks());
      auto constrain = [&](bool apply, bool damp_now) {
        auto &atoms = sys->atoms();
        std::vector<std::vector<double>> send(part.n_fe_ranks());
        for (auto &l : sent)
          l.clear();
        for (LocalIndex i = 0; i < atoms.n_owned(); ++i)
          {
            if (atoms.weight()[i] >= 1.0 && !hs.in_band(site(*sys, i)))
              continue;
            const auto it = fe_rank_of.find(atoms.id()[i]);
            if (it == fe_rank_of.end())
              continue;
            auto &b = send[it->second];
            b.push_back(static_cast<double>(atoms.id()[i]));
            for (int a = 0; a < dim; ++a)
              b.push_back(atoms.x()[i][a] - atoms.x0()[i][a]);
            sent[it->second].push_back(i);
          }
        coupling::exchange(inter, send);
        const auto recv = coupling::exchange(inter, {});
        for (std::size_t r = 0; r < recv.size(); ++r)
          for (std::size_t k = 0; k < sent[r].size(); ++k)
            {
              const LocalIndex i  = sent[r][k];
              const double    *dv = &recv[r][3 * dim * k];
              if (apply)
                for (int a = 0; a < dim; ++a)
                  {
                    atoms.v()[i][a] += dv[a];
                    atoms.x()[i][a] += s.dt_c * dv[a];
                  }
              if (apply && damp && damp_now)
                {
                  const double r   = std::exp(-strength * (1.0 - atoms.weight()[i]));
                  double       ke  = 0;
                  for (int a = 0; a < dim; ++a)
                    {
                      const double vfe = dv[dim + a];
                      const double vn  = vfe + r * (atoms.v()[i][a] - vfe);
                      ke += atoms.v()[i][a] * atoms.v()[i][a] - vn * vn;
                      atoms.v()[i][a] = vn;
                    }
                  damped_local += 0.5 * atoms.mass() * atoms.mass_scale()[i] * s.mvv2e * ke;
                }
              FeVel &fv = fe_vel[atoms.id()[i]];
              for (int a = 0; a < dim; ++a)
                {
                  fv.now[a]    = dv[dim + a];
                  fv.lambda[a] = dv[2 * dim + a];
                }
            }
      };

      // Output.
      const std::string dir = d.string("output.directory");
      io::Provenance    prov(d.text(), to_string(d.units()), part.n_md_ranks(), part.n_fe_ranks());
      std::unique_ptr<io::AtomWriter> out;
      if (s.fields_every > 0)
        out = std::make_unique<io::AtomWriter>(dir, prov, d.units(), part.local());
      auto frame = [&](std::int64_t step) {
        TimerTable::Scope t(timers, "output");
        const auto       &atoms = sys->atoms();
        const std::size_t n     = atoms.n_owned();
        std::vector<GlobalId> id(atoms.id().begin(), atoms.id().begin() + n);
        std::vector<Vec3>     ref(n), disp(n), vel(atoms.v().begin(), atoms.v().begin() + n);
        std::vector<double>   w(atoms.weight().begin(), atoms.weight().begin() + n);
        for (std::size_t i = 0; i < n; ++i)
          {
            ref[i] = site(*sys, static_cast<LocalIndex>(i));
            for (int a = 0; a < 3; ++a)
              disp[i][a] = atoms.x()[i][a] - atoms.x0()[i][a];
          }
        io::AtomFrame f;
        f.step               = step;
        f.time               = step * s.dt_md;
        f.n_atoms            = n;
        f.id                 = id.data();
        f.reference_position = ref.data();
        f.displacement       = disp.data();
        f.velocity           = vel.data();
        f.weight             = w.data();
        out->write(f);
      };
      auto energies = [&](double *e) {
        const auto &atoms = sys->atoms();
        for (LocalIndex i = 0; i < atoms.n_owned(); ++i)
          {
            double v2 = 0;
            for (int a = 0; a < 3; ++a)
              v2 += atoms.v()[i][a] * atoms.v()[i][a];
            const double ke = 0.5 * atoms.mass() * s.mvv2e * v2;
            e[ke_atoms] += ke;
            e[hs.in_band(site(*sys, i)) ? e_hs : e_md] +=
              atoms.mass_scale()[i] * ke + reference->relative(*sys, i);
          }
        // Collective parts: every MD rank calls, MD rank 0 adds the totals.
        const double pe_plain = sys->unweighted_potential_energy();
        const double thermo   = sys->has_thermostat() ? sys->thermostat_energy() : 0.0;
        if (part.local_rank() == 0)
          {
            e[pe_atoms] += pe_plain;
            e[e_damped] += thermo;
            e[n_atoms_slot] = static_cast<double>(sys->n_atoms());
          }
        e[e_damped] += damped_local;
      };

      // Time loop.
      constrain(false, false); // g_target and the FE velocity at t = 0
      Reporter report(d, part, s);
      {
        double e[n_slots] = {};
        energies(e);
        report(0, e);
      }
      if (out)
        frame(0);
      for (long big = 0; big < s.n_big; ++big)
        {
          const std::int64_t last = (big + 1) * s.substeps;
          const bool         want = last % s.thermo_every == 0 || big + 1 == s.n_big;
          if (s.every_md)
            for (long k = 1; k <= s.substeps; ++k)
              {
                {
                  TimerTable::Scope t(timers, "md substeps");
                  sys->step_first_half();
                }
                {
                  TimerTable::Scope t(timers, "md constraint exchange");
                  constrain(true, k == s.substeps);
                }
                TimerTable::Scope t(timers, "md substeps");
                sys->step_second_half(want && k == s.substeps);
              }
          else
            {
              {
                TimerTable::Scope t(timers, "md substeps");
                for (long k = 1; k < s.substeps; ++k)
                  sys->step(false);
                sys->step_first_half();
              }
              {
                TimerTable::Scope t(timers, "md constraint exchange");
                constrain(true, true);
              }
              TimerTable::Scope t(timers, "md substeps");
              sys->step_second_half(want);
            }
          if (want)
            {
              TimerTable::Scope t(timers, "thermo");
              double e[n_slots] = {};
              energies(e);
              report(last, e);
            }
          if (out && last % s.fields_every == 0)
            frame(last);
        }
      log.info("md: {} neighbor list builds", sys->n_rebuilds());
    }

    // ------------------------------------------------------------------------------------------ FE side
    template <int dim>
    void run_fe_side(const config::Deck &d, const parallel::Partition &part, TimerTable &timers, const Setup &s)
    {
      Log                       log(part.local(), "fe");
      const auto                mdp = md_params(d);
      const coupling::Handshake hs  = make_handshake(d, mdp);
      const MPI_Comm            inter = part.inter();
      auto to_vec3 = [](const dealii::Point<dim> &p) {
        Vec3 x{};
        for (int a = 0; a < dim; ++a)
          x[a] = p[a];
        return x;
      };

      typename fe::Mesh<dim>::Params mp = mesh_params<dim>(d);
      fe::Box<dim>                   hole, region;
      for (int a = 0; a < dim; ++a)
        {
          hole.lo[a]   = hs.core_lo()[a];
          hole.hi[a]   = hs.core_hi()[a];
          region.lo[a] = hs.region_lo()[a];
          region.hi[a] = hs.region_hi()[a];
        }
      mp.hole      = hole;
      mp.md_region = region;

      typename fe::Elastodynamics<dim>::Params ep = elastodynamics_params<dim>(d);
      // The continuum's weight 1 - alpha (zero only on the core boundary, a set of measure zero).
      ep.weight = [&hs, to_vec3](const dealii::Point<dim> &x) { return 1.0 - hs.alpha(to_vec3(x)); };

      std::unique_ptr<fe::Mesh<dim>>           mesh;
      std::unique_ptr<fe::Elastodynamics<dim>> fem;
      std::unique_ptr<coupling::FeBand<dim>>   band;
      {
        TimerTable::Scope t(timers, "setup");
        mesh = std::make_unique<fe::Mesh<dim>>(part.local(), mp);
        fem  = std::make_unique<fe::Elastodynamics<dim>>(*mesh, make_material<dim>(d, &log), ep);
        typename coupling::FeBand<dim>::Params bp;
        bp.atom_mass  = mdp.mass * s.mvv2e;
        bp.mass_floor = mdp.mass_floor;
        bp.constraint = d.string("coupling.constraint") == "displacement" ? coupling::ConstraintType::displacement
                                                                          : coupling::ConstraintType::velocity;
        bp.predictor  = !s.every_md;
        band = std::make_unique<coupling::FeBand<dim>>(*mesh, *fem, hs, bp);

        // Exchange plan: my owned cells' box within md.region, then claim the candidates.
        std::vector<double> box(2 * dim);
        for (int a = 0; a < dim; ++a)
          {
            box[2 * a]     = std::numeric_limits<double>::max();
            box[2 * a + 1] = -std::numeric_limits<double>::max();
          }
        for (const auto &cell : fem->dof_handler().active_cell_iterators())
          if (cell->is_locally_owned())
            for (unsigned v = 0; v < cell->n_vertices(); ++v)
              for (int a = 0; a < dim; ++a)
                {
                  box[2 * a]     = std::min(box[2 * a], cell->vertex(v)[a]);
                  box[2 * a + 1] = std::max(box[2 * a + 1], cell->vertex(v)[a]);
                }
        box.push_back(fem->stable_time_step());
        coupling::gather_remote(inter, box);
        check_fe_step(d, s, fem->stable_time_step()); // the MD side checks the same value
        if (s.substeps > 2 && !s.every_md)
          log.info("fe: warning: coupling.substeps = {} (FE step {:.3g} = {:.0f} % of its stable step): the constraint "
                   "is enforced once per FE step, and energy conservation degrades with the subcycling while "
                   "waves cross the band (measured e_total + e_damped change with 10 substeps: 0.15 % per "
                   "crossing for the 1D chain, 2 % for the 2D LJ wave, 3 % for a 3D EAM pulse; 2 substeps: "
                   "0.002-0.1 %; 1: below 1e-5). Use coupling.substeps <= 2 where energy matters (README, "
                   "'Coupled runs')",
                   s.substeps, s.dt_fe, 100.0 * s.dt_fe / fem->stable_time_step());
        const auto cand = coupling::exchange(inter, {});
        std::vector<double> claimed;
        for (const auto &buf : cand)
          for (std::size_t k = 0; k < buf.size(); k += 4)
            {
              const Vec3 X{buf[k + 1], buf[k + 2], buf[k + 3]};
              if (band->owns(X))
                {
                  band->add_atom(static_cast<GlobalId>(buf[k]), X);
                  claimed.push_back(part.local_rank());
                  claimed.push_back(buf[k]);
                }
            }
        {
          const auto t0 = std::chrono::steady_clock::now();
          band->finalize();
          if (band->n_band_dofs() > 0)
            log.info("fe: constraint matrix S on {} band DoFs assembled and factorised (CHOLMOD, {}) in {:.3f} s",
                     band->n_band_dofs(), band->factor_summary(),
                     std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        }
        coupling::gather_remote(inter, claimed);
      }
      const double stable = fem->stable_time_step();
      log.info("fe: {} cells, {} DoFs, Q{}, FE step {:.6g} (stable step {:.6g}); {} band atoms on this rank",
               mesh->n_cells(), fem->n_dofs(), ep.degree, s.dt_fe, stable, band->n_atoms());
      fem->set_initial_conditions(d.strings("initial.displacement"), d.strings("initial.velocity"));

      // One constraint exchange: receive (id, u) of the band atoms, answer (dv, v_fe) in the same order.
      std::vector<double> u_atoms(dim * band->n_atoms()), dv, vfe, lam;
      auto constrain = [&](bool correct) {
        std::vector<std::vector<double>> recv;
        {
          TimerTable::Scope tm(timers, "fe waiting for md");
          recv = coupling::exchange(inter, {});
        }
        TimerTable::Scope tm(timers, "fe constraint solve");
        std::size_t n = 0;
        for (const auto &buf : recv)
          for (std::size_t k = 0; k < buf.size(); k += dim + 1)
            {
              const long slot = band->slot_of(static_cast<GlobalId>(buf[k]));
              SEAM_ASSERT(slot >= 0, "coupler: an atom was sent to the wrong FE rank");
              for (int a = 0; a < dim; ++a)
                u_atoms[dim * slot + a] = buf[k + 1 + a];
              ++n;
            }
        SEAM_ASSERT(n == band->n_atoms(), "coupler: band atoms missing in the exchange");
        if (correct)
          {
            band->correct(u_atoms, s.dt_c, dv, vfe);
            band->multiplier_at_atoms(lam);
          }
        else
          {
            band->set_target(u_atoms);
            dv.assign(u_atoms.size(), 0.0);
            band->interpolate(fem->velocity(), vfe);
            lam.assign(u_atoms.size(), 0.0);
          }
        std::vector<std::vector<double>> send(recv.size());
        for (std::size_t r = 0; r < recv.size(); ++r)
          for (std::size_t k = 0; k < recv[r].size(); k += dim + 1)
            {
              const long slot = band->slot_of(static_cast<GlobalId>(recv[r][k]));
              for (int a = 0; a < dim; ++a)
                send[r].push_back(dv[dim * slot + a]);
              for (int a = 0; a < dim; ++a)
                send[r].push_back(vfe[dim * slot + a]);
              for (int a = 0; a < dim; ++a)
                send[r].push_back(lam[dim * slot + a]);
            }
        coupling::exchange(inter, send);
      };

      const std::string dir = d.string("output.directory");
      io::Provenance    prov(d.text(), to_string(d.units()), part.n_md_ranks(), part.n_fe_ranks());
      std::unique_ptr<io::ContinuumWriter<dim>> out;
      if (s.fields_every > 0)
        out = std::make_unique<io::ContinuumWriter<dim>>(dir, prov, d.units(), part.local());
      auto frame = [&](std::int64_t step) {
        TimerTable::Scope       t(timers, "output");
        io::ContinuumFrame<dim> f;
        f.step            = step;
        f.time            = step * s.dt_md;
        f.dof_handler     = &fem->dof_handler();
        f.displacement    = &fem->displacement();
        f.velocity        = &fem->velocity();
        f.weight_function = [&hs, to_vec3](const dealii::Point<dim> &x) { return 1.0 - hs.alpha(to_vec3(x)); };
        std::array<typename fe::Elastodynamics<dim>::VectorType, dim> stress;
        fem->compute_nodal_stress(stress);
        for (int i = 0; i < dim; ++i)
          f.stress[i] = &stress[i];
        out->write(f);
      };
      // The band's share: the cells whose centre lies in md.region (its faces are element faces, and the
      // core's cells are not in the mesh), so the split does not depend on points on the band's faces.
      auto energies = [&](double *e) {
        const double band_e = fem->kinetic_energy(region) + fem->strain_energy(region);
        const double out_e  = fem->kinetic_energy() + fem->strain_energy() - band_e;
        const double absorbed = fem->absorbed_energy();
        if (part.local_rank() == 0)
          {
            e[e_hs] += band_e;
            e[e_fe] += out_e;
            e[e_damped] += absorbed;
          }
      };

      constrain(false);
      Reporter report(d, part, s);
      {
        double e[n_slots] = {};
        energies(e);
        report(0, e);
      }
      if (out)
        frame(0);
      for (long big = 0; big < s.n_big; ++big)
        {
          const std::int64_t last = (big + 1) * s.substeps;
          const bool         want = last % s.thermo_every == 0 || big + 1 == s.n_big;
          const double       t    = big * s.dt_fe;
          if (s.every_md)
            {
              {
                TimerTable::Scope tm(timers, "fe kick drift");
                fem->kick(t, s.dt_fe);
              }
              for (long k = 1; k <= s.substeps; ++k)
                {
                  {
                    TimerTable::Scope tm(timers, "fe kick drift");
                    fem->drift(s.dt_md);
                  }
                  constrain(true);
                }
            }
          else
            {
              {
                TimerTable::Scope tm(timers, "fe kick drift");
                fem->kick_drift(t, s.dt_fe);
              }
              constrain(true);
            }
          {
            TimerTable::Scope tm(timers, "fe force");
            fem->force_kick(t, s.dt_fe);
          }
          if (want)
            {
              TimerTable::Scope tm(timers, "thermo");
              double e[n_slots] = {};
              energies(e);
              report(last, e);
            }
          if (out && last % s.fields_every == 0)
            frame(last);
        }
    }
  } // namespace

  void run_coupled(const config::Deck &d, const parallel::Partition &part, TimerTable &timers)
  {
    Setup s;
    s.dim          = d.dimension();
    s.substeps     = d.integer("coupling.substeps");
    s.dt_md        = d.real("md.time_step");
    s.dt_fe        = s.substeps * s.dt_md;
    s.n_big        = d.integer("run.steps") / s.substeps;
    s.thermo_every = d.integer("output.thermo_every");
    s.fields_every = d.integer("output.fields_every");
    s.mvv2e        = unit_constants(d.units()).mvv2e;
    s.every_md     = d.string("coupling.constrain_every") == "md_step";
    s.dt_c         = s.every_md ? s.dt_md : s.dt_fe;
    if (part.is_md())
      run_md_side(d, part, timers, s);
    else
      switch (s.dim)
        {
          case 1: run_fe_side<1>(d, part, timers, s); break;
          case 2: run_fe_side<2>(d, part, timers, s); break;
          default: run_fe_side<3>(d, part, timers, s); break;
        }
  }
} // namespace seam::app
