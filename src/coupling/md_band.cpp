// The MD side of the handshake band.
#include "coupling/md_band.h"

#include "base/error.h"
#include "base/timer.h"
#include "md/md_system.h"

#include <fmt/format.h>

#include <optional>

namespace seam::coupling
{
  MdBand::MdBand(md::MdSystem &system, const Handshake &handshake, MPI_Comm inter, TimerTable *timers)
    : sys_(system), hs_(handshake), inter_(inter), timers_(timers), dim_(handshake.dimension())
  {
    MPI_Comm_remote_size(inter, &n_fe_);
    lambda_ = sys_.atoms().add_extra("band_multiplier", 3);
  }

  void MdBand::plan()
  {
    negotiate_plan(inter_, *this);
    MPI_Allreduce(&n_band_local_, &n_band_, 1, MPI_LONG, MPI_SUM, sys_.domain().comm());
    if (n_band_ != static_cast<long>(route_.size()))
      throw RuntimeError(fmt::format("handshake: {} band atoms but the FE ranks located {} of them in the mesh",
                                     n_band_, route_.size()));
  }

  Buffers MdBand::md_candidates(const std::vector<double> &boxes)
  {
    const int stride = 2 * dim_ + 1; // box (lo, hi per axis), then the FE's stable step
    if (boxes.size() != static_cast<std::size_t>(stride * n_fe_))
      throw RuntimeError(fmt::format("coupler: {} values of FE bounding boxes, expected {}", boxes.size(),
                                     stride * n_fe_));
    fe_stable_step_ = boxes[stride - 1];
    const auto &atoms = sys_.atoms();
    Buffers     send(n_fe_);
    n_band_local_ = 0;
    for (LocalIndex i = 0; i < atoms.n_owned(); ++i)
      {
        const Vec3 X = atoms.reference_position(i, sys_.domain().length());
        if (!hs_.in_band(X))
          continue;
        ++n_band_local_;
        for (int r = 0; r < n_fe_; ++r)
          {
            bool inside = true;
            for (int a = 0; a < dim_; ++a)
              inside = inside && X[a] >= boxes[stride * r + 2 * a] && X[a] <= boxes[stride * r + 2 * a + 1];
            if (inside)
              {
                send[r].push_back(id_bits(atoms.id()[i]));
                send[r].insert(send[r].end(), X.begin(), X.end());
              }
          }
      }
    return send;
  }

  void MdBand::md_accept_claims(const std::vector<double> &claims)
  {
    if (claims.size() % 3 != 0)
      throw RuntimeError(fmt::format("coupler: {} values of claims, not (rank, id, slot) triples", claims.size()));
    for (std::size_t k = 0; k < claims.size(); k += 3)
      {
        const auto rank = static_cast<int>(claims[k]);
        const auto slot = static_cast<long>(claims[k + 2]);
        if (rank < 0 || rank >= n_fe_ || slot < 0 || !route_.emplace(id_from_bits(claims[k + 1]), Route{rank, slot}).second)
          throw RuntimeError(fmt::format("coupler: invalid or duplicate claim (FE rank {}, slot {})", rank, slot));
      }
  }

  void MdBand::exchange(bool apply, double dt_c)
  {
    std::optional<TimerTable::Scope> t;
    if (timers_)
      t.emplace(*timers_, "md constraint exchange");
    apply_ = apply;
    dt_c_  = dt_c;
    round_trip(inter_, *this);
  }

  Buffers MdBand::md_request()
  {
    const auto &atoms = sys_.atoms();
    // The band atoms and their routes: local indices change only when the neighbor list is rebuilt
    // (atoms migrate and are reordered there), so the list is made again only then.
    if (sys_.n_rebuilds() != sent_builds_)
      {
        sent_.assign(n_fe_, {});
        slots_.assign(n_fe_, {});
        for (LocalIndex i = 0; i < atoms.n_owned(); ++i)
          {
            if (atoms.weight()[i] >= 1.0 && !hs_.in_band(atoms.reference_position(i, sys_.domain().length())))
              continue;
            const auto it = route_.find(atoms.id()[i]);
            if (it == route_.end())
              continue;
            sent_[it->second.fe_rank].push_back(i);
            slots_[it->second.fe_rank].push_back(it->second.slot);
          }
        sent_builds_ = sys_.n_rebuilds();
      }
    Buffers send(n_fe_);
    for (int r = 0; r < n_fe_; ++r)
      {
        auto &b = send[r];
        b.reserve(sent_[r].size() * (1 + 2 * dim_));
        for (std::size_t k = 0; k < sent_[r].size(); ++k)
          {
            const LocalIndex i = sent_[r][k];
            b.push_back(static_cast<double>(slots_[r][k]));
            for (int a = 0; a < dim_; ++a)
              b.push_back(atoms.x()[i][a] - atoms.x0()[i][a]);
            for (int a = 0; a < dim_; ++a)
              b.push_back(atoms.v()[i][a]);
          }
      }
    return send;
  }

  void MdBand::md_receive(const Buffers &answers)
  {
    auto &atoms = sys_.atoms();
    if (answers.size() != sent_.size())
      throw RuntimeError(fmt::format("coupler: answers from {} FE ranks, expected {}", answers.size(), sent_.size()));
    for (std::size_t r = 0; r < answers.size(); ++r)
      if (answers[r].size() != answer_width * dim_ * sent_[r].size())
        throw RuntimeError(fmt::format("coupler: FE rank {} answered {} values for {} atoms (expected {})", r,
                                       answers[r].size(), sent_[r].size(), answer_width * dim_ * sent_[r].size()));
    answers_  = answers;
    auto &lam = atoms.extra(lambda_);
    for_each_answer([&](LocalIndex i, const double *dv) {
      if (apply_)
        for (int a = 0; a < dim_; ++a)
          {
            atoms.v()[i][a] += dv[a];
            atoms.x()[i][a] += dt_c_ * dv[a];
          }
      for (int a = 0; a < dim_; ++a)
        lam[3 * i + a] = dv[2 * dim_ + a];
    });
  }
} // namespace seam::coupling
