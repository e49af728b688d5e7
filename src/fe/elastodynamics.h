// Explicit elastodynamics (linear, or hyperelastic with Material::strain_energy()) on the continuum
// mesh: Q_p elements, lumped mass, matrix-free internal force, central-difference (velocity Verlet) time
// stepping, boundary conditions (fixed, velocity, traction, absorbing dashpots) and energies.
#pragma once

#include "fe/box.h"
#include "fe/material.h"
#include "fe/mesh.h"

#include <deal.II/base/symmetric_tensor.h>
#include <deal.II/base/vectorization.h>
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

namespace seam
{
  class Expression;
}

namespace seam::fe
{
  /// The condition on the faces with one boundary id. Expressions are muparser strings in the
  /// reference coordinates x, y, z and time t (seam::Expression; y and z are 0 in lower dimensions).
  struct BoundaryCondition
  {
    enum class Type
    {
      free,      ///< zero traction (the natural condition; also every id not named)
      fixed,     ///< zero displacement and velocity
      velocity,  ///< prescribed velocity `value` (velocity units); displacement follows by integration
      traction,  ///< prescribed traction `value` (force per area, pressure units)
      absorbing  ///< viscous dashpots absorbing plane waves at normal incidence (Lysmer-Kuhlemeyer)
    };
    Type                     type = Type::free;
    std::vector<std::string> value; ///< velocity / traction: dim expressions; otherwise empty
  };

  /// Explicit elastodynamics: M a = -K u + f_ext with a lumped M (linear), or M a = -f_int(u) + f_ext
  /// with a nonlinear material (Material::strain_energy() set).
  ///
  /// Nonlinear material: f_int,I = int beta grad N_I : (P(F) - P(I)) dx with F = I + grad u and P the
  /// law's first Piola-Kirchhoff stress at the same Gauss points (total Lagrangian; Belytschko, Liu,
  /// Moran, "Nonlinear Finite Elements", 2000, sec. 4.9 and 6.2), and the strain energy
  /// int beta (W(F) - W(I) - P(I) : grad u): its gradient is f_int, so the scheme conserves it like the
  /// linear one, whose forces and energy are its linearisation (they differ at second order in grad u). Subtracting P(I) makes the reference state
  /// force free, as in the linear model (a prestressed lattice's reference stress is carried by the
  /// atoms' dead-load correction in the coupler). The stable step, dashpots and apply_stiffness() use
  /// the linearisation at F = I, and so do the force and energy of cell batches where every entry of
  /// grad u is below linear_threshold (1e-6; the difference is O(|W'''| |grad u|^2), < 1e-11 |C|): a
  /// quiet part of the mesh then costs what the linear model costs.
  ///
  /// Discretisation: FESystem(FE_Q(p), dim) on the mesh; K from the linearised first Piola-Kirchhoff
  /// stress P = C : sym(grad u) + grad u . S0 (S0 = Material::initial_stress(), zero for isotropic and
  /// cubic materials; the tangent A_ijkl = C_ijkl + delta_ik S0_jl of a prestressed reference) with
  /// (p+1)^dim Gauss points, applied matrix-free by sum factorisation (deal.II MatrixFree/FEEvaluation,
  /// Kronbichler and Kormann 2012, Comput. Fluids 63:135). Lumped mass from Gauss-Lobatto nodal
  /// quadrature (FE_Q's nodes are the Gauss-Lobatto points, so this M is diagonal and positive; for Q1
  /// it equals row-sum lumping).
  ///
  /// Blending weight (Params::weight = beta(x), the continuum's share of the energy in the handshake
  /// band of the bridging domain method; Xiao and Belytschko 2004, Comput. Methods Appl. Mech. Eng.
  /// 193:1645): the discrete Hamiltonian becomes H = 1/2 V^T M~ V + 1/2 u^T K~ u with
  ///   K~ = int beta grad N : A : grad N dx   (beta at the same Gauss points as K),
  ///   M~ = diagonal lumping of int beta rho N_I N_J dx.
  /// The lumping of M~ in a cell where beta is not identically 1 is HRZ (Hinton, Rock and Zienkiewicz
  /// 1976, Earthquake Eng. Struct. Dyn. 4:245): the consistent diagonal d_I = int beta rho N_I^2 (Gauss,
  /// (p+1)^dim points) scaled so that the cell's lumped mass is int beta rho (the same Gauss points).
  /// Why not beta at the Gauss-Lobatto nodes: beta vanishes on the inner edge of the band, which is the
  /// hole's face (a mesh boundary), so nodal quadrature would give zero mass there; d_I > 0 whenever
  /// beta > 0 somewhere inside the cell, so M~ is positive. For beta = 1, HRZ equals the Gauss-Lobatto
  /// nodal mass on affine Q1 and Q2 cells; cells where beta is exactly 1 at every Gauss and
  /// Gauss-Lobatto point keep the unweighted nodal mass and the unweighted (fast) kernel.
  ///
  /// Time integration: central difference in velocity Verlet form (Hughes, "The Finite Element
  /// Method", 2000, sec. 9.1; Belytschko, Liu, Moran, "Nonlinear Finite Elements", 2000, sec. 6.2):
  ///   v_{n+1/2} = v_n + dt/2 M^-1 (f_n - C v_n),  u_{n+1} = u_n + dt v_{n+1/2},
  ///   f_{n+1} = -K u_{n+1} + f_ext(t_{n+1}),       (M + dt/2 C) v_{n+1} = M v_{n+1/2} + dt/2 f_{n+1},
  /// where C is the (node-block-diagonal) dashpot matrix. Eliminating v_n gives the central difference
  /// with centred damping, M (u_{n+1} - 2u_n + u_{n-1})/dt^2 + C (u_{n+1} - u_{n-1})/(2 dt) + K u_n = f_n,
  /// which is stable for dt <= 2/omega_max for ANY dashpot strength, and dissipates exactly
  /// dt v_n^T C v_n per step (accumulated as absorbed_energy()).
  ///
  /// Absorbing boundary: traction -Z(n) v with the impedance tensor Z = rho sqrt(Gamma(n)) of
  /// Material::impedance, i.e. Lysmer and Kuhlemeyer (1969, J. Eng. Mech. Div. ASCE 95:859)
  /// -rho c_p (v.n) n - rho c_s (v - (v.n) n) for isotropic solids; lumped on the face nodes by
  /// Gauss-Lobatto face quadrature.
  ///
  /// Stable step: Irons' element eigenvalue theorem, lambda_max(M^-1 K) <= max_e lambda_max(M_e^-1 K_e)
  /// (Irons 1970; Hughes 2000, sec. 9.1.4), with the 24x24 (3D Q1) element problems solved by LAPACK
  /// (cached per element shape; per cell, with M~_e and K~_e, where the weight is not 1). The S0 term
  /// is part of K_e. stable_time_step() = 2 / sqrt(that bound) <= the true critical step
  /// (about 0.8 of it for uniform 3D Q1 meshes); estimate_max_eigenvalue() gives the sharp value.
  ///
  /// Prescribed velocities (fixed, velocity) overwrite the velocity of their DoFs after each kick and
  /// ignore the force there. Corners shared by ids of different types: fixed wins over velocity,
  /// velocity over absorbing/traction.
  ///
  /// Distribution: all vectors are LinearAlgebra::distributed::Vector<double> on the mesh's FE
  /// communicator with MatrixFree's ghost layout; after every public call the ghost values of the
  /// displacement and velocity are up to date. Every public non-accessor function is collective on
  /// that communicator unless said otherwise.
  template <int dim>
  class Elastodynamics
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
    bool is_prescribed(unsigned local_index) const { return prescribed_mask_[local_index]; }

    /// For the coupler: write owned entries, then call update_ghost_values() on the vector.
    VectorType &mutable_displacement() { return u_; }
    VectorType &mutable_velocity() { return v_; }
    /// An extra nodal force (force units, owned entries; zero by default) added at every force
    /// evaluation, e.g. the coupler's restricted atomistic forces.
    VectorType &external_force() { return f_user_; }

  private:
    struct Prescribed
    {
      unsigned           local;     // local (owned) index
      unsigned           component; // 0..dim-1
      dealii::Point<dim> x;
      int                expr;      // index into velocity_expr_ (times dim + component), -1 = fixed
    };
    struct DashpotNode
    {
      std::array<unsigned, dim> local; // local indices of the node's dim DoFs
      dealii::Tensor<2, dim>    c;     // dashpot matrix block (force / velocity units)
    };

    /// Weight data of the cell batches where Params::weight is not identically 1 (see weight_q_).
    void setup_weights();
    void compute_lumped_mass();
    void setup_boundary();
    void compute_stable_time_step();
    void assemble_traction(double t);
    void compute_force(double t);
    void apply_prescribed_velocity(double t);
    /// Shared energy loop: kinetic if `kinetic`, else strain; cell_filter on cell centres (may be
    /// null), point weight on quadrature points (may be null).
    double energy(bool kinetic, const std::function<bool(const dealii::Point<dim> &)> &cell_filter,
                  const WeightFunction &weight) const;
    void local_apply(const dealii::MatrixFree<dim, double> &mf, VectorType &dst, const VectorType &src,
                     const std::pair<unsigned, unsigned> &cells) const;
    /// beta at the Gauss points of cell batch `cell` (n_q_points entries), or null for batches where
    /// the weight is 1 (always null without Params::weight).
    const dealii::VectorizedArray<double> *gauss_weights(unsigned cell) const
    {
      return weight_offset_.empty() || weight_offset_[cell] == no_weight ? nullptr :
                                                                            &weight_q_[weight_offset_[cell]];
    }
    /// The HRZ mass factors at the Gauss-Lobatto points (quadrature 1) of cell batch `cell`, or null.
    const dealii::VectorizedArray<double> *mass_weights(unsigned cell) const
    {
      return weight_offset_.empty() || weight_offset_[cell] == no_weight ?
               nullptr :
               &mass_weight_q_[weight_offset_[cell]];
    }
    /// The nonlinear internal force int beta grad N : (P(F) - P(I)) of Material::strain_energy().
    void local_internal_force(const dealii::MatrixFree<dim, double> &mf, VectorType &dst, const VectorType &src,
                              const std::pair<unsigned, unsigned> &cells) const;
    template <int degree>
    void law_cells(const dealii::MatrixFree<dim, double> &mf, VectorType &dst, const VectorType &src,
                   const std::pair<unsigned, unsigned> &cells) const;
    /// Below this |grad u| (every entry, every Gauss point and lane of a cell batch) the nonlinear
    /// material uses its tangent at F = I: the two differ by O(|W'''| |grad u|^2) < 1e-11 |C|.
    static constexpr double linear_threshold = 1e-6;
    /// True if every entry of grad u at the evaluated Gauss points of phi is below linear_threshold.
    template <typename Phi>
    bool quiet(const Phi &phi) const;
    /// Cauchy stress J^-1 P F^T - P(I) of the nonlinear law at Gauss point q of cell batch `cell`.
    template <typename Phi>
    dealii::SymmetricTensor<2, dim, dealii::VectorizedArray<double>> law_cauchy_stress(const Phi &phi, unsigned q,
                                                                                        unsigned cell) const;
    /// The stiffness kernel for FE_Q(degree) (degree -1: any degree, sizes at run time).
    template <int degree>
    void apply_cells(const dealii::MatrixFree<dim, double> &mf, VectorType &dst, const VectorType &src,
                     const std::pair<unsigned, unsigned> &cells) const;

    MPI_Comm                                comm_;
    Material<dim>                           material_;
    Params                                  params_;
    dealii::FESystem<dim>                   fe_;
    dealii::MappingQ<dim>                   mapping_;
    dealii::DoFHandler<dim>                 dof_handler_;
    dealii::AffineConstraints<double>       constraints_;
    dealii::MatrixFree<dim, double>         mf_;
    dealii::SymmetricTensor<4, dim, dealii::VectorizedArray<double>> c_vec_;
    bool                                               has_s0_ = false; // S0 != 0: general kernel
    dealii::Tensor<2, dim, dealii::VectorizedArray<double>> s0_vec_;
    const StrainEnergy<dim>                                *law_ = nullptr; // Material::strain_energy()
    dealii::Tensor<2, dim>                                  p_ref_;         // P(I) of law_
    double                                                  w_ref_ = 0;     // W(I) of law_

    // Blending weight, only for cell batches with a lane where beta is not identically 1:
    // weight_offset_[batch] indexes weight_q_ (beta at the (p+1)^dim Gauss points of quadrature 0) and
    // mass_weight_q_ (the HRZ nodal mass over rho * JxW at the Gauss-Lobatto points of quadrature 1,
    // i.e. at the nodes; 1 on lanes where beta is 1), no_weight for the others; empty without a weight.
    static constexpr unsigned                      no_weight = ~0u;
    std::vector<unsigned>                          weight_offset_;
    std::vector<dealii::VectorizedArray<double>>   weight_q_, mass_weight_q_;
    std::vector<unsigned char>                     unit_lane_; // [batch * lanes + lane]: beta == 1

    VectorType u_, v_, f_, mass_, f_user_, f_traction_;
    bool       has_traction_ = false, traction_depends_on_t_ = false;

    std::vector<Prescribed>               prescribed_;
    std::vector<bool>                     prescribed_mask_;
    std::vector<std::unique_ptr<Expression>> velocity_expr_; // dim per velocity condition
    std::vector<std::pair<unsigned, std::vector<std::unique_ptr<Expression>>>> traction_expr_;
    std::vector<DashpotNode>              dashpots_;
    std::vector<bool>                     dashpot_mask_;
    double                                absorbed_local_ = 0;

    double lambda_bound_ = 0, stable_dt_ = 0;
  };
} // namespace seam::fe
