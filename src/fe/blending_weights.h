// The bridging-domain blending weight at the quadrature points of the matrix-free operator, and the
// lumped (nodal, or HRZ where weighted) mass matrix it implies.
#pragma once

#include <deal.II/base/point.h>
#include <deal.II/base/vectorization.h>
#include <deal.II/lac/la_parallel_vector.h>
#include <deal.II/matrix_free/matrix_free.h>

#include <mpi.h>

#include <functional>
#include <vector>

namespace seam::fe
{
  /// Blending weight beta(x), the continuum's share of the energy in the handshake band of the
  /// bridging domain method (Xiao and Belytschko 2004, Comput. Methods Appl. Mech. Eng. 193:1645),
  /// tabulated for the cell batches of a MatrixFree object whose quadrature 0 is Gauss (p+1)^dim and
  /// quadrature 1 Gauss-Lobatto (p+1)^dim (the nodes of FE_Q(p)):
  ///   K~ = int beta grad N : A : grad N dx   (beta at the same Gauss points as K),
  ///   M~ = diagonal lumping of int beta rho N_I N_J dx.
  /// The lumping of M~ in a cell where beta is not identically 1 is HRZ (Hinton, Rock and Zienkiewicz
  /// 1976, Earthquake Eng. Struct. Dyn. 4:245): the consistent diagonal d_I = int beta rho N_I^2 (Gauss,
  /// (p+1)^dim points) scaled so that the cell's lumped mass is int beta rho (the same Gauss points).
  /// Why not beta at the Gauss-Lobatto nodes: beta vanishes on the inner edge of the band, which is the
  /// hole's face (a mesh boundary), so nodal quadrature would give zero mass there; d_I > 0 whenever
  /// beta > 0 somewhere inside the cell, so M~ is positive. For beta = 1, HRZ equals the Gauss-Lobatto
  /// nodal mass on affine Q1 and Q2 cells; cells where beta is exactly 1 at every Gauss and
  /// Gauss-Lobatto point keep the unweighted nodal mass and the unweighted (fast) kernel.
  ///
  /// Lumped mass without weight: Gauss-Lobatto nodal quadrature (FE_Q's nodes are the Gauss-Lobatto
  /// points, so this M is diagonal and positive; for Q1 it equals row-sum lumping).
  template <int dim>
  class BlendingWeights
  {
  public:
    using VA             = dealii::VectorizedArray<double>;
    using VectorType     = dealii::LinearAlgebra::distributed::Vector<double>;
    using WeightFunction = std::function<double(const dealii::Point<dim> &)>;

    /// Tabulates `beta` (may be empty: weight 1 everywhere, nothing stored). Collective on `comm`.
    /// @throws seam::RuntimeError on every rank if beta is negative or NaN somewhere, or zero at every
    /// Gauss point of a cell.
    BlendingWeights(const dealii::MatrixFree<dim, double> &mf, const WeightFunction &beta, MPI_Comm comm);

    /// beta at the Gauss points of cell batch `cell` (n_q_points entries), or null for batches where the
    /// weight is 1 (always null without a weight).
    const VA *gauss_weights(unsigned cell) const
    {
      return offset_.empty() || offset_[cell] == no_weight ? nullptr : &weight_q_[offset_[cell]];
    }
    /// The HRZ mass factors at the Gauss-Lobatto points (quadrature 1) of cell batch `cell`, or null.
    const VA *mass_weights(unsigned cell) const
    {
      return offset_.empty() || offset_[cell] == no_weight ? nullptr : &mass_weight_q_[offset_[cell]];
    }
    /// True if beta is 1 at every Gauss and Gauss-Lobatto point of the cell at (batch, lane).
    bool is_unit(unsigned batch, unsigned lane) const
    {
      return unit_lane_.empty() || unit_lane_[std::size_t(batch) * VA::size() + lane];
    }

    /// The diagonal lumped mass M~ (mass units) of density `rho` into `mass` (MatrixFree layout, owned
    /// entries; compressed). Collective.
    void lumped_mass(double rho, VectorType &mass) const;

  private:
    /// Tabulates batch `batch` if some lane is weighted; counts invalid lanes into n_invalid.
    template <typename Phi>
    void tabulate_batch(unsigned batch, Phi &phi_g, Phi &phi_l, const WeightFunction &beta, unsigned long &n_invalid);

    static constexpr unsigned       no_weight = ~0u;
    const dealii::MatrixFree<dim, double> &mf_;
    // offset_[batch] indexes weight_q_ (beta at the Gauss points of quadrature 0) and mass_weight_q_ (the
    // HRZ nodal mass over rho * JxW at the Gauss-Lobatto points of quadrature 1, i.e. at the nodes; 1 on
    // lanes where beta is 1), no_weight for the others; all empty without a weight.
    std::vector<unsigned>      offset_;
    std::vector<VA>            weight_q_, mass_weight_q_;
    std::vector<unsigned char> unit_lane_; // [batch * lanes + lane]: beta == 1
  };
} // namespace seam::fe
