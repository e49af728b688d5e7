// The simulation box and its processor grid.
#include "md/domain.h"

#include "md/atoms.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

namespace seam::md
{
  Domain::Domain(MPI_Comm comm, const Vec3 &lo, const Vec3 &hi, std::array<bool, 3> periodic,
                 int dimension, std::array<int, 3> grid)
    : dimension_(dimension)
  {
    if (dimension < 1 || dimension > 3)
      throw std::invalid_argument("Domain: dimension must be 1, 2 or 3, got " + std::to_string(dimension));
    int size = 1;
    MPI_Comm_size(comm, &size);
    for (int k = 0; k < 3; ++k)
      {
        if (k < dimension)
          {
            if (!(hi[k] > lo[k]) || !std::isfinite(lo[k]) || !std::isfinite(hi[k]))
              throw std::invalid_argument("Domain: box axis " + std::to_string(k) + " has lo " +
                                          std::to_string(lo[k]) + " >= hi " + std::to_string(hi[k]));
            lo_[k]       = lo[k];
            hi_[k]       = hi[k];
            length_[k]   = hi[k] - lo[k];
            periodic_[k] = periodic[k];
          }
        else
          {
            lo_[k] = hi_[k] = length_[k] = 0.0;
            periodic_[k] = false;
          }
      }

    const bool choose = grid[0] == 0 && grid[1] == 0 && grid[2] == 0;
    if (choose)
      {
        int dims[3] = {0, 0, 0};
        MPI_Dims_create(size, dimension, dims); // non-increasing order
        std::array<int, 3> axes{0, 1, 2};
        std::stable_sort(axes.begin(), axes.begin() + dimension,
                         [&](int a, int b) { return length_[a] > length_[b]; });
        grid_ = {1, 1, 1};
        for (int i = 0; i < dimension; ++i)
          grid_[axes[i]] = dims[i];
      }
    else
      {
        for (int k = 0; k < 3; ++k)
          if (grid[k] < 1 || (k >= dimension && grid[k] != 1))
            throw std::invalid_argument("Domain: processor grid entry " + std::to_string(k) + " is " +
                                        std::to_string(grid[k]) +
                                        "; expected >= 1 on active axes and 1 beyond the dimension");
        if (grid[0] * grid[1] * grid[2] != size)
          throw std::invalid_argument("Domain: processor grid " + std::to_string(grid[0]) + "x" +
                                      std::to_string(grid[1]) + "x" + std::to_string(grid[2]) +
                                      " does not match " + std::to_string(size) + " ranks");
        grid_ = grid;
      }

    MPI_Comm_dup(comm, &comm_);
    MPI_Comm_rank(comm_, &rank_);
    size_     = size;
    coord_[0] = rank_ % grid_[0];
    coord_[1] = (rank_ / grid_[0]) % grid_[1];
    coord_[2] = rank_ / (grid_[0] * grid_[1]);
  }

  Domain::~Domain()
  {
    if (comm_ != MPI_COMM_NULL)
      {
        int finalized = 0;
        MPI_Finalized(&finalized);
        if (!finalized)
          MPI_Comm_free(&comm_);
      }
  }

  int Domain::neighbor(int axis, int dir) const
  {
    std::array<int, 3> c = coord_;
    c[axis] += dir;
    if (c[axis] < 0 || c[axis] >= grid_[axis])
      {
        if (!periodic_[axis])
          return MPI_PROC_NULL;
        c[axis] = (c[axis] + grid_[axis]) % grid_[axis];
      }
    return c[0] + grid_[0] * (c[1] + grid_[1] * c[2]);
  }

  double Domain::split(int axis, int c) const
  {
    if (c <= 0)
      return lo_[axis];
    if (c >= grid_[axis])
      return hi_[axis];
    return lo_[axis] + length_[axis] * static_cast<double>(c) / static_cast<double>(grid_[axis]);
  }

  bool Domain::in_slab(int axis, double x) const
  {
    const int c = coord_[axis];
    if (c > 0 && x < split(axis, c))
      return false;
    if (c < grid_[axis] - 1 && x >= split(axis, c + 1))
      return false;
    return true;
  }

  void Domain::wrap(Atoms &atoms) const
  {
    auto &x  = atoms.x();
    auto &x0 = atoms.x0();
    auto &im = atoms.image();
    for (int k = 0; k < dimension_; ++k)
      {
        if (!periodic_[k])
          continue;
        const double L = length_[k];
        for (LocalIndex i = 0; i < atoms.n_owned(); ++i)
          {
            if (x[i][k] >= hi_[k] || x[i][k] < lo_[k])
              {
                // Whole box lengths; x0 moves with x so the displacement is unchanged.
                const double n = std::floor((x[i][k] - lo_[k]) / L);
                x[i][k] -= n * L;
                x0[i][k] -= n * L;
                im[i][k] += static_cast<int>(n);
                // Round-off can land exactly on hi (e.g. lo - 1e-17 + L): put it on lo.
                if (x[i][k] >= hi_[k])
                  x[i][k] = lo_[k];
                if (x[i][k] < lo_[k])
                  x[i][k] = lo_[k];
              }
          }
      }
  }
} // namespace seam::md
