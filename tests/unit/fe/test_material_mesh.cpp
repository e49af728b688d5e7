// Materials (tensors, rotations, Christoffel speeds, impedance) and the graded mesh (alignment,
// volume, boundary ids, conformity).
#include "fe/material.h"
#include "fe/mesh.h"

#include "base/error.h"
#include "support/tolerance.h"

#include <deal.II/base/mpi.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_q.h>

#include <gtest/gtest.h>

#include <cmath>

using namespace seam::fe;
using dealii::Tensor;

namespace
{
  constexpr double round_off = 1e-13;

  // Copper-like cubic constants (GPa) and density (g/cm^3): units are irrelevant to the relations.
  constexpr double c11 = 168.4, c12 = 121.4, c44 = 75.4, rho = 8.96;

  template <int dim, typename... T>
  Tensor<1, dim> dir(T... v)
  {
    static_assert(sizeof...(T) == dim);
    const double   values[] = {double(v)...};
    Tensor<1, dim> t;
    for (int d = 0; d < dim; ++d)
      t[d] = values[d];
    return t;
  }
} // namespace

TEST(FeMaterial, IsotropicTensorAndSpeeds)
{
  const double e = 2.0, nu = 0.3;
  const double lambda = e * nu / ((1 + nu) * (1 - 2 * nu)), mu = e / (2 * (1 + nu));
  const auto   m      = Material<3>::isotropic(e, nu, rho);
  const auto  &c      = m.stiffness();
  expect_rel_near(c[0][0][0][0], lambda + 2 * mu, round_off);
  expect_rel_near(c[0][0][1][1], lambda, round_off);
  expect_rel_near(c[0][1][0][1], mu, round_off);
  expect_abs_near(c[0][0][0][1], 0.0, round_off);
  // Isotropy: the same speeds in every direction.
  for (const auto n : {dir<3>(1, 0, 0), dir<3>(1, 2, 3), dir<3>(-1, 0.5, 0.1)})
    {
      const auto v = m.wave_speeds(n);
      expect_rel_near(v[2], std::sqrt((lambda + 2 * mu) / rho), round_off);
      expect_rel_near(v[0], std::sqrt(mu / rho), round_off);
      expect_rel_near(v[1], std::sqrt(mu / rho), round_off);
      // Impedance: rho c_p n n + rho c_s (I - n n) (Lysmer-Kuhlemeyer).
      const auto z  = m.impedance(n);
      const auto nn = n / n.norm();
      for (unsigned i = 0; i < 3; ++i)
        for (unsigned j = 0; j < 3; ++j)
          expect_abs_near(z[i][j],
                          rho * v[2] * nn[i] * nn[j] + rho * v[0] * ((i == j) - nn[i] * nn[j]),
                          round_off * rho * v[2]);
    }
  expect_rel_near(m.max_wave_speed(), std::sqrt((lambda + 2 * mu) / rho), round_off);

  // Plane strain block in 2D, uniaxial strain in 1D.
  const auto m2 = Material<2>::isotropic(e, nu, rho);
  expect_rel_near(m2.stiffness()[1][1][1][1], lambda + 2 * mu, round_off);
  expect_rel_near(m2.stiffness()[0][0][1][1], lambda, round_off);
  expect_rel_near(m2.transverse_speed(dir<2>(0.3, 0.7)), std::sqrt(mu / rho), round_off);
  const auto m1 = Material<1>::isotropic(e, 0.0, rho);
  expect_rel_near(m1.stiffness()[0][0][0][0], e, round_off);
  expect_rel_near(m1.longitudinal_speed(dir<1>(-1)), std::sqrt(e / rho), round_off);
  EXPECT_EQ(m1.transverse_speed(dir<1>(1)), 0.0);
}

TEST(FeMaterial, CubicRotatedInto110)
{
  // x along [110]: C'_11 = (c11 + c12 + 2 c44)/2, C'_12 (y=[-110]) = (c11 + c12 - 2 c44)/2,
  // C'_13 = c12, C'_66 = (c11 - c12)/2, C'_44 = C'_55 = c44 (Nye, Physical Properties of Crystals).
  const auto m = Material<3>::cubic(c11, c12, c44, rho, {{{{1, 1, 0}}, {{-1, 1, 0}}, {{0, 0, 1}}}});
  const auto &c = m.stiffness();
  expect_rel_near(c[0][0][0][0], (c11 + c12 + 2 * c44) / 2, round_off);
  expect_rel_near(c[1][1][1][1], (c11 + c12 + 2 * c44) / 2, round_off);
  expect_rel_near(c[0][0][1][1], (c11 + c12 - 2 * c44) / 2, round_off);
  expect_rel_near(c[0][0][2][2], c12, round_off);
  expect_rel_near(c[2][2][2][2], c11, round_off);
  expect_rel_near(c[0][1][0][1], (c11 - c12) / 2, round_off);
  expect_rel_near(c[1][2][1][2], c44, round_off);
  expect_abs_near(c[0][0][0][1], 0.0, round_off * c11);

  // Speeds along the lab x axis = crystal [110]: L (c11+c12+2c44)/2, T1 c44 [001], T2 (c11-c12)/2.
  const auto v = m.wave_speeds(dir<3>(1, 0, 0));
  expect_rel_near(v[2], std::sqrt((c11 + c12 + 2 * c44) / 2 / rho), round_off);
  expect_rel_near(v[1], std::sqrt(c44 / rho), round_off);
  expect_rel_near(v[0], std::sqrt((c11 - c12) / 2 / rho), round_off);

  // Copper's fastest direction is <111>: rho v^2 = (c11 + 2 c12 + 4 c44)/3. The sampled maximum
  // is rotation invariant.
  const double v111 = std::sqrt((c11 + 2 * c12 + 4 * c44) / 3 / rho);
  expect_rel_near(Material<3>::cubic(c11, c12, c44, rho).longitudinal_speed(dir<3>(1, 1, 1)), v111,
                  round_off);
  expect_rel_near(m.max_wave_speed(), v111, 1e-12);

  // 2D leading block of the same rotation.
  const auto m2 = Material<2>::cubic(c11, c12, c44, rho, {{{{1, 1, 0}}, {{-1, 1, 0}}, {{0, 0, 1}}}});
  expect_rel_near(m2.stiffness()[0][0][1][1], (c11 + c12 - 2 * c44) / 2, round_off);
}

TEST(FeMaterial, CubicWithZenerRatioOneIsRotationInvariant)
{
  // c44 = (c11 - c12)/2 is isotropic: every orientation gives the same tensor.
  const double a = 3.0, b = 1.0, s = (a - b) / 2;
  const auto   ref = Material<3>::cubic(a, b, s, 1.0);
  const auto   rot = Material<3>::cubic(a, b, s, 1.0, {{{{1, -1, 0}}, {{1, 1, -2}}, {{1, 1, 1}}}});
  for (unsigned i = 0; i < 3; ++i)
    for (unsigned j = 0; j < 3; ++j)
      for (unsigned k = 0; k < 3; ++k)
        for (unsigned l = 0; l < 3; ++l)
          expect_abs_near(rot.stiffness()[i][j][k][l], ref.stiffness()[i][j][k][l], 1e-14 * a);
}

TEST(FeMaterial, InvalidInputIsReported)
{
  EXPECT_THROW(Material<3>::cubic(c11, c12, c44, rho, {{{{1, 1, 0}}, {{1, 0, 0}}, {{0, 0, 1}}}}),
               seam::InputError);
  EXPECT_THROW(Material<3>::cubic(c11, c12, c44, rho, {{{{0, 0, 0}}, {{0, 1, 0}}, {{0, 0, 1}}}}),
               seam::InputError);
  EXPECT_THROW(Material<3>::cubic(c12, c11, c44, rho), seam::InputError); // c11 < c12: unstable
  EXPECT_THROW(Material<2>::isotropic(1.0, 0.5, 1.0), seam::InputError);
  EXPECT_THROW(Material<2>::isotropic(1.0, 0.2, 0.0), seam::InputError);
  try
    {
      Material<3>::cubic(c11, c12, c44, rho, {{{{1, 1, 0}}, {{1, 0, 0}}, {{0, 0, 1}}}});
    }
  catch (const seam::InputError &e)
    {
      EXPECT_NE(std::string(e.what()).find("not orthogonal"), std::string::npos) << e.what();
    }
}

TEST(FeMesh, IntervalSizesSumAndGrade)
{
  const auto fine = Mesh<1>::interval_sizes(0.0, 10.0, true, true, 3.0, 9.0, 1.2);
  ASSERT_EQ(fine.size(), 4u);
  for (double h : fine)
    expect_rel_near(h, 2.5, round_off);
  const auto graded = Mesh<1>::interval_sizes(-100.0, -7.0, false, false, 1.0, 10.0, 1.3);
  double     sum    = 0;
  for (std::size_t k = 0; k < graded.size(); ++k)
    {
      sum += graded[k];
      EXPECT_LE(graded[k], 10.0 * (1 + round_off));
      if (k + 1 < graded.size()) // grows towards the far end (index 0 is far: fine end at b)
        {
          EXPECT_GE(graded[k] * (1 + round_off), graded[k + 1]);
        }
    }
  expect_rel_near(graded.back(), 1.0, round_off); // the element next to the fine end is exactly near
  for (std::size_t k = 0; k + 1 < graded.size(); ++k)
    if (graded[k] < 10.0 * (1 - 1e-9))
      {
        EXPECT_LE(graded[k] / graded[k + 1], 1.3 * (1 + round_off));
      }
  expect_rel_near(sum, 93.0, round_off);
}

template <int dim>
void check_holed_mesh()
{
  MPI_Comm                  comm = MPI_COMM_WORLD;
  typename Mesh<dim>::Params p;
  Box<dim>                  hole, md;
  for (int d = 0; d < dim; ++d)
    {
      p.domain.lo[d] = -50;
      p.domain.hi[d] = 47; // not symmetric, not a multiple of anything
      hole.lo[d]     = -10.3;
      hole.hi[d]     = 9.1;
      md.lo[d]       = -14.0;
      md.hi[d]       = 12.5;
    }
  md.lo[0]    = hole.lo[0]; // this face of the hole borders no continuum band (e.g. a free surface)
  p.hole      = hole;
  p.md_region = md;
  p.near      = 1.7;
  p.far       = 9.0;
  p.growth    = 1.25;
  Mesh<dim> mesh(comm, p);

  // Every break point is an element face, sizes near in the md_region extent and <= far outside.
  for (int d = 0; d < dim; ++d)
    {
      const auto &x = mesh.coordinates(d);
      for (double b : {p.domain.lo[d], p.domain.hi[d], hole.lo[d], hole.hi[d], md.lo[d], md.hi[d]})
        EXPECT_NE(std::find(x.begin(), x.end(), b), x.end()) << "axis " << d << " break " << b;
      for (std::size_t k = 0; k + 1 < x.size(); ++k)
        {
          const double h = x[k + 1] - x[k];
          EXPECT_GT(h, 0);
          if (x[k] >= md.lo[d] && x[k + 1] <= md.hi[d])
            {
              EXPECT_LE(h, p.near * (1 + round_off));
            }
          EXPECT_LE(h, p.far * (1 + round_off));
        }
    }
  EXPECT_FALSE(mesh.triangulation().has_hanging_nodes());

  // Volume = domain - hole; area with id 6 = hole surface; domain face areas by id.
  dealii::MappingQ<dim>     mapping(1);
  dealii::FE_Q<dim>         fe(1);
  dealii::FEValues<dim>     fv(mapping, fe, dealii::QGauss<dim>(1), dealii::update_JxW_values);
  dealii::FEFaceValues<dim> ff(mapping, fe, dealii::QGauss<dim - 1>(1), dealii::update_JxW_values);
  double                    volume = 0;
  std::array<double, 7>     area{};
  for (const auto &cell : mesh.triangulation().active_cell_iterators())
    if (cell->is_locally_owned())
      {
        fv.reinit(cell);
        volume += fv.JxW(0);
        for (const auto f : cell->face_indices())
          if (cell->face(f)->at_boundary())
            {
              ff.reinit(cell, f);
              ASSERT_LE(cell->face(f)->boundary_id(), 6u);
              area[cell->face(f)->boundary_id()] += ff.JxW(0);
            }
      }
  volume = dealii::Utilities::MPI::sum(volume, comm);
  for (double &a : area)
    a = dealii::Utilities::MPI::sum(a, comm);
  double v_domain = 1, v_hole = 1;
  for (int d = 0; d < dim; ++d)
    {
      v_domain *= 97.0;
      v_hole *= 19.4;
    }
  expect_rel_near(volume, v_domain - v_hole, 1e-12);
  const double face_domain = v_domain / 97.0, face_hole = v_hole / 19.4;
  for (int id = 0; id < 2 * dim; ++id)
    expect_rel_near(area[id], dim == 1 ? 1.0 : face_domain, 1e-12);
  expect_rel_near(area[6], 2 * dim * (dim == 1 ? 1.0 : face_hole), 1e-12);

  std::size_t n_product = 1;
  for (int d = 0; d < dim; ++d)
    n_product *= mesh.coordinates(d).size() - 1;
  std::size_t n_hole = 1;
  for (int d = 0; d < dim; ++d)
    n_hole *= std::ceil(19.4 / 1.7);
  EXPECT_EQ(mesh.n_cells(), n_product - n_hole);
}

TEST(FeMesh, HoledGradedMesh1D) { check_holed_mesh<1>(); }
TEST(FeMesh, HoledGradedMesh2D) { check_holed_mesh<2>(); }
TEST(FeMesh, HoledGradedMesh3D) { check_holed_mesh<3>(); }

TEST(FeMesh, InvalidBoxesAreReported)
{
  Mesh<2>::Params p;
  p.domain.lo = dealii::Point<2>(0, 0);
  p.domain.hi = dealii::Point<2>(1, 1);
  p.near = 0.1;
  p.far  = 0.05;
  EXPECT_THROW(Mesh<2>(MPI_COMM_WORLD, p), seam::InputError);
  p.far  = 0.5;
  p.hole = Box<2>{dealii::Point<2>(0.5, 0.5), dealii::Point<2>(1.5, 0.6)};
  EXPECT_THROW(Mesh<2>(MPI_COMM_WORLD, p), seam::InputError);
}
