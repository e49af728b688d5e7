// An axis-aligned box in dim dimensions: the FE domain, the MD region, the MD-only hole, and the
// regions over which energies are summed.
#pragma once

#include <deal.II/base/point.h>

namespace seam::fe
{
  /// Closed axis-aligned box [lo, hi] (length units of the run).
  template <int dim>
  struct Box
  {
    dealii::Point<dim> lo;
    dealii::Point<dim> hi;

    /// True if lo[d] - tol <= p[d] <= hi[d] + tol on every axis.
    bool contains(const dealii::Point<dim> &p, double tol = 0.0) const
    {
      for (int d = 0; d < dim; ++d)
        if (p[d] < lo[d] - tol || p[d] > hi[d] + tol)
          return false;
      return true;
    }

    /// True if lo[d] < hi[d] on every axis.
    bool is_valid() const
    {
      for (int d = 0; d < dim; ++d)
        if (!(lo[d] < hi[d]))
          return false;
      return true;
    }
  };
} // namespace seam::fe
