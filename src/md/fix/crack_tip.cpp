// Crack-tip position and applied K.
#include "md/fix/crack_tip.h"

#include "config/deck.h"
#include "md/atoms.h"
#include "md/fix/registry.h"
#include "md/md_system.h"

#include <fmt/format.h>
#include <mpi.h>

#include <cmath>

namespace seam::md
{
  CrackTip::CrackTip(MdSystem &system, std::optional<Cut> cut, std::unique_ptr<Expression> k)
    : sys_(system), cut_(std::move(cut)), k_(std::move(k))
  {
    if (!cut_)
      return;
    const int dim = sys_.params().dimension;
    for (int a = 0; a < dim; ++a)
      {
        t_[a] = cut_->to[a] - cut_->from[a];
        len_ += t_[a] * t_[a];
      }
    len_ = std::sqrt(len_);
    for (int a = 0; a < 3; ++a)
      t_[a] /= len_;
    // The cut plane's normal: 2D in the plane, 3D the given one (BondCuts validated it).
    if (dim == 3)
      {
        const double nl = std::sqrt(cut_->normal[0] * cut_->normal[0] + cut_->normal[1] * cut_->normal[1] +
                                    cut_->normal[2] * cut_->normal[2]);
        for (int a = 0; a < 3; ++a)
          n_[a] = cut_->normal[a] / nl;
      }
    else
      n_ = {-t_[1], t_[0], 0.0};
    s_tip_ = len_;
  }

  void CrackTip::post_force(Atoms &atoms, std::int64_t step, bool want_energy)
  {
    time_ = static_cast<double>(step) * sys_.params().time_step;
    if (!want_energy || !cut_)
      return;
    const Vec3  &p0 = cut_->from, &t = t_, &n = n_;
    const double len = len_;
    const double nn    = sys_.has_lattice() ? sys_.lattice().nearest_neighbor_distance() : 1.0;
    const double r_cut = 1.2 * nn, r2 = r_cut * r_cut, r_break2 = 2.25 * nn * nn; // nearest bonds, broken > 1.5 nn
    const Vec3   box   = sys_.domain().length();
    const auto  &x = atoms.x();
    const auto  &x0 = atoms.x0();
    const auto  &offsets = sys_.neighbor_list().offsets();
    const auto  &nbr     = sys_.neighbor_list().neighbors();
    double       s_max   = len; // the initial tip
    for (LocalIndex i = 0; i < atoms.n_owned(); ++i)
      {
        const Vec3 Xi = atoms.reference_position(i, box);
        double     hi = 0, si = 0;
        for (int a = 0; a < 3; ++a)
          {
            hi += (Xi[a] - p0[a]) * n[a];
            si += (Xi[a] - p0[a]) * t[a];
          }
        if (std::abs(hi) > r_cut || si < len - r_cut)
          continue;
        for (std::size_t k = offsets[i]; k < offsets[i + 1]; ++k)
          {
            const LocalIndex j = nbr[k];
            Vec3             Xj;
            double           ref2 = 0, cur2 = 0, hj = 0;
            for (int a = 0; a < 3; ++a)
              {
                Xj[a] = Xi[a] + (x0[j][a] - x0[i][a]);
                ref2 += (x0[j][a] - x0[i][a]) * (x0[j][a] - x0[i][a]);
                cur2 += (x[j][a] - x[i][a]) * (x[j][a] - x[i][a]);
                hj += (Xj[a] - p0[a]) * n[a];
              }
            if (ref2 >= r2 || cur2 <= r_break2 || !((hi > 0 && hj < 0) || (hi < 0 && hj > 0)))
              continue;
            const double w = hi / (hi - hj);
            double       s = 0;
            for (int a = 0; a < 3; ++a)
              s += (Xi[a] + w * (Xj[a] - Xi[a]) - p0[a]) * t[a];
            if (s > len)
              s_max = std::max(s_max, s);
          }
      }
    MPI_Allreduce(&s_max, &s_tip_, 1, MPI_DOUBLE, MPI_MAX, sys_.domain().comm());
  }

  std::vector<std::string> CrackTip::thermo_columns() const
  {
    std::vector<std::string> c;
    if (k_)
      c.push_back("k_applied");
    if (cut_)
      {
        c.push_back("crack_tip_x");
        if (sys_.params().dimension > 1)
          c.push_back("crack_tip_y");
      }
    return c;
  }

  std::vector<double> CrackTip::thermo_shares(bool lead) const
  {
    std::vector<double> v;
    if (k_)
      v.push_back(lead ? (*k_)(0.0, 0.0, 0.0, time_) : 0.0);
    if (cut_)
      for (int a = 0; a < std::min(2, sys_.params().dimension); ++a)
        v.push_back(lead ? cut_->from[a] + t_[a] * s_tip_ : 0.0);
    return v;
  }

  std::unique_ptr<Fix> CrackTip::from_deck(const FixContext &ctx)
  {
    const config::Deck &d = ctx.deck;
    std::optional<Cut>  cut;
    if (!ctx.system.params().cuts.empty())
      cut = ctx.system.params().cuts.front();
    std::unique_ptr<Expression> k;
    for (const char *list : {"fe.boundary", "md.walls"})
      for (std::size_t i = 0; !k && d.has(list) && i < d.list_size(list); ++i)
        {
          const std::string item = fmt::format("{}[{}]", list, i);
          if (d.string(item + ".type") == "k_field" && d.has(item + ".k"))
            k = std::make_unique<Expression>(d.string(item + ".k"));
        }
    if (!cut && !k)
      return nullptr;
    return std::make_unique<CrackTip>(ctx.system, cut, std::move(k));
  }
} // namespace seam::md
