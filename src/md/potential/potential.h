// The interface every interatomic potential implements (module boundary: one virtual call per force
// evaluation, never per pair).
#pragma once

#include <array>
#include <string>

namespace seam::md
{
  class Atoms;
  class NeighborList;
  class HaloExchange;

  /// An interatomic potential evaluated on a half neighbor list with Newton's third law.
  ///
  /// compute() ADDS forces to atoms.f() of owned and ghost atoms (the caller zeroes them before and
  /// reverse-communicates ghost forces after) and, when `want_energy`, adds each pair's (or each atom's)
  /// energy to atoms.energy() (pair energies split half and half) and sets energy() and virial() to this
  /// rank's share. Summed over ranks (after the reverse communication for per-atom energies) they give
  /// the totals. Potentials with many-body terms (EAM) communicate inside compute() through `halo`.
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

    /// This rank's potential energy from the last compute(want_energy = true) [energy].
    double energy() const { return energy_; }
    /// This rank's virial sum over its pairs of r_ij (x) f_ij: xx, yy, zz, xy, xz, yz [energy].
    const std::array<double, 6> &virial() const { return virial_; }

  protected:
    double                energy_ = 0.0;
    std::array<double, 6> virial_{};
  };
} // namespace seam::md
