// Tolerance helpers that say which tolerance they mean.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace seam::testing
{
  /// |actual - expected| <= rel * max(|expected|, tiny)
  inline ::testing::AssertionResult rel_near(double actual, double expected, double rel)
  {
    const double scale = std::max(std::abs(expected), 1e-300);
    const double err   = std::abs(actual - expected) / scale;
    if (err <= rel)
      return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "actual " << actual << " vs expected " << expected
                                         << ": relative error " << err << " > " << rel;
  }

  inline ::testing::AssertionResult abs_near(double actual, double expected, double tol)
  {
    const double err = std::abs(actual - expected);
    if (err <= tol)
      return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "actual " << actual << " vs expected " << expected
                                         << ": absolute error " << err << " > " << tol;
  }
} // namespace seam::testing

#define expect_rel_near(actual, expected, rel) EXPECT_TRUE(::seam::testing::rel_near((actual), (expected), (rel)))
#define expect_abs_near(actual, expected, tol) EXPECT_TRUE(::seam::testing::abs_near((actual), (expected), (tol)))
