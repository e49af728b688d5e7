// The run-time runaway check on thermo rows: non-finite or absurd energies stop the whole job, on every
// rank at once (the rows' energies are already reduced, so every rank reaches the same verdict).
#pragma once

#include "io/thermo_writer.h"
#include "parallel/agreement.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace seam::app
{
  /// Watches the conserved energy e_total + e_damped of the thermo rows. The first row sets the scale
  /// E_ref = max(|pe_atoms|, ke_atoms, |e_total|) of the start; a later row whose conserved energy has moved
  /// by more than `factor` x E_ref (and by more than a round-off floor) is a runaway: a time step too large
  /// for the motion (the integration is unstable and the energy grows geometrically, as velocity Verlet
  /// does beyond omega dt = 2), overlapping atoms, or a diverging continuum. Non-finite energies always are.
  /// A start with zero energy scale (at rest at the reference, e.g. driven from rest) checks finiteness only;
  /// so does an infinite `factor` (FE-only runs, whose explicit step is checked stable at start-up).
  /// Throws parallel::JobError, which every rank holding the same row throws alike (collective by data).
  class RunawayGuard
  {
  public:
    /// @param part_tag  "md", "fe" or "coupled", for the message
    /// @param fix       what to change, e.g. "reduce md.time_step"
    RunawayGuard(std::string part_tag, std::string fix, double factor = 10.0)
      : tag_(std::move(part_tag)), fix_(std::move(fix)), factor_(factor)
    {}

    void check(const io::ThermoRow &row)
    {
      const double conserved = row.e_total + row.e_damped;
      const bool   finite    = std::isfinite(conserved) && std::isfinite(row.ke_atoms) && std::isfinite(row.pe_atoms) &&
                          std::isfinite(row.temperature);
      if (!finite)
        fail(row, fmt::format("the energy is not finite (e_total = {}, ke_atoms = {}, pe_atoms = {}, temperature = {})",
                              row.e_total, row.ke_atoms, row.pe_atoms, row.temperature));
      if (!started_)
        {
          started_ = true;
          e0_      = conserved;
          scale_   = std::max({std::abs(row.pe_atoms), std::abs(row.ke_atoms), std::abs(row.e_total)});
          return;
        }
      const double drift = std::abs(conserved - e0_);
      if (scale_ > 0 && drift > factor_ * scale_)
        fail(row, fmt::format("the energy runs away: e_total + e_damped moved by {:.4g} since the start, more than "
                              "{} x the start's energy scale {:.4g} (temperature now {:.4g})",
                              drift, factor_, scale_, row.temperature));
    }

  private:
    [[noreturn]] void fail(const io::ThermoRow &row, const std::string &what) const
    {
      throw parallel::JobError(fmt::format("[{}, all ranks] step {} (time {:.6g}): {}; the run is unstable. Fix: {}",
                                           tag_, row.step, row.time, what, fix_));
    }

    std::string tag_, fix_;
    double      factor_;
    bool        started_ = false;
    double      e0_ = 0, scale_ = 0;
  };
} // namespace seam::app
