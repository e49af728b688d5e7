// Per-rank atom storage: structure of arrays, owned atoms first then ghosts.
#pragma once

#include "base/types.h"

#include <array>
#include <vector>

namespace seam::md
{
  /// The atoms a rank holds, as parallel arrays (one entry per atom): ids, reference positions x0,
  /// positions x, velocities v, forces f, per-atom potential energy and periodic image counts. Indices
  /// [0, n_owned()) are the atoms this rank integrates; [n_owned(), n_local()) are ghost copies of
  /// atoms owned elsewhere (or periodic images of own atoms), rebuilt by HaloExchange::borders().
  ///
  /// Positions along periodic axes are kept inside the box: when HaloExchange::exchange() wraps an atom
  /// by a box length L it shifts x and x0 together (so the displacement x - x0 is continuous) and counts
  /// the wrap in `image`. The atom's original lattice site is x0 + image * L (reference_position()).
  /// Ghosts carry x0 shifted with the same periodic image as x. One mass for all atoms (amu or m).
  class Atoms
  {
  public:
    explicit Atoms(double mass = 1.0) : mass_(mass) {}

    double mass() const { return mass_; }

    LocalIndex n_owned() const { return n_owned_; }
    LocalIndex n_ghost() const { return static_cast<LocalIndex>(id_.size()) - n_owned_; }
    LocalIndex n_local() const { return static_cast<LocalIndex>(id_.size()); }

    /// Appends an owned atom. @pre no ghosts (call clear_ghosts() first).
    void add_owned(GlobalId id, const Vec3 &x0, const Vec3 &x, const Vec3 &v,
                   const std::array<int, 3> &image = {0, 0, 0});
    /// Removes owned atom i by moving the last owned atom into its place. @pre no ghosts.
    void remove_owned(LocalIndex i);
    /// Appends a ghost (velocity, force, energy zero); returns its index.
    LocalIndex add_ghost(GlobalId id, const Vec3 &x0, const Vec3 &x);
    /// Resizes to n_owned() + n ghosts (contents of new ghost entries unspecified but valid).
    void resize_ghosts(LocalIndex n);
    void clear_ghosts() { resize_ghosts(0); }

    /// Sets f = 0 (and the per-atom energy when `energy`) on owned and ghost atoms.
    void zero_forces(bool energy);

    std::vector<GlobalId>           &id() { return id_; }
    std::vector<Vec3>               &x0() { return x0_; }
    std::vector<Vec3>               &x() { return x_; }
    std::vector<Vec3>               &v() { return v_; }
    std::vector<Vec3>               &f() { return f_; }
    std::vector<double>             &energy() { return energy_; }
    std::vector<std::array<int, 3>> &image() { return image_; }
    const std::vector<GlobalId>           &id() const { return id_; }
    const std::vector<Vec3>               &x0() const { return x0_; }
    const std::vector<Vec3>               &x() const { return x_; }
    const std::vector<Vec3>               &v() const { return v_; }
    const std::vector<Vec3>               &f() const { return f_; }
    const std::vector<double>             &energy() const { return energy_; }
    const std::vector<std::array<int, 3>> &image() const { return image_; }

    /// Original lattice site of owned atom i: x0 + image * box_length [length].
    Vec3 reference_position(LocalIndex i, const Vec3 &box_length) const;

  private:
    void resize_all(std::size_t n);

    double                          mass_;
    LocalIndex                      n_owned_ = 0;
    std::vector<GlobalId>           id_;
    std::vector<Vec3>               x0_, x_, v_, f_;
    std::vector<double>             energy_;
    std::vector<std::array<int, 3>> image_;
  };
} // namespace seam::md
