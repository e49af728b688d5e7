// Boundary conditions on the mesh: prescribed DoFs, dashpot blocks, traction assembly.
#include "fe/face_conditions.h"

#include "base/error.h"
#include "fe/boundary/registry.h"

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/lac/vector.h>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace seam::fe
{
  namespace
  {
    using namespace dealii;

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
    boundary::Coordinates coordinates(const Point<dim> &x)
    {
      boundary::Coordinates c{0.0, 0.0, 0.0};
      for (unsigned d = 0; d < dim; ++d)
        c[d] = x[d];
      return c;
    }
  } // namespace

  template <int dim>
  FaceConditions<dim>::FaceConditions(const std::map<unsigned, BoundaryCondition> &conditions,
                                      const DoFHandler<dim> &dofs, const Mapping<dim> &mapping,
                                      const Material<dim> &material, const Utilities::MPI::Partitioner &part)
    : dofs_(dofs)
    , fe_(dofs.get_fe())
    , mapping_(mapping)
  {
    for (const auto &[id, bc] : conditions)
      {
        boundary::StyleArgs args;
        args.value   = bc.value;
        args.options = bc.options;
        args.dim     = dim;
        args.id      = id;
        args.stiffness = material.voigt_stiffness();
        auto style = boundary::create(bc.style, args);
        has_traction_ = has_traction_ || style->has_traction();
        traction_depends_on_t_ = traction_depends_on_t_ || style->traction_depends_on_time();
        styles_.emplace(id, std::move(style));
      }
    prescribed_mask_.assign(part.locally_owned_size(), false);
    dashpot_mask_.assign(part.locally_owned_size(), false);
    find_prescribed(part);
    find_dashpots(material, part);
  }

  template <int dim>
  FaceConditions<dim>::~FaceConditions() = default;

  template <int dim>
  const boundary::BoundaryStyle *FaceConditions<dim>::style_of(unsigned id) const
  {
    const auto it = styles_.find(id);
    return it == styles_.end() ? nullptr : it->second.get();
  }

  template <int dim>
  void FaceConditions<dim>::find_prescribed(const Utilities::MPI::Partitioner &part)
  {
    const IndexSet                      &owned = dofs_.locally_owned_dofs();
    const unsigned                       n     = fe_.n_dofs_per_cell();
    std::vector<types::global_dof_index> dofs(n);
    FEValues<dim> support(mapping_, fe_, Quadrature<dim>(fe_.get_unit_support_points()), update_quadrature_points);
    std::map<types::global_dof_index, PrescribedDof> prescribed;
    for (const auto &cell : dofs_.active_cell_iterators())
      {
        if (cell->is_artificial() || !cell->at_boundary())
          continue;
        bool ready = false;
        for (const auto f : cell->face_indices())
          {
            if (!cell->face(f)->at_boundary())
              continue;
            const boundary::BoundaryStyle *style = style_of(cell->face(f)->boundary_id());
            if (style == nullptr || !style->prescribes_velocity())
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
                const unsigned c          = fe_.system_to_component_index(i).first;
                const auto [it, inserted] = prescribed.try_emplace(
                  dofs[i],
                  PrescribedDof{unsigned(part.global_to_local(dofs[i])), c, coordinates(support.quadrature_point(i)), style});
                if (!inserted && style->velocity_rank() > it->second.style->velocity_rank())
                  it->second.style = style; // a held corner stays held
              }
          }
      }
    for (const auto &[g, pr] : prescribed)
      {
        prescribed_.push_back(pr);
        prescribed_mask_[pr.local] = true;
        prescribed_global_.push_back(g);
      }
  }

  template <int dim>
  void FaceConditions<dim>::find_dashpots(const Material<dim> &material, const Utilities::MPI::Partitioner &part)
  {
    const IndexSet                      &owned = dofs_.locally_owned_dofs();
    const unsigned                       n     = fe_.n_dofs_per_cell();
    std::vector<types::global_dof_index> dofs(n);
    FEFaceValues<dim> face(mapping_, fe_, face_nodal_quadrature<dim>(fe_.degree),
                           update_values | update_JxW_values | update_normal_vectors);
    const auto is_prescribed = [this](types::global_dof_index g) {
      return std::binary_search(prescribed_global_.begin(), prescribed_global_.end(), g);
    };
    std::map<types::global_dof_index, DashpotNode> nodes;
    for (const auto &cell : dofs_.active_cell_iterators())
      {
        if (cell->is_artificial() || !cell->at_boundary())
          continue;
        for (const auto f : cell->face_indices())
          {
            if (!cell->face(f)->at_boundary())
              continue;
            const boundary::BoundaryStyle *style = style_of(cell->face(f)->boundary_id());
            if (style == nullptr || !style->absorbs())
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
                bool held = false;
                for (unsigned c = 0; c < dim; ++c)
                  held = held || is_prescribed(node[c]);
                if (held)
                  continue;
                const Tensor<2, dim> z = material.impedance(face.normal_vector(q));
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
  }

  template <int dim>
  void FaceConditions<dim>::apply_prescribed_velocity(VectorType &v, double t) const
  {
    for (const PrescribedDof &p : prescribed_)
      v.local_element(p.local) = p.style->velocity(p.component, p.x, t);
  }

  template <int dim>
  void FaceConditions<dim>::hold_displacement(VectorType &u, double t) const
  {
    for (const PrescribedDof &p : prescribed_)
      if (p.style->prescribes_displacement())
        u.local_element(p.local) = p.style->displacement(p.component, p.x, t);
  }

  template <int dim>
  void FaceConditions<dim>::assemble_traction(double t, VectorType &f) const
  {
    f = 0;
    FEFaceValues<dim> face(mapping_, fe_, QGauss<dim - 1>(fe_.degree + 1),
                           update_values | update_JxW_values | update_quadrature_points);
    const unsigned                       n = fe_.n_dofs_per_cell();
    std::vector<types::global_dof_index> dofs(n);
    Vector<double>                       cell_rhs(n);
    for (const auto &cell : dofs_.active_cell_iterators())
      {
        if (!cell->is_locally_owned() || !cell->at_boundary())
          continue;
        for (const auto fi : cell->face_indices())
          {
            if (!cell->face(fi)->at_boundary())
              continue;
            const boundary::BoundaryStyle *style = style_of(cell->face(fi)->boundary_id());
            if (style == nullptr || !style->has_traction())
              continue;
            face.reinit(cell, fi);
            cell->get_dof_indices(dofs);
            cell_rhs = 0;
            for (unsigned q = 0; q < face.n_quadrature_points; ++q)
              {
                const boundary::Coordinates x = coordinates(face.quadrature_point(q));
                std::array<double, dim>     tq;
                for (unsigned c = 0; c < dim; ++c)
                  tq[c] = style->traction(c, x, t);
                for (unsigned i = 0; i < n; ++i)
                  cell_rhs(i) += face.shape_value(i, q) * tq[fe_.system_to_component_index(i).first] * face.JxW(q);
              }
            for (unsigned i = 0; i < n; ++i)
              f(dofs[i]) += cell_rhs(i);
          }
      }
    f.compress(VectorOperation::add);
  }

  template class FaceConditions<1>;
  template class FaceConditions<2>;
  template class FaceConditions<3>;
} // namespace seam::fe
