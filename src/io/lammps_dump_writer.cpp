// Atom frames as a LAMMPS text dump: gathered to rank 0 and appended to one file.
#include "io/lammps_dump_writer.h"

#include "base/error.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <fstream>
#include <filesystem>
#include <numeric>
#include <utility>

namespace seam::io
{
  namespace
  {
    /// Rank 0's verdict `ok` (with its message) becomes every rank's: throws RuntimeError on all ranks.
    void agree(bool ok, const std::string &message, MPI_Comm comm)
    {
      int flag = ok ? 1 : 0;
      MPI_Bcast(&flag, 1, MPI_INT, 0, comm);
      if (flag)
        return;
      std::string text = message;
      int         size = static_cast<int>(text.size());
      MPI_Bcast(&size, 1, MPI_INT, 0, comm);
      text.resize(size);
      MPI_Bcast(text.data(), size, MPI_CHAR, 0, comm);
      throw RuntimeError(text);
    }
  } // namespace

  LammpsDumpWriter::LammpsDumpWriter(std::string path, const Vec3 &lo, const Vec3 &hi, std::array<bool, 3> periodic,
                                     int dimension, std::vector<std::string> extra_names, MPI_Comm comm,
                                     std::int64_t restart_step)
    : path_(std::move(path))
    , lo_(lo)
    , hi_(hi)
    , periodic_(periodic)
    , dimension_(dimension)
    , extra_names_(std::move(extra_names))
    , comm_(comm)
  {
    int rank = 0;
    MPI_Comm_rank(comm_, &rank);
    bool        ok = true;
    std::string message;
    if (rank == 0 && restart_step < 0)
      {
        FILE *f = std::fopen(path_.c_str(), "w");
        ok      = f != nullptr && std::fclose(f) == 0;
        if (!ok)
          message = fmt::format("cannot create the LAMMPS dump file {}: {}", path_, std::strerror(errno));
      }
    else if (rank == 0)
      {
        // Keep the frames up to restart_step: cut at the first "ITEM: TIMESTEP" whose step is later.
        std::ifstream     in(path_, std::ios::binary);
        std::string       line;
        std::uintmax_t    keep = 0, offset = 0;
        bool              step_next = false, cut = false;
        while (!cut && std::getline(in, line))
          {
            const std::uintmax_t start = offset;
            offset += line.size() + 1;
            if (step_next && std::strtoll(line.c_str(), nullptr, 10) > restart_step)
              {
                cut = true;
                break;
              }
            if (line == "ITEM: TIMESTEP")
              {
                keep      = start;
                step_next = true;
              }
            else
              step_next = false;
          }
        std::error_code ec;
        if (cut)
          std::filesystem::resize_file(path_, keep, ec);
        else if (!std::filesystem::exists(path_))
          {
            FILE *f = std::fopen(path_.c_str(), "w");
            if (f == nullptr || std::fclose(f) != 0)
              ec = std::error_code(errno, std::generic_category());
          }
        ok = !ec;
        if (!ok)
          message = fmt::format("cannot continue the LAMMPS dump file {} after step {}: {}", path_, restart_step,
                                ec.message());
      }
    agree(ok, message, comm_);
  }

  void LammpsDumpWriter::write(const DumpFrame &frame)
  {
    int rank = 0, size = 1;
    MPI_Comm_rank(comm_, &rank);
    MPI_Comm_size(comm_, &size);
    const int         n_extra = static_cast<int>(extra_names_.size());
    const int         nd      = 6 + n_extra; // x, v, extras
    const int         n       = static_cast<int>(frame.n_atoms);
    std::vector<double>       reals(static_cast<std::size_t>(n) * nd);
    std::vector<std::int64_t> ids(n);
    std::vector<int>          images(3 * static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
      {
        double *r = &reals[static_cast<std::size_t>(i) * nd];
        for (int a = 0; a < 3; ++a)
          {
            r[a]              = frame.x[i][a];
            r[3 + a]          = frame.v[i][a];
            images[3 * i + a] = frame.image ? frame.image[i][a] : 0;
          }
        for (int k = 0; k < n_extra; ++k)
          r[6 + k] = frame.extra[static_cast<std::size_t>(i) * n_extra + k];
        ids[i] = static_cast<std::int64_t>(frame.id[i]);
      }

    // Gather to rank 0 (counts first; then ids, images and reals with their displacements).
    std::vector<int> counts(rank == 0 ? size : 0);
    MPI_Gather(&n, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, comm_);
    std::vector<int> c1, d1, c3, d3, cd, dd;
    long long        total = 0;
    if (rank == 0)
      {
        c1 = counts;
        d1.assign(size, 0);
        std::exclusive_scan(c1.begin(), c1.end(), d1.begin(), 0);
        total = std::accumulate(c1.begin(), c1.end(), 0LL);
        for (int r = 0; r < size; ++r)
          {
            c3.push_back(3 * c1[r]);
            d3.push_back(3 * d1[r]);
            cd.push_back(nd * c1[r]);
            dd.push_back(nd * d1[r]);
          }
      }
    std::vector<std::int64_t> all_ids(total);
    std::vector<int>          all_images(3 * total);
    std::vector<double>       all_reals(nd * total);
    MPI_Gatherv(ids.data(), n, MPI_INT64_T, all_ids.data(), c1.data(), d1.data(), MPI_INT64_T, 0, comm_);
    MPI_Gatherv(images.data(), 3 * n, MPI_INT, all_images.data(), c3.data(), d3.data(), MPI_INT, 0, comm_);
    MPI_Gatherv(reals.data(), nd * n, MPI_DOUBLE, all_reals.data(), cd.data(), dd.data(), MPI_DOUBLE, 0, comm_);

    bool        ok = true;
    std::string message;
    if (rank == 0)
      {
        std::vector<std::size_t> order(total);
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return all_ids[a] < all_ids[b]; });

        // Box: pp along periodic axes and beyond the dimension; mm (the box grown to the atoms) along free ones.
        std::array<double, 3> lo{-0.5, -0.5, -0.5}, hi{0.5, 0.5, 0.5};
        std::string           flags;
        for (int a = 0; a < 3; ++a)
          {
            if (a >= dimension_)
              {
                flags += " pp";
                continue;
              }
            lo[a] = lo_[a];
            hi[a] = hi_[a];
            if (!periodic_[a])
              for (long long i = 0; i < total; ++i)
                {
                  lo[a] = std::min(lo[a], all_reals[nd * i + a]);
                  hi[a] = std::max(hi[a], all_reals[nd * i + a]);
                }
            flags += periodic_[a] ? " pp" : " mm";
          }

        fmt::memory_buffer out;
        auto               it = std::back_inserter(out);
        fmt::format_to(it, "ITEM: TIMESTEP\n{}\nITEM: NUMBER OF ATOMS\n{}\nITEM: BOX BOUNDS{}\n", frame.step, total,
                       flags);
        for (int a = 0; a < 3; ++a)
          fmt::format_to(it, "{} {}\n", lo[a], hi[a]);
        fmt::format_to(it, "ITEM: ATOMS id type x y z vx vy vz ix iy iz");
        for (const auto &name : extra_names_)
          fmt::format_to(it, " {}", name);
        fmt::format_to(it, "\n");
        for (std::size_t i : order)
          {
            const double *r  = &all_reals[nd * i];
            const int    *im = &all_images[3 * i];
            fmt::format_to(it, "{} 1 {} {} {} {} {} {} {} {} {}", all_ids[i], r[0], r[1], r[2], r[3], r[4], r[5], im[0],
                           im[1], im[2]);
            for (int k = 0; k < n_extra; ++k)
              fmt::format_to(it, " {}", r[6 + k]);
            fmt::format_to(it, "\n");
          }
        FILE *f = std::fopen(path_.c_str(), "a");
        ok      = f != nullptr;
        if (ok)
          {
            ok = std::fwrite(out.data(), 1, out.size(), f) == out.size();
            ok = std::fclose(f) == 0 && ok;
          }
        if (!ok)
          message = fmt::format("cannot append step {} to the LAMMPS dump file {}: {}", frame.step, path_,
                                std::strerror(errno));
      }
    agree(ok, message, comm_);
  }
} // namespace seam::io
