// The deck checks that need more than the deck: the lattice (md: periodic lengths), the features this
// version implements (run, output) and the rank count (parallel). Checks on the deck alone: config/cross_checks.cpp.
#include "app/deck_checks.h"

#include "app/coupled_md_side.h"
#include "app/data_atoms.h"
#include "app/material_factory.h"
#include "app/md_run.h"
#include "fe/boundary/registry.h"
#include "base/expression.h"
#include "base/units.h"
#include "coupling/coupling_scheme.h"
#include "fe/elastodynamics.h"
#include "fe/mesh.h"
#include "io/checkpoint.h"
#include "md/cauchy_born.h"
#include "md/bond_cuts.h"
#include "md/lattice.h"
#include "md/potential/registry.h"

#include <fmt/format.h>

#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <memory>
#include <stdexcept>

namespace seam::app
{
  namespace
  {
    bool coupled(const config::Deck &d) { return d.has("md") && d.has("fe"); }

    /// Rough cost split: atoms cost about (cutoff neighbours) ~ 50 pair evaluations per step; an FE node
    /// about 30 flops per DoF per FE step, which happens once every `substeps` MD steps.
    double md_share(const config::Deck &d)
    {
      const int  dim = d.dimension();
      const auto lo = d.reals("md.region.lo"), hi = d.reals("md.region.hi");
      const auto flo = d.reals("fe.domain.lo"), fhi = d.reals("fe.domain.hi");
      double     v_md = 1, v_fe = 1;
      for (int a = 0; a < dim; ++a)
        {
          v_md *= hi[a] - lo[a];
          v_fe *= fhi[a] - flo[a];
        }
      const double a       = d.real("md.lattice.constant");
      const double n_atoms = v_md / std::pow(a, dim) * (dim == 3 ? 4 : 1);
      const double h       = std::sqrt(d.real("fe.element_size.near") * d.real("fe.element_size.far"));
      const double n_nodes = std::max(0.0, v_fe - v_md) / std::pow(h, dim) + 1;
      const double cost_md = 50.0 * n_atoms;
      const double sub     = d.is_auto("coupling.substeps") ? 10.0 : static_cast<double>(d.integer("coupling.substeps"));
      const double cost_fe = 30.0 * dim * n_nodes / sub;
      return cost_md / (cost_md + cost_fe);
    }
  } // namespace

  int md_ranks(const config::Deck &d, int world_size)
  {
    if (!d.is_auto("parallel.md_ranks"))
      return static_cast<int>(d.integer("parallel.md_ranks"));
    const int n = static_cast<int>(std::lround(md_share(d) * world_size));
    return std::clamp(n, 1, world_size - 1);
  }

  double periodic_tolerance(const config::Deck &d) { return 1e-4 * d.real("md.lattice.constant"); }

  void fail_empty_temperature_region(const config::Deck &d)
  {
    d.fail("initial.temperature_region", "no atom of md.region has its site in initial.temperature_region",
           "a box that holds atoms of md.region", "move or grow the box");
  }

  namespace
  {
    /// md: a periodic md.region length is a whole number of the oriented lattice's periods.
    void check_periodic_lengths(const config::Deck &d)
    {
      const int  dim = d.dimension();
      const auto orientation =
        dim == 3 ? d.int_matrix("md.lattice.orientation") : std::array<std::array<int, 3>, 3>{{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}};
      const md::Lattice lattice(md::parse_lattice_style(d.string("md.lattice.style")), d.real("md.lattice.constant"),
                                orientation, dim);
      const auto lo = d.reals("md.region.lo"), hi = d.reals("md.region.hi");
      const auto bc = d.strings("md.boundary");
      static const char *axis[] = {"x", "y", "z"};
      for (int a = 0; a < dim; ++a)
        {
          if (bc[a] != "periodic")
            continue;
          const double P = lattice.period(a), L = hi[a] - lo[a];
          const double n = std::round(L / P);
          if (n < 1 || std::abs(L - n * P) > periodic_tolerance(d))
            {
              const double n_lo = std::max(1.0, std::floor(L / P)), n_hi = std::max(1.0, std::ceil(L / P));
              d.fail(fmt::format("md.region.hi[{}]", a),
                     fmt::format("md.region's length along periodic axis {} ({}) is not a whole number of lattice "
                                 "periods ({:.10g} along {} for this lattice and orientation)",
                                 axis[a], L, P, axis[a]),
                     fmt::format("a length n * {:.10g} (within {:.3g})", P, periodic_tolerance(d)),
                     fmt::format("use a length of {:.10g} ({} periods) or {:.10g} ({} periods), e.g. hi = {:.10g}",
                                 n_lo * P, n_lo, n_hi * P, n_hi, lo[a] + n_lo * P));
            }
        }
    }

    /// parallel: a coupled run needs a rank for each partition.
    void check_rank_count(const config::Deck &d, int world_size)
    {
      if (world_size < 2)
        d.fail("parallel.md_ranks",
               "a coupled run needs at least 2 MPI ranks (MD and FE run on separate ranks), but it was started "
               "on 1",
               "mpirun -np N with N >= 2", "launch with mpirun -np 2 (or more), or scripts/run DECK -np 2");
      if (!d.is_auto("parallel.md_ranks") && d.integer("parallel.md_ranks") >= world_size)
        d.fail("parallel.md_ranks",
               fmt::format("parallel.md_ranks = {} leaves no rank for the continuum (the job has {} rank{})",
                           d.integer("parallel.md_ranks"), world_size, world_size == 1 ? "" : "s"),
               fmt::format("1 <= md_ranks <= {}", world_size - 1),
               fmt::format("set parallel.md_ranks to at most {} or auto, or launch more ranks", world_size - 1));
    }

    const char *axis_name(int a)
    {
      static const char *n[] = {"x", "y", "z"};
      return n[a];
    }

    /// md.potential: the potential can be built (its file exists, is a file, and parses). Errors name the
    /// key and, for a bad file, the file's own line (the EAM readers report it).
    std::unique_ptr<md::Potential> check_potential(const config::Deck &d, const md::MdSystemParams &p)
    {
      const bool has_file = d.has("md.potential.file");
      if (has_file)
        {
          const std::string f = d.string("md.potential.file");
          std::error_code   ec;
          if (std::filesystem::is_directory(f, ec))
            d.fail("md.potential.file", fmt::format("md.potential.file '{}' is a directory, not a potential file", f),
                   "the path of a LAMMPS potential file", "give the file itself, e.g. /usr/share/lammps/potentials/Cu_u3.eam");
        }
      try
        {
          return md::create_potential(p.potential_style, p.potential);
        }
      catch (const std::invalid_argument &e)
        {
          d.fail(has_file ? "md.potential.file" : "md.potential.style", e.what(),
                 has_file ? "a complete, readable potential file in the LAMMPS format of md.potential.style"
                          : "parameters the potential style accepts",
                 has_file ? "check the file (truncated download? wrong format for the style: eam = funcfl, "
                            "eam_alloy = setfl?)"
                          : "fix the potential parameters");
        }
    }

    /// md.boundary: a periodic length must hold at least twice the neighbor cutoff (cutoff + skin), or an
    /// atom would see its own image and pairs twice (the minimum-image convention fails).
    void check_periodic_cutoff(const config::Deck &d, const md::MdSystemParams &p, const md::Potential &pot)
    {
      const double rc = pot.cutoff() + p.skin;
      for (int a = 0; a < p.dimension; ++a)
        if (p.periodic[a])
          {
            const double L = p.region_hi[a] - p.region_lo[a];
            if (L < 2.0 * rc)
              d.fail(fmt::format("md.region.hi[{}]", a),
                     fmt::format("md.region's length along periodic axis {} ({:.6g}) is shorter than twice the "
                                 "neighbor cutoff (potential cutoff {:.6g} + md.neighbor.skin {:.6g} = {:.6g}): an "
                                 "atom would interact with its own periodic image",
                                 axis_name(a), L, pot.cutoff(), p.skin, rc),
                     fmt::format("a periodic length >= 2 x (cutoff + skin) = {:.6g}", 2.0 * rc),
                     "enlarge md.region along that axis (whole lattice periods), or make the axis free");
          }
    }

    /// Equivalent strain of the reference stress, max |S0_ij| / max C_iiii: the strain by which the
    /// lattice at md.lattice.constant would relax. Above this it is an input error.
    constexpr double max_reference_strain = 0.05;
    /// Largest omega_max * md.time_step accepted (velocity Verlet is unstable above 2; at 0.5 the fastest
    /// lattice vibration still has 12 steps per period).
    constexpr double max_omega_dt = 0.5;

    /// md.lattice.constant and md.time_step against the Cauchy-Born constants of the lattice and potential
    /// (md::CauchyBorn): the lattice must be near equilibrium (reference stress small against the moduli,
    /// else the crystal relaxes or transforms at once), and the time step must resolve the fastest lattice
    /// vibration, estimated as omega_max = 2 c_max / d_nn (the zone-boundary frequency of a chain with the
    /// longitudinal speed c_max = sqrt(max C_iiii / rho); Born & Huang, "Dynamical Theory of Crystal
    /// Lattices", Oxford 1954, ch. II). Velocity Verlet is stable for omega dt < 2 (Hairer, Lubich &
    /// Wanner, Acta Numerica 12, 399 (2003)).
    void check_lattice_model(const config::Deck &d, const md::MdSystemParams &p, const md::Potential &pot)
    {
      const md::Lattice lattice(p.lattice_style, p.lattice_constant, p.orientation, p.dimension);
      std::unique_ptr<md::CauchyBorn> cb;
      try
        {
          cb = std::make_unique<md::CauchyBorn>(lattice, pot, p.mass);
        }
      catch (const std::invalid_argument &e)
        {
          d.fail("md.lattice.constant", e.what(), "a lattice whose neighbour shells avoid the potential cutoff",
                 "change md.lattice.constant or the potential cutoff slightly");
        }
      catch (const std::logic_error &)
        {
          return; // no radial form: nothing to check
        }
      const int dim = p.dimension;
      if (cb->n_neighbors() == 0)
        d.fail("md.lattice.constant",
               fmt::format("no neighbour of a lattice site lies within the potential cutoff {:.6g} (nearest "
                           "neighbour distance {:.6g}): the crystal has no cohesion and zero elastic moduli",
                           pot.reference_cutoff(), lattice.nearest_neighbor_distance()),
               "a cutoff beyond the nearest-neighbour shell", "increase the potential cutoff or decrease md.lattice.constant");
      double c_max = 0, s_max = 0;
      for (int i = 0; i < dim; ++i)
        {
          c_max = std::max(c_max, cb->stiffness(i, i, i, i));
          for (int j = 0; j < dim; ++j)
            s_max = std::max(s_max, std::abs(cb->stress(i, j)));
        }
      if (!(c_max > 0))
        d.fail("md.lattice.constant",
               fmt::format("the lattice has no positive longitudinal modulus at md.lattice.constant = {} (largest "
                           "C_iiii = {:.6g}): it is unstable",
                           p.lattice_constant, c_max),
               "a lattice constant near the potential's equilibrium", "use the potential's equilibrium lattice constant");
      const double strain = s_max / c_max;
      // A fully periodic crystal may be held at any density (e.g. an equation-of-state point); with a
      // free face it relaxes (or explodes) at once, which is never what such a deck means.
      const bool any_free = std::any_of(p.periodic.begin(), p.periodic.begin() + dim, [](bool b) { return !b; });
      if (any_free && strain > max_reference_strain)
        d.fail("md.lattice.constant",
               fmt::format("md.lattice.constant = {} is far from the potential's equilibrium: the lattice's "
                           "reference stress (largest |S0_ij| = {:.6g}) is {:.3g} % of its modulus (largest C_iiii "
                           "= {:.6g}), i.e. the crystal would relax by about that strain at once from its free "
                           "faces",
                           p.lattice_constant, s_max, 100 * strain, c_max),
               fmt::format("a reference stress below {} % of the modulus", 100 * max_reference_strain),
               "use the potential's equilibrium lattice constant (e.g. 3.615 for Cu with Cu_u3.eam, 1.5496 "
               "sigma for fcc LJ with cutoff 2.5), or make every md.boundary periodic to hold this density");
      const double mvv2e = unit_constants(d.units()).mvv2e;
      const double c     = std::sqrt(c_max / (cb->density() * mvv2e));
      const double omega = 2.0 * c / lattice.nearest_neighbor_distance();
      const double dt    = p.time_step;
      if (omega * dt > max_omega_dt)
        d.fail("md.time_step",
               fmt::format("md.time_step = {} is too large for this lattice: its fastest vibration (about "
                           "omega_max = 2 c / d_nn = {:.4g} per unit time, c = {:.4g}, d_nn = {:.4g}) gets "
                           "omega_max dt = {:.3g} (velocity Verlet is unstable above 2)",
                           dt, omega, c, lattice.nearest_neighbor_distance(), omega * dt),
               fmt::format("md.time_step <= {:.3g} (omega_max dt <= {})", max_omega_dt / omega, max_omega_dt),
               fmt::format("reduce md.time_step, e.g. to {:.2g}", 0.1 / omega));
    }

    /// fe.material: build the continuum material on every rank (the FE side would reject it only on its
    /// own ranks during setup, leaving the MD ranks waiting): lattice sums defined, tangent strongly
    /// elliptic (Hill, J. Mech. Phys. Solids 5, 229 (1957); Born & Huang 1954).
    void check_material(const config::Deck &d)
    {
      switch (d.dimension())
        {
          case 1: make_material<1>(d, nullptr); break;
          case 2: make_material<2>(d, nullptr); break;
          default: make_material<3>(d, nullptr); break;
        }
    }

    /// fe.element_size: an element must fit in fe.domain.
    void check_element_size(const config::Deck &d)
    {
      const auto   lo = d.reals("fe.domain.lo"), hi = d.reals("fe.domain.hi");
      double       shortest = std::numeric_limits<double>::infinity();
      int          ax       = 0;
      for (int a = 0; a < d.dimension(); ++a)
        if (hi[a] - lo[a] < shortest)
          {
            shortest = hi[a] - lo[a];
            ax       = a;
          }
      const double near = d.real("fe.element_size.near");
      if (near > shortest)
        d.fail("fe.element_size.near",
               fmt::format("fe.element_size.near = {} is larger than fe.domain along {} ({:.6g}): the mesh cannot "
                           "resolve the domain, let alone the handshake band",
                           near, axis_name(ax), shortest),
               fmt::format("fe.element_size.near <= {:.6g} (a few lattice constants, to resolve the band)", shortest),
               "use an element size of about the handshake width or less");
    }

    /// initial: the displacement and velocity expressions must be finite wherever they are evaluated (atoms
    /// and nodes); they are sampled on a 9^dim grid of the md.region and fe.domain boxes before anything runs.
    void check_initial_fields(const config::Deck &d)
    {
      const int dim = d.dimension();
      std::vector<std::pair<std::vector<double>, std::vector<double>>> boxes;
      if (d.has("md") && d.has("md.region.lo"))
        boxes.push_back({d.reals("md.region.lo"), d.reals("md.region.hi")});
      if (d.has("fe"))
        boxes.push_back({d.reals("fe.domain.lo"), d.reals("fe.domain.hi")});
      for (const char *key : {"initial.displacement", "initial.velocity"})
        {
          if (!d.has(key))
            continue;
          const auto texts = d.strings(key);
          for (std::size_t c = 0; c < texts.size(); ++c)
            {
              const Expression f(texts[c]);
              constexpr int    n = 9;
              for (const auto &b : boxes)
                {
                  const int total = dim == 1 ? n : dim == 2 ? n * n : n * n * n;
                  for (int k = 0; k < total; ++k)
                    {
                      double x[3] = {0, 0, 0};
                      int    r    = k;
                      for (int a = 0; a < dim; ++a, r /= n)
                        x[a] = b.first[a] + (b.second[a] - b.first[a]) * (r % n) / (n - 1.0);
                      const double v = f(x[0], x[1], x[2], 0.0);
                      if (!std::isfinite(v))
                        d.fail(fmt::format("{}[{}]", key, c),
                               fmt::format("{}[{}] = '{}' is not finite at ({:.6g}, {:.6g}, {:.6g}), t = 0 (value {})",
                                           key, c, texts[c], x[0], x[1], x[2], v),
                               "an expression with a finite value at every atom and node",
                               "fix the expression (a negative argument of sqrt or log? a division by zero?)");
                      // A displacement larger than ten times the box it applies to moves the atoms or nodes far
                      // outside it: a typo in the magnitude (1e6*x), not a deformation anyone runs.
                      double extent = 0;
                      for (int a = 0; a < dim; ++a)
                        extent = std::max(extent, b.second[a] - b.first[a]);
                      if (std::string(key) == "initial.displacement" && std::abs(v) > 10 * extent)
                        d.fail(fmt::format("{}[{}]", key, c),
                               fmt::format("{}[{}] = '{}' is {:.6g} at ({:.6g}, {:.6g}, {:.6g}), more than ten times "
                                           "the size of the box it displaces ({:.6g})",
                                           key, c, texts[c], v, x[0], x[1], x[2], extent),
                               "a displacement small against the region (a strain of a few per cent)",
                               "check the expression's magnitude and units");
                    }
                }
            }
        }
    }

    /// output.directory: it must be (or be creatable as) a writable directory on a real file system.
    void check_output_directory(const config::Deck &d)
    {
      namespace fs = std::filesystem;
      const std::string dir = d.string("output.directory");
      std::error_code   ec;
      fs::path          p = fs::absolute(dir, ec);
      auto bad = [&](const std::string &why) {
        d.fail("output.directory", fmt::format("output.directory '{}' cannot be used: {}", dir, why),
               "a writable directory (created if missing)", "choose another output.directory, e.g. out/run1");
      };
      if (fs::exists(p, ec) && !fs::is_directory(p, ec))
        bad("it exists and is not a directory");
      for (const auto &part : p)
        if (part.string().size() > 255)
          bad(fmt::format("the path component '{}...' is {} characters long (a file name has at most 255)",
                          part.string().substr(0, 20), part.string().size()));
      if (p.string().size() > 3800)
        bad(fmt::format("the path is {} characters long (at most about 4000 with the file names)", p.string().size()));
      // The files seam writes there must be files (a directory of the same name cannot be replaced).
      for (const char *f : {"thermo.csv", "atoms.xdmf", "continuum.xdmf", "checkpoint.h5", "checkpoint.h5.tmp",
                            "checkpoint.prev.h5", "atoms.lammpstrj"})
        if (fs::is_directory(p / f, ec))
          bad(fmt::format("'{}' in it is a directory, where seam writes the file {}", (p / f).string(), f));
      // The nearest existing ancestor must be a writable directory.
      fs::path q = p;
      while (!q.empty() && !fs::exists(q, ec))
        q = q.parent_path();
      if (q.empty())
        bad("no parent directory exists");
      if (!fs::is_directory(q, ec))
        bad(fmt::format("'{}' is not a directory", q.string()));
      struct statfs sf{};
      if (statfs(q.c_str(), &sf) == 0 && (sf.f_type == 0x9fa0 /* PROC_SUPER_MAGIC */ ||
                                          sf.f_type == 0x62656572 /* SYSFS_MAGIC */))
        bad(fmt::format("'{}' is on a kernel pseudo file system (/proc, /sys), where files cannot be created",
                        q.string()));
      if (access(q.c_str(), W_OK | X_OK) != 0)
        bad(fmt::format("'{}' is not writable", q.string()));
    }


    /// seam check only (seam run checks the same on the FE ranks, where every rank throws alike): the FE
    /// step against the stable step of the actual mesh and material, built here on this rank alone
    /// (MPI_COMM_SELF), as the FE side builds it (a hole for the MD core in coupled runs).
    template <int dim>
    void check_fe_time_step(const config::Deck &d)
    {
      typename fe::Mesh<dim>::Params           mp = mesh_params<dim>(d);
      typename fe::Elastodynamics<dim>::Params ep = elastodynamics_params<dim>(d);
      std::unique_ptr<coupling::Handshake>     hs;
      if (coupled(d))
        {
          hs = std::make_unique<coupling::Handshake>(make_handshake(d, md_params(d)));
          fe::Box<dim> hole, region;
          for (int a = 0; a < dim; ++a)
            {
              hole.lo[a]   = hs->core_lo()[a];
              hole.hi[a]   = hs->core_hi()[a];
              region.lo[a] = hs->region_lo()[a];
              region.hi[a] = hs->region_hi()[a];
            }
          mp.hole      = hole;
          mp.md_region = region;
          ep.weight    = [&hs](const dealii::Point<dim> &x) {
            Vec3 p{};
            for (int a = 0; a < dim; ++a)
              p[a] = x[a];
            return 1.0 - hs->alpha(p);
          };
        }
      const fe::Mesh<dim>           mesh(MPI_COMM_SELF, mp);
      const fe::Elastodynamics<dim> fem(mesh, make_material<dim>(d, nullptr), ep);
      const double                  stable = fem.stable_time_step();
      if (coupled(d) && !d.is_auto("coupling.substeps")) // auto: chosen below the stable step by the run
        {
          const auto scheme = coupling::create_coupling_scheme(d.string("coupling.constrain_every"),
                                                               d.integer("coupling.substeps"), d.real("md.time_step"));
          check_fe_step(d, *scheme, stable);
        }
      else if (!d.is_auto("fe.time_step") && d.real("fe.time_step") > stable)
        d.fail("fe.time_step",
               fmt::format("fe.time_step = {} is larger than the largest stable step {:.6g} of this mesh and "
                           "material (explicit central differences)",
                           d.real("fe.time_step"), stable),
               fmt::format("fe.time_step <= {:.6g}", stable),
               fmt::format("use fe.time_step: auto (0.9 x {:.6g}) or a smaller value", stable));
    }

    /// The run's end time [time] for sampling expressions in t (quasistatic: the last load step).
    double run_end_time(const config::Deck &d)
    {
      const double steps = static_cast<double>(d.integer("run.steps"));
      if (d.string("run.style") == "quasistatic")
        return steps;
      if (d.has("md"))
        return steps * d.real("md.time_step");
      return d.is_auto("fe.time_step") ? 0.0 : steps * d.real("fe.time_step");
    }

    /// An expression in t must stay finite over the run: sampled at 2001 times in [0, end] (and at 0).
    /// Returns the first time where it is not, or a negative number.
    double first_non_finite(const std::string &text, double end)
    {
      const Expression e(text);
      for (int i = 0; i <= 2000; ++i)
        {
          const double t = end * i / 2000.0;
          if (!std::isfinite(e(0, 0, 0, t)))
            return t;
        }
      return -1;
    }

    /// True if the deck's box `key` (lo, hi) holds a lattice site of md.region (always true for atoms read
    /// from a data file, which the run checks).
    bool box_holds_sites(const config::Deck &d, const md::MdSystemParams &p, const std::string &key)
    {
      if (d.string("md.lattice.style") == "data")
        return true;
      const int  dim = d.dimension();
      const auto lo = d.reals(key + ".lo"), hi = d.reals(key + ".hi");
      Vec3       blo{}, bhi{};
      for (int a = 0; a < dim; ++a)
        {
          blo[a] = std::max(lo[a], p.region_lo[a]);
          bhi[a] = std::min(hi[a], p.region_hi[a]);
          if (!(bhi[a] > blo[a]))
            return false;
        }
      const md::Lattice lattice(p.lattice_style, p.lattice_constant, p.orientation, dim);
      return lattice.count_sites(blo, bhi) > 0;
    }

    /// md.indenter, md.cut, md.walls against md.region: an indenter whose centre lies beside md.region
    /// (across its loading direction) never touches the atoms; a cut that leaves md.region along a free
    /// axis would cut bonds the continuum carries (coupled) or nothing (MD-only); walls are an MD-only
    /// feature on free faces.
    void check_loadings(const config::Deck &d, const md::MdSystemParams &p)
    {
      const int    dim = d.dimension();
      const double tol = d.string("md.lattice.style") == "data" ? 0.0 : d.real("md.lattice.constant");
      static const char *axis_name[] = {"x", "y", "z"};
      if (d.has("md.indenter"))
        {
          const std::string style = d.string("md.indenter.style");
          std::vector<double> c0(dim, 0.0), c1(dim, 0.0);
          std::string         key = "md.indenter.center";
          if (d.has("md.indenter.position"))
            {
              key            = "md.indenter.position";
              const auto txt = d.strings(key);
              if (static_cast<int>(txt.size()) != dim)
                d.fail(key, fmt::format("{} expressions for a {}D run", txt.size(), dim),
                       fmt::format("{} expressions in t", dim), "give one expression per axis");
              for (int a = 0; a < dim; ++a)
                {
                  Expression e(txt[a]);
                  c0[a] = e(0, 0, 0, 0);
                  c1[a] = e(0, 0, 0, 1);
                  if (const double t = first_non_finite(txt[a], run_end_time(d)); t >= 0)
                    d.fail(key, fmt::format("the indenter's {} is not finite at t = {:.6g}", axis_name[a], t),
                           "expressions finite over the whole run", "fix the expression");
                }
            }
          else if (d.has("md.indenter.center"))
            {
              const auto c = d.reals(key);
              if (static_cast<int>(c.size()) != dim)
                d.fail(key, fmt::format("{} components for a {}D run", c.size(), dim),
                       fmt::format("{} components", dim), "give one coordinate per axis");
              std::vector<double> v(dim, 0.0);
              if (d.has("md.indenter.velocity"))
                v = d.reals("md.indenter.velocity");
              for (int a = 0; a < dim; ++a)
                {
                  c0[a] = c[a];
                  c1[a] = c[a] + (a < static_cast<int>(v.size()) ? v[a] : 0.0);
                }
            }
          for (int a = 0; a < dim; ++a)
            if (!std::isfinite(c0[a]) || !std::isfinite(c1[a]))
              d.fail(key, fmt::format("the indenter's centre is not finite at t = {}: {} = {}", std::isfinite(c0[a]) ? 1 : 0,
                                      axis_name[a], std::isfinite(c0[a]) ? c1[a] : c0[a]),
                     "finite coordinates", "fix the expression or value");
          if (style == "sphere" && dim != 3)
            d.fail("md.indenter.style", fmt::format("a sphere in a {}D run", dim), "cylinder or flat in 1D and 2D",
                   "use style: cylinder (a disc in 2D)");
          {
            // An indenter that starts farther from the atoms than md.region is large never reaches them at
            // a sensible speed (and its depth loses precision).
            double gap2 = 0, extent = 0;
            for (int a = 0; a < dim; ++a)
              {
                extent = std::max(extent, p.region_hi[a] - p.region_lo[a]);
                if (style == "flat" && a != dim - 1)
                  continue;
                if (style == "cylinder" && a == 2)
                  continue;
                const double g = std::max({p.region_lo[a] - c0[a], c0[a] - p.region_hi[a], 0.0});
                gap2 += g * g;
              }
            const double gap = std::sqrt(gap2) - (style == "flat" ? 0.0 : d.real("md.indenter.radius"));
            if (gap > extent)
              d.fail(key, fmt::format("the indenter starts {:.6g} away from md.region, farther than md.region's size "
                                      "({:.6g})", gap, extent),
                     "an indenter just above the atoms' surface at t = 0",
                     "place the indenter's surface a fraction of a lattice constant above the atoms");
          }
          // Axes across the motion (or, for a flat punch, every axis but its normal) must hit md.region.
          for (int a = 0; a < dim; ++a)
            {
              const bool moving = std::abs(c1[a] - c0[a]) > 0;
              if (moving || (style == "flat" && a != dim - 1) || (style == "cylinder" && a == 2))
                continue;
              if (p.periodic[a])
                continue;
              if (c0[a] < p.region_lo[a] || c0[a] > p.region_hi[a])
                d.fail(key, fmt::format("the indenter's centre at t = 0 has {} = {:.6g}, outside md.region [{:.6g}, {:.6g}] "
                                        "along an axis it does not move on: it would never touch the atoms",
                                        axis_name[a], c0[a], p.region_lo[a], p.region_hi[a]),
                       fmt::format("{} inside md.region", axis_name[a]),
                       "place the indenter above the atoms' surface (inside md.region across its motion)");
            }
        }
      for (std::size_t k = 0; d.has("md.cut") && k < d.list_size("md.cut"); ++k)
        {
          const md::Cut    &cut  = p.cuts[k];
          const std::string item = fmt::format("md.cut[{}]", k);
          try
            {
              md::BondCuts check({cut}, dim);
            }
          catch (const std::invalid_argument &e)
            {
              std::string what = e.what();
              d.fail(item, what.substr(what.find(':') + 2),
                     dim == 3 ? "distinct from and to, and a non-zero normal perpendicular to to - from"
                              : "distinct from and to",
                     "fix the cut's end points (and normal)");
            }
          if (dim == 3 && !d.has(item + ".normal"))
            d.fail(item, "a 3D cut without a normal", "normal: [nx, ny, nz] perpendicular to to - from",
                   "add the normal of the cut plane");
          for (const char *end : {"from", "to"})
            {
              const Vec3 &X = std::string(end) == "from" ? cut.from : cut.to;
              for (int a = 0; a < dim; ++a)
                if (!p.periodic[a] && (X[a] < p.region_lo[a] - tol || X[a] > p.region_hi[a] + tol))
                  d.fail(fmt::format("{}.{}", item, end),
                         fmt::format("the cut leaves md.region: {} = {:.6g} is outside [{:.6g}, {:.6g}]", axis_name[a],
                                     X[a], p.region_lo[a], p.region_hi[a]),
                         "both ends inside md.region (within one lattice constant of it)",
                         "end the cut at md.region's face; a crack must stay in the atomistic region");
            }
        }
      for (std::size_t k = 0; d.has("md.walls") && k < d.list_size("md.walls"); ++k)
        {
          const std::string item = fmt::format("md.walls[{}]", k);
          if (coupled(d))
            d.fail(item, "md.walls in a coupled run",
                   "md.walls only in MD-only runs (faces of md.region on fe.domain's faces take fe.boundary's "
                   "condition; faces inside fe.domain are bordered by the continuum)",
                   "remove md.walls, and use fe.boundary on fe.domain's faces instead");
          for (const auto &f : d.strings(item + ".faces"))
            {
              const int a = f[0] - 'x';
              if (a >= dim)
                d.fail(item + ".faces", fmt::format("face {} in a {}D run", f, dim),
                       "faces of the run's axes", "remove the face");
              if (p.periodic[a])
                d.fail(item + ".faces", fmt::format("a wall on face {} of periodic axis {}", f, axis_name[a]),
                       "walls on free faces only", fmt::format("make axis {} free, or remove the face", axis_name[a]));
            }
          if (d.string(item + ".type") == "k_field")
            for (const char *key : {"k", "tip"})
              if (!d.has(item + "." + key))
                d.fail(item, fmt::format("a k_field wall without `{}`", key),
                       "k: \"expression in t\" (stress sqrt(length)) and tip: [x, y]",
                       fmt::format("add `{}` to the item", key));
          if (d.string(item + ".type") == "velocity" && !d.has(item + ".value"))
            d.fail(item, "a velocity wall without value", "value: [expr, ...] (velocity in x, y, z, t)",
                   "add value, or use type: fixed");
        }
      // A delete box that holds all of md.region leaves no atoms.
      for (std::size_t k = 0; k < p.deleted.size(); ++k)
        {
          bool all = true;
          for (int a = 0; a < dim; ++a)
            all = all && p.deleted[k].first[a] <= p.region_lo[a] && p.deleted[k].second[a] >= p.region_hi[a];
          if (all)
            d.fail(fmt::format("md.delete[{}].region", k), "the box holds all of md.region: no atom would be left",
                   "a box around the atoms to remove (a notch, a void)", "shrink the box to the part to remove");
        }
      if (d.has("md.thermostat"))
        {
          const std::string dmp = "md.thermostat.damping";
          if (d.has(dmp) && d.real(dmp) < p.time_step)
            d.fail(dmp,
                   fmt::format("damping {} is shorter than md.time_step {}: the Langevin friction would overshoot "
                               "in every step",
                               d.real(dmp), p.time_step),
                   "a relaxation time of many time steps (typically 100 x md.time_step)",
                   fmt::format("use damping: {}", 100 * p.time_step));
          if (d.has("md.thermostat.region") && !box_holds_sites(d, p, "md.thermostat.region"))
            d.fail("md.thermostat.region", "the thermostat's region holds no atom of md.region",
                   "a box overlapping md.region", "move the box onto the atoms, or omit region for all atoms");
        }
      if (d.has("initial.temperature_region") && !box_holds_sites(d, p, "initial.temperature_region"))
        fail_empty_temperature_region(d);
    }

    /// fe.boundary items of the styles with extra keys (k_field: k and tip; not on an axis md.boundary
    /// makes periodic).
    void check_fe_boundary(const config::Deck &d)
    {
      static const char *axis_name[] = {"x", "y", "z"};
      const int           dim        = d.dimension();
      for (std::size_t i = 0; d.has("fe.boundary") && i < d.list_size("fe.boundary"); ++i)
        {
          const std::string item = fmt::format("fe.boundary[{}]", i);
          const std::string type = d.string(item + ".type");
          if (type == "k_field")
            {
              for (const char *key : {"k", "tip"})
                if (!d.has(item + "." + key))
                  d.fail(item, fmt::format("a k_field without `{}`", key),
                         "k: \"expression in t\" (stress sqrt(length)) and tip: [x, y]",
                         fmt::format("add `{}` to the item", key));
              if (dim < 2)
                d.fail(item + ".type", "a k_field in 1D", "dimension 2 or 3", "use displacement or velocity in 1D");
              try
                {
                  Expression(d.string(item + ".k"));
                }
              catch (const std::exception &e)
                {
                  d.fail(item + ".k", fmt::format("the expression does not parse: {}", e.what()),
                         "a muparser expression in t", "fix the expression");
                }
              if (const double t = first_non_finite(d.string(item + ".k"), run_end_time(d)); t >= 0)
                d.fail(item + ".k", fmt::format("k is not finite at t = {:.6g}", t),
                       "an expression finite over the whole run", "fix the expression");
              const auto tip = d.reals(item + ".tip");
              const auto flo = d.reals("fe.domain.lo"), fhi = d.reals("fe.domain.hi");
              for (int a = 0; a < 2; ++a)
                if (!(tip[a] >= flo[a] && tip[a] <= fhi[a]))
                  d.fail(item + ".tip",
                         fmt::format("the crack tip has {} = {:.6g}, outside fe.domain [{:.6g}, {:.6g}]",
                                     axis_name[a], tip[a], flo[a], fhi[a]),
                         "a tip inside fe.domain (in md.region, where the crack is atomistic)",
                         "place the tip at the end of the crack");
            }
          if (type == "displacement" && !d.has(item + ".value"))
            d.fail(item, "a displacement condition without value", "value: [expr, ...] (one per axis, in x, y, z, t)",
                   "add value");
          for (const auto &f : d.strings(item + ".faces"))
            {
              const int a = f[0] - 'x';
              if (a < dim && type == "k_field" && d.has("md") && d.strings("md.boundary")[a] == "periodic")
                d.fail(item + ".faces",
                       fmt::format("a k_field on face {} of axis {}, which md.boundary makes periodic", f, axis_name[a]),
                       "k_field faces on free axes (a crack-tip field is not periodic)",
                       fmt::format("remove {} from the faces, or make axis {} free", f, axis_name[a]));
            }
        }
    }

    /// run.style: quasistatic relaxes the atoms to rest at each load step: nothing in the deck may remove
    /// energy or drive them in time (an absorbing face, a thermostat, a velocity wall, a temperature), and
    /// the continuum's static solve is not there yet.
    void check_run_style(const config::Deck &d)
    {
      if (d.string("run.style") != "quasistatic")
        return;
      for (std::size_t i = 0; d.has("fe.boundary") && i < d.list_size("fe.boundary"); ++i)
        {
          const std::string item = fmt::format("fe.boundary[{}]", i);
          const std::string type = d.string(item + ".type");
          if (fe::boundary::style_info(type).absorbs)
            d.fail(item + ".type",
                   fmt::format("an {} face in a quasistatic run: it damps motion, and a relaxation to rest has none "
                               "to damp",
                               type),
                   "faces that are fixed, free, displacement, traction or k_field",
                   "make the face fixed (or free), or use run.style: dynamics");
        }
      if (d.has("fe"))
        d.fail("run.style",
               "run.style: quasistatic is implemented for MD-only decks; the continuum's static solve of a "
               "coupled or FE-only deck is not there yet",
               "dynamics for a deck with an fe section",
               "use run.style: dynamics with a slow load rate, or relax the atoms alone (an MD-only deck with "
               "md.walls)");
      if (d.integer("run.steps") != d.integer("run.load_steps"))
        d.fail("run.steps",
               fmt::format("run.steps = {} but run.load_steps = {}: in a quasistatic run the steps are the load "
                           "steps",
                           d.integer("run.steps"), d.integer("run.load_steps")),
               "run.steps equal to run.load_steps", fmt::format("set run.steps: {}", d.integer("run.load_steps")));
      if (d.has("md.thermostat"))
        d.fail("md.thermostat", "a thermostat in a quasistatic run (the atoms are relaxed to rest, T = 0)",
               "no md.thermostat", "remove md.thermostat, or use run.style: dynamics");
      if (d.real("initial.temperature") > 0)
        d.fail("initial.temperature", "an initial temperature in a quasistatic run (the atoms are relaxed to rest)",
               "0", "remove initial.temperature, or use run.style: dynamics");
      for (std::size_t k = 0; d.has("md.walls") && k < d.list_size("md.walls"); ++k)
        {
          const std::string item = fmt::format("md.walls[{}]", k);
          if (d.string(item + ".type") == "velocity")
            d.fail(item + ".type", "a velocity wall in a quasistatic run (there is no time to move it in)",
                   "fixed or k_field walls",
                   "use a k_field wall, or an indenter with position: [...] in the load step t");
        }
    }

    /// Every check that needs the built model but not the ranks: the potential, the lattice under it, the
    /// continuum material, the mesh size, the initial fields, the output directory.
    void check_model(const config::Deck &d)
    {
      if (d.has("md"))
        {
          const md::MdSystemParams p   = md_params(d);
          const auto               pot = check_potential(d, p);
          check_periodic_cutoff(d, p, *pot);
          check_loadings(d, p);
          if (d.string("md.lattice.style") != "data")
            check_lattice_model(d, p, *pot);
        }
      if (d.has("fe"))
        {
          check_fe_boundary(d);
          check_element_size(d);
          check_material(d);
        }
      check_initial_fields(d);
      check_output_directory(d);
      // run.restart: the checkpoint opens (a truncated file, from a run killed while writing, does not).
      if (const std::string restart = d.string("run.restart"); !restart.empty())
        {
          io::CheckpointInfo info;
          try
            {
              io::CheckpointReader reader(restart, MPI_COMM_SELF);
              info = reader.info();
            }
          catch (const std::exception &e)
            {
              d.fail("run.restart", fmt::format("'{}' cannot be read as a checkpoint: {}", restart, e.what()),
                     "a complete checkpoint.h5 written by seam",
                     "restart from checkpoint.prev.h5 beside it (kept until the next checkpoint is complete)");
            }
          // The checkpoint must come from this kind of run, in this dimension, and end before run.steps.
          const std::string kind = coupled(d) ? "coupled" : d.has("md") ? "md" : "fe";
          int               dim  = d.dimension();
          try
            {
              dim = config::Deck::from_text(info.deck, restart).dimension();
            }
          catch (const std::exception &)
            {} // a deck this version no longer reads: the run's own checks report what differs
          if (info.kind != kind || dim != d.dimension())
            d.fail("run.restart",
                   fmt::format("'{}' is the checkpoint of a {}D {} run; this deck is a {}D {} run", restart, dim,
                               info.kind, d.dimension(), kind),
                   "a checkpoint written by this deck (or one of the same kind and dimension)",
                   "restart with the deck that wrote the checkpoint");
          if (info.step >= d.integer("run.steps"))
            d.fail("run.steps",
                   fmt::format("the checkpoint '{}' is at step {}, and run.steps = {} ends there or before", restart,
                               info.step, d.integer("run.steps")),
                   fmt::format("run.steps > {}", info.step),
                   "set run.steps to the step the continued run should reach");
        }
    }

    void check_fe_time_step(const config::Deck &d)
    {
      switch (d.dimension())
        {
          case 1: check_fe_time_step<1>(d); break;
          case 2: check_fe_time_step<2>(d); break;
          default: check_fe_time_step<3>(d); break;
        }
    }
  } // namespace

  void check_deck(const config::Deck &d, int world_size)
  {
    if (d.has("md") && d.string("md.lattice.style") == "data")
      {
        // The data file is read (and its errors reported) before anything runs.
        Vec3 lo{}, hi{};
        const auto rlo = d.reals("md.region.lo"), rhi = d.reals("md.region.hi");
        for (int a = 0; a < d.dimension(); ++a)
          {
            lo[a] = rlo[a];
            hi[a] = rhi[a];
          }
        data_file_atoms(d, lo, hi);
      }
    else if (d.has("md"))
      check_periodic_lengths(d);
    check_run_style(d);
    if (coupled(d) && world_size > 0)
      check_rank_count(d, world_size);
    check_model(d);
    if (world_size == 0 && d.has("fe"))
      check_fe_time_step(d);
  }
} // namespace seam::app
