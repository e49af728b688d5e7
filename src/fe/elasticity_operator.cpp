// Matrix-free cell kernels of the elasticity operator (linear with weight and initial stress; nonlinear).
#include "fe/elasticity_operator.h"

#include <deal.II/matrix_free/fe_evaluation.h>

namespace seam::fe
{
  using namespace dealii;

  template <int dim>
  ElasticityOperator<dim>::ElasticityOperator(const MatrixFree<dim, double> &mf, const VectorizedMaterial<dim> &material,
                                              const BlendingWeights<dim> &weights, unsigned degree)
    : mf_(mf)
    , material_(material)
    , weights_(weights)
    , degree_(degree)
  {}

  template <int dim>
  void ElasticityOperator<dim>::apply(VectorType &dst, const VectorType &src) const
  {
    mf_.cell_loop(&ElasticityOperator::local_apply, this, dst, src, true);
  }

  template <int dim>
  void ElasticityOperator<dim>::internal_force(VectorType &dst, const VectorType &src) const
  {
    if (material_.law() == nullptr)
      apply(dst, src);
    else
      mf_.cell_loop(&ElasticityOperator::local_internal_force, this, dst, src, true);
  }

  template <int dim>
  void ElasticityOperator<dim>::local_apply(const MatrixFree<dim, double> &mf, VectorType &dst, const VectorType &src,
                                            const CellRange &cells) const
  {
    switch (degree_)
      {
        case 1: apply_cells<1>(mf, dst, src, cells); break;
        case 2: apply_cells<2>(mf, dst, src, cells); break;
        default: apply_cells<-1>(mf, dst, src, cells); break;
      }
  }

  template <int dim>
  void ElasticityOperator<dim>::local_internal_force(const MatrixFree<dim, double> &mf, VectorType &dst,
                                                     const VectorType &src, const CellRange &cells) const
  {
    switch (degree_)
      {
        case 1: law_cells<1>(mf, dst, src, cells); break;
        case 2: law_cells<2>(mf, dst, src, cells); break;
        default: law_cells<-1>(mf, dst, src, cells); break;
      }
  }

  template <int dim>
  template <int degree>
  void ElasticityOperator<dim>::apply_cells(const MatrixFree<dim, double> &mf, VectorType &dst, const VectorType &src,
                                            const CellRange &cells) const
  {
    using VA = VectorizedArray<double>;
    const auto &c = material_.stiffness();
    FEEvaluation<dim, degree, degree < 0 ? 0 : degree + 1, dim, double> phi(mf, 0, 0);
    for (unsigned cell = cells.first; cell < cells.second; ++cell)
      {
        phi.reinit(cell);
        phi.gather_evaluate(src, EvaluationFlags::gradients);
        const VA *w = weights_.gauss_weights(cell); // null where beta = 1: the unweighted fast path
        if (!material_.has_initial_stress())
          {
            if (w == nullptr)
              for (unsigned q = 0; q < phi.n_q_points; ++q)
                kernel::submit_sym_grad<dim>(phi, c * kernel::sym_grad<dim>(phi, q), q);
            else
              for (unsigned q = 0; q < phi.n_q_points; ++q)
                kernel::submit_sym_grad<dim>(phi, w[q] * (c * kernel::sym_grad<dim>(phi, q)), q);
          }
        else
          // P = C : sym(G) + G . S0 is not symmetric: submit the full gradient.
          for (unsigned q = 0; q < phi.n_q_points; ++q)
            {
              const auto p = material_.first_piola(phi, q);
              phi.submit_gradient(w == nullptr ? p : w[q] * p, q);
            }
        phi.integrate_scatter(EvaluationFlags::gradients, dst);
      }
  }

  template <int dim>
  template <int degree>
  void ElasticityOperator<dim>::law_cells(const MatrixFree<dim, double> &mf, VectorType &dst, const VectorType &src,
                                          const CellRange &cells) const
  {
    using VA = VectorizedArray<double>;
    FEEvaluation<dim, degree, degree < 0 ? 0 : degree + 1, dim, double> phi(mf, 0, 0);
    Tensor<2, dim, VA>                                                   p;
    for (unsigned cell = cells.first; cell < cells.second; ++cell)
      {
        phi.reinit(cell);
        phi.gather_evaluate(src, EvaluationFlags::gradients);
        const VA      *w     = weights_.gauss_weights(cell);
        const unsigned lanes = mf.n_active_entries_per_cell_batch(cell);
        if (VectorizedMaterial<dim>::quiet(phi))
          // |grad u| < linear_threshold everywhere in the batch: the tangent at F = I, C : sym(G) + G . S0,
          // equals P(F) - P(I) to O(|W'''| |G|^2) (below 1e-11 of C here), at a fraction of the cost.
          for (unsigned q = 0; q < phi.n_q_points; ++q)
            {
              const auto pl = material_.first_piola(phi, q);
              phi.submit_gradient(w == nullptr ? pl : w[q] * pl, q);
            }
        else
          for (unsigned q = 0; q < phi.n_q_points; ++q)
            {
              material_.law_at_point(phi, q, lanes, p);
              kernel::submit_full_gradient<dim>(phi, w == nullptr ? p : w[q] * p, q);
            }
        phi.integrate_scatter(EvaluationFlags::gradients, dst);
      }
  }

  template class ElasticityOperator<1>;
  template class ElasticityOperator<2>;
  template class ElasticityOperator<3>;
} // namespace seam::fe
