// Cauchy-Born elasticity of a Bravais lattice from analytic lattice sums over one site's neighbours: the
// linearised constants (energy per atom, reference stress, elasticity tensor, density) at the undeformed
// lattice, and the full strain energy density W(F) with its first Piola-Kirchhoff stress.
#pragma once

#include "md/lattice.h"
#include "md/potential/potential.h"

#include <array>
#include <vector>

namespace seam::md
{
  /// The continuum constants of a Bravais lattice under the Cauchy-Born rule (every bond deforms with
  /// the local deformation gradient F; no inner displacements for a one-atom basis), linearised at
  /// F = I, in the lab frame of the lattice (its orientation already applied to the sites).
  ///
  /// With W(E) the energy per atom as a function of the Green-Lagrange strain E = (F^T F - I)/2 and
  /// Omega the volume per atom (area in 2D, length in 1D):
  ///   S0_ij   = (1/Omega) dW/dE_ij             (second Piola-Kirchhoff = Cauchy stress at F = I),
  ///   C_ijkl  = (1/Omega) d^2W/dE_ij dE_kl     (Born elasticity tensor; all symmetries),
  /// and the tangent that governs small motions about the (possibly stressed) reference lattice is
  /// A_ijkl = C_ijkl + delta_ik S0_jl (d P / d grad u with P the first Piola-Kirchhoff stress).
  ///
  /// Lattice sums over the neighbours X of the site at the origin with |X| < reference_cutoff(), using
  /// r(E)^2 = X.(I + 2E).X, so dr/dE_ij = X_i X_j / r and, for any radial g,
  ///   dg/dE_ij = g'/R X_i X_j,  d^2 g/dE_ij dE_kl = (g'' - g'/R)/R^2 X_i X_j X_k X_l  (at E = 0).
  /// Pair part: W_pair = 1/2 sum_X phi(r). EAM part: W_emb = U(rho_bar), rho_bar = sum_X rho(r), so
  ///   d^2 W_emb = U''(rho_bar) B_ij B_kl + U'(rho_bar) sum_X d^2 rho,  B_ij = sum_X rho'/R X_i X_j
  /// (the U'' term is the many-body contribution absent from pair potentials; it breaks the Cauchy
  /// relation C12 = C44).
  ///
  /// Nonlinear Cauchy-Born (energy_density()): W(F) = (1/Omega) [1/2 sum_X phi(|F X|) + U(sum_X rho(|F X|))]
  /// per unit reference volume and P = dW/dF = (1/Omega) sum_X [phi'(r)/(2r) + U'(rho_bar) rho'(r)/r]
  /// (F X) (x) X with r = |F X|, summed over the bonds of one site. Bonds: for styles whose pairs are
  /// decided by the current distance, every site with |X| < cutoff() / min_stretch() (pair_jet and
  /// density_jet vanish beyond the cutoff, so the sum is exact for deformations whose smallest principal
  /// stretch is above min_stretch()); for fixed-bond styles (harmonic) the reference neighbours. X and -X
  /// contribute alike, so half of the bonds are stored and counted twice.
  ///
  /// Sources: Tadmor & Miller, "Modeling Materials", Cambridge 2011, ch. 8 (lattice sums of pair and
  /// EAM potentials, elasticity tensor from the Born term) and ch. 11 (Cauchy-Born rule); Daw & Baskes,
  /// Phys. Rev. B 29, 6443 (1984) and Foiles, Baskes & Daw, Phys. Rev. B 33, 7983 (1986) for the EAM
  /// elastic constants; Ericksen, Math. Mech. Solids 13, 199 (2008) on the Cauchy-Born rule; Holzapfel,
  /// "Nonlinear Solid Mechanics", Wiley 2000, sec. 6.6, for A = dP/dF = delta S + F C F^T at F = I.
  class CauchyBorn
  {
  public:
    /// Evaluates the lattice sums for `potential` (which must provide its radial form, Potential::
    /// pair_jet etc.) on `lattice` in lattice.dimension() dimensions.
    /// @param mass  atomic mass [mass] > 0
    /// @throws std::invalid_argument if a neighbour lies within 1e-8 relative of the reference cutoff
    ///         (the lattice energy is not twice differentiable there: an unshifted potential jumps) or
    ///         mass <= 0; std::logic_error if the style has no radial form.
    CauchyBorn(const Lattice &lattice, const Potential &potential, double mass);

    int dimension() const { return dim_; }
    /// Number of neighbours of a site inside reference_cutoff().
    int n_neighbors() const { return n_neighbors_; }
    /// Energy per atom W0 [energy].
    double energy_per_atom() const { return w0_; }
    /// Omega: volume (3D), area (2D) or length (1D) per atom.
    double atomic_volume() const { return omega_; }
    /// mass / Omega [mass / length^dim].
    double density() const { return density_; }
    /// Host electron density rho_bar of a site (0 without embedding).
    double host_density() const { return rho_bar_; }

    /// S0_ij [energy / length^dim]; entries with an index >= dimension() are 0.
    double stress(int i, int j) const { return s0_[i][j]; }
    /// C_ijkl [energy / length^dim]; entries with an index >= dimension() are 0.
    double stiffness(int i, int j, int k, int l) const { return c_[i][j][k][l]; }
    /// A_ijkl = C_ijkl + delta_ik S0_jl [energy / length^dim].
    double tangent(int i, int j, int k, int l) const { return c_[i][j][k][l] + (i == k ? s0_[j][l] : 0.0); }
    /// C in Voigt notation (11, 22, 33, 23, 13, 12) [energy / length^dim].
    std::array<std::array<double, 6>, 6> voigt() const;

    /// Smallest principal stretch for which energy_density() is exact (see the class comment).
    static constexpr double min_stretch() { return 0.8; }
    /// The nonlinear Cauchy-Born strain energy density W(F) [energy / length^dim] per unit reference
    /// volume (area, length) and, when p is not null, P = dW/dF [energy / length^dim] into p.
    /// @param f  deformation gradient, row-major; only the leading dimension() x dimension() block is
    ///           read (the lattice lies in that plane/line)
    /// @param potential  the potential given to the constructor (the object keeps only the bonds)
    /// At f = I: W = energy_per_atom() / atomic_volume() and P = S0 (stress()), to round-off.
    /// @pre the smallest principal stretch of f is above min_stretch() (not checked).
    double energy_density(const Potential &potential, const double f[3][3], double p[3][3] = nullptr) const;

  private:
    template <int n>
    double energy_density_n(const Potential &potential, const double f[3][3], double p[3][3]) const;

    int    dim_;
    int    n_neighbors_ = 0;
    double w0_ = 0.0, omega_ = 0.0, density_ = 0.0, rho_bar_ = 0.0;
    double s0_[3][3]{};
    double c_[3][3][3][3]{};
    std::vector<Vec3> half_bonds_; // one of each pair X, -X of the bonds of energy_density()
    double            cut2_ = 0.0; // squared current-distance cutoff of energy_density() (inf: fixed bonds)
  };
} // namespace seam::md
