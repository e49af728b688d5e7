// Nodal Cauchy stress of the continuum: an affine displacement (uniform strain plus a rotation) on a
// graded, holed mesh gives the exact uniform stress C : eps at every node.
#include "fe/elastodynamics.h"

#include "support/tolerance.h"

#include <deal.II/base/mpi.h>

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cmath>
#include <string>
#include <vector>

using namespace seam::fe;

namespace
{
  /// Graded mesh with a hole (cells of several sizes and aspect ratios, re-entrant corners).
  template <int dim>
  Mesh<dim> holed_mesh()
  {
    typename Mesh<dim>::Params p;
    Box<dim>                  hole, md;
    for (int d = 0; d < dim; ++d)
      {
        p.domain.lo[d] = -3;
        p.domain.hi[d] = 3.5;
        hole.lo[d]     = -1;
        hole.hi[d]     = 0.8;
        md.lo[d]       = -1.6;
        md.hi[d]       = 1.3;
      }
    p.hole      = hole; // in 1D two disconnected pieces, each graded towards the hole
    p.md_region = md;
    p.near      = dim == 3 ? 0.6 : 0.35;
    p.far       = 1.5;
    p.growth    = 1.5;
    return Mesh<dim>(MPI_COMM_WORLD, p);
  }

  /// u = G x with a non-symmetric G (strain sym(G) plus a rotation, which carries no stress), on a
  /// cubic crystal rotated off the axes (a full, anisotropic C). Every node's projected stress must
  /// equal C : sym(G) up to round-off: |C| |G| times a few hundred ulps.
  template <int dim>
  void uniform_strain_gives_uniform_stress(unsigned degree)
  {
    const Mesh<dim> mesh     = holed_mesh<dim>();
    const auto      material = Material<dim>::cubic(1.684, 1.214, 0.754, 2.0, {{{{1, 1, 0}}, {{-1, 1, 1}}, {{1, -1, 2}}}});
    typename Elastodynamics<dim>::Params params;
    params.degree = degree;
    Elastodynamics<dim> ed(mesh, material, params);

    const double            g[3][3] = {{1.0e-3, 4.0e-4, -2.5e-4}, {-3.0e-4, -6.0e-4, 5.0e-4}, {1.5e-4, -7.0e-4, 8.0e-4}};
    const char             *xyz[3]  = {"x", "y", "z"};
    std::vector<std::string> u(dim);
    dealii::SymmetricTensor<2, dim> eps;
    for (unsigned i = 0; i < dim; ++i)
      {
        for (unsigned j = 0; j < dim; ++j)
          {
            u[i] += fmt::format("{}{:.17g}*{}", j ? "+" : "", g[i][j], xyz[j]);
            eps[i][j] = 0.5 * (g[i][j] + g[j][i]);
          }
      }
    ed.set_initial_conditions(u, std::vector<std::string>(dim, "0"));
    const dealii::SymmetricTensor<2, dim> sigma = material.stiffness() * eps;

    std::array<typename Elastodynamics<dim>::VectorType, dim> stress;
    ed.compute_nodal_stress(stress);
    const double scale = sigma.norm();
    ASSERT_GT(scale, 0.0);
    unsigned long checked = 0;
    // Map each owned DoF to its component through the cells (robust to any DoF numbering).
    std::vector<int> component(stress[0].locally_owned_size(), -1);
    const auto      &part = *stress[0].get_partitioner();
    std::vector<dealii::types::global_dof_index> dofs(ed.fe().n_dofs_per_cell());
    for (const auto &cell : ed.dof_handler().active_cell_iterators())
      if (cell->is_locally_owned())
        {
          cell->get_dof_indices(dofs);
          for (unsigned n = 0; n < dofs.size(); ++n)
            if (part.in_local_range(dofs[n]))
              component[part.global_to_local(dofs[n])] = int(ed.fe().system_to_component_index(n).first);
        }
    for (unsigned i = 0; i < dim; ++i)
      for (unsigned k = 0; k < component.size(); ++k)
        {
          ASSERT_GE(component[k], 0) << "owned DoF " << k << " belongs to no owned cell";
          ASSERT_LE(std::abs(stress[i].local_element(k) - sigma[i][component[k]]), 1e-13 * scale)
            << "sigma_" << i << component[k] << " at owned DoF " << k;
          ++checked;
        }
    EXPECT_EQ(dealii::Utilities::MPI::sum(checked, MPI_COMM_WORLD), dim * ed.n_dofs());
    // The displacement has not moved: the projection only reads it.
    EXPECT_GT(ed.displacement().linfty_norm(), 0.0);
  }
} // namespace

TEST(FeStress, UniformStrainGivesExactNodalStress1D) { uniform_strain_gives_uniform_stress<1>(1); }
TEST(FeStress, UniformStrainGivesExactNodalStress2D) { uniform_strain_gives_uniform_stress<2>(1); }
TEST(FeStress, UniformStrainGivesExactNodalStress3D) { uniform_strain_gives_uniform_stress<3>(1); }
TEST(FeStress, UniformStrainGivesExactNodalStress2DQuadratic) { uniform_strain_gives_uniform_stress<2>(2); }

/// A non-uniform field: u_x = a x^2 / 2 in 1D gives sigma = C a x, linear, which the lumped projection
/// reproduces exactly at interior nodes (read through the ghosts) of a uniform Q1 mesh (the average of the two neighbouring cell
/// midpoint values is the nodal value). Shows the projection is local, not a global mean.
TEST(FeStress, LinearStressIsExactAtInteriorNodesOfUniform1D)
{
  typename Mesh<1>::Params p;
  p.domain.lo[0] = 0;
  p.domain.hi[0] = 4;
  p.near = p.far = 0.25;
  const Mesh<1>     mesh(MPI_COMM_WORLD, p);
  const auto        material = Material<1>::isotropic(3.0, 0.0, 1.0);
  Elastodynamics<1> ed(mesh, material, {});
  const double      a = 2e-3;
  ed.set_initial_conditions({fmt::format("{}*x^2/2", a)}, {"0"});
  std::array<Elastodynamics<1>::VectorType, 1> stress;
  ed.compute_nodal_stress(stress);
  const double c = material.stiffness()[0][0][0][0];
  unsigned long       interior = 0;
  for (const auto &cell : ed.dof_handler().active_cell_iterators())
    if (cell->is_locally_owned())
      for (unsigned v = 0; v < 2; ++v)
        {
          const auto   g    = cell->vertex_dof_index(v, 0);
          const double xv   = cell->vertex(v)[0];
          if (v != 0 || xv < 1e-12) // each interior node once: as the left vertex of its right cell
            continue;
          expect_abs_near(stress[0](g), c * a * xv, 1e-14);
          ++interior;
        }
  EXPECT_EQ(dealii::Utilities::MPI::sum(interior, MPI_COMM_WORLD), 15ul);
}
