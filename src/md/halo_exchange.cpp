// Halo communication: exchange, borders, forward and reverse (see halo_exchange.h).
#include "md/halo_exchange.h"

#include "md/atoms.h"
#include "md/domain.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace seam::md
{
  static_assert(sizeof(Vec3) == 3 * sizeof(double), "Vec3 must be three packed doubles");

  namespace
  {
    constexpr int tag_count = 7301;
    constexpr int tag_data  = 7302;

    double id_as_double(GlobalId id)
    {
      double d;
      std::memcpy(&d, &id, sizeof d);
      return d;
    }
    GlobalId double_as_id(double d)
    {
      GlobalId id;
      std::memcpy(&id, &d, sizeof id);
      return id;
    }

    /// Sends `send` to `dest` and receives from `source` a message of unknown length (count first).
    void sendrecv_unknown(MPI_Comm comm, int dest, int source, const std::vector<double> &send,
                          std::vector<double> &recv)
    {
      int n_send = static_cast<int>(send.size()), n_recv = 0;
      MPI_Sendrecv(&n_send, 1, MPI_INT, dest, tag_count, &n_recv, 1, MPI_INT, source, tag_count, comm,
                   MPI_STATUS_IGNORE);
      recv.resize(static_cast<std::size_t>(n_recv));
      // Buffers travel as bytes: the ids are stored bit for bit in double slots.
      MPI_Sendrecv(send.data(), n_send * int(sizeof(double)), MPI_BYTE, dest, tag_data, recv.data(),
                   n_recv * int(sizeof(double)), MPI_BYTE, source, tag_data, comm, MPI_STATUS_IGNORE);
    }
  } // namespace

  HaloExchange::HaloExchange(const Domain &domain) : domain_(domain) {}

  bool HaloExchange::is_self(const Swap &s) const
  {
    return s.send_rank == domain_.rank() && s.recv_rank == domain_.rank();
  }

  void HaloExchange::sendrecv(const Swap &s, const double *send, int n_send_doubles, double *recv,
                              int n_recv_doubles, bool reverse_direction)
  {
    const int dest   = reverse_direction ? s.recv_rank : s.send_rank;
    const int source = reverse_direction ? s.send_rank : s.recv_rank;
    MPI_Sendrecv(send, n_send_doubles, MPI_DOUBLE, dest, tag_data, recv, n_recv_doubles, MPI_DOUBLE,
                 source, tag_data, domain_.comm(), MPI_STATUS_IGNORE);
  }

  void HaloExchange::exchange(Atoms &atoms)
  {
    // Per axis: pack leavers (below -> lower neighbour, above -> upper), send both ways, unpack as
    // owned; repeat until no rank holds a misplaced atom (allreduce).
    atoms.clear_ghosts();
    swaps_.clear();
    domain_.wrap(atoms);
    // id, x0[3], x[3], v[3], image[3], then weight, mass scale (weighted), g[3] (reference force) and
    // the extras (Atoms::add_extra) in handle order.
    const bool weighted = atoms.weighted(), dead_load = atoms.has_reference_force();
    const int  width    = 13 + (weighted ? 2 : 0) + (dead_load ? 3 : 0) + atoms.extras_width();
    std::vector<double> to_lo, to_hi, from_hi, from_lo;
    for (int axis = 0; axis < domain_.dimension(); ++axis)
      {
        const int p = domain_.n_ranks_along(axis);
        if (p == 1)
          continue;
        const int    c  = domain_.coord(axis);
        const double lo = domain_.sub_lo(axis), hi = domain_.sub_hi(axis);
        for (;;)
          {
            to_lo.clear();
            to_hi.clear();
            for (LocalIndex i = atoms.n_owned() - 1; i >= 0; --i)
              {
                const double xi = atoms.x()[i][axis];
                std::vector<double> *buf = nullptr;
                if (c > 0 && xi < lo)
                  buf = &to_lo;
                else if (c < p - 1 && xi >= hi)
                  buf = &to_hi;
                if (!buf)
                  continue;
                buf->push_back(id_as_double(atoms.id()[i]));
                for (const Vec3 *a : {&atoms.x0()[i], &atoms.x()[i], &atoms.v()[i]})
                  buf->insert(buf->end(), a->begin(), a->end());
                for (int k = 0; k < 3; ++k)
                  buf->push_back(static_cast<double>(atoms.image()[i][k]));
                if (weighted)
                  {
                    buf->push_back(atoms.weight()[i]);
                    buf->push_back(atoms.mass_scale()[i]);
                  }
                if (dead_load)
                  buf->insert(buf->end(), atoms.reference_force()[i].begin(), atoms.reference_force()[i].end());
                for (int h = 0; h < atoms.n_extras(); ++h)
                  {
                    const int w = atoms.extra_width(h);
                    buf->insert(buf->end(), atoms.extra(h).begin() + std::ptrdiff_t(w) * i,
                                atoms.extra(h).begin() + std::ptrdiff_t(w) * (i + 1));
                  }
                atoms.remove_owned(i);
              }
            const int down = c > 0 ? domain_.neighbor(axis, -1) : MPI_PROC_NULL;
            const int up   = c < p - 1 ? domain_.neighbor(axis, +1) : MPI_PROC_NULL;
            sendrecv_unknown(domain_.comm(), down, up, to_lo, from_hi);
            sendrecv_unknown(domain_.comm(), up, down, to_hi, from_lo);
            for (const std::vector<double> *buf : {&from_hi, &from_lo})
              for (std::size_t o = 0; o + width <= buf->size(); o += width)
                {
                  const double *b = buf->data() + o;
                  atoms.add_owned(double_as_id(b[0]), {b[1], b[2], b[3]}, {b[4], b[5], b[6]},
                                  {b[7], b[8], b[9]},
                                  {static_cast<int>(b[10]), static_cast<int>(b[11]),
                                   static_cast<int>(b[12])});
                  const LocalIndex n = atoms.n_owned() - 1;
                  int              o2 = 13;
                  if (weighted)
                    {
                      atoms.weight()[n]     = b[o2++];
                      atoms.mass_scale()[n] = b[o2++];
                    }
                  if (dead_load)
                    {
                      atoms.reference_force()[n] = {b[o2], b[o2 + 1], b[o2 + 2]};
                      o2 += 3;
                    }
                  for (int h = 0; h < atoms.n_extras(); ++h)
                    {
                      const int w = atoms.extra_width(h);
                      std::copy_n(b + o2, w, atoms.extra(h).begin() + std::ptrdiff_t(w) * n);
                      o2 += w;
                    }
                }
            int misplaced = 0;
            for (LocalIndex i = 0; i < atoms.n_owned(); ++i)
              misplaced += !domain_.in_slab(axis, atoms.x()[i][axis]);
            int any = 0;
            MPI_Allreduce(&misplaced, &any, 1, MPI_INT, MPI_MAX, domain_.comm());
            if (any == 0)
              break;
          }
      }
  }

  void HaloExchange::borders(Atoms &atoms, double cutoff)
  {
    if (!(cutoff > 0.0))
      throw std::invalid_argument("HaloExchange::borders: cutoff must be positive");
    atoms.clear_ghosts();
    swaps_.clear();
    constexpr int       width = 7; // id, x0[3], x[3]
    std::vector<double> recv;
    for (int axis = 0; axis < domain_.dimension(); ++axis)
      {
        const int  p        = domain_.n_ranks_along(axis);
        const bool periodic = domain_.is_periodic(axis);
        if (p == 1 && !periodic)
          continue;
        int need = static_cast<int>(std::ceil(cutoff / domain_.sub_width(axis)));
        need     = std::max(need, 1);
        if (!periodic)
          need = std::min(need, p - 1);
        const int        c            = domain_.coord(axis);
        const LocalIndex n_axis_start = atoms.n_local();
        const double     L            = domain_.length()[axis];
        for (int dir : {-1, +1})
          {
            LocalIndex cand_first = 0, cand_n = n_axis_start;
            for (int pass = 0; pass < need; ++pass)
              {
                Swap s;
                s.axis      = axis;
                s.send_rank = domain_.neighbor(axis, dir);
                s.recv_rank = domain_.neighbor(axis, -dir);
                if (s.send_rank != MPI_PROC_NULL)
                  {
                    const double bound = dir < 0 ? domain_.sub_lo(axis) + cutoff
                                                 : domain_.sub_hi(axis) - cutoff;
                    for (LocalIndex i = cand_first; i < cand_first + cand_n; ++i)
                      {
                        const double xi = atoms.x()[i][axis];
                        if (dir < 0 ? xi < bound : xi >= bound)
                          s.send_list.push_back(i);
                      }
                    if (dir < 0 && c == 0)
                      s.shift[axis] = L;
                    if (dir > 0 && c == p - 1)
                      s.shift[axis] = -L;
                  }
                s.first_ghost = atoms.n_local();
                if (is_self(s))
                  {
                    for (LocalIndex i : s.send_list)
                      {
                        Vec3 x0 = atoms.x0()[i], x = atoms.x()[i];
                        for (int k = 0; k < 3; ++k)
                          x0[k] += s.shift[k], x[k] += s.shift[k];
                        atoms.add_ghost(atoms.id()[i], x0, x);
                      }
                  }
                else
                  {
                    send_buf_.clear();
                    for (LocalIndex i : s.send_list)
                      {
                        send_buf_.push_back(id_as_double(atoms.id()[i]));
                        for (int k = 0; k < 3; ++k)
                          send_buf_.push_back(atoms.x0()[i][k] + s.shift[k]);
                        for (int k = 0; k < 3; ++k)
                          send_buf_.push_back(atoms.x()[i][k] + s.shift[k]);
                      }
                    sendrecv_unknown(domain_.comm(), s.send_rank, s.recv_rank, send_buf_, recv);
                    for (std::size_t o = 0; o + width <= recv.size(); o += width)
                      {
                        const double *b = recv.data() + o;
                        atoms.add_ghost(double_as_id(b[0]), {b[1], b[2], b[3]}, {b[4], b[5], b[6]});
                      }
                  }
                s.n_recv   = atoms.n_local() - s.first_ghost;
                cand_first = s.first_ghost;
                cand_n     = s.n_recv;
                swaps_.push_back(std::move(s));
              }
          }
      }
    // Ghost weights are the owners' (not recomputed from the shifted x0): one more message per swap.
    if (atoms.weighted())
      forward(atoms.weight());
  }

  void HaloExchange::forward(Atoms &atoms)
  {
    auto &x = atoms.x();
    for (const Swap &s : swaps_)
      {
        if (is_self(s))
          {
            for (std::size_t k = 0; k < s.send_list.size(); ++k)
              {
                const Vec3 &src = x[s.send_list[k]];
                x[s.first_ghost + k] = {src[0] + s.shift[0], src[1] + s.shift[1], src[2] + s.shift[2]};
              }
            continue;
          }
        send_buf_.resize(3 * s.send_list.size());
        for (std::size_t k = 0; k < s.send_list.size(); ++k)
          for (int d = 0; d < 3; ++d)
            send_buf_[3 * k + d] = x[s.send_list[k]][d] + s.shift[d];
        sendrecv(s, send_buf_.data(), static_cast<int>(send_buf_.size()),
                 x.data()->data() + 3 * std::size_t(s.first_ghost), 3 * s.n_recv, false);
      }
  }

  void HaloExchange::forward(std::vector<double> &q)
  {
    const auto start = std::chrono::steady_clock::now();
    for (const Swap &s : swaps_)
      {
        if (is_self(s))
          {
            for (std::size_t k = 0; k < s.send_list.size(); ++k)
              q[s.first_ghost + k] = q[s.send_list[k]];
            continue;
          }
        send_buf_.resize(s.send_list.size());
        for (std::size_t k = 0; k < s.send_list.size(); ++k)
          send_buf_[k] = q[s.send_list[k]];
        sendrecv(s, send_buf_.data(), static_cast<int>(send_buf_.size()), q.data() + s.first_ghost,
                 s.n_recv, false);
      }
    scalar_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }

  void HaloExchange::reverse(Atoms &atoms, bool energy)
  {
    auto &f = atoms.f();
    auto &e = atoms.energy();
    const int w = energy ? 4 : 3;
    for (auto it = swaps_.rbegin(); it != swaps_.rend(); ++it)
      {
        const Swap &s = *it;
        if (is_self(s))
          {
            for (std::size_t k = 0; k < s.send_list.size(); ++k)
              {
                const LocalIndex g = s.first_ghost + static_cast<LocalIndex>(k), o = s.send_list[k];
                for (int d = 0; d < 3; ++d)
                  f[o][d] += f[g][d];
                if (energy)
                  e[o] += e[g];
              }
            continue;
          }
        send_buf_.resize(std::size_t(w) * s.n_recv);
        for (LocalIndex k = 0; k < s.n_recv; ++k)
          {
            const LocalIndex g = s.first_ghost + k;
            for (int d = 0; d < 3; ++d)
              send_buf_[w * k + d] = f[g][d];
            if (energy)
              send_buf_[w * k + 3] = e[g];
          }
        recv_buf_.resize(std::size_t(w) * s.send_list.size());
        sendrecv(s, send_buf_.data(), static_cast<int>(send_buf_.size()), recv_buf_.data(),
                 static_cast<int>(recv_buf_.size()), true);
        for (std::size_t k = 0; k < s.send_list.size(); ++k)
          {
            const LocalIndex o = s.send_list[k];
            for (int d = 0; d < 3; ++d)
              f[o][d] += recv_buf_[w * k + d];
            if (energy)
              e[o] += recv_buf_[w * k + 3];
          }
      }
  }

  void HaloExchange::reverse(std::vector<double> &q)
  {
    const auto start = std::chrono::steady_clock::now();
    for (auto it = swaps_.rbegin(); it != swaps_.rend(); ++it)
      {
        const Swap &s = *it;
        if (is_self(s))
          {
            for (std::size_t k = 0; k < s.send_list.size(); ++k)
              q[s.send_list[k]] += q[s.first_ghost + k];
            continue;
          }
        recv_buf_.resize(s.send_list.size());
        sendrecv(s, q.data() + s.first_ghost, s.n_recv, recv_buf_.data(),
                 static_cast<int>(recv_buf_.size()), true);
        for (std::size_t k = 0; k < s.send_list.size(); ++k)
          q[s.send_list[k]] += recv_buf_[k];
      }
    scalar_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
} // namespace seam::md
