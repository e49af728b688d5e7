// Cross-field checks of a deck, one function per section, in the order Deck::load runs them.
#include "config/cross_checks.h"

#include "config/schema.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>

namespace seam::config
{
  namespace
  {
    const char *const axis_name[] = {"x", "y", "z"};

    std::string face_axis_hint(int dimension)
    {
      static const char *names[] = {"x_lo, x_hi", "x_lo, x_hi, y_lo, y_hi", "x_lo, x_hi, y_lo, y_hi, z_lo, z_hi"};
      return names[std::clamp(dimension, 1, 3) - 1];
    }

    /// hi > lo on every axis of the box at `p`.
    void check_box(const Deck &d, const std::string &p)
    {
      const auto lo = d.reals(p + ".lo"), hi = d.reals(p + ".hi");
      for (int a = 0; a < d.dimension(); ++a)
        if (!(hi[a] > lo[a]))
          d.fail(fmt::format("{}.hi[{}]", p, a),
                 fmt::format("{}.hi is not above {}.lo along {} ({} <= {})", p, p, axis_name[a], hi[a], lo[a]),
                 "hi > lo on every axis", fmt::format("swap or correct the {} components of {}", axis_name[a], p));
    }

    void check_parts(const Deck &d)
    {
      if (!d.has("md") && !d.has("fe"))
        d.fail("", "the deck has neither an md nor an fe section", "an md section, an fe section, or both",
               "add md: (atoms) and/or fe: (continuum); see inputs/ for examples");
      const bool coupled = d.has("md") && d.has("fe");
      if (coupled && !d.has("coupling"))
        d.fail("", "the deck has both md and fe but no coupling section",
               "a coupling section when both md and fe are present",
               "add `coupling: {handshake: {width: <band width>}}` (see seam schema)");
      if (!coupled && d.has("coupling"))
        d.fail("coupling", fmt::format("coupling is given but the deck has no {} section", d.has("md") ? "fe" : "md"),
               "coupling only when both md and fe are present", "remove the coupling section, or add the missing part");
    }

    /// Dimension 3: non-zero, mutually orthogonal, right-handed crystal directions.
    void check_orientation(const Deck &d)
    {
      const auto o = d.int_matrix("md.lattice.orientation");
      for (int i = 0; i < 3; ++i)
        {
          if (o[i][0] == 0 && o[i][1] == 0 && o[i][2] == 0)
            d.fail(fmt::format("md.lattice.orientation[{}]", i), "a crystal direction is zero",
                   "three non-zero, mutually orthogonal integer directions", "give a direction such as [1, 1, 0]");
          for (int j = i + 1; j < 3; ++j)
            if (o[i][0] * o[j][0] + o[i][1] * o[j][1] + o[i][2] * o[j][2] != 0)
              d.fail("md.lattice.orientation",
                     fmt::format("the directions along {} and {} are not orthogonal", axis_name[i], axis_name[j]),
                     "mutually orthogonal rows (dot products zero)",
                     "e.g. [[1,1,0],[-1,1,0],[0,0,1]] or [[1,1,1],[-1,1,0],[-1,-1,2]]");
        }
      const long det = long(o[0][0]) * (o[1][1] * o[2][2] - o[1][2] * o[2][1]) -
                       long(o[0][1]) * (o[1][0] * o[2][2] - o[1][2] * o[2][0]) +
                       long(o[0][2]) * (o[1][0] * o[2][1] - o[1][1] * o[2][0]);
      if (det < 0)
        d.fail("md.lattice.orientation", "the orientation is left-handed (z != x cross y)",
               "a right-handed set of directions", "negate the z direction");
    }

    /// Every file the potential style declares (its path keys) can be read.
    void check_potential_files(const Deck &d)
    {
      const Entry *potential = deck_schema().child("md")->child("potential");
      for (const auto &key : *potential->variant(d.string("md.potential.style")))
        {
          const std::string path = "md.potential." + key.name;
          if (key.type != ValueType::path || !d.has(path))
            continue;
          const std::string f = d.string(path);
          if (!std::ifstream(f))
            d.fail(path, fmt::format("cannot read the potential file '{}'", f), "a readable LAMMPS potential file",
                   "check the path (Debian's lammps-data installs them in /usr/share/lammps/potentials)");
        }
    }

    /// md.lattice.style: data: a file and none of the built lattice's keys; MD-only runs.
    void check_data_lattice(const Deck &d)
    {
      if (!d.has("md.lattice.file"))
        d.fail("md.lattice", "md.lattice.style is data but md.lattice.file is missing",
               "file: the path of a LAMMPS data file (atom_style atomic)", "add file: PATH to md.lattice");
      if (d.has("md.lattice.constant"))
        d.fail("md.lattice.constant", "md.lattice.constant is not used with md.lattice.style: data (the atoms "
                                      "come from md.lattice.file)",
               "no constant for style data", "remove md.lattice.constant");
      if (d.value_text("md.lattice.orientation") != "[[1, 0, 0], [0, 1, 0], [0, 0, 1]]")
        d.fail("md.lattice.orientation", "md.lattice.orientation is not used with md.lattice.style: data",
               "no orientation for style data (rotate the structure before writing the file)",
               "remove md.lattice.orientation");
      if (d.has("fe"))
        d.fail("md.lattice.style", "md.lattice.style: data works in MD-only runs in this version; a coupled run "
                                   "builds its continuum (Cauchy-Born) and band from a lattice",
               "fcc, bcc, sc, hex or chain in a coupled deck", "use a lattice style, or remove fe and coupling");
    }

    void check_md(const Deck &d)
    {
      const int         dim   = d.dimension();
      const std::string style = d.string("md.lattice.style");
      if (style == "data")
        {
          check_data_lattice(d);
          check_box(d, "md.region");
          check_potential_files(d);
          return;
        }
      if (!d.has("md.lattice.constant"))
        d.fail("md.lattice", fmt::format("md.lattice.constant is missing; lattice style {} needs it", style),
               "constant: a length > 0 (the lattice constant, or the nearest-neighbour distance for hex and chain)",
               "add constant: ... to md.lattice");
      if (d.has("md.lattice.file"))
        d.fail("md.lattice.file", fmt::format("md.lattice.file is only read by lattice style data, not {}", style),
               "no file for a built lattice", "remove md.lattice.file, or set md.lattice.style: data");
      const int         want  = style == "hex" ? 2 : style == "chain" ? 1 : 3;
      if (want != dim)
        d.fail("md.lattice.style", fmt::format("lattice style {} needs dimension {}, but the deck's dimension is {}",
                                               style, want, dim),
               dim == 3 ? "fcc, bcc or sc for dimension 3" : dim == 2 ? "hex for dimension 2" : "chain for dimension 1",
               fmt::format("change md.lattice.style or set dimension: {}", want));
      if (dim != 3 && d.value_text("md.lattice.orientation") != "[[1, 0, 0], [0, 1, 0], [0, 0, 1]]")
        d.fail("md.lattice.orientation", "md.lattice.orientation is only meaningful in dimension 3",
               "no orientation key for hex and chain lattices", "remove md.lattice.orientation");
      if (dim == 3)
        check_orientation(d);
      check_box(d, "md.region");
      check_potential_files(d);
    }

    /// Each entry of fe.boundary: its faces exist and have no other entry; a value iff velocity or traction.
    void check_fe_boundary(const Deck &d)
    {
      const int             dim = d.dimension();
      std::set<std::string> faces_seen;
      for (std::size_t i = 0; i < d.list_size("fe.boundary"); ++i)
        {
          const std::string p     = fmt::format("fe.boundary[{}]", i);
          const auto        faces = d.strings(p + ".faces");
          for (std::size_t k = 0; k < faces.size(); ++k)
            {
              const int axis = faces[k][0] - 'x';
              if (axis >= dim)
                d.fail(fmt::format("{}.faces[{}]", p, k),
                       fmt::format("face {} does not exist in dimension {}", faces[k], dim),
                       "faces of fe.domain: " + face_axis_hint(dim), "remove it from the list");
              if (!faces_seen.insert(faces[k]).second)
                d.fail(fmt::format("{}.faces[{}]", p, k),
                       fmt::format("face {} is given a boundary condition twice", faces[k]),
                       "each face in at most one fe.boundary entry", "remove it from one of the entries");
            }
          const std::string type      = d.string(p + ".type");
          const bool        wants_val = type == "velocity" || type == "traction";
          if (wants_val && !d.has(p + ".value"))
            d.fail(p + ".type", fmt::format("boundary type {} needs a value", type),
                   fmt::format("value: [{} expressions]", dim),
                   fmt::format("add value: [...] with {} components to this entry", dim));
          if (!wants_val && d.has(p + ".value"))
            d.fail(p + ".value", fmt::format("boundary type {} takes no value", type),
                   "value only for velocity and traction", "remove value from this entry");
        }
    }

    void check_fe(const Deck &d)
    {
      check_box(d, "fe.domain");
      if (d.real("fe.element_size.far") < d.real("fe.element_size.near"))
        d.fail("fe.element_size.far", "fe.element_size.far is smaller than fe.element_size.near",
               "far >= near", "make far at least " + d.value_text("fe.element_size.near"));
      if (d.string("fe.material.style") == "cauchy_born" && !d.has("md"))
        d.fail("fe.material.style", "the cauchy_born material needs md.lattice and md.potential, but the deck has no md",
               "isotropic or cubic for an FE-only deck", "use `material: {style: isotropic, ...}`");
      check_fe_boundary(d);
    }

    /// Per axis: md.region inside fe.domain, a periodic axis spanning both, a band that leaves an MD core.
    void check_band_geometry(const Deck &d, double eps)
    {
      const auto   mlo = d.reals("md.region.lo"), mhi = d.reals("md.region.hi");
      const auto   flo = d.reals("fe.domain.lo"), fhi = d.reals("fe.domain.hi");
      const auto   bnd = d.strings("md.boundary");
      const double w   = d.real("coupling.handshake.width");
      for (int a = 0; a < d.dimension(); ++a)
        {
          if (mlo[a] < flo[a] - eps || mhi[a] > fhi[a] + eps)
            d.fail("md.region", fmt::format("md.region sticks out of fe.domain along {} ([{}, {}] vs [{}, {}])",
                                            axis_name[a], mlo[a], mhi[a], flo[a], fhi[a]),
                   "md.region inside fe.domain", "shrink md.region or grow fe.domain");
          if (bnd[a] == "periodic" && (std::abs(mlo[a] - flo[a]) > eps || std::abs(mhi[a] - fhi[a]) > eps))
            d.fail(fmt::format("md.boundary[{}]", a),
                   fmt::format("md.boundary is periodic along {} but md.region does not span fe.domain on that axis",
                               axis_name[a]),
                   "a periodic axis of a coupled run has md.region.lo/hi equal to fe.domain.lo/hi",
                   "make the axis free, or give md.region and fe.domain the same extent along it");
          // Faces of md.region on a face of fe.domain have no band.
          const int    n_band = (std::abs(mlo[a] - flo[a]) > eps) + (std::abs(mhi[a] - fhi[a]) > eps);
          const double core   = (mhi[a] - mlo[a]) - n_band * w;
          if (n_band > 0 && !(core > 0))
            d.fail("coupling.handshake.width",
                   fmt::format("the handshake band ({} on {} face{}) does not fit inside md.region along {} "
                               "(length {}): no MD-only core is left",
                               w, n_band, n_band == 2 ? "s" : "", axis_name[a], mhi[a] - mlo[a]),
                   fmt::format("width < {}", (mhi[a] - mlo[a]) / n_band), "narrow the band or grow md.region");
        }
    }

    void check_coupling(const Deck &d)
    {
      const auto   mlo = d.reals("md.region.lo"), mhi = d.reals("md.region.hi");
      const auto   flo = d.reals("fe.domain.lo"), fhi = d.reals("fe.domain.hi");
      const double eps = 1e-9 * std::max(1.0, std::abs(fhi[0] - flo[0]));
      check_band_geometry(d, eps);
      bool any_band = false;
      for (int a = 0; a < d.dimension(); ++a)
        any_band = any_band || std::abs(mlo[a] - flo[a]) > eps || std::abs(mhi[a] - fhi[a]) > eps;
      if (!any_band)
        d.fail("md.region",
               "md.region covers all of fe.domain, so no face of it borders the continuum and there is no "
               "handshake band",
               "md.region strictly inside fe.domain along at least one axis",
               "shrink md.region (or grow fe.domain) along an axis, or remove fe and coupling for an MD-only run");
      if (d.real("coupling.damping.temperature") > 0 && d.string("coupling.damping.style") != "dashpot")
        d.fail("coupling.damping.temperature",
               fmt::format("coupling.damping.temperature = {} with damping style {}: the band's heat bath is part "
                           "of the dashpot", d.real("coupling.damping.temperature"), d.string("coupling.damping.style")),
               "temperature 0, or damping style dashpot",
               "use `damping: {style: dashpot, temperature: ...}`, or remove temperature");
      const long sub = d.is_auto("coupling.substeps") ? 1 : d.integer("coupling.substeps");
      for (const char *k : {"run.steps", "output.thermo_every", "output.fields_every", "output.dump_every",
                            "output.checkpoint_every"})
        if (d.integer(k) % sub != 0 && !d.given(k) && d.given("coupling.substeps"))
          // A default the user never wrote: the window length they chose is what does not fit.
          d.fail("coupling.substeps",
                 fmt::format("coupling.substeps = {} does not divide {} = {} (its default)", sub, k, d.integer(k)),
                 fmt::format("a divisor of {} and of the other output intervals, or auto", k),
                 fmt::format("use coupling.substeps: auto, or set {} to a multiple of {}", k, sub));
        else if (d.integer(k) % sub != 0)
          {
            // The multiples either side; the one above only if it fits in a long (run.steps may be LONG_MAX).
            const long below = (d.integer(k) / sub) * sub;
            d.fail(k, fmt::format("{} = {} is not a multiple of coupling.substeps = {}", k, d.integer(k), sub),
                   "a multiple of coupling.substeps, so it falls on an FE step",
                   below <= std::numeric_limits<long>::max() - sub ? fmt::format("use {} or {}", below, below + sub)
                                                                   : fmt::format("use {}", below));
          }
    }

    void check_initial_and_run(const Deck &d)
    {
      if (!d.has("md") && d.integer("output.dump_every") > 0)
        d.fail("output.dump_every", "output.dump_every writes atoms, but the deck has no md section",
               "0 for an FE-only deck", "remove output.dump_every");
      if (d.has("initial.temperature_region"))
        {
          if (!(d.real("initial.temperature") > 0))
            d.fail("initial.temperature_region", "initial.temperature_region without an initial.temperature",
                   "initial.temperature > 0 with it", "set initial.temperature, or remove initial.temperature_region");
          check_box(d, "initial.temperature_region");
        }
      if (!d.has("md") && d.real("initial.temperature") > 0)
        d.fail("initial.temperature", "initial.temperature sets atom velocities, but the deck has no md section",
               "0 for an FE-only deck", "remove initial.temperature");
      const std::string restart = d.string("run.restart");
      if (!restart.empty() && !std::ifstream(restart))
        d.fail("run.restart", fmt::format("cannot read the checkpoint '{}'", restart), "the path of a checkpoint file",
               "check the path, or set run.restart to \"\" to start fresh");
      if (!restart.empty())
        {
          std::error_code ec;
          if (!std::filesystem::is_regular_file(restart, ec))
            d.fail("run.restart",
                   fmt::format("'{}' is {}", restart,
                               std::filesystem::is_directory(restart, ec) ? "a directory" : "not a regular file"),
                   "the path of a checkpoint file (OUTPUT_DIRECTORY/checkpoint.h5)",
                   "give the checkpoint file itself, e.g. out/checkpoint.h5");
          // Every HDF5 file seam writes starts with the HDF5 signature (no user block).
          char               sig[8] = {};
          std::ifstream      in(restart, std::ios::binary);
          const std::string  hdf5("\x89HDF\r\n\x1a\n", 8);
          if (!in.read(sig, 8) || std::string(sig, 8) != hdf5)
            d.fail("run.restart", fmt::format("'{}' is not an HDF5 file", restart),
                   "a checkpoint.h5 written by seam", "give the checkpoint file of an earlier run");
        }
    }
  } // namespace

  void check_cross_fields(const Deck &d)
  {
    check_parts(d);
    if (d.has("md"))
      check_md(d);
    if (d.has("fe"))
      check_fe(d);
    if (d.has("md") && d.has("fe"))
      check_coupling(d);
    check_initial_and_run(d);
  }
} // namespace seam::config
