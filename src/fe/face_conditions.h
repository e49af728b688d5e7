// The boundary conditions of the continuum on its mesh: which DoFs have a prescribed velocity, the
// dashpot blocks of absorbing faces and the traction load, from the styles of fe/boundary/.
#pragma once

#include "fe/boundary/boundary_condition.h"
#include "fe/boundary/boundary_style.h"
#include "fe/material.h"

#include <deal.II/base/partitioner.h>
#include <deal.II/base/tensor.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/fe.h>
#include <deal.II/fe/mapping.h>
#include <deal.II/lac/la_parallel_vector.h>

#include <array>
#include <map>
#include <memory>
#include <vector>

namespace seam::fe
{
  /// The face conditions by boundary id (ids not listed are free), applied to the DoFs of this rank.
  ///
  /// Prescribed velocities (BoundaryStyle::prescribes_velocity) hold the velocity of the owned DoFs on
  /// their faces; a DoF on faces of several such conditions takes the one of highest velocity_rank()
  /// (fixed over velocity). Ghost cells are visited too: an owned node may lie on a boundary face of a
  /// neighbour's cell only (re-entrant corners of the hole).
  ///
  /// Absorbing faces (BoundaryStyle::absorbs): the dashpot traction -Z(n) v with the material's impedance
  /// Z (Material::impedance) lumped on the face nodes by Gauss-Lobatto face quadrature, one dim x dim
  /// block per owned node; nodes with a prescribed velocity get none.
  ///
  /// Tractions (BoundaryStyle::has_traction): integrated with (p+1)^(dim-1) Gauss points per face.
  template <int dim>
  class FaceConditions
  {
  public:
    using VectorType = dealii::LinearAlgebra::distributed::Vector<double>;

    struct PrescribedDof
    {
      unsigned                        local;     ///< local (owned) index
      unsigned                        component; ///< 0..dim-1
      boundary::Coordinates           x;         ///< the node's reference position
      const boundary::BoundaryStyle *style;
    };
    struct DashpotNode
    {
      std::array<unsigned, dim> local; ///< local indices of the node's dim DoFs
      dealii::Tensor<2, dim>    c;     ///< dashpot matrix block (force / velocity units)
    };

    /// Creates the conditions (fe/boundary/registry.h) and finds their DoFs. `part` is the vector layout.
    /// Not collective. @throws seam::InputError (alike on every rank) for an unknown style or a value
    /// that does not fit it.
    FaceConditions(const std::map<unsigned, BoundaryCondition> &conditions, const dealii::DoFHandler<dim> &dofs,
                   const dealii::Mapping<dim> &mapping, const Material<dim> &material,
                   const dealii::Utilities::MPI::Partitioner &part);
    ~FaceConditions();

    const std::vector<PrescribedDof> &prescribed() const { return prescribed_; }
    /// True for owned DoFs whose velocity is prescribed, by local index.
    bool is_prescribed(unsigned local) const { return prescribed_mask_[local]; }
    const std::vector<DashpotNode> &dashpots() const { return dashpots_; }
    /// True for owned DoFs of a dashpot node, by local index.
    bool has_dashpot(unsigned local) const { return dashpot_mask_[local]; }

    /// v = the prescribed velocity at time t on the prescribed DoFs (owned entries; ghosts untouched).
    void apply_prescribed_velocity(VectorType &v, double t) const;
    /// u = the prescribed displacement at time t on the DoFs of conditions that prescribe it (fixed: 0;
    /// displacement, k_field; owned entries).
    void hold_displacement(VectorType &u, double t) const;

    bool has_traction() const { return has_traction_; }
    bool traction_depends_on_time() const { return traction_depends_on_t_; }
    /// f = the traction load at time t (owned entries, compressed; zero without tractions). Collective.
    void assemble_traction(double t, VectorType &f) const;

  private:
    /// The style of boundary id `id`, or null if free or not listed.
    const boundary::BoundaryStyle *style_of(unsigned id) const;
    void find_prescribed(const dealii::Utilities::MPI::Partitioner &part);
    void find_dashpots(const Material<dim> &material, const dealii::Utilities::MPI::Partitioner &part);

    const dealii::DoFHandler<dim>                                    &dofs_;
    const dealii::FiniteElement<dim>                                 &fe_;
    const dealii::Mapping<dim>                                       &mapping_;
    std::map<unsigned, std::unique_ptr<boundary::BoundaryStyle>>      styles_;
    std::vector<PrescribedDof>                                        prescribed_;
    std::vector<bool>                                                 prescribed_mask_;
    std::vector<dealii::types::global_dof_index>                      prescribed_global_; // sorted
    std::vector<DashpotNode>                                          dashpots_;
    std::vector<bool>                                                 dashpot_mask_;
    bool has_traction_ = false, traction_depends_on_t_ = false;
  };
} // namespace seam::fe
