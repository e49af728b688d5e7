// Harmonic springs between reference-lattice nearest neighbours (the exactly solvable lattice).
#pragma once

#include "config/schema.h"
#include "md/potential/potential.h"

#include <memory>
#include <string>
#include <vector>

namespace seam::md
{
  class Lattice;

  /// E = sum over bonds of k/2 (r - r0)^2, where the bonds are FIXED by the reference lattice: atoms i
  /// and j are bonded iff their reference positions are closer than `bond_cutoff` (default 1.1 r0),
  /// |x0_j - x0_i| < bond_cutoff, whatever their current distance. Reference positions of ghosts carry
  /// the same periodic shift as their positions, so the test is frame-consistent.
  ///
  /// Why fixed bonds: with springs between the pairs that are currently within some cutoff, a spring
  /// would appear or vanish with a jump of energy k/2 (rc - r0)^2 whenever a pair crosses the cutoff;
  /// with fixed bonds the model is exactly the harmonic lattice (Born & von Karman), whose dispersion
  /// relation and elastic constants are known in closed form, and the energy is smooth everywhere. The
  /// default 1.1 r0 separates the first shell from the second for every lattice style (bcc's second
  /// shell is the closest, at 1.155 r_nn).
  ///
  /// A bonded pair is found through the neighbor list, so it must stay shorter than `cutoff` (default
  /// 1.5 r0): compute() throws seam::RuntimeError if a bond stretches past it (the bond could otherwise
  /// drop out of the list at the next rebuild and be lost silently). The energy uses k/2, unlike
  /// LAMMPS `bond_style harmonic` which has no 1/2.
  class Harmonic : public Potential
  {
  public:
    struct Params
    {
      double k           = 1.0; ///< spring constant [energy/length^2] > 0
      double r0          = 1.0; ///< rest length [length] > 0
      double bond_cutoff = 0.0; ///< reference distance below which atoms are bonded; 0 = 1.1 r0
      double cutoff      = 0.0; ///< longest allowed bond [length]; 0 = 1.5 r0
    };
    explicit Harmonic(const Params &p);

    /// The deck keys of md.potential with style harmonic: k, r0 (or auto). bond_cutoff and cutoff are
    /// not deck keys (their defaults derive from r0); code (tests) may pass them to create().
    static std::vector<config::Entry> keys();
    /// From the parameters k, r0 [bond_cutoff, cutoff]. @throws std::invalid_argument as the constructor.
    static std::unique_ptr<Potential> create(const PotentialParams &p);
    /// The value of a key given as `auto` in the deck: r0 = the lattice's nearest-neighbour distance
    /// (the lattice at rest is then free of stress). @throws std::logic_error for another key.
    static double auto_value(const std::string &key, const Lattice &lattice);

    std::string style() const override { return "harmonic"; }
    double      cutoff() const override { return p_.cutoff; }
    void compute(Atoms &atoms, const NeighborList &list, HaloExchange &halo, bool want_energy) override;

    const Params &params() const { return p_; }

    /// Bonds are fixed by the reference lattice: pairs closer than bond_cutoff there.
    double reference_cutoff() const override { return p_.bond_cutoff; }
    bool   bonds_fixed_by_reference() const override { return true; }
    /// k/2 (r - r0)^2 and its derivatives (no cutoff on the current distance).
    Jet2 pair_jet(double r) const override { return {0.5 * p_.k * (r - p_.r0) * (r - p_.r0), p_.k * (r - p_.r0), p_.k}; }

  private:
    Params p_;
  };
} // namespace seam::md
