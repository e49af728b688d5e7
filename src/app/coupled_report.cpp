// The thermo rows of a coupled run.
#include "app/coupled_report.h"

#include "base/error.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace seam::app
{
  CoupledReport::CoupledReport(const config::Deck &d, const parallel::Partition &part, std::int64_t restart_step)
    : part_(part)
    , dim_(d.dimension())
    , dt_md_(d.real("md.time_step"))
    , units_(unit_constants(d.units()))
    , thermo_(d.string("output.directory") + "/thermo.csv", part.world(), {},
              restart_step < 0 ? io::ThermoWriter::Mode::create : io::ThermoWriter::Mode::restart,
              std::max<std::int64_t>(restart_step, 0))
    , log_(part.world(), "seam")
    , progress_(part.world(), d.integer("run.steps"), dt_md_, unit_symbol(d.units(), Quantity::time))
    , runaway_("coupled", fmt::format("reduce md.time_step (now {}) or coupling.substeps (now {})", dt_md_,
                                      d.is_auto("coupling.substeps") ? std::string("auto")
                                                                     : std::to_string(d.integer("coupling.substeps"))))
  {
    log_.info("{:>10} {:>12} {:>15} {:>15} {:>15} {:>15} {:>15}{}", "step", "temperature", "e_md", "e_handshake",
              "e_fe", "e_damped", "e_total", progress_.header());
  }

  void CoupledReport::operator()(std::int64_t step, const double *local)
  {
    double e[n_slots];
    MPI_Allreduce(local, e, n_slots, MPI_DOUBLE, MPI_SUM, part_.world());
    io::ThermoRow row;
    row.step         = step;
    row.time         = step * dt_md_;
    const double n   = e[n_atoms_slot];
    const double dof = dim_ * n - dim_;
    row.temperature  = dof > 0 ? 2.0 * e[ke_atoms] / (dof * units_.boltzmann) : 0.0;
    row.ke_atoms     = e[ke_atoms];
    row.pe_atoms     = e[pe_atoms];
    row.e_md         = e[e_md];
    row.e_handshake  = e[e_hs];
    row.e_fe         = e[e_fe];
    row.e_damped     = e[e_damped];
    row.e_total      = e[e_md] + e[e_hs] + e[e_fe];
    runaway_.check(row); // the energies are reduced over the world: every rank of both partitions stops here
    thermo_.write(row);
    log_.info("{:>10} {:>12.6g} {:>15.9g} {:>15.9g} {:>15.9g} {:>15.9g} {:>15.9g}{}", step, row.temperature,
              row.e_md, row.e_handshake, row.e_fe, row.e_damped, row.e_total, progress_.columns(step));
  }
} // namespace seam::app
