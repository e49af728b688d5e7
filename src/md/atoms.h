// Per-rank atom storage: structure of arrays, owned atoms first then ghosts.
#pragma once

#include "base/types.h"

#include <array>
#include <string>
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
  ///
  /// Optional per-atom data of the bridging-domain (energy-blended) Hamiltonian (Xiao & Belytschko
  /// 2004, CMAME 193, 1645), kept only when enabled so unweighted runs carry nothing extra:
  /// - weighted(): weight() alpha_i in [0, 1] on owned AND ghost atoms (ghost values are copied from the
  ///   owners by HaloExchange::borders()) and mass_scale() = max(alpha_i, mass_floor) (same size, but
  ///   only the owned entries are maintained; ghost entries are 1). Both are set once per atom by the
  ///   owner (MdSystem, from x0) and migrate with their atom in HaloExchange::exchange().
  /// - has_reference_force(): reference_force() g_i [force], a constant dead load per owned atom (the
  ///   ghost-force correction, Shenoy et al. 1999, JMPS 47, 611); ghost entries are zero and unused. It
  ///   migrates with its atom in HaloExchange::exchange().
  /// - extras (add_extra()): named per-atom arrays of `width` doubles that fixes and the coupler attach
  ///   (LAMMPS' per-atom fix arrays with grow_arrays/pack_exchange), meaningful on owned atoms; they
  ///   migrate with their atom in HaloExchange::exchange(), ghost entries are zero.
  /// All optional arrays follow add_owned/remove_owned/add_ghost/resize_ghosts like the others; new
  /// entries get weight 1, mass scale 1, reference force 0 and extras 0.
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

    /// Enables (allocating weight 1 and mass scale 1 for every local atom) or drops the weights.
    void set_weighted(bool on);
    bool weighted() const { return weighted_; }
    /// Enables (allocating zeros) or drops the per-atom reference force.
    void set_reference_force_enabled(bool on);
    bool has_reference_force() const { return has_reference_force_; }

    /// Blending weight alpha per local atom (owned and ghosts) [1]. @pre weighted().
    std::vector<double>       &weight() { return weight_; }
    const std::vector<double> &weight() const { return weight_; }
    /// Mass factor max(alpha, mass_floor): owned atom i has mass mass() * mass_scale()[i] (ghost
    /// entries are not maintained). @pre weighted().
    std::vector<double>       &mass_scale() { return mass_scale_; }
    const std::vector<double> &mass_scale() const { return mass_scale_; }
    /// Dead-load force g_i per local atom (meaningful on owned atoms) [force]. @pre has_reference_force().
    std::vector<Vec3>       &reference_force() { return reference_force_; }
    const std::vector<Vec3> &reference_force() const { return reference_force_; }

    /// Attaches a per-atom array of `width` doubles per atom called `name` (zeros), or returns the
    /// existing one of that name (same width required). Returns its handle for extra().
    int add_extra(const std::string &name, int width);
    /// The handle of extra `name`, or -1.
    int find_extra(const std::string &name) const;
    /// Extra array `handle`: width(handle) values per local atom, atom i at [width * i, width * (i + 1)).
    std::vector<double>       &extra(int handle) { return extras_[handle].values; }
    const std::vector<double> &extra(int handle) const { return extras_[handle].values; }
    int extra_width(int handle) const { return extras_[handle].width; }
    /// Total width of all extras (doubles per atom that migrate with it).
    int extras_width() const;
    int n_extras() const { return static_cast<int>(extras_.size()); }

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
    bool                            weighted_ = false, has_reference_force_ = false;
    std::vector<double>             weight_, mass_scale_; ///< empty unless weighted_
    std::vector<Vec3>               reference_force_;     ///< empty unless has_reference_force_
    struct Extra
    {
      std::string         name;
      int                 width;
      std::vector<double> values;
    };
    std::vector<Extra> extras_;
  };
} // namespace seam::md
