// The interface every interatomic potential implements (module boundary: one virtual call per force
// evaluation, never per pair).
#pragma once

#include <array>
#include <map>
#include <stdexcept>
#include <string>

namespace seam::md
{
  class Atoms;
  class NeighborList;
  class HaloExchange;

  /// Style-independent parameters as the deck gives them: named reals plus a file path (EAM styles).
  /// Every style's create() takes them (registry.h lists the styles).
  struct PotentialParams
  {
    std::map<std::string, double> values; ///< e.g. {"epsilon", 1.0}, {"sigma", 1.0}, {"cutoff", 2.5}
    std::string                   file;   ///< potential file for file-based styles
    std::string                   element; ///< eam_alloy: element of the setfl file ("" = its first)

    /// values[key]; throws std::invalid_argument naming the style and the missing key.
    double get(const std::string &style, const std::string &key) const;
    /// values[key] if present, else `fallback`.
    double get_or(const std::string &key, double fallback) const;
  };

  /// A function of one variable at a point with its first and second derivatives (units: those of the
  /// function, per unit of the variable and per unit squared).
  struct Jet2
  {
    double value  = 0.0;
    double first  = 0.0;
    double second = 0.0;
  };

  /// An interatomic potential evaluated on a half neighbor list with Newton's third law.
  ///
  /// compute() ADDS forces to atoms.f() of owned and ghost atoms (the caller zeroes them before and
  /// reverse-communicates ghost forces after) and, when `want_energy`, adds each pair's (or each atom's)
  /// energy to atoms.energy() (pair energies split half and half) and sets energy() and virial() to this
  /// rank's share. Summed over ranks (after the reverse communication for per-atom energies) they give
  /// the totals. Potentials with many-body terms (EAM) communicate inside compute() through `halo`.
  ///
  /// When atoms.weighted() every style computes the blended energy sum_i alpha_i E_i (E_i the site
  /// energy: half of its pair energies, plus the embedding energy for EAM; Xiao & Belytschko 2004, CMAME
  /// 193, 1645), its exact forces and their virial; a pair's energy and force carry the weight
  /// (alpha_i + alpha_j) / 2 and atom i's per-atom energy alpha_i times its unweighted share. Plain runs
  /// use a separate instantiation of each kernel (no per-pair test of the mode).
  class Potential
  {
  public:
    virtual ~Potential() = default;

    /// The deck style name ("lj_cut", ...).
    virtual std::string style() const = 0;
    /// Interaction cutoff [length]; the neighbor list uses cutoff() + skin.
    virtual double cutoff() const = 0;
    /// See the class comment. Collective on the halo's communicator only for many-body styles.
    virtual void compute(Atoms &atoms, const NeighborList &list, HaloExchange &halo, bool want_energy) = 0;

    /// @name Radial form, for lattice sums (linearised Cauchy-Born, tests); never on the force path.
    /// Every style describes its energy as
    ///   E = sum_i U(rho_i) + 1/2 sum_{i != j} phi(r_ij),  rho_i = sum_{j != i} rho(r_ij),
    /// where only pairs whose REFERENCE distance |X_j - X_i| is below reference_cutoff() interact
    /// (pair styles: U = rho = 0). The functions are the interpolants compute() evaluates, with their
    /// exact first and second derivatives.
    /// @{
    /// Pairs interact when their reference distance is below this [length]: cutoff() for styles whose
    /// pairs are found by current distance, the bond cutoff for styles with fixed bonds (harmonic).
    virtual double reference_cutoff() const { return cutoff(); }
    /// True when pairs interact iff their REFERENCE distance is below reference_cutoff(), whatever
    /// their current distance (harmonic); false when the current distance decides (pair_jet and
    /// density_jet are then zero beyond cutoff()).
    virtual bool bonds_fixed_by_reference() const { return false; }
    /// phi(r), phi'(r), phi''(r) [energy, energy/length, energy/length^2]. The default throws
    /// std::logic_error naming the style (a style without a radial form).
    virtual Jet2 pair_jet(double r) const
    {
      (void)r;
      throw std::logic_error("potential style '" + style() + "' has no radial form (pair_jet)");
    }
    /// Whether the style has the embedding term U(rho) (EAM).
    virtual bool has_embedding() const { return false; }
    /// rho(r), rho'(r), rho''(r) (electron density contribution; zero without embedding).
    virtual Jet2 density_jet(double r) const
    {
      (void)r;
      return {};
    }
    /// U(rho), U'(rho), U''(rho) [energy] (zero without embedding).
    virtual Jet2 embedding_jet(double rho) const
    {
      (void)rho;
      return {};
    }
    /// @}

    /// This rank's potential energy from the last compute(want_energy = true) [energy].
    double energy() const { return energy_; }
    /// This rank's virial sum over its pairs of r_ij (x) f_ij: xx, yy, zz, xy, xz, yz [energy].
    const std::array<double, 6> &virial() const { return virial_; }

  protected:
    double                energy_ = 0.0;
    std::array<double, 6> virial_{};
  };
} // namespace seam::md
