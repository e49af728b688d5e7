// The continuum side of the handshake: atom location, transfers and the constraint solve.
#include "coupling/fe_band.h"

#include "base/error.h"
#include "fe/support_point_index.h"
#include "md/counter_rng.h"

#include <deal.II/base/geometry_info.h>
#include <deal.II/base/mpi.h>
#include <deal.II/grid/grid_tools.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <mpi.h>
#include <fmt/format.h>

namespace seam::coupling
{
  namespace
  {
    /// Tolerance of the cell search in unit coordinates (deal.II's default), and the distance from a
    /// cell's upper face (unit coordinates) below which a point counts as on it.
    constexpr double search_tolerance = 1e-10, face_tolerance = 1e-12;

    /// The entry of the sorted list c within 1e-9 of |x| + 1 of x, else x itself.
    double snapped(const std::vector<double> &c, double x)
    {
      const double tol = 1e-9 * (std::abs(x) + 1.0);
      const auto   it  = std::lower_bound(c.begin(), c.end(), x - tol);
      return it != c.end() && std::abs(*it - x) <= tol ? *it : x;
    }

    /// The exact unit coordinates of x in `cell` if it is an axis-parallel box (vertex v at lo + bit d of
    /// v times (hi - lo) along axis d, deal.II's lexicographic vertex order), else false. The bounds are
    /// the mesh's break coordinates `coordinates[d]` (see FeBand's class comment).
    template <int dim, typename Cell>
    bool box_unit_point(const Cell &cell, const std::array<const std::vector<double> *, 3> &coordinates,
                        const dealii::Point<dim> &x, dealii::Point<dim> &xi)
    {
      const dealii::Point<dim> lo = cell->vertex(0), hi = cell->vertex(cell->n_vertices() - 1);
      for (const unsigned v : cell->vertex_indices())
        for (unsigned d = 0; d < dim; ++d)
          if (cell->vertex(v)[d] != ((v >> d) & 1u ? hi[d] : lo[d]))
            return false;
      for (unsigned d = 0; d < dim; ++d)
        {
          const double a = snapped(*coordinates[d], lo[d]), b = snapped(*coordinates[d], hi[d]);
          xi[d]          = (x[d] - a) / (b - a);
        }
      return true;
    }

    /// Which upper faces of its cell a point with unit coordinates xi lies on, axis dim-1 as the most
    /// significant bit: the smaller, the more the cell owns the point (half-open [0, 1) per axis).
    template <int dim>
    unsigned upper_faces(const dealii::Point<dim> &xi)
    {
      unsigned bits = 0;
      for (int d = dim - 1; d >= 0; --d)
        bits = 2 * bits + (xi[d] > 1.0 - face_tolerance ? 1u : 0u);
      return bits;
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
  FeBand<dim>::FeBand(const fe::Mesh<dim> &mesh, fe::Elastodynamics<dim> &fe, const Handshake &handshake,
                      const Params &params)
    : mesh_(mesh)
    , fe_(fe)
    , hs_(handshake)
    , params_(params)
    , cache_(std::make_unique<dealii::GridTools::Cache<dim>>(mesh.triangulation(), fe.mapping()))
  {
    const auto &fes = fe_.fe();
    component_.resize(fes.dofs_per_cell);
    for (unsigned i = 0; i < fes.dofs_per_cell; ++i)
      component_[i] = fes.system_to_component_index(i).first;
    fe_.initialize_vector(inv_mass_);
  }

  template <int dim>
  std::pair<typename dealii::Triangulation<dim>::active_cell_iterator, dealii::Point<dim>>
  FeBand<dim>::locate(const Vec3 &X) const
  {
    dealii::Point<dim> x;
    for (int d = 0; d < dim; ++d)
      x[d] = X[d];
    std::pair<typename dealii::Triangulation<dim>::active_cell_iterator, dealii::Point<dim>> best{};
    const auto first = dealii::GridTools::find_active_cell_around_point(*cache_, x, {}, {}, search_tolerance);
    if (first.first.state() != dealii::IteratorState::valid)
      return best; // not in any owned or ghost cell of this rank
    // Every non-artificial cell containing x, with x's unit coordinates (the mapping's).
    const auto all =
      dealii::GridTools::find_all_active_cells_around_point(fe_.mapping(), mesh_.triangulation(), x, search_tolerance, first);
    unsigned best_faces = ~0u;
    for (const auto &[cell, xi] : all)
      {
        const unsigned faces = upper_faces(xi);
        if (faces < best_faces || (faces == best_faces && cell->id() < best.first->id()))
          {
            best       = {cell, xi};
            best_faces = faces;
          }
      }
    std::array<const std::vector<double> *, 3> coordinates{};
    for (unsigned d = 0; d < dim; ++d)
      coordinates[d] = &mesh_.coordinates(d);
    box_unit_point(best.first, coordinates, x, best.second);
    best.second = dealii::GeometryInfo<dim>::project_to_unit_cell(best.second);
    return best;
  }

  template <int dim>
  bool FeBand<dim>::owns(const Vec3 &X) const
  {
    const auto cell = locate(X).first;
    return cell.state() == dealii::IteratorState::valid && cell->is_locally_owned();
  }

  template <int dim>
  void FeBand<dim>::add_atom(GlobalId id, const Vec3 &X)
  {
    const auto [cell, xi] = locate(X);
    SEAM_ASSERT(cell.state() == dealii::IteratorState::valid && cell->is_locally_owned(),
                "FeBand::add_atom: the atom's cell is not owned here");
    const auto [it, inserted] =
      cell_of_active_index_.try_emplace(cell->active_cell_index(), static_cast<unsigned>(cell_dofs_.size()));
    if (inserted)
      {
        const typename dealii::DoFHandler<dim>::active_cell_iterator dof_cell(&mesh_.triangulation(), cell->level(),
                                                                             cell->index(), &fe_.dof_handler());
        std::vector<dealii::types::global_dof_index> dofs(fe_.fe().dofs_per_cell);
        dof_cell->get_dof_indices(dofs);
        const auto           &part = *fe_.displacement().get_partitioner();
        std::vector<unsigned> local(dofs.size());
        for (std::size_t i = 0; i < dofs.size(); ++i)
          local[i] = part.global_to_local(dofs[i]);
        cell_dofs_.push_back(std::move(local));
      }
    Slot s;
    s.id   = id;
    s.X    = X;
    s.mass = params_.atom_mass * std::max(hs_.alpha(X), params_.mass_floor);
    s.rate = params_.dashpot_rate * (1.0 - hs_.alpha(X)) * (1.0 - hs_.alpha(X));
    s.cell = it->second;
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

    factorize();
    setup_band_layout();
    target_.assign(band_dofs_.size(), 0.0);
    lambda_.assign(band_dofs_.size(), 0.0);
  }

  template <int dim>
  void FeBand<dim>::factorize()
  {
    const MPI_Comm c    = fe_.communicator();
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

    const BandEntries                       all = gather_entries(sibling, scalar);
    std::vector<std::map<unsigned, double>> a_rows;
    auto s_rows = assemble_band_matrix(all, params_.dashpot_kT > 0.0 ? &a_rows : nullptr);
    if (params_.multiplier_spacing != 1.0)
      {
        setup_coarse_multipliers();
        s_rows = coarse_matrix(s_rows);
        if (!a_rows.empty())
          a_rows = coarse_matrix(a_rows);
      }
    // Rows no atom reaches (every shape value 0 there): identity, their right-hand side is 0.
    auto factor = [](std::vector<std::map<unsigned, double>> &rows) {
      for (std::size_t i = 0; i < rows.size(); ++i)
        {
          auto &d = rows[i][static_cast<unsigned>(i)];
          if (d == 0.0)
            d = 1.0;
        }
      auto f = std::make_unique<SparseCholesky>();
      f->factorize(rows);
      return f;
    };
    cholesky_ = factor(s_rows);
    if (params_.dashpot_kT > 0.0) // the heat bath's fine-scale projection (dashpot())
      atoms_cholesky_ = factor(a_rows);
  }

  template <int dim>
  void FeBand<dim>::setup_coarse_multipliers()
  {
    const MPI_Comm    c    = fe_.communicator();
    const auto       &part = *inv_mass_.get_partitioner();
    const std::size_t n    = band_dofs_.size() / blocks_;
    // Band row of every owned band DoF that heads a row, with its support point and component.
    std::unordered_map<dealii::types::global_dof_index, unsigned> row_of;
    for (std::size_t r = 0; r < n; ++r)
      row_of.emplace(band_dofs_[r * blocks_], static_cast<unsigned>(r));
    const auto          support = fe_.owned_support_points();
    std::vector<double> mine; // row, x_0 .. x_dim-1, component
    for (unsigned k = 0; k < part.locally_owned_size(); ++k)
      {
        const auto it = row_of.find(part.local_to_global(k));
        if (it == row_of.end())
          continue;
        mine.push_back(it->second);
        mine.insert(mine.end(), support.begin() + (dim + 1) * k, support.begin() + (dim + 1) * (k + 1));
      }
    const std::vector<double> all = concatenated(dealii::Utilities::MPI::all_gather(c, mine));
    // Per axis and side: the coarse nodes lie every s h outward from the core's face that borders the
    // continuum (h the band's element size there, s = multiplier_spacing, not necessarily an integer), a
    // separate grid per side (a node uses the side of the core's centre it lies on); axes without a
    // band stay one multiplier per node line.
    const double s = params_.multiplier_spacing;
    std::array<std::array<double, 2>, dim> face{}, spacing{};
    std::array<bool, dim>                  coarse{};
    std::array<double, dim>                middle{};
    for (int a = 0; a < dim; ++a)
      {
        coarse[a] = hs_.borders(a, 0) || hs_.borders(a, 1);
        middle[a] = 0.5 * (hs_.core_lo()[a] + hs_.core_hi()[a]);
        const auto &cs = mesh_.coordinates(a);
        for (int side = 0; side < 2; ++side)
          {
            // the element just outside the core's face (the band side), found by its midpoint
            const double x0  = side == 0 ? hs_.core_lo()[a] : hs_.core_hi()[a];
            const double h0  = cs.size() > 1 ? cs[1] - cs[0] : 1.0;
            const double out = x0 + (side == 0 ? -0.5 : 0.5) * 1e-6 * h0;
            auto         it  = std::upper_bound(cs.begin(), cs.end(), out);
            if (it == cs.begin())
              ++it;
            if (it == cs.end())
              --it;
            face[a][side]    = x0;
            spacing[a][side] = s * (*it - *(it - 1));
          }
      }
    // P: the coarse hats' values at the band nodes, a tensor product of 1D linear interpolations
    // (coarse node keys: the line number along coarse axes; the node coordinate's bits along others).
    std::map<std::vector<long>, unsigned> coarse_index; // (coarse lines, component) -> coarse row
    prolong_.assign(n, {});
    for (std::size_t e = 0; e < all.size() / (dim + 2); ++e)
      {
        const double *rec = &all[(dim + 2) * e];
        const auto    r   = static_cast<unsigned>(rec[0]);
        std::vector<std::pair<std::vector<long>, double>> terms{{{}, 1.0}};
        for (int a = 0; a < dim; ++a)
          {
            std::vector<std::pair<long, double>> f; // (line, weight) along this axis
            if (!coarse[a])
              f.emplace_back(std::lround(rec[1 + a] * 1e6), 1.0);
            else
              {
                // one side's grid: line j (outward from the face) of side `side` is key 2 j + side
                const double x    = rec[1 + a];
                const int    side = !hs_.borders(a, 0) ? 1 : !hs_.borders(a, 1) ? 0 : (x < middle[a] ? 0 : 1);
                const double t    = side == 0 ? (face[a][0] - x) / spacing[a][0] : (x - face[a][1]) / spacing[a][1];
                const double j    = std::floor(t + 1e-9);
                const double w    = std::max(0.0, t - j);
                const auto   key  = [side](double jj) { return 2 * static_cast<long>(jj) + side; };
                f.emplace_back(key(j), 1.0 - w);
                if (w > 1e-9)
                  f.emplace_back(key(j + 1), w);
              }
            std::vector<std::pair<std::vector<long>, double>> next;
            for (const auto &[key, w] : terms)
              for (const auto &[l, wl] : f)
                {
                  auto k2 = key;
                  k2.push_back(l);
                  next.emplace_back(std::move(k2), w * wl);
                }
            terms = std::move(next);
          }
        for (auto &[key, w] : terms)
          {
            if (blocks_ == 1)
              key.push_back(static_cast<long>(rec[1 + dim]));
            const auto ins = coarse_index.emplace(key, static_cast<unsigned>(coarse_index.size()));
            prolong_[r].emplace_back(ins.first->second, w);
          }
      }
    n_coarse_ = coarse_index.size();
  }

  template <int dim>
  std::vector<std::map<unsigned, double>>
  FeBand<dim>::coarse_matrix(const std::vector<std::map<unsigned, double>> &s) const
  {
    std::vector<std::map<unsigned, double>> sc(n_coarse_);
    for (std::size_t i = 0; i < s.size(); ++i)
      for (const auto &[j, v] : s[i])
        for (const auto &[ki, wi] : prolong_[i])
          for (const auto &[kj, wj] : prolong_[j])
            sc[ki][kj] += wi * wj * v;
    return sc;
  }

  template <int dim>
  typename FeBand<dim>::BandEntries FeBand<dim>::gather_entries(const std::vector<std::array<unsigned, dim>> &sibling,
                                                                bool scalar) const
  {
    using Index      = unsigned long long;
    const MPI_Comm c    = fe_.communicator();
    const auto    &part = *inv_mass_.get_partitioner();
    const unsigned nq   = fe_.fe().dofs_per_cell;
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
    return {concatenated(all_gather(c, idx)), concatenated(all_gather(c, val)), concatenated(all_gather(c, m_idx)),
            concatenated(all_gather(c, m_val))};
  }

  template <int dim>
  std::vector<std::map<unsigned, double>> FeBand<dim>::assemble_band_matrix(const BandEntries &all,
                                                                          std::vector<std::map<unsigned, double>> *a_rows)
  {
    using Index = unsigned long long;
    const std::vector<Index>  &all_idx = all.idx, &all_m_idx = all.m_idx;
    const std::vector<double> &all_val = all.val, &all_m_val = all.m_val;
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
    if (a_rows)
      *a_rows = s_rows;
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
    return s_rows; // factorize() puts a unit diagonal on the rows no atom reaches
  }

  template <int dim>
  void FeBand<dim>::setup_band_layout()
  {
    const MPI_Comm c    = fe_.communicator();
    const auto    &part = *inv_mass_.get_partitioner();
    std::unordered_map<dealii::types::global_dof_index, unsigned> position;
    for (std::size_t p = 0; p < band_dofs_.size(); ++p)
      position.emplace(band_dofs_[p], static_cast<unsigned>(p));
    cell_band_.assign(cell_dofs_.size(), {});
    for (std::size_t k = 0; k < cell_dofs_.size(); ++k)
      for (const unsigned li : cell_dofs_[k])
        {
          const auto it = position.find(part.local_to_global(li));
          SEAM_ASSERT(it != position.end(), "FeBand: a DoF of a band cell is not in the band system");
          cell_band_[k].push_back(it->second);
        }
    const std::size_t nq = component_.size();
    slot_pos_.resize(slots_.size() * nq);
    slot_local_.resize(slots_.size() * nq);
    slot_shape_.resize(slots_.size() * nq);
    for (std::size_t a = 0; a < slots_.size(); ++a)
      for (std::size_t q = 0; q < nq; ++q)
        {
          slot_pos_[a * nq + q]   = cell_band_[slots_[a].cell][q];
          slot_local_[a * nq + q] = cell_dofs_[slots_[a].cell][q];
          slot_shape_[a * nq + q] = slots_[a].shape[q];
        }
    // This rank's band entries (owned and ghost) and M~^-1 by band position (each DoF's owner adds it).
    local_band_.clear();
    owned_in_band_.clear();
    outside_band_.assign(inv_mass_.locally_owned_size(), 1);
    inv_mass_band_.assign(band_dofs_.size(), 0.0);
    long owned = 0;
    for (std::size_t p = 0; p < band_dofs_.size(); ++p)
      {
        const auto g = band_dofs_[p];
        const bool mine = part.in_local_range(g);
        if (!mine && !part.is_ghost_entry(g))
          continue;
        const unsigned li = part.global_to_local(g);
        local_band_.emplace_back(static_cast<unsigned>(p), li);
        owned_in_band_.push_back(mine ? 1 : 0);
        if (mine)
          {
            outside_band_[li]  = 0;
            inv_mass_band_[p] = inv_mass_.local_element(li);
            ++owned;
          }
      }
    [[maybe_unused]] const long all = dealii::Utilities::MPI::sum(owned, c);
    SEAM_ASSERT(static_cast<std::size_t>(all) == band_dofs_.size(), "FeBand: every band DoF must be owned by exactly one FE rank");
    if (dealii::Utilities::MPI::n_mpi_processes(c) > 1)
      MPI_Allreduce(MPI_IN_PLACE, inv_mass_band_.data(), static_cast<int>(inv_mass_band_.size()), MPI_DOUBLE, MPI_SUM, c);
  }

  template <int dim>
  std::string FeBand<dim>::factor_summary() const
  {
    if (!cholesky_)
      return "none";
    const std::string rows = prolong_.empty() ? std::to_string(band_dofs_.size() / blocks_) + " rows"
                                              : fmt::format("{} coarse multiplier rows (hats every {:g} elements)",
                                                            n_coarse_, params_.multiplier_spacing);
    return rows + (blocks_ > 1 ? " shared by the " + std::to_string(blocks_) + " components, " : ", ") +
           std::to_string(cholesky_->factor_nonzeros()) + " entries in the factor";
  }

  template <int dim>
  void FeBand<dim>::solve(BandVector &lambda, const BandVector &rhs, const SparseCholesky *factor) const
  {
    if (!factor)
      factor = cholesky_.get();
    // Coarse multipliers: lambda = P S'^-1 P^T rhs.
    BandVector coarse;
    if (!prolong_.empty())
      restrict_to_multipliers(rhs, coarse);
    const BandVector &b = prolong_.empty() ? rhs : coarse;
    // Position p = r blocks + b is row r of right-hand side b (column by column for the solver).
    const std::size_t   n = b.size() / blocks_;
    std::vector<double> x(b.size());
    for (std::size_t p = 0; p < b.size(); ++p)
      x[(p % blocks_) * n + p / blocks_] = b[p];
    factor->solve(x, blocks_);
    BandVector solution(b.size());
    for (std::size_t p = 0; p < b.size(); ++p)
      solution[p] = x[(p % blocks_) * n + p / blocks_];
    if (prolong_.empty())
      lambda = std::move(solution);
    else
      prolong_multipliers(solution, lambda);
  }

  template <int dim>
  void FeBand<dim>::restrict_to_multipliers(const BandVector &band, BandVector &coarse) const
  {
    coarse.assign(n_coarse_ * blocks_, 0.0);
    for (std::size_t p = 0; p < band.size(); ++p)
      for (const auto &[k, w] : prolong_[p / blocks_])
        coarse[k * blocks_ + p % blocks_] += w * band[p];
  }

  template <int dim>
  void FeBand<dim>::prolong_multipliers(const BandVector &coarse, BandVector &band) const
  {
    band.assign(prolong_.size() * blocks_, 0.0);
    for (std::size_t p = 0; p < band.size(); ++p)
      for (const auto &[k, w] : prolong_[p / blocks_])
        band[p] += w * coarse[k * blocks_ + p % blocks_];
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
    const std::size_t nq = component_.size();
    at.assign(dim * slots_.size(), 0.0);
    if (slot_local_.size() != slots_.size() * nq) // before finalize()
      {
        for (std::size_t a = 0; a < slots_.size(); ++a)
          {
            const Slot &s    = slots_[a];
            const auto &dofs = cell_dofs_[s.cell];
            for (std::size_t q = 0; q < dofs.size(); ++q)
              at[dim * a + component_[q]] += s.shape[q] * field.local_element(dofs[q]);
          }
        return;
      }
    for (std::size_t a = 0; a < slots_.size(); ++a)
      {
        const unsigned *li = &slot_local_[a * nq];
        const double   *sh = &slot_shape_[a * nq];
        double         *o  = &at[dim * a];
        for (std::size_t q = 0; q < nq; ++q)
          o[component_[q]] += sh[q] * field.local_element(li[q]);
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
  void FeBand<dim>::interpolate_band(const BandVector &band, std::vector<double> &at) const
  {
    const std::size_t nq = component_.size();
    at.assign(dim * slots_.size(), 0.0);
    for (std::size_t a = 0; a < slots_.size(); ++a)
      {
        const unsigned *pos = &slot_pos_[a * nq];
        const double   *sh  = &slot_shape_[a * nq];
        double         *o   = &at[dim * a];
        for (std::size_t q = 0; q < nq; ++q)
          o[component_[q]] += sh[q] * band[pos[q]];
      }
  }

  template <int dim>
  void FeBand<dim>::restrict_band(const std::vector<double> &values, BandVector &band) const
  {
    const std::size_t nq = component_.size();
    band.assign(band_dofs_.size(), 0.0);
    for (std::size_t a = 0; a < slots_.size(); ++a)
      {
        const unsigned *pos = &slot_pos_[a * nq];
        const double   *sh  = &slot_shape_[a * nq];
        const double   *v   = &values[dim * a];
        for (std::size_t q = 0; q < nq; ++q)
          band[pos[q]] += sh[q] * v[component_[q]];
      }
    sum_over_ranks(band);
  }

  template <int dim>
  template <typename F>
  void FeBand<dim>::transfer(const BandVector &in, BandVector &out, F &&f) const
  {
    const std::size_t nq = component_.size();
    out.assign(band_dofs_.size(), 0.0);
    for (std::size_t a = 0; a < slots_.size(); ++a)
      {
        const unsigned *pos = &slot_pos_[a * nq];
        const double   *sh  = &slot_shape_[a * nq];
        double          at[dim] = {}, value[dim];
        for (std::size_t q = 0; q < nq; ++q)
          at[component_[q]] += sh[q] * in[pos[q]];
        f(a, static_cast<const double *>(at), value);
        for (std::size_t q = 0; q < nq; ++q)
          out[pos[q]] += sh[q] * value[component_[q]];
      }
    sum_over_ranks(out);
  }

  template <int dim>
  void FeBand<dim>::gather_band(const VectorType &field, BandVector &band) const
  {
    band.assign(band_dofs_.size(), 0.0);
    for (const auto &[p, li] : local_band_)
      band[p] = field.local_element(li);
  }

  template <int dim>
  void FeBand<dim>::sum_over_ranks(BandVector &band) const
  {
    const MPI_Comm c = fe_.communicator();
    if (dealii::Utilities::MPI::n_mpi_processes(c) > 1)
      MPI_Allreduce(MPI_IN_PLACE, band.data(), static_cast<int>(band.size()), MPI_DOUBLE, MPI_SUM, c);
  }

  template <int dim>
  void FeBand<dim>::drift_band(double dt)
  {
    auto       &u = fe_.mutable_displacement();
    const auto &v = fe_.velocity();
    for (const auto &[p, li] : local_band_)
      u.local_element(li) += dt * v.local_element(li);
  }

  template <int dim>
  void FeBand<dim>::drift_rest(double dt)
  {
    auto       &u = fe_.mutable_displacement();
    const auto &v = fe_.velocity();
    for (std::size_t i = 0; i < outside_band_.size(); ++i)
      if (outside_band_[i])
        u.local_element(i) += dt * v.local_element(i);
    u.update_ghost_values();
  }

  template <int dim>
  void FeBand<dim>::compute_g(const std::vector<double> &u_atoms, BandVector &g) const
  {
    BandVector u;
    gather_band(fe_.displacement(), u);
    transfer(u, g, [&u_atoms](std::size_t a, const double *uh, double *value) {
      for (int c = 0; c < dim; ++c)
        value[c] = u_atoms[dim * a + c] - uh[c];
    });
  }

  template <int dim>
  void FeBand<dim>::set_target(const std::vector<double> &u_atoms)
  {
    if (params_.constraint == ConstraintType::displacement)
      target_.assign(band_dofs_.size(), 0.0);
    else
      compute_g(u_atoms, target_);
  }

  template <int dim>
  double FeBand<dim>::constraint_residual(const std::vector<double> &u_atoms) const
  {
    BandVector g;
    compute_g(u_atoms, g);
    for (std::size_t p = 0; p < g.size(); ++p)
      g[p] -= target_[p];
    if (!prolong_.empty()) // the constraints are P^T g
      {
        BandVector gc;
        restrict_to_multipliers(g, gc);
        g = std::move(gc);
      }
    double worst = 0.0;
    for (const double x : g)
      worst = std::max(worst, std::abs(x));
    return worst;
  }


  template <int dim>
  void FeBand<dim>::correct(const std::vector<double> &u_atoms, double dt, std::vector<double> &dv,
                            std::vector<double> &v_fe)
  {
    kick_pending_ = false; // a correction after the last dashpot kick: that kick is not the step's last
    BandVector rhs, lambda;
    compute_g(u_atoms, rhs);
    bool any = false;
    for (std::size_t p = 0; p < rhs.size(); ++p)
      {
        rhs[p] = (rhs[p] - target_[p]) * (1.0 / (dt * dt));
        any    = any || rhs[p] != 0.0;
      }
    if (any)
      solve(lambda, rhs);
    else
      lambda.assign(rhs.size(), 0.0); // S lambda = 0
    if (params_.predictor)
      for (std::size_t p = 0; p < lambda.size(); ++p)
        lambda_[p] += lambda[p];
    // Impulses: atoms -B^T lambda dt, nodes +C lambda dt (velocity change dt M~^-1 C lambda).
    BandVector dv_nodes;
    dv.resize(dim * slots_.size());
    transfer(lambda, dv_nodes, [&](std::size_t a, const double *l, double *value) {
      for (int c = 0; c < dim; ++c)
        {
          value[c]        = l[c];
          dv[dim * a + c] = -dt * l[c] / slots_[a].mass;
        }
    });
    for (std::size_t p = 0; p < dv_nodes.size(); ++p)
      dv_nodes[p] *= inv_mass_band_[p];
    apply_to_band(dv_nodes, dt);
    interpolate(fe_.velocity(), v_fe);
    if (params_.predictor)
      set_multiplier_force();
  }

  template <int dim>
  void FeBand<dim>::set_multiplier_force()
  {
    std::vector<double> lt;
    multiplier_at_atoms(lt);
    auto &fext = fe_.external_force();
    fext       = 0;
    restrict_add(lt, fext);
  }

  template <int dim>
  void FeBand<dim>::save_state(StateOut &out) const
  {
    out.put("n_band_dofs", std::vector<std::int64_t>{static_cast<std::int64_t>(band_dofs_.size())});
    out.put("target", target_);
    out.put("lambda", lambda_);
    out.put("dashpot_removed", std::vector<double>{dashpot_removed_});
    out.put("noise_calls", std::vector<std::int64_t>{static_cast<std::int64_t>(noise_calls_)});
    // For a restart on another FE partition: this rank's owned band entries by support point.
    const auto          support = fe_.owned_support_points();
    std::vector<double> key, target, lambda;
    for (std::size_t e = 0; e < local_band_.size(); ++e)
      if (owned_in_band_[e])
        {
          const auto [q, li] = local_band_[e];
          key.insert(key.end(), support.begin() + (dim + 1) * li, support.begin() + (dim + 1) * (li + 1));
          target.push_back(target_[q]);
          lambda.push_back(lambda_[q]);
        }
    out.put("owned_key", key);
    out.put("owned_target", target);
    out.put("owned_lambda", lambda);
  }

  template <int dim>
  void FeBand<dim>::load_redistributed(const StateIn &in)
  {
    const fe::SupportPointIndex index(dim, in.all_doubles("owned_key"));
    const auto                  target = in.all_doubles("owned_target"), lambda = in.all_doubles("owned_lambda");
    const auto                  support = fe_.owned_support_points();
    target_.assign(band_dofs_.size(), 0.0);
    lambda_.assign(band_dofs_.size(), 0.0);
    for (std::size_t e = 0; e < local_band_.size(); ++e)
      if (owned_in_band_[e])
        {
          const auto [q, li] = local_band_[e];
          const long k       = index.find(&support[(dim + 1) * li]);
          if (k < 0)
            throw RuntimeError("checkpoint: a band DoF of this mesh has no counterpart in the checkpoint: restart "
                               "with the deck that wrote it");
          target_[q] = target[k];
          lambda_[q] = lambda[k];
        }
    sum_over_ranks(target_); // each band DoF is owned by one FE rank
    sum_over_ranks(lambda_);
    dashpot_removed_ = 0;
    if (in.reader() == 0)
      for (double r : in.all_doubles("dashpot_removed"))
        dashpot_removed_ += r;
    load_noise_calls(in);
    if (params_.predictor)
      set_multiplier_force();
  }

  template <int dim>
  void FeBand<dim>::load_state(const StateIn &in)
  {
    if (!in.same_layout())
      {
        load_redistributed(in);
        return;
      }
    const auto n = in.get_int64("n_band_dofs").at(0);
    if (n != static_cast<std::int64_t>(band_dofs_.size()))
      throw RuntimeError(fmt::format("the checkpoint's band has {} DoFs, this deck's {}: restart with the deck "
                                     "that wrote it",
                                     n, band_dofs_.size()));
    target_          = in.get_doubles("target");
    lambda_          = in.get_doubles("lambda");
    dashpot_removed_ = in.get_doubles("dashpot_removed").at(0);
    load_noise_calls(in);
    if (params_.predictor)
      set_multiplier_force();
  }

  template <int dim>
  void FeBand<dim>::apply_to_band(const BandVector &dv_nodes, double dt)
  {
    auto &u = fe_.mutable_displacement();
    auto &v = fe_.mutable_velocity();
    for (const auto &[p, li] : local_band_)
      {
        u.local_element(li) += (dt * dt) * dv_nodes[p];
        v.local_element(li) += dt * dv_nodes[p];
      }
  }

  template <int dim>
  void FeBand<dim>::dashpot(const std::vector<double> &v_atoms, const std::vector<double> &vh, double dt,
                            std::vector<double> &kick)
  {
    kick.assign(v_atoms.size(), 0.0);
    if (!has_dashpot())
      return;
    auto &v = fe_.mutable_velocity();
    if (dt != decay_dt_)
      {
        // Per slot and component the impulse factor mu (1 - exp(-gamma (1 + m kappa) dt)) with mu =
        // 1 / (1 / m + kappa) the reduced mass of the atom and the continuum at its site, kappa =
        // sum_J N_J(X_a) (sum_b N_J(X_b)) / M_J the continuum's inverse mass there with each node's mass
        // shared among the atoms that touch it: the exact two-body decay of the relative velocity at
        // the rate gamma (1 + m kappa) (gamma for a heavy continuum), so that light nodes never
        // overshoot (a deck whose continuum is far lighter than its atoms was unstable).
        std::vector<double> ones(dim * slots_.size(), 1.0), kappa;
        BandVector          rowsum;
        restrict_band(ones, rowsum);
        for (std::size_t q = 0; q < rowsum.size(); ++q)
          rowsum[q] *= inv_mass_band_[q];
        interpolate_band(rowsum, kappa);
        slot_decay_.resize(dim * slots_.size());
        slot_noise_.assign(dim * slots_.size(), 0.0);
        slot_bath_.assign(dim * slots_.size(), 1.0);
        for (std::size_t a = 0; a < slots_.size(); ++a)
          for (int k = 0; k < dim; ++k)
            {
              const double m = slots_[a].mass, kap = std::max(0.0, kappa[dim * a + k]);
              const double e = std::exp(-slots_[a].rate * (1.0 + m * kap) * dt);
              slot_decay_[dim * a + k] = (1.0 - e) / (1.0 + m * kap);
              if (params_.dashpot_kT > 0.0)
                {
                  // The heat bath (class comment): the atom's own decay factor over this step, the dashpot's
                  // 1 - (1 - e) / (1 + m kappa) times the bath friction's, and its noise partner.
                  const double eb = std::exp(-dt * params_.atom_mass / (params_.bath_time * m));
                  slot_bath_[dim * a + k]  = eb;
                  const double ea = (1.0 - slot_decay_[dim * a + k]) * eb;
                  slot_noise_[dim * a + k] = std::sqrt((1.0 - ea * ea) * params_.dashpot_kT / params_.atom_mass);
                }
            }
        decay_dt_ = dt;
      }
    // 1. The dashpot impulse: -p_a on the atoms, p_a = m~_a x the factor above x (v_a - v_h(X_a)),
    //    +N p on the nodes (dv_nodes holds the nodes' velocity change).
    std::vector<double> p(v_atoms.size());
    for (std::size_t a = 0; a < slots_.size(); ++a)
      for (int k = 0; k < dim; ++k)
        {
          const std::size_t i = dim * a + k;
          p[i]                = slots_[a].mass * slot_decay_[i] * (v_atoms[i] - vh[i]);
          kick[i]             = -p[i] / slots_[a].mass;
        }
    if (params_.dashpot_kT > 0.0)
      add_heat_bath(v_atoms, vh, kick);
    BandVector dv_nodes;
    restrict_band(p, dv_nodes);
    for (std::size_t q = 0; q < dv_nodes.size(); ++q)
      dv_nodes[q] *= inv_mass_band_[q];
    // 2. Keep the velocity constraint (d/dt g = B v - C V) as it was: the residual r = B kick - C dV of
    //    that impulse is removed by the constraint's own impulses (-B^T mu dt on the atoms, +C mu dt on
    //    the nodes, S mu = r / dt, as in correct()), an M-orthogonal projection that removes kinetic
    //    energy too. Without it the next correction would remove that energy untallied.
    BandVector rhs;
    transfer(dv_nodes, rhs, [&kick](std::size_t a, const double *dvh, double *value) {
      for (int k = 0; k < dim; ++k)
        value[k] = kick[dim * a + k] - dvh[k];
    });
    bool any = false;
    for (double &r : rhs)
      {
        r *= 1.0 / dt;
        any = any || r != 0.0;
      }
    if (any)
      {
        BandVector mu, dv_mu;
        solve(mu, rhs);
        transfer(mu, dv_mu, [&](std::size_t a, const double *l, double *value) { // C mu dt / M~
          for (int k = 0; k < dim; ++k)
            {
              value[k] = l[k];
              kick[dim * a + k] -= dt * l[k] / slots_[a].mass;
            }
        });
        for (std::size_t q = 0; q < dv_nodes.size(); ++q)
          dv_nodes[q] += dt * (dv_mu[q] * inv_mass_band_[q]);
      }
    // 3. Apply to the nodes; the kinetic energy removed (atoms and this rank's owned nodes).
    double de = 0.0;
    for (std::size_t a = 0; a < slots_.size(); ++a)
      for (int k = 0; k < dim; ++k)
        {
          const double va = v_atoms[dim * a + k], vn = va + kick[dim * a + k];
          de += 0.5 * slots_[a].mass * (vn * vn - va * va);
        }
    const auto &mass = fe_.lumped_mass();
    // The node kicks' memory for close_window(): only the kick of the exchange that closes the FE step
    // (earlier ones reach the step's end through the atoms, whose share BandDashpot adds every step).
    kick_m_.assign(local_band_.size(), 0.0);
    kick_s0_      = 0.0;
    kick_pending_ = true;
    for (std::size_t e = 0; e < local_band_.size(); ++e)
      {
        const auto [q, li] = local_band_[e];
        const double v0 = v.local_element(li), vn = v0 + dv_nodes[q];
        if (owned_in_band_[e])
          {
            const double m = mass.local_element(li);
            de += 0.5 * m * (vn * vn - v0 * v0);
            kick_m_[e] = m * dv_nodes[q];
            kick_s0_ += m * dv_nodes[q] * vn;
          }
        v.local_element(li) = vn;
      }
    dashpot_removed_ -= de;
  }

  template <int dim>
  void FeBand<dim>::add_heat_bath(const std::vector<double> &v_atoms, const std::vector<double> &vh,
                                  std::vector<double> &kick)
  {
    // The bath's friction on the atoms' velocity relative to the continuum (after the dashpot's kick),
    // and the noise xi with its coarse part removed: xi' = xi - M~^-1 B^T A^-1 B xi, A = B M~^-1 B^T (with
    // the multipliers' P where they are coarse), so that B xi' = 0: the noise changes no constraint and
    // drives no motion the continuum carries.
    std::vector<double> xi(kick.size());
    for (std::size_t a = 0; a < slots_.size(); ++a)
      for (int k = 0; k < dim; ++k)
        {
          const std::size_t i = dim * a + k;
          kick[i] -= (1.0 - slot_bath_[i]) * (v_atoms[i] + kick[i] - vh[i]);
          xi[i] = slot_noise_[i] * thermostat_xi(slots_[a].id, static_cast<unsigned>(k));
        }
    ++noise_calls_;
    BandVector r, mu;
    restrict_band(xi, r);
    solve(mu, r, atoms_cholesky_.get());
    std::vector<double> at;
    interpolate_band(mu, at);
    for (std::size_t a = 0; a < slots_.size(); ++a)
      for (int k = 0; k < dim; ++k)
        kick[dim * a + k] += xi[dim * a + k] - at[dim * a + k] / slots_[a].mass;
  }

  template <int dim>
  void FeBand<dim>::load_noise_calls(const StateIn &in)
  {
    // Every FE rank wrote the same count; a checkpoint from before the heat bath has none (0 calls).
    const auto all = in.has("noise_calls") ? in.all_int64("noise_calls") : std::vector<std::int64_t>{};
    noise_calls_   = all.empty() ? 0 : static_cast<std::uint64_t>(all.front());
  }

  template <int dim>
  double FeBand<dim>::thermostat_xi(GlobalId id, unsigned axis) const
  {
    using md::splitmix64;
    const std::uint64_t h = splitmix64(splitmix64(splitmix64(params_.dashpot_seed) ^ static_cast<std::uint64_t>(id)) ^
                                       (noise_calls_ * 4 + axis));
    return std::sqrt(12.0) * (md::unit_uniform(h) - 0.5);
  }

  template <int dim>
  void FeBand<dim>::close_window()
  {
    if (!kick_pending_)
      return;
    kick_pending_ = false;
    // The last exchange closes the FE step: V_end - V_after_kick = (dt_FE / 2) f_end / M exactly.
    const auto &v = fe_.velocity();
    double      e = -kick_s0_;
    for (std::size_t k = 0; k < local_band_.size(); ++k)
      if (owned_in_band_[k])
        e += v.local_element(local_band_[k].second) * kick_m_[k];
    dashpot_removed_ -= e;
  }

  template <int dim>
  void FeBand<dim>::multiplier_at_atoms(std::vector<double> &l) const
  {
    interpolate_band(lambda_, l);
  }

  template class FeBand<1>;
  template class FeBand<2>;
  template class FeBand<3>;
} // namespace seam::coupling
