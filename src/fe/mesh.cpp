// Graded tensor-product mesh of a box minus an MD-only hole, distributed on the FE communicator.
#include "fe/mesh.h"

#include "base/error.h"

#include <deal.II/distributed/shared_tria.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/grid/grid_generator.h>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace seam::fe
{
  namespace
  {
    template <int dim>
    std::string box_str(const Box<dim> &b)
    {
      std::string lo, hi;
      for (int d = 0; d < dim; ++d)
        {
          lo += fmt::format("{}{}", d ? ", " : "", b.lo[d]);
          hi += fmt::format("{}{}", d ? ", " : "", b.hi[d]);
        }
      return "{lo: [" + lo + "], hi: [" + hi + "]}";
    }

    template <int dim>
    bool box_inside(const Box<dim> &inner, const Box<dim> &outer, double tol)
    {
      for (int d = 0; d < dim; ++d)
        if (inner.lo[d] < outer.lo[d] - tol || inner.hi[d] > outer.hi[d] + tol)
          return false;
      return true;
    }
  } // namespace

  template <int dim>
  std::vector<double> Mesh<dim>::interval_sizes(double a, double b, bool fine, bool start_fine_at_a,
                                                double near, double far, double growth)
  {
    const double        length = b - a;
    std::vector<double> sizes;
    if (!(length > 0))
      return sizes;
    if (fine)
      {
        // 1e-10: a length that is a whole multiple of near up to round-off keeps that many elements.
        const auto n = std::max<long>(1, long(std::ceil(length / near * (1 - 1e-10))));
        sizes.assign(n, length / n);
        return sizes;
      }
    // Geometric sizes near * r^k capped at far, with the fewest elements n that reach the length at
    // the ratio `growth`; then the ratio r in [1, growth] is solved (bisection) so that they sum to the
    // length exactly: the first element is exactly `near`, no ratio exceeds `growth`, none exceeds far.
    auto sizes_for = [&](unsigned n, double r) {
      std::vector<double> out(n);
      double              s = near;
      for (unsigned k = 0; k < n; ++k)
        {
          out[k] = s;
          s      = std::min(s * r, far);
        }
      return out;
    };
    auto total = [](const std::vector<double> &v) {
      double t = 0;
      for (double x : v)
        t += x;
      return t;
    };
    unsigned n = 1;
    while (total(sizes_for(n, growth)) < length * (1 - 1e-12))
      ++n;
    if (n * near >= length)
      {
        // Too short to grade: uniform elements <= near.
        const auto m = std::max<long>(1, long(std::ceil(length / near * (1 - 1e-10))));
        sizes.assign(m, length / m);
      }
    else
      {
        double lo = 1.0, hi = growth;
        for (int it = 0; it < 200 && hi - lo > 1e-15; ++it)
          {
            const double mid = 0.5 * (lo + hi);
            (total(sizes_for(n, mid)) < length ? lo : hi) = mid;
          }
        sizes = sizes_for(n, hi);
        // Remove the bisection's last rounding from the largest element.
        sizes.back() += length - total(sizes);
      }
    if (!start_fine_at_a)
      std::reverse(sizes.begin(), sizes.end());
    return sizes;
  }

  template <int dim>
  Mesh<dim>::Mesh(MPI_Comm comm, const Params &params)
    : comm_(comm)
    , params_(params)
  {
    const Box<dim> &domain = params_.domain;
    if (!domain.is_valid())
      throw InputError("fe mesh: the domain " + box_str(domain) + " must have lo < hi on every axis");
    if (!(params_.near > 0) || !(params_.far >= params_.near) || !(params_.growth > 1))
      throw InputError(fmt::format("fe mesh: element sizes must satisfy 0 < near <= far and growth > 1, "
                                   "got near = {}, far = {}, growth = {}",
                                   params_.near, params_.far, params_.growth));
    double extent = 0;
    for (int d = 0; d < dim; ++d)
      extent = std::max(extent, domain.hi[d] - domain.lo[d]);
    const double tol = 1e-12 * extent;

    if (params_.hole && !params_.md_region)
      params_.md_region = params_.hole;
    if (params_.md_region && !params_.hole)
      throw InputError("fe mesh: an md_region " + box_str(*params_.md_region) +
                       " was given without a hole; give the MD-only hole too (or neither)");
    if (params_.hole)
      {
        if (!params_.hole->is_valid() || !params_.md_region->is_valid())
          throw InputError("fe mesh: the hole " + box_str(*params_.hole) + " and md_region " +
                           box_str(*params_.md_region) + " must have lo < hi on every axis");
        if (!box_inside(*params_.hole, *params_.md_region, tol) ||
            !box_inside(*params_.md_region, domain, tol))
          throw InputError("fe mesh: the boxes must be nested, hole " + box_str(*params_.hole) +
                           " inside md_region " + box_str(*params_.md_region) + " inside domain " +
                           box_str(domain));
        bool touches_all = true; // a hole filling the domain would leave no continuum
        for (int d = 0; d < dim; ++d)
          touches_all = touches_all && params_.hole->lo[d] <= domain.lo[d] + tol &&
                        params_.hole->hi[d] >= domain.hi[d] - tol;
        if (touches_all)
          throw InputError("fe mesh: the hole " + box_str(*params_.hole) + " covers the whole domain " +
                           box_str(domain) + "; nothing is left for the continuum");
      }

    // 1D coordinate lists.
    std::vector<std::vector<double>> steps(dim);
    double min_size = extent; // for the face tolerance below
    for (int d = 0; d < dim; ++d)
      {
        std::vector<double> breaks{domain.lo[d], domain.hi[d]};
        if (params_.hole)
          for (double x : {params_.md_region->lo[d], params_.md_region->hi[d], params_.hole->lo[d],
                           params_.hole->hi[d]})
            breaks.push_back(x);
        std::sort(breaks.begin(), breaks.end());
        breaks.erase(std::unique(breaks.begin(), breaks.end(),
                                 [tol](double x, double y) { return std::abs(x - y) <= tol; }),
                     breaks.end());
        coordinates_[d] = {breaks.front()};
        for (std::size_t k = 0; k + 1 < breaks.size(); ++k)
          {
            const double a = breaks[k], b = breaks[k + 1];
            bool         fine = true, fine_at_a = true;
            if (params_.hole)
              {
                const double mlo = params_.md_region->lo[d], mhi = params_.md_region->hi[d];
                fine             = a >= mlo - tol && b <= mhi + tol;
                fine_at_a        = a >= mhi - tol; // right of the md_region: fine next to it, at a
              }
            for (double h : interval_sizes(a, b, fine, fine_at_a, params_.near, params_.far,
                                           params_.growth))
              {
                steps[d].push_back(h);
                coordinates_[d].push_back(coordinates_[d].back() + h);
                min_size = std::min(min_size, h);
              }
            coordinates_[d].back() = b; // exact break point, no accumulated round-off
          }
      }

    dealii::Triangulation<dim> box;
    dealii::GridGenerator::subdivided_hyper_rectangle(box, steps, domain.lo, domain.hi);
    dealii::Triangulation<dim>  holed;
    dealii::Triangulation<dim> *serial = &box;
    if (params_.hole)
      {
        std::set<typename dealii::Triangulation<dim>::active_cell_iterator> remove;
        for (const auto &cell : box.active_cell_iterators())
          if (params_.hole->contains(cell->center(), -tol))
            remove.insert(cell);
        if (!remove.empty())
          {
            dealii::GridGenerator::create_triangulation_with_removed_cells(box, remove, holed);
            serial = &holed;
          }
      }
    const double face_tol = 1e-6 * min_size;
    for (const auto &cell : serial->active_cell_iterators())
      for (const auto f : cell->face_indices())
        if (cell->face(f)->at_boundary())
          {
            const auto          c  = cell->face(f)->center();
            dealii::types::boundary_id id = boundary_id::hole;
            for (int d = 0; d < dim; ++d)
              {
                if (std::abs(c[d] - domain.lo[d]) <= face_tol)
                  id = 2 * d;
                else if (std::abs(c[d] - domain.hi[d]) <= face_tol)
                  id = 2 * d + 1;
              }
            cell->face(f)->set_boundary_id(id);
          }

    if constexpr (dim == 1)
      tria_ = std::make_unique<dealii::parallel::shared::Triangulation<1>>(
        comm_, dealii::Triangulation<1>::none, false,
        dealii::parallel::shared::Triangulation<1>::partition_zorder);
    else
      tria_ = std::make_unique<dealii::parallel::distributed::Triangulation<dim>>(comm_);
    tria_->copy_triangulation(*serial);
  }

  template <int dim>
  Mesh<dim>::~Mesh() = default;

  template <int dim>
  unsigned long Mesh<dim>::n_cells() const
  {
    return tria_->n_global_active_cells();
  }

  template class Mesh<1>;
  template class Mesh<2>;
  template class Mesh<3>;
} // namespace seam::fe
