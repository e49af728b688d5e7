// Explicit elastodynamics (linear, or hyperelastic with Material::strain_energy()) on the continuum
// mesh: the facade owning the discretisation and its parts (operator, weights and mass, boundary
// conditions, energies, stable step), and the central-difference (velocity Verlet) time integrator.
#pragma once

#include "base/state.h"
#include "fe/boundary/boundary_condition.h"
#include "fe/box.h"
#include "fe/material.h"
#include "fe/mesh.h"

#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/fe_system.h>
#include <deal.II/fe/mapping_q.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/la_parallel_vector.h>
#include <deal.II/matrix_free/matrix_free.h>

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace seam::fe
{
  template <int dim>
  class VectorizedMaterial;
  template <int dim>
  class BlendingWeights;
  template <int dim>
  class ElasticityOperator;
  template <int dim>
  class Energies;
  template <int dim>
  class FaceConditions;

  /// Explicit elastodynamics: M a = -K u + f_ext with a lumped M (linear), or M a = -f_int(u) + f_ext
  /// with a nonlinear material (Material::strain_energy() set).
  ///
  /// Nonlinear material: f_int = int beta grad N : (P(F) - P(I)) dx (ElasticityOperator) and the strain
  /// energy int beta (W(F) - W(I) - P(I) : grad u) (Energies): its gradient is f_int, so the scheme
  /// conserves it like the linear one, whose forces and energy are its linearisation (they differ at
  /// second order in grad u). Subtracting P(I) makes the reference state force free, as in the linear
  /// model (a prestressed lattice's reference stress is carried by the atoms' dead-load correction in the
  /// coupler). The stable step, dashpots and apply_stiffness() use the linearisation at F = I.
  ///
  /// Discretisation: FESystem(FE_Q(p), dim) on the mesh; K from the linearised first Piola-Kirchhoff
  /// stress with (p+1)^dim Gauss points, applied matrix-free (ElasticityOperator); lumped mass from
  /// Gauss-Lobatto nodal quadrature, HRZ where the blending weight Params::weight is not 1
  /// (BlendingWeights); the discrete Hamiltonian is then H = 1/2 V^T M~ V + 1/2 u^T K~ u.
  ///
  /// Time integration: central difference in velocity Verlet form (Hughes, "The Finite Element
  /// Method", 2000, sec. 9.1; Belytschko, Liu, Moran, "Nonlinear Finite Elements", 2000, sec. 6.2):
  ///   v_{n+1/2} = v_n + dt/2 M^-1 (f_n - C v_n),  u_{n+1} = u_n + dt v_{n+1/2},
  ///   f_{n+1} = -K u_{n+1} + f_ext(t_{n+1}),       (M + dt/2 C) v_{n+1} = M v_{n+1/2} + dt/2 f_{n+1},
  /// where C is the (node-block-diagonal) dashpot matrix of absorbing faces (FaceConditions). Eliminating
  /// v_n gives the central difference with centred damping,
  /// M (u_{n+1} - 2u_n + u_{n-1})/dt^2 + C (u_{n+1} - u_{n-1})/(2 dt) + K u_n = f_n,
  /// which is stable for dt <= 2/omega_max for ANY dashpot strength, and dissipates exactly
  /// dt v_n^T C v_n per step (accumulated as absorbed_energy()).
  ///
  /// Stable step: Irons' element eigenvalue bound (max_eigenvalue_bound() in stable_step.h).
  ///
  /// Boundary conditions (Params::boundary, the styles of fe/boundary/ applied by FaceConditions):
  /// prescribed velocities (fixed, velocity) overwrite the velocity of their DoFs after each kick and
  /// ignore the force there. Corners shared by ids of different types: fixed wins over velocity,
  /// velocity over absorbing/traction.
  ///
  /// Distribution: all vectors are LinearAlgebra::distributed::Vector<double> on the mesh's FE
  /// communicator with MatrixFree's ghost layout; after every public call the ghost values of the
  /// displacement and velocity are up to date. Every public non-accessor function is collective on
  /// that communicator unless said otherwise.
  template <int dim>
  class Elastodynamics : public Checkpointable
  {
  public:
    using VectorType     = dealii::LinearAlgebra::distributed::Vector<double>;
    using WeightFunction = std::function<double(const dealii::Point<dim> &)>;

    struct Params
    {
      unsigned degree = 1; ///< polynomial degree p of FE_Q, >= 1
      /// Boundary conditions by boundary id (seam::fe::boundary_id); ids not listed are free.
      std::map<unsigned, BoundaryCondition> boundary;
      /// Blending weight beta(x) (dimensionless) multiplying the stiffness and mass integrands (see the
      /// class comment); empty = 1 everywhere. @pre beta >= 0 everywhere and > 0 at some Gauss point
      /// of every cell (it may vanish on cell faces); violations throw seam::RuntimeError on every
      /// rank. Evaluated only in the constructor. Dashpots, tractions and prescribed velocities are
      /// not weighted.
      WeightFunction weight;
      /// Graded stiffness-proportional (Rayleigh) damping C = K_beta, beta(x) = cutoff_damping h(x) / c
      /// with h(x) = sqrt(dim / sum_d h_d^-2) from the element's edges h_d at x (its edge on a cube; on
      /// the elongated cells of a graded tensor mesh close to the short edges, which set the cell's
      /// highest frequency: with the largest edge the damping ratio there exceeded what the stable
      /// step allows for, and coupled runs with 25 substeps blew up) and c the material's largest
      /// wave speed: each
      /// element damps the frequencies near its own cutoff 2c/h with the damping ratio zeta =
      /// beta omega / 2 ~ cutoff_damping, and low frequencies only in proportion to omega h / c. Where
      /// the mesh coarsens, a wave that the next, coarser elements cannot carry is damped before it
      /// reaches them instead of being reflected (the dispersion argument in the README, "Coupled
      /// runs"; Rayleigh damping: Hughes 2000 sec. 9.3; grading it with the element size as for the
      /// spurious high-frequency modes of graded meshes, Bazant 1978, IJNME 12:1129 on wave
      /// reflection at mesh grading). Explicit: the force -K_beta v_{n+1/2} enters the next force
      /// evaluation; the stable step is reduced by sqrt(1 + zeta^2) - zeta with zeta = cutoff_damping
      /// sqrt(dim). 0: none (no cost).
      double cutoff_damping = 0.0;
    };

    /// Distributes DoFs, builds the matrix-free operator, lumped mass, boundary data and the stable
    /// step bound. u = v = 0. Collective on mesh.communicator().
    /// @throws seam::InputError if a boundary expression does not parse or has the wrong count.
    Elastodynamics(const Mesh<dim> &mesh, const Material<dim> &material, const Params &params);
    ~Elastodynamics();
    Elastodynamics(const Elastodynamics &) = delete;
    Elastodynamics &operator=(const Elastodynamics &) = delete;

    /// Sets u and v at every node from dim expressions each (in x, y, z, t; evaluated at time t),
    /// applies fixed/velocity conditions and evaluates the force f(t).
    /// @throws seam::InputError if an expression does not parse or the counts are not dim.
    void set_initial_conditions(const std::vector<std::string> &displacement,
                                const std::vector<std::string> &velocity, double t = 0.0);

    /// One full step from time t to t + dt (t = step * dt computed by the caller, never accumulated).
    /// @pre dt <= stable_time_step() for a stable run (not checked).
    void step(double t, double dt);
    /// First half of step(): half kick to v_{n+1/2} (at time t) and drift of u to t + dt.
    void kick_drift(double t, double dt);
    /// The half kick of kick_drift() alone: v_{n+1/2} (dashpots, prescribed velocities at t + dt/2).
    void kick(double t, double dt);
    /// The drift of kick_drift() alone: u += dt v (any dt: a coupled run drifts in MD substeps, the
    /// velocity changing only by the constraint impulses in between). Ghosts updated.
    void drift(double dt);
    /// Second half of step(): force at t + dt and the closing half kick. @pre kick_drift(t, dt) before.
    void force_kick(double t, double dt);

    /// Largest step that is guaranteed stable (time units): 2 / sqrt(bound on lambda_max(M^-1 K)).
    /// Apply a safety factor for production (the deck's `time_step: auto`).
    double stable_time_step() const { return stable_dt_; }
    /// The bound on lambda_max(M^-1 K) (1/time^2) behind stable_time_step(). It is conservative:
    /// exact for a uniform 1D chain, about 1.5 x lambda_max for uniform 3D Q1 meshes, more where the
    /// smallest elements form an isolated thin layer.
    double max_eigenvalue_bound() const { return lambda_bound_; }
    /// A sharp estimate of lambda_max(M^-1 K) (1/time^2) from `iterations` power iterations on
    /// M^-1/2 K M^-1/2 (Rayleigh quotient: a lower bound that converges from below). Costs
    /// `iterations` operator applications; 2/sqrt(estimate) times a safety factor (e.g. 0.9) is a
    /// step closer to the critical one than stable_time_step(). Collective.
    double estimate_max_eigenvalue(unsigned iterations = 100) const;

    /// 1/2 v^T M v over the whole mesh (energy units). With Params::weight set this is the WEIGHTED
    /// total 1/2 V^T M~ V, the kinetic part of the Hamiltonian this object integrates.
    double kinetic_energy() const;
    /// 1/2 u^T K u over the whole mesh (energy units): 1/2 int grad u : A : grad u with the Gauss
    /// points of K (nonlinear material: int W(F) - W(I) - P(I) : grad u, see the class comment). With Params::weight set this is the WEIGHTED total 1/2 u^T K~ u.
    double strain_energy() const;
    /// The part of the cells whose centre lies in `region` (exact split when region faces lie on
    /// element faces, as the md_region and hole faces do); weighted like the totals.
    double kinetic_energy(const Box<dim> &region) const;
    double strain_energy(const Box<dim> &region) const;
    /// The totals above with an extra weight w on top of Params::weight (if set): kinetic
    /// 1/2 sum_cells sum_nodes w(x_I) m_I^cell |V_I|^2 (w at the nodes, m^cell the cell's share of the
    /// lumped mass M~), strain 1/2 int w beta grad u : A : grad u (w at the Gauss points). With w an
    /// indicator function of the band, the coupler splits the band's share from the rest; w = 1 gives
    /// the totals.
    double kinetic_energy(const WeightFunction &weight) const;
    double strain_energy(const WeightFunction &weight) const;
    /// Energy removed by the absorbing boundaries so far (>= 0, energy units).
    double absorbed_energy() const;

    /// Checkpoint: the locally owned entries of u, v and the force of the last evaluation (the next half
    /// kick uses it), and this rank's absorbed-energy tally, in local order. load_state() restores them
    /// on an object built from the same deck on the same number of ranks (p4est partitions the same mesh
    /// the same way), so the continuation is bit-for-bit; ghosts are updated. Collective.
    void save_state(StateOut &out) const override;
    void load_state(const StateIn &in) override;
    /// load_state() on another number of FE ranks (StateIn::same_layout() false): each owned DoF takes the
    /// saved values of the DoF at the same support point and component. Collective.
    void load_redistributed(const StateIn &in);
    /// Per owned DoF (local order) its support point and component: dim + 1 values.
    std::vector<double> owned_support_points() const;

    /// Nodal Cauchy stress sigma = C : sym grad u (small strain; pressure units of C) by a row-sum
    /// lumped L2 projection: sigma_k = int phi_k sigma_h dx / int phi_k dx with (p+1)^dim Gauss points,
    /// i.e. at a vertex of a Q1 mesh the volume-weighted average of the cells' stresses around it
    /// (Zienkiewicz and Taylor, "The Finite Element Method", vol. 1, sec. 14.2 on lumped stress
    /// projection). Reproduces a uniform stress field exactly (to round-off) at every node.
    /// Output: `stress[i]` is row i of sigma in this object's layout (initialize_vector() is called
    /// on it), its component j at a node being sigma_ij; ghosts are up to date on return.
    /// The initial stress S0 is the stress of the reference state and is NOT included (add it if the
    /// total stress is wanted), nor is the blending weight (this is the material's stress).
    /// Collective on communicator().
    void compute_nodal_stress(std::array<VectorType, dim> &stress) const;

    /// dst = K src (K~ with Params::weight set, including the S0 term; no boundary conditions; with a
    /// nonlinear material K is its tangent at the reference). src
    /// and dst must have this object's layout (initialize_vector()).
    void apply_stiffness(VectorType &dst, const VectorType &src) const;
    /// Sizes v with this object's parallel layout (owned + ghost DoFs).
    void initialize_vector(VectorType &v) const;

    // Accessors (not collective).
    const dealii::DoFHandler<dim>    &dof_handler() const { return dof_handler_; }
    const dealii::FESystem<dim>      &fe() const { return fe_; }
    const dealii::Mapping<dim>       &mapping() const { return mapping_; }
    const Material<dim>              &material() const { return material_; }
    MPI_Comm                          communicator() const { return comm_; }
    dealii::types::global_dof_index   n_dofs() const { return dof_handler_.n_dofs(); }
    const VectorType &displacement() const { return u_; } ///< length units, ghosts up to date
    const VectorType &velocity() const { return v_; }     ///< velocity units, ghosts up to date
    /// Current force f = -K u + f_traction + external_force() (0 on prescribed DoFs), owned entries.
    const VectorType &force() const { return f_; }
    /// Diagonal of the lumped mass matrix (mass units; M~ with Params::weight set), owned entries.
    const VectorType &lumped_mass() const { return mass_; }
    /// True for owned DoFs whose velocity is prescribed (fixed or velocity conditions), by local index.
    bool is_prescribed(unsigned local_index) const;

    /// For the coupler: write owned entries, then call update_ghost_values() on the vector.
    VectorType &mutable_displacement() { return u_; }
    VectorType &mutable_velocity() { return v_; }
    /// An extra nodal force (force units, owned entries; zero by default) added at every force
    /// evaluation, e.g. the coupler's restricted atomistic forces.
    VectorType &external_force() { return f_user_; }

  private:
    void compute_force(double t);
    void apply_prescribed_velocity(double t);

    MPI_Comm                          comm_;
    Material<dim>                     material_;
    Params                            params_;
    dealii::FESystem<dim>             fe_;
    dealii::MappingQ<dim>             mapping_;
    dealii::DoFHandler<dim>           dof_handler_;
    dealii::AffineConstraints<double> constraints_;
    dealii::MatrixFree<dim, double>   mf_;

    std::unique_ptr<VectorizedMaterial<dim>> law_at_points_;
    std::unique_ptr<BlendingWeights<dim>>    weights_;
    std::unique_ptr<ElasticityOperator<dim>> operator_;
    std::unique_ptr<BlendingWeights<dim>>    damping_weights_;  // beta(x) (times Params::weight)
    std::unique_ptr<ElasticityOperator<dim>> damping_operator_; // K_beta, null without cutoff_damping
    std::unique_ptr<Energies<dim>>           energies_;
    std::unique_ptr<FaceConditions<dim>>     faces_;

    VectorType u_, v_, f_, mass_, f_user_, f_traction_, f_damp_;
    double     absorbed_local_ = 0, damping_power_ = 0;
    double     lambda_bound_ = 0, stable_dt_ = 0;
  };
} // namespace seam::fe
