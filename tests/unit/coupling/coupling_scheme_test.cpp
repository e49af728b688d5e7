// The coupling schemes' windows, and coupling.substeps: auto.
#include "coupling/coupling_scheme.h"

#include <gtest/gtest.h>

using seam::coupling::CouplingScheme;
using seam::coupling::create_coupling_scheme;

// auto: the largest divisor of the step counts with n dt_md <= 0.9 stable.
TEST(CouplingScheme, AutoSubstepsIsTheLargestStableDivisor)
{
  // 0.9 x 0.138263 / 0.005 = 24.9: 20 divides 1000 and 100 (gcd 100), 24 and 25 do not both fit.
  EXPECT_EQ(CouplingScheme::auto_substeps(0.138263, 0.005, 100), 20);
  EXPECT_EQ(CouplingScheme::auto_substeps(0.2, 0.005, 100), 25); // 36 allowed, 25 the largest divisor
  EXPECT_EQ(CouplingScheme::auto_substeps(0.2, 0.005, 97), 1);   // a prime step count: only 1 divides
  EXPECT_EQ(CouplingScheme::auto_substeps(0.004, 0.005, 100), 1); // stable step below dt_md: at least 1
  EXPECT_EQ(CouplingScheme::auto_substeps(1.001, 0.005, 0), 180); // no constraint from the steps
  // The safety factor is applied: 10.02 allowed with safety 1, 9.02 with 0.9.
  EXPECT_EQ(CouplingScheme::auto_substeps(0.0501, 0.005, 1000, 1.0), 10);
  EXPECT_EQ(CouplingScheme::auto_substeps(0.0501, 0.005, 1000), 8);
}

// set_substeps re-tabulates the windows exactly as a scheme built with that count.
TEST(CouplingScheme, SetSubstepsEqualsConstruction)
{
  for (const char *name : {"md_step", "fe_step"})
    {
      auto a = create_coupling_scheme(name, 1, 0.005);
      auto b = create_coupling_scheme(name, 7, 0.005);
      a->set_substeps(7);
      EXPECT_EQ(a->substeps(), 7);
      EXPECT_EQ(a->dt_fe(), b->dt_fe());
      EXPECT_EQ(a->exchange_points(), b->exchange_points());
      for (std::int64_t step = 1; step <= 21; ++step)
        {
          EXPECT_EQ(a->segment(step), b->segment(step)) << name << " step " << step;
          EXPECT_EQ(a->closes_window(step), b->closes_window(step));
        }
      EXPECT_THROW(a->set_substeps(0), std::invalid_argument);
    }
}
