// The MD side of the handshake band: which atoms are in the band, which FE rank and slot each one's
// constraint lives in (the exchange plan), and the constraint exchange with the FE side.
#pragma once

#include "base/types.h"
#include "coupling/handshake.h"
#include "coupling/protocol.h"

#include <mpi.h>

#include <unordered_map>
#include <vector>

namespace seam
{
  class TimerTable;
}
namespace seam::md
{
  class MdSystem;
}

namespace seam::coupling
{
  /// The atoms' half of the bridging-domain constraint g = B u - C U (see FeBand, its FE half).
  ///
  /// Plan (plan(), collective on the intercommunicator): every owned atom whose reference site lies in
  /// the band is offered, by 64-bit id and site, to every FE rank whose bounding box holds the site; the
  /// FE rank owning the site's cell claims it and answers with the atom's slot there. Atoms migrate
  /// between MD ranks; the (FE rank, slot) of an id does not change, so each MD rank keeps the whole map.
  ///
  /// Exchange (exchange(), collective on the intercommunicator): the owned band atoms' displacements and
  /// velocities go to their FE ranks by slot; the answer per atom is (dv, v_fe, lambda, kick), dim values
  /// each: the velocity correction (positions move by dt dv), the FE velocity at the atom, the
  /// accumulated multiplier field at the atom (force units; zero unless the scheme predicts it) and the
  /// band dashpot's velocity kick (zero unless coupling.damping.style is dashpot; applied by BandDashpot). The multiplier is kept per
  /// atom (Atoms extra "band_multiplier", migrating with it) for BandConstraintFix. Protocol invariants
  /// (answer sizes) are checked in every build and throw RuntimeError.
  class MdBand : public ProtocolSide
  {
  public:
    /// The objects must outlive this one. `timers` (may be null) gets the phase "md constraint exchange".
    MdBand(md::MdSystem &system, const Handshake &handshake, MPI_Comm inter, TimerTable *timers);

    /// Negotiates the plan with the FE side. Collective on the intercommunicator and the MD communicator.
    /// @throws RuntimeError if the FE ranks did not locate every band atom in the mesh.
    void plan();
    /// The FE side's largest stable step, received with the plan [time].
    double fe_stable_step() const { return fe_stable_step_; }
    int dimension() const { return dim_; }
    /// Band atoms over all MD ranks.
    long n_band_atoms() const { return n_band_; }

    /// One constraint exchange. `apply`: add the correction dv and dt_c dv to the atoms (false at start-up,
    /// where the FE side only records the target). Collective on the intercommunicator.
    void exchange(bool apply, double dt_c);

    /// Values per atom and component in an answer.
    static constexpr int answer_width = 4;
    /// The atoms of the last exchange and their answers: f(i, answer) with answer[0..dim) = dv,
    /// [dim, 2 dim) = v_fe, [2 dim, 3 dim) = lambda, [3 dim, 4 dim) = kick, in a fixed order (FE rank,
    /// then owned index).
    template <typename F>
    void for_each_answer(F f) const
    {
      for (std::size_t r = 0; r < answers_.size(); ++r)
        for (std::size_t k = 0; k < sent_[r].size(); ++k)
          f(sent_[r][k], &answers_[r][answer_width * dim_ * k]);
    }
    /// The Atoms extra holding each atom's multiplier (3 values per atom).
    int multiplier_extra() const { return lambda_; }

    // ProtocolSide (the MD messages).
    Buffers md_candidates(const std::vector<double> &boxes) override;
    void    md_accept_claims(const std::vector<double> &claims) override;
    Buffers md_request() override;
    void    md_receive(const Buffers &answers) override;

  private:
    struct Route
    {
      int  fe_rank;
      long slot;
    };
    md::MdSystem                         &sys_;
    const Handshake                      &hs_;
    MPI_Comm                              inter_;
    TimerTable                           *timers_;
    int                                   dim_, n_fe_ = 0, lambda_ = -1;
    long                                  n_band_local_ = 0, n_band_ = 0;
    double                                fe_stable_step_ = 0;
    std::unordered_map<GlobalId, Route>   route_;
    std::vector<std::vector<LocalIndex>>  sent_;  // per FE rank: the band atoms sent, in request order
    std::vector<std::vector<long>>        slots_; // per FE rank: their slots on it
    long                                  sent_builds_ = -1; // neighbor builds when sent_ was made
    Buffers                               answers_;
    bool                                  apply_ = false;
    double                                dt_c_  = 0;
  };
} // namespace seam::coupling
