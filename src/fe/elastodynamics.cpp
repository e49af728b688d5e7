// Explicit elastodynamics: the facade's set-up and the velocity Verlet integrator with dashpots and
// prescribed velocities.
#include "fe/elastodynamics.h"

#include "base/error.h"
#include "base/expression.h"
#include "fe/blending_weights.h"
#include "fe/boundary/boundary_style.h"
#include "fe/elasticity_operator.h"
#include "fe/energies.h"
#include "fe/face_conditions.h"
#include "fe/stable_step.h"
#include "fe/stress_projection.h"
#include "fe/support_point_index.h"
#include "fe/vectorized_material.h"

#include <deal.II/base/mpi.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_values.h>

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <unordered_map>
#include <cmath>

namespace seam::fe
{
  namespace
  {
    using namespace dealii;

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

    for (VectorType *v : {&u_, &v_, &f_, &mass_, &f_user_, &f_traction_})
      mf_.initialize_dof_vector(*v);

    law_at_points_ = std::make_unique<VectorizedMaterial<dim>>(material_);
    weights_       = std::make_unique<BlendingWeights<dim>>(mf_, params_.weight, comm_);
    operator_      = std::make_unique<ElasticityOperator<dim>>(mf_, *law_at_points_, *weights_, p);
    energies_      = std::make_unique<Energies<dim>>(mf_, *law_at_points_, *weights_, material_.density(), comm_);
    weights_->lumped_mass(material_.density(), mass_);
    faces_ = std::make_unique<FaceConditions<dim>>(params_.boundary, dof_handler_, mapping_, material_,
                                                   *u_.get_partitioner());
    if (faces_->has_traction())
      faces_->assemble_traction(0.0, f_traction_);
    lambda_bound_ = fe::max_eigenvalue_bound(mf_, mapping_, fe_, material_, *weights_, params_.weight, comm_);
    stable_dt_    = 2.0 / std::sqrt(lambda_bound_);
    if (params_.cutoff_damping > 0.0)
      {
        // beta(x) = cutoff_damping sqrt(dim) / (c sqrt(sum_d 1 / h_d^2)), h_d the edges of the (axis-
        // parallel, graded) cell at x: cutoff_damping h / c on a cube; on an elongated cell of a graded
        // tensor mesh it follows the cell's highest frequency (its short edges), so that the damping
        // ratio there stays cutoff_damping sqrt(dim), the value the stable step allows for.
        const double c        = material_.max_wave_speed();
        const auto  &mesh_ref = mesh;
        const auto   blend    = params_.weight;
        const double kappa    = params_.cutoff_damping;
        auto beta = [&mesh_ref, blend, kappa, c](const Point<dim> &x) {
          double inv2 = 0.0;
          for (unsigned d = 0; d < dim; ++d)
            {
              const auto &cs = mesh_ref.coordinates(d);
              auto        it = std::upper_bound(cs.begin(), cs.end(), x[d]);
              if (it == cs.begin())
                ++it;
              if (it == cs.end())
                --it;
              const double h = *it - *(it - 1);
              inv2 += 1.0 / (h * h);
            }
          return kappa * std::sqrt(double(dim) / inv2) / c * (blend ? blend(x) : 1.0);
        };
        damping_weights_  = std::make_unique<BlendingWeights<dim>>(mf_, beta, comm_);
        damping_operator_ = std::make_unique<ElasticityOperator<dim>>(mf_, *law_at_points_, *damping_weights_, p);
        mf_.initialize_dof_vector(f_damp_);
        const double zeta = kappa * std::sqrt(double(dim));
        stable_dt_ *= std::sqrt(1.0 + zeta * zeta) - zeta;
      }
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
  bool Elastodynamics<dim>::is_prescribed(unsigned local_index) const
  {
    return faces_->is_prescribed(local_index);
  }

  template <int dim>
  void Elastodynamics<dim>::apply_stiffness(VectorType &dst, const VectorType &src) const
  {
    operator_->apply(dst, src);
  }

  template <int dim>
  double Elastodynamics<dim>::estimate_max_eigenvalue(unsigned iterations) const
  {
    return fe::estimate_max_eigenvalue(mf_, *operator_, mass_, iterations);
  }

  template <int dim>
  void Elastodynamics<dim>::compute_force(double t)
  {
    if (faces_->has_traction() && faces_->traction_depends_on_time())
      faces_->assemble_traction(t, f_traction_);
    // f = K u, or the nonlinear internal force int beta grad N : (P(F) - P(I)); u's ghosts are
    // current, so cell_loop does not exchange.
    operator_->internal_force(f_, u_);
    const bool     traction = faces_->has_traction();
    const unsigned n        = f_.locally_owned_size();
    if (damping_operator_)
      {
        // -K_beta v (v = v_{n+1/2} in force_kick, ghosts current); its work over the step is tallied
        // as dt v^T K_beta v when the step is known (damping_power_).
        damping_operator_->apply(f_damp_, v_);
        double power = 0.0;
        for (unsigned i = 0; i < n; ++i)
          {
            power += v_.local_element(i) * f_damp_.local_element(i);
            f_.local_element(i) += f_damp_.local_element(i);
          }
        damping_power_ = power;
      }
    for (unsigned i = 0; i < n; ++i)
      {
        double fi = -f_.local_element(i) + f_user_.local_element(i);
        if (traction)
          fi += f_traction_.local_element(i);
        f_.local_element(i) = faces_->is_prescribed(i) ? 0.0 : fi;
      }
  }

  template <int dim>
  void Elastodynamics<dim>::apply_prescribed_velocity(double t)
  {
    faces_->apply_prescribed_velocity(v_, t);
  }

  template <int dim>
  void Elastodynamics<dim>::set_initial_conditions(const std::vector<std::string> &displacement,
                                                   const std::vector<std::string> &velocity, double t)
  {
    const auto u_expr = boundary::parse_components(displacement, dim, "initial displacement");
    const auto v_expr = boundary::parse_components(velocity, dim, "initial velocity");
    FEValues<dim> support(mapping_, fe_, Quadrature<dim>(fe_.get_unit_support_points()), update_quadrature_points);
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
              const Point<dim> x   = support.quadrature_point(i);
              const boundary::Coordinates xc{x[0], dim > 1 ? x[1] : 0.0, dim > 2 ? x[2] : 0.0};
              u_.local_element(local) = boundary::evaluate(u_expr[c], xc, t);
              v_.local_element(local) = boundary::evaluate(v_expr[c], xc, t);
            }
      }
    faces_->hold_displacement(u_, t);
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
    for (const auto &node : faces_->dashpots())
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
      if (!faces_->has_dashpot(i))
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
    absorbed_local_ += dt * damping_power_; // v_{n+1/2}^T K_beta v_{n+1/2} over the step
    const unsigned n = u_.locally_owned_size();
    for (unsigned i = 0; i < n; ++i)
      if (!faces_->has_dashpot(i))
        v_.local_element(i) += h * f_.local_element(i) / mass_.local_element(i);
    // Dashpot nodes: (M + dt/2 C) v_{n+1} = M v_{n+1/2} + dt/2 f_{n+1}, a dim x dim solve per node.
    double absorbed = 0;
    for (const auto &node : faces_->dashpots())
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
  double Elastodynamics<dim>::kinetic_energy() const
  {
    return energies_->kinetic(v_, nullptr, nullptr);
  }

  template <int dim>
  double Elastodynamics<dim>::strain_energy() const
  {
    return energies_->strain(u_, nullptr, nullptr);
  }

  template <int dim>
  double Elastodynamics<dim>::kinetic_energy(const Box<dim> &region) const
  {
    return energies_->kinetic(v_, [&region](const Point<dim> &x) { return region.contains(x); }, nullptr);
  }

  template <int dim>
  double Elastodynamics<dim>::strain_energy(const Box<dim> &region) const
  {
    return energies_->strain(u_, [&region](const Point<dim> &x) { return region.contains(x); }, nullptr);
  }

  template <int dim>
  double Elastodynamics<dim>::kinetic_energy(const WeightFunction &weight) const
  {
    return energies_->kinetic(v_, nullptr, weight);
  }

  template <int dim>
  double Elastodynamics<dim>::strain_energy(const WeightFunction &weight) const
  {
    return energies_->strain(u_, nullptr, weight);
  }

  template <int dim>
  double Elastodynamics<dim>::absorbed_energy() const
  {
    return Utilities::MPI::sum(absorbed_local_, comm_);
  }

  template <int dim>
  void Elastodynamics<dim>::save_state(StateOut &out) const
  {
    const unsigned n    = u_.locally_owned_size();
    auto           put  = [&](const char *name, const VectorType &x) {
      std::vector<double> values(n);
      for (unsigned i = 0; i < n; ++i)
        values[i] = x.local_element(i);
      out.put(name, values);
    };
    out.put("n_dofs", std::vector<std::int64_t>{static_cast<std::int64_t>(dof_handler_.n_dofs())});
    put("displacement", u_);
    put("velocity", v_);
    put("force", f_);
    out.put("absorbed", std::vector<double>{absorbed_local_});
    out.put("support", owned_support_points());
  }

  template <int dim>
  std::vector<double> Elastodynamics<dim>::owned_support_points() const
  {
    const auto                                   &owned = dof_handler_.locally_owned_dofs();
    std::vector<double>                           key((dim + 1) * owned.n_elements(), 0.0);
    std::vector<char>                             done(owned.n_elements(), 0);
    std::vector<dealii::types::global_dof_index>  ids(fe_.n_dofs_per_cell());
    for (const auto &cell : dof_handler_.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          cell->get_dof_indices(ids);
          for (unsigned i = 0; i < ids.size(); ++i)
            {
              if (!owned.is_element(ids[i]))
                continue;
              const auto k = owned.index_within_set(ids[i]);
              if (done[k])
                continue;
              done[k]            = 1;
              const auto p       = mapping_.transform_unit_to_real_cell(cell, fe_.unit_support_point(i));
              for (int a = 0; a < dim; ++a)
                key[(dim + 1) * k + a] = p[a];
              key[(dim + 1) * k + dim] = fe_.system_to_component_index(i).first;
            }
        }
    return key;
  }

  template <int dim>
  void Elastodynamics<dim>::load_redistributed(const StateIn &in)
  {
    // Match every owned DoF to the saved one at the same support point and component (the mesh is the
    // same: same deck).
    const auto all_key = in.all_doubles("support");
    const auto u = in.all_doubles("displacement"), v = in.all_doubles("velocity"), f = in.all_doubles("force");
    const auto mine    = owned_support_points();
    if (u.size() != all_key.size() / (dim + 1) || u.size() != dof_handler_.n_dofs())
      throw RuntimeError(fmt::format("the checkpoint's continuum has {} DoFs, this deck's {}: restart with the "
                                     "deck that wrote it",
                                     u.size(), dof_handler_.n_dofs()));
    const SupportPointIndex index(dim, all_key);
    const unsigned          n = u_.locally_owned_size();
    for (unsigned i = 0; i < n; ++i)
      {
        const long k = index.find(&mine[(dim + 1) * i]);
        if (k < 0)
          throw RuntimeError("checkpoint: a DoF of this mesh has no counterpart in the checkpoint's mesh: restart "
                             "with the deck that wrote it");
        u_.local_element(i) = u[k];
        v_.local_element(i) = v[k];
        f_.local_element(i) = f[k];
      }
    u_.update_ghost_values();
    v_.update_ghost_values();
    f_.zero_out_ghost_values();
    absorbed_local_ = 0;
    if (in.reader() == 0)
      for (double a : in.all_doubles("absorbed"))
        absorbed_local_ += a;
  }

  template <int dim>
  void Elastodynamics<dim>::load_state(const StateIn &in)
  {
    if (!in.same_layout())
      {
        load_redistributed(in);
        return;
      }
    const unsigned n   = u_.locally_owned_size();
    auto           get = [&](const char *name, VectorType &x, bool ghosts) {
      const auto values = in.get_doubles(name);
      if (values.size() != n)
        throw RuntimeError(fmt::format("checkpoint: '{}' has {} locally owned entries on this rank, the mesh here "
                                       "{}: restart with the deck and rank count that wrote it",
                                       name, values.size(), n));
      for (unsigned i = 0; i < n; ++i)
        x.local_element(i) = values[i];
      // As the time step leaves them: u and v with current ghosts, the force compressed (ghosts zero;
      // stale ghost entries would be added into the next assembly).
      if (ghosts)
        x.update_ghost_values();
      else
        x.zero_out_ghost_values();
    };
    const auto n_dofs = in.get_int64("n_dofs");
    if (n_dofs.at(0) != static_cast<std::int64_t>(dof_handler_.n_dofs()))
      throw RuntimeError(fmt::format("the checkpoint's continuum has {} DoFs, this deck's {}: restart with the "
                                     "deck that wrote it",
                                     n_dofs.at(0), dof_handler_.n_dofs()));
    get("displacement", u_, true);
    get("velocity", v_, true);
    get("force", f_, false);
    absorbed_local_ = in.get_doubles("absorbed").at(0);
  }

  template <int dim>
  void Elastodynamics<dim>::compute_nodal_stress(std::array<VectorType, dim> &stress) const
  {
    project_nodal_stress<dim>(mf_, *law_at_points_, u_, stress);
  }

  template class Elastodynamics<1>;
  template class Elastodynamics<2>;
  template class Elastodynamics<3>;
} // namespace seam::fe
