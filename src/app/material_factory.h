// The continuum material of a deck: isotropic, cubic, or linearised Cauchy-Born from md.lattice and
// md.potential, in the FE module's consistent units.
#pragma once

#include "app/boundary_conditions.h"
#include "base/log.h"
#include "config/deck.h"
#include "fe/elastodynamics.h"
#include "fe/mesh.h"
#include "fe/material.h"

namespace seam::app
{
  /// Builds fe.material of a validated deck.
  ///
  /// Units: the FE module works in consistent units (M a = f with no conversion factor), so the mass
  /// density [mass/length^dim] enters as density * mvv2e [energy time^2 / length^(dim+2)]; then wave
  /// speeds come out in length/time (metal: Å/ps). Elastic constants and stresses are energy/length^dim.
  /// - isotropic, cubic: from the deck's constants; cubic crystal axes follow md.lattice.orientation when
  ///   the deck has md (3D), else the box axes.
  /// - cauchy_born: md::CauchyBorn of the lattice and potential the MD side builds (md_params()), i.e.
  ///   C_ijkl, the reference stress S0 and density = md.mass / volume per atom, given to
  ///   fe::Material::general(C, density * mvv2e, S0), so long waves travel at the same speed in both
  ///   models. In 2D and 1D the "volume" is the area or length per atom, so C, S0 and the density are
  ///   per unit area or length of the MD plane or line (their ratio, the wave speed, is unaffected).
  ///
  /// Not collective. When `log` is given, the constants and wave speeds are printed on its root.
  /// @throws InputError (via Deck::fail, the same on every rank) if the lattice sums are undefined (a
  ///         neighbour on the cutoff) or the tangent is not strongly elliptic (unstable lattice).
  template <int dim>
  fe::Material<dim> make_material(const config::Deck &deck, const Log *log = nullptr);

  /// The FE solver's parameters of a validated deck: fe.degree and the fe.boundary conditions by face id
  /// (x_lo = 0 ... z_hi = 5, seam::fe::boundary_id). Not collective.
  template <int dim>
  typename fe::Elastodynamics<dim>::Params elastodynamics_params(const config::Deck &deck);

  /// The mesh parameters of a validated deck: fe.domain and fe.element_size (no hole; a coupled run
  /// adds the MD core and md.region). Not collective.
  template <int dim>
  typename fe::Mesh<dim>::Params mesh_params(const config::Deck &deck);
} // namespace seam::app
