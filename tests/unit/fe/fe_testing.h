// Helpers shared by the FE tests: uniform box meshes, L2 errors against exact fields, a global
// Rayleigh quotient.
#pragma once

#include "fe/elastodynamics.h"
#include "fe/mesh.h"

#include <deal.II/base/mpi.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_values.h>

#include <array>
#include <cmath>
#include <functional>
#include <map>
#include <vector>

namespace seam::fe::test_util
{
  /// Uniform mesh of [lo, hi] with element size <= h (no hole).
  template <int dim>
  Mesh<dim> box_mesh(MPI_Comm comm, const std::array<double, dim> &lo, const std::array<double, dim> &hi,
                     double h)
  {
    typename Mesh<dim>::Params p;
    for (int d = 0; d < dim; ++d)
      {
        p.domain.lo[d] = lo[d];
        p.domain.hi[d] = hi[d];
      }
    p.near = p.far = h;
    return Mesh<dim>(comm, p);
  }

  /// Owned entries of v = field(support point, component) at the DoF support points; ghosts updated.
  template <int dim>
  void interpolate(const Elastodynamics<dim> &ed, typename Elastodynamics<dim>::VectorType &v,
                   const std::function<double(const dealii::Point<dim> &, unsigned)> &field)
  {
    std::map<dealii::types::global_dof_index, dealii::Point<dim>> points;
    dealii::DoFTools::map_dofs_to_support_points(ed.mapping(), ed.dof_handler(), points);
    std::vector<dealii::types::global_dof_index> dofs(ed.fe().n_dofs_per_cell());
    for (const auto &cell : ed.dof_handler().active_cell_iterators())
      if (cell->is_locally_owned())
        {
          cell->get_dof_indices(dofs);
          for (unsigned i = 0; i < dofs.size(); ++i)
            if (v.locally_owned_elements().is_element(dofs[i]))
              v(dofs[i]) = field(points.at(dofs[i]), ed.fe().system_to_component_index(i).first);
        }
    v.update_ghost_values();
  }

  /// || u_h - u_exact ||_L2 over the mesh with (p+2)^dim Gauss points. Collective.
  template <int dim>
  double l2_error(const Elastodynamics<dim> &ed,
                  const std::function<double(const dealii::Point<dim> &, unsigned)> &exact)
  {
    const unsigned                   p = ed.fe().degree;
    dealii::FEValues<dim>            fv(ed.mapping(), ed.fe(), dealii::QGauss<dim>(p + 2),
                                        dealii::update_values | dealii::update_quadrature_points |
                                          dealii::update_JxW_values);
    const dealii::FEValuesExtractors::Vector disp(0);
    std::vector<dealii::Tensor<1, dim>>      values(fv.n_quadrature_points);
    double                                   sum = 0;
    for (const auto &cell : ed.dof_handler().active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fv.reinit(cell);
          fv[disp].get_function_values(ed.displacement(), values);
          for (unsigned q = 0; q < fv.n_quadrature_points; ++q)
            for (unsigned c = 0; c < dim; ++c)
              sum += std::pow(values[q][c] - exact(fv.quadrature_point(q), c), 2) * fv.JxW(q);
        }
    return std::sqrt(dealii::Utilities::MPI::sum(sum, ed.communicator()));
  }
} // namespace seam::fe::test_util
