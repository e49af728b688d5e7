// Elastic material laws of the continuum: the elasticity tensor C_ijkl and the density, the plane-wave
// speeds that follow from them (Christoffel equation), and an optional hyperelastic strain energy W(F).
#pragma once

#include <deal.II/base/symmetric_tensor.h>
#include <deal.II/base/tensor.h>

#include <array>
#include <memory>
#include <vector>

namespace seam::fe
{
  /// A hyperelastic strain energy density W(F) per unit reference volume with its first Piola-Kirchhoff
  /// stress P = dW/dF (Holzapfel, "Nonlinear Solid Mechanics", 2000, ch. 6), e.g. the nonlinear
  /// Cauchy-Born energy of a lattice (built by the coupler from the MD potential, so the FE module does not
  /// depend on it). Implementations must be thread-compatible (const calls only) and cheap: the explicit
  /// solver calls evaluate() at every Gauss point of every step.
  template <int dim>
  class StrainEnergy
  {
  public:
    virtual ~StrainEnergy() = default;
    /// W(F) [energy / length^dim] and P = dW/dF into p [energy / length^dim].
    virtual double evaluate(const dealii::Tensor<2, dim> &f, dealii::Tensor<2, dim> &p) const = 0;
  };

  /// A homogeneous linear elastic material: sigma = C : epsilon and a mass density rho.
  ///
  /// Units: C in pressure units of the run (eV/Å^3 for `metal`), rho in mass per volume (amu/Å^3 for
  /// `metal`); wave speeds then come out in the velocity unit of the run times sqrt(mvv2e) — the caller
  /// that mixes unit systems converts (the FE module itself works in any consistent unit system).
  ///
  /// Reduced dimensions: for dim < 3 every factory builds the 3D tensor and keeps its leading dim x dim
  /// block, C_ijkl with i,j,k,l < dim. In 2D this is plane strain (eps_zz = eps_xz = eps_yz = 0); in 1D
  /// uniaxial strain (C_1111 = lambda + 2 mu for an isotropic solid, i.e. the P-wave modulus; pass
  /// poisson_ratio = 0 to make it equal to Young's modulus).
  ///
  /// Wave speeds follow from the acoustic (Christoffel) tensor of the tangent A_ijkl = C_ijkl +
  /// delta_ik S0_jl, Gamma_ik(n) = (C_ijkl n_j n_l + delta_ik S0_jl n_j n_l) / rho (S0 = 0 unless given):
  /// its eigenvalues are the squared phase speeds of plane waves travelling along n (Auld, "Acoustic
  /// Fields and Waves in Solids", 1973, ch. 7; Musgrave, "Crystal Acoustics", 1970; the initial-stress
  /// term as in Biot, "Mechanics of Incremental Deformations", 1965).
  template <int dim>
  class Material
  {
  public:
    /// An isotropic solid. @pre youngs_modulus > 0, -1 < poisson_ratio < 0.5, density > 0
    /// (violations throw seam::InputError).
    static Material isotropic(double youngs_modulus, double poisson_ratio, double density);

    /// A cubic crystal with constants c11, c12, c44 (Voigt notation, in the crystal frame) rotated
    /// into the lab frame. `orientation` rows are the integer crystal directions lying along x, y and
    /// z (e.g. {{1,-1,0},{1,1,-2},{1,1,1}}); they must be mutually orthogonal and non-zero (checked,
    /// seam::InputError otherwise). For dim < 3 the rotated 3D tensor's leading block is kept.
    /// @pre c11 - c12 > 0, c44 > 0, c11 + 2 c12 > 0 (positive definite), density > 0.
    static Material cubic(double c11, double c12, double c44, double density,
                          const std::array<std::array<int, 3>, 3> &orientation =
                            {{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}});

    /// A general tensor given directly (e.g. linearised Cauchy-Born from the coupler).
    /// @pre c has the minor symmetries (guaranteed by the type) and is positive definite on symmetric
    /// strains (checked; seam::InputError otherwise), density > 0.
    static Material general(const dealii::SymmetricTensor<4, dim> &c, double density);
    /// A general tensor with an initial (reference) stress s0 (pressure units): the linearised first
    /// Piola-Kirchhoff stress is P = C : sym(grad u) + grad u . s0, i.e. the tangent
    /// A_ijkl = C_ijkl + delta_ik s0_jl of a prestressed reference (linearised Cauchy-Born of a
    /// lattice that is not at zero stress). Wave speeds include the s0 term.
    /// @pre density > 0 and A strongly elliptic: the acoustic tensor A_ijkl n_j n_l positive definite
    /// for every direction of the max_wave_speed() sample (checked; seam::InputError naming the worst
    /// direction otherwise). C itself need not be positive definite.
    static Material general(const dealii::SymmetricTensor<4, dim> &c, double density,
                            const dealii::SymmetricTensor<2, dim> &initial_stress);

    /// This material with a nonlinear strain energy: the solver then uses P(F) - P(I) of `w` for the
    /// internal force (geometrically and materially nonlinear) and W(F) - W(I) - P(I) : (F - I) for the
    /// strain energy, while stiffness(), initial_stress() and the wave speeds stay the linearisation at
    /// F = I (stable step, impedances). @pre w's tangent at F = I equals stiffness() + delta
    /// initial_stress() (the caller's responsibility; the linearised Cauchy-Born constants of the same
    /// lattice sums satisfy it).
    Material with_strain_energy(std::shared_ptr<const StrainEnergy<dim>> w) const
    {
      Material m        = *this;
      m.strain_energy_ = std::move(w);
      return m;
    }
    /// The nonlinear strain energy, or null for the linear material.
    const StrainEnergy<dim> *strain_energy() const { return strain_energy_.get(); }

    const dealii::SymmetricTensor<4, dim> &stiffness() const { return c_; }
    /// stiffness() in Voigt notation (xx, yy, zz, yz, xz, xy), row-major 6 x 6; in 1D and 2D only the
    /// entries of the model's own axes (2D: the in-plane block xx, yy, xy), the rest zero.
    std::array<double, 36> voigt_stiffness() const;
    double density() const { return rho_; }
    /// Reference stress s0 (zero unless given to general()).
    const dealii::SymmetricTensor<2, dim> &initial_stress() const { return s0_; }

    /// Christoffel tensor Gamma_ik(n) = (C_ijkl n_j n_l + delta_ik S0_jl n_j n_l) / rho (squared
    /// velocity units).
    /// @pre |n| > 0; n need not be normalised (it is normalised here).
    dealii::SymmetricTensor<2, dim> christoffel(const dealii::Tensor<1, dim> &n) const;

    /// The dim plane-wave speeds along n, ascending (sqrt of the Christoffel eigenvalues).
    std::vector<double> wave_speeds(const dealii::Tensor<1, dim> &n) const;

    /// The (quasi-)longitudinal speed along n: the largest Christoffel speed.
    double longitudinal_speed(const dealii::Tensor<1, dim> &n) const;

    /// The (quasi-)transverse speed along n: the smallest Christoffel speed (0 in 1D, where there is
    /// no transverse wave).
    double transverse_speed(const dealii::Tensor<1, dim> &n) const;

    /// Mechanical impedance tensor Z(n) = rho * sqrt(Gamma(n)) = rho sum_k c_k e_k (x) e_k over the
    /// Christoffel eigenpairs: the traction -Z v absorbs a plane wave arriving at normal incidence
    /// exactly. For an isotropic solid Z = rho c_p n(x)n + rho c_s (I - n(x)n), Lysmer and Kuhlemeyer's
    /// (1969) viscous boundary.
    dealii::SymmetricTensor<2, dim> impedance(const dealii::Tensor<1, dim> &n) const;

    /// Largest plane-wave speed over all directions: the best of the axes, face and body diagonals and
    /// a dense set of directions (2D: 720 angles, 3D: 4000 Fibonacci points), refined by a compass
    /// search on the sphere (finds the global maximum unless it is a peak narrower than the sampling,
    /// about 3 degrees).
    double max_wave_speed() const;

  private:
    /// @param check_c  require C positive definite on symmetric strains (every factory but the
    ///                 prestressed general(), which checks the acoustic tensor of A instead)
    Material(const dealii::SymmetricTensor<4, dim> &c, double density, bool check_c = true);

    /// Calls probe(n) for the direction sample of max_wave_speed() (not normalised): 1D the axis; 2D
    /// 720 angles in [0, pi); 3D axes, face and body diagonals and 4000 Fibonacci points on a hemisphere.
    template <typename Visit>
    void for_each_sample_direction(Visit &&probe) const;

    dealii::SymmetricTensor<4, dim> c_;
    double                          rho_ = 0;
    dealii::SymmetricTensor<2, dim> s0_;
    std::shared_ptr<const StrainEnergy<dim>> strain_energy_;
  };
} // namespace seam::fe
