// The keys of a seam deck: docs/contract.md (the contract) plus our extensions. Adding a key here
// makes it valid, documented (seam schema, docs/deck.md) and reachable through --set. Styles owned by
// other modules (md.potential) are registered by them through register_styles().
#include "config/schema.h"
#include "fe/boundary/registry.h" // deal.II-free, header-only: the boundary styles and their keys

#include <algorithm>

#include <stdexcept>

namespace seam::config
{
  namespace
  {
    using Q = Quantity;

    const std::vector<std::string> face_names = {"x_lo", "x_hi", "y_lo", "y_hi", "z_lo", "z_hi"};

    /// The registered styles per section path, and whether the schema has been built from them.
    struct StyleRegistry
    {
      std::map<std::string, std::vector<StyleKeys>> styles;
      std::map<std::string, std::string>            section_docs;
      std::map<std::string, std::vector<std::pair<std::string, std::string>>> choices;
      bool                                          schema_built = false;
    };

    StyleRegistry &style_registry()
    {
      static StyleRegistry registry;
      return registry;
    }

    /// A styled section whose styles were registered for `path`; the style key's doc lists them as
    /// "name (summary) | name ...".
    Entry registered_styled_section(const std::string &path, std::string name, std::string doc, bool optional)
    {
      const auto it = style_registry().styles.find(path);
      if (it == style_registry().styles.end() || it->second.empty())
        throw std::logic_error("internal: no styles are registered for " + path +
                               "; the module owning them must register them (register_styles) before the deck "
                               "schema is first used");
      std::string                                             style_doc;
      std::vector<std::pair<std::string, std::vector<Entry>>> variants;
      for (const auto &s : it->second)
        {
          style_doc += (style_doc.empty() ? "" : " | ") + s.name + (s.summary.empty() ? "" : " (" + s.summary + ")");
          variants.emplace_back(s.name, s.keys);
        }
      return styled_section(std::move(name), std::move(doc), optional, style_doc, std::move(variants));
    }

    /// A choice key whose values were registered for `path` (register_choices); the doc ends with
    /// "name (doc) | ...".
    Entry registered_choice(const std::string &path, std::string name, const std::string &doc)
    {
      const auto it = style_registry().choices.find(path);
      if (it == style_registry().choices.end() || it->second.empty())
        throw std::logic_error("internal: no choices are registered for " + path +
                               "; the module owning them must register them (register_choices) before the deck "
                               "schema is first used");
      std::vector<std::string> names;
      std::string              list;
      for (const auto &[n, d] : it->second)
        {
          names.push_back(n);
          list += (list.empty() ? "" : " | ") + n + (d.empty() ? "" : " (" + d + ")");
        }
      return choice(std::move(name), names, doc.empty() ? list : doc + ": " + list);
    }

    Entry box(std::string name, std::string doc)
    {
      return section(std::move(name), std::move(doc),
                     {real_vector("lo", Q::length, "lower corner").req(),
                      real_vector("hi", Q::length, "upper corner (each component > lo)").req()});
    }

    /// The keys of an fe.boundary item: faces, type (the registered styles, fe/boundary/registry.h) and
    /// the keys the styles declare. A key several styles declare is listed once (docs joined; quantity
    /// none if theirs differ) and optional here: which styles need it is checked by check_deck and the
    /// style itself.
    std::vector<Entry> boundary_item()
    {
      std::vector<Entry> item{choice_list("faces", face_names, "faces of fe.domain this condition applies to").req()};
      std::string        type_doc;
      for (const auto &s : fe::boundary::styles())
        type_doc += (type_doc.empty() ? "" : "; ") + s.name + ": " + s.doc;
      item.push_back(choice("type", fe::boundary::style_names(), type_doc).req());
      std::vector<std::pair<Entry, std::vector<std::string>>> keys; // key, styles declaring it
      for (const auto &s : fe::boundary::styles())
        for (Entry &k : s.keys())
          {
            auto it = std::find_if(keys.begin(), keys.end(), [&k](const auto &e) { return e.first.name == k.name; });
            if (it == keys.end())
              {
                k.doc = s.name + ": " + k.doc;
                keys.emplace_back(std::move(k), std::vector<std::string>{s.name});
                continue;
              }
            it->first.doc += "; " + s.name + ": " + k.doc;
            if (it->first.quantity != k.quantity)
              it->first.quantity = Q::none;
            it->second.push_back(s.name);
          }
      for (auto &[k, users] : keys)
        {
          std::string only;
          for (const auto &u : users)
            only += (only.empty() ? "" : ", ") + u;
          k.doc += "; only for type " + only;
          k.required = false;
          item.push_back(std::move(k));
        }
      return item;
    }

    std::vector<Entry> top_level_keys()
    {
      return {choice("units", {"metal", "lj"},
                     "unit system of every value in the deck: metal (Å, ps, eV, amu, K) or lj "
                     "(reduced Lennard-Jones units)")
                .def("metal"),
              integer("dimension", "spatial dimension of the model").at_least(1).at_most(3).def("3")};
    }

    Entry parallel_section()
    {
      return section("parallel", "how the MPI ranks are shared between the MD and FE partitions",
                     {integer("md_ranks",
                              "ranks given to MD in a coupled run (the rest run the continuum); auto splits by "
                              "estimated cost. Ignored by MD-only and FE-only runs, which use every rank")
                        .at_least(1)
                        .at_most(1e8) // an MPI rank count is an int; no machine has more
                        .or_auto()
                        .def("auto")});
    }

    Entry md_lattice_section()
    {
      return section("lattice", "the crystal filling md.region, or the atoms of a LAMMPS data file",
                     {choice("style", {"fcc", "bcc", "sc", "hex", "chain", "data"},
                             "fcc, bcc, sc need dimension 3; hex (triangular) dimension 2; chain dimension 1; "
                             "data: the atoms of md.lattice.file instead of a lattice (MD-only runs)")
                        .req(),
                      real("constant", Q::length,
                           "lattice constant (cubic lattices) or nearest-neighbour distance (hex, chain); "
                           "required for every style but data, which takes none")
                        .above(0),
                      int_matrix("orientation",
                                 "dimension 3 only: integer crystal directions along x, y and z; mutually "
                                 "orthogonal and right-handed")
                        .def("[[1, 0, 0], [0, 1, 0], [0, 0, 1]]"),
                      path("file",
                           "style data only: a LAMMPS data file with atom_style atomic (LAMMPS write_data): "
                           "header counts and xlo xhi / ylo yhi / zlo zhi, an Atoms section `id type x y z "
                           "[ix iy iz]`, optional Masses (each must equal md.mass) and Velocities (initial.temperature > 0 "
                           "replaces them, initial.velocity adds to them). Its "
                           "positions are the reference positions X (the energies relative to them start at "
                           "0); md.region is still the box: along periodic axes it must equal the file's "
                           "bounds (within 1e-6 of the length; the file's values are used), along free axes "
                           "it sets the decomposition and atoms may lie outside it. Coordinates beyond "
                           "`dimension` must be 0. Relative paths are taken from the directory seam runs in")});
    }

    Entry md_neighbor_section()
    {
      return section("neighbor", "neighbor lists",
                     {real("skin", Q::length, "extra distance beyond the cutoff; lists are rebuilt when an "
                                               "atom has moved half of it")
                        .at_least(0)
                        .def_units("1.0", "0.3"),
                      integer("every", "check the rebuild criterion every this many steps (LAMMPS neigh_modify every); "
                                       "1 = every step, never stale")
                        .at_least(1)
                        .def("1"),
                      integer("delay", "no rebuild check until this many steps after the last build (LAMMPS "
                                       "neigh_modify delay)")
                        .at_least(0)
                        .def("0")});
    }

    Entry md_section()
    {
      Entry md = optional_section(
        "md", "the atomistic region; omit for an FE-only run",
        {md_lattice_section(),
         box("region", "box filled with atoms (lo <= X < hi), the handshake band included"),
         choice_vector("boundary", {"free", "periodic"},
                       "per axis; a periodic axis needs a region length that is a whole number of "
                       "lattice periods (within 1e-4 lattice constants; the box is then made exact)")
           .def("free"),
         real("mass", Q::mass, "atomic mass").above(0).req(),
         // Each potential declares its keys in its own file (md/potential/), registered by md.
         registered_styled_section("md.potential", "potential", "interatomic potential", false),
         real("time_step", Q::time, "MD time step").above(0).def_units("0.001", "0.005"),
         md_neighbor_section(),
         list_of("walls",
                 "MD-only runs: layers of atoms next to faces of md.region held at their sites (fixed) or moved "
                 "with a prescribed velocity (coupled runs: faces of md.region on fe.domain's faces take "
                 "fe.boundary's condition instead)",
                 {choice_list("faces", face_names, "faces of md.region").req(),
                  choice("type", {"fixed", "velocity", "k_field"},
                         "fixed: at the sites, at rest; velocity: moved with value; k_field: displaced by the LEFM "
                         "crack-tip field K(t) U(X - tip) of the lattice's own Cauchy-Born constants (as fe.boundary's "
                         "k_field)")
                    .req(),
                  expr_vector("value", Q::velocity, "velocity: expressions in x, y, z (reference position) and t"),
                  choice("mode", {"I", "II"}, "k_field: crack opening mode (default I)"),
                  text("k", "k_field: stress intensity factor K, an expression in t [stress sqrt(length)]"),
                  real_vector("tip", Q::length, "k_field: crack tip position; the crack runs along -x from it"),
                  real("reach", Q::length,
                       "depth of the held layer from the face (default: 2 cutoffs + skin, the depth that gives every "
                       "free atom its full neighbourhood)")
                    .above(0)}),
         list_of("delete", "atoms removed before the reference state is taken (a notch, a void)",
                 {box("region", "the lattice sites lo <= X < hi are left empty")}),
         list_of("cut",
                 "bonds that cross these segments (2D) or half-plane strips (3D) in the reference configuration do "
                 "not interact, a sharp crack (EAM: they are left out of the embedding density too)",
                 {real_vector("from", Q::length, "one end of the segment (3D: of the strip's edge line)").req(),
                  real_vector("to", Q::length, "the other end").req(),
                  real_vector("normal", Q::none, "3D: normal of the cut plane (perpendicular to to - from)"),
                  real("extent", Q::length,
                       "3D: width of the strip along normal x (to - from), centred on the segment; omit for a cut "
                       "through the whole crystal")
                    .above(0)}),
         // Thermostat styles are fixes; each declares its keys in its own file (md/fix/registry.cpp).
         registered_styled_section("md.thermostat", "thermostat", "optional thermostat on the atoms", true)});
      // Further fix sections (md.indenter, ...) as their files register them (md/fix/registry.cpp).
      for (const auto &[path, list] : style_registry().styles)
        if (path.rfind("md.", 0) == 0 && path != "md.potential" && path != "md.thermostat" &&
            path.find('.', 3) == std::string::npos)
          md.children.push_back(
            registered_styled_section(path, path.substr(3), style_registry().section_docs[path], true));
      return md;
    }

    Entry fe_material_section()
    {
      return styled_section(
        "material", "continuum material", false, "cauchy_born (from md.lattice and md.potential) | isotropic | cubic",
        {{"cauchy_born",
          {choice("kinematics", {"nonlinear", "linear"},
                  "nonlinear: the full Cauchy-Born energy W(F) of the deformed lattice at every "
                  "Gauss point, so the continuum's stress matches the atoms' at finite strain "
                  "(needed for the strain patch test beyond ~0.1 % with anharmonic potentials); "
                  "linear: its linearisation at the reference lattice (C and S0), cheaper. Both "
                  "have the same elastic constants and wave speeds at small amplitude")
             .def("nonlinear")}},
         {"isotropic",
          {real("youngs_modulus", Q::stress, "Young's modulus").above(0).req(),
           real("poisson_ratio", Q::none, "Poisson's ratio").above(-1).below(0.5).req(),
           real("density", Q::density, "mass density").above(0).req()}},
         {"cubic",
          {real("c11", Q::stress, "elastic constant C11 (crystal axes)").above(0).req(),
           real("c12", Q::stress, "elastic constant C12").req(),
           real("c44", Q::stress, "elastic constant C44").above(0).req(),
           real("density", Q::density, "mass density").above(0).req()}}});
    }

    Entry fe_boundary_list()
    {
      return list_of("boundary", "boundary conditions on faces of fe.domain; faces not named are free",
                     boundary_item());
    }

    Entry fe_section()
    {
      return optional_section(
        "fe", "the continuum; omit for an MD-only run",
        {box("domain", "box covered by the mesh (the MD-only core is cut out of it in coupled runs)"),
         section("element_size", "graded mesh",
                 {real("near", Q::length, "element size in the handshake band").above(0).req(),
                  real("far", Q::length, "largest element size far from the band (>= near)").above(0).req()}),
         integer("degree", "polynomial degree of the elements").at_least(1).at_most(2).def("1"),
         real("cutoff_damping", Q::none,
              "graded stiffness-proportional damping: the damping ratio at each element's own cutoff frequency "
              "(Rayleigh beta = value x element size / wave speed), so that what a coarser element cannot carry "
              "is absorbed on the way out instead of reflected; 0 = none")
           .at_least(0)
           .at_most(1)
           .def("0"),
         real("time_step", Q::time,
              "FE-only runs: a value, or auto (a safety factor times the stable step); coupled runs use "
              "coupling.substeps x md.time_step and ignore it")
           .above(0)
           .or_auto()
           .def("auto"),
         fe_material_section(),
         fe_boundary_list()});
    }

    Entry coupling_section()
    {
      return optional_section(
        "coupling", "the handshake coupler; required when both md and fe are present",
        {choice("method", {"bridging_domain"}, "coupling method (Xiao & Belytschko 2004)").def("bridging_domain"),
         section("handshake", "the overlap band",
                 {real("width", Q::length, "width of the band just inside the md.region faces that border the "
                                           "continuum")
                    .above(0)
                    .req()}),
         choice("weight", {"linear", "cubic"},
                "atomistic weight profile across the band, from 1 (inner edge) to 0 (outer edge)")
           .def("cubic"),
         choice("constraint", {"velocity", "displacement"}, "what the constraints tie in the band").def("velocity"),
         section("damping", "absorption of the waves the mesh cannot carry",
                 {registered_choice("coupling.damping.style", "style", "").def("dashpot"),
                  real("strength", Q::none, "dimensionless damping strength (dashpot: multiplies the rate 6 c / h at the band's outer edge, h = fe.element_size.near; fine_scale: e-folds per FE step there)").at_least(0).def("1.0"),
                  real("temperature", Q::temperature,
                       "the band's heat bath for a coupled run at finite T: the band atoms' motion relative to the "
                       "continuum is held at this temperature by a Langevin thermostat (the continuum carries the "
                       "mean motion); 0: none, heat leaving the core is absorbed")
                    .at_least(0)
                    .def("0"),
                  real("time_constant", Q::time,
                       "the heat bath's relaxation time for atoms of full weight (auto: 40 MD steps; core minus band "
                       "temperature, 2D LJ / 3D Cu: +1.3 % / -1.9 % at 40 steps, +4.7 % / -0.6 % at 20, -2.2 % / -5.7 % at 100)")
                    .above(0)
                    .or_auto()
                    .def("auto"),
                  integer("seed", "random seed of the band thermostat's impulses").at_least(1).def("1")}),
         real("multiplier_spacing", Q::none,
              "the Lagrange multipliers' node spacing in band elements, along each axis with a band (1: one per "
              "node; 2 with the dashpot and cutoff_damping 0.3 on coarse meshes: the multipliers tie only the waves "
              "the mesh carries and leave the rest to the absorber)")
           .at_least(1)
           .at_most(8)
           .def("1"),
         integer("substeps", "MD steps per FE step, or auto: as many as the FE's stable step allows (0.9 of it), "
                 "a divisor of run.steps and the output intervals")
           .at_least(1)
           .or_auto()
           .def("2"),
         registered_choice("coupling.constrain_every", "constrain_every", "the coupling scheme").def("md_step")});
    }

    Entry initial_section()
    {
      return section(
        "initial", "initial state, applied to atoms (at their reference positions) and FE nodes alike",
        {expr_vector("displacement", Q::length, "initial displacement field").def("0"),
         expr_vector("velocity", Q::velocity, "initial velocity field").def("0"),
         real("temperature", Q::temperature, "Maxwell-Boltzmann atom velocities added on top, zero net momentum")
           .at_least(0)
           .def("0"),
         optional_section("temperature_region",
                          "give the initial.temperature velocities only to the atoms whose reference site lies in this "
                          "box (lo <= X < hi; a hot spot, a heat pulse); omit for every atom",
                          {real_vector("lo", Q::length, "lower corner").req(),
                           real_vector("hi", Q::length, "upper corner (each component > lo)").req()}),
         integer("seed", "random seed for those velocities").at_least(1).def("1")});
    }

    Entry run_section()
    {
      return section("run", "the run",
                     {integer("steps", "MD steps (FE steps = steps / coupling.substeps); FE-only runs: FE steps")
                        .at_least(0)
                        .req(),
                      path("restart", "checkpoint to continue from; empty = start fresh").def("\"\""),
                      choice("style", {"dynamics", "quasistatic"},
                             "dynamics: time integration; quasistatic: at every load step relax the atoms to "
                             "rest with FIRE (Bitzek et al. 2006), as LAMMPS `minimize` would (MD-only decks)")
                        .def("dynamics"),
                      integer("load_steps", "quasistatic: load steps; `t` in expressions (and the indenter's "
                                            "velocity) counts them, 0, 1, 2, ...; run.steps must equal it")
                        .at_least(1)
                        .def("1"),
                      real("force_tolerance", Q::force,
                           "quasistatic: a load step is relaxed when no atom's force exceeds this")
                        .above(0)
                        .def_units("1e-4", "1e-4"),
                      integer("max_iterations", "quasistatic: FIRE iterations per load step at most; a load "
                                                "step that has not relaxed by then is an error")
                        .at_least(1)
                        .def("100000")});
    }

    Entry output_section()
    {
      return section(
        "output", "what is written, and where",
        {path("directory", "output directory (created if missing)").def("out"),
         integer("thermo_every", "thermo.csv row every this many steps").at_least(1).def("100"),
         integer("fields_every", "atoms.xdmf / continuum.xdmf frame every this many steps; 0 = none")
           .at_least(0)
           .def("1000"),
         integer("dump_every",
                 "MD steps between frames of atoms.lammpstrj, a LAMMPS text dump (dump custom: id type x y z vx "
                 "vy vz ix iy iz weight ux uy uz; one file, frames appended) that OVITO and LAMMPS' read_dump "
                 "read; 0 = none. Positions are wrapped into the box with image flags ix iy iz; box flags pp "
                 "(periodic) or mm (free: the box is md.region grown to hold every atom); u = x - X")
           .at_least(0)
           .def("0"),
         integer("checkpoint_every", "checkpoint every this many steps; 0 = none").at_least(0).def("0")});
    }

    Entry make_schema()
    {
      Entry root     = section("", "the deck", {});
      root.children  = top_level_keys();
      auto &top      = root.children;
      top.push_back(parallel_section());
      top.push_back(md_section());
      top.push_back(fe_section());
      top.push_back(coupling_section());
      top.push_back(initial_section());
      top.push_back(run_section());
      top.push_back(output_section());
      return root;
    }
  } // namespace

  void register_styles(const std::string &section_path, std::vector<StyleKeys> styles, std::string section_doc)
  {
    if (!section_doc.empty())
      style_registry().section_docs[section_path] = std::move(section_doc);
    if (style_registry().schema_built)
      throw std::logic_error("internal: styles for " + section_path +
                             " registered after the deck schema was built; register them at start-up");
    style_registry().styles[section_path] = std::move(styles);
  }

  void register_choices(const std::string &key_path, std::vector<std::pair<std::string, std::string>> choices)
  {
    if (style_registry().schema_built)
      throw std::logic_error("internal: choices for " + key_path +
                             " registered after the deck schema was built; register them at start-up");
    style_registry().choices[key_path] = std::move(choices);
  }

  const Entry &deck_schema()
  {
    static const Entry schema = [] {
      Entry s                       = make_schema();
      style_registry().schema_built = true;
      return s;
    }();
    return schema;
  }
} // namespace seam::config
