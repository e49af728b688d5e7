// The MD <-> FE message order.
#include "coupling/protocol.h"

#include "coupling/intercomm.h"

namespace seam::coupling
{
  void negotiate_plan(MPI_Comm inter, ProtocolSide &side)
  {
    const std::vector<double> boxes = gather_remote(inter, side.fe_boxes());
    const Buffers candidates        = coupling::exchange(inter, side.md_candidates(boxes));
    side.md_accept_claims(gather_remote(inter, side.fe_claims(candidates)));
  }

  void round_trip(MPI_Comm inter, ProtocolSide &side)
  {
    const Buffers request = coupling::exchange(inter, side.md_request());
    side.md_receive(coupling::exchange(inter, side.fe_answer(request)));
  }
} // namespace seam::coupling
