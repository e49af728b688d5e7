// The thermo rows of a coupled run.
#include "app/coupled_report.h"

#include "base/error.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace seam::app
{
  namespace
  {
    /// World rank 0's list of names, on every rank of the world. Collective.
    std::vector<std::string> from_world_root(const std::vector<std::string> &names, MPI_Comm world)
    {
      std::string joined;
      for (const auto &n : names)
        joined += n + '\n';
      int length = static_cast<int>(joined.size());
      MPI_Bcast(&length, 1, MPI_INT, 0, world);
      joined.resize(static_cast<std::size_t>(length));
      MPI_Bcast(joined.data(), length, MPI_CHAR, 0, world);
      std::vector<std::string> out;
      std::size_t              start = 0;
      for (std::size_t end; (end = joined.find('\n', start)) != std::string::npos; start = end + 1)
        out.push_back(joined.substr(start, end - start));
      return out;
    }
  } // namespace

  CoupledReport::CoupledReport(const config::Deck &d, const parallel::Partition &part, std::int64_t restart_step,
                               std::vector<std::string> md_columns)
    : CoupledReport(d, part, restart_step, from_world_root(md_columns, part.world()), 0)
  {}

  namespace
  {
    std::vector<std::string> with_temperatures(std::vector<std::string> fix_columns)
    {
      fix_columns.insert(fix_columns.begin(), {"temperature_core", "temperature_band"});
      return fix_columns;
    }
  } // namespace

  CoupledReport::CoupledReport(const config::Deck &d, const parallel::Partition &part, std::int64_t restart_step,
                               std::vector<std::string> columns, int)
    : part_(part)
    , n_extra_(columns.size())
    , dim_(d.dimension())
    , dt_md_(d.real("md.time_step"))
    , units_(unit_constants(d.units()))
    , thermo_(d.string("output.directory") + "/thermo.csv", part.world(), with_temperatures(std::move(columns)),
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
    std::vector<double> e(size());
    MPI_Allreduce(local, e.data(), static_cast<int>(size()), MPI_DOUBLE, MPI_SUM, part_.world());
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
    auto temperature = [&](CoupledSlot ke, CoupledSlot count) {
      return e[count] > 0 ? 2.0 * e[ke] / (dim_ * e[count] * units_.boltzmann) : 0.0;
    };
    row.extra = {temperature(ke_core, n_core), temperature(ke_band, n_band)};
    row.extra.insert(row.extra.end(), e.begin() + n_slots, e.end());
    runaway_.check(row); // the energies are reduced over the world: every rank of both partitions stops here
    thermo_.write(row);
    log_.info("{:>10} {:>12.6g} {:>15.9g} {:>15.9g} {:>15.9g} {:>15.9g} {:>15.9g}{}", step, row.temperature,
              row.e_md, row.e_handshake, row.e_fe, row.e_damped, row.e_total, progress_.columns(step));
  }
} // namespace seam::app
