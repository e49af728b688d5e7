// Lumped L2 projection of the stress onto the nodes.
#include "fe/stress_projection.h"

#include <deal.II/matrix_free/fe_evaluation.h>

namespace seam::fe
{
  using namespace dealii;

  template <int dim>
  void project_nodal_stress(const MatrixFree<dim, double> &mf, const VectorizedMaterial<dim> &material,
                            const LinearAlgebra::distributed::Vector<double>               &u,
                            std::array<LinearAlgebra::distributed::Vector<double>, dim> &stress)
  {
    using VA = VectorizedArray<double>;
    LinearAlgebra::distributed::Vector<double> volume; // int phi_k dx: row sums of the unit-density mass
    mf.initialize_dof_vector(volume);
    for (auto &s : stress)
      mf.initialize_dof_vector(s);
    FEEvaluation<dim, -1, 0, dim, double> phi_u(mf, 0, 0), phi_s(mf, 0, 0);
    for (unsigned cell = 0; cell < mf.n_cell_batches(); ++cell)
      {
        phi_u.reinit(cell);
        phi_s.reinit(cell);
        phi_u.read_dof_values_plain(u);
        phi_u.evaluate(EvaluationFlags::gradients);
        for (unsigned q = 0; q < phi_s.n_q_points; ++q)
          kernel::submit_uniform_value<dim>(phi_s, make_vectorized_array(1.0), q);
        phi_s.integrate_scatter(EvaluationFlags::values, volume);
        const unsigned lanes = mf.n_active_entries_per_cell_batch(cell);
        for (unsigned i = 0; i < dim; ++i)
          {
            for (unsigned q = 0; q < phi_u.n_q_points; ++q)
              {
                // C : eps only: S0 is the reference state's stress. With a nonlinear law: the Cauchy
                // stress J^-1 P F^T minus that of the reference.
                const SymmetricTensor<2, dim, VA> sigma = material.law() == nullptr ?
                                                            material.stiffness() * kernel::sym_grad<dim>(phi_u, q) :
                                                            material.law_cauchy_stress(phi_u, q, lanes);
                if constexpr (dim == 1)
                  phi_s.submit_value(sigma[0][0], q);
                else
                  {
                    Tensor<1, dim, VA> row;
                    for (unsigned j = 0; j < dim; ++j)
                      row[j] = sigma[i][j];
                    phi_s.submit_value(row, q);
                  }
              }
            phi_s.integrate_scatter(EvaluationFlags::values, stress[i]);
          }
      }
    volume.compress(VectorOperation::add);
    for (auto &s : stress)
      {
        s.compress(VectorOperation::add);
        for (unsigned k = 0; k < s.locally_owned_size(); ++k)
          s.local_element(k) /= volume.local_element(k);
        s.update_ghost_values();
      }
  }

  template void project_nodal_stress<1>(const MatrixFree<1, double> &, const VectorizedMaterial<1> &,
                                        const LinearAlgebra::distributed::Vector<double> &,
                                        std::array<LinearAlgebra::distributed::Vector<double>, 1> &);
  template void project_nodal_stress<2>(const MatrixFree<2, double> &, const VectorizedMaterial<2> &,
                                        const LinearAlgebra::distributed::Vector<double> &,
                                        std::array<LinearAlgebra::distributed::Vector<double>, 2> &);
  template void project_nodal_stress<3>(const MatrixFree<3, double> &, const VectorizedMaterial<3> &,
                                        const LinearAlgebra::distributed::Vector<double> &,
                                        std::array<LinearAlgebra::distributed::Vector<double>, 3> &);
} // namespace seam::fe
