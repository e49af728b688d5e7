// Round trip of continuum frames in 1D, 2D and 3D across rank counts: interpolate known fields on a
// subdivided box, write, follow the XDMF to the HDF5 datasets and compare each vertex with the function.
#include "io/continuum_writer.h"
#include "io/hdf5_file.h"
#include "xdmf_reader.h"

#include "base/error.h"
#include "support/tolerance.h"

#include <deal.II/base/function.h>
#include <deal.II/distributed/shared_tria.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_system.h>
#include <deal.II/grid/grid_generator.h>
#include <deal.II/numerics/vector_tools.h>

#include <gtest/gtest.h>
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace
{
  using namespace seam;
  using namespace seam::io;
  using dealii::Point;
  using Vector = dealii::LinearAlgebra::distributed::Vector<double>;

  int rank() { int r = 0; MPI_Comm_rank(MPI_COMM_WORLD, &r); return r; }
  int size() { int s = 0; MPI_Comm_size(MPI_COMM_WORLD, &s); return s; }

  std::string fresh_directory(const std::string &leaf)
  {
    const std::string dir = std::string(SEAM_BINARY_DIR) + "/tests/unit/io/output/np" + std::to_string(size()) + "/" + leaf;
    if (rank() == 0)
      {
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
      }
    MPI_Barrier(MPI_COMM_WORLD);
    return dir;
  }

  /// Smooth, non-polynomial fields, so a vertex mix-up or a component shift shows.
  double displacement(const double *x, unsigned int c, double t) { return std::sin(x[0] + 2 * c + t) * std::cos(0.5 * x[c] - t); }
  double velocity(const double *x, unsigned int c, double t) { return std::exp(-0.1 * x[0] * (c + 1)) + t * x[c]; }
  double weight(const double *x) { return 1.0 / (1.0 + x[0] * x[0]); }
  /// sigma_ij: not symmetric on purpose, so a transposed write shows.
  double stress(const double *x, unsigned int i, unsigned int j) { return std::cos(x[0] - 0.3 * x[j]) * (1.0 + i) + 10.0 * j; }

  /// Row i of the stress as a dim-component field.
  template <int dim>
  class StressRow : public dealii::Function<dim>
  {
  public:
    explicit StressRow(unsigned int i) : dealii::Function<dim>(dim), i_(i) {}
    double value(const Point<dim> &p, unsigned int j) const override
    {
      double x[3] = {0, 0, 0};
      for (int d = 0; d < dim; ++d)
        x[d] = p[d];
      return stress(x, i_, j);
    }

  private:
    unsigned int i_;
  };

  template <int dim>
  class Field : public dealii::Function<dim>
  {
  public:
    Field(bool is_velocity, double t) : dealii::Function<dim>(dim), velocity_(is_velocity), t_(t) {}
    double value(const Point<dim> &p, unsigned int c) const override
    {
      double x[3] = {0, 0, 0};
      for (int d = 0; d < dim; ++d)
        x[d] = p[d];
      return velocity_ ? velocity(x, c, t_) : displacement(x, c, t_);
    }

  private:
    bool   velocity_;
    double t_;
  };

  template <int dim>
  class Weight : public dealii::Function<dim>
  {
  public:
    double value(const Point<dim> &p, unsigned int) const override
    {
      double x[3] = {0, 0, 0};
      for (int d = 0; d < dim; ++d)
        x[d] = p[d];
      return weight(x);
    }
  };

  template <int dim>
  std::unique_ptr<dealii::Triangulation<dim>> make_triangulation()
  {
    if constexpr (dim == 1)
      return std::make_unique<dealii::parallel::shared::Triangulation<dim>>(
        MPI_COMM_WORLD, dealii::Triangulation<dim>::none, false,
        dealii::parallel::shared::Triangulation<dim>::partition_zorder);
    else
      return std::make_unique<dealii::parallel::distributed::Triangulation<dim>>(MPI_COMM_WORLD);
  }

  /// Writes two frames of a subdivided box [lo, hi] with (2..4)^dim cells refined once, FE_Q(degree)
  /// displacement and velocity, and the weight as a vector (use_weight_vector) or a function; checks
  /// the last frame through the XDMF.
  template <int dim>
  void round_trip(unsigned int degree, bool use_weight_vector)
  {
    const std::string dir = fresh_directory("continuum" + std::to_string(dim) + "d");
    auto              tria = make_triangulation<dim>();
    std::vector<unsigned int> repetitions = {4, 3, 2};
    repetitions.resize(dim);
    Point<dim> lo, hi;
    const double lo_c[3] = {-1.0, -0.5, 0.25}, hi_c[3] = {2.0, 1.0, 1.0};
    for (int d = 0; d < dim; ++d)
      {
        lo[d] = lo_c[d];
        hi[d] = hi_c[d];
      }
    dealii::GridGenerator::subdivided_hyper_rectangle(*tria, repetitions, lo, hi);
    tria->refine_global(1);
    std::size_t n_vertices = 1, n_cells = 1;
    for (int d = 0; d < dim; ++d)
      {
        n_vertices *= 2 * repetitions[d] + 1;
        n_cells *= 2 * repetitions[d];
      }

    dealii::FESystem<dim>   fe(dealii::FE_Q<dim>(degree), dim);
    dealii::DoFHandler<dim> dofs(*tria);
    dofs.distribute_dofs(fe);
    dealii::IndexSet relevant;
    dealii::DoFTools::extract_locally_relevant_dofs(dofs, relevant);
    Vector u(dofs.locally_owned_dofs(), relevant, MPI_COMM_WORLD), v(u);
    std::array<Vector, dim> sigma;
    for (unsigned int i = 0; i < dim; ++i)
      {
        sigma[i].reinit(u);
        dealii::VectorTools::interpolate(dofs, StressRow<dim>(i), sigma[i]);
        sigma[i].update_ghost_values();
      }

    dealii::FE_Q<dim>       fe_w(1);
    dealii::DoFHandler<dim> weight_dofs(*tria);
    weight_dofs.distribute_dofs(fe_w);
    dealii::IndexSet weight_relevant;
    dealii::DoFTools::extract_locally_relevant_dofs(weight_dofs, weight_relevant);
    Vector w(weight_dofs.locally_owned_dofs(), weight_relevant, MPI_COMM_WORLD);
    dealii::VectorTools::interpolate(weight_dofs, Weight<dim>(), w);
    w.update_ghost_values();

    ContinuumWriter<dim> writer(dir, Provenance("dimension: " + std::to_string(dim), "lj", 0, size()),
                                UnitSystem::lj, MPI_COMM_WORLD);
    const double times[2] = {0.0, 0.75};
    for (int k = 0; k < 2; ++k)
      {
        dealii::VectorTools::interpolate(dofs, Field<dim>(false, times[k]), u);
        dealii::VectorTools::interpolate(dofs, Field<dim>(true, times[k]), v);
        u.update_ghost_values();
        v.update_ghost_values();
        ContinuumFrame<dim> frame;
        frame.step = 10 * k;
        frame.time = times[k];
        frame.dof_handler = &dofs;
        frame.displacement = &u;
        frame.velocity = &v;
        if (k == 1) // only the last frame has stress: the series may mix frames with and without it
          for (unsigned int i = 0; i < dim; ++i)
            frame.stress[i] = &sigma[i];
        if (use_weight_vector)
          {
            frame.weight_dof_handler = &weight_dofs;
            frame.weight = &w;
          }
        else
          frame.weight_function = [](const Point<dim> &p) { return Weight<dim>().value(p, 0); };
        writer.write(frame);
        ASSERT_EQ(test_support::read_xdmf(dir + "/continuum.xdmf").size(), static_cast<std::size_t>(k + 1));
      }

    const auto grids = test_support::read_xdmf(dir + "/continuum.xdmf");
    const auto &g = grids.back();
    EXPECT_EQ(g.time, times[1]);
    EXPECT_EQ(g.topology, dim == 1 ? "Polyline" : dim == 2 ? "Quadrilateral" : "Hexahedron");
    EXPECT_EQ(g.n_elements, n_cells);
    const Hdf5File file(g.geometry.file, Hdf5File::Mode::read_only, MPI_COMM_WORLD);
    EXPECT_EQ(file.read_int64_attribute("step"), 10);
    EXPECT_EQ(file.read_string_attribute("units", "/displacement"), "sigma");
    EXPECT_EQ(file.read_string_attribute("units", "/velocity"), "sigma/tau");
    EXPECT_EQ(file.read_string_attribute("deck"), "dimension: " + std::to_string(dim));

    const Table<double> position = file.read_doubles(g.geometry.dataset);
    const Table<double> X = file.read_doubles(g.attributes.at("reference_position").dataset);
    const Table<double> U = file.read_doubles(g.attributes.at("displacement").dataset);
    const Table<double> V = file.read_doubles(g.attributes.at("velocity").dataset);
    const Table<double> W = file.read_doubles(g.attributes.at("weight").dataset);
    const Table<double> S = file.read_doubles(g.attributes.at("stress").dataset);
    EXPECT_EQ(file.read_string_attribute("units", "/stress"), "epsilon/sigma^3");
    ASSERT_EQ(S.n_rows, n_vertices);
    ASSERT_EQ(S.n_columns, 9u);
    ASSERT_EQ(X.n_rows, n_vertices);
    ASSERT_EQ(U.n_columns, 3u);
    ASSERT_EQ(V.n_columns, 3u);
    ASSERT_EQ(W.n_rows, n_vertices);
    std::set<std::vector<double>> distinct;
    for (std::size_t i = 0; i < n_vertices; ++i)
      {
        const double x[3] = {X(i, 0), X(i, 1), X(i, 2)};
        distinct.insert({x[0], x[1], x[2]});
        for (unsigned int c = 0; c < 3; ++c)
          {
            if (c < dim)
              {
                EXPECT_TRUE(x[c] >= lo[c] - 1e-14 && x[c] <= hi[c] + 1e-14) << "vertex outside the box";
                // Interpolation is exact at a vertex up to the round-off of evaluating f there.
                expect_abs_near(U(i, c), displacement(x, c, times[1]), 1e-15);
                expect_abs_near(V(i, c), velocity(x, c, times[1]), 4e-15);
              }
            else
              {
                EXPECT_EQ(x[c], 0.0);
                EXPECT_EQ(U(i, c), 0.0);
                EXPECT_EQ(V(i, c), 0.0);
              }
            EXPECT_EQ(position(i, c), X(i, c) + U(i, c));
          }
        expect_abs_near(W.values[i], weight(x), 1e-15);
        for (unsigned int a = 0; a < 3; ++a)
          for (unsigned int b = 0; b < 3; ++b)
            {
              if (a < dim && b < dim)
                expect_abs_near(S(i, 3 * a + b), stress(x, a, b), 1e-14);
              else
                EXPECT_EQ(S(i, 3 * a + b), 0.0);
            }
      }
    EXPECT_EQ(distinct.size(), n_vertices) << "a vertex was written twice";

    // Cells in VTK order on the axis-aligned grid: edges along +x, +y, -x (+z for the top face).
    const Table<std::int64_t> cells = file.read_int64(g.connectivity.dataset);
    ASSERT_EQ(cells.n_rows, n_cells);
    ASSERT_EQ(cells.n_columns, 1u << dim);
    double h[3] = {0, 0, 0};
    for (int d = 0; d < dim; ++d)
      h[d] = (hi[d] - lo[d]) / (2 * repetitions[d]);
    const int corner[8][3] = {{0, 0, 0}, {1, 0, 0}, {1, 1, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 1}, {1, 1, 1}, {0, 1, 1}};
    for (std::size_t e = 0; e < n_cells; ++e)
      for (std::size_t j = 0; j < cells.n_columns; ++j)
        {
          const std::int64_t node = cells(e, j), node0 = cells(e, 0);
          ASSERT_TRUE(node >= 0 && node < static_cast<std::int64_t>(n_vertices));
          for (int d = 0; d < 3; ++d)
            expect_abs_near(X(node, d) - X(node0, d), corner[j][d] * h[d], 1e-14);
        }
  }
} // namespace

TEST(ContinuumWriter, RoundTrip1d) { round_trip<1>(1, true); }
TEST(ContinuumWriter, RoundTrip2dQuadraticWeightVector) { round_trip<2>(2, true); }
TEST(ContinuumWriter, RoundTrip3dWeightFunction) { round_trip<3>(1, false); }

TEST(ContinuumWriter, RejectsAScalarElement)
{
  const std::string                         dir = fresh_directory("continuum_bad");
  dealii::parallel::distributed::Triangulation<2> tria(MPI_COMM_WORLD);
  dealii::GridGenerator::hyper_cube(tria);
  tria.refine_global(2);
  dealii::FE_Q<2>       fe(1);
  dealii::DoFHandler<2> dofs(tria);
  dofs.distribute_dofs(fe);
  Vector u(dofs.locally_owned_dofs(), MPI_COMM_WORLD);
  ContinuumWriter<2> writer(dir, Provenance(), UnitSystem::metal, MPI_COMM_WORLD);
  ContinuumFrame<2>  frame;
  frame.dof_handler = &dofs;
  frame.displacement = &u;
  frame.velocity = &u;
  EXPECT_THROW(writer.write(frame), RuntimeError);
}
