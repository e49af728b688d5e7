// The blending weight (bridging-domain handshake) and the initial stress S0 of Elastodynamics: the
// weighted operator against an independent FEValues assembly, the HRZ lumped mass, patch tests and
// energies with S0, the wave speed sqrt(A_1111 / rho), and the stable step with a weight.
#include "fe/elastodynamics.h"

#include "fe_testing.h"
#include "support/tolerance.h"

#include <deal.II/base/mpi.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_values.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace seam::fe;

namespace
{
  template <int dim>
  using FeVector = typename Elastodynamics<dim>::VectorType;

  /// A small graded mesh with a re-entrant hole on MPI_COMM_WORLD: |Omega| = 6.5^dim - 1.8^dim.
  template <int dim>
  Mesh<dim> holed_mesh()
  {
    typename Mesh<dim>::Params p;
    Box<dim>                   hole, md;
    for (int d = 0; d < dim; ++d)
      {
        p.domain.lo[d] = -3;
        p.domain.hi[d] = 3.5;
        hole.lo[d]     = -1;
        hole.hi[d]     = 0.8;
        md.lo[d]       = -1.6;
        md.hi[d]       = 1.3;
      }
    p.hole      = hole;
    p.md_region = md;
    p.near      = dim == 3 ? 0.6 : 0.35;
    p.far       = 1.5;
    p.growth    = 1.5;
    return Mesh<dim>(MPI_COMM_WORLD, p);
  }

  template <int dim>
  double holed_volume()
  {
    return std::pow(6.5, dim) - std::pow(1.8, dim);
  }

  template <int dim>
  Material<dim> cubic()
  {
    return Material<dim>::cubic(1.684, 1.214, 0.754, 1.3, {{{{1, -1, 0}}, {{1, 1, -2}}, {{1, 1, 1}}}});
  }

  /// A generic symmetric reference stress (a few tenths of C: A stays positive definite).
  template <int dim>
  dealii::SymmetricTensor<2, dim> some_s0()
  {
    const double                    full[3][3] = {{0.3, -0.12, 0.05}, {-0.12, 0.2, 0.07}, {0.05, 0.07, -0.1}};
    dealii::SymmetricTensor<2, dim> s;
    for (int i = 0; i < dim; ++i)
      for (int j = i; j < dim; ++j)
        s[i][j] = full[i][j];
    return s;
  }

  template <int dim>
  Material<dim> prestressed()
  {
    return Material<dim>::general(cubic<dim>().stiffness(), 1.3, some_s0<dim>());
  }

  /// H : A : G with A_ijkl = C_ijkl + delta_ik S0_jl, by explicit sums.
  template <int dim>
  double contract(const dealii::Tensor<2, dim> &h, const Material<dim> &m, const dealii::Tensor<2, dim> &g)
  {
    double s = 0;
    for (int i = 0; i < dim; ++i)
      for (int j = 0; j < dim; ++j)
        for (int k = 0; k < dim; ++k)
          for (int l = 0; l < dim; ++l)
            s += h[i][j] * (m.stiffness()[i][j][k][l] + (i == k ? m.initial_stress()[j][l] : 0.0)) * g[k][l];
    return s;
  }

  using seam::fe::test_util::interpolate;

  /// Owned entries pseudo-random in [-1, 1] by global index (the same field at any rank count).
  template <int dim>
  void random_field(FeVector<dim> &v, double seed)
  {
    for (unsigned i = 0; i < v.locally_owned_size(); ++i)
      {
        const double g     = double(v.get_partitioner()->local_to_global(i));
        const double r     = std::sin(12.9898 * g + 78.233 * seed) * 43758.5453;
        v.local_element(i) = 2 * (r - std::floor(r)) - 1;
      }
    v.update_ghost_values();
  }

  double global_max(double x) { return dealii::Utilities::MPI::max(x, MPI_COMM_WORLD); }
  double global_min(double x) { return dealii::Utilities::MPI::min(x, MPI_COMM_WORLD); }

  template <int dim>
  double max_abs(const FeVector<dim> &v)
  {
    return v.linfty_norm(); // collective: the global max
  }

  /// Independent assembly of int beta grad u : A : grad u with FEValues and the (p+1)^dim Gauss points
  /// (u ghosted). Collective.
  template <int dim>
  double assembled_energy(const Elastodynamics<dim> &ed, const FeVector<dim> &u,
                          const std::function<double(const dealii::Point<dim> &)> &beta)
  {
    dealii::FEValues<dim> fv(ed.mapping(), ed.fe(), dealii::QGauss<dim>(ed.fe().degree + 1),
                             dealii::update_gradients | dealii::update_JxW_values |
                               dealii::update_quadrature_points);
    const dealii::FEValuesExtractors::Vector disp(0);
    std::vector<dealii::Tensor<2, dim>>      grads(fv.n_quadrature_points);
    double                                   sum = 0;
    for (const auto &cell : ed.dof_handler().active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fv.reinit(cell);
          fv[disp].get_function_gradients(u, grads);
          for (unsigned q = 0; q < fv.n_quadrature_points; ++q)
            sum += beta(fv.quadrature_point(q)) * contract<dim>(grads[q], ed.material(), grads[q]) * fv.JxW(q);
        }
    return dealii::Utilities::MPI::sum(sum, MPI_COMM_WORLD);
  }

  /// int beta dx with the (p+1)^dim Gauss points. Collective.
  template <int dim>
  double integral(const Elastodynamics<dim> &ed, const std::function<double(const dealii::Point<dim> &)> &beta)
  {
    dealii::FEValues<dim> fv(ed.mapping(), ed.fe(), dealii::QGauss<dim>(ed.fe().degree + 1),
                             dealii::update_JxW_values | dealii::update_quadrature_points);
    double sum = 0;
    for (const auto &cell : ed.dof_handler().active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fv.reinit(cell);
          for (unsigned q = 0; q < fv.n_quadrature_points; ++q)
            sum += beta(fv.quadrature_point(q)) * fv.JxW(q);
        }
    return dealii::Utilities::MPI::sum(sum, MPI_COMM_WORLD);
  }

  template <int dim>
  double smooth_weight(const dealii::Point<dim> &x)
  {
    double s = 1;
    for (int d = 0; d < dim; ++d)
      s *= std::cos(0.9 * x[d] + 0.3 * d);
    return 0.6 + 0.35 * std::sin(0.7 * x[0] + 1) * s; // in [0.25, 0.95]
  }
} // namespace

// ---------------------------------------------------------------------------------------------------
// Weight 1 and constant weights

template <int dim>
void check_unit_and_constant_weight(unsigned degree)
{
  const Mesh<dim>                      mesh = holed_mesh<dim>();
  typename Elastodynamics<dim>::Params plain;
  plain.degree        = degree;
  auto unit           = plain;
  unit.weight         = [](const dealii::Point<dim> &) { return 1.0; };
  auto         scaled = plain;
  const double c      = 0.37;
  scaled.weight       = [c](const dealii::Point<dim> &) { return c; };
  for (const auto &material : {cubic<dim>(), prestressed<dim>()})
    {
      Elastodynamics<dim> e0(mesh, material, plain), e1(mesh, material, unit), ec(mesh, material, scaled);
      FeVector<dim>            u, k0, k1, kc;
      for (auto *v : {&u, &k0, &k1, &kc})
        e0.initialize_vector(*v);
      random_field<dim>(u, 1.0);
      e0.apply_stiffness(k0, u);
      e1.apply_stiffness(k1, u);
      ec.apply_stiffness(kc, u);
      const double scale = max_abs<dim>(k0);
      ASSERT_GT(scale, 0);

      // Weight 1 set explicitly: the unweighted code path, so equal to round-off (in fact bitwise).
      k1 -= k0;
      EXPECT_LE(max_abs<dim>(k1), 1e-14 * scale);
      FeVector<dim> dm = e1.lumped_mass();
      dm -= e0.lumped_mass();
      EXPECT_LE(max_abs<dim>(dm), 1e-15 * max_abs<dim>(e0.lumped_mass()));
      expect_rel_near(e1.stable_time_step(), e0.stable_time_step(), 1e-14);

      // A constant weight c != 1 takes the weighted path: K~ = c K, and the HRZ lumping of c M equals
      // c times the Gauss-Lobatto nodal mass on affine Q1 and Q2 cells; the stable step is unchanged.
      kc.add(-c, k0);
      EXPECT_LE(max_abs<dim>(kc), 1e-13 * scale);
      dm = ec.lumped_mass();
      dm.add(-c, e0.lumped_mass());
      EXPECT_LE(max_abs<dim>(dm), 1e-13 * max_abs<dim>(e0.lumped_mass()));
      expect_rel_near(ec.stable_time_step(), e0.stable_time_step(), 1e-10);

      // Energies follow: strain 1/2 u^T K~ u and kinetic 1/2 V^T M~ V.
      for (auto *e : {&e0, &ec})
        {
          e->mutable_displacement() = u;
          e->mutable_displacement().update_ghost_values();
          e->mutable_velocity() = u;
          e->mutable_velocity().update_ghost_values();
        }
      expect_rel_near(ec.strain_energy(), c * e0.strain_energy(), 1e-12);
      expect_rel_near(ec.kinetic_energy(), c * e0.kinetic_energy(), 1e-12);
    }
}

TEST(FeWeighted, UnitAndConstantWeight2D) { check_unit_and_constant_weight<2>(1); }
TEST(FeWeighted, UnitAndConstantWeight2DQ2) { check_unit_and_constant_weight<2>(2); }
TEST(FeWeighted, UnitAndConstantWeight3D) { check_unit_and_constant_weight<3>(1); }

// ---------------------------------------------------------------------------------------------------
// Smooth weight: the matrix-free K~ against strain_energy() and an independent assembly

template <int dim>
void check_weighted_operator(unsigned degree)
{
  const Mesh<dim>                      mesh = holed_mesh<dim>();
  typename Elastodynamics<dim>::Params params;
  params.degree = degree;
  params.weight = smooth_weight<dim>;
  for (const auto &material : {cubic<dim>(), prestressed<dim>()})
    {
      Elastodynamics<dim> ed(mesh, material, params);
      FeVector<dim>            u, w, ku, kw;
      for (auto *v : {&u, &w, &ku, &kw})
        ed.initialize_vector(*v);
      random_field<dim>(u, 1.0);
      random_field<dim>(w, 2.0);
      ed.apply_stiffness(ku, u);
      ed.apply_stiffness(kw, w);
      const double uku = u * ku;
      ASSERT_GT(uku, 0);

      // Symmetric (A has the major symmetry also with S0).
      const double n = std::sqrt(double(ed.n_dofs()));
      expect_abs_near(w * ku, u * kw, 1e-14 * n * std::sqrt(uku * (w * kw)));

      // u^T K~ u = 2 strain_energy() (same Gauss points) = int beta grad u : A : grad u (FEValues).
      ed.mutable_displacement() = u;
      ed.mutable_displacement().update_ghost_values();
      expect_rel_near(2 * ed.strain_energy(), uku, 1e-12);
      expect_rel_near(assembled_energy<dim>(ed, u, smooth_weight<dim>), uku, 1e-12);
      // The WeightFunction overload multiplies by its weight on top: a constant 1 gives the total, a
      // split by an indicator adds up to it.
      expect_rel_near(ed.strain_energy([](const dealii::Point<dim> &) { return 1.0; }), 0.5 * uku, 1e-13);
      auto left  = [](const dealii::Point<dim> &x) { return x[0] < 0.3 ? 1.0 : 0.0; };
      auto right = [](const dealii::Point<dim> &x) { return x[0] < 0.3 ? 0.0 : 1.0; };
      expect_rel_near(ed.strain_energy(left) + ed.strain_energy(right), 0.5 * uku, 1e-12);
      expect_rel_near(2 * ed.strain_energy(left),
                      assembled_energy<dim>(ed, u, [&](const auto &x) { return left(x) * smooth_weight<dim>(x); }),
                      1e-12);

      // M~: positive, total dim * rho * int beta (HRZ preserves each cell's int beta rho).
      expect_rel_near(ed.lumped_mass().l1_norm(), dim * material.density() * integral<dim>(ed, smooth_weight<dim>),
                      1e-12);
      EXPECT_GT(global_min(*std::min_element(ed.lumped_mass().begin(), ed.lumped_mass().end())), 0);
      // kinetic_energy() = 1/2 V^T M~ V exactly.
      ed.mutable_velocity() = w;
      ed.mutable_velocity().update_ghost_values();
      double local = 0;
      for (unsigned i = 0; i < w.locally_owned_size(); ++i)
        local += ed.lumped_mass().local_element(i) * w.local_element(i) * w.local_element(i);
      expect_rel_near(ed.kinetic_energy(), 0.5 * dealii::Utilities::MPI::sum(local, MPI_COMM_WORLD), 1e-12);
      expect_rel_near(ed.kinetic_energy(left) + ed.kinetic_energy(right), ed.kinetic_energy(), 1e-12);
    }
}

TEST(FeWeighted, OperatorMatchesAssembly2D) { check_weighted_operator<2>(1); }
TEST(FeWeighted, OperatorMatchesAssembly2DQ2) { check_weighted_operator<2>(2); }
TEST(FeWeighted, OperatorMatchesAssembly3D) { check_weighted_operator<3>(1); }
TEST(FeWeighted, OperatorMatchesAssembly1D) { check_weighted_operator<1>(1); }

TEST(FeWeighted, HrzMassOfLinearWeight1D)
{
  // beta = x on [0, 1] vanishes at the left end (the inner edge of a band). For linear beta with end
  // values a, b on a cell of size h, HRZ gives h (3a + b) / 8 and h (a + 3b) / 8 (from int beta N^2 =
  // h (3a + b) / 12 and h (a + 3b) / 12 scaled to int beta = h (a + b) / 2); 2 Gauss points are exact.
  const double     h    = 0.1;
  const Mesh<1>    mesh = test_util::box_mesh<1>(MPI_COMM_WORLD, {{0.0}}, {{1.0}}, h);
  Elastodynamics<1>::Params params;
  params.weight      = [](const dealii::Point<1> &x) { return x[0]; };
  const double rho   = 2.5;
  const auto   m     = Material<1>::isotropic(1.0, 0.0, rho);
  Elastodynamics<1> ed(mesh, m, params);
  std::map<dealii::types::global_dof_index, dealii::Point<1>> points;
  dealii::DoFTools::map_dofs_to_support_points(ed.mapping(), ed.dof_handler(), points);
  unsigned checked = 0;
  for (const auto g : ed.lumped_mass().locally_owned_elements())
    {
      const double x        = points.at(g)[0];
      double       expected = 0;
      if (x > 0.5 * h) // cell to the left: this node is its b end
        expected += rho * h * ((x - h) + 3 * x) / 8;
      if (x < 1 - 0.5 * h) // cell to the right: this node is its a end
        expected += rho * h * (3 * x + (x + h)) / 8;
      expect_rel_near(ed.lumped_mass()(g), expected, 1e-13);
      EXPECT_GT(ed.lumped_mass()(g), 0);
      ++checked;
    }
  EXPECT_EQ(dealii::Utilities::MPI::sum(checked, MPI_COMM_WORLD), 11u);
}

// ---------------------------------------------------------------------------------------------------
// Initial stress

template <int dim>
void check_initial_stress_patch()
{
  const Mesh<dim>                      mesh = holed_mesh<dim>();
  typename Elastodynamics<dim>::Params params;
  params.weight = [](const dealii::Point<dim> &) { return 1.0; };
  const Material<dim> material = prestressed<dim>();
  Elastodynamics<dim> ed(mesh, material, params);
  FeVector<dim>            u, w, ku;
  for (auto *v : {&u, &w, &ku})
    ed.initialize_vector(*v);

  // u = G x + b with a symmetric (rotation-free) G; w = H x with a generic H.
  dealii::Tensor<2, dim> g, hh;
  for (int i = 0; i < dim; ++i)
    for (int j = 0; j < dim; ++j)
      {
        g[i][j]  = 0.01 * (1 + i + j) + (i == j ? 0.004 * i : 0.0);
        hh[i][j] = 0.3 * std::sin(1.0 + 2 * i + 3.3 * j);
      }
  interpolate<dim>(ed, u, [&](const dealii::Point<dim> &x, unsigned c) {
    double s = 0.02 * (c + 1);
    for (int d = 0; d < dim; ++d)
      s += g[c][d] * x[d];
    return s;
  });
  interpolate<dim>(ed, w, [&](const dealii::Point<dim> &x, unsigned c) {
    double s = 0;
    for (int d = 0; d < dim; ++d)
      s += hh[c][d] * x[d];
    return s;
  });
  ed.apply_stiffness(ku, u);

  // Patch test: zero force at interior nodes (A is uniform, so div P = 0).
  std::vector<bool> on_boundary(ed.n_dofs(), false);
  for (const auto i : dealii::DoFTools::extract_boundary_dofs(ed.dof_handler()))
    on_boundary[i] = true;
  double max_interior = 0, max_boundary = 0;
  for (const auto i : ku.locally_owned_elements())
    {
      double &m = on_boundary[i] ? max_boundary : max_interior;
      m         = std::max(m, std::abs(ku(i)));
    }
  max_interior = global_max(max_interior);
  max_boundary = global_max(max_boundary);
  EXPECT_GT(max_boundary, 0);
  EXPECT_LT(max_interior, 1e-12 * max_boundary);

  // Energies and virtual work are exact for linear fields: u^T K u = |Omega| G : A : G and
  // w^T K u = |Omega| H : A : G (a non-symmetric H probes the index order of grad u . S0).
  const double vol = holed_volume<dim>();
  expect_rel_near(u * ku, vol * contract<dim>(g, material, g), 1e-12);
  expect_rel_near(w * ku, vol * contract<dim>(hh, material, g), 1e-12);
  ed.mutable_displacement() = u;
  ed.mutable_displacement().update_ghost_values();
  expect_rel_near(ed.strain_energy(), 0.5 * vol * contract<dim>(g, material, g), 1e-12);
  // The S0 term is present (a kernel without it would miss this much of the virtual work).
  const double without = vol * contract<dim>(hh, Material<dim>::general(material.stiffness(), 1.3), g);
  EXPECT_GT(std::abs(w * ku - without), 1e-3 * std::abs(without));
  // The region split adds up (cells centred in the box + the rest).
  Box<dim> half;
  for (int d = 0; d < dim; ++d)
    {
      half.lo[d] = -3;
      half.hi[d] = d == 0 ? 0.8 : 3.5; // x = 0.8 is a mesh face (hole face)
    }
  Box<dim> other = half;
  other.lo[0]    = 0.8;
  other.hi[0]    = 3.5;
  expect_rel_near(ed.strain_energy(half) + ed.strain_energy(other), ed.strain_energy(), 1e-12);
}

TEST(FeWeighted, InitialStressPatchTest1D) { check_initial_stress_patch<1>(); }
TEST(FeWeighted, InitialStressPatchTest2D) { check_initial_stress_patch<2>(); }
TEST(FeWeighted, InitialStressPatchTest3D) { check_initial_stress_patch<3>(); }

/// Standing wave u_x = sin(pi x) on [0, 1] (x faces fixed, others free) in a material with
/// C_1111 = 1, C_1122 = 0 (so the 1D mode is exact in dim D, lateral faces traction-free) and S0_11 =
/// 0.44, rho = 1: c = sqrt(A_1111 / rho) = 1.2. The period is measured from the zero crossings of the
/// modal amplitude. For uniform lumped Q1 with central differences sin(pi x_i) is an exact discrete
/// mode with sin(omega_h dt / 2) = (c dt / h) sin(pi h / 2), so the measured period matches
/// T_h = 2 pi / omega_h up to the crossing interpolation (O((omega dt)^3)), and the continuum
/// period 2 / c up to the dispersion (pi h)^2 / 24 (1 - (c dt / h)^2) <= 1.6e-4 for h = 1/50.
template <int dim>
void check_wave_speed()
{
  const double            h = 0.02, width = 0.1, a1111 = 1.44, rho = 1.0;
  std::array<double, dim> lo{}, hi{};
  hi.fill(width);
  hi[0]                = 1.0;
  const Mesh<dim> mesh = test_util::box_mesh<dim>(MPI_COMM_WORLD, lo, hi, h);
  dealii::SymmetricTensor<4, dim> c;
  dealii::SymmetricTensor<2, dim> s0;
  for (int i = 0; i < dim; ++i)
    c[i][i][i][i] = 1.0;
  for (int i = 0; i < dim; ++i)
    for (int j = i + 1; j < dim; ++j)
      c[i][j][i][j] = 0.3;
  s0[0][0] = a1111 - 1.0;
  if (dim > 1)
    s0[1][1] = -0.2; // enters A_2222 only; the x mode does not see it
  const auto                           material = Material<dim>::general(c, rho, s0);
  typename Elastodynamics<dim>::Params params;
  params.boundary[boundary_id::x_lo].style = "fixed";
  params.boundary[boundary_id::x_hi].style = "fixed";
  Elastodynamics<dim>      ed(mesh, material, params);
  std::vector<std::string> u0(dim, "0"), v0(dim, "0");
  u0[0] = "0.01*sin(pi*x)";
  ed.set_initial_conditions(u0, v0);
  const FeVector<dim> mode  = ed.displacement();
  const double   speed = std::sqrt(a1111 / rho);
  if (dim == 1)
    {
      // The uniform chain's bound is exact: 4 A_1111 / (rho h^2), so the element matrices include S0.
      expect_rel_near(ed.max_eigenvalue_bound(), 4 * a1111 / (rho * h * h), 1e-12);
    }

  const double dt     = 0.9 * ed.stable_time_step();
  const double t_cont = 2.0 / speed;
  const double t_disc = 2 * M_PI * dt / (2 * std::asin(speed * dt / h * std::sin(M_PI * h / 2)));
  const double norm   = mode * mode;
  std::vector<double> crossings;
  double              prev = 1.0;
  for (unsigned n = 0; crossings.size() < 2 && n * dt < 1.2 * t_cont; ++n)
    {
      ed.step(n * dt, dt);
      const double amp = (ed.displacement() * mode) / norm;
      if ((prev > 0) != (amp > 0))
        crossings.push_back(n * dt + dt * prev / (prev - amp)); // linear interpolation
      prev = amp;
    }
  ASSERT_EQ(crossings.size(), 2u);
  const double period = 2 * (crossings[1] - crossings[0]);
  expect_rel_near(period, t_disc, 1e-5);
  expect_rel_near(period, t_cont, 3e-4);
  EXPECT_GT(std::abs(period - 2.0) / 2.0, 0.1); // without S0 (c = 1) the period would be 2
}

TEST(FeWeighted, WaveSpeedWithInitialStress1D) { check_wave_speed<1>(); }
TEST(FeWeighted, WaveSpeedWithInitialStress2D) { check_wave_speed<2>(); }

// ---------------------------------------------------------------------------------------------------
// Dynamics with a band-like weight

namespace
{
  /// A band weight on [0, 2] x [0, 1]: rises linearly from 0 on the x_lo face (a mesh boundary, like
  /// the hole face) to 1 at x = 0.5, modulated in y; 1 beyond x = 0.5.
  double band_weight(const dealii::Point<2> &x)
  {
    return x[0] >= 0.5 ? 1.0 : x[0] / 0.5 * (0.75 + 0.25 * std::cos(M_PI * x[1]));
  }

  /// The exact invariant of the undamped linear central difference, KE + SE - dt^2/8 f^T M^-1 f.
  double invariant(const Elastodynamics<2> &ed, double dt)
  {
    double local = 0;
    for (unsigned i = 0; i < ed.force().locally_owned_size(); ++i)
      local += ed.force().local_element(i) * ed.force().local_element(i) / ed.lumped_mass().local_element(i);
    return ed.kinetic_energy() + ed.strain_energy() - dt * dt / 8 * dealii::Utilities::MPI::sum(local, MPI_COMM_WORLD);
  }
} // namespace

TEST(FeWeighted, StableStepAndEnergyWithBandWeight2D)
{
  const Mesh<2>          mesh = test_util::box_mesh<2>(MPI_COMM_WORLD, {{0, 0}}, {{2, 1}}, 0.1);
  Elastodynamics<2>::Params params;
  params.weight = band_weight;
  Elastodynamics<2> ed(mesh, prestressed<2>(), params);
  EXPECT_GT(global_min(*std::min_element(ed.lumped_mass().begin(), ed.lumped_mass().end())), 0);

  // The Irons bound (with K~_e, M~_e) bounds the sharp estimate on M~^-1 K~.
  const double estimate = ed.estimate_max_eigenvalue(400);
  EXPECT_LE(estimate, ed.max_eigenvalue_bound() * (1 + 1e-12));
  EXPECT_GE(estimate, 0.4 * ed.max_eigenvalue_bound());

  // 2000 steps at 0.99 x the stable step from a rough start (all modes) at rest: bounded, i.e. every
  // M~-orthonormal mode oscillates as a_k cos(n theta_k) (for v0 = 0 the central difference has no
  // sin part), so ||u_n||_M~ <= ||u_0||_M~; and the discrete invariant (built from kinetic_energy() =
  // 1/2 V^T M~ V, strain_energy() = 1/2 u^T K~ u and the M~ of the dynamics) is constant to round-off.
  FeVector<2> u0;
  ed.initialize_vector(u0);
  random_field<2>(u0, 3.0);
  auto start = [&]() {
    ed.set_initial_conditions({"0", "0"}, {"0", "0"});
    ed.mutable_displacement() = u0;
    ed.mutable_displacement().update_ghost_values();
    ed.step(0.0, 0.0); // recomputes the force for the new u (a zero step changes nothing else)
  };
  start();
  auto mass_norm2 = [&](const FeVector<2> &u) {
    double local = 0;
    for (unsigned i = 0; i < u.locally_owned_size(); ++i)
      local += ed.lumped_mass().local_element(i) * u.local_element(i) * u.local_element(i);
    return dealii::Utilities::MPI::sum(local, MPI_COMM_WORLD);
  };
  const double dt   = 0.99 * ed.stable_time_step();
  const double i0   = invariant(ed, dt);
  const double n0   = mass_norm2(u0);
  const double umax = max_abs<2>(u0);
  double       max_norm = 0, max_inv = 0;
  for (unsigned n = 0; n < 2000; ++n)
    {
      ed.step(n * dt, dt);
      max_norm = std::max(max_norm, mass_norm2(ed.displacement()));
      if (n % 10 == 9)
        max_inv = std::max(max_inv, std::abs(invariant(ed, dt) - i0) / i0);
    }
  EXPECT_LE(max_norm, n0 * (1 + 1e-10));
  EXPECT_LT(max_inv, 1e-10);

  // Control: 10 % above the critical step of the sharp estimate the same start blows up, so the
  // estimate describes this M~ and K~.
  start();
  const double big = 1.1 * 2 / std::sqrt(estimate);
  for (unsigned n = 0; n < 400; ++n)
    ed.step(n * big, big);
  EXPECT_GT(max_abs<2>(ed.displacement()), 1e3 * umax);
}

TEST(FeWeighted, WeightedRunHasNoEnergyDrift2D)
{
  // Smooth start; KE + SE (the weighted Hamiltonian) oscillates by O(dt^2) without drift: halving dt
  // divides the largest deviation by ~4 over the same time, and the deviation stays small.
  const Mesh<2>          mesh = test_util::box_mesh<2>(MPI_COMM_WORLD, {{0, 0}}, {{2, 1}}, 0.1);
  Elastodynamics<2>::Params params;
  params.weight = band_weight;
  Elastodynamics<2> ed(mesh, cubic<2>(), params);
  auto run = [&](double dt, unsigned steps) {
    ed.set_initial_conditions({"0.01*exp(-((x-0.6)^2+(y-0.5)^2)/0.05)", "0"}, {"0", "0.02*sin(pi*y)*x"});
    const double e0      = ed.kinetic_energy() + ed.strain_energy();
    double       max_dev = 0;
    for (unsigned n = 0; n < steps; ++n)
      {
        ed.step(n * dt, dt);
        max_dev = std::max(max_dev, std::abs(ed.kinetic_energy() + ed.strain_energy() - e0) / e0);
      }
    return max_dev;
  };
  const double dt   = 0.2 * ed.stable_time_step();
  const double dev1 = run(dt, 1500), dev2 = run(dt / 2, 3000);
  EXPECT_LT(dev1, 1e-2);
  EXPECT_GT(dev1 / dev2, 3.0);
  EXPECT_LT(dev1 / dev2, 5.0);
}
