// Band geometry and the bridging-domain weight.
#include "coupling/handshake.h"

#include <gtest/gtest.h>

#include <cmath>

using seam::Vec3;
using seam::coupling::Handshake;
using seam::coupling::WeightProfile;

namespace
{
  Handshake box2d(WeightProfile p, std::array<bool, 3> periodic = {false, false, false})
  {
    // md.region [-30, 30] x [-20, 20] inside fe.domain [-100, 100] x [-20, 100]: the y_lo face lies on
    // the domain's face (no band there).
    return Handshake(2, Vec3{-30, -20, 0}, Vec3{30, 20, 0}, Vec3{-100, -20, 0}, Vec3{100, 100, 0}, periodic, 5.0, p);
  }
} // namespace

TEST(Handshake, FacesAndCore)
{
  const Handshake h = box2d(WeightProfile::cubic);
  EXPECT_TRUE(h.borders(0, 0));
  EXPECT_TRUE(h.borders(0, 1));
  EXPECT_FALSE(h.borders(1, 0)); // on fe.domain's y_lo face
  EXPECT_TRUE(h.borders(1, 1));
  EXPECT_DOUBLE_EQ(h.core_lo()[0], -25);
  EXPECT_DOUBLE_EQ(h.core_hi()[0], 25);
  EXPECT_DOUBLE_EQ(h.core_lo()[1], -20);
  EXPECT_DOUBLE_EQ(h.core_hi()[1], 15);
  const Handshake p = box2d(WeightProfile::cubic, {true, false, false});
  EXPECT_FALSE(p.borders(0, 0));
  EXPECT_FALSE(p.borders(0, 1));
}

TEST(Handshake, WeightProfiles)
{
  const Handshake c = box2d(WeightProfile::cubic), l = box2d(WeightProfile::linear);
  // Core: 1; bordering faces: 0; outside: 0.
  EXPECT_EQ(c.alpha(Vec3{0, 0, 0}), 1.0);
  EXPECT_EQ(c.alpha(Vec3{-30, 0, 0}), 0.0);
  EXPECT_EQ(c.alpha(Vec3{0, 20, 0}), 0.0);
  EXPECT_EQ(c.alpha(Vec3{40, 0, 0}), 0.0);
  // Along y_lo (not bordering) the weight does not drop.
  EXPECT_EQ(c.alpha(Vec3{0, -20, 0}), 1.0);
  // Profiles at a quarter and half of the band: s = 0.25, 0.5.
  EXPECT_NEAR(l.alpha(Vec3{-28.75, 0, 0}), 0.25, 1e-15);
  EXPECT_NEAR(c.alpha(Vec3{-28.75, 0, 0}), 0.25 * 0.25 * (3 - 0.5), 1e-15);
  EXPECT_NEAR(c.alpha(Vec3{27.5, 0, 0}), 0.5, 1e-15);
  // Corner: the product of both faces' profiles.
  EXPECT_NEAR(l.alpha(Vec3{27.5, 18.75, 0}), 0.5 * 0.25, 1e-15);
  // Cubic: zero slope at both edges of the band (C1 weight).
  const double h = 1e-6;
  EXPECT_NEAR((c.alpha(Vec3{-25 + h, 0, 0}) - c.alpha(Vec3{-25 - h, 0, 0})) / (2 * h), 0.0, 1e-5);
  EXPECT_NEAR((c.alpha(Vec3{-30 + h, 0, 0}) - c.alpha(Vec3{-30, 0, 0})) / h, 0.0, 1e-5);
  // Monotone across the band.
  double prev = 0;
  for (double x = -30; x <= -25; x += 0.01)
    {
      const double a = c.alpha(Vec3{x, 0, 0});
      EXPECT_GE(a, prev);
      prev = a;
    }
}

TEST(Handshake, BandMembership)
{
  const Handshake c = box2d(WeightProfile::cubic);
  EXPECT_TRUE(c.in_band(Vec3{-29, 0, 0}));
  EXPECT_TRUE(c.in_band(Vec3{-25, 0, 0})); // inner edge belongs to the band
  EXPECT_FALSE(c.in_band(Vec3{-24.9, 0, 0}));
  EXPECT_FALSE(c.in_band(Vec3{0, -19.5, 0})); // next to the non-bordering face: core
  EXPECT_TRUE(c.in_band(Vec3{0, 19.5, 0}));
  EXPECT_FALSE(c.in_band(Vec3{31, 0, 0})); // outside md.region
  EXPECT_TRUE(c.in_core(Vec3{0, -19.5, 0}));
  EXPECT_TRUE(c.has_band());
}

TEST(Handshake, LatticeSitesOnTheRegionsFacesAreInTheBand)
{
  // md.region lo = -9 a for a = 3.615: the lattice puts sites at -9 x 3.615 = -32.535000000000004, just
  // below lo in floating point (it keeps sites down to lo minus its tolerance). They are band atoms
  // (weight 0), not outside the region, which left them unconstrained and unabsorbed.
  const double    a = 3.615, lo = -32.535;
  const Handshake h(3, Vec3{lo, lo, lo}, Vec3{-lo, -lo, -lo}, Vec3{-180, -180, -180}, Vec3{180, 180, 180},
                    {false, false, false}, 21.69, WeightProfile::cubic);
  const Vec3 face{-9 * a, 0, 0};
  ASSERT_LT(face[0], lo); // the rounding this test is about
  EXPECT_TRUE(h.in_region(face));
  EXPECT_TRUE(h.in_band(face));
  EXPECT_EQ(h.alpha(face), 0.0);
  EXPECT_FALSE(h.in_region(Vec3{lo - 1e-3, 0, 0})); // a real outsider stays outside
}
