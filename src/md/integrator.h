// Velocity Verlet time integration (NVE) of the owned atoms.
#pragma once

namespace seam::md
{
  class Atoms;

  /// Velocity Verlet in LAMMPS' split (Swope, Andersen, Berens & Wilson 1982, J. Chem. Phys. 76, 637;
  /// LAMMPS `fix nve`): initial_integrate() does v += dt/2 f/m, x += dt v; the caller then recomputes
  /// forces; final_integrate() does v += dt/2 f/m. Forces are converted with the unit system's ftm2v.
  /// Only the first `dimension` components move, so 1D and 2D runs stay on their line or plane.
  /// Weighted atoms (Atoms::weighted()) have the scaled mass m mass_scale()[i] (bridging-domain scaled
  /// masses, Xiao & Belytschko 2004): the kicks use dt/2 f / (m mass_scale()[i]).
  /// Local (no communication).
  class VelocityVerlet
  {
  public:
    /// @param dt         time step [time] > 0
    /// @param mass       atom mass [mass] > 0
    /// @param ftm2v      force/mass*time -> velocity (UnitConstants::ftm2v)
    /// @param dimension  1, 2 or 3
    VelocityVerlet(double dt, double mass, double ftm2v, int dimension);

    double time_step() const { return dt_; }
    void   initial_integrate(Atoms &atoms) const;
    void   final_integrate(Atoms &atoms) const;

  private:
    double dt_, dtf_;
    int    dimension_;
  };
} // namespace seam::md
