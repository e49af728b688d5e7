// output.dump_every: the MD system's atoms as a LAMMPS text dump (io::LammpsDumpWriter).
#pragma once

#include "config/deck.h"
#include "io/lammps_dump_writer.h"
#include "md/md_system.h"

#include <cstdint>
#include <memory>

namespace seam::app
{
  /// Writes `<output.directory>/atoms.lammpstrj` every output.dump_every MD steps: per atom id, type 1,
  /// the position x (wrapped into the box along periodic axes) with its image flags, the velocity, and
  /// the extras weight (the blending weight alpha; 1 outside a band and in MD-only runs) and ux uy uz
  /// (the displacement x - X from the reference position).
  class AtomDump
  {
  public:
    /// Collective on the MD communicator of `sys` (creates the directory and truncates the file, or with
    /// `restart_step` >= 0 continues it after that step).
    AtomDump(const config::Deck &deck, const md::MdSystem &sys, std::int64_t restart_step = -1);

    /// True when `step` is a dump step (output.dump_every > 0 divides it).
    bool due(std::int64_t step) const { return every_ > 0 && step % every_ == 0; }
    /// Appends the owned atoms of every MD rank at `step`. Collective on the MD communicator.
    void write(const md::MdSystem &sys, std::int64_t step);

    /// A dump writer for `deck`, or null when output.dump_every is 0. Collective.
    static std::unique_ptr<AtomDump> from_deck(const config::Deck &deck, const md::MdSystem &sys,
                                               std::int64_t restart_step = -1);

  private:
    long                  every_;
    io::LammpsDumpWriter  writer_;
  };
} // namespace seam::app
