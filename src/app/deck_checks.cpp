// Rank-count and lattice checks of a validated deck.
#include "app/deck_checks.h"

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

  void check_deck(const config::Deck &d, int world_size)
  {
    if (coupled(d) && world_size > 0)
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
  }
} // namespace seam::app
