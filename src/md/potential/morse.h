// Morse pair potential (LAMMPS morse form, energy not shifted).
#pragma once

#include "config/schema.h"
#include "md/potential/potential.h"

#include <memory>
#include <vector>

namespace seam::md
{
  /// E(r) = d0 [exp(-2 alpha (r - r0)) - 2 exp(-alpha (r - r0))] for r < cutoff, 0 beyond (not
  /// shifted). Source: Morse 1929, Phys. Rev. 34, 57; form as LAMMPS src/pair_morse.cpp.
  class Morse : public Potential
  {
  public:
    struct Params
    {
      double d0     = 1.0; ///< well depth [energy] > 0
      double alpha  = 1.0; ///< width [1/length] > 0
      double r0     = 1.0; ///< equilibrium distance [length] > 0
      double cutoff = 3.0; ///< [length] > 0
    };
    explicit Morse(const Params &p);

    /// The deck keys of md.potential with style morse: d0, alpha, r0, cutoff.
    static std::vector<config::Entry> keys();
    /// From the deck's parameters (keys()). @throws std::invalid_argument as the constructor.
    static std::unique_ptr<Potential> create(const PotentialParams &p);

    std::string style() const override { return "morse"; }
    double      cutoff() const override { return p_.cutoff; }
    void compute(Atoms &atoms, const NeighborList &list, HaloExchange &halo, bool want_energy) override;

    double pair_energy(double r) const; ///< [energy]
    /// phi, phi', phi'' at r (zero at and beyond the cutoff).
    Jet2 pair_jet(double r) const override;

  private:
    Params p_;
  };
} // namespace seam::md
