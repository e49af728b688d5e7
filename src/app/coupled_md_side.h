// The MD ranks of a coupled run, assembled from the deck: the blended MD system, its dead load, the
// walls on faces shared with fe.domain, the band (exchange plan) and its fixes, energies and frames.
#pragma once

#include "app/atom_dump.h"
#include "base/timer.h"
#include "config/deck.h"
#include "coupling/coupling_scheme.h"
#include "coupling/handshake.h"
#include "coupling/md_band.h"
#include "fe/boundary/boundary_condition.h"
#include "io/atom_writer.h"
#include "md/md_system.h"
#include "parallel/partition.h"

#include <array>
#include <cstdint>
#include <memory>

namespace seam::app
{
  /// The handshake geometry of a validated coupled deck (md.region, fe.domain, coupling.handshake).
  coupling::Handshake make_handshake(const config::Deck &deck, const md::MdSystemParams &md);

  /// The FE step coupling.substeps x md.time_step must be stable: the same verdict on both sides (the MD
  /// side gets the FE's stable step with the exchange plan). @throws InputError
  void check_fe_step(const config::Deck &deck, const coupling::CouplingScheme &scheme, double stable);

  /// A coupled checkpoint continues only with the window length it was written with (coupling.substeps:
  /// auto may choose another one when run.steps changes). @throws InputError naming coupling.substeps
  void check_substeps(const config::Deck &deck, const coupling::CouplingScheme &scheme, std::int64_t written);

  /// Everything the MD ranks run. Construction is collective on the MD communicator and, for the
  /// exchange plan, on the intercommunicator (the FE ranks build CoupledFeSide at the same time).
  ///
  /// Fix order (md::Fix): the dead load (ghost-force correction, not near free surfaces), the deck's
  /// fixes (md.thermostat, ...; md::add_deck_fixes), the band constraint, the band absorber
  /// (coupling.damping), and last the held layers (walls), which override forces and velocities.
  class CoupledMdSide
  {
  public:
    CoupledMdSide(const config::Deck &deck, const parallel::Partition &part, TimerTable &timers,
                  const coupling::CouplingScheme &scheme);

    md::MdSystem     &system() { return *sys_; }
    coupling::MdBand &band() { return *band_; }
    /// Adds this rank's share of the thermo slots (CoupledSlot) to e. Collective on the MD communicator.
    void energies(double *e);
    /// Opens atoms.xdmf if output.fields_every > 0 and atoms.lammpstrj if output.dump_every > 0: new
    /// files, or with `restart_step` >= 0 the existing ones continued after that step. Collective on the
    /// MD communicator.
    void open_output(std::int64_t restart_step);
    /// Writes an atom frame if output.fields_every > 0. Collective on the MD communicator.
    void frame(std::int64_t step);
    /// The MD ranks' part of a coupled checkpoint (group "md": the window length and the MD system with
    /// its fixes). load_state() restores it on a side built from the same deck and ranks. Collective on
    /// the MD communicator.
    void save_state(StateOut &out) const;
    void load_state(const StateIn &in);
    /// Appends the atoms to atoms.lammpstrj if output.dump_every divides `step`. Collective on the MD
    /// communicator.
    void dump(std::int64_t step);

  private:
    using FaceConditions = std::array<fe::BoundaryCondition, 6>; ///< fe.boundary by face id (x_lo = 0 ... z_hi = 5)
    void build_system(const config::Deck &d, const FaceConditions &faces);
    void add_fixes(const config::Deck &d, const FaceConditions &faces);
    /// Atoms within this distance of a face keep their full neighbourhood beyond it: the depth of a held
    /// layer and of the dead load's exclusion near free surfaces (2 cutoffs + skin).
    double layer_depth() const;

    const config::Deck                &deck_;
    const parallel::Partition         &part_;
    TimerTable                        &timers_;
    const coupling::CouplingScheme    &scheme_;
    md::MdSystemParams                 params_;
    coupling::Handshake                hs_;
    std::unique_ptr<md::MdSystem>      sys_;
    std::unique_ptr<coupling::MdBand>  band_;
    std::unique_ptr<io::AtomWriter>    out_;
    std::unique_ptr<AtomDump>          dump_;
    double                             mvv2e_;
  };
} // namespace seam::app
