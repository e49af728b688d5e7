// The material law at the Gauss points of a cell batch (deal.II FEEvaluation, one lane per cell), shared
// by the matrix-free operator, the energies and the stress projection of Elastodynamics. Header-only:
// included by the continuum's .cpp files only (it pulls in FEEvaluation).
#pragma once

#include "fe/material.h"

#include <deal.II/base/point.h>
#include <deal.II/base/symmetric_tensor.h>
#include <deal.II/base/tensor.h>
#include <deal.II/base/vectorization.h>

#include <algorithm>
#include <cmath>

namespace seam::fe
{
  namespace kernel
  {
    using VA = dealii::VectorizedArray<double>;

    /// sym grad u at point q (the gradient itself in 1D, where the field is scalar).
    template <int dim, typename Phi>
    dealii::SymmetricTensor<2, dim, VA> sym_grad(const Phi &phi, unsigned q)
    {
      if constexpr (dim == 1)
        {
          dealii::SymmetricTensor<2, 1, VA> e;
          e[0][0] = phi.get_gradient(q)[0];
          return e;
        }
      else
        return phi.get_symmetric_gradient(q);
    }

    template <int dim, typename Phi>
    void submit_sym_grad(Phi &phi, const dealii::SymmetricTensor<2, dim, VA> &s, unsigned q)
    {
      if constexpr (dim == 1)
        {
          dealii::Tensor<1, 1, VA> g;
          g[0] = s[0][0];
          phi.submit_gradient(g, q);
        }
      else
        phi.submit_symmetric_gradient(s, q);
    }

    /// Submits a full first Piola-Kirchhoff stress as the test-gradient factor at q.
    template <int dim, typename Phi>
    void submit_full_gradient(Phi &phi, const dealii::Tensor<2, dim, VA> &p, unsigned q)
    {
      if constexpr (dim == 1)
        {
          dealii::Tensor<1, 1, VA> t;
          t[0] = p[0][0];
          phi.submit_gradient(t, q);
        }
      else
        phi.submit_gradient(p, q);
    }

    template <int dim, typename Phi>
    VA value_norm_square(const Phi &phi, unsigned q)
    {
      const auto v = phi.get_value(q);
      return v * v; // VA * VA in 1D, Tensor * Tensor (scalar product) otherwise
    }

    /// The same value in every component at q.
    template <int dim, typename Phi>
    void submit_uniform_value(Phi &phi, const VA &value, unsigned q)
    {
      if constexpr (dim == 1)
        phi.submit_value(value, q);
      else
        {
          dealii::Tensor<1, dim, VA> t;
          for (unsigned d = 0; d < dim; ++d)
            t[d] = value;
          phi.submit_value(t, q);
        }
    }

    /// Entry (i, j) of grad u in phi's gradient type (Tensor<1, 1> in 1D, where the field is scalar).
    template <int dim, typename Gradient>
    VA gradient_entry(const Gradient &g, unsigned i, unsigned j)
    {
      if constexpr (dim == 1)
        {
          (void)i;
          (void)j;
          return g[0];
        }
      else
        return g[i][j];
    }

    /// grad u of one lane of a gradient in phi's gradient type.
    template <int dim, typename Gradient>
    dealii::Tensor<2, dim> lane_gradient(const Gradient &g, unsigned lane)
    {
      dealii::Tensor<2, dim> h;
      for (unsigned i = 0; i < dim; ++i)
        for (unsigned j = 0; j < dim; ++j)
          h[i][j] = gradient_entry<dim>(g, i, j)[lane];
      return h;
    }

    /// F = I + grad u.
    template <int dim>
    dealii::Tensor<2, dim> deformation_gradient(const dealii::Tensor<2, dim> &grad_u)
    {
      dealii::Tensor<2, dim> f = grad_u;
      for (unsigned i = 0; i < dim; ++i)
        f[i][i] += 1.0;
      return f;
    }

    template <int dim>
    dealii::Point<dim> lane_point(const dealii::Point<dim, VA> &p, unsigned lane)
    {
      dealii::Point<dim> x;
      for (unsigned d = 0; d < dim; ++d)
        x[d] = p[d][lane];
      return x;
    }
  } // namespace kernel

  /// The material's constants broadcast to the lanes of a cell batch, and its law at Gauss points: the
  /// linearised first Piola-Kirchhoff stress P = C : sym(G) + G . S0 (G = grad u, S0 = initial stress),
  /// or the nonlinear law P(F) - P(I) of Material::strain_energy() (see Elastodynamics' class comment).
  template <int dim>
  class VectorizedMaterial
  {
  public:
    using VA = dealii::VectorizedArray<double>;

    /// Below this |grad u| (every entry, every Gauss point and lane of a cell batch) the nonlinear
    /// material uses its tangent at F = I: the two differ by O(|W'''| |grad u|^2) < 1e-11 |C|.
    static constexpr double linear_threshold = 1e-6;

    explicit VectorizedMaterial(const Material<dim> &material)
    {
      for (unsigned i = 0; i < dim; ++i)
        for (unsigned j = 0; j < dim; ++j)
          for (unsigned k = 0; k < dim; ++k)
            for (unsigned l = 0; l < dim; ++l)
              c_[i][j][k][l] = dealii::make_vectorized_array(material.stiffness()[i][j][k][l]);
      const dealii::SymmetricTensor<2, dim> &s0 = material.initial_stress();
      has_s0_                                   = s0.norm() > 0;
      for (unsigned i = 0; i < dim; ++i)
        for (unsigned j = 0; j < dim; ++j)
          s0_[i][j] = dealii::make_vectorized_array(s0[i][j]);
      law_ = material.strain_energy();
      if (law_ != nullptr)
        {
          // The reference state: W(I) and P(I) of the law itself, so that u = 0 is force free to round-off.
          dealii::Tensor<2, dim> identity;
          for (unsigned i = 0; i < dim; ++i)
            identity[i][i] = 1.0;
          w_ref_ = law_->evaluate(identity, p_ref_);
        }
    }

    const dealii::SymmetricTensor<4, dim, VA> &stiffness() const { return c_; }
    /// S0 != 0: the kernels need the full (non-symmetric) gradient.
    bool has_initial_stress() const { return has_s0_; }
    /// The nonlinear law, or null for a linear material.
    const StrainEnergy<dim> *law() const { return law_; }

    /// Linearised P = C : sym(G) + G . S0 at point q, in phi's gradient type (Tensor<1, 1> in 1D).
    template <typename Phi>
    auto first_piola(const Phi &phi, unsigned q) const
    {
      const auto g = phi.get_gradient(q);
      if constexpr (dim == 1)
        return (c_[0][0][0][0] + s0_[0][0]) * g;
      else
        return dealii::Tensor<2, dim, VA>(c_ * symmetrize(g)) + g * s0_;
    }

    /// grad u : A : grad u = eps : C : eps + G : (G . S0) at point q (twice the linear energy density).
    template <typename Phi>
    VA energy_density(const Phi &phi, unsigned q) const
    {
      const auto eps = kernel::sym_grad<dim>(phi, q);
      VA         e   = eps * (c_ * eps);
      if (has_s0_)
        {
          const auto g = phi.get_gradient(q);
          if constexpr (dim == 1)
            e += g[0] * g[0] * s0_[0][0];
          else
            e += scalar_product(g, g * s0_);
        }
      return e;
    }

    /// The nonlinear law at the lanes of Gauss point q: F = I + grad u per lane, P(F) - P(I) into `p`,
    /// and (if `w` is given) W(F) - W(I) - P(I) : (F - I) into `w`. Lanes >= `lanes` are zero.
    template <typename Phi>
    void law_at_point(const Phi &phi, unsigned q, unsigned lanes, dealii::Tensor<2, dim, VA> &p,
                      VA *w = nullptr) const
    {
      const auto g = phi.get_gradient(q);
      p            = dealii::Tensor<2, dim, VA>();
      if (w != nullptr)
        *w = 0.0;
      for (unsigned l = 0; l < lanes; ++l)
        {
          const dealii::Tensor<2, dim> h = kernel::lane_gradient<dim>(g, l);
          const dealii::Tensor<2, dim> f = kernel::deformation_gradient(h);
          dealii::Tensor<2, dim>       pl;
          const double                 wl = law_->evaluate(f, pl);
          for (unsigned i = 0; i < dim; ++i)
            for (unsigned j = 0; j < dim; ++j)
              p[i][j][l] = pl[i][j] - p_ref_[i][j];
          if (w != nullptr)
            {
              double ref_work = 0.0; // P(I) : grad u
              for (unsigned i = 0; i < dim; ++i)
                for (unsigned j = 0; j < dim; ++j)
                  ref_work += p_ref_[i][j] * h[i][j];
              (*w)[l] = wl - w_ref_ - ref_work;
            }
        }
    }

    /// Cauchy stress J^-1 P F^T - P(I) of the nonlinear law at Gauss point q (lanes >= `lanes` zero).
    template <typename Phi>
    dealii::SymmetricTensor<2, dim, VA> law_cauchy_stress(const Phi &phi, unsigned q, unsigned lanes) const
    {
      const auto                          g = phi.get_gradient(q);
      dealii::SymmetricTensor<2, dim, VA> sigma;
      for (unsigned l = 0; l < lanes; ++l)
        {
          const dealii::Tensor<2, dim> f = kernel::deformation_gradient(kernel::lane_gradient<dim>(g, l));
          dealii::Tensor<2, dim>       p;
          law_->evaluate(f, p);
          const dealii::Tensor<2, dim> s = (1.0 / determinant(f)) * p * transpose(f);
          for (unsigned i = 0; i < dim; ++i)
            for (unsigned j = i; j < dim; ++j)
              sigma[i][j][l] = 0.5 * (s[i][j] + s[j][i]) - p_ref_[i][j];
        }
      return sigma;
    }

    /// True if every entry of grad u at the evaluated Gauss points of phi is below linear_threshold.
    template <typename Phi>
    static bool quiet(const Phi &phi)
    {
      VA m = 0.0;
      for (unsigned q = 0; q < phi.n_q_points; ++q)
        {
          const auto g = phi.get_gradient(q);
          for (unsigned i = 0; i < dim; ++i)
            for (unsigned j = 0; j < dim; ++j)
              m = std::max(m, std::abs(kernel::gradient_entry<dim>(g, i, j)));
        }
      for (unsigned l = 0; l < VA::size(); ++l)
        if (m[l] >= linear_threshold)
          return false;
      return true;
    }

  private:
    dealii::SymmetricTensor<4, dim, VA> c_;
    bool                                has_s0_ = false;
    dealii::Tensor<2, dim, VA>          s0_;
    const StrainEnergy<dim>            *law_ = nullptr; // Material::strain_energy()
    dealii::Tensor<2, dim>              p_ref_;         // P(I) of law_
    double                              w_ref_ = 0;     // W(I) of law_
  };
} // namespace seam::fe
