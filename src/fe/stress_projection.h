// Post-processing: the nodal stress field by lumped L2 projection.
#pragma once

#include "fe/vectorized_material.h"

#include <deal.II/lac/la_parallel_vector.h>
#include <deal.II/matrix_free/matrix_free.h>

#include <array>

namespace seam::fe
{
  /// Nodal Cauchy stress sigma = C : sym grad u (small strain; nonlinear law: J^-1 P F^T - P(I)) by a
  /// row-sum lumped L2 projection: sigma_k = int phi_k sigma_h dx / int phi_k dx with the (p+1)^dim Gauss
  /// points of quadrature 0 of `mf`, i.e. at a vertex of a Q1 mesh the volume-weighted average of the
  /// cells' stresses around it (Zienkiewicz and Taylor, "The Finite Element Method", vol. 1, sec. 14.2 on
  /// lumped stress projection). Reproduces a uniform stress field exactly (to round-off) at every node.
  /// The initial stress S0 and the blending weight are not included.
  ///
  /// Output: `stress[i]` is row i of sigma in `mf`'s vector layout (initialised here), its component j at
  /// a node being sigma_ij; ghosts up to date. `u` needs no ghost values. Collective.
  template <int dim>
  void project_nodal_stress(const dealii::MatrixFree<dim, double> &mf, const VectorizedMaterial<dim> &material,
                            const dealii::LinearAlgebra::distributed::Vector<double>               &u,
                            std::array<dealii::LinearAlgebra::distributed::Vector<double>, dim> &stress);
} // namespace seam::fe
