// Lookup of saved FE values by DoF support point and component, for restarts on another partition of
// the same mesh (the global DoF numbering depends on the partition, the support points do not).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

namespace seam::fe
{
  /// Keys are (x_1..x_dim, component) records, dim + 1 doubles each. Two copies of a point computed from
  /// different cells differ in the last bits only: coordinates are compared on a grid of 1e-9 of the
  /// largest coordinate magnitude, trying the neighbouring grid cells when the copies round apart.
  class SupportPointIndex
  {
  public:
    SupportPointIndex(int dim, const std::vector<double> &keys) : dim_(dim)
    {
      const std::size_t n = keys.size() / (dim + 1);
      double            extent = 0;
      for (std::size_t i = 0; i < n; ++i)
        for (int a = 0; a < dim; ++a)
          extent = std::max(extent, std::abs(keys[(dim + 1) * i + a]));
      grid_ = 1e-9 * std::max(extent, 1e-300);
      const int zero[3] = {0, 0, 0};
      where_.reserve(n);
      for (std::size_t i = 0; i < n; ++i)
        where_.emplace(key(&keys[(dim + 1) * i], zero), i);
    }

    /// Index of the record matching `p` (dim + 1 doubles), or -1.
    long find(const double *p) const
    {
      for (int c = 0; c < 27; ++c)
        {
          // The point's own grid cell first (c = 13 is the zero shift), then its neighbours.
          const int k        = (c + 13) % 27;
          const int shift[3] = {k % 3 - 1, (k / 3) % 3 - 1, k / 9 - 1};
          if (dim_ < 3 && shift[2] != 0)
            continue;
          if (dim_ < 2 && shift[1] != 0)
            continue;
          const auto it = where_.find(key(p, shift));
          if (it != where_.end())
            return static_cast<long>(it->second);
        }
      return -1;
    }

  private:
    std::string key(const double *p, const int *shift) const
    {
      std::string k;
      for (int a = 0; a < dim_; ++a)
        k += std::to_string(std::llround(p[a] / grid_) + shift[a]) + ',';
      return k + std::to_string(std::llround(p[dim_]));
    }

    int                                          dim_;
    double                                       grid_ = 1;
    std::unordered_map<std::string, std::size_t> where_;
  };
} // namespace seam::fe
