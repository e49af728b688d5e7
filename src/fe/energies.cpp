// Kinetic and strain energy integrals over cell batches.
#include "fe/energies.h"

#include <deal.II/base/mpi.h>
#include <deal.II/matrix_free/fe_evaluation.h>

namespace seam::fe
{
  using namespace dealii;

  template <int dim>
  Energies<dim>::Energies(const MatrixFree<dim, double> &mf, const VectorizedMaterial<dim> &material,
                          const BlendingWeights<dim> &weights, double density, MPI_Comm comm)
    : mf_(mf)
    , material_(material)
    , weights_(weights)
    , rho_(density)
    , comm_(comm)
  {}

  template <int dim>
  double Energies<dim>::kinetic(const VectorType &v, const CellFilter &cell_filter, const WeightFunction &weight) const
  {
    return integrate(true, v, cell_filter, weight);
  }

  template <int dim>
  double Energies<dim>::strain(const VectorType &u, const CellFilter &cell_filter, const WeightFunction &weight) const
  {
    return integrate(false, u, cell_filter, weight);
  }

  template <int dim>
  double Energies<dim>::integrate(bool kinetic, const VectorType &src, const CellFilter &cell_filter,
                                  const WeightFunction &weight) const
  {
    using VA = VectorizedArray<double>;
    FEEvaluation<dim, -1, 0, dim, double> phi(mf_, 0, kinetic ? 1 : 0);
    const StrainEnergy<dim>              *law = material_.law();
    double                                sum = 0;
    for (unsigned cell = 0; cell < mf_.n_cell_batches(); ++cell)
      {
        const unsigned lanes       = mf_.n_active_entries_per_cell_batch(cell);
        VA             lane_weight = 0.0;
        bool           any         = false;
        for (unsigned l = 0; l < lanes; ++l)
          {
            const bool in  = !cell_filter || cell_filter(mf_.get_cell_iterator(cell, l)->center());
            lane_weight[l] = in ? 1.0 : 0.0;
            any            = any || in;
          }
        if (!any)
          continue;
        phi.reinit(cell);
        phi.read_dof_values_plain(src);
        phi.evaluate(kinetic ? EvaluationFlags::values : EvaluationFlags::gradients);
        // The blending weight: beta at the Gauss points, or the HRZ factors at the nodes (null where 1).
        const VA *beta = kinetic ? weights_.mass_weights(cell) : weights_.gauss_weights(cell);
        // The same linear/nonlinear choice per batch as the internal force, so E and f agree.
        const bool quiet_batch = !kinetic && law != nullptr && VectorizedMaterial<dim>::quiet(phi);
        for (unsigned q = 0; q < phi.n_q_points; ++q)
          {
            VA e;
            if (kinetic)
              e = rho_ * kernel::value_norm_square<dim>(phi, q);
            else if (law == nullptr || quiet_batch)
              e = material_.energy_density(phi, q);
            else
              {
                Tensor<2, dim, VA> p;
                material_.law_at_point(phi, q, lanes, p, &e);
                e *= 2.0; // the sum is halved below
              }
            VA w = lane_weight;
            if (beta != nullptr)
              w *= beta[q];
            if (weight)
              {
                const Point<dim, VA> xq = phi.quadrature_point(q);
                for (unsigned l = 0; l < lanes; ++l)
                  w[l] *= weight(kernel::lane_point<dim>(xq, l));
              }
            const VA contribution = e * phi.JxW(q) * w;
            for (unsigned l = 0; l < lanes; ++l)
              sum += contribution[l];
          }
      }
    return 0.5 * Utilities::MPI::sum(sum, comm_);
  }

  template class Energies<1>;
  template class Energies<2>;
  template class Energies<3>;
} // namespace seam::fe
