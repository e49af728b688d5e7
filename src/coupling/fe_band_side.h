// The FE side of the coupling protocol: the FE ranks' bounding boxes, their claims of band atoms, and
// the answer to each constraint exchange (FeBand's correction).
#pragma once

#include "coupling/fe_band.h"
#include "coupling/protocol.h"

#include <mpi.h>

#include <vector>

namespace seam
{
  class TimerTable;
}

namespace seam::coupling
{
  /// FeBand's half of the protocol of ProtocolSide (see MdBand for the atoms' half).
  ///
  /// Plan: this rank's box is the bounding box of its owned cells, followed by the FE's stable step
  /// (so the MD side judges coupling.substeps with the same number); the candidates whose site lies in
  /// one of this rank's cells (FeBand::owns) are added to the band, FeBand::finalize() sorts and
  /// factorises, and the claims carry each atom's slot. Exchange: the request holds (slot, u, v) per atom;
  /// slots are checked in every build (RuntimeError on a routing mismatch, never an out-of-bounds write).
  template <int dim>
  class FeBandSide : public ProtocolSide
  {
  public:
    /// `timers` (may be null) gets the phases "fe constraint exchange" (waiting included) and
    /// "fe constraint solve". The objects must outlive this one.
    FeBandSide(FeBand<dim> &band, const fe::Elastodynamics<dim> &fe, MPI_Comm inter, int fe_rank, TimerTable *timers);

    /// Negotiates the plan with the MD side. Collective on the intercommunicator and the FE communicator.
    void plan();
    /// One constraint exchange; `correct`: the constraint correction over the step dt_c, else (start-up)
    /// only record the target and answer the FE velocity. Collective on the intercommunicator.
    void exchange(bool correct, double dt_c);

    std::vector<double> fe_boxes() override;
    std::vector<double> fe_claims(const Buffers &candidates) override;
    Buffers             fe_answer(const Buffers &request) override;

  private:
    FeBand<dim>                    &band_;
    const fe::Elastodynamics<dim> &fe_;
    MPI_Comm                        inter_;
    int                             rank_;
    TimerTable                     *timers_;
    bool                            correct_ = false;
    double                          dt_c_    = 0;
    std::vector<double>             u_atoms_, v_atoms_, dv_, vfe_, lambda_, kick_;
  };
} // namespace seam::coupling
