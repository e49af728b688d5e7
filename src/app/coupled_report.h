// The thermo rows of a coupled run: each side adds its energies to a slot vector, the world sums it and
// world rank 0 writes thermo.csv and the console line (with the run's progress).
#pragma once

#include "app/runaway_guard.h"

#include "base/log.h"
#include "base/progress.h"
#include "base/units.h"
#include "config/deck.h"
#include "io/thermo_writer.h"
#include "parallel/partition.h"

#include <cstdint>
#include <string>
#include <vector>

namespace seam::app
{
  /// The energies of one thermo row that each side contributes (summed over the world).
  enum CoupledSlot
  {
    ke_atoms,
    pe_atoms,
    e_md,
    e_hs,
    e_fe,
    e_damped,
    n_atoms_slot,
    ke_core, ///< plain kinetic energy of the MD-only core's atoms (for temperature_core)
    n_core,
    ke_band, ///< plain kinetic energy of the band's atoms (for temperature_band)
    n_band,
    n_slots
  };

  /// Sums the energies of both sides over the world and writes the thermo row (world rank 0, an MD
  /// rank, writes and logs, with the rate and ETA of Progress). Collective on the world.
  class CoupledReport
  {
  public:
    /// With `restart_step` >= 0 thermo.csv is continued after that step (ThermoWriter's restart mode).
    /// `md_columns`: the extra columns of the MD fixes (md::MdSystem::fix_thermo_columns()), as world rank
    /// 0 (an MD rank) has them; the other ranks' are ignored. Collective on the world.
    CoupledReport(const config::Deck &deck, const parallel::Partition &part, std::int64_t restart_step = -1,
                  std::vector<std::string> md_columns = {});
    /// Slots per row: n_slots energies, then one per extra column of the MD fixes. thermo.csv has, after
    /// the contract's columns, temperature_core and temperature_band (2 ke / (dim n k_B) of the core's
    /// and the band's atoms), then the fixes' columns.
    std::size_t size() const { return n_slots + n_extra_; }
    /// @param local  this rank's size() contributions (summed over the world). @throws parallel::JobError
    /// (on every rank alike) on a non-finite or runaway energy (RunawayGuard).
    void operator()(std::int64_t step, const double *local);
    /// After each window: a "# progress" line if due (Progress::tick). Not collective.
    void tick(std::int64_t step) { progress_.tick(step); }
    /// Wall seconds since construction (the time loop's).
    double elapsed() const { return progress_.elapsed(); }

  private:
    /// The constructor proper, with the columns already agreed.
    CoupledReport(const config::Deck &deck, const parallel::Partition &part, std::int64_t restart_step,
                  std::vector<std::string> columns, int);

    const parallel::Partition &part_;
    std::size_t                n_extra_ = 0;
    int                        dim_;
    double                     dt_md_;
    UnitConstants              units_;
    io::ThermoWriter           thermo_;
    Log                        log_;
    Progress                   progress_;
    RunawayGuard               runaway_;
  };
} // namespace seam::app
