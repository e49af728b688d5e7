// Explicit elastodynamics: matrix-free stiffness (with blending weight and initial stress), lumped
// mass, velocity Verlet with dashpots, boundary data, energies and the stable step bound.
#include "fe/elastodynamics.h"

#include "base/error.h"
#include "base/expression.h"

#include <deal.II/base/mpi.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/lac/full_matrix.h>
#include <deal.II/lac/lapack_full_matrix.h>
#include <deal.II/matrix_free/fe_evaluation.h>

#include <fmt/format.h>

#include <cmath>

namespace seam::fe
{
  namespace
  {
    using namespace dealii;
    using VA = VectorizedArray<double>;

    template <int dim, typename Phi>
    SymmetricTensor<2, dim, VA> sym_grad(const Phi &phi, unsigned q)
    {
      if constexpr (dim == 1)
        {
          SymmetricTensor<2, 1, VA> e;
          e[0][0] = phi.get_gradient(q)[0];
          return e;
        }
      else
        return phi.get_symmetric_gradient(q);
    }

    template <int dim, typename Phi>
    void submit_sym_grad(Phi &phi, const SymmetricTensor<2, dim, VA> &s, unsigned q)
    {
      if constexpr (dim == 1)
        {
          Tensor<1, 1, VA> g;
          g[0] = s[0][0];
          phi.submit_gradient(g, q);
        }
      else
        phi.submit_symmetric_gradient(s, q);
    }

    template <int dim, typename Phi>
    VA value_norm_square(const Phi &phi, unsigned q)
    {
      const auto v = phi.get_value(q);
      return v * v; // VA * VA in 1D, Tensor * Tensor (scalar product) otherwise
    }

    /// Linearised first Piola-Kirchhoff stress P = C : sym(G) + G . S0 with G = grad u at point q, in
    /// phi's gradient type (Tensor<1, 1> in 1D, where the field is scalar).
    template <int dim, typename Phi>
    auto first_piola(const Phi &phi, unsigned q, const SymmetricTensor<4, dim, VA> &c,
                     const Tensor<2, dim, VA> &s0)
    {
      const auto g = phi.get_gradient(q);
      if constexpr (dim == 1)
        return (c[0][0][0][0] + s0[0][0]) * g;
      else
        return Tensor<2, dim, VA>(c * symmetrize(g)) + g * s0;
    }

    /// grad u : A : grad u = eps : C : eps + G : (G . S0) at point q (the S0 term only if has_s0).
    template <int dim, typename Phi>
    VA energy_density(const Phi &phi, unsigned q, const SymmetricTensor<4, dim, VA> &c,
                      const Tensor<2, dim, VA> &s0, bool has_s0)
    {
      const auto eps = sym_grad<dim>(phi, q);
      VA         e   = eps * (c * eps);
      if (has_s0)
        {
          const auto g = phi.get_gradient(q);
          if constexpr (dim == 1)
            e += g[0] * g[0] * s0[0][0];
          else
            e += scalar_product(g, g * s0);
        }
      return e;
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

    /// The nonlinear law at the lanes of Gauss point q: F = I + grad u per lane, P(F) - P(I) into `p`,
    /// and (if `w` is given) W(F) - W(I) - P(I) : (F - I) into `w`. Lanes >= `lanes` are zero.
    /// grad u of one lane of a gradient in phi's gradient type.
    template <int dim, typename Gradient>
    Tensor<2, dim> lane_gradient(const Gradient &g, unsigned lane)
    {
      Tensor<2, dim> h;
      for (unsigned i = 0; i < dim; ++i)
        for (unsigned j = 0; j < dim; ++j)
          h[i][j] = gradient_entry<dim>(g, i, j)[lane];
      return h;
    }

    /// F = I + grad u.
    template <int dim>
    Tensor<2, dim> deformation_gradient(const Tensor<2, dim> &grad_u)
    {
      Tensor<2, dim> f = grad_u;
      for (unsigned i = 0; i < dim; ++i)
        f[i][i] += 1.0;
      return f;
    }

    template <int dim, typename Phi>
    void law_at_point(const Phi &phi, unsigned q, unsigned lanes, const StrainEnergy<dim> &law,
                      const Tensor<2, dim> &p_ref, double w_ref, Tensor<2, dim, VA> &p, VA *w = nullptr)
    {
      const auto g = phi.get_gradient(q);
      p            = Tensor<2, dim, VA>();
      if (w != nullptr)
        *w = 0.0;
      for (unsigned l = 0; l < lanes; ++l)
        {
          const Tensor<2, dim> h = lane_gradient<dim>(g, l);
          const Tensor<2, dim> f = deformation_gradient(h);
          Tensor<2, dim>       pl;
          const double         wl = law.evaluate(f, pl);
          for (unsigned i = 0; i < dim; ++i)
            for (unsigned j = 0; j < dim; ++j)
              p[i][j][l] = pl[i][j] - p_ref[i][j];
          if (w != nullptr)
            {
              double ref_work = 0.0; // P(I) : grad u
              for (unsigned i = 0; i < dim; ++i)
                for (unsigned j = 0; j < dim; ++j)
                  ref_work += p_ref[i][j] * h[i][j];
              (*w)[l] = wl - w_ref - ref_work;
            }
        }
    }

    /// Submits a full first Piola-Kirchhoff stress as the test-gradient factor at q.
    template <int dim, typename Phi>
    void submit_full_gradient(Phi &phi, const Tensor<2, dim, VA> &p, unsigned q)
    {
      if constexpr (dim == 1)
        {
          Tensor<1, 1, VA> t;
          t[0] = p[0][0];
          phi.submit_gradient(t, q);
        }
      else
        phi.submit_gradient(p, q);
    }

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

    template <int dim>
    Point<dim> lane_point(const Point<dim, VA> &p, unsigned lane)
    {
      Point<dim> x;
      for (unsigned d = 0; d < dim; ++d)
        x[d] = p[d][lane];
      return x;
    }

    template <int dim, typename Phi>
    void submit_uniform_value(Phi &phi, const VA &value, unsigned q)
    {
      if constexpr (dim == 1)
        phi.submit_value(value, q);
      else
        {
          Tensor<1, dim, VA> t;
          for (unsigned d = 0; d < dim; ++d)
            t[d] = value;
          phi.submit_value(t, q);
        }
    }

    /// Face quadrature whose points are the face nodes of FE_Q(p): lumped (nodal) face integration.
    template <int dim>
    Quadrature<dim - 1> face_nodal_quadrature(unsigned p)
    {
      if constexpr (dim == 1)
        return QGauss<0>(1);
      else
        return QGaussLobatto<dim - 1>(p + 1);
    }

    template <int dim>
    double eval(const Expression &e, const Point<dim> &x, double t)
    {
      return e(x[0], dim > 1 ? x[1] : 0.0, dim > 2 ? x[2] : 0.0, t);
    }

    std::vector<std::unique_ptr<Expression>> parse(const std::vector<std::string> &text, unsigned dim,
                                                   const std::string &what)
    {
      if (text.size() != dim)
        throw InputError(fmt::format("fe {}: expected {} expressions (one per component), got {}", what,
                                     dim, text.size()));
      std::vector<std::unique_ptr<Expression>> out;
      for (unsigned c = 0; c < dim; ++c)
        {
          try
            {
              out.push_back(std::make_unique<Expression>(text[c]));
            }
          catch (const std::exception &e)
            {
              throw InputError(fmt::format("fe {}: component {} expression '{}' is invalid: {}", what,
                                           c, text[c], e.what()));
            }
        }
      return out;
    }

    unsigned checked_degree(unsigned degree)
    {
      if (degree < 1)
        throw InputError(fmt::format("fe degree must be >= 1, got {}", degree));
      return degree;
    }
  } // namespace

  template <int dim>
  Elastodynamics<dim>::Elastodynamics(const Mesh<dim> &mesh, const Material<dim> &material,
                                      const Params &params)
    : comm_(mesh.communicator())
    , material_(material)
    , params_(params)
    , fe_(FE_Q<dim>(checked_degree(params.degree)), dim)
    , mapping_(1)
    , dof_handler_(mesh.triangulation())
  {
    dof_handler_.distribute_dofs(fe_);
    constraints_.close();

    typename MatrixFree<dim, double>::AdditionalData data;
    data.tasks_parallel_scheme = MatrixFree<dim, double>::AdditionalData::none;
    data.mapping_update_flags =
      update_values | update_gradients | update_JxW_values | update_quadrature_points;
    const unsigned             p = params_.degree;
    std::vector<Quadrature<1>> quadratures{QGauss<1>(p + 1), QGaussLobatto<1>(p + 1)};
    mf_.reinit(mapping_, std::vector<const DoFHandler<dim> *>{&dof_handler_},
               std::vector<const AffineConstraints<double> *>{&constraints_}, quadratures, data);

    for (unsigned i = 0; i < dim; ++i)
      for (unsigned j = 0; j < dim; ++j)
        for (unsigned k = 0; k < dim; ++k)
          for (unsigned l = 0; l < dim; ++l)
            c_vec_[i][j][k][l] = make_vectorized_array(material_.stiffness()[i][j][k][l]);
    const SymmetricTensor<2, dim> &s0 = material_.initial_stress();
    has_s0_                           = s0.norm() > 0;
    for (unsigned i = 0; i < dim; ++i)
      for (unsigned j = 0; j < dim; ++j)
        s0_vec_[i][j] = make_vectorized_array(s0[i][j]);

    law_ = material_.strain_energy();
    if (law_ != nullptr)
      {
        // The reference state: W(I) and P(I) of the law itself, so that u = 0 is force free to round-off.
        Tensor<2, dim> identity;
        for (unsigned i = 0; i < dim; ++i)
          identity[i][i] = 1.0;
        w_ref_ = law_->evaluate(identity, p_ref_);
      }

    for (VectorType *v : {&u_, &v_, &f_, &mass_, &f_user_, &f_traction_})
      mf_.initialize_dof_vector(*v);
    prescribed_mask_.assign(u_.locally_owned_size(), false);
    dashpot_mask_.assign(u_.locally_owned_size(), false);

    setup_weights();
    compute_lumped_mass();
    setup_boundary();
    compute_stable_time_step();
    u_.update_ghost_values();
    v_.update_ghost_values();
    compute_force(0.0);
  }

  template <int dim>
  Elastodynamics<dim>::~Elastodynamics() = default;

  template <int dim>
  void Elastodynamics<dim>::initialize_vector(VectorType &v) const
  {
    mf_.initialize_dof_vector(v);
  }

  template <int dim>
  template <int degree>
  void Elastodynamics<dim>::apply_cells(const MatrixFree<dim, double> &mf, VectorType &dst, const VectorType &src,
                                        const std::pair<unsigned, unsigned> &cells) const
  {
    // degree >= 1: compile-time sizes (unrolled sum factorisation, several times faster than -1).
    FEEvaluation<dim, degree, degree < 0 ? 0 : degree + 1, dim, double> phi(mf, 0, 0);
    for (unsigned cell = cells.first; cell < cells.second; ++cell)
      {
        phi.reinit(cell);
        phi.gather_evaluate(src, EvaluationFlags::gradients);
        const VA *w = gauss_weights(cell); // null where beta = 1: the unweighted fast path
        if (!has_s0_)
          {
            if (w == nullptr)
              for (unsigned q = 0; q < phi.n_q_points; ++q)
                submit_sym_grad<dim>(phi, c_vec_ * sym_grad<dim>(phi, q), q);
            else
              for (unsigned q = 0; q < phi.n_q_points; ++q)
                submit_sym_grad<dim>(phi, w[q] * (c_vec_ * sym_grad<dim>(phi, q)), q);
          }
        else
          // P = C : sym(G) + G . S0 is not symmetric: submit the full gradient.
          for (unsigned q = 0; q < phi.n_q_points; ++q)
            {
              const auto p = first_piola<dim>(phi, q, c_vec_, s0_vec_);
              phi.submit_gradient(w == nullptr ? p : w[q] * p, q);
            }
        phi.integrate_scatter(EvaluationFlags::gradients, dst);
      }
  }

  template <int dim>
  template <int degree>
  void Elastodynamics<dim>::law_cells(const MatrixFree<dim, double> &mf, VectorType &dst, const VectorType &src,
                                      const std::pair<unsigned, unsigned> &cells) const
  {
    FEEvaluation<dim, degree, degree < 0 ? 0 : degree + 1, dim, double> phi(mf, 0, 0);
    Tensor<2, dim, VA>                                                   p;
    for (unsigned cell = cells.first; cell < cells.second; ++cell)
      {
        phi.reinit(cell);
        phi.gather_evaluate(src, EvaluationFlags::gradients);
        const VA      *w     = gauss_weights(cell);
        const unsigned lanes = mf.n_active_entries_per_cell_batch(cell);
        if (quiet(phi))
          // |grad u| < linear_threshold everywhere in the batch: the tangent at F = I, C : sym(G) + G . S0,
          // equals P(F) - P(I) to O(|W'''| |G|^2) (below 1e-11 of C here), at a fraction of the cost.
          for (unsigned q = 0; q < phi.n_q_points; ++q)
            {
              const auto pl = first_piola<dim>(phi, q, c_vec_, s0_vec_);
              phi.submit_gradient(w == nullptr ? pl : w[q] * pl, q);
            }
        else
          for (unsigned q = 0; q < phi.n_q_points; ++q)
            {
              law_at_point<dim>(phi, q, lanes, *law_, p_ref_, w_ref_, p);
              submit_full_gradient<dim>(phi, w == nullptr ? p : w[q] * p, q);
            }
        phi.integrate_scatter(EvaluationFlags::gradients, dst);
      }
  }

  template <int dim>
  template <typename Phi>
  bool Elastodynamics<dim>::quiet(const Phi &phi) const
  {
    VA m = 0.0;
    for (unsigned q = 0; q < phi.n_q_points; ++q)
      {
        const auto g = phi.get_gradient(q);
        for (unsigned i = 0; i < dim; ++i)
          for (unsigned j = 0; j < dim; ++j)
            m = std::max(m, std::abs(gradient_entry<dim>(g, i, j)));
      }
    for (unsigned l = 0; l < VA::size(); ++l)
      if (m[l] >= linear_threshold)
        return false;
    return true;
  }

  template <int dim>
  void Elastodynamics<dim>::local_internal_force(const MatrixFree<dim, double> &mf, VectorType &dst,
                                                 const VectorType                    &src,
                                                 const std::pair<unsigned, unsigned> &cells) const
  {
    switch (params_.degree)
      {
        case 1: law_cells<1>(mf, dst, src, cells); break;
        case 2: law_cells<2>(mf, dst, src, cells); break;
        default: law_cells<-1>(mf, dst, src, cells); break;
      }
  }

  template <int dim>
  void Elastodynamics<dim>::local_apply(const MatrixFree<dim, double> &mf, VectorType &dst,
                                        const VectorType &src,
                                        const std::pair<unsigned, unsigned> &cells) const
  {
    switch (params_.degree)
      {
        case 1: apply_cells<1>(mf, dst, src, cells); break;
        case 2: apply_cells<2>(mf, dst, src, cells); break;
        default: apply_cells<-1>(mf, dst, src, cells); break;
      }
  }

  template <int dim>
  void Elastodynamics<dim>::apply_stiffness(VectorType &dst, const VectorType &src) const
  {
    mf_.cell_loop(&Elastodynamics::local_apply, this, dst, src, true);
  }

  template <int dim>
  void Elastodynamics<dim>::setup_weights()
  {
    const WeightFunction &beta = params_.weight;
    if (!beta)
      return;
    FEEvaluation<dim, -1, 0, dim, double> phi_g(mf_, 0, 0), phi_l(mf_, 0, 1);
    const unsigned                        nq    = phi_g.n_q_points;
    const unsigned                        width = VA::size();
    SEAM_ASSERT(phi_l.n_q_points == nq && phi_g.dofs_per_component == nq,
                fmt::format("weights: {} Gauss, {} Gauss-Lobatto points, {} nodes", nq, phi_l.n_q_points,
                            phi_g.dofs_per_component));
    const unsigned n_batches = mf_.n_cell_batches();
    weight_offset_.assign(n_batches, no_weight);
    unit_lane_.assign(std::size_t(n_batches) * width, 1);

    std::vector<VA>       wg(nq), d(nq);
    std::vector<unsigned> node_point(nq); // the Gauss-Lobatto point at lexicographic node I
    unsigned long         n_invalid = 0;
    for (unsigned batch = 0; batch < n_batches; ++batch)
      {
        phi_g.reinit(batch);
        phi_l.reinit(batch);
        const unsigned lanes = mf_.n_active_entries_per_cell_batch(batch);
        std::fill(wg.begin(), wg.end(), make_vectorized_array(1.0));
        bool any = false;
        for (unsigned l = 0; l < lanes; ++l)
          {
            bool unit = true, valid = false;
            for (unsigned q = 0; q < nq; ++q)
              {
                wg[q][l]        = beta(lane_point<dim>(phi_g.quadrature_point(q), l));
                const double wl = beta(lane_point<dim>(phi_l.quadrature_point(q), l));
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
                unit = true; // keep going (and consistent) until the collective check below
              }
            unit_lane_[std::size_t(batch) * width + l] = unit;
            any                                        = any || !unit;
          }
        if (!any)
          continue;

        // HRZ lumping of int beta N_I N_J (rho factored out): d_I = int beta N_I^2 from the nodal
        // unit vector e_I evaluated at the Gauss points, scaled to the cell's int beta.
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
        const unsigned offset  = unsigned(weight_q_.size());
        weight_offset_[batch]  = offset;
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
    // Collective verdict, so that every rank throws alike.
    n_invalid = Utilities::MPI::sum(n_invalid, comm_);
    if (n_invalid > 0)
      throw RuntimeError(fmt::format("fe blending weight: {} cells where the weight is negative, NaN or "
                                     "zero at every Gauss point; expected beta >= 0 and > 0 inside "
                                     "every cell",
                                     n_invalid));
  }

  template <int dim>
  void Elastodynamics<dim>::compute_lumped_mass()
  {
    // Gauss-Lobatto points are FE_Q's nodes, so int rho phi_i with this quadrature is the diagonal of
    // the nodal-quadrature mass matrix (its only non-zero entries). Weighted cells: the HRZ masses,
    // stored as factors on the nodal quadrature weights (setup_weights).
    FEEvaluation<dim, -1, 0, dim, double> phi(mf_, 0, 1);
    const double                          rho = material_.density();
    mass_                                     = 0;
    for (unsigned cell = 0; cell < mf_.n_cell_batches(); ++cell)
      {
        phi.reinit(cell);
        const VA *mw = mass_weights(cell);
        for (unsigned q = 0; q < phi.n_q_points; ++q)
          submit_uniform_value<dim>(phi, mw == nullptr ? make_vectorized_array(rho) : rho * mw[q], q);
        phi.integrate_scatter(EvaluationFlags::values, mass_);
      }
    mass_.compress(VectorOperation::add);
  }

  template <int dim>
  void Elastodynamics<dim>::setup_boundary()
  {
    using Type = BoundaryCondition::Type;
    std::map<unsigned, int> velocity_base;
    for (const auto &[id, bc] : params_.boundary)
      {
        const bool has_value = bc.type == Type::velocity || bc.type == Type::traction;
        if (!has_value && !bc.value.empty())
          throw InputError(fmt::format("fe boundary id {}: this condition takes no value, got {} "
                                       "expressions",
                                       id, bc.value.size()));
        if (bc.type == Type::velocity)
          {
            velocity_base[id] = int(velocity_expr_.size());
            for (auto &e : parse(bc.value, dim, fmt::format("boundary id {} velocity", id)))
              velocity_expr_.push_back(std::move(e));
          }
        else if (bc.type == Type::traction)
          {
            traction_expr_.emplace_back(id, parse(bc.value, dim, fmt::format("boundary id {} traction", id)));
            has_traction_ = true;
            for (const auto &e : traction_expr_.back().second)
              traction_depends_on_t_ = traction_depends_on_t_ || !e->is_time_independent();
          }
      }
    auto type_of = [&](types::boundary_id id) {
      const auto it = params_.boundary.find(id);
      return it == params_.boundary.end() ? Type::free : it->second.type;
    };

    const IndexSet                      &owned = dof_handler_.locally_owned_dofs();
    const auto                          &part  = *u_.get_partitioner();
    const unsigned                       n     = fe_.n_dofs_per_cell();
    std::vector<types::global_dof_index> dofs(n);

    // Prescribed DoFs. Ghost cells are visited too: an owned node may lie on a boundary face of a
    // neighbour's cell only (re-entrant corners of the hole).
    FEValues<dim> support(mapping_, fe_, Quadrature<dim>(fe_.get_unit_support_points()),
                          update_quadrature_points);
    std::map<types::global_dof_index, Prescribed> prescribed;
    for (const auto &cell : dof_handler_.active_cell_iterators())
      {
        if (cell->is_artificial() || !cell->at_boundary())
          continue;
        bool ready = false;
        for (const auto f : cell->face_indices())
          {
            if (!cell->face(f)->at_boundary())
              continue;
            const types::boundary_id id   = cell->face(f)->boundary_id();
            const Type               type = type_of(id);
            if (type != Type::fixed && type != Type::velocity)
              continue;
            if (!ready)
              {
                support.reinit(cell);
                cell->get_dof_indices(dofs);
                ready = true;
              }
            for (unsigned i = 0; i < n; ++i)
              {
                if (!fe_.has_support_on_face(i, f) || !owned.is_element(dofs[i]))
                  continue;
                const unsigned c    = fe_.system_to_component_index(i).first;
                const int      expr = type == Type::fixed ? -1 : velocity_base[id] + int(c);
                const auto [it, inserted] = prescribed.try_emplace(
                  dofs[i], Prescribed{part.global_to_local(dofs[i]), c, support.quadrature_point(i), expr});
                if (!inserted && expr == -1)
                  it->second.expr = -1; // fixed wins over velocity
              }
          }
      }
    for (const auto &[g, pr] : prescribed)
      {
        prescribed_.push_back(pr);
        prescribed_mask_[pr.local] = true;
      }

    // Dashpots, lumped on the face nodes.
    FEFaceValues<dim> face(mapping_, fe_, face_nodal_quadrature<dim>(params_.degree),
                           update_values | update_JxW_values | update_normal_vectors);
    std::map<types::global_dof_index, DashpotNode> nodes;
    for (const auto &cell : dof_handler_.active_cell_iterators())
      {
        if (cell->is_artificial() || !cell->at_boundary())
          continue;
        for (const auto f : cell->face_indices())
          {
            if (!cell->face(f)->at_boundary() || type_of(cell->face(f)->boundary_id()) != Type::absorbing)
              continue;
            face.reinit(cell, f);
            cell->get_dof_indices(dofs);
            for (unsigned q = 0; q < face.n_quadrature_points; ++q)
              {
                std::array<types::global_dof_index, dim> node{};
                unsigned                                 found = 0;
                for (unsigned i = 0; i < n; ++i)
                  if (fe_.has_support_on_face(i, f) && std::abs(face.shape_value(i, q)) > 0.5)
                    {
                      node[fe_.system_to_component_index(i).first] = dofs[i];
                      ++found;
                    }
                SEAM_ASSERT(found == dim, fmt::format("dashpot: {} DoFs at a face node", found));
                if (!owned.is_element(node[0]))
                  continue; // all DoFs of a node have the same owner
                bool is_prescribed = false;
                for (unsigned c = 0; c < dim; ++c)
                  is_prescribed = is_prescribed || prescribed.count(node[c]);
                if (is_prescribed)
                  continue;
                const Tensor<2, dim> z = material_.impedance(face.normal_vector(q));
                auto [it, inserted]    = nodes.try_emplace(node[0]);
                if (inserted)
                  for (unsigned c = 0; c < dim; ++c)
                    it->second.local[c] = part.global_to_local(node[c]);
                it->second.c += face.JxW(q) * z;
              }
          }
      }
    for (const auto &[g, node] : nodes)
      {
        dashpots_.push_back(node);
        for (unsigned c = 0; c < dim; ++c)
          dashpot_mask_[node.local[c]] = true;
      }

    if (has_traction_)
      assemble_traction(0.0);
  }

  template <int dim>
  void Elastodynamics<dim>::assemble_traction(double t)
  {
    f_traction_ = 0;
    FEFaceValues<dim> face(mapping_, fe_, QGauss<dim - 1>(params_.degree + 1),
                           update_values | update_JxW_values | update_quadrature_points);
    const unsigned                       n = fe_.n_dofs_per_cell();
    std::vector<types::global_dof_index> dofs(n);
    Vector<double>                       cell_rhs(n);
    for (const auto &cell : dof_handler_.active_cell_iterators())
      {
        if (!cell->is_locally_owned() || !cell->at_boundary())
          continue;
        for (const auto f : cell->face_indices())
          {
            if (!cell->face(f)->at_boundary())
              continue;
            for (const auto &[id, expr] : traction_expr_)
              {
                if (cell->face(f)->boundary_id() != id)
                  continue;
                face.reinit(cell, f);
                cell->get_dof_indices(dofs);
                cell_rhs = 0;
                for (unsigned q = 0; q < face.n_quadrature_points; ++q)
                  {
                    std::array<double, dim> tq;
                    for (unsigned c = 0; c < dim; ++c)
                      tq[c] = eval(*expr[c], face.quadrature_point(q), t);
                    for (unsigned i = 0; i < n; ++i)
                      cell_rhs(i) += face.shape_value(i, q) * tq[fe_.system_to_component_index(i).first] *
                                     face.JxW(q);
                  }
                for (unsigned i = 0; i < n; ++i)
                  f_traction_(dofs[i]) += cell_rhs(i);
              }
          }
      }
    f_traction_.compress(VectorOperation::add);
  }

  template <int dim>
  void Elastodynamics<dim>::compute_force(double t)
  {
    if (has_traction_ && traction_depends_on_t_)
      assemble_traction(t);
    // f = K u, or the nonlinear internal force int beta grad N : (P(F) - P(I)); u's ghosts are
    // current, so cell_loop does not exchange.
    if (law_ == nullptr)
      apply_stiffness(f_, u_);
    else
      mf_.cell_loop(&Elastodynamics::local_internal_force, this, f_, u_, true);
    const unsigned n = f_.locally_owned_size();
    for (unsigned i = 0; i < n; ++i)
      {
        double fi = -f_.local_element(i) + f_user_.local_element(i);
        if (has_traction_)
          fi += f_traction_.local_element(i);
        f_.local_element(i) = prescribed_mask_[i] ? 0.0 : fi;
      }
  }

  template <int dim>
  void Elastodynamics<dim>::apply_prescribed_velocity(double t)
  {
    for (const Prescribed &p : prescribed_)
      v_.local_element(p.local) = p.expr < 0 ? 0.0 : eval(*velocity_expr_[p.expr], p.x, t);
  }

  template <int dim>
  void Elastodynamics<dim>::set_initial_conditions(const std::vector<std::string> &displacement,
                                                   const std::vector<std::string> &velocity, double t)
  {
    const auto u_expr = parse(displacement, dim, "initial displacement");
    const auto v_expr = parse(velocity, dim, "initial velocity");
    FEValues<dim> support(mapping_, fe_, Quadrature<dim>(fe_.get_unit_support_points()),
                          update_quadrature_points);
    const IndexSet                      &owned = dof_handler_.locally_owned_dofs();
    const auto                          &part  = *u_.get_partitioner();
    std::vector<types::global_dof_index> dofs(fe_.n_dofs_per_cell());
    for (const auto &cell : dof_handler_.active_cell_iterators())
      {
        if (!cell->is_locally_owned())
          continue;
        support.reinit(cell);
        cell->get_dof_indices(dofs);
        for (unsigned i = 0; i < dofs.size(); ++i)
          if (owned.is_element(dofs[i]))
            {
              const unsigned c     = fe_.system_to_component_index(i).first;
              const unsigned local = part.global_to_local(dofs[i]);
              u_.local_element(local) = eval(*u_expr[c], support.quadrature_point(i), t);
              v_.local_element(local) = eval(*v_expr[c], support.quadrature_point(i), t);
            }
      }
    for (const Prescribed &p : prescribed_)
      if (p.expr < 0)
        u_.local_element(p.local) = 0.0;
    apply_prescribed_velocity(t);
    absorbed_local_ = 0;
    u_.update_ghost_values();
    v_.update_ghost_values();
    compute_force(t);
  }

  template <int dim>
  void Elastodynamics<dim>::kick_drift(double t, double dt)
  {
    kick(t, dt);
    drift(dt);
  }

  template <int dim>
  void Elastodynamics<dim>::kick(double t, double dt)
  {
    const double h = 0.5 * dt;
    // Dashpot nodes: explicit half kick with the dashpot force of v_n.
    double absorbed = 0;
    for (const DashpotNode &node : dashpots_)
      {
        Tensor<1, dim> v;
        for (unsigned c = 0; c < dim; ++c)
          v[c] = v_.local_element(node.local[c]);
        const Tensor<1, dim> cv = node.c * v;
        absorbed += h * (v * cv);
        for (unsigned c = 0; c < dim; ++c)
          v_.local_element(node.local[c]) +=
            h * (f_.local_element(node.local[c]) - cv[c]) / mass_.local_element(node.local[c]);
      }
    absorbed_local_ += absorbed;
    const unsigned n = u_.locally_owned_size();
    for (unsigned i = 0; i < n; ++i)
      if (!dashpot_mask_[i])
        v_.local_element(i) += h * f_.local_element(i) / mass_.local_element(i);
    apply_prescribed_velocity(t + h);
    v_.update_ghost_values();
  }

  template <int dim>
  void Elastodynamics<dim>::drift(double dt)
  {
    const unsigned n = u_.locally_owned_size();
    for (unsigned i = 0; i < n; ++i)
      u_.local_element(i) += dt * v_.local_element(i);
    u_.update_ghost_values();
  }

  template <int dim>
  void Elastodynamics<dim>::force_kick(double t, double dt)
  {
    const double h = 0.5 * dt;
    compute_force(t + dt);
    const unsigned n = u_.locally_owned_size();
    for (unsigned i = 0; i < n; ++i)
      if (!dashpot_mask_[i])
        v_.local_element(i) += h * f_.local_element(i) / mass_.local_element(i);
    // Dashpot nodes: (M + dt/2 C) v_{n+1} = M v_{n+1/2} + dt/2 f_{n+1}, a dim x dim solve per node.
    double absorbed = 0;
    for (const DashpotNode &node : dashpots_)
      {
        Tensor<2, dim> a = h * node.c;
        Tensor<1, dim> rhs;
        for (unsigned c = 0; c < dim; ++c)
          {
            const unsigned l = node.local[c];
            a[c][c] += mass_.local_element(l);
            rhs[c] = mass_.local_element(l) * v_.local_element(l) + h * f_.local_element(l);
          }
        const Tensor<1, dim> v = invert(a) * rhs;
        absorbed += h * (v * (node.c * v));
        for (unsigned c = 0; c < dim; ++c)
          v_.local_element(node.local[c]) = v[c];
      }
    absorbed_local_ += absorbed;
    apply_prescribed_velocity(t + dt);
    v_.update_ghost_values();
  }

  template <int dim>
  void Elastodynamics<dim>::step(double t, double dt)
  {
    kick_drift(t, dt);
    force_kick(t, dt);
  }

  template <int dim>
  void Elastodynamics<dim>::compute_stable_time_step()
  {
    const unsigned p = params_.degree;
    const unsigned n = fe_.n_dofs_per_cell();
    FEValues<dim>  fk(mapping_, fe_, QGauss<dim>(p + 1),
                      update_values | update_gradients | update_JxW_values | update_quadrature_points);
    FEValues<dim>  fm(mapping_, fe_, QGaussLobatto<dim>(p + 1), update_values | update_JxW_values);
    const FEValuesExtractors::Vector disp(0);
    const SymmetricTensor<4, dim>   &c   = material_.stiffness();
    const Tensor<2, dim>             s0  = material_.initial_stress();
    const double                     rho = material_.density();

    // Element problems of unweighted cells depend only on the cell's shape: cache by vertex offsets
    // relative to the diameter (quantised at 1e-9) and the diameter itself. Weighted cells (the
    // kernel's per-lane flags) are solved one by one with K~_e and the HRZ masses of M~.
    std::map<std::vector<long long>, double> cache;
    std::vector<SymmetricTensor<2, dim>>     eps(n), sig(n);
    std::vector<Tensor<2, dim>>              grad(n), grad_s0(n);
    std::vector<double>                      beta_q(fk.n_quadrature_points, 1.0);
    FullMatrix<double>                       k(n, n);
    std::vector<double>                      m(n);
    double                                   lmax = 0;
    for (unsigned batch = 0; batch < mf_.n_cell_batches(); ++batch)
      for (unsigned lane = 0; lane < mf_.n_active_entries_per_cell_batch(batch); ++lane)
        {
          const auto cell     = mf_.get_cell_iterator(batch, lane);
          const bool weighted = !unit_lane_.empty() && !unit_lane_[std::size_t(batch) * VA::size() + lane];
          std::vector<long long> key;
          if (!weighted)
            {
              const double diam = cell->diameter();
              key.push_back(std::llround(std::log(diam) * 1e9));
              for (const unsigned v : cell->vertex_indices())
                for (unsigned d = 0; d < dim; ++d)
                  key.push_back(std::llround((cell->vertex(v)[d] - cell->vertex(0)[d]) / diam * 1e9));
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
            beta_q[q] = weighted ? params_.weight(fk.quadrature_point(q)) : 1.0;
          k = 0;
          for (unsigned q = 0; q < fk.n_quadrature_points; ++q)
            {
              for (unsigned i = 0; i < n; ++i)
                {
                  eps[i] = fk[disp].symmetric_gradient(i, q);
                  sig[i] = c * eps[i];
                  if (has_s0_)
                    {
                      grad[i]    = fk[disp].gradient(i, q);
                      grad_s0[i] = grad[i] * s0;
                    }
                }
              const double bw = beta_q[q] * fk.JxW(q);
              for (unsigned i = 0; i < n; ++i)
                for (unsigned j = 0; j < n; ++j)
                  k(i, j) += (eps[i] * sig[j] + (has_s0_ ? scalar_product(grad[i], grad_s0[j]) : 0.0)) * bw;
            }
          std::fill(m.begin(), m.end(), 0.0);
          if (!weighted)
            for (unsigned q = 0; q < fm.n_quadrature_points; ++q)
              for (unsigned i = 0; i < n; ++i)
                m[i] += rho * fm.shape_value(i, q) * fm.shape_value(i, q) * fm.JxW(q);
          else
            {
              // HRZ, as in setup_weights: d_i = int beta rho N_i^2 scaled to int beta rho per component.
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
          LAPACKFullMatrix<double> a(n, n);
          for (unsigned i = 0; i < n; ++i)
            for (unsigned j = 0; j < n; ++j)
              a(i, j) = k(i, j) / std::sqrt(m[i] * m[j]);
          a.compute_eigenvalues(false, false);
          double le = 0;
          for (unsigned i = 0; i < n; ++i)
            le = std::max(le, a.eigenvalue(i).real());
          if (!weighted)
            cache.emplace(key, le);
          lmax = std::max(lmax, le);
        }
    lambda_bound_ = Utilities::MPI::max(lmax, comm_);
    stable_dt_    = 2.0 / std::sqrt(lambda_bound_);
  }

  template <int dim>
  double Elastodynamics<dim>::estimate_max_eigenvalue(unsigned iterations) const
  {
    VectorType x, y;
    initialize_vector(x);
    initialize_vector(y);
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
          x.local_element(i) /= norm * std::sqrt(mass_.local_element(i));
        apply_stiffness(y, x); // y = K M^-1/2 x
        for (unsigned i = 0; i < n; ++i)
          {
            const double s     = std::sqrt(mass_.local_element(i));
            x.local_element(i) *= s;
            y.local_element(i) /= s;
          }
        rayleigh = (x * y) / (x * x);
        x.swap(y);
      }
    return rayleigh;
  }

  template <int dim>
  double Elastodynamics<dim>::energy(bool kinetic,
                                     const std::function<bool(const Point<dim> &)> &cell_filter,
                                     const WeightFunction                          &weight) const
  {
    FEEvaluation<dim, -1, 0, dim, double> phi(mf_, 0, kinetic ? 1 : 0);
    const VectorType                     &src = kinetic ? v_ : u_;
    const double                          rho = material_.density();
    double                                sum = 0;
    for (unsigned cell = 0; cell < mf_.n_cell_batches(); ++cell)
      {
        const unsigned lanes = mf_.n_active_entries_per_cell_batch(cell);
        VA             lane_weight = 0.0;
        bool           any         = false;
        for (unsigned l = 0; l < lanes; ++l)
          {
            const bool in = !cell_filter || cell_filter(mf_.get_cell_iterator(cell, l)->center());
            lane_weight[l] = in ? 1.0 : 0.0;
            any            = any || in;
          }
        if (!any)
          continue;
        phi.reinit(cell);
        phi.read_dof_values_plain(src);
        phi.evaluate(kinetic ? EvaluationFlags::values : EvaluationFlags::gradients);
        // Params::weight: beta at the Gauss points, or the HRZ factors at the nodes (null where 1).
        const VA *beta = kinetic ? mass_weights(cell) : gauss_weights(cell);
        // The same linear/nonlinear choice per batch as the force (law_cells), so E and f agree.
        const bool quiet_batch = !kinetic && law_ != nullptr && quiet(phi);
        for (unsigned q = 0; q < phi.n_q_points; ++q)
          {
            VA e;
            if (kinetic)
              e = rho * value_norm_square<dim>(phi, q);
            else if (law_ == nullptr || quiet_batch)
              e = energy_density<dim>(phi, q, c_vec_, s0_vec_, has_s0_);
            else
              {
                Tensor<2, dim, VA> p;
                law_at_point<dim>(phi, q, lanes, *law_, p_ref_, w_ref_, p, &e);
                e *= 2.0; // the sum is halved below
              }
            VA w = lane_weight;
            if (beta != nullptr)
              w *= beta[q];
            if (weight)
              {
                const Point<dim, VA> xq = phi.quadrature_point(q);
                for (unsigned l = 0; l < lanes; ++l)
                  {
                    Point<dim> x;
                    for (unsigned d = 0; d < dim; ++d)
                      x[d] = xq[d][l];
                    w[l] *= weight(x);
                  }
              }
            const VA contribution = e * phi.JxW(q) * w;
            for (unsigned l = 0; l < lanes; ++l)
              sum += contribution[l];
          }
      }
    return 0.5 * Utilities::MPI::sum(sum, comm_);
  }

  template <int dim>
  double Elastodynamics<dim>::kinetic_energy() const
  {
    return energy(true, nullptr, nullptr);
  }

  template <int dim>
  double Elastodynamics<dim>::strain_energy() const
  {
    return energy(false, nullptr, nullptr);
  }

  template <int dim>
  double Elastodynamics<dim>::kinetic_energy(const Box<dim> &region) const
  {
    return energy(true, [&region](const Point<dim> &x) { return region.contains(x); }, nullptr);
  }

  template <int dim>
  double Elastodynamics<dim>::strain_energy(const Box<dim> &region) const
  {
    return energy(false, [&region](const Point<dim> &x) { return region.contains(x); }, nullptr);
  }

  template <int dim>
  double Elastodynamics<dim>::kinetic_energy(const WeightFunction &weight) const
  {
    return energy(true, nullptr, weight);
  }

  template <int dim>
  double Elastodynamics<dim>::strain_energy(const WeightFunction &weight) const
  {
    return energy(false, nullptr, weight);
  }

  template <int dim>
  void Elastodynamics<dim>::compute_nodal_stress(std::array<VectorType, dim> &stress) const
  {
    VectorType volume; // int phi_k dx: the row sums of the consistent (unit-density) mass matrix
    initialize_vector(volume);
    for (VectorType &s : stress)
      initialize_vector(s);
    FEEvaluation<dim, -1, 0, dim, double> phi_u(mf_, 0, 0), phi_s(mf_, 0, 0);
    for (unsigned cell = 0; cell < mf_.n_cell_batches(); ++cell)
      {
        phi_u.reinit(cell);
        phi_s.reinit(cell);
        phi_u.read_dof_values_plain(u_);
        phi_u.evaluate(EvaluationFlags::gradients);
        for (unsigned q = 0; q < phi_s.n_q_points; ++q)
          submit_uniform_value<dim>(phi_s, make_vectorized_array(1.0), q);
        phi_s.integrate_scatter(EvaluationFlags::values, volume);
        for (unsigned i = 0; i < dim; ++i)
          {
            for (unsigned q = 0; q < phi_u.n_q_points; ++q)
              {
                // C : eps only: S0 is the reference state's stress (see the header). With a nonlinear
                // law: the Cauchy stress J^-1 P F^T minus that of the reference.
                const SymmetricTensor<2, dim, VA> sigma =
                  law_ == nullptr ? c_vec_ * sym_grad<dim>(phi_u, q) : law_cauchy_stress(phi_u, q, cell);
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
    for (VectorType &s : stress)
      {
        s.compress(VectorOperation::add);
        for (unsigned k = 0; k < s.locally_owned_size(); ++k)
          s.local_element(k) /= volume.local_element(k);
        s.update_ghost_values();
      }
  }

  template <int dim>
  template <typename Phi>
  SymmetricTensor<2, dim, VA> Elastodynamics<dim>::law_cauchy_stress(const Phi &phi, unsigned q, unsigned cell) const
  {
    const unsigned     lanes = mf_.n_active_entries_per_cell_batch(cell);
    const auto         g     = phi.get_gradient(q);
    SymmetricTensor<2, dim, VA> sigma;
    for (unsigned l = 0; l < lanes; ++l)
      {
        const Tensor<2, dim> f = deformation_gradient(lane_gradient<dim>(g, l));
        Tensor<2, dim>       p;
        law_->evaluate(f, p);
        const Tensor<2, dim> s = (1.0 / determinant(f)) * p * transpose(f);
        for (unsigned i = 0; i < dim; ++i)
          for (unsigned j = i; j < dim; ++j)
            sigma[i][j][l] = 0.5 * (s[i][j] + s[j][i]) - p_ref_[i][j];
      }
    return sigma;
  }

  template <int dim>
  double Elastodynamics<dim>::absorbed_energy() const
  {
    return Utilities::MPI::sum(absorbed_local_, comm_);
  }

  template class Elastodynamics<1>;
  template class Elastodynamics<2>;
  template class Elastodynamics<3>;
} // namespace seam::fe
