// The FE ranks of a coupled run.
#include "app/coupled_fe_side.h"

#include "app/coupled_md_side.h"
#include "app/coupled_report.h"
#include "app/material_factory.h"
#include "app/md_run.h"
#include "base/log.h"
#include "io/provenance.h"

#include <chrono>

namespace seam::app
{
  namespace
  {
    template <int dim>
    Vec3 to_vec3(const dealii::Point<dim> &p)
    {
      Vec3 x{};
      for (int a = 0; a < dim; ++a)
        x[a] = p[a];
      return x;
    }
  } // namespace

  template <int dim>
  CoupledFeSide<dim>::CoupledFeSide(const config::Deck &d, const parallel::Partition &part, TimerTable &timers,
                                    const coupling::CouplingScheme &scheme)
    : deck_(d), part_(part), timers_(timers), scheme_(scheme), hs_(make_handshake(d, md_params(d)))
  {
    Log                            log(part.local(), "fe");
    const auto                     mdp = md_params(d);
    typename fe::Mesh<dim>::Params mp  = mesh_params<dim>(d);
    fe::Box<dim>                   hole;
    for (int a = 0; a < dim; ++a)
      {
        hole.lo[a]    = hs_.core_lo()[a];
        hole.hi[a]    = hs_.core_hi()[a];
        region_.lo[a] = hs_.region_lo()[a];
        region_.hi[a] = hs_.region_hi()[a];
      }
    mp.hole      = hole;
    mp.md_region = region_;
    typename fe::Elastodynamics<dim>::Params ep = elastodynamics_params<dim>(d);
    // The continuum's weight 1 - alpha (zero only on the core boundary, a set of measure zero).
    ep.weight = [this](const dealii::Point<dim> &x) { return 1.0 - hs_.alpha(to_vec3(x)); };
    {
      TimerTable::Scope t(timers, "setup");
      mesh_ = std::make_unique<fe::Mesh<dim>>(part.local(), mp);
      fem_  = std::make_unique<fe::Elastodynamics<dim>>(*mesh_, make_material<dim>(d, &log), ep);
      typename coupling::FeBand<dim>::Params bp;
      bp.atom_mass  = mdp.mass * unit_constants(d.units()).mvv2e;
      bp.mass_floor = mdp.mass_floor;
      bp.constraint = d.string("coupling.constraint") == "displacement" ? coupling::ConstraintType::displacement
                                                                        : coupling::ConstraintType::velocity;
      bp.predictor  = scheme.predicts_multiplier();
      bp.multiplier_spacing = d.real("coupling.multiplier_spacing");
      if (d.string("coupling.damping.style") == "dashpot")
        {
          // gamma_max = strength x 6 c / h (h = fe.element_size.near, the band's elements): three times
          // the lumped mesh's cutoff frequency 2 c / h. The rate ties the atoms to the continuum for the
          // waves the multipliers leave free (near pi / (s h)), so it scales with the mesh, not with the
          // band's width (measured: R(k a = 0.3) is the same for bands of 4 and 20 elements at the same
          // gamma_max, README "Coupled runs").
          const double c  = fem_->material().max_wave_speed();
          const double h  = d.real("fe.element_size.near");
          bp.dashpot_rate = d.real("coupling.damping.strength") * 6.0 * c / h;
          log.info("fe: band dashpot, rate up to {:.4g} per unit time ({} x 6 c / h, c = {:.4g}, h = {:.4g})",
                   bp.dashpot_rate, d.real("coupling.damping.strength"), c, h);
          // At finite temperature the dashpot is part of the band's heat bath (its random impulses).
          bp.dashpot_kT   = d.real("coupling.damping.temperature") * unit_constants(d.units()).boltzmann;
          bp.dashpot_seed = static_cast<std::uint64_t>(d.integer("coupling.damping.seed"));
          // auto: 40 MD steps. The bath is the atoms' boundary, not a thermostat of the system: it must
          // replace the heat the constraint's coarse modes carry into the zero-temperature continuum. Core
          // minus band temperature (inputs/coupled/hex_2d_thermal.yaml over 200 tau, cu_eam_3d_thermal.yaml
          // over 12 ps): 100 steps -2.2 % (2D), -5.7 % (3D, 50 ps); 40 steps +1.3 %, -1.9 %; 20 steps +4.7 %,
          // -0.6 %.
          bp.bath_time    = d.is_auto("coupling.damping.time_constant") ? 40.0 * d.real("md.time_step")
                                                                        : d.real("coupling.damping.time_constant");
          if (bp.dashpot_kT > 0.0)
            log.info("fe: band heat bath at T = {} (relaxation time {} for atoms of full weight)",
                     d.real("coupling.damping.temperature"), bp.bath_time);
        }
      band_         = std::make_unique<coupling::FeBand<dim>>(*mesh_, *fem_, hs_, bp);
      side_ = std::make_unique<coupling::FeBandSide<dim>>(*band_, *fem_, part.inter(), part.local_rank(), &timers);
      const auto t0 = std::chrono::steady_clock::now();
      side_->plan(); // claims the band atoms, assembles and factorises S
      if (band_->n_band_dofs() > 0)
        log.info("fe: constraint matrix S on {} band DoFs assembled and factorised (CHOLMOD, {}); plan and "
                 "factorisation {:.3f} s",
                 band_->n_band_dofs(), band_->factor_summary(),
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    check_fe_step(d, scheme, fem_->stable_time_step()); // the MD side checks the same value
    if (scheme.substeps() > 2 && scheme.predicts_multiplier())
      log.warning("fe: warning: coupling.substeps = {} (FE step {:.3g} = {:.0f} % of its stable step): the constraint "
                  "is enforced once per FE step, and energy conservation degrades with the subcycling while "
                  "waves cross the band (measured e_total + e_damped change with 10 substeps: 0.15 % per "
                  "crossing for the 1D chain, 2 % for the 2D LJ wave, 3 % for a 3D EAM pulse; 2 substeps: "
                  "0.002-0.1 %; 1: below 1e-5). Use coupling.substeps <= 2 where energy matters (README, "
                  "'Coupled runs')",
                  scheme.substeps(), scheme.dt_fe(), 100.0 * scheme.dt_fe() / fem_->stable_time_step());
    log.info("fe: {} cells, {} DoFs, Q{}, FE step {:.6g} (stable step {:.6g}); {} band atoms on this rank",
             mesh_->n_cells(), fem_->n_dofs(), ep.degree, scheme.dt_fe(), fem_->stable_time_step(), band_->n_atoms());
    fem_->set_initial_conditions(d.strings("initial.displacement"), d.strings("initial.velocity"));
  }

  template <int dim>
  void CoupledFeSide<dim>::open_output(std::int64_t restart_step)
  {
    const config::Deck &d = deck_;
    if (d.integer("output.fields_every") > 0)
      out_ = std::make_unique<io::ContinuumWriter<dim>>(
        d.string("output.directory"),
        io::Provenance(d.text(), to_string(d.units()), part_.n_md_ranks(), part_.n_fe_ranks()), d.units(),
        part_.local(), restart_step);
  }

  template <int dim>
  void CoupledFeSide<dim>::save_state(StateOut &out) const
  {
    auto g = out.group("fe");
    g->put("substeps", std::vector<std::int64_t>{scheme_.substeps()});
    fem_->save_state(*g->group("continuum"));
    band_->save_state(*g->group("band"));
  }

  template <int dim>
  void CoupledFeSide<dim>::load_state(const StateIn &in)
  {
    const auto g = in.group("fe");
    check_substeps(deck_, scheme_, g->all_int64("substeps").at(0)); // the same on every rank that wrote it
    fem_->load_state(*g->group("continuum"));
    band_->load_state(*g->group("band"));
  }

  template <int dim>
  void CoupledFeSide<dim>::energies(double *e) const
  {
    const double band_e   = fem_->kinetic_energy(region_) + fem_->strain_energy(region_);
    const double out_e    = fem_->kinetic_energy() + fem_->strain_energy() - band_e;
    const double absorbed = fem_->absorbed_energy();
    if (part_.local_rank() == 0)
      {
        e[e_hs] += band_e;
        e[e_fe] += out_e;
        e[e_damped] += absorbed;
      }
    e[e_damped] += band_->dashpot_removed_local(); // summed over the world by CoupledReport
  }

  template <int dim>
  void CoupledFeSide<dim>::frame(std::int64_t step)
  {
    if (!out_)
      return;
    TimerTable::Scope       t(timers_, "output");
    io::ContinuumFrame<dim> f;
    f.step            = step;
    f.time            = step * scheme_.dt_md();
    f.dof_handler     = &fem_->dof_handler();
    f.displacement    = &fem_->displacement();
    f.velocity        = &fem_->velocity();
    f.weight_function = [this](const dealii::Point<dim> &x) { return 1.0 - hs_.alpha(to_vec3(x)); };
    std::array<typename fe::Elastodynamics<dim>::VectorType, dim> stress;
    fem_->compute_nodal_stress(stress);
    for (int i = 0; i < dim; ++i)
      f.stress[i] = &stress[i];
    out_->write(f);
  }

  template class CoupledFeSide<1>;
  template class CoupledFeSide<2>;
  template class CoupledFeSide<3>;
} // namespace seam::app
