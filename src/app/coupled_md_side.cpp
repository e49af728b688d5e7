// The MD ranks of a coupled run.
#include "app/coupled_md_side.h"

#include "app/boundary_conditions.h"
#include "app/coupled_report.h"
#include "app/md_run.h"
#include "base/log.h"
#include "coupling/band_constraint_fix.h"
#include "coupling/band_damping.h"
#include "fe/boundary/boundary_condition.h"
#include "io/provenance.h"
#include "md/fix/held_layers.h"
#include "md/fix/registry.h"

#include <fmt/format.h>

#include <algorithm>

namespace seam::app
{
  namespace
  {
    const char *face_name[6] = {"x_lo", "x_hi", "y_lo", "y_hi", "z_lo", "z_hi"};

    /// fe.boundary per face of fe.domain (x_lo = 0 ... z_hi = 5; free where unnamed), deal.II-free.
    std::array<fe::BoundaryCondition, 6> face_conditions(const config::Deck &d)
    {
      std::array<fe::BoundaryCondition, 6> faces;
      for (std::size_t i = 0; i < d.list_size("fe.boundary"); ++i)
        {
          const std::string     p = fmt::format("fe.boundary[{}]", i);
          const fe::BoundaryCondition c = boundary_condition(d, i);
          for (const auto &f : d.strings(p + ".faces"))
            faces[2 * static_cast<unsigned>(f[0] - 'x') + (f.substr(2) == "hi" ? 1 : 0)] = c;
        }
      return faces;
    }
  } // namespace

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

  void check_fe_step(const config::Deck &d, const coupling::CouplingScheme &s, double stable)
  {
    if (s.dt_fe() > stable)
      d.fail("coupling.substeps",
             fmt::format("the FE step coupling.substeps x md.time_step = {} x {} = {:.6g} is larger than the "
                         "largest stable step {:.6g} of this mesh and material",
                         s.substeps(), s.dt_md(), s.dt_fe(), stable),
             fmt::format("coupling.substeps <= {}", std::max(1L, static_cast<long>(stable / s.dt_md()))),
             "use fewer substeps, or a larger fe.element_size.near");
  }

  void check_substeps(const config::Deck &d, const coupling::CouplingScheme &s, std::int64_t written)
  {
    if (written != s.substeps())
      d.fail("coupling.substeps",
             fmt::format("the checkpoint '{}' was written with {} MD steps per FE step, this run has {}{}",
                         d.string("run.restart"), written, s.substeps(),
                         d.is_auto("coupling.substeps") ? " (auto chooses a divisor of run.steps and the output intervals)"
                                                        : ""),
             fmt::format("coupling.substeps: {}", written),
             fmt::format("set coupling.substeps: {} to continue this checkpoint", written));
  }

  CoupledMdSide::CoupledMdSide(const config::Deck &d, const parallel::Partition &part, TimerTable &timers,
                               const coupling::CouplingScheme &scheme)
    : deck_(d)
    , part_(part)
    , timers_(timers)
    , scheme_(scheme)
    , params_(md_params(d))
    , hs_(make_handshake(d, params_))
    , mvv2e_(unit_constants(d.units()).mvv2e)
  {
    const FaceConditions faces = face_conditions(d);
    {
      TimerTable::Scope t(timers, "setup");
      build_system(d, faces);
    }
    add_fixes(d, faces);
  }

  void CoupledMdSide::open_output(std::int64_t restart_step)
  {
    const config::Deck &d = deck_;
    if (d.integer("output.fields_every") > 0)
      out_ = std::make_unique<io::AtomWriter>(
        d.string("output.directory"),
        io::Provenance(d.text(), to_string(d.units()), part_.n_md_ranks(), part_.n_fe_ranks()), d.units(),
        part_.local(), restart_step);
    dump_ = AtomDump::from_deck(d, *sys_, restart_step);
  }

  void CoupledMdSide::save_state(StateOut &out) const
  {
    auto g = out.group("md");
    g->put("substeps", std::vector<std::int64_t>{scheme_.substeps()});
    sys_->save_state(*g->group("system"));
  }

  void CoupledMdSide::load_state(const StateIn &in)
  {
    const auto g = in.group("md");
    check_substeps(deck_, scheme_, g->all_int64("substeps").at(0)); // the same on every rank that wrote it
    sys_->load_state(*g->group("system"));
  }

  double CoupledMdSide::layer_depth() const { return 2.0 * sys_->potential().cutoff() + params_.skin; }

  void CoupledMdSide::build_system(const config::Deck &d, const FaceConditions &faces)
  {
    const int dim  = d.dimension();
    params_.weight = [this](const Vec3 &x0) { return hs_.alpha(x0); };
    sys_             = std::make_unique<md::MdSystem>(params_, part_.local());
    sys_->setup();
    // Ghost-force correction at the reference lattice, except near faces that are real surfaces (not
    // near walls: the held layer gives the atoms beyond it their full neighbourhood).
    const double reach = layer_depth();
    sys_->freeze_reference_force([&](const Vec3 &X) {
      for (int a = 0; a < dim; ++a)
        for (int side = 0; side < 2; ++side)
          if (!hs_.borders(a, side) && !params_.periodic[a] && !faces[2 * a + side].prescribes_velocity())
            {
              const double dist = side == 0 ? X[a] - params_.region_lo[a] : params_.region_hi[a] - X[a];
              if (dist < reach)
                return false;
            }
      return true;
    });
    sys_->freeze_reference_energies(); // weighted, dead load included, at rest
    band_ = std::make_unique<coupling::MdBand>(*sys_, hs_, part_.inter(), &timers_);
    band_->plan();
    check_fe_step(d, scheme_, band_->fe_stable_step());
    Log(part_.local(), "md").info("md: {} atoms, {} in the band ({}); {} potential, dt = {}, {} substeps per FE step",
                                  sys_->n_atoms(), band_->n_band_atoms(), hs_.describe(), params_.potential_style,
                                  scheme_.dt_md(), scheme_.substeps());
  }

  void CoupledMdSide::add_fixes(const config::Deck &d, const FaceConditions &faces)
  {
    // Faces of md.region on a face of fe.domain (no band there) take that face's condition (contract,
    // Geometry): fixed and velocity faces hold a layer of atoms; free faces are free surfaces;
    // absorbing and traction conditions act on the continuum only.
    Log                      log(part_.local(), "md");
    std::vector<md::HeldFace> held;
    const double             reach = layer_depth();
    for (int a = 0; a < d.dimension(); ++a)
      for (int side = 0; side < 2; ++side)
        {
          const fe::BoundaryCondition &c = faces[2 * a + side];
          if (hs_.borders(a, side) || params_.periodic[a] || c.is_free())
            continue;
          fe::boundary::StyleArgs args;
          args.value   = c.value;
          args.options = c.options;
          args.dim     = static_cast<unsigned>(d.dimension());
          args.id      = static_cast<unsigned>(2 * a + side);
          if (c.style == fe::boundary::KField::name) // needs the continuum's constants
            args.stiffness = material_voigt(d);
          std::shared_ptr<const fe::boundary::BoundaryStyle> style = fe::boundary::create(c.style, args);
          if (style->prescribes_displacement() && !style->holds_displacement())
            {
              // The atoms follow the same prescribed displacement as the face's nodes (k_field, displacement).
              const int dim = d.dimension();
              md::HeldFace h;
              h.axis         = a;
              h.side         = side;
              h.displacement = [style, dim](const Vec3 &X, double t) {
                Vec3 u{};
                for (int k = 0; k < dim; ++k)
                  u[k] = style->displacement(static_cast<unsigned>(k), {X[0], X[1], X[2]}, t);
                return u;
              };
              held.push_back(h);
              log.info("md: atoms within {:.6g} of md.region's face {} (on fe.domain's {} face) follow its prescribed "
                       "displacement", reach, face_name[2 * a + side], c.style);
            }
          else if (c.prescribes_velocity())
            {
              held.push_back({a, side, c.value, {}}); // no value: held at rest
              log.info("md: atoms within {:.6g} of md.region's face {} (on fe.domain's {} face) are held {}", reach,
                       face_name[2 * a + side], c.style, c.value.empty() ? "at their sites" : "at the prescribed velocity");
            }
          else
            log.info("md: md.region's face {} lies on fe.domain's {} face: the atoms there are a free surface "
                     "(absorbing and traction conditions act on the continuum only; leave a gap to fe.domain "
                     "for a handshake band there)",
                     face_name[2 * a + side], c.style);
        }
    auto walls = std::make_unique<md::HeldLayers>(held, params_.region_lo, params_.region_hi, sys_->domain().length(),
                                                  reach, params_.time_step);
    apply_initial_state(d, *sys_);
    walls->place(sys_->atoms());
    sys_->setup();
    md::add_deck_fixes(d, *sys_);
    sys_->add_fix(std::make_unique<coupling::BandConstraintFix>(*band_, scheme_));
    if (auto damping = coupling::create_band_damping(
          d.string("coupling.damping.style"), {*band_, scheme_, d.real("coupling.damping.strength"), mvv2e_}))
      sys_->add_fix(std::move(damping));
    if (!walls->empty())
      {
        // The forces of setup() were computed before the fix existed: hold the atoms for them too, so the
        // first half kick leaves the held atoms at their prescribed velocity.
        walls->post_force(sys_->atoms(), sys_->step_count(), false);
        sys_->add_fix(std::move(walls));
      }
  }

  void CoupledMdSide::energies(double *e)
  {
    const auto &atoms = sys_->atoms();
    for (LocalIndex i = 0; i < atoms.n_owned(); ++i)
      {
        double v2 = 0;
        for (int a = 0; a < 3; ++a)
          v2 += atoms.v()[i][a] * atoms.v()[i][a];
        const double ke = 0.5 * atoms.mass() * mvv2e_ * v2;
        const bool   band = hs_.in_band(atoms.reference_position(i, sys_->domain().length()));
        e[ke_atoms] += ke;
        e[band ? e_hs : e_md] += atoms.mass_scale()[i] * ke + sys_->relative_energy(i);
        e[band ? ke_band : ke_core] += ke;
        e[band ? n_band : n_core] += 1.0;
      }
    // Collective parts: every MD rank calls, MD rank 0 adds the totals.
    const double pe_plain = sys_->unweighted_potential_energy();
    if (part_.local_rank() == 0)
      {
        e[pe_atoms] += pe_plain;
        e[n_atoms_slot] = static_cast<double>(sys_->n_atoms());
      }
    e[e_damped] += sys_->energy_removed_local();
  }

  void CoupledMdSide::frame(std::int64_t step)
  {
    if (!out_)
      return;
    TimerTable::Scope     t(timers_, "output");
    const auto           &atoms = sys_->atoms();
    const std::size_t     n     = atoms.n_owned();
    std::vector<GlobalId> id(atoms.id().begin(), atoms.id().begin() + n);
    std::vector<Vec3>     ref(n), disp(n), vel(atoms.v().begin(), atoms.v().begin() + n);
    std::vector<double>   w(atoms.weight().begin(), atoms.weight().begin() + n);
    for (std::size_t i = 0; i < n; ++i)
      {
        ref[i] = atoms.reference_position(static_cast<LocalIndex>(i), sys_->domain().length());
        for (int a = 0; a < 3; ++a)
          disp[i][a] = atoms.x()[i][a] - atoms.x0()[i][a];
      }
    io::AtomFrame f;
    f.step               = step;
    f.time               = step * scheme_.dt_md();
    f.n_atoms            = n;
    f.id                 = id.data();
    f.reference_position = ref.data();
    f.displacement       = disp.data();
    f.velocity           = vel.data();
    f.weight             = w.data();
    const std::vector<double> coordination = sys_->output_coordination();
    f.with_coordination                    = sys_->has_lattice();
    f.coordination                         = coordination.data();
    out_->write(f);
  }

  void CoupledMdSide::dump(std::int64_t step)
  {
    if (!dump_ || !dump_->due(step))
      return;
    TimerTable::Scope t(timers_, "output");
    dump_->write(*sys_, step);
  }
} // namespace seam::app
