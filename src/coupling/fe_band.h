// The continuum side of the handshake: band atoms located in the FE cells owned by this rank, the
// consistent (interpolation) and conservative (restriction) transfers, and the Lagrange-multiplier solve
// that ties the band atoms to the FE field.
#pragma once

#include "base/state.h"
#include "base/types.h"
#include "coupling/handshake.h"
#include "coupling/sparse_cholesky.h"
#include "fe/elastodynamics.h"
#include "fe/mesh.h"

#include <deal.II/base/point.h>
#include <deal.II/grid/grid_tools_cache.h>
#include <deal.II/grid/tria.h>
#include <deal.II/lac/la_parallel_vector.h>

#include <array>
#include <map>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

namespace seam::coupling
{
  /// What the constraints tie (coupling.constraint).
  enum class ConstraintType
  {
    velocity,    ///< increments over every FE step: the initial mismatch (if any) is kept
    displacement ///< total displacements: the mismatch is removed
  };

  /// Band atoms on the FE ranks and the bridging-domain constraint solve.
  ///
  /// Constraints (one per FE node J in the band and component, the weak or "L2" form of the
  /// bridging-domain constraint, Xiao & Belytschko 2004 sec. 3 with the multiplier field discretised by
  /// the FE shape functions as in the Arlequin method, Ben Dhia & Rateau 2005, IJNME 62:1442):
  ///   g_J = sum_a N_J(X_a) (u_a - u_h(X_a)) = (B u - C U)_J,   C = sum_a N(X_a) N(X_a)^T,
  /// i.e. the FE field must equal the atoms' displacement in the least-squares sense of the band's
  /// shape functions; fine-scale motion that the mesh cannot represent stays free (and is damped by
  /// the coupler). An affine field satisfies g = 0 exactly, for any mesh/lattice alignment.
  ///
  /// Coarse multipliers (Params::multiplier_spacing = s > 1): the multiplier field is spanned by linear
  /// hats on a grid s times coarser than the band mesh along each axis that borders the continuum (its
  /// nodes every s h from the core's face; for integer s on a uniform band a subspace of the FE space):
  /// the constraints are g' = P^T g with P the hats' values at the band nodes, S' = P^T S P,
  /// lambda = P lambda'. Waves between the mesh's own cutoff 2c/h and the
  /// mesh Nyquist pi/h, which the lumped mesh cannot carry but one multiplier per node ties to it (the
  /// origin of the reflection peak at k = pi/h), are then left to the atoms and the band's absorber; the
  /// constraint ties only k < pi/(s h), which the mesh carries. Multiplier spaces coarser than the
  /// displacement spaces (the choice of the mediator space in overlapping coupling): Guidault &
  /// Belytschko 2007, IJNME 70:322. Still exact for affine fields (g = 0 row by row implies g' = 0).
  ///
  /// Correction (SHAKE for linear constraints, Ryckaert, Ciccotti & Berendsen 1977): after a trial
  /// drift of both sides over the step dt between corrections, impulses -B^T lambda dt on the atoms
  /// (mass m~_a = max(alpha, floor) m) and +C lambda dt on the nodes (lumped mass M~ of the
  /// (1 - alpha)-weighted continuum) with
  ///   S lambda = (g* - g_target) / dt^2,   S = B M_a^-1 B^T + C M~^-1 C,
  /// make g = g_target exactly (g_target = 0 for displacement constraints, the initial g for velocity
  /// constraints). Velocity corrections dv = dt M^-1 (impulse), position corrections dt dv. S is
  /// symmetric positive semi-definite (singular where some FE field vanishes at every atom; the
  /// right-hand side is then in its range) and CONSTANT: B and C hold shape values at the atoms'
  /// reference sites, and both masses are fixed.
  ///
  /// When the correction is applied (the caller's choice, coupling.constrain_every):
  /// - every MD substep (Params::predictor = false, the default of the app): multiple time stepping
  ///   with constraints in the r-RESPA form (Tuckerman, Berne & Martyna 1992, J. Chem. Phys. 97:1990;
  ///   with SHAKE in the inner loop as in constrained MTS MD). The FE's internal force is the slow force,
  ///   a half kick at each end of the FE step; the atoms' forces and the constraint are fast: the FE
  ///   nodes drift with the atoms in MD substeps and the constraint holds at every one of them. Each
  ///   part is a symplectic map, so e_total has no secular drift: its deviation stays at the
  ///   O((omega dt_FE)^2) level of the FE's own central difference (measured below the FE-only run's).
  /// - once per FE step (Params::predictor = true): the atoms subcycle under the accumulated multiplier
  ///   field as a constant predicted force (-B^T lambda on the atoms, +C lambda on the nodes through
  ///   Elastodynamics::external_force()), then one correction. Exact without subcycling; with it the
  ///   jump dt dv at the end of the FE step costs O((omega dt_FE)^2) of the band's energy per crossing.
  ///
  /// Solver: S is assembled over the band's rows once in finalize(), replicated on every FE rank (the
  /// band is a thin layer: 10^3-10^4 DoFs). The components do not couple and, unless a node's components
  /// have different masses, share one scalar matrix: S is factorised once per component block by sparse
  /// Cholesky (SparseCholesky, CHOLMOD). The product C M~^-1 C couples DoFs two cells apart, which the
  /// assembly carries out on the gathered entries. Rows of S that no atom reaches get a unit diagonal
  /// (their right-hand side is 0). Nodes with prescribed velocity (fixed/velocity boundaries) are
  /// infinitely heavy.
  ///
  /// Work on the band only: every quantity of the correction (g, its target, lambda, the node impulses)
  /// lives in a compact vector over the band DoFs (BandVector, band order, complete on every FE rank
  /// after one allreduce of the ranks' partial sums), and the corrections are applied to the band's
  /// entries of u and v on every rank that holds them (owned or ghost), so the ghosts stay consistent
  /// without a ghost exchange. The cost of a correction is proportional to the band's atoms and DoFs,
  /// independent of the size of the mesh. drift_band() / drift_rest() split the FE's drift the same way:
  /// the band's nodes drift at every exchange point, the rest once per FE step by the summed time (their
  /// velocities do not change between the FE step's kicks).
  /// Atom location (deal.II GridTools::find_active_cell_around_point with a GridTools::Cache, then
  /// find_all_active_cells_around_point): the cells containing the atom's reference position X (to
  /// 1e-10 in unit coordinates) are the candidates; an atom on a face, edge or vertex shared by several
  /// cells goes to the one that has it on the fewest upper faces, compared axis by axis from the last
  /// unit axis to the first (X counts as on a cell's upper face along axis d if its unit coordinate
  /// xi_d > 1 - 1e-12), ties broken by the smaller CellId. On the axis-aligned meshes of fe::Mesh this is
  /// the half-open rule [x_i, x_i+1) per axis, with points on the hole boundary going to the existing
  /// neighbour. The rule depends only on the candidates, which every rank that owns one of them sees
  /// (they share a vertex with it, so they are in its ghost layer): the atom belongs to exactly one FE
  /// rank whatever the partition. Unit coordinates by the mapping's transform_real_to_unit_cell, except
  /// on axis-parallel box cells, where the exact inverse (X - lo) / (hi - lo) is used with lo and hi the
  /// mesh's break coordinates (fe::Mesh::coordinates(); deal.II's vertices are their partial sums and
  /// differ in the last bits, deal.II's Q1 inverse is iterative in 3D): this keeps the transfers bitwise
  /// those of the former tensor-index lookup (using the vertices changes coupled runs by ~1e-12
  /// relative). Atom data are kept in slots sorted by id, so every sum over atoms runs in the same order
  /// whatever the number of MD ranks.
  template <int dim>
  class FeBand
  {
  public:
    using VectorType = typename fe::Elastodynamics<dim>::VectorType;

    struct Params
    {
      double         atom_mass  = 1.0;  ///< consistent mass units (amu x mvv2e in metal units)
      double         mass_floor = 1e-3; ///< m~ = max(alpha, floor) m, as on the MD side
      ConstraintType constraint = ConstraintType::velocity;
      /// Accumulate the multipliers into a persistent force field (the predictor of the class comment;
      /// for one correction per FE step). False: each correct() is a plain SHAKE correction (for a
      /// correction at every MD substep), multiplier_at_atoms() stays zero and the FE's external force
      /// is left alone.
      bool           predictor = true;
      /// Band dashpot (coupling.damping.style dashpot): the largest rate gamma_max [1/time] of the
      /// dashpot between each band atom and the continuum at its site (see dashpot()); 0: none.
      double         dashpot_rate = 0.0;
      /// coupling.damping.temperature: k_B T [energy] of the band's heat bath (see dashpot()); 0: none,
      /// the dashpot only absorbs.
      double         dashpot_kT = 0.0;
      /// Seed of those impulses (coupling.damping.seed).
      std::uint64_t  dashpot_seed = 1;
      /// The heat bath's relaxation time tau for an atom of full weight [time] (coupling.damping.time_constant).
      double         bath_time = 1.0;
      /// coupling.multiplier_spacing: the multipliers' node spacing in band elements along each axis
      /// that borders the continuum (1: one per node; s > 1: linear hats every s h, see the class
      /// comment; for degree 2 the hats are still linear, every s elements).
      double         multiplier_spacing = 1.0;
    };

    /// Not collective. The objects must outlive this one.
    FeBand(const fe::Mesh<dim> &mesh, fe::Elastodynamics<dim> &fe, const Handshake &handshake,
           const Params &params);

    /// True if this rank owns the cell of reference position X (see the class comment). Not collective.
    bool owns(const Vec3 &X) const;
    /// Registers an atom; @pre owns(X). Not collective.
    void add_atom(GlobalId id, const Vec3 &X);
    /// Sorts the slots by id, assembles and factorises S. Collective on the FE communicator.
    void finalize();
    /// Number of DoFs in the band system (rows of S that some atom reaches, summed over the FE ranks).
    /// Not collective.
    std::size_t n_band_dofs() const { return band_dofs_.size(); }
    /// How S was factorised, e.g. "1504 rows shared by the 3 components, 412345 entries in the factor".
    /// Not collective.
    std::string factor_summary() const;

    std::size_t n_atoms() const { return slots_.size(); }
    GlobalId    id(std::size_t slot) const { return slots_[slot].id; }
    /// Slot of an atom id, or -1. Not collective.
    long slot_of(GlobalId id) const;

    /// Sets g_target from the atoms' displacements (dim per slot, slot order) and the current FE field:
    /// the initial mismatch for velocity constraints, 0 for displacement constraints. Collective.
    void set_target(const std::vector<double> &u_atoms);

    /// The constraint correction at the end of an FE step: `u_atoms` holds the atoms' trial
    /// displacements (dim per slot), the FE holds its trial u(t+dt), v(t+dt/2). Corrects the FE's u and
    /// v (ghosts updated) and returns per slot the atoms' velocity correction `dv` (their position
    /// correction is dt dv) and the corrected FE velocity interpolated at the atom `v_fe` (dim per slot
    /// each). Collective on the FE communicator.
    void correct(const std::vector<double> &u_atoms, double dt, std::vector<double> &dv,
                     std::vector<double> &v_fe);
    /// The multiplier field accumulated over all corrections so far, interpolated at the atoms (dim per
    /// slot, force units): the atoms' predicted constraint force for the next FE step is minus this
    /// (the nodes get +C lambda through Elastodynamics::external_force(), set by correct()).
    void multiplier_at_atoms(std::vector<double> &l) const;

    /// The band dashpot (Params::dashpot_rate > 0): a linear dashpot between every band atom a and the
    /// continuum at its reference site, force -m~_a gamma_a (v_a - v_h(X_a)) on the atom and the
    /// reaction N(X_a) m~_a gamma_a (v_a - v_h(X_a)) on the nodes, so that momentum is kept and the
    /// power is -sum_a m~_a gamma_a |v_a - v_h(X_a)|^2 <= 0: it only ever removes energy, and only from
    /// motion in which the atoms and the continuum differ (what the mesh cannot carry, or carries with a
    /// different phase). gamma_a = gamma_max (1 - alpha_a)^2: zero at the band's inner edge, rising
    /// smoothly to gamma_max at its outer edge (a graded absorbing layer, the stadium damping of Holian &
    /// Ravelo 1995, PRB 51:11275, and Qu, Shastry, Curtin & Miller 2005, MSMSE 13:1101, applied to the
    /// atom-continuum difference as the bridging-scale fine scale, Wagner & Liu 2003, JCP 190:249).
    /// Over one step dt the relative velocity decays by exp(-gamma dt) (exact for a rigid continuum: a
    /// rate in 1/time, independent of the step). The impulse is then projected back onto the velocity
    /// constraint (the constraint's own impulses, one more solve with S: an M-orthogonal projection, so
    /// it removes energy too and the next correction has nothing of the dashpot's left to remove). `v_atoms` (dim per slot) are the atoms' velocities after
    /// this step's correction; returns the atoms' velocity kick (dim per slot), updates the FE velocity
    /// (ghosts too) and adds the kinetic energy removed (atoms and nodes, this rank's share) to
    /// dashpot_removed_local(). Collective on the FE communicator.
    ///
    /// At finite temperature (Params::dashpot_kT > 0: coupling.damping.temperature, the band's heat
    /// bath; add_heat_bath()): after the dashpot's impulse, each band atom's velocity relative to the
    /// continuum, w = v_a - v_h(X_a), takes on top the friction of a Langevin bath of rate
    /// m / (tau m~_a) = 1 / (tau alpha_a) (over the whole band, inner edge included, where the dashpot
    /// vanishes), and a random kick sqrt((1 - e_a^2) k_B T / m) xi whose e_a is the atom's combined decay
    /// factor of the dashpot and the bath over the step: the exact Ornstein-Uhlenbeck step of the
    /// relative velocity (the discrete Langevin step of Bussi & Parrinello 2007, PRE 75:056707; the
    /// stadium thermostat of Qu, Shastry, Curtin & Miller 2005, MSMSE 13:1101, on the bridging-scale
    /// fine scale of Wagner & Liu 2003; a Markovian form of the phonon heat bath of Karpov, Park & Liu
    /// 2007). Measured choices (2D LJ at T = 0.1, README "Coupled runs"):
    /// - the kicks lose their coarse part, xi' = xi - M~^-1 B^T A^-1 B xi with A = B M~^-1 B^T (P^T A P
    ///   for coarse multipliers; factorised in factorize() only when T > 0), so that B xi' = 0: they
    ///   change no constraint and never drive the continuum (kept, they heated a strongly bathed core
    ///   to 0.27);
    /// - the target is the atom's real mass m, so that every band atom moves as an atom at T (thermo's
    ///   temperature_band): at the blended dynamics' own equilibrium, k_B T / m~, the light atoms of the
    ///   outer band ran away within 40 steps;
    /// - without the bath at the inner edge, where the dashpot vanishes, the core drained into a cold
    ///   inner band.
    /// xi = sqrt(12) (u - 1/2), u a counter-based hash of (seed, atom id, call, axis), so the kicks do not
    /// depend on the partition; the call count is part of the state. The tally is then net: what the
    /// frictions remove minus what the kicks add.
    /// `v_fe`: the corrected FE velocity at the atoms, as correct() returned it.
    void dashpot(const std::vector<double> &v_atoms, const std::vector<double> &v_fe, double dt,
                 std::vector<double> &kick);
    /// Energy removed by dashpot() so far on this rank (atoms in its slots and its owned nodes).
    double dashpot_removed_local() const { return dashpot_removed_; }
    /// Call after the FE step's closing force kick: adds to the tally what the dashpot's node kick at
    /// the step's last exchange changed in the energy at its end beyond what dashpot() saw (the
    /// velocity it kicked is V_{n+1/2}; the energy is reported with V_{n+1} = V_{n+1/2} + dV +
    /// (dt_FE / 2) f / M, which adds M dV . (V_{n+1} - V_{n+1/2} - dV), an O(dt) share of what the
    /// kick removed). Earlier kicks of a subcycled step reach its end through the atoms (BandDashpot
    /// adds their share every MD step). Not collective.
    void close_window();
    bool   has_dashpot() const { return params_.dashpot_rate > 0.0; }
    /// Params::predictor: the multipliers accumulate (multiplier_at_atoms() is not zero).
    bool   predicts() const { return params_.predictor; }

    /// The state that outlives an FE step: g_target, the accumulated multipliers and the dashpot's
    /// tally (band vectors, the same on every FE rank; the tally this rank's). load_state() restores them
    /// on a band built from the same deck and ranks, and the predictor's external force from them.
    /// Collective on the FE communicator.
    void save_state(StateOut &out) const;
    void load_state(const StateIn &in);
    /// load_state() on another FE partition (StateIn::same_layout() false): the band entries matched by
    /// DoF support point and component. Collective on the FE communicator.
    void load_redistributed(const StateIn &in);

    /// Largest |g_J| after the last correct() (length units; diagnostic). Collective.
    double constraint_residual(const std::vector<double> &u_atoms) const;

    /// The FE field interpolated at the atoms (dim per slot): consistent transfer. Not collective
    /// (needs ghost values of `field`, which Elastodynamics keeps up to date).
    void interpolate(const VectorType &field, std::vector<double> &at_atoms) const;
    /// dst += sum_a N(X_a) values_a (dim per slot): conservative transfer (the sum over nodes equals the
    /// sum over atoms). dst must have the FE layout; compress(add) is called. Collective.
    void restrict_add(const std::vector<double> &values, VectorType &dst) const;

    /// u += dt v on the band's DoFs (owned and ghost entries alike; see the class comment). Not collective.
    void drift_band(double dt);
    /// u += dt v on the owned DoFs outside the band, then the ghosts of u are updated: with drift_band()
    /// over the same total time, the drift of the whole field. Collective on the FE communicator.
    void drift_rest(double dt);

  private:
    struct Slot
    {
      GlobalId id;
      Vec3     X;
      double   mass; // m~_a, consistent units
      double   rate; // dashpot rate gamma_a [1/time]
      unsigned cell; // index into cell_dofs_
      std::vector<double> shape; // per cell DoF: the shape value of that DoF's component at X
    };
    /// The cell owning X (see the class comment) and X's unit coordinates in it, or an invalid iterator
    /// if no cell of this rank's mesh (owned or ghost) contains X. Not collective.
    std::pair<typename dealii::Triangulation<dim>::active_cell_iterator, dealii::Point<dim>>
    locate(const Vec3 &X) const;
    /// A vector over the band DoFs in band order (band_dofs_), the same on every FE rank.
    using BandVector = std::vector<double>;
    /// The FE field at the atoms from band values (dim per slot). Not collective.
    void interpolate_band(const BandVector &band, std::vector<double> &at_atoms) const;
    /// band = sum_a N(X_a) values_a over every FE rank's atoms. Collective on the FE communicator.
    void restrict_band(const std::vector<double> &values, BandVector &band) const;
    /// One pass over the atoms: out = sum_a N(X_a) f(a, in_h(X_a)) over every FE rank's atoms, with
    /// in_h the interpolant of `in`; f(a, const double *in_h, double *value) writes dim values.
    /// Collective on the FE communicator.
    template <typename F>
    void transfer(const BandVector &in, BandVector &out, F &&f) const;
    /// This rank's band entries of an FE vector (owned and ghost; the others 0). Not collective.
    void gather_band(const VectorType &field, BandVector &band) const;
    /// The sum over the FE ranks of a band vector. Collective on the FE communicator.
    void sum_over_ranks(BandVector &band) const;
    /// residual g = B u - C U on the band DoFs. Collective.
    void compute_g(const std::vector<double> &u_atoms, BandVector &g) const;
    /// This rank's entries of A = B M_a^-1 B^T and C = sum_a N N^T gathered from every FE rank (rank
    /// order): idx/val hold (row, column) pairs and (A, C) values, m_idx/m_val per row its blocks_ DoFs
    /// and M~^-1.
    struct BandEntries
    {
      std::vector<unsigned long long> idx;
      std::vector<double>             val;
      std::vector<unsigned long long> m_idx;
      std::vector<double>             m_val;
    };
    /// Assembles S on the band's DoFs (gathered on every FE rank) and factorises it. Collective.
    void factorize();
    /// See BandEntries; sibling[q][k] is the cell DoF of component k at q's node, `scalar`: the
    /// components share one matrix (component-0 rows only). Collective.
    BandEntries gather_entries(const std::vector<std::array<unsigned, dim>> &sibling, bool scalar) const;
    /// S = A + C M~^-1 C by band rows (the same on every rank); sets band_dofs_.
    std::vector<std::map<unsigned, double>> assemble_band_matrix(const BandEntries &all,
                                                                 std::vector<std::map<unsigned, double>> *a_rows = nullptr);
    /// The band positions of the slot cells' DoFs, this rank's band entries and M~^-1 by band position.
    /// Collective.
    void setup_band_layout();
    /// u += dt^2 dv_nodes, v += dt dv_nodes on this rank's band entries (owned and ghost). Not collective.
    void apply_to_band(const BandVector &dv_nodes, double dt);
    /// The predictor's force on the nodes, +C lambda (the accumulated multipliers), as the FE's external
    /// force. Collective on the FE communicator.
    void set_multiplier_force();
    /// The heat bath's random number of unit variance for atom `id`, `axis`, in this dashpot() call.
    double thermostat_xi(GlobalId id, unsigned axis) const;
    /// noise_calls_ from a checkpoint (0 if it has none).
    void load_noise_calls(const StateIn &in);
    /// The heat bath's kicks added to `kick` (see dashpot()). Collective on the FE communicator.
    void add_heat_bath(const std::vector<double> &v_atoms, const std::vector<double> &vh, std::vector<double> &kick);
    /// lambda = S^-1 rhs by the factorisation (complete band vectors), or by `factor`. Not collective.
    void solve(BandVector &lambda, const BandVector &rhs, const SparseCholesky *factor = nullptr) const;

    const fe::Mesh<dim>                      &mesh_;
    fe::Elastodynamics<dim>                  &fe_;
    const Handshake                          &hs_;
    Params                                    params_;
    std::unique_ptr<dealii::GridTools::Cache<dim>> cache_; // vertex-to-cell maps and R-trees for locate()
    std::map<unsigned, unsigned>              cell_of_active_index_; // owned cell with atoms -> cell_dofs_
    std::vector<std::vector<unsigned>>        cell_dofs_;            // local vector indices per such cell
    std::vector<unsigned>                     component_;            // per cell DoF
    std::vector<Slot>                         slots_;
    std::unordered_map<GlobalId, std::size_t> slot_of_;
    VectorType                                inv_mass_; // M~^-1 (0 on prescribed DoFs), ghosted
    BandVector                                target_, lambda_, inv_mass_band_;
    double                                    dashpot_removed_ = 0.0;
    // close_window()'s memory of the last node kick (per local_band_ entry, owned ones): M dV, and
    // sum M dV . V_after_kick; whether no correction followed it.
    std::vector<double> kick_m_;
    double              kick_s0_      = 0.0;
    bool                kick_pending_ = false;

    // The band DoFs (global indices: per band row its blocks_ DoFs), per slot cell the band position of
    // each cell DoF, this rank's band entries as (band position, local index) (owned and ghost), which
    // of them it owns, and the factorisation.
    std::vector<dealii::types::global_dof_index> band_dofs_;
    std::vector<std::vector<unsigned>>           cell_band_;
    // Per slot and cell DoF (slot-major, flat for the transfers): band position, local index, shape value.
    std::vector<unsigned>                        slot_pos_, slot_local_;
    std::vector<double>                          slot_shape_;
    std::vector<double>                          slot_decay_; // dashpot: impulse factors for decay_dt_ (dim per slot)
    std::vector<double>                          slot_noise_; // heat bath: noise amplitude (dim per slot)
    std::vector<double>                          slot_bath_;  // heat bath: its friction's decay factor (dim per slot)
    std::unique_ptr<SparseCholesky>              atoms_cholesky_; // heat bath: A = B M~^-1 B^T (P^T A P)
    std::uint64_t                                noise_calls_ = 0; // dashpot() calls so far (the impulses' counter)
    double                                       decay_dt_ = -1.0;
    std::vector<std::pair<unsigned, unsigned>>   local_band_;
    std::vector<char>                            owned_in_band_; // per local_band_ entry
    std::vector<char>                            outside_band_;  // per owned DoF: not a band DoF here
    unsigned                                     blocks_ = 1; // right-hand sides per band row (see finalize)
    std::unique_ptr<SparseCholesky>              cholesky_;
    // Coarse multipliers (Params::multiplier_spacing > 1): per scalar band row its (coarse row, weight)
    // pairs (P), and the number of coarse rows; empty: one multiplier per band row.
    std::vector<std::vector<std::pair<unsigned, double>>> prolong_;
    std::size_t                                           n_coarse_ = 0;
    /// Builds prolong_ and n_coarse_ for the band rows (support points gathered from the FE ranks).
    /// Collective on the FE communicator.
    void setup_coarse_multipliers();
    /// coarse = P^T band (coarse rows in band order: row k of block b at k blocks + b).
    void restrict_to_multipliers(const BandVector &band, BandVector &coarse) const;
    /// band = P coarse.
    void prolong_multipliers(const BandVector &coarse, BandVector &band) const;
    /// S' = P^T S P from the rows of S.
    std::vector<std::map<unsigned, double>> coarse_matrix(const std::vector<std::map<unsigned, double>> &s) const;
  };
} // namespace seam::coupling
