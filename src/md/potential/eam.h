// Embedded-atom method potential read from LAMMPS funcfl (style eam) and setfl (style eam_alloy) files,
// tabulated and interpolated exactly as LAMMPS pair_style eam does, for one element.
#pragma once

#include "base/types.h"
#include "config/schema.h"
#include "md/potential/potential.h"

#include <array>
#include <memory>
#include <string>
#include <vector>

namespace seam::md
{
  /// EAM (Daw & Baskes 1984, Phys. Rev. B 29, 6443):
  ///   E = sum_i F(rho_i) + 1/2 sum_{i != j} phi(r_ij),  rho_i = sum_{j != i} rho(r_ij).
  ///
  /// Tables and interpolation follow LAMMPS `pair_style eam` (src/MANYBODY/pair_eam.cpp, 29 Sep 2021),
  /// so energies agree with LAMMPS to round-off:
  /// - funcfl (DYNAMO single-element file: comment; Z mass a lattice; nrho drho nr dr cutoff; F(rho),
  ///   Z(r), rho(r)): each table is resampled by 4-point Lagrange interpolation onto a grid of
  ///   round((n-1) d / d) points of spacing d (as LAMMPS does to merge several funcfl files; for one file
  ///   this drops the last tabulated point), and r phi(r) = 27.2 * 0.529 * Z(r)^2 (Hartree x Bohr, eV Å).
  /// - setfl (DYNAMO alloy file: 3 comment lines; n_elements names; nrho drho nr dr cutoff; per element
  ///   "Z mass a lattice", F(rho), rho(r); then r phi(r) for i >= j): tables used as given, for the
  ///   element chosen by name.
  /// - Every table becomes a C1 piecewise cubic whose knot slopes are 4th-order central differences
  ///   (one-sided at the ends); the lookup index is clamped to the last interval and the local
  ///   coordinate to <= 1. Above rho_max = (nrho_file - 1) drho F is continued linearly with the slope
  ///   F' at the end of the last interval for the energy (LAMMPS' rule), while F' itself stays that
  ///   value. (For funcfl the resampled table ends one interval below rho_max; there F is held.)
  ///
  /// Evaluation needs ghosts within cutoff() + skin on a half list with Newton's third law and runs in
  /// two passes: densities (ghost contributions reverse-communicated to their owners), F(rho) and
  /// F'(rho) on owned atoms, F' forwarded to ghosts, then pair forces. compute() is collective on the
  /// halo's communicator.
  ///
  /// Weighted atoms (Atoms::weighted(), blended energy sum_i alpha_i [F(rho_i) + 1/2 sum_j phi(r_ij)],
  /// Xiao & Belytschko 2004): the embedding term is alpha_i F(rho_i), so alpha_i F'(rho_i) replaces
  /// F'(rho_i) in the forwarded derivative, and each pair term is scaled by (alpha_i + alpha_j) / 2.
  class Eam : public Potential
  {
  public:
    enum class Format
    {
      funcfl, ///< style eam
      setfl   ///< style eam_alloy
    };

    /// Reads `file`. For setfl, `element` picks one of the file's elements (empty: the first).
    /// @throws std::invalid_argument if the file cannot be read or is malformed (message names the file
    ///         and what was expected), or the element is not in the file (listing the file's elements).
    Eam(Format format, const std::string &file, const std::string &element = "");

    /// The deck keys of md.potential with style eam (file) and eam_alloy (file, element).
    static std::vector<config::Entry> funcfl_keys();
    static std::vector<config::Entry> setfl_keys();
    /// Style eam / eam_alloy from the deck's parameters (the file; eam_alloy's element).
    /// @throws std::invalid_argument without a file, or as the constructor.
    static std::unique_ptr<Potential> create_funcfl(const PotentialParams &p);
    static std::unique_ptr<Potential> create_setfl(const PotentialParams &p);

    std::string style() const override { return format_ == Format::funcfl ? "eam" : "eam_alloy"; }
    double      cutoff() const override { return cutoff_; }
    void compute(Atoms &atoms, const NeighborList &list, HaloExchange &halo, bool want_energy) override;

    /// Mass given in the file for the element [amu].
    double mass() const { return mass_; }
    /// Element name (setfl) or atomic number as text (funcfl).
    const std::string &element() const { return element_; }

    /// Interpolated tables, for tests: embedding energy F(rho) [energy] (with the linear continuation
    /// above the table), electron density contribution rho(r) and pair energy phi(r) [energy].
    double embedding_energy(double rho) const;
    double density(double r) const;
    double pair_energy(double r) const;

    /// Radial form (see Potential): the same interpolants as compute(), with the exact derivatives of
    /// the local cubic (the second derivative jumps at the knots, where the one-sided value of the
    /// interval compute() selects is returned). embedding_jet continues linearly above rho_max (U'' = 0).
    bool has_embedding() const override { return true; }
    Jet2 pair_jet(double r) const override;
    Jet2 density_jet(double r) const override;
    Jet2 embedding_jet(double rho) const override;

  private:
    /// Cubic per interval m: [0..2] derivative coefficients (per unit of the grid variable), [3..6] value
    /// coefficients in the local coordinate p in [0, 1] (LAMMPS' layout).
    using Spline = std::vector<std::array<double, 7>>;

    void read_funcfl(const std::string &file);
    void read_setfl(const std::string &file, const std::string &element);
    /// Builds the splines from frho_, rhor_, z2r_ (1-based tables of nrho_ and nr_ points).
    void build_splines();
    static Spline make_spline(const std::vector<double> &f, int n, double delta);
    /// Value and derivatives of spline `s` at x (interval index m, local coordinate p in [0, 1] after
    /// LAMMPS' clamping; p clamped at 1 means a constant extension: zero second derivative).
    static Jet2 spline_jet(const Spline &s, int m, double p, double delta);

    template <bool want_energy, bool weighted>
    void compute_impl(Atoms &atoms, const NeighborList &list, HaloExchange &halo);
    /// Pass 1: rho_ of every local atom (ghost shares not yet reverse-communicated) and the pairs inside
    /// the cutoff (inner_offsets_, inner_).
    void density_pass(const Atoms &atoms, const NeighborList &list);
    /// F'(rho_i) into fp_ (alpha_i F' when weighted) for the owned atoms; with want_energy their
    /// embedding energies are added to atoms.energy(). Returns this rank's embedding energy.
    template <bool want_energy, bool weighted>
    double embedding_pass(Atoms &atoms, LocalIndex n_owned);
    /// Pass 2: forces over the inner pairs (fp_ forwarded to ghosts); with want_energy the pair
    /// energies into atoms.energy() and energy_, the virial into virial_.
    template <bool want_energy, bool weighted>
    void force_pass(Atoms &atoms, LocalIndex n_owned);

    Format              format_;
    std::string         element_;
    double              mass_   = 0.0;
    double              cutoff_ = 0.0;
    int                 nrho_ = 0, nr_ = 0;
    double              drho_ = 0.0, dr_ = 0.0, rhomax_ = 0.0;
    std::vector<double> frho_, rhor_, z2r_; ///< 1-based, as read/resampled
    Spline              frho_spline_, rhor_spline_, z2r_spline_;
    std::vector<double> rho_, fp_; ///< per local atom (owned and ghosts), reused between calls
    /// Pairs of the list inside the cutoff (CSR over owned atoms), found in the density pass and reused
    /// by the force pass of the same compute().
    std::vector<std::size_t> inner_offsets_;
    std::vector<LocalIndex>  inner_;
  };
} // namespace seam::md
