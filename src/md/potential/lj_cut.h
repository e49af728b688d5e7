// Lennard-Jones 12-6 pair potential with a plain cutoff (LAMMPS lj/cut: energy not shifted).
#pragma once

#include "config/schema.h"
#include "md/potential/potential.h"

#include <memory>
#include <vector>

namespace seam::md
{
  /// E(r) = 4 epsilon [(sigma/r)^12 - (sigma/r)^6] for r < cutoff, 0 beyond (not shifted, so the
  /// energy jumps at the cutoff exactly as LAMMPS `pair_style lj/cut` without `pair_modify shift`).
  /// Source: Jones 1924, Proc. R. Soc. A 106, 463; LAMMPS src/pair_lj_cut.cpp for the form.
  class LjCut : public Potential
  {
  public:
    struct Params
    {
      double epsilon = 1.0; ///< well depth [energy] > 0
      double sigma   = 1.0; ///< zero-crossing distance [length] > 0
      double cutoff  = 2.5; ///< [length] > 0
    };
    /// @throws std::invalid_argument on non-positive parameters.
    explicit LjCut(const Params &p);

    /// The deck keys of md.potential with style lj_cut: epsilon, sigma, cutoff.
    static std::vector<config::Entry> keys();
    /// From the deck's parameters (keys()). @throws std::invalid_argument as the constructor.
    static std::unique_ptr<Potential> create(const PotentialParams &p);

    std::string style() const override { return "lj_cut"; }
    double      cutoff() const override { return p_.cutoff; }
    void compute(Atoms &atoms, const NeighborList &list, HaloExchange &halo, bool want_energy) override;

    /// Pair energy at distance r (for tests and tables) [energy].
    double pair_energy(double r) const;
    /// phi, phi', phi'' at r (zero at and beyond the cutoff).
    Jet2 pair_jet(double r) const override;

  private:
    Params p_;
    double lj1_, lj2_, lj3_, lj4_;
  };
} // namespace seam::md
