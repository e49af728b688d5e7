// fe.material of a deck: isotropic, cubic, or linearised Cauchy-Born of the MD lattice and potential.
#include "app/material_factory.h"

#include "app/md_run.h"
#include "base/error.h"
#include "base/units.h"
#include "md/cauchy_born.h"
#include "md/lattice.h"
#include "md/potential/registry.h"

#include <fmt/format.h>

#include <array>
#include <memory>
#include <stdexcept>
#include <string>

namespace seam::app
{
  namespace
  {
    /// The nonlinear Cauchy-Born energy of md::CauchyBorn as the FE module's StrainEnergy (the FE module
    /// does not see the MD potential; this adapter owns both).
    template <int dim>
    class CauchyBornEnergy final : public fe::StrainEnergy<dim>
    {
    public:
      CauchyBornEnergy(std::shared_ptr<const md::Potential> potential, std::shared_ptr<const md::CauchyBorn> cb)
        : potential_(std::move(potential))
        , cb_(std::move(cb))
      {}

      double evaluate(const dealii::Tensor<2, dim> &f, dealii::Tensor<2, dim> &p) const override
      {
        double fm[3][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, pm[3][3];
        for (unsigned i = 0; i < dim; ++i)
          for (unsigned j = 0; j < dim; ++j)
            fm[i][j] = f[i][j];
        const double w = cb_->energy_density(*potential_, fm, pm);
        for (unsigned i = 0; i < dim; ++i)
          for (unsigned j = 0; j < dim; ++j)
            p[i][j] = pm[i][j];
        return w;
      }

    private:
      std::shared_ptr<const md::Potential>  potential_;
      std::shared_ptr<const md::CauchyBorn> cb_;
    };

    template <int dim>
    fe::Material<dim> cauchy_born(const config::Deck &d, const Log *log)
    {
      const md::MdSystemParams p = md_params(d);
      const md::Lattice        lattice(p.lattice_style, p.lattice_constant, p.orientation, p.dimension);
      const std::shared_ptr<const md::Potential> potential = md::create_potential(p.potential_style, p.potential);
      std::shared_ptr<const md::CauchyBorn>      cb;
      try
        {
          cb = std::make_shared<const md::CauchyBorn>(lattice, *potential, p.mass);
        }
      catch (const std::invalid_argument &e)
        {
          d.fail("fe.material.style", e.what(), "a lattice whose neighbour shells avoid the potential cutoff",
                 "change md.lattice.constant or the potential cutoff slightly");
        }
      const double mvv2e = unit_constants(d.units()).mvv2e;
      dealii::SymmetricTensor<4, dim> c;
      dealii::SymmetricTensor<2, dim> s0;
      for (unsigned i = 0; i < dim; ++i)
        for (unsigned j = 0; j < dim; ++j)
          {
            s0[i][j] = cb->stress(i, j);
            for (unsigned k = 0; k < dim; ++k)
              for (unsigned l = 0; l < dim; ++l)
                c[i][j][k][l] = cb->stiffness(i, j, k, l);
          }
      std::unique_ptr<fe::Material<dim>> m;
      try
        {
          m = std::make_unique<fe::Material<dim>>(fe::Material<dim>::general(c, cb->density() * mvv2e, s0));
        }
      catch (const InputError &e)
        {
          d.fail("fe.material.style", std::string("cauchy_born: ") + e.what(),
                 "a lattice that is stable at md.lattice.constant", "use the potential's equilibrium lattice constant");
        }
      const bool nonlinear = d.string("fe.material.kinematics") == "nonlinear";
      if (nonlinear)
        *m = m->with_strain_energy(std::make_shared<const CauchyBornEnergy<dim>>(potential, cb));
      if (log)
        {
          const UnitSystem  u = d.units();
          // Per unit volume in 3D; per unit area (2D) or length (1D) of the MD plane or line otherwise.
          const std::string len = unit_symbol(u, Quantity::length);
          const std::string per = dim == 3 ? "" : dim == 2 ? "/" + len + "^2" : "/" + len;
          const std::string su  = dim == 3 ? unit_symbol(u, Quantity::stress) : unit_symbol(u, Quantity::energy) + per;
          const std::string sd  = dim == 3 ? unit_symbol(u, Quantity::density) : unit_symbol(u, Quantity::mass) + per;
          const std::string sv  = unit_symbol(u, Quantity::velocity);
          const auto        v    = cb->voigt();
          log->info("fe: {} cauchy_born material from the {} lattice ({} neighbours within {:.6g}) and the {} potential: "
                    "W0 = {:.10g} {} per atom, volume per atom {:.8g}, density {:.8g} {}",
                    nonlinear ? "nonlinear" : "linearised", md::to_string(p.lattice_style), cb->n_neighbors(), potential->reference_cutoff(),
                    p.potential_style, cb->energy_per_atom(), unit_symbol(u, Quantity::energy),
                    cb->atomic_volume(), cb->density(), sd);
          if (dim == 3)
            log->info("fe: cauchy_born C (lab frame, Voigt) C11 = {:.8g}, C12 = {:.8g}, C44 = {:.8g}, C22 = {:.8g}, "
                      "C33 = {:.8g}, C13 = {:.8g}, C55 = {:.8g}, C66 = {:.8g} {}",
                      v[0][0], v[0][1], v[3][3], v[1][1], v[2][2], v[0][2], v[4][4], v[5][5], su);
          else if (dim == 2)
            log->info("fe: cauchy_born C11 = {:.8g}, C22 = {:.8g}, C12 = {:.8g}, C66 = {:.8g} {}",
                      v[0][0], v[1][1], v[0][1], v[5][5], su);
          else
            log->info("fe: cauchy_born C11 = {:.8g} {}", v[0][0], su);
          std::string s0_text;
          for (int i = 0; i < dim; ++i)
            for (int j = i; j < dim; ++j)
              s0_text += fmt::format("{}S0_{}{} = {:.6g}", s0_text.empty() ? "" : ", ", i + 1, j + 1, cb->stress(i, j));
          log->info("fe: cauchy_born reference stress {} {} (tangent C + delta S0)", s0_text, su);
          dealii::Tensor<1, dim> x;
          x[0] = 1;
          log->info("fe: cauchy_born wave speeds along x: longitudinal {:.8g}, transverse {:.8g}; fastest {:.8g} {}",
                    m->longitudinal_speed(x), m->transverse_speed(x), m->max_wave_speed(), sv);
        }
      return std::move(*m);
    }
  } // namespace

  template <int dim>
  fe::Material<dim> make_material(const config::Deck &d, const Log *log)
  {
    const std::string style = d.string("fe.material.style");
    if (style == "cauchy_born")
      return cauchy_born<dim>(d, log);
    const double density = d.real("fe.material.density") * unit_constants(d.units()).mvv2e;
    // A bad constant is an input error at the key that carries it (the density when stiffness / density
    // overflows, else the first elastic constant).
    auto fail = [&](const InputError &e, const char *constant) {
      // stiffness / density overflowing: blame the density unless the constant itself is astronomical.
      const bool about_density = std::string(e.what()).find("density") != std::string::npos &&
                                 !(std::abs(d.real(constant)) > 1e100);
      d.fail(about_density ? "fe.material.density" : constant, e.what(),
             about_density ? "a density > 0 that fits the elastic constants' units"
                           : "elastic constants of a stable solid (see the message)",
             "correct the material's constants (units: `seam schema` lists them)");
    };
    if (style == "isotropic")
      try
        {
          return fe::Material<dim>::isotropic(d.real("fe.material.youngs_modulus"),
                                              d.real("fe.material.poisson_ratio"), density);
        }
      catch (const InputError &e)
        {
          fail(e, "fe.material.youngs_modulus");
        }
    if (style == "cubic")
      {
        // The crystal axes follow md.lattice.orientation when there are atoms, else the box axes.
        std::array<std::array<int, 3>, 3> o{{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}};
        if (d.has("md") && d.dimension() == 3)
          o = d.int_matrix("md.lattice.orientation");
        try
          {
            return fe::Material<dim>::cubic(d.real("fe.material.c11"), d.real("fe.material.c12"),
                                            d.real("fe.material.c44"), density, o);
          }
        catch (const InputError &e)
          {
            fail(e, "fe.material.c11");
          }
      }
    d.fail("fe.material.style", fmt::format("unknown material style '{}'", style), "cauchy_born, isotropic or cubic",
           "pick one of the listed styles");
  }

  fe::BoundaryCondition boundary_condition(const config::Deck &d, std::size_t i)
  {
    const std::string     p = fmt::format("fe.boundary[{}]", i);
    fe::BoundaryCondition bc;
    bc.style = d.string(p + ".type"); // a registered style (fe/boundary/registry.h), checked by the schema
    if (d.has(p + ".value"))
      bc.value = d.strings(p + ".value");
    for (const config::Entry &k : fe::boundary::style_info(bc.style).keys())
      if (k.name != "value" && d.has(p + "." + k.name))
        bc.options[k.name] = k.shape == config::Shape::scalar ? std::vector<std::string>{d.string(p + "." + k.name)}
                                                              : d.strings(p + "." + k.name);
    return bc;
  }


  std::array<double, 36> material_voigt(const config::Deck &d)
  {
    switch (d.dimension())
      {
        case 1: return make_material<1>(d).voigt_stiffness();
        case 2: return make_material<2>(d).voigt_stiffness();
        default: return make_material<3>(d).voigt_stiffness();
      }
  }

  template <int dim>
  typename fe::Elastodynamics<dim>::Params elastodynamics_params(const config::Deck &d)
  {
    typename fe::Elastodynamics<dim>::Params ep;
    ep.degree = static_cast<unsigned>(d.integer("fe.degree"));
    ep.cutoff_damping = d.real("fe.cutoff_damping");
    for (std::size_t i = 0; i < d.list_size("fe.boundary"); ++i)
      {
        const std::string           p  = fmt::format("fe.boundary[{}]", i);
        const fe::BoundaryCondition bc = boundary_condition(d, i);
        for (const auto &f : d.strings(p + ".faces"))
          {
            // x_lo = 0, x_hi = 1, y_lo = 2, y_hi = 3, z_lo = 4, z_hi = 5 (seam::fe::boundary_id)
            const unsigned id = 2 * static_cast<unsigned>(f[0] - 'x') + (f.substr(2) == "hi" ? 1 : 0);
            ep.boundary[id]   = bc;
          }
      }
    return ep;
  }

  template <int dim>
  typename fe::Mesh<dim>::Params mesh_params(const config::Deck &d)
  {
    typename fe::Mesh<dim>::Params mp;
    const auto lo = d.reals("fe.domain.lo"), hi = d.reals("fe.domain.hi");
    for (int a = 0; a < dim; ++a)
      {
        mp.domain.lo[a] = lo[a];
        mp.domain.hi[a] = hi[a];
      }
    mp.near = d.real("fe.element_size.near");
    mp.far  = d.real("fe.element_size.far");
    return mp;
  }

  template fe::Mesh<1>::Params mesh_params<1>(const config::Deck &);
  template fe::Mesh<2>::Params mesh_params<2>(const config::Deck &);
  template fe::Mesh<3>::Params mesh_params<3>(const config::Deck &);
  template fe::Elastodynamics<1>::Params elastodynamics_params<1>(const config::Deck &);
  template fe::Elastodynamics<2>::Params elastodynamics_params<2>(const config::Deck &);
  template fe::Elastodynamics<3>::Params elastodynamics_params<3>(const config::Deck &);
  template fe::Material<1> make_material<1>(const config::Deck &, const Log *);
  template fe::Material<2> make_material<2>(const config::Deck &, const Log *);
  template fe::Material<3> make_material<3>(const config::Deck &, const Log *);
} // namespace seam::app
