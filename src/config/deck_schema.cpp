// The keys of a seam deck: ../shared/spec/deck.md (the contract) plus our extensions. Adding a key here
// makes it valid, documented (seam schema, docs/deck.md) and reachable through --set.
#include "config/schema.h"
#include "fe/boundary/registry.h" // deal.II-free, header-only: the boundary styles and their keys

#include <algorithm>

namespace seam::config
{
  namespace
  {
    using Q = Quantity;

    const std::vector<std::string> face_names = {"x_lo", "x_hi", "y_lo", "y_hi", "z_lo", "z_hi"};

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

    Entry make_schema()
    {
      Entry root = section("", "the deck", {});
      auto &top  = root.children;

      top.push_back(choice("units", {"metal", "lj"},
                           "unit system of every value in the deck: metal (Å, ps, eV, amu, K) or lj "
                           "(reduced Lennard-Jones units)")
                      .def("metal"));
      top.push_back(integer("dimension", "spatial dimension of the model").at_least(1).at_most(3).def("3"));

      top.push_back(section(
        "parallel", "how the MPI ranks are shared between the MD and FE partitions",
        {integer("md_ranks",
                 "ranks given to MD in a coupled run (the rest run the continuum); auto splits by "
                 "estimated cost. Ignored by MD-only and FE-only runs, which use every rank")
           .at_least(1)
           .or_auto()
           .def("auto")}));

      // ---------------------------------------------------------------- md
      {
        Entry md = optional_section(
          "md", "the atomistic region; omit for an FE-only run",
          {section("lattice", "the crystal filling md.region",
                   {choice("style", {"fcc", "bcc", "sc", "hex", "chain"},
                           "fcc, bcc, sc need dimension 3; hex (triangular) dimension 2; chain dimension 1")
                      .req(),
                    real("constant", Q::length,
                         "lattice constant (cubic lattices) or nearest-neighbour distance (hex, chain)")
                      .above(0)
                      .req(),
                    int_matrix("orientation",
                               "dimension 3 only: integer crystal directions along x, y and z; mutually "
                               "orthogonal and right-handed")
                      .def("[[1, 0, 0], [0, 1, 0], [0, 0, 1]]")}),
           box("region", "box filled with atoms (lo <= X < hi), the handshake band included"),
           choice_vector("boundary", {"free", "periodic"},
                         "per axis; a periodic axis needs a region length that is a whole number of "
                         "lattice periods (within 1e-4 lattice constants; the box is then made exact)")
             .def("free"),
           real("mass", Q::mass, "atomic mass").above(0).req(),
           styled_section(
             "potential", "interatomic potential", false,
             "lj_cut | morse | harmonic (nearest-neighbour springs) | eam (funcfl file) | eam_alloy (setfl file)",
             {{"lj_cut",
               {real("epsilon", Q::energy, "well depth").above(0).req(),
                real("sigma", Q::length, "zero-crossing distance").above(0).req(),
                real("cutoff", Q::length, "cutoff radius (energy not shifted, as LAMMPS lj/cut)").above(0).req()}},
              {"morse",
               {real("d0", Q::energy, "well depth").above(0).req(),
                real("alpha", Q::inverse_length, "width parameter").above(0).req(),
                real("r0", Q::length, "equilibrium distance").above(0).req(),
                real("cutoff", Q::length, "cutoff radius").above(0).req()}},
              {"harmonic",
               {real("k", Q::force_constant, "spring constant of each nearest-neighbour bond").above(0).req(),
                real("r0", Q::length,
                     "rest length of the bonds; auto = the lattice nearest-neighbour distance (zero stress)")
                  .above(0)
                  .or_auto()
                  .def("auto")}},
              {"eam", {path("file", "LAMMPS funcfl file, e.g. /usr/share/lammps/potentials/Cu_u3.eam").req()}},
              {"eam_alloy",
               {path("file", "LAMMPS setfl file, e.g. /usr/share/lammps/potentials/Cu_mishin1.eam.alloy").req(),
                text("element", "element of the file to use; empty = the first one").def("\"\"")}}}),
           real("time_step", Q::time, "MD time step").above(0).def_units("0.001", "0.005"),
           section("neighbor", "neighbor lists",
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
                      .def("0")}),
           styled_section("thermostat", "optional thermostat on the atoms", true, "langevin",
                          {{"langevin",
                            {real("temperature", Q::temperature, "target temperature").at_least(0).req(),
                             real("damping", Q::time, "relaxation time").above(0).req(),
                             integer("seed", "random seed").at_least(1).def("12345"), [] {
                               Entry r = box("region", "only atoms currently inside this box are thermostatted; "
                                                       "omit for all atoms");
                               r.optional = true;
                               return r;
                             }()}}})});
        top.push_back(std::move(md));
      }

      // ---------------------------------------------------------------- fe
      {
        Entry fe = optional_section(
          "fe", "the continuum; omit for an MD-only run",
          {box("domain", "box covered by the mesh (the MD-only core is cut out of it in coupled runs)"),
           section("element_size", "graded mesh",
                   {real("near", Q::length, "element size in the handshake band").above(0).req(),
                    real("far", Q::length, "largest element size far from the band (>= near)").above(0).req()}),
           integer("degree", "polynomial degree of the elements").at_least(1).at_most(2).def("1"),
           real("time_step", Q::time,
                "FE-only runs: a value, or auto (a safety factor times the stable step); coupled runs use "
                "coupling.substeps x md.time_step and ignore it")
             .above(0)
             .or_auto()
             .def("auto"),
           styled_section("material", "continuum material", false,
                          "cauchy_born (from md.lattice and md.potential) | isotropic | cubic",
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
                             real("density", Q::density, "mass density").above(0).req()}}}),
           list_of("boundary", "boundary conditions on faces of fe.domain; faces not named are free",
                   boundary_item())});
        top.push_back(std::move(fe));
      }

      // ---------------------------------------------------------------- coupling
      top.push_back(optional_section(
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
                 {choice("style", {"none", "fine_scale"}, "none | fine_scale").def("fine_scale"),
                  real("strength", Q::none, "dimensionless damping strength (fine_scale)").at_least(0).def("1.0")}),
         integer("substeps", "MD steps per FE step").at_least(1).def("2"),
         choice("constrain_every", {"md_step", "fe_step"},
                "md_step: the constraint holds at every MD substep (the FE band drifts with the atoms between "
                "FE force kicks: multiple time stepping with constraints, energy-conserving); fe_step: one "
                "correction per FE step (cheaper exchange, energy error grows with substeps: see README)")
           .def("md_step")}));

      // ---------------------------------------------------------------- initial
      top.push_back(section(
        "initial", "initial state, applied to atoms (at their reference positions) and FE nodes alike",
        {expr_vector("displacement", Q::length, "initial displacement field").def("0"),
         expr_vector("velocity", Q::velocity, "initial velocity field").def("0"),
         real("temperature", Q::temperature, "Maxwell-Boltzmann atom velocities added on top, zero net momentum")
           .at_least(0)
           .def("0"),
         integer("seed", "random seed for those velocities").at_least(1).def("1")}));

      // ---------------------------------------------------------------- run
      top.push_back(section("run", "the run",
                            {integer("steps", "MD steps (FE steps = steps / coupling.substeps); FE-only runs: FE steps")
                               .at_least(0)
                               .req(),
                             path("restart", "checkpoint to continue from; empty = start fresh").def("\"\"")}));

      // ---------------------------------------------------------------- output
      top.push_back(section(
        "output", "what is written, and where",
        {path("directory", "output directory (created if missing)").def("out"),
         integer("thermo_every", "thermo.csv row every this many steps").at_least(1).def("100"),
         integer("fields_every", "atoms.xdmf / continuum.xdmf frame every this many steps; 0 = none")
           .at_least(0)
           .def("1000"),
         integer("checkpoint_every", "checkpoint every this many steps; 0 = none").at_least(0).def("0")}));
      return root;
    }
  } // namespace

  const Entry &deck_schema()
  {
    static const Entry schema = make_schema();
    return schema;
  }
} // namespace seam::config
