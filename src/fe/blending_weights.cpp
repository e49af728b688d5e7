// Blending weight tabulation (beta at the Gauss points, HRZ factors at the nodes) and the lumped mass.
#include "fe/blending_weights.h"

#include "base/error.h"
#include "fe/vectorized_material.h"

#include <deal.II/base/mpi.h>
#include <deal.II/matrix_free/fe_evaluation.h>

#include <fmt/format.h>

namespace seam::fe
{
  namespace
  {
    using namespace dealii;
    using VA = VectorizedArray<double>;

    /// Component 0 of a value of phi (the value itself in 1D).
    template <int dim, typename Value>
    VA component0(const Value &v)
    {
      if constexpr (dim == 1)
        return v;
      else
        return v[0];
    }

    /// A nodal value with `x` in component 0 and zeros elsewhere, in phi's value type.
    template <int dim>
    auto first_component_value(double x)
    {
      if constexpr (dim == 1)
        return make_vectorized_array(x);
      else
        {
          Tensor<1, dim, VA> t;
          t[0] = x;
          return t;
        }
    }
  } // namespace

  template <int dim>
  BlendingWeights<dim>::BlendingWeights(const MatrixFree<dim, double> &mf, const WeightFunction &beta, MPI_Comm comm)
    : mf_(mf)
  {
    if (!beta)
      return;
    FEEvaluation<dim, -1, 0, dim, double> phi_g(mf_, 0, 0), phi_l(mf_, 0, 1);
    [[maybe_unused]] const unsigned       nq = phi_g.n_q_points;
    SEAM_ASSERT(phi_l.n_q_points == nq && phi_g.dofs_per_component == nq,
                fmt::format("weights: {} Gauss, {} Gauss-Lobatto points, {} nodes", nq, phi_l.n_q_points,
                            phi_g.dofs_per_component));
    const unsigned n_batches = mf_.n_cell_batches();
    offset_.assign(n_batches, no_weight);
    unit_lane_.assign(std::size_t(n_batches) * VA::size(), 1);
    unsigned long n_invalid = 0;
    for (unsigned batch = 0; batch < n_batches; ++batch)
      tabulate_batch(batch, phi_g, phi_l, beta, n_invalid);
    // Collective verdict, so that every rank throws alike.
    n_invalid = Utilities::MPI::sum(n_invalid, comm);
    if (n_invalid > 0)
      throw RuntimeError(fmt::format("fe blending weight: {} cells where the weight is negative, NaN or "
                                     "zero at every Gauss point; expected beta >= 0 and > 0 inside "
                                     "every cell",
                                     n_invalid));
  }

  template <int dim>
  template <typename Phi>
  void BlendingWeights<dim>::tabulate_batch(unsigned batch, Phi &phi_g, Phi &phi_l, const WeightFunction &beta,
                                            unsigned long &n_invalid)
  {
    const unsigned        nq    = phi_g.n_q_points;
    const unsigned        width = VA::size();
    std::vector<VA>       wg(nq, make_vectorized_array(1.0)), d(nq);
    std::vector<unsigned> node_point(nq); // the Gauss-Lobatto point at lexicographic node I
    phi_g.reinit(batch);
    phi_l.reinit(batch);
    const unsigned lanes = mf_.n_active_entries_per_cell_batch(batch);
    bool           any   = false;
    for (unsigned l = 0; l < lanes; ++l)
      {
        bool unit = true, valid = false;
        for (unsigned q = 0; q < nq; ++q)
          {
            wg[q][l]        = beta(kernel::lane_point<dim>(phi_g.quadrature_point(q), l));
            const double wl = beta(kernel::lane_point<dim>(phi_l.quadrature_point(q), l));
            unit            = unit && wg[q][l] == 1.0 && wl == 1.0;
            valid           = valid || wg[q][l] > 0;
            if (!(wg[q][l] >= 0) || !(wl >= 0)) // also catches NaN
              {
                valid = false;
                break;
              }
          }
        if (!valid)
          {
            ++n_invalid;
            unit = true; // keep going (and consistent) until the collective check
          }
        unit_lane_[std::size_t(batch) * width + l] = unit;
        any                                        = any || !unit;
      }
    if (!any)
      return;

    // HRZ lumping of int beta N_I N_J (rho factored out): d_I = int beta N_I^2 from the nodal unit
    // vector e_I evaluated at the Gauss points, scaled to the cell's int beta.
    VA total = 0.0, d_sum = 0.0;
    for (unsigned q = 0; q < nq; ++q)
      total += wg[q] * phi_g.JxW(q);
    for (unsigned i = 0; i < nq; ++i)
      {
        for (unsigned j = 0; j < nq; ++j)
          {
            phi_g.submit_dof_value(first_component_value<dim>(i == j ? 1.0 : 0.0), j);
            phi_l.submit_dof_value(first_component_value<dim>(i == j ? 1.0 : 0.0), j);
          }
        phi_g.evaluate(EvaluationFlags::values);
        phi_l.evaluate(EvaluationFlags::values);
        d[i] = 0.0;
        for (unsigned q = 0; q < nq; ++q)
          {
            const VA n = component0<dim>(phi_g.get_value(q));
            d[i] += wg[q] * n * n * phi_g.JxW(q);
            if (component0<dim>(phi_l.get_value(q))[0] > 0.5) // N_I is 1 at its node, 0 at others
              node_point[i] = q;
          }
        d_sum += d[i];
      }
    const unsigned offset = unsigned(weight_q_.size());
    offset_[batch]        = offset;
    weight_q_.insert(weight_q_.end(), wg.begin(), wg.end());
    mass_weight_q_.resize(weight_q_.size(), make_vectorized_array(1.0));
    for (unsigned i = 0; i < nq; ++i)
      {
        const unsigned q = node_point[i];
        for (unsigned l = 0; l < lanes; ++l)
          if (!unit_lane_[std::size_t(batch) * width + l])
            mass_weight_q_[offset + q][l] = d[i][l] * total[l] / (d_sum[l] * phi_l.JxW(q)[l]);
      }
  }

  template <int dim>
  void BlendingWeights<dim>::lumped_mass(double rho, VectorType &mass) const
  {
    // Gauss-Lobatto points are FE_Q's nodes, so int rho phi_i with this quadrature is the diagonal of
    // the nodal-quadrature mass matrix (its only non-zero entries). Weighted cells: the HRZ masses,
    // stored as factors on the nodal quadrature weights.
    FEEvaluation<dim, -1, 0, dim, double> phi(mf_, 0, 1);
    mass = 0;
    for (unsigned cell = 0; cell < mf_.n_cell_batches(); ++cell)
      {
        phi.reinit(cell);
        const VA *mw = mass_weights(cell);
        for (unsigned q = 0; q < phi.n_q_points; ++q)
          kernel::submit_uniform_value<dim>(phi, mw == nullptr ? make_vectorized_array(rho) : rho * mw[q], q);
        phi.integrate_scatter(EvaluationFlags::values, mass);
      }
    mass.compress(VectorOperation::add);
  }

  template class BlendingWeights<1>;
  template class BlendingWeights<2>;
  template class BlendingWeights<3>;
} // namespace seam::fe
