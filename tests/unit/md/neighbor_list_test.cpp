// Neighbor list and halo: the pairs found equal an N^2 search over all periodic images (each pair
// exactly once in the whole job), also after displacements below skin/2 without a rebuild; the
// rebuild check fires past skin/2. Runs at any rank count.
#include "md/md_system.h"
#include "support/tolerance.h"

#include <gtest/gtest.h>
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <tuple>

using namespace seam;
using namespace seam::md;

namespace
{
  struct Pair
  {
    GlobalId a, b;
    Vec3     dx;
  };

  /// Orders the pair so that a < b, or for an atom and its own image, dx > 0 (z, then y, then x).
  Pair canonical(GlobalId a, GlobalId b, Vec3 dx)
  {
    bool flip = a > b;
    if (a == b)
      flip = dx[2] < 0 || (dx[2] == 0 && (dx[1] < 0 || (dx[1] == 0 && dx[0] < 0)));
    if (flip)
      return {b, a, {-dx[0], -dx[1], -dx[2]}};
    return {a, b, dx};
  }

  auto sort_key(const Pair &p)
  {
    auto r = [](double v) { return std::llround(v * 1e6); };
    return std::make_tuple(p.a, p.b, r(p.dx[2]), r(p.dx[1]), r(p.dx[0]));
  }

  std::vector<double> allgather(const std::vector<double> &local, MPI_Comm comm)
  {
    int n = static_cast<int>(local.size()), size = 1;
    MPI_Comm_size(comm, &size);
    std::vector<int> counts(size), displs(size, 0);
    MPI_Allgather(&n, 1, MPI_INT, counts.data(), 1, MPI_INT, comm);
    for (int r = 1; r < size; ++r)
      displs[r] = displs[r - 1] + counts[r - 1];
    std::vector<double> all(static_cast<std::size_t>(displs[size - 1] + counts[size - 1]));
    MPI_Allgatherv(local.data(), n, MPI_DOUBLE, all.data(), counts.data(), displs.data(), MPI_DOUBLE, comm);
    return all;
  }

  /// Pairs of the neighbor list within `radius`, gathered from all ranks, canonical and sorted.
  std::vector<Pair> list_pairs(const MdSystem &sys, double radius)
  {
    std::vector<double> flat;
    const auto &x = sys.atoms().x();
    const auto &id = sys.atoms().id();
    const auto &nl = sys.neighbor_list();
    for (LocalIndex i = 0; i < nl.n_owned(); ++i)
      for (std::size_t k = nl.offsets()[i]; k < nl.offsets()[i + 1]; ++k)
        {
          const LocalIndex j = nl.neighbors()[k];
          const Vec3 dx{x[j][0] - x[i][0], x[j][1] - x[i][1], x[j][2] - x[i][2]};
          if (dx[0] * dx[0] + dx[1] * dx[1] + dx[2] * dx[2] >= radius * radius)
            continue;
          const Pair p = canonical(id[i], id[j], dx);
          flat.insert(flat.end(), {double(p.a), double(p.b), p.dx[0], p.dx[1], p.dx[2]});
        }
    const auto all = allgather(flat, sys.domain().comm());
    std::vector<Pair> pairs;
    for (std::size_t o = 0; o < all.size(); o += 5)
      pairs.push_back({GlobalId(all[o]), GlobalId(all[o + 1]), {all[o + 2], all[o + 3], all[o + 4]}});
    std::sort(pairs.begin(), pairs.end(), [](const Pair &p, const Pair &q) { return sort_key(p) < sort_key(q); });
    return pairs;
  }

  /// N^2 search over all owned atoms of all ranks and all periodic images within `radius`.
  std::vector<Pair> brute_force_pairs(const MdSystem &sys, double radius)
  {
    std::vector<double> flat;
    for (LocalIndex i = 0; i < sys.n_owned(); ++i)
      flat.insert(flat.end(), {double(sys.atoms().id()[i]), sys.atoms().x()[i][0], sys.atoms().x()[i][1],
                               sys.atoms().x()[i][2]});
    const auto  all = allgather(flat, sys.domain().comm());
    const auto &dom = sys.domain();
    std::array<int, 3> reach{0, 0, 0};
    for (int d = 0; d < dom.dimension(); ++d)
      if (dom.is_periodic(d))
        reach[d] = static_cast<int>(std::ceil(radius / dom.length()[d])) + 1;
    std::vector<Pair> pairs;
    const std::size_t n = all.size() / 4;
    for (std::size_t a = 0; a < n; ++a)
      for (std::size_t b = a; b < n; ++b)
        for (int i0 = -reach[0]; i0 <= reach[0]; ++i0)
          for (int i1 = -reach[1]; i1 <= reach[1]; ++i1)
            for (int i2 = -reach[2]; i2 <= reach[2]; ++i2)
              {
                if (a == b && i0 == 0 && i1 == 0 && i2 == 0)
                  continue;
                const int img[3] = {i0, i1, i2};
                Vec3 dx{};
                double r2 = 0;
                for (int d = 0; d < 3; ++d)
                  {
                    dx[d] = all[4 * b + 1 + d] + img[d] * dom.length()[d] - all[4 * a + 1 + d];
                    r2 += dx[d] * dx[d];
                  }
                if (r2 >= radius * radius)
                  continue;
                const Pair p = canonical(GlobalId(all[4 * a]), GlobalId(all[4 * b]), dx);
                // Atom-with-own-image pairs appear for +img and -img: keep the canonical one once.
                if (a == b && !(p.dx == dx))
                  continue;
                pairs.push_back(p);
              }
    std::sort(pairs.begin(), pairs.end(), [](const Pair &p, const Pair &q) { return sort_key(p) < sort_key(q); });
    return pairs;
  }

  void expect_same_pairs(const std::vector<Pair> &got, const std::vector<Pair> &want)
  {
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t k = 0; k < got.size(); ++k)
      {
        ASSERT_EQ(got[k].a, want[k].a) << "pair " << k;
        ASSERT_EQ(got[k].b, want[k].b) << "pair " << k;
        for (int d = 0; d < 3; ++d)
          ASSERT_NEAR(got[k].dx[d], want[k].dx[d], 1e-9);
      }
  }

  MdSystemParams base(std::array<bool, 3> periodic, int cells, std::array<int, 3> grid = {0, 0, 0})
  {
    MdSystemParams p;
    p.lattice_style    = LatticeStyle::fcc;
    p.lattice_constant = std::cbrt(4.0 / 0.8442);
    p.orientation      = {{{1, 1, 0}, {-1, 1, 0}, {0, 0, 1}}};
    const double px = p.lattice_constant / std::sqrt(2.0);
    p.region_lo        = {-2 * px, 0, -0.5 * p.lattice_constant};
    p.region_hi        = {p.region_lo[0] + 2 * cells * px, 2 * cells * px, (cells - 0.5) * p.lattice_constant};
    p.periodic         = periodic;
    p.potential_style  = "lj_cut";
    p.potential.values = {{"epsilon", 1.0}, {"sigma", 1.0}, {"cutoff", 2.5}};
    p.skin             = 0.4;
    p.processor_grid   = grid;
    return p;
  }

  void run_case(const MdSystemParams &p)
  {
    MdSystem sys(p, MPI_COMM_WORLD);
    std::mt19937_64 rng(7 + sys.domain().rank());
    std::uniform_real_distribution<double> u(-0.3, 0.3);
    auto &x = sys.atoms().x();
    for (LocalIndex i = 0; i < sys.n_owned(); ++i)
      for (int d = 0; d < 3; ++d)
        x[i][d] += u(rng);
    sys.setup(); // exchange + borders + build on the displaced atoms
    const double radius = sys.neighbor_list().radius();
    expect_same_pairs(list_pairs(sys, radius), brute_force_pairs(sys, radius));

    // Move every atom by less than skin/2 (no rebuild): every pair within the force cutoff must
    // already be in the list, once.
    const double step = 0.45 * sys.neighbor_list().skin() / std::sqrt(3.0);
    std::uniform_real_distribution<double> w(-step, step);
    for (LocalIndex i = 0; i < sys.n_owned(); ++i)
      for (int d = 0; d < 3; ++d)
        x[i][d] += w(rng);
    EXPECT_FALSE(sys.neighbor_list().needs_rebuild(sys.atoms(), sys.domain().comm()));
    sys.halo().forward(sys.atoms());
    const double rc = sys.neighbor_list().cutoff();
    expect_same_pairs(list_pairs(sys, rc), brute_force_pairs(sys, rc));

    // One atom on the last rank moves past skin/2: every rank must learn it.
    if (sys.domain().rank() == sys.domain().n_ranks() - 1 && sys.n_owned() > 0)
      x[0][0] += 0.8 * sys.neighbor_list().skin(); // net > skin/2 after the moves above
    EXPECT_TRUE(sys.neighbor_list().needs_rebuild(sys.atoms(), sys.domain().comm()));
  }
} // namespace

TEST(NeighborList, PeriodicMatchesBruteForce) { run_case(base({true, true, true}, 3)); }

TEST(NeighborList, FreeAndMixedBoundariesMatchBruteForce)
{
  run_case(base({false, false, false}, 3));
  run_case(base({true, false, true}, 3));
}

TEST(NeighborList, SmallPeriodicBoxWithManyImages)
{
  // Box edges (2.4, 2.4, 1.68 sigma) shorter than the list radius 2.9: several images of each atom.
  run_case(base({true, true, true}, 1));
}

TEST(NeighborList, SlabsThinnerThanTheCutoff)
{
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  // All ranks along x: at 4 ranks each slab is 1.5 lattice periods (1.8 sigma) wide, < 2.9.
  run_case(base({true, true, true}, 3, {size, 1, 1}));
  run_case(base({false, true, true}, 3, {size, 1, 1}));
}
