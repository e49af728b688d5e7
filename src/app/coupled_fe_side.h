// The FE ranks of a coupled run, assembled from the deck: the mesh with the core cut out, the weighted
// continuum, FeBand and its side of the exchange plan, energies and frames.
#pragma once

#include "base/timer.h"
#include "config/deck.h"
#include "coupling/coupling_scheme.h"
#include "coupling/fe_band.h"
#include "coupling/fe_band_side.h"
#include "coupling/handshake.h"
#include "fe/box.h"
#include "fe/elastodynamics.h"
#include "fe/mesh.h"
#include "io/continuum_writer.h"
#include "parallel/partition.h"

#include <cstdint>
#include <memory>

namespace seam::app
{
  /// Everything the FE ranks run. Construction is collective on the FE communicator and, for the exchange
  /// plan, on the intercommunicator (the MD ranks build CoupledMdSide at the same time).
  template <int dim>
  class CoupledFeSide
  {
  public:
    CoupledFeSide(const config::Deck &deck, const parallel::Partition &part, TimerTable &timers,
                  const coupling::CouplingScheme &scheme);

    fe::Elastodynamics<dim>       &continuum() { return *fem_; }
    coupling::FeBandSide<dim>     &band() { return *side_; }
    /// The drift of the FE step in two parts (FeBand::drift_band, drift_rest): the band's nodes at every
    /// exchange point, the rest of the mesh once per FE step by the summed time.
    void drift_band(double dt) { band_->drift_band(dt); }
    void drift_rest(double dt) { band_->drift_rest(dt); }
    /// After the FE step's closing force kick: the band dashpot's end-of-step tally (FeBand::close_window).
    void close_window() { band_->close_window(); }
    /// Adds this rank's share of the thermo slots (CoupledSlot) to e: the band's share is the cells whose
    /// centre lies in md.region (its faces are element faces, and the core's cells are not in the mesh),
    /// so the split does not depend on points on the band's faces. Collective on the FE communicator.
    void energies(double *e) const;
    /// Opens continuum.xdmf if output.fields_every > 0: a new series, or with `restart_step` >= 0 the
    /// existing one continued after that step. Collective on the FE communicator.
    void open_output(std::int64_t restart_step);
    /// Writes a continuum frame if output.fields_every > 0. Collective on the FE communicator.
    void frame(std::int64_t step);
    /// The FE ranks' part of a coupled checkpoint (group "fe": the window length, the continuum, the
    /// band). load_state() restores it on a side built from the same deck and ranks and checks the window
    /// length. Collective on the FE communicator.
    void save_state(StateOut &out) const;
    void load_state(const StateIn &in);

  private:
    const config::Deck                         &deck_;
    const parallel::Partition                  &part_;
    TimerTable                                 &timers_;
    const coupling::CouplingScheme             &scheme_;
    coupling::Handshake                         hs_;
    fe::Box<dim>                                region_;
    std::unique_ptr<fe::Mesh<dim>>              mesh_;
    std::unique_ptr<fe::Elastodynamics<dim>>    fem_;
    std::unique_ptr<coupling::FeBand<dim>>      band_;
    std::unique_ptr<coupling::FeBandSide<dim>>  side_;
    std::unique_ptr<io::ContinuumWriter<dim>>   out_;
  };
} // namespace seam::app
