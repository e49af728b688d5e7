// Per-rank atom storage.
#include "md/atoms.h"

#include "base/error.h"

#include <algorithm>
#include <string>

namespace seam::md
{
  void Atoms::resize_all(std::size_t n)
  {
    id_.resize(n);
    x0_.resize(n);
    x_.resize(n);
    v_.resize(n);
    f_.resize(n);
    energy_.resize(n);
    image_.resize(n);
    if (weighted_)
      {
        weight_.resize(n, 1.0);
        mass_scale_.resize(n, 1.0);
      }
    if (has_reference_force_)
      reference_force_.resize(n, Vec3{});
    for (Extra &e : extras_)
      e.values.resize(n * static_cast<std::size_t>(e.width), 0.0);
  }

  int Atoms::add_extra(const std::string &name, int width)
  {
    const int h = find_extra(name);
    if (h >= 0)
      {
        SEAM_ASSERT(extras_[h].width == width, "extra '" + name + "' exists with another width");
        return h;
      }
    SEAM_ASSERT(width > 0, "extra '" + name + "' needs a width > 0");
    extras_.push_back({name, width, std::vector<double>(id_.size() * static_cast<std::size_t>(width), 0.0)});
    return static_cast<int>(extras_.size()) - 1;
  }

  int Atoms::find_extra(const std::string &name) const
  {
    for (std::size_t h = 0; h < extras_.size(); ++h)
      if (extras_[h].name == name)
        return static_cast<int>(h);
    return -1;
  }

  int Atoms::extras_width() const
  {
    int w = 0;
    for (const Extra &e : extras_)
      w += e.width;
    return w;
  }

  void Atoms::set_weighted(bool on)
  {
    weighted_ = on;
    weight_.assign(on ? id_.size() : 0, 1.0);
    mass_scale_.assign(on ? id_.size() : 0, 1.0);
  }

  void Atoms::set_reference_force_enabled(bool on)
  {
    has_reference_force_ = on;
    reference_force_.assign(on ? id_.size() : 0, Vec3{});
  }

  void Atoms::add_owned(GlobalId id, const Vec3 &x0, const Vec3 &x, const Vec3 &v,
                        const std::array<int, 3> &image)
  {
    SEAM_ASSERT(n_ghost() == 0, "add_owned with " + std::to_string(n_ghost()) + " ghosts present");
    id_.push_back(id);
    x0_.push_back(x0);
    x_.push_back(x);
    v_.push_back(v);
    f_.push_back(Vec3{});
    energy_.push_back(0.0);
    image_.push_back(image);
    if (weighted_)
      {
        weight_.push_back(1.0);
        mass_scale_.push_back(1.0);
      }
    if (has_reference_force_)
      reference_force_.push_back(Vec3{});
    for (Extra &e : extras_)
      e.values.resize(e.values.size() + static_cast<std::size_t>(e.width), 0.0);
    ++n_owned_;
  }

  void Atoms::remove_owned(LocalIndex i)
  {
    SEAM_ASSERT(n_ghost() == 0 && i >= 0 && i < n_owned_,
                "remove_owned(" + std::to_string(i) + ") with n_owned " + std::to_string(n_owned_));
    const LocalIndex last = n_owned_ - 1;
    if (i != last)
      {
        id_[i]     = id_[last];
        x0_[i]     = x0_[last];
        x_[i]      = x_[last];
        v_[i]      = v_[last];
        f_[i]      = f_[last];
        energy_[i] = energy_[last];
        image_[i]  = image_[last];
        if (weighted_)
          {
            weight_[i]     = weight_[last];
            mass_scale_[i] = mass_scale_[last];
          }
        if (has_reference_force_)
          reference_force_[i] = reference_force_[last];
        for (Extra &e : extras_)
          std::copy_n(e.values.begin() + std::ptrdiff_t(e.width) * last, e.width,
                      e.values.begin() + std::ptrdiff_t(e.width) * i);
      }
    --n_owned_;
    resize_all(static_cast<std::size_t>(n_owned_));
  }

  LocalIndex Atoms::add_ghost(GlobalId id, const Vec3 &x0, const Vec3 &x)
  {
    id_.push_back(id);
    x0_.push_back(x0);
    x_.push_back(x);
    v_.push_back(Vec3{});
    f_.push_back(Vec3{});
    energy_.push_back(0.0);
    image_.push_back({0, 0, 0});
    if (weighted_)
      {
        weight_.push_back(1.0);
        mass_scale_.push_back(1.0);
      }
    if (has_reference_force_)
      reference_force_.push_back(Vec3{});
    for (Extra &e : extras_)
      e.values.resize(e.values.size() + static_cast<std::size_t>(e.width), 0.0);
    return n_local() - 1;
  }

  void Atoms::resize_ghosts(LocalIndex n) { resize_all(static_cast<std::size_t>(n_owned_ + n)); }

  void Atoms::zero_forces(bool energy)
  {
    std::fill(f_.begin(), f_.end(), Vec3{});
    if (energy)
      std::fill(energy_.begin(), energy_.end(), 0.0);
  }

  Vec3 Atoms::reference_position(LocalIndex i, const Vec3 &box_length) const
  {
    Vec3 r = x0_[i];
    for (int k = 0; k < 3; ++k)
      r[k] += image_[i][k] * box_length[k];
    return r;
  }
} // namespace seam::md
