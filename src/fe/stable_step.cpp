// Element eigenvalue bound (Irons) and power iteration for the explicit stable step.
#include "fe/stable_step.h"

#include <deal.II/base/mpi.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/lac/full_matrix.h>
#include <deal.II/lac/lapack_full_matrix.h>

#include <cmath>
#include <map>
#include <vector>

namespace seam::fe
{
  namespace
  {
    using namespace dealii;

    /// The shape of a cell up to translation: vertex offsets relative to the diameter (quantised at 1e-9)
    /// and the diameter itself; the element problem of an unweighted cell depends only on this.
    template <typename Cell>
    std::vector<long long> shape_key(const Cell &cell, int dim)
    {
      std::vector<long long> key;
      const double           diam = cell->diameter();
      key.push_back(std::llround(std::log(diam) * 1e9));
      for (const unsigned v : cell->vertex_indices())
        for (int d = 0; d < dim; ++d)
          key.push_back(std::llround((cell->vertex(v)[d] - cell->vertex(0)[d]) / diam * 1e9));
      return key;
    }

    /// K~_e = int beta grad N : A : grad N (A = C + delta S0) with fk's quadrature.
    template <int dim>
    void element_stiffness(const FEValues<dim> &fk, const Material<dim> &material, bool has_s0,
                           const std::vector<double> &beta_q, FullMatrix<double> &k)
    {
      const unsigned                   n = k.m();
      const FEValuesExtractors::Vector disp(0);
      const SymmetricTensor<4, dim>   &c  = material.stiffness();
      const Tensor<2, dim>             s0 = material.initial_stress();
      std::vector<SymmetricTensor<2, dim>> eps(n), sig(n);
      std::vector<Tensor<2, dim>>          grad(n), grad_s0(n);
      k = 0;
      for (unsigned q = 0; q < fk.n_quadrature_points; ++q)
        {
          for (unsigned i = 0; i < n; ++i)
            {
              eps[i] = fk[disp].symmetric_gradient(i, q);
              sig[i] = c * eps[i];
              if (has_s0)
                {
                  grad[i]    = fk[disp].gradient(i, q);
                  grad_s0[i] = grad[i] * s0;
                }
            }
          const double bw = beta_q[q] * fk.JxW(q);
          for (unsigned i = 0; i < n; ++i)
            for (unsigned j = 0; j < n; ++j)
              k(i, j) += (eps[i] * sig[j] + (has_s0 ? scalar_product(grad[i], grad_s0[j]) : 0.0)) * bw;
        }
    }

    /// The lumped element mass: Gauss-Lobatto nodal (fm) if unweighted, else HRZ with fk's Gauss points
    /// (as BlendingWeights does): d_i = int beta rho N_i^2 scaled to int beta rho per component.
    template <int dim>
    void element_mass(const FEValues<dim> &fk, const FEValues<dim> &fm, double rho, bool weighted,
                      const std::vector<double> &beta_q, std::vector<double> &m)
    {
      const unsigned n = m.size();
      std::fill(m.begin(), m.end(), 0.0);
      if (!weighted)
        {
          for (unsigned q = 0; q < fm.n_quadrature_points; ++q)
            for (unsigned i = 0; i < n; ++i)
              m[i] += rho * fm.shape_value(i, q) * fm.shape_value(i, q) * fm.JxW(q);
          return;
        }
      double total = 0, d_sum = 0;
      for (unsigned q = 0; q < fk.n_quadrature_points; ++q)
        {
          total += rho * beta_q[q] * fk.JxW(q);
          for (unsigned i = 0; i < n; ++i)
            m[i] += rho * beta_q[q] * fk.shape_value(i, q) * fk.shape_value(i, q) * fk.JxW(q);
        }
      for (unsigned i = 0; i < n; ++i)
        d_sum += m[i];
      for (unsigned i = 0; i < n; ++i)
        m[i] *= dim * total / d_sum;
    }

    /// lambda_max(M_e^-1 K_e) with a diagonal M_e, by LAPACK on M^-1/2 K M^-1/2.
    double largest_eigenvalue(const FullMatrix<double> &k, const std::vector<double> &m)
    {
      const unsigned           n = m.size();
      LAPACKFullMatrix<double> a(n, n);
      for (unsigned i = 0; i < n; ++i)
        for (unsigned j = 0; j < n; ++j)
          a(i, j) = k(i, j) / std::sqrt(m[i] * m[j]);
      a.compute_eigenvalues(false, false);
      double le = 0;
      for (unsigned i = 0; i < n; ++i)
        le = std::max(le, a.eigenvalue(i).real());
      return le;
    }
  } // namespace

  template <int dim>
  double max_eigenvalue_bound(const MatrixFree<dim, double> &mf, const Mapping<dim> &mapping, const FESystem<dim> &fe,
                              const Material<dim> &material, const BlendingWeights<dim> &weights,
                              const std::function<double(const Point<dim> &)> &beta, MPI_Comm comm)
  {
    const unsigned p = fe.degree;
    const unsigned n = fe.n_dofs_per_cell();
    FEValues<dim>  fk(mapping, fe, QGauss<dim>(p + 1),
                      update_values | update_gradients | update_JxW_values | update_quadrature_points);
    FEValues<dim>  fm(mapping, fe, QGaussLobatto<dim>(p + 1), update_values | update_JxW_values);
    const bool     has_s0 = material.initial_stress().norm() > 0;

    // Element problems of unweighted cells depend only on the cell's shape: cached by shape_key().
    std::map<std::vector<long long>, double> cache;
    std::vector<double>                      beta_q(fk.n_quadrature_points, 1.0);
    FullMatrix<double>                       k(n, n);
    std::vector<double>                      m(n);
    double                                   lmax = 0;
    for (unsigned batch = 0; batch < mf.n_cell_batches(); ++batch)
      for (unsigned lane = 0; lane < mf.n_active_entries_per_cell_batch(batch); ++lane)
        {
          const auto             cell     = mf.get_cell_iterator(batch, lane);
          const bool             weighted = !weights.is_unit(batch, lane);
          std::vector<long long> key;
          if (!weighted)
            {
              key           = shape_key(cell, dim);
              const auto it = cache.find(key);
              if (it != cache.end())
                {
                  lmax = std::max(lmax, it->second);
                  continue;
                }
            }
          fk.reinit(cell);
          fm.reinit(cell);
          for (unsigned q = 0; q < fk.n_quadrature_points; ++q)
            beta_q[q] = weighted ? beta(fk.quadrature_point(q)) : 1.0;
          element_stiffness(fk, material, has_s0, beta_q, k);
          element_mass(fk, fm, material.density(), weighted, beta_q, m);
          const double le = largest_eigenvalue(k, m);
          if (!weighted)
            cache.emplace(key, le);
          lmax = std::max(lmax, le);
        }
    return Utilities::MPI::max(lmax, comm);
  }

  template <int dim>
  double estimate_max_eigenvalue(const MatrixFree<dim, double> &mf, const ElasticityOperator<dim> &op,
                                 const LinearAlgebra::distributed::Vector<double> &mass, unsigned iterations)
  {
    LinearAlgebra::distributed::Vector<double> x, y;
    mf.initialize_dof_vector(x);
    mf.initialize_dof_vector(y);
    const unsigned n = x.locally_owned_size();
    // A start rich in the highest (oscillating) modes, different on every DoF.
    for (unsigned i = 0; i < n; ++i)
      {
        const auto g       = x.get_partitioner()->local_to_global(i);
        x.local_element(i) = (g % 2 ? 1.0 : -0.7) + 0.1 * std::sin(double(g));
      }
    double rayleigh = 0;
    for (unsigned it = 0; it < iterations; ++it)
      {
        const double norm = x.l2_norm();
        for (unsigned i = 0; i < n; ++i)
          x.local_element(i) /= norm * std::sqrt(mass.local_element(i));
        op.apply(y, x); // y = K M^-1/2 x
        for (unsigned i = 0; i < n; ++i)
          {
            const double s     = std::sqrt(mass.local_element(i));
            x.local_element(i) *= s;
            y.local_element(i) /= s;
          }
        rayleigh = (x * y) / (x * x);
        x.swap(y);
      }
    return rayleigh;
  }

#define SEAM_INSTANTIATE(dim)                                                                                        \
  template double max_eigenvalue_bound<dim>(const MatrixFree<dim, double> &, const Mapping<dim> &,                   \
                                            const FESystem<dim> &, const Material<dim> &,                            \
                                            const BlendingWeights<dim> &,                                            \
                                            const std::function<double(const Point<dim> &)> &, MPI_Comm);           \
  template double estimate_max_eigenvalue<dim>(const MatrixFree<dim, double> &, const ElasticityOperator<dim> &,    \
                                               const LinearAlgebra::distributed::Vector<double> &, unsigned);
  SEAM_INSTANTIATE(1)
  SEAM_INSTANTIATE(2)
  SEAM_INSTANTIATE(3)
#undef SEAM_INSTANTIATE
} // namespace seam::fe
