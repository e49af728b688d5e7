// The multiple-time-step coupling scheme: time windows of `substeps` MD steps per FE step (owned by
// the base class) and, per subclass, where in a window the MD and FE sides exchange the constraint.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace seam::coupling
{
  /// Time windows of a concurrent MD/FE run, in the shape of preCICE's BaseCouplingScheme (Bungartz et
  /// al. 2016, Comput. Fluids 141:250): the base owns the windows (one FE step = substeps MD steps;
  /// time is an integer MD step count, never accumulated), a subclass only the order of exchanges in a
  /// window: after which MD substeps' drift the constraint correction is exchanged.
  ///
  /// Both sides follow the same plan. MD side: substep k = 1..substeps is a velocity-Verlet step whose
  /// post_integrate exchanges when exchanges_after(k). FE side: a half kick at the window's start, then
  /// for each exchange point a drift by segment(k) and the exchange, then force and closing half kick.
  class CouplingScheme
  {
  public:
    /// @param substeps  MD steps per FE step (window), >= 1
    /// @param dt_md     MD time step [time]
    CouplingScheme(long substeps, double dt_md);
    virtual ~CouplingScheme() = default;

    /// The deck name of the scheme (coupling.constrain_every).
    virtual std::string name() const = 0;
    /// The substeps k in [1, substeps] after which the constraint is exchanged, increasing, ending with
    /// substeps (a window always closes with a correction).
    virtual std::vector<long> exchange_points() const = 0;
    /// True if the multipliers accumulate into a predicted constraint force that acts between exchanges
    /// (coupling::FeBand::Params::predictor).
    virtual bool predicts_multiplier() const = 0;

    long   substeps() const { return substeps_; }
    double dt_md() const { return dt_md_; }
    double dt_fe() const { return dt_fe_; }
    /// Whole windows in `md_steps` MD steps.
    long n_windows(long md_steps) const { return md_steps / substeps_; }

    /// After MD step number `step_done` (counting from 1): true if it ends at an exchange point.
    bool exchanges_after(std::int64_t step_done) const;
    /// True if MD step `step_done` closes a window (its correction is the last of the FE step).
    bool closes_window(std::int64_t step_done) const { return step_done % substeps_ == 0; }
    /// The time since the previous exchange point of the exchange after MD step `step_done`: the drift
    /// of the FE side before it and the step of the constraint correction [time].
    double segment(std::int64_t step_done) const;

    /// Changes the window length before the run starts (coupling.substeps: auto, once the FE's stable
    /// step is known on both partitions). @pre substeps >= 1
    void set_substeps(long substeps);
    /// coupling.substeps: auto: the largest n with n dt_md <= safety x stable that divides `multiple_of`
    /// (the gcd of run.steps and the output intervals, so every one of them falls on an FE step), at
    /// least 1. The explicit FE step is then as long as its own stability allows (Belytschko, Liu &
    /// Moran, "Nonlinear Finite Elements", 2000, sec. 6.3: a safety factor 0.8-0.98 on the critical step;
    /// the stable step here is already a guaranteed bound, see fe::max_eigenvalue_bound).
    static long auto_substeps(double stable, double dt_md, long multiple_of, double safety = 0.9);

  protected:
    /// Call from the subclass constructor: tabulates exchange_points().
    void tabulate();

  private:
    long                substeps_;
    double              dt_md_, dt_fe_;
    std::vector<double> segment_; ///< per substep k (1-based): 0 = no exchange, else its segment [time]
  };

  /// coupling.constrain_every: md_step. Constrained r-RESPA (Tuckerman, Berne & Martyna 1992, J. Chem.
  /// Phys. 97:1990, with SHAKE in the inner loop, Ryckaert, Ciccotti & Berendsen 1977): the FE force is
  /// the slow force (half kicks at the window's ends), the FE nodes drift with the atoms in MD substeps
  /// and the constraint holds after every one of them. Every part is a symplectic map: no secular drift.
  class RespaScheme : public CouplingScheme
  {
  public:
    RespaScheme(long substeps, double dt_md) : CouplingScheme(substeps, dt_md) { tabulate(); }
    std::string       name() const override { return "md_step"; }
    std::vector<long> exchange_points() const override;
    bool              predicts_multiplier() const override { return false; }
  };

  /// coupling.constrain_every: fe_step. One correction per FE step; between corrections the atoms
  /// subcycle under the accumulated multiplier field as a constant predicted force (exact without
  /// subcycling; with it the end-of-window jump costs O((omega dt_FE)^2) of the band's energy per
  /// crossing, see FeBand).
  class WindowScheme : public CouplingScheme
  {
  public:
    WindowScheme(long substeps, double dt_md) : CouplingScheme(substeps, dt_md) { tabulate(); }
    std::string       name() const override { return "fe_step"; }
    std::vector<long> exchange_points() const override { return {substeps()}; }
    bool              predicts_multiplier() const override { return true; }
  };

  /// The scheme of deck name `name` (the registry: one line per scheme). @throws std::invalid_argument
  /// for an unknown name, listing the known ones.
  std::unique_ptr<CouplingScheme> create_coupling_scheme(const std::string &name, long substeps, double dt_md);
  /// The registered scheme names.
  std::vector<std::string> coupling_scheme_names();
  /// Registers the names of the coupling schemes (coupling.constrain_every) and band absorbers
  /// (coupling.damping.style) with the deck schema. Call at start-up, before the schema is first used.
  void register_coupling_keys();
} // namespace seam::coupling
