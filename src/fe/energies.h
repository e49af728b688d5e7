// Kinetic and strain energies of the continuum, in total, per region or with an extra point weight.
#pragma once

#include "fe/blending_weights.h"
#include "fe/vectorized_material.h"

#include <deal.II/base/point.h>
#include <deal.II/lac/la_parallel_vector.h>
#include <deal.II/matrix_free/matrix_free.h>

#include <mpi.h>

#include <functional>

namespace seam::fe
{
  /// The energies of the discrete Hamiltonian H = 1/2 V^T M~ V + 1/2 u^T K~ u that Elastodynamics
  /// integrates, cell batch by cell batch with the operator's quadratures: kinetic with the lumped mass
  /// (Gauss-Lobatto nodes, HRZ factors where weighted; see BlendingWeights), strain with the Gauss points
  /// of K, choosing per batch the same linear or nonlinear law as the internal force so that the energy
  /// and the force agree (its gradient).
  template <int dim>
  class Energies
  {
  public:
    using VectorType     = dealii::LinearAlgebra::distributed::Vector<double>;
    using CellFilter     = std::function<bool(const dealii::Point<dim> &)>;
    using WeightFunction = std::function<double(const dealii::Point<dim> &)>;

    /// The objects must outlive this one. Not collective.
    Energies(const dealii::MatrixFree<dim, double> &mf, const VectorizedMaterial<dim> &material,
             const BlendingWeights<dim> &weights, double density, MPI_Comm comm);

    /// 1/2 v^T M~ v (energy units) over the cells whose centre passes `cell_filter` (null: all), each
    /// node's share weighted by `weight` at the node (null: 1). Collective.
    double kinetic(const VectorType &v, const CellFilter &cell_filter, const WeightFunction &weight) const;
    /// 1/2 int beta grad u : A : grad u (nonlinear: int beta (W(F) - W(I) - P(I) : grad u)) over the
    /// cells passing `cell_filter`, times `weight` at the Gauss points. Collective.
    double strain(const VectorType &u, const CellFilter &cell_filter, const WeightFunction &weight) const;

  private:
    double integrate(bool kinetic, const VectorType &src, const CellFilter &cell_filter,
                     const WeightFunction &weight) const;

    const dealii::MatrixFree<dim, double> &mf_;
    const VectorizedMaterial<dim>         &material_;
    const BlendingWeights<dim>            &weights_;
    double                                 rho_;
    MPI_Comm                               comm_;
  };
} // namespace seam::fe
