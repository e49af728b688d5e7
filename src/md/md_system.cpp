// The MD engine assembled from plain parameters.
#include "md/md_system.h"

#include "md/counter_rng.h"
#include "md/thermo.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace seam::md
{
  namespace
  {
    /// Uniform in (0, 1] from a 64-bit state.
    double uniform(std::uint64_t &state)
    {
      state = splitmix64(state);
      return (double((state >> 11) + 1)) * 0x1.0p-53;
    }

    std::unique_ptr<Potential> make_potential(const MdSystemParams &p)
    {
      return create_potential(p.potential_style, p.potential);
    }
  } // namespace

  MdSystem::MdSystem(const MdSystemParams &params, MPI_Comm md_comm)
    : params_(params)
    , constants_(unit_constants(params.units))
    , domain_(md_comm, params.region_lo, params.region_hi, params.periodic, params.dimension,
              params.processor_grid)
    , lattice_(params.lattice_style, params.lattice_constant, params.orientation, params.dimension)
    , atoms_(params.mass)
    , halo_(domain_)
    , potential_(make_potential(params))
    , list_(potential_->cutoff(), params.skin)
    , integrator_(params.time_step, params.mass, constants_.ftm2v, params.dimension)
  {
    const int dim = params.dimension;
    for (int d = 0; d < dim; ++d)
      if (params.periodic[d])
        {
          const double n = domain_.length()[d] / lattice_.period(d);
          if (std::abs(n - std::round(n)) > 1e-9 * std::max(1.0, n) || std::round(n) < 1)
            throw std::invalid_argument(
              "md.region: length " + std::to_string(domain_.length()[d]) + " along periodic axis " +
              std::to_string(d) + " is " + std::to_string(n) + " lattice periods of " +
              std::to_string(lattice_.period(d)) + "; it must be a whole number (e.g. " +
              std::to_string(std::max(1.0, std::round(n)) * lattice_.period(d)) + ")");
        }

    // Global cell index ranges of the region, for decomposition-independent ids.
    const double              tol = lattice_.tolerance();
    std::array<std::int64_t, 3> n_lo{0, 0, 0}, n_count{1, 1, 1};
    for (int d = 0; d < dim; ++d)
      {
        const double P = lattice_.period(d);
        n_lo[d]    = static_cast<std::int64_t>(std::floor((params.region_lo[d] - tol) / P)) - 1;
        n_count[d] = static_cast<std::int64_t>(std::floor((params.region_hi[d] - tol) / P)) + 2 - n_lo[d];
      }
    Vec3 sub_lo{}, sub_hi{};
    for (int d = 0; d < dim; ++d)
      {
        sub_lo[d] = domain_.sub_lo(d);
        sub_hi[d] = domain_.sub_hi(d);
      }
    const std::int64_t nb = lattice_.n_cell_sites();
    for (const LatticeSite &s : lattice_.indexed_sites_in_box(sub_lo, sub_hi))
      {
        const std::int64_t cell =
          (s.cell[0] - n_lo[0]) + n_count[0] * ((s.cell[1] - n_lo[1]) + n_count[1] * (s.cell[2] - n_lo[2]));
        atoms_.add_owned(1 + s.basis + nb * cell, s.x, s.x, Vec3{});
      }
    n_atoms_ = thermo::n_atoms(atoms_, domain_.comm());
    if (params.neighbor_every < 1 || params.neighbor_delay < 0)
      throw std::invalid_argument("md neighbor check: need neighbor_every >= 1 and neighbor_delay >= 0, got " +
                                  std::to_string(params.neighbor_every) + " and " +
                                  std::to_string(params.neighbor_delay));
  }

  void MdSystem::setup()
  {
    halo_.exchange(atoms_);
    halo_.borders(atoms_, list_.radius());
    list_.build(atoms_, params_.dimension);
    last_build_step_    = step_;
    previous_unchecked_ = false;
    compute_forces(true, step_);
  }

  void MdSystem::step(bool want_energy)
  {
    if (thermostat_)
      thermostat_->begin_kick(atoms_);
    integrator_.initial_integrate(atoms_);
    if (thermostat_)
      thermostat_->end_kick(atoms_);
    // Steps since the last build, counting this one; the same on every rank, so all or none check.
    const std::int64_t ago   = step_ + 1 - last_build_step_;
    const bool         check = ago >= params_.neighbor_delay && ago % params_.neighbor_every == 0;
    if (check && list_.needs_rebuild(atoms_, domain_.comm()))
      {
        if (previous_unchecked_)
          ++n_dangerous_;
        halo_.exchange(atoms_);
        halo_.borders(atoms_, list_.radius());
        list_.build(atoms_, params_.dimension);
        last_build_step_    = step_ + 1;
        previous_unchecked_ = false;
      }
    else
      {
        // A passed check proves this step's list complete; an unchecked step may be stale.
        previous_unchecked_ = !check;
        halo_.forward(atoms_);
      }
    compute_forces(want_energy, step_ + 1);
    if (thermostat_)
      thermostat_->begin_kick(atoms_);
    integrator_.final_integrate(atoms_);
    if (thermostat_)
      thermostat_->end_kick(atoms_);
    ++step_;
  }

  void MdSystem::compute_forces(bool want_energy, std::int64_t step)
  {
    atoms_.zero_forces(want_energy);
    potential_->compute(atoms_, list_, halo_, want_energy);
    halo_.reverse(atoms_, want_energy);
    if (thermostat_)
      thermostat_->apply(atoms_, step);
    pe_valid_ = want_energy;
    if (want_energy)
      pe_total_ = thermo::sum(potential_->energy(), domain_.comm());
  }

  void MdSystem::set_thermostat(const LangevinParams &params)
  {
    auto t = std::make_unique<Langevin>(params, params_.mass, params_.time_step, constants_, params_.dimension);
    clear_thermostat();
    thermostat_ = std::move(t);
  }

  void MdSystem::clear_thermostat()
  {
    if (thermostat_)
      removed_work_ += thermostat_->local_work();
    thermostat_.reset();
  }

  double MdSystem::thermostat_energy() const
  {
    const double work = removed_work_ + (thermostat_ ? thermostat_->local_work() : 0.0);
    return -thermo::sum(work, domain_.comm());
  }

  void MdSystem::create_velocities(double temperature, std::uint64_t seed)
  {
    const int  dim   = params_.dimension;
    const double sd  = std::sqrt(constants_.boltzmann * temperature / (params_.mass * constants_.mvv2e));
    auto      &v     = atoms_.v();
    double     mom[3] = {0, 0, 0};
    for (LocalIndex i = 0; i < atoms_.n_owned(); ++i)
      {
        std::uint64_t state = splitmix64(seed ^ splitmix64(static_cast<std::uint64_t>(atoms_.id()[i])));
        v[i] = Vec3{};
        for (int d = 0; d < dim; d += 2)
          {
            // Box-Muller: two normals per pair of uniforms.
            const double u1 = uniform(state), u2 = uniform(state);
            const double r  = std::sqrt(-2.0 * std::log(u1));
            v[i][d] = sd * r * std::cos(2.0 * M_PI * u2);
            if (d + 1 < dim)
              v[i][d + 1] = sd * r * std::sin(2.0 * M_PI * u2);
          }
        for (int d = 0; d < dim; ++d)
          mom[d] += v[i][d];
      }
    double total[3] = {0, 0, 0};
    MPI_Allreduce(mom, total, 3, MPI_DOUBLE, MPI_SUM, domain_.comm());
    for (LocalIndex i = 0; i < atoms_.n_owned(); ++i)
      for (int d = 0; d < dim; ++d)
        v[i][d] -= total[d] / double(n_atoms_);
    const double t_now = this->temperature();
    if (t_now > 0)
      {
        const double scale = std::sqrt(temperature / t_now);
        for (LocalIndex i = 0; i < atoms_.n_owned(); ++i)
          for (int d = 0; d < dim; ++d)
            v[i][d] *= scale;
      }
  }

  double MdSystem::kinetic_energy() const
  {
    return thermo::kinetic_energy(atoms_, constants_.mvv2e, domain_.comm());
  }

  double MdSystem::temperature() const
  {
    return thermo::temperature(kinetic_energy(), n_atoms_, params_.dimension, constants_.boltzmann);
  }

  double MdSystem::potential_energy() const
  {
    if (!pe_valid_)
      throw std::logic_error("MdSystem::potential_energy: the last force evaluation skipped energies");
    return pe_total_;
  }

  std::vector<GlobalId> MdSystem::owned_ids() const
  {
    return {atoms_.id().begin(), atoms_.id().begin() + atoms_.n_owned()};
  }

  std::vector<Vec3> MdSystem::owned_reference_positions() const
  {
    std::vector<Vec3> r(static_cast<std::size_t>(atoms_.n_owned()));
    for (LocalIndex i = 0; i < atoms_.n_owned(); ++i)
      r[i] = atoms_.reference_position(i, domain_.length());
    return r;
  }

  std::vector<Vec3> MdSystem::owned_positions() const
  {
    return {atoms_.x().begin(), atoms_.x().begin() + atoms_.n_owned()};
  }

  std::vector<Vec3> MdSystem::owned_velocities() const
  {
    return {atoms_.v().begin(), atoms_.v().begin() + atoms_.n_owned()};
  }
} // namespace seam::md
