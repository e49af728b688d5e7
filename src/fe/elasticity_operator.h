// The matrix-free elasticity operator: the linear stiffness K~ u and the nonlinear internal force.
#pragma once

#include "fe/blending_weights.h"
#include "fe/vectorized_material.h"

#include <deal.II/lac/la_parallel_vector.h>
#include <deal.II/matrix_free/matrix_free.h>

#include <utility>

namespace seam::fe
{
  /// Cell kernels of the elasticity operator, applied matrix-free by sum factorisation (deal.II
  /// MatrixFree/FEEvaluation, Kronbichler and Kormann 2012, Comput. Fluids 63:135; deal.II step-37/48).
  ///
  /// Linear: K from the linearised first Piola-Kirchhoff stress P = C : sym(grad u) + grad u . S0 (the
  /// tangent A_ijkl = C_ijkl + delta_ik S0_jl of a prestressed reference) with (p+1)^dim Gauss points
  /// (quadrature 0 of the MatrixFree object), times the blending weight beta where it is not 1.
  ///
  /// Nonlinear (Material::strain_energy() set): f_int,I = int beta grad N_I : (P(F) - P(I)) dx with
  /// F = I + grad u (total Lagrangian; Belytschko, Liu, Moran, "Nonlinear Finite Elements", 2000, sec.
  /// 4.9 and 6.2). Cell batches where every entry of grad u is below
  /// VectorizedMaterial::linear_threshold use the linear kernel (the difference is O(|W'''| |grad u|^2),
  /// < 1e-11 |C|): a quiet part of the mesh then costs what the linear model costs.
  ///
  /// Degrees 1 and 2 use compile-time kernel sizes (unrolled sum factorisation, several times faster);
  /// others run-time sizes.
  template <int dim>
  class ElasticityOperator
  {
  public:
    using VectorType = dealii::LinearAlgebra::distributed::Vector<double>;

    /// The objects must outlive this one. Not collective.
    ElasticityOperator(const dealii::MatrixFree<dim, double> &mf, const VectorizedMaterial<dim> &material,
                       const BlendingWeights<dim> &weights, unsigned degree);

    /// dst = K~ src (the linearisation at F = I, no boundary conditions). Collective (ghost exchange of src
    /// unless its ghosts are current).
    void apply(VectorType &dst, const VectorType &src) const;
    /// dst = f_int(src): K~ src for a linear material, the nonlinear internal force otherwise. Collective.
    void internal_force(VectorType &dst, const VectorType &src) const;

  private:
    using CellRange = std::pair<unsigned, unsigned>;
    void local_apply(const dealii::MatrixFree<dim, double> &mf, VectorType &dst, const VectorType &src,
                     const CellRange &cells) const;
    void local_internal_force(const dealii::MatrixFree<dim, double> &mf, VectorType &dst, const VectorType &src,
                              const CellRange &cells) const;
    /// The stiffness kernel for FE_Q(degree) (degree -1: any degree, sizes at run time).
    template <int degree>
    void apply_cells(const dealii::MatrixFree<dim, double> &mf, VectorType &dst, const VectorType &src,
                     const CellRange &cells) const;
    /// The nonlinear internal force kernel for FE_Q(degree).
    template <int degree>
    void law_cells(const dealii::MatrixFree<dim, double> &mf, VectorType &dst, const VectorType &src,
                   const CellRange &cells) const;

    const dealii::MatrixFree<dim, double> &mf_;
    const VectorizedMaterial<dim>         &material_;
    const BlendingWeights<dim>            &weights_;
    unsigned                               degree_;
  };
} // namespace seam::fe
