// The FE side of the coupling protocol.
#include "coupling/fe_band_side.h"

#include "base/error.h"
#include "base/timer.h"

#include <fmt/format.h>

#include <limits>
#include <optional>

namespace seam::coupling
{
  template <int dim>
  FeBandSide<dim>::FeBandSide(FeBand<dim> &band, const fe::Elastodynamics<dim> &fe, MPI_Comm inter, int fe_rank,
                              TimerTable *timers)
    : band_(band), fe_(fe), inter_(inter), rank_(fe_rank), timers_(timers)
  {}

  template <int dim>
  void FeBandSide<dim>::plan()
  {
    negotiate_plan(inter_, *this);
    u_atoms_.assign(dim * band_.n_atoms(), 0.0);
    v_atoms_.assign(dim * band_.n_atoms(), 0.0);
  }

  template <int dim>
  std::vector<double> FeBandSide<dim>::fe_boxes()
  {
    std::vector<double> box(2 * dim);
    for (int a = 0; a < dim; ++a)
      {
        box[2 * a]     = std::numeric_limits<double>::max();
        box[2 * a + 1] = -std::numeric_limits<double>::max();
      }
    for (const auto &cell : fe_.dof_handler().active_cell_iterators())
      if (cell->is_locally_owned())
        for (unsigned v = 0; v < cell->n_vertices(); ++v)
          for (int a = 0; a < dim; ++a)
            {
              box[2 * a]     = std::min(box[2 * a], cell->vertex(v)[a]);
              box[2 * a + 1] = std::max(box[2 * a + 1], cell->vertex(v)[a]);
            }
    box.push_back(fe_.stable_time_step());
    return box;
  }

  template <int dim>
  std::vector<double> FeBandSide<dim>::fe_claims(const Buffers &candidates)
  {
    std::vector<GlobalId> mine;
    for (const auto &buf : candidates)
      for (std::size_t k = 0; k + 3 < buf.size(); k += 4)
        {
          const Vec3 X{buf[k + 1], buf[k + 2], buf[k + 3]};
          if (band_.owns(X))
            {
              band_.add_atom(id_from_bits(buf[k]), X);
              mine.push_back(id_from_bits(buf[k]));
            }
        }
    band_.finalize(); // slots sorted by id
    std::vector<double> claims;
    for (GlobalId id : mine)
      claims.insert(claims.end(), {static_cast<double>(rank_), id_bits(id), static_cast<double>(band_.slot_of(id))});
    return claims;
  }

  template <int dim>
  void FeBandSide<dim>::exchange(bool correct, double dt_c)
  {
    std::optional<TimerTable::Scope> t;
    if (timers_)
      t.emplace(*timers_, "fe constraint exchange");
    correct_ = correct;
    dt_c_    = dt_c;
    round_trip(inter_, *this);
  }

  template <int dim>
  Buffers FeBandSide<dim>::fe_answer(const Buffers &request)
  {
    std::optional<TimerTable::Scope> t;
    if (timers_)
      t.emplace(*timers_, "fe constraint solve");
    const long  n_slots = static_cast<long>(band_.n_atoms());
    std::size_t n       = 0;
    for (const auto &buf : request)
      {
        if (buf.size() % (2 * dim + 1) != 0)
          throw RuntimeError(fmt::format("coupler: a request of {} values, not (slot, u, v) records", buf.size()));
        for (std::size_t k = 0; k < buf.size(); k += 2 * dim + 1)
          {
            const auto slot = static_cast<long>(buf[k]);
            if (slot < 0 || slot >= n_slots)
              throw RuntimeError(fmt::format("coupler: an MD rank sent slot {} of {} (a routing mismatch)", slot, n_slots));
            for (int a = 0; a < dim; ++a)
              {
                u_atoms_[dim * slot + a] = buf[k + 1 + a];
                v_atoms_[dim * slot + a] = buf[k + 1 + dim + a];
              }
            ++n;
          }
      }
    if (n != band_.n_atoms())
      throw RuntimeError(fmt::format("coupler: {} band atoms arrived, expected {}", n, band_.n_atoms()));
    if (correct_)
      {
        band_.correct(u_atoms_, dt_c_, dv_, vfe_);
        if (band_.predicts())
          band_.multiplier_at_atoms(lambda_);
        else
          lambda_.assign(u_atoms_.size(), 0.0);
        if (band_.has_dashpot())
          {
            for (std::size_t i = 0; i < v_atoms_.size(); ++i)
              v_atoms_[i] += dv_[i];
            band_.dashpot(v_atoms_, vfe_, dt_c_, kick_);
          }
        else
          kick_.assign(u_atoms_.size(), 0.0);
      }
    else
      {
        band_.set_target(u_atoms_);
        dv_.assign(u_atoms_.size(), 0.0);
        band_.interpolate(fe_.velocity(), vfe_);
        lambda_.assign(u_atoms_.size(), 0.0);
        kick_.assign(u_atoms_.size(), 0.0);
      }
    Buffers answer(request.size());
    for (std::size_t r = 0; r < request.size(); ++r)
      for (std::size_t k = 0; k < request[r].size(); k += 2 * dim + 1)
        {
          const auto slot = static_cast<std::size_t>(request[r][k]);
          for (const std::vector<double> *field : {&dv_, &vfe_, &lambda_, &kick_})
            answer[r].insert(answer[r].end(), field->begin() + dim * slot, field->begin() + dim * (slot + 1));
        }
    return answer;
  }

  template class FeBandSide<1>;
  template class FeBandSide<2>;
  template class FeBandSide<3>;
} // namespace seam::coupling
