// The continuum side of the handshake: atom location, transfers and the constraint solve.
#include "coupling/fe_band.h"

#include "base/error.h"

#include <deal.II/base/mpi.h>
#include <deal.II/base/point.h>
#include <deal.II/lac/solver_cg.h>
#include <deal.II/lac/solver_control.h>
#include <deal.II/lac/vector.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <mpi.h>

namespace seam::coupling
{
  namespace
  {
    /// Index of the interval [c_i, c_i+1) of the sorted coordinates c containing x (clamped).
    unsigned interval(const std::vector<double> &c, double x)
    {
      const auto it = std::upper_bound(c.begin(), c.end(), x);
      long       i  = static_cast<long>(it - c.begin()) - 1;
      i             = std::clamp(i, 0L, static_cast<long>(c.size()) - 2);
      return static_cast<unsigned>(i);
    }

    /// The per-rank vectors of Utilities::MPI::all_gather, concatenated in rank order.
    template <typename T>
    std::vector<T> concatenated(const std::vector<std::vector<T>> &per_rank)
    {
      std::vector<T> all;
      for (const auto &v : per_rank)
        all.insert(all.end(), v.begin(), v.end());
      return all;
    }
  } // namespace

  template <int dim>
  std::uint64_t FeBand<dim>::key(const std::array<unsigned, 3> &idx) const
  {
    std::uint64_t k = 0;
    for (int d = dim - 1; d >= 0; --d)
      k = k * (mesh_.coordinates(d).size() + 1) + idx[d];
    return k;
  }

  template <int dim>
  bool FeBand<dim>::cell_exists(const std::array<unsigned, 3> &idx) const
  {
    // Cells are removed exactly when their centre lies in the hole (the MD-only core).
    const auto &hole = mesh_.params().hole;
    if (!hole)
      return true;
    for (int d = 0; d < dim; ++d)
      {
        const auto  &c      = mesh_.coordinates(d);
        const double centre = 0.5 * (c[idx[d]] + c[idx[d] + 1]);
        if (centre < hole->lo[d] || centre > hole->hi[d])
          return true;
      }
    return false;
  }

  template <int dim>
  FeBand<dim>::FeBand(const fe::Mesh<dim> &mesh, fe::Elastodynamics<dim> &fe, const Handshake &handshake,
                      const Params &params)
    : mesh_(mesh)
    , fe_(fe)
    , hs_(handshake)
    , params_(params)
  {
    const auto &fes = fe_.fe();
    component_.resize(fes.dofs_per_cell);
    for (unsigned i = 0; i < fes.dofs_per_cell; ++i)
      component_[i] = fes.system_to_component_index(i).first;
    const auto &part = fe_.displacement().get_partitioner();
    std::vector<dealii::types::global_dof_index> dofs(fes.dofs_per_cell);
    for (const auto &cell : fe_.dof_handler().active_cell_iterators())
      {
        if (!cell->is_locally_owned())
          continue;
        const dealii::Point<dim> c = cell->center();
        std::array<unsigned, 3>  idx{{0, 0, 0}};
        std::array<double, 2 * dim> box{};
        for (int d = 0; d < dim; ++d)
          {
            idx[d]         = interval(mesh_.coordinates(d), c[d]);
            box[2 * d]     = mesh_.coordinates(d)[idx[d]];
            box[2 * d + 1] = mesh_.coordinates(d)[idx[d] + 1];
          }
        cell->get_dof_indices(dofs);
        std::vector<unsigned> local(dofs.size());
        for (std::size_t i = 0; i < dofs.size(); ++i)
          local[i] = part->global_to_local(dofs[i]);
        owned_cells_.emplace(key(idx), static_cast<unsigned>(cell_dofs_.size()));
        cell_dofs_.push_back(std::move(local));
        cell_box_.push_back(box);
      }
    fe_.initialize_vector(precond_);
    fe_.initialize_vector(target_);
    fe_.initialize_vector(inv_mass_);
    fe_.initialize_vector(t1_);
    fe_.initialize_vector(t2_);
    fe_.initialize_vector(lambda_);
    fe_.initialize_vector(last_increment_);
    fe_.initialize_vector(rhs_);
    fe_.initialize_vector(increment_);
  }

  template <int dim>
  long FeBand<dim>::owning_cell(const Vec3 &X) const
  {
    // The half-open cell first; on cell faces that border the hole, the existing neighbour (fixed
    // order of candidates, the same on every rank).
    std::array<std::array<unsigned, 2>, 3> cand{};
    std::array<int, 3>                     n_cand{{1, 1, 1}};
    for (int d = 0; d < dim; ++d)
      {
        const auto &c = mesh_.coordinates(d);
        cand[d][0]    = interval(c, X[d]);
        if (cand[d][0] > 0 && X[d] == c[cand[d][0]])
          {
            cand[d][1] = cand[d][0] - 1;
            n_cand[d]  = 2;
          }
      }
    for (int k = 0; k < n_cand[2]; ++k)
      for (int j = 0; j < n_cand[1]; ++j)
        for (int i = 0; i < n_cand[0]; ++i)
          {
            const std::array<unsigned, 3> idx{{cand[0][i], cand[1][j], cand[2][k]}};
            if (!cell_exists(idx))
              continue;
            const auto it = owned_cells_.find(key(idx));
            return it == owned_cells_.end() ? -1 : static_cast<long>(it->second);
          }
    return -1;
  }

  template <int dim>
  bool FeBand<dim>::owns(const Vec3 &X) const
  {
    return owning_cell(X) >= 0;
  }

  template <int dim>
  void FeBand<dim>::add_atom(GlobalId id, const Vec3 &X)
  {
    const long cell = owning_cell(X);
    SEAM_ASSERT(cell >= 0, "FeBand::add_atom: the atom's cell is not owned here");
    Slot s;
    s.id   = id;
    s.X    = X;
    s.mass = params_.atom_mass * std::max(hs_.alpha(X), params_.mass_floor);
    s.cell = static_cast<unsigned>(cell);
    // Reference coordinates in the axis-aligned box cell (exact for the tensor-product mesh).
    const auto        &box = cell_box_[s.cell];
    dealii::Point<dim> xi;
    for (int d = 0; d < dim; ++d)
      xi[d] = std::clamp((X[d] - box[2 * d]) / (box[2 * d + 1] - box[2 * d]), 0.0, 1.0);
    const auto &fes = fe_.fe();
    s.shape.resize(fes.dofs_per_cell);
    for (unsigned q = 0; q < fes.dofs_per_cell; ++q)
      s.shape[q] = fes.shape_value(q, xi);
    slots_.push_back(std::move(s));
  }

  template <int dim>
  void FeBand<dim>::finalize()
  {
    std::sort(slots_.begin(), slots_.end(), [](const Slot &a, const Slot &b) { return a.id < b.id; });
    slot_of_.clear();
    for (std::size_t i = 0; i < slots_.size(); ++i)
      slot_of_[slots_[i].id] = i;

    // M~^-1 on owned DoFs (0 for prescribed ones: infinitely heavy), ghosts updated.
    const auto &mass = fe_.lumped_mass();
    inv_mass_        = 0;
    for (unsigned i = 0; i < mass.locally_owned_size(); ++i)
      inv_mass_.local_element(i) = fe_.is_prescribed(i) ? 0.0 : 1.0 / mass.local_element(i);
    inv_mass_.update_ghost_values();

    target_ = 0;
    if (params_.solver == Params::Solver::direct)
      factorize_direct();
    else
      build_jacobi();
  }

  template <int dim>
  void FeBand<dim>::build_jacobi()
  {
    // Jacobi preconditioner: sum_a N^2 / m_a + (sum_a N^2)^2 / M (the diagonal of S up to the
    // off-diagonal part of C, which is enough for a preconditioner); 1 where no atom touches.
    t1_ = 0;
    t2_ = 0;
    for (const Slot &s : slots_)
      {
        const auto &dofs = cell_dofs_[s.cell];
        for (std::size_t q = 0; q < dofs.size(); ++q)
          {
            t1_.local_element(dofs[q]) += s.shape[q] * s.shape[q] / s.mass;
            t2_.local_element(dofs[q]) += s.shape[q] * s.shape[q];
          }
      }
    t1_.compress(dealii::VectorOperation::add);
    t2_.compress(dealii::VectorOperation::add);
    for (unsigned i = 0; i < precond_.locally_owned_size(); ++i)
      {
        const double c = t2_.local_element(i);
        const double d = t1_.local_element(i) + c * c * inv_mass_.local_element(i);
        precond_.local_element(i) = d > 0 ? 1.0 / d : 0.0;
      }
  }

  template <int dim>
  void FeBand<dim>::factorize_direct()
  {
    using Index      = unsigned long long;
    const MPI_Comm c = fe_.communicator();
    const auto    &part = *inv_mass_.get_partitioner();
    const auto    &fes  = fe_.fe();
    const unsigned nq   = fes.dofs_per_cell;

    // The node siblings of every cell DoF: sibling[q][k] is the cell DoF of component k at q's node.
    std::vector<std::array<unsigned, dim>> sibling(nq);
    for (unsigned q = 0; q < nq; ++q)
      for (unsigned q2 = 0; q2 < nq; ++q2)
        if (fes.system_to_component_index(q2).second == fes.system_to_component_index(q).second)
          sibling[q][fes.system_to_component_index(q2).first] = q2;
    // Every component sees the same scalar matrix (same shape functions, atom masses and C) unless the
    // FE masses differ between the components of a node (a prescribed component): then the dim blocks
    // differ and the whole system is factorised.
    int differs = 0;
    for (const Slot &sl : slots_)
      for (unsigned q = 0; q < nq; ++q)
        for (int k = 1; k < dim; ++k)
          {
            const auto &dofs = cell_dofs_[sl.cell];
            if (inv_mass_.local_element(dofs[sibling[q][0]]) != inv_mass_.local_element(dofs[sibling[q][k]]))
              differs = 1;
          }
    const bool scalar = dealii::Utilities::MPI::max(differs, c) == 0;
    blocks_           = scalar ? dim : 1;

    // This rank's entries of A = B M_a^-1 B^T and C = sum_a N N^T by global row pairs (scalar: the
    // component-0 DoFs; else every DoF, same component only), in slot (id) order; and per row its
    // blocks_ DoFs (the node's components, or itself) and M~^-1 (ghosted values).
    std::map<std::pair<Index, Index>, std::array<double, 2>> local;
    std::map<Index, std::array<Index, dim>>                  row_dofs;
    for (const Slot &sl : slots_)
      {
        const auto &dofs = cell_dofs_[sl.cell];
        for (unsigned q1 = 0; q1 < nq; ++q1)
          {
            if (scalar && component_[q1] != 0)
              continue;
            const Index g1 = part.local_to_global(dofs[q1]);
            auto       &rd = row_dofs[g1];
            for (unsigned k = 0; k < blocks_; ++k)
              rd[k] = part.local_to_global(dofs[scalar ? sibling[q1][k] : q1]);
            for (unsigned q2 = 0; q2 < nq; ++q2)
              if (component_[q1] == component_[q2])
                {
                  const double nn = sl.shape[q1] * sl.shape[q2];
                  auto        &e  = local[{g1, part.local_to_global(dofs[q2])}];
                  e[0] += nn / sl.mass;
                  e[1] += nn;
                }
          }
      }
    std::vector<Index>  idx, m_idx;
    std::vector<double> val, m_val;
    for (const auto &[ij, v] : local)
      {
        idx.push_back(ij.first);
        idx.push_back(ij.second);
        val.push_back(v[0]);
        val.push_back(v[1]);
      }
    for (const auto &[g, rd] : row_dofs)
      {
        m_idx.push_back(g);
        m_val.push_back(inv_mass_.local_element(part.global_to_local(g)));
        for (unsigned k = 0; k < blocks_; ++k)
          m_idx.push_back(rd[k]);
      }
    local.clear();
    using dealii::Utilities::MPI::all_gather;
    const std::vector<Index>  all_idx   = concatenated(all_gather(c, idx));
    const std::vector<double> all_val   = concatenated(all_gather(c, val));
    const std::vector<Index>  all_m_idx = concatenated(all_gather(c, m_idx));
    const std::vector<double> all_m_val = concatenated(all_gather(c, m_val));

    // The same sums on every rank (rank order): A and C over the band rows.
    std::map<std::pair<Index, Index>, std::array<double, 2>> entries;
    for (std::size_t k = 0; k < all_val.size() / 2; ++k)
      {
        auto &e = entries[{all_idx[2 * k], all_idx[2 * k + 1]}];
        e[0] += all_val[2 * k];
        e[1] += all_val[2 * k + 1];
      }
    std::vector<Index> rows;
    for (const auto &kv : entries)
      if (rows.empty() || rows.back() != kv.first.first)
        rows.push_back(kv.first.first);
    const auto pos = [&rows](Index g) {
      return static_cast<unsigned>(std::lower_bound(rows.begin(), rows.end(), g) - rows.begin());
    };
    const std::size_t   n = rows.size();
    std::vector<double> inv_m(n, 0.0);
    band_dofs_.assign(n * blocks_, 0);
    for (std::size_t k = 0; k < all_m_val.size(); ++k)
      {
        const unsigned r = pos(all_m_idx[(blocks_ + 1) * k]);
        inv_m[r]         = all_m_val[k];
        for (unsigned b = 0; b < blocks_; ++b)
          band_dofs_[r * blocks_ + b] = all_m_idx[(blocks_ + 1) * k + 1 + b];
      }
    std::vector<std::vector<std::pair<unsigned, double>>> c_rows(n);
    std::vector<std::map<unsigned, double>>               s_rows(n);
    for (const auto &[ij, v] : entries)
      {
        const unsigned i = pos(ij.first), j = pos(ij.second);
        c_rows[i].emplace_back(j, v[1]);
        s_rows[i][j] += v[0];
      }
    entries.clear();
    // S = A + C M~^-1 C (C symmetric): row i gets sum_k C_ik / M_k C_kj.
    for (std::size_t i = 0; i < n; ++i)
      for (const auto &[k, cik] : c_rows[i])
        {
          const double w = cik * inv_m[k];
          if (w == 0.0)
            continue;
          for (const auto &[j, ckj] : c_rows[k])
            s_rows[i][j] += w * ckj;
        }
    // Rows no atom reaches (every shape value 0 there): identity, their right-hand side is 0.
    for (std::size_t i = 0; i < n; ++i)
      {
        auto &d = s_rows[i][static_cast<unsigned>(i)];
        if (d == 0.0)
          d = 1.0;
      }
    cholesky_ = std::make_unique<SparseCholesky>();
    cholesky_->factorize(s_rows);

    // The gather layout of the right-hand side: this rank's owned band DoFs, in band order.
    owned_band_.clear();
    std::vector<unsigned> owned_pos;
    for (std::size_t p = 0; p < band_dofs_.size(); ++p)
      if (part.in_local_range(band_dofs_[p]))
        {
          owned_band_.emplace_back(static_cast<unsigned>(p), part.global_to_local(band_dofs_[p]));
          owned_pos.push_back(static_cast<unsigned>(p));
        }
    const auto per_rank = dealii::Utilities::MPI::all_gather(c, owned_pos);
    gather_counts_.clear();
    gather_offsets_.clear();
    for (const auto &v : per_rank)
      {
        gather_offsets_.push_back(gather_counts_.empty() ? 0 : gather_offsets_.back() + gather_counts_.back());
        gather_counts_.push_back(static_cast<int>(v.size()));
      }
    gather_order_ = concatenated(per_rank);
    SEAM_ASSERT(gather_order_.size() == band_dofs_.size(), "FeBand: every band DoF must be owned by exactly one FE rank");
  }

  template <int dim>
  std::string FeBand<dim>::factor_summary() const
  {
    if (!cholesky_)
      return "none";
    const std::size_t n = band_dofs_.size() / blocks_;
    return blocks_ > 1 ? std::to_string(n) + " rows shared by the " + std::to_string(blocks_) + " components, " +
                           std::to_string(cholesky_->factor_nonzeros()) + " entries in the factor"
                       : std::to_string(n) + " rows, " + std::to_string(cholesky_->factor_nonzeros()) +
                           " entries in the factor";
  }

  template <int dim>
  void FeBand<dim>::solve_direct(VectorType &lambda, const VectorType &rhs) const
  {
    const std::size_t   n = band_dofs_.size() / blocks_;
    std::vector<double> mine(owned_band_.size()), all(band_dofs_.size()), x(band_dofs_.size());
    for (std::size_t k = 0; k < owned_band_.size(); ++k)
      mine[k] = rhs.local_element(owned_band_[k].second);
    MPI_Allgatherv(mine.data(), static_cast<int>(mine.size()), MPI_DOUBLE, all.data(), gather_counts_.data(),
                   gather_offsets_.data(), MPI_DOUBLE, fe_.communicator());
    // Band position p = r blocks + b is row r of right-hand side b (column by column for the solver).
    for (std::size_t k = 0; k < all.size(); ++k)
      {
        const unsigned p = gather_order_[k];
        x[(p % blocks_) * n + p / blocks_] = all[k];
      }
    cholesky_->solve(x, blocks_);
    lambda = 0;
    for (const auto &[p, li] : owned_band_)
      lambda.local_element(li) = x[(p % blocks_) * n + p / blocks_];
  }

  template <int dim>
  long FeBand<dim>::slot_of(GlobalId id) const
  {
    const auto it = slot_of_.find(id);
    return it == slot_of_.end() ? -1 : static_cast<long>(it->second);
  }

  template <int dim>
  void FeBand<dim>::interpolate(const VectorType &field, std::vector<double> &at) const
  {
    at.assign(dim * slots_.size(), 0.0);
    for (std::size_t a = 0; a < slots_.size(); ++a)
      {
        const Slot &s    = slots_[a];
        const auto &dofs = cell_dofs_[s.cell];
        for (std::size_t q = 0; q < dofs.size(); ++q)
          at[dim * a + component_[q]] += s.shape[q] * field.local_element(dofs[q]);
      }
  }

  template <int dim>
  void FeBand<dim>::restrict_add(const std::vector<double> &values, VectorType &dst) const
  {
    for (std::size_t a = 0; a < slots_.size(); ++a)
      {
        const Slot &s    = slots_[a];
        const auto &dofs = cell_dofs_[s.cell];
        for (std::size_t q = 0; q < dofs.size(); ++q)
          dst.local_element(dofs[q]) += s.shape[q] * values[dim * a + component_[q]];
      }
    dst.compress(dealii::VectorOperation::add);
  }

  template <int dim>
  void FeBand<dim>::apply_S(VectorType &y, const VectorType &x) const
  {
    x.update_ghost_values();
    std::vector<double> l, l_over_m;
    interpolate(x, l);
    x.zero_out_ghost_values();
    l_over_m.resize(l.size());
    for (std::size_t a = 0; a < slots_.size(); ++a)
      for (int c = 0; c < dim; ++c)
        l_over_m[dim * a + c] = l[dim * a + c] / slots_[a].mass;
    // y = B M^-1 B^T x; t1 = C x.
    y   = 0;
    t1_ = 0;
    restrict_add(l_over_m, y);
    restrict_add(l, t1_);
    // t1 = M~^-1 C x, then y += C t1.
    t1_.scale(inv_mass_);
    t1_.update_ghost_values();
    interpolate(t1_, l);
    t1_.zero_out_ghost_values();
    restrict_add(l, y);
  }

  template <int dim>
  void FeBand<dim>::compute_g(const std::vector<double> &u_atoms, VectorType &g) const
  {
    std::vector<double> uh;
    interpolate(fe_.displacement(), uh);
    for (std::size_t i = 0; i < uh.size(); ++i)
      uh[i] = u_atoms[i] - uh[i];
    g = 0;
    restrict_add(uh, g);
  }

  template <int dim>
  void FeBand<dim>::set_target(const std::vector<double> &u_atoms)
  {
    if (params_.constraint == ConstraintType::displacement)
      target_ = 0;
    else
      compute_g(u_atoms, target_);
  }

  template <int dim>
  double FeBand<dim>::constraint_residual(const std::vector<double> &u_atoms) const
  {
    VectorType g;
    fe_.initialize_vector(g);
    compute_g(u_atoms, g);
    g -= target_;
    return g.linfty_norm();
  }


  template <int dim>
  unsigned FeBand<dim>::correct(const std::vector<double> &u_atoms, double dt, std::vector<double> &dv,
                                std::vector<double> &v_fe)
  {
    VectorType &rhs = rhs_, &lambda = increment_; // scratch kept between calls (no allocation per substep)
    compute_g(u_atoms, rhs);
    rhs -= target_;
    rhs *= 1.0 / (dt * dt);
    const double norm = rhs.l2_norm();
    unsigned     its  = 0;
    if (norm > 0 && params_.solver == Params::Solver::direct)
      solve_direct(lambda, rhs);
    else if (norm > 0)
      {
        // Warm start from the previous step's increment: the multiplier field changes smoothly in time.
        lambda = last_increment_;
        struct Op
        {
          const FeBand *band;
          void          vmult(VectorType &dst, const VectorType &src) const { band->apply_S(dst, src); }
        } op{this};
        struct Jacobi
        {
          const VectorType *d;
          void              vmult(VectorType &dst, const VectorType &src) const
          {
            dst = src;
            dst.scale(*d);
          }
        } pre{&precond_};
        dealii::SolverControl        control(params_.max_iterations, params_.tolerance * norm, false, false);
        dealii::SolverCG<VectorType> cg(control);
        try
          {
            cg.solve(op, lambda, rhs, pre);
          }
        catch (const dealii::SolverControl::NoConvergence &e)
          {
            throw RuntimeError("handshake constraint solve: CG did not converge in " +
                               std::to_string(e.last_step) + " iterations (residual " +
                               std::to_string(e.last_residual) + ")");
          }
        its = control.last_step();
      }
    last_increment_ = lambda;
    // Impulses: nodes +C lambda dt, atoms -B^T lambda dt.
    std::vector<double> l;
    lambda.update_ghost_values();
    interpolate(lambda, l);
    lambda.zero_out_ghost_values();
    if (params_.predictor)
      lambda_ += lambda;

    t1_ = 0;
    restrict_add(l, t1_);
    t1_.scale(inv_mass_); // dv_nodes / dt
    auto &u = fe_.mutable_displacement();
    auto &v = fe_.mutable_velocity();
    u.zero_out_ghost_values();
    v.zero_out_ghost_values();
    u.add(dt * dt, t1_);
    v.add(dt, t1_);
    u.update_ghost_values();
    v.update_ghost_values();
    t1_ = 0;
    dv.resize(l.size());
    for (std::size_t a = 0; a < slots_.size(); ++a)
      for (int c = 0; c < dim; ++c)
        dv[dim * a + c] = -dt * l[dim * a + c] / slots_[a].mass;
    interpolate(v, v_fe);
    if (!params_.predictor)
      return its;
    // The nodes' share of the accumulated multiplier field, +C lambda, as the FE's external force.
    std::vector<double> lt;
    multiplier_at_atoms(lt);
    auto &fext = fe_.external_force();
    fext       = 0;
    restrict_add(lt, fext);
    return its;
  }

  template <int dim>
  void FeBand<dim>::multiplier_at_atoms(std::vector<double> &l) const
  {
    lambda_.update_ghost_values();
    interpolate(lambda_, l);
    lambda_.zero_out_ghost_values();
  }

  template class FeBand<1>;
  template class FeBand<2>;
  template class FeBand<3>;
} // namespace seam::coupling
