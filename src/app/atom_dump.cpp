// output.dump_every: the MD system's atoms as a LAMMPS text dump.
#include "app/atom_dump.h"

#include <filesystem>
#include <vector>

namespace seam::app
{
  namespace
  {
    /// The output directory, created by rank 0 of `comm` before the dump file is opened there.
    std::string dump_path(const config::Deck &deck, MPI_Comm comm)
    {
      const std::string dir = deck.string("output.directory");
      int               rank = 0;
      MPI_Comm_rank(comm, &rank);
      if (rank == 0)
        {
          std::error_code ec; // a failure shows when the writer opens the file
          std::filesystem::create_directories(dir, ec);
        }
      return dir + "/atoms.lammpstrj";
    }
  } // namespace

  AtomDump::AtomDump(const config::Deck &deck, const md::MdSystem &sys, std::int64_t restart_step)
    : every_(deck.integer("output.dump_every"))
    , writer_(dump_path(deck, sys.domain().comm()), sys.domain().lo(), sys.domain().hi(),
              {sys.domain().is_periodic(0), sys.domain().is_periodic(1), sys.domain().is_periodic(2)},
              sys.domain().dimension(), {"weight", "ux", "uy", "uz"}, sys.domain().comm(), restart_step)
  {}

  std::unique_ptr<AtomDump> AtomDump::from_deck(const config::Deck &deck, const md::MdSystem &sys,
                                                std::int64_t restart_step)
  {
    if (deck.integer("output.dump_every") <= 0)
      return nullptr;
    return std::make_unique<AtomDump>(deck, sys, restart_step);
  }

  void AtomDump::write(const md::MdSystem &sys, std::int64_t step)
  {
    const md::Atoms    &a = sys.atoms();
    const LocalIndex    n = a.n_owned();
    std::vector<double> extra(4 * static_cast<std::size_t>(n));
    for (LocalIndex i = 0; i < n; ++i)
      {
        extra[4 * i] = a.weighted() ? a.weight()[i] : 1.0;
        for (int d = 0; d < 3; ++d)
          extra[4 * i + 1 + d] = a.x()[i][d] - a.x0()[i][d]; // x0 moves with x when an atom wraps
      }
    io::DumpFrame f;
    f.step    = step;
    f.n_atoms = n;
    f.id      = a.id().data();
    f.x       = a.x().data();
    f.v       = a.v().data();
    f.image   = a.image().data();
    f.extra   = extra.data();
    writer_.write(f);
  }
} // namespace seam::app
