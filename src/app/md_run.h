// MD-only runs: the deck wired to the MD engine, and the time loop with thermo and atom output.
#pragma once

#include "base/timer.h"
#include "config/deck.h"
#include "md/md_system.h"
#include "parallel/partition.h"

namespace seam::app
{
  /// The MD engine's parameters from a validated deck.
  md::MdSystemParams md_params(const config::Deck &deck);
  /// Applies the deck's initial temperature and initial displacement and velocity fields (evaluated at
  /// the atoms' reference sites x0, at t = 0) to the owned atoms. Collective (create_velocities).
  /// @pre the atoms are at their lattice sites (no periodic wrap yet). Call setup() afterwards.
  void apply_initial_state(const config::Deck &deck, md::MdSystem &sys);

  /// Sets the deck's md.thermostat (Langevin, optionally restricted to a region) on sys; nothing
  /// without one. Not collective.
  void apply_thermostat(const config::Deck &deck, md::MdSystem &sys);

  /// Every atom's site energy at the reference state, by id, on every rank of the MD partition: the
  /// relative energies (e_md, e_handshake) are summed atom by atom as E_i - E_i,ref, so they carry none
  /// of the round-off of the large absolute sums and agree between rank counts to the last digits of
  /// the small relative values (summing E_i and subtracting the reference total instead loses ~1e-12 of
  /// the absolute energy, 1e-7 of a small wave's). Memory: 8 bytes per id up to the largest id.
  class ReferenceSiteEnergies
  {
  public:
    /// From the per-atom energies of sys's last force evaluation (with energies), taken as the
    /// reference. Collective on comm (sys's MD communicator).
    ReferenceSiteEnergies(const md::MdSystem &sys, MPI_Comm comm);
    /// E_i - E_i,ref of owned atom i of sys (energy units). Not collective.
    double relative(const md::MdSystem &sys, LocalIndex i) const
    {
      return sys.atoms().energy()[i] - e_[static_cast<std::size_t>(sys.atoms().id()[i])];
    }

  private:
    std::vector<double> e_;
  };

  /// Runs an MD-only deck on the partition's local communicator (every rank). Collective.
  /// @throws RuntimeError on a non-finite energy (time step too large, overlapping atoms).
  void run_md_only(const config::Deck &deck, const parallel::Partition &part, TimerTable &timers);
} // namespace seam::app
