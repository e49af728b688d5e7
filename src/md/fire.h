// FIRE: relaxation of the atoms to a local energy minimum (quasistatic runs).
#pragma once

#include <cstdint>

namespace seam::md
{
  class MdSystem;

  /// The Fast Inertial Relaxation Engine (Bitzek, Koskinen, Gähler, Moseler & Gumbsch 2006, Phys. Rev.
  /// Lett. 97, 170201), on top of the system's own velocity-Verlet step (so every fix acts as in a
  /// dynamic run: held layers stay at their prescribed field, the indenter pushes): after each step,
  /// with P = F . v summed over all atoms,
  ///   P > 0:  v <- (1 - alpha) v + alpha |v| F / |F|; after n_min such steps in a row dt <- min(f_inc dt,
  ///           dt_max) and alpha <- f_alpha alpha;
  ///   P <= 0: v <- 0, dt <- max(f_dec dt, dt_min), alpha <- alpha_start.
  /// Converged when no atom's force exceeds the tolerance (LAMMPS `min_modify` fmax norm, `minimize`
  /// with ftol). Parameters: the paper's (N_min 5, f_inc 1.1, f_dec 0.5, alpha_start 0.1, f_alpha 0.99,
  /// dt_max 10 dt_MD); dt_min = dt_MD / 50 as in LAMMPS min_style fire.
  /// Collective on the MD communicator; the verdict is the same on every rank.
  class Fire
  {
  public:
    struct Params
    {
      double       dt              = 0;      ///< starting step, the deck's md.time_step [time]
      double       force_tolerance = 1e-4;   ///< max |F_i| at convergence [force]
      long         max_iterations  = 100000; ///< steps at most
      int          n_min           = 5;
      double       f_inc = 1.1, f_dec = 0.5, alpha_start = 0.1, f_alpha = 0.99, dt_max_factor = 10.0,
             dt_min_factor = 0.02;
    };
    struct Result
    {
      long   iterations = 0;    ///< velocity-Verlet steps taken
      double max_force  = 0;    ///< max |F_i| at the end [force]
      bool   converged  = false;
    };

    explicit Fire(const Params &p);

    /// Relaxes `sys` at fixed load: the caller holds the clock (MdSystem::hold_clock()) so that every
    /// iteration sees the same load step. Starts from rest, takes at least one step (the new load moves
    /// the held atoms and the indenter), and ends at rest (velocities zero), with the
    /// forces and energies of the final positions. Restores the system's integration step at the end.
    Result relax(MdSystem &sys) const;


  private:
    Params p_;
  };
} // namespace seam::md
