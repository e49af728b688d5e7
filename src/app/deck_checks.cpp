// The deck checks that need more than the deck: the lattice (md: periodic lengths), the features this
// version implements (run, output) and the rank count (parallel). Checks on the deck alone: config/cross_checks.cpp.
#include "app/deck_checks.h"

#include "app/data_atoms.h"
#include "md/lattice.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

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
      const double cost_fe = 30.0 * dim * n_nodes / d.integer("coupling.substeps");
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

    /// run and output: valid decks asking for what this version cannot do yet are refused before
    /// anything runs, never silently run without it.
    void check_supported(const config::Deck &d)
    {
      auto not_yet = [&](const std::string &path, const std::string &what, const std::string &fix) {
        d.fail(path, what + " is not available in this version of seam yet", "a feature this version implements", fix);
      };
      // Checkpoint and restart are implemented for MD-only and FE-only runs so far.
      const bool coupled = d.has("fe") && d.has("md");
      if (coupled && d.integer("output.checkpoint_every") > 0)
        not_yet("output.checkpoint_every", "checkpointing a coupled run",
                "set output.checkpoint_every: 0 (MD-only and FE-only runs checkpoint)");
      if (coupled && !d.string("run.restart").empty())
        not_yet("run.restart", "restarting a coupled run", "remove run.restart (MD-only and FE-only runs restart)");
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
    if (world_size > 0)
      check_supported(d);
    if (coupled(d) && world_size > 0)
      check_rank_count(d, world_size);
  }
} // namespace seam::app
