// Lattice: site counts, densities, nearest-neighbour shells and periods for every style.
#include "md/lattice.h"
#include "support/tolerance.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

using namespace seam;
using namespace seam::md;

namespace
{
  const std::array<std::array<int, 3>, 3> identity{{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}};

  double dist2(const Vec3 &a, const Vec3 &b)
  {
    double s = 0;
    for (int k = 0; k < 3; ++k)
      s += (a[k] - b[k]) * (a[k] - b[k]);
    return s;
  }

  /// Counts, for every site farther than `margin` from the box faces, the sites at the nearest-neighbour
  /// distance (within 1e-6 relative), and checks none is closer.
  void expect_coordination(const Lattice &lat, const Vec3 &lo, const Vec3 &hi, int expected)
  {
    const auto   sites  = lat.sites_in_box(lo, hi);
    const double rnn    = lat.nearest_neighbor_distance();
    const double margin = 1.01 * rnn;
    int          checked = 0;
    for (const auto &s : sites)
      {
        bool interior = true;
        for (int k = 0; k < lat.dimension(); ++k)
          interior = interior && s[k] > lo[k] + margin && s[k] < hi[k] - margin;
        if (!interior)
          continue;
        int n = 0;
        for (const auto &t : sites)
          {
            const double r = std::sqrt(dist2(s, t));
            if (&s == &t)
              continue;
            EXPECT_GT(r, rnn * (1 - 1e-9));
            if (std::abs(r - rnn) < 1e-6 * rnn)
              ++n;
          }
        EXPECT_EQ(n, expected);
        ++checked;
      }
    EXPECT_GT(checked, 0);
  }
} // namespace

TEST(Lattice, ParseStyle)
{
  EXPECT_EQ(parse_lattice_style("fcc"), LatticeStyle::fcc);
  EXPECT_EQ(parse_lattice_style("chain"), LatticeStyle::chain);
  try
    {
      parse_lattice_style("hcp");
      FAIL() << "expected std::invalid_argument";
    }
  catch (const std::invalid_argument &e)
    {
      const std::string msg = e.what();
      EXPECT_NE(msg.find("hcp"), std::string::npos);
      EXPECT_NE(msg.find("fcc, bcc, sc, hex, chain"), std::string::npos);
    }
}

TEST(Lattice, RejectsBadInput)
{
  EXPECT_THROW(Lattice(LatticeStyle::fcc, 3.6, {{{1, 1, 0}, {1, 0, 0}, {0, 0, 1}}}, 3),
               std::invalid_argument);
  EXPECT_THROW(Lattice(LatticeStyle::fcc, 3.6, {{{0, 0, 0}, {0, 1, 0}, {0, 0, 1}}}, 3),
               std::invalid_argument);
  EXPECT_THROW(Lattice(LatticeStyle::fcc, -1.0, identity, 3), std::invalid_argument);
  EXPECT_THROW(Lattice(LatticeStyle::hex, 1.0, identity, 3), std::invalid_argument);
}

TEST(Lattice, CubicCellCounts)
{
  const double a = 3.615;
  for (auto [style, per_cell] : {std::pair{LatticeStyle::fcc, 4}, {LatticeStyle::bcc, 2},
                                 {LatticeStyle::sc, 1}})
    {
      Lattice lat(style, a, identity, 3);
      for (int n = 1; n <= 4; ++n)
        {
          // Faces exactly on lattice planes: sites on lo are in, sites on hi are out.
          EXPECT_EQ(lat.count_sites({0, 0, 0}, {n * a, n * a, n * a}), std::size_t(per_cell * n * n * n));
          EXPECT_EQ(lat.count_sites({-n * a, -a, 2 * a}, {0, (n - 1) * a, (n + 2) * a}),
                    std::size_t(per_cell * n * n * n));
        }
      EXPECT_EQ(lat.sites_in_box({0, 0, 0}, {a, a, a}).size(), lat.count_sites({0, 0, 0}, {a, a, a}));
    }
}

TEST(Lattice, Periods)
{
  const double a  = 4.0;
  const double s2 = std::sqrt(2.0), s3 = std::sqrt(3.0), s6 = std::sqrt(6.0);
  Lattice fcc(LatticeStyle::fcc, a, {{{1, 1, 0}, {-1, 1, 0}, {0, 0, 1}}}, 3);
  expect_rel_near(fcc.period(0), a * s2 / 2, 1e-15);
  expect_rel_near(fcc.period(1), a * s2 / 2, 1e-15);
  expect_rel_near(fcc.period(2), a, 1e-15);
  Lattice fcc111(LatticeStyle::fcc, a, {{{1, 1, -2}, {-1, 1, 0}, {1, 1, 1}}}, 3);
  expect_rel_near(fcc111.period(0), a * s6 / 2, 1e-15);
  expect_rel_near(fcc111.period(1), a * s2 / 2, 1e-15);
  expect_rel_near(fcc111.period(2), a * s3, 1e-15);
  // Non-normalised rows give the same lattice.
  Lattice fcc_scaled(LatticeStyle::fcc, a, {{{2, 2, -4}, {-3, 3, 0}, {2, 2, 2}}}, 3);
  for (int i = 0; i < 3; ++i)
    expect_rel_near(fcc_scaled.period(i), fcc111.period(i), 1e-15);
  Lattice bcc(LatticeStyle::bcc, a, {{{1, 1, 1}, {-1, 1, 0}, {1, 1, -2}}}, 3);
  expect_rel_near(bcc.period(0), a * s3 / 2, 1e-15);
  expect_rel_near(bcc.period(1), a * s2, 1e-15);
  expect_rel_near(bcc.period(2), a * s6, 1e-15);
  Lattice sc(LatticeStyle::sc, a, {{{1, 1, 0}, {-1, 1, 0}, {0, 0, 1}}}, 3);
  expect_rel_near(sc.period(0), a * s2, 1e-15);
  Lattice hex(LatticeStyle::hex, 2.0, identity, 2);
  expect_rel_near(hex.period(0), 2.0, 1e-15);
  expect_rel_near(hex.period(1), 2.0 * s3, 1e-15);
  Lattice chain(LatticeStyle::chain, 1.5, identity, 1);
  expect_rel_near(chain.period(0), 1.5, 1e-15);
}

TEST(Lattice, RotatedDensityAndPeriodicTiling)
{
  // A box whose edges are whole numbers of periods holds exactly volume / volume_per_atom sites,
  // wherever it starts.
  const double a = 3.615;
  for (auto style : {LatticeStyle::fcc, LatticeStyle::bcc, LatticeStyle::sc})
    for (const auto &orient : {std::array<std::array<int, 3>, 3>{{{1, 1, 0}, {-1, 1, 0}, {0, 0, 1}}},
                               std::array<std::array<int, 3>, 3>{{{1, 1, -2}, {-1, 1, 0}, {1, 1, 1}}},
                               std::array<std::array<int, 3>, 3>{{{1, 2, 0}, {-2, 1, 0}, {0, 0, 5}}}})
      {
        Lattice lat(style, a, orient, 3);
        const Vec3 n{3, 2, 4};
        Vec3 lo{}, hi{};
        for (int i = 0; i < 3; ++i)
          {
            lo[i] = -2 * lat.period(i);
            hi[i] = lo[i] + n[i] * lat.period(i);
          }
        const double expected = n[0] * n[1] * n[2] * lat.n_cell_sites();
        EXPECT_EQ(double(lat.count_sites(lo, hi)), expected);
        expect_rel_near(expected * lat.volume_per_atom(),
                        (hi[0] - lo[0]) * (hi[1] - lo[1]) * (hi[2] - lo[2]), 1e-12);
        // A shifted box (faces off lattice planes) of the same size holds the same number.
        const Vec3 shift{0.123 * a, -0.377 * a, 0.051 * a};
        Vec3 lo2 = lo, hi2 = hi;
        for (int i = 0; i < 3; ++i)
          lo2[i] += shift[i], hi2[i] += shift[i];
        EXPECT_EQ(double(lat.count_sites(lo2, hi2)), expected);
      }
  // A large box with faces off the lattice planes: the density approaches 4/a^3 to within the
  // surface fraction (at most ~ 6 * a / L).
  Lattice lat(LatticeStyle::fcc, a, {{{1, 2, 3}, {-2, 1, 0}, {3, 6, -5}}}, 3);
  const double L = 12 * a;
  const double n = double(lat.count_sites({-0.31, -0.72, -0.13}, {L - 0.31, L - 0.72, L - 0.13}));
  EXPECT_NEAR(n * a * a * a / (L * L * L), 4.0, 4.0 * 6.0 / 12.0);
}

TEST(Lattice, AdjacentBoxesPartitionSites)
{
  // Sub-boxes cut at arbitrary planes (some exactly through lattice planes) share no site and lose none.
  const double a = 3.615;
  Lattice lat(LatticeStyle::fcc, a, {{{1, 1, 0}, {-1, 1, 0}, {0, 0, 1}}}, 3);
  const Vec3 lo{0, 0, 0};
  const Vec3 hi{6 * lat.period(0), 4 * lat.period(1), 3 * a};
  const std::size_t total = lat.count_sites(lo, hi);
  for (int axis = 0; axis < 3; ++axis)
    for (double f : {1.0 / 3.0, 0.5, 0.25, 0.6180339})
      {
        Vec3 mid_hi = hi, mid_lo = lo;
        mid_hi[axis] = mid_lo[axis] = lo[axis] + f * (hi[axis] - lo[axis]);
        EXPECT_EQ(lat.count_sites(lo, mid_hi) + lat.count_sites(mid_lo, hi), total);
      }
}

TEST(Lattice, NearestNeighbourShells)
{
  const double a = 3.0;
  expect_coordination(Lattice(LatticeStyle::fcc, a, identity, 3), {0, 0, 0}, {4 * a, 4 * a, 4 * a}, 12);
  expect_coordination(Lattice(LatticeStyle::fcc, a, {{{1, 1, -2}, {-1, 1, 0}, {1, 1, 1}}}, 3),
                      {-2 * a, -2 * a, -2 * a}, {2 * a, 2 * a, 2 * a}, 12);
  expect_coordination(Lattice(LatticeStyle::bcc, a, identity, 3), {0, 0, 0}, {4 * a, 4 * a, 4 * a}, 8);
  expect_coordination(Lattice(LatticeStyle::bcc, a, {{{1, 1, 1}, {-1, 1, 0}, {1, 1, -2}}}, 3),
                      {-2 * a, -2 * a, -2 * a}, {2 * a, 2 * a, 2 * a}, 8);
  expect_coordination(Lattice(LatticeStyle::sc, a, identity, 3), {0, 0, 0}, {4 * a, 4 * a, 4 * a}, 6);
  expect_coordination(Lattice(LatticeStyle::hex, a, identity, 2), {0, 0, 0}, {8 * a, 8 * a, 0}, 6);
  expect_coordination(Lattice(LatticeStyle::chain, a, identity, 1), {0, 0, 0}, {8 * a, 0, 0}, 2);
}

TEST(Lattice, OriginIsASiteAndLowerDimensionsAreFlat)
{
  Lattice hex(LatticeStyle::hex, 1.0, identity, 2);
  const auto sites = hex.sites_in_box({0, 0, 0}, {3.0, 3 * std::sqrt(3.0), 0});
  EXPECT_EQ(sites.size(), std::size_t(2 * 3 * 3));
  bool has_origin = false;
  for (const auto &s : sites)
    {
      EXPECT_EQ(s[2], 0.0);
      has_origin = has_origin || (s[0] == 0.0 && s[1] == 0.0);
    }
  EXPECT_TRUE(has_origin);
  // A row of atoms along x: sites at y = 0 spaced by the constant.
  int row = 0;
  for (const auto &s : sites)
    row += (s[1] == 0.0);
  EXPECT_EQ(row, 3);
  Lattice chain(LatticeStyle::chain, 2.5, identity, 1);
  const auto c = chain.sites_in_box({-5.0, 0, 0}, {5.0, 0, 0});
  ASSERT_EQ(c.size(), std::size_t(4));
  EXPECT_EQ(c[0][0], -5.0);
  EXPECT_EQ(c[3][0], 2.5);
}
