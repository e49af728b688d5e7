// The MD <-> FE message order, written once: both partitions run the same functions on the
// intercommunicator, each side contributing its half through a ProtocolSide, so the two halves cannot
// drift apart (a change of order is a change of this file, seen by both sides).
#pragma once

#include "base/types.h"

#include <mpi.h>

#include <cstring>
#include <vector>

namespace seam::coupling
{
  /// One buffer of doubles per rank of the remote partition.
  using Buffers = std::vector<std::vector<double>>;

  /// A 64-bit atom id carried bit for bit in a double slot (never used as a number).
  inline double id_bits(GlobalId id)
  {
    double d;
    std::memcpy(&d, &id, sizeof d);
    return d;
  }
  inline GlobalId id_from_bits(double d)
  {
    GlobalId id;
    std::memcpy(&id, &d, sizeof id);
    return id;
  }

  /// One partition's half of the coupling protocol. Each function returns what this side sends in one
  /// message of the sequence, or receives what the other side sent; the defaults are the side that has
  /// nothing to send. The MD side overrides the "md" messages, the FE side the "fe" ones.
  ///
  /// Plan (once, negotiate_plan()):  FE -> MD  each FE rank's bounding box and stable step (allgather)
  ///                                 MD -> FE  band atoms (id bits, X) per FE rank whose box holds X
  ///                                 FE -> MD  claims (FE rank, id bits, slot) (allgather)
  /// Exchange (round_trip()):        MD -> FE  per FE rank: (slot, u, v) of its band atoms on this MD rank
  ///                                 FE -> MD  the answer per request entry, in the same order
  class ProtocolSide
  {
  public:
    virtual ~ProtocolSide() = default;
    virtual std::vector<double> fe_boxes() { return {}; }
    virtual Buffers             md_candidates(const std::vector<double> & /*all FE boxes*/) { return {}; }
    virtual std::vector<double> fe_claims(const Buffers & /*candidates from each MD rank*/) { return {}; }
    virtual void                md_accept_claims(const std::vector<double> & /*all claims*/) {}

    virtual Buffers md_request() { return {}; }
    virtual Buffers fe_answer(const Buffers & /*request from each MD rank*/) { return {}; }
    virtual void    md_receive(const Buffers & /*answer from each FE rank*/) {}
  };

  /// The plan's three messages. Collective on `inter` (both partitions).
  void negotiate_plan(MPI_Comm inter, ProtocolSide &side);
  /// One constraint exchange: request, answer. Collective on `inter` (both partitions).
  void round_trip(MPI_Comm inter, ProtocolSide &side);
} // namespace seam::coupling
