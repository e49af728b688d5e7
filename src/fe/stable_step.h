// The explicit stable time step: a guaranteed bound on lambda_max(M^-1 K) from element eigenvalue
// problems, and a sharp estimate by power iteration.
#pragma once

#include "fe/blending_weights.h"
#include "fe/elasticity_operator.h"
#include "fe/material.h"

#include <deal.II/fe/fe_system.h>
#include <deal.II/fe/mapping.h>
#include <deal.II/lac/la_parallel_vector.h>
#include <deal.II/matrix_free/matrix_free.h>

#include <mpi.h>

#include <functional>

namespace seam::fe
{
  /// Irons' element eigenvalue theorem, lambda_max(M^-1 K) <= max_e lambda_max(M_e^-1 K_e) (Irons 1970;
  /// Hughes, "The Finite Element Method", 2000, sec. 9.1.4), with the element problems (24x24 for 3D Q1)
  /// solved by LAPACK, cached per element shape; cells where the blending weight is not 1 are solved one
  /// by one with K~_e and the HRZ masses of M~ (see BlendingWeights). The S0 term is part of K_e. The
  /// bound is conservative: exact for a uniform 1D chain, about 1.5 x lambda_max for uniform 3D Q1 meshes
  /// (2 / sqrt(bound) is then about 0.8 of the critical step), more where the smallest elements form an
  /// isolated thin layer.
  ///
  /// `mf`'s cells are visited (its cell batches match `weights`); `beta` is the blending weight function
  /// (may be empty). Collective on `comm`.
  template <int dim>
  double max_eigenvalue_bound(const dealii::MatrixFree<dim, double> &mf, const dealii::Mapping<dim> &mapping,
                              const dealii::FESystem<dim> &fe, const Material<dim> &material,
                              const BlendingWeights<dim>                                &weights,
                              const std::function<double(const dealii::Point<dim> &)> &beta, MPI_Comm comm);

  /// A sharp estimate of lambda_max(M^-1 K) from `iterations` power iterations on M^-1/2 K M^-1/2
  /// (Rayleigh quotient: a lower bound that converges from below). `mass` is the lumped mass (owned
  /// entries). Collective on the operator's communicator.
  template <int dim>
  double estimate_max_eigenvalue(const dealii::MatrixFree<dim, double> &mf, const ElasticityOperator<dim> &op,
                                 const dealii::LinearAlgebra::distributed::Vector<double> &mass,
                                 unsigned                                                   iterations);
} // namespace seam::fe
