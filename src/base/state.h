// The checkpoint interface of stateful pieces (fixes, thermostats, the MD system): each writes and reads
// its own state through StateOut / StateIn (implemented over HDF5 in io/checkpoint.h), so no central
// function knows anyone's internals.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace seam
{
  /// Sink of one component's checkpoint state: named arrays of this rank's values, stored per rank in
  /// rank order (a restart on the same ranks gives every rank back exactly its own values).
  /// Collective on the checkpoint's communicator: every rank calls the same puts with the same names in
  /// the same order (a rank may put an empty array).
  class StateOut
  {
  public:
    virtual ~StateOut() = default;
    virtual void put(const std::string &name, const std::vector<double> &local_values) = 0;
    virtual void put(const std::string &name, const std::vector<std::int64_t> &local_values) = 0;
    /// A named sub-group (e.g. one per fix). Not collective by itself.
    virtual std::unique_ptr<StateOut> group(const std::string &name) = 0;
  };

  /// Source of one component's checkpoint state, the mirror of StateOut: get() returns exactly what this
  /// rank put. Collective like StateOut. Missing names throw seam::RuntimeError naming the checkpoint.
  class StateIn
  {
  public:
    virtual ~StateIn() = default;
    virtual std::vector<double>       get_doubles(const std::string &name) const = 0;
    virtual std::vector<std::int64_t> get_int64(const std::string &name) const = 0;
    virtual bool                      has(const std::string &name) const = 0;
    virtual std::unique_ptr<StateIn>  group(const std::string &name) const = 0;
    /// True when the run reading has the ranks that wrote (get() returns this rank's own values). False on
    /// another rank count: get() returns the block of the writer with this rank's index (empty beyond the
    /// writers), and a component that can continue on other ranks reads every block with all_*() and
    /// redistributes (MdSystem by atom position, Elastodynamics by DoF support point).
    virtual bool                      same_layout() const = 0;
    /// This rank's index among the readers (0 leads: it takes the run's scalar tallies on redistribution).
    virtual int                       reader() const = 0;
    /// Every writer's values of `name`, in writer order.
    virtual std::vector<double>       all_doubles(const std::string &name) const = 0;
    virtual std::vector<std::int64_t> all_int64(const std::string &name) const = 0;
  };

  /// A piece of the run with state beyond what the deck rebuilds: it saves and restores it (a fix, a
  /// thermostat, a band, a time integrator). A stateless piece keeps the default no-ops.
  class Checkpointable
  {
  public:
    virtual ~Checkpointable() = default;
    /// Writes the state. Collective on the checkpoint's communicator.
    virtual void save_state(StateOut &) const {}
    /// Restores what save_state() wrote, on an object built from the same deck. Collective.
    virtual void load_state(const StateIn &) {}
  };
} // namespace seam
