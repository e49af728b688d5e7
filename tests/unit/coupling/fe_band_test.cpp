// Unit tests of the handshake's FE side (coupling::FeBand): atom ownership over the FE ranks, the
// consistent (interpolation) and conservative (restriction) transfers, the bridging-domain constraint
// solve (residual, momentum balance), the patch test of the weak constraint and rank independence.
#include "coupling/fe_band.h"
#include "coupling/handshake.h"
#include "fe/elastodynamics.h"
#include "fe/material.h"
#include "fe/mesh.h"
#include "support/tolerance.h"

#include <deal.II/base/mpi.h>
#include <deal.II/grid/grid_tools.h>

#include <gtest/gtest.h>

#include <mpi.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace
{
  using seam::GlobalId;
  using seam::Vec3;
  using seam::coupling::ConstraintType;
  using seam::coupling::FeBand;
  using seam::coupling::Handshake;
  using seam::coupling::WeightProfile;

  /// A cubic box model: fe.domain [-domain, domain]^dim, md.region [-region, region]^dim, band width
  /// `width` on every face (so the hole is [-(region - width), region - width]^dim), atoms on a simple
  /// cubic lattice origin + spacing k (k integer) restricted to the band.
  struct ModelSetup
  {
    double         domain  = 10.0;
    double         region  = 6.0;
    double         width   = 3.0;
    double         near    = 1.3; // not commensurate with the lattice spacing
    double         far     = 2.6;
    double         spacing = 0.7;
    double         origin  = -6.0; // lattice origin on every axis (= -region: atoms on the outer faces)
    unsigned       degree  = 1;
    ConstraintType constraint = ConstraintType::velocity;
    double         multiplier_spacing = 1.0; // coupling.multiplier_spacing
  };

  ModelSetup setup_1d()
  {
    ModelSetup s;
    s.domain  = 12.0;
    s.spacing = 0.07;
    return s;
  }

  ModelSetup setup_3d()
  {
    ModelSetup s;
    s.domain = 7.0;
    s.region = 4.5;
    s.origin = -4.5;
    return s;
  }

  /// printf on rank 0 of the world only (the figures are global sums, the same on every rank).
  __attribute__((format(printf, 1, 2))) void say(const char *format, ...)
  {
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    if (rank != 0)
      return;
    va_list args;
    va_start(args, format);
    std::vprintf(format, args);
    va_end(args);
  }

  /// Deterministic noise in [-1, 1] from (seed, atom id, component): the same on every rank count.
  double noise(std::uint64_t seed, GlobalId id, int c)
  {
    std::uint64_t z =
      seed * 0x9E3779B97F4A7C15ULL + static_cast<std::uint64_t>(id) * 4 + static_cast<std::uint64_t>(c) + 1;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL; // splitmix64 finaliser
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z = z ^ (z >> 31);
    return 2.0 * static_cast<double>(z >> 11) / 9007199254740992.0 - 1.0;
  }

  /// Handshake + mesh with a hole + (1 - alpha)-weighted elastodynamics + FeBand with the band atoms
  /// this rank owns, built as src/app/coupled_run.cpp (run_fe_side) builds them. Not movable (the
  /// weight and the band hold references to members).
  template <int dim>
  struct Model
  {
    using VectorType = typename seam::fe::Elastodynamics<dim>::VectorType;

    Model(MPI_Comm comm_, const ModelSetup &s)
      : comm(comm_)
      , setup(s)
      , hs(dim, cube(-s.region), cube(s.region), cube(-s.domain), cube(s.domain), {{false, false, false}}, s.width,
           WeightProfile::cubic)
      , atom_mass(std::pow(s.spacing, dim)) // density 1: one lattice cell of mass per atom
    {
      typename seam::fe::Mesh<dim>::Params mp;
      seam::fe::Box<dim>                   hole, md_region;
      for (int a = 0; a < dim; ++a)
        {
          mp.domain.lo[a] = -s.domain;
          mp.domain.hi[a] = s.domain;
          hole.lo[a]      = hs.core_lo()[a];
          hole.hi[a]      = hs.core_hi()[a];
          md_region.lo[a] = -s.region;
          md_region.hi[a] = s.region;
        }
      mp.hole      = hole;
      mp.md_region = md_region;
      mp.near      = s.near;
      mp.far       = s.far;
      mesh         = std::make_unique<seam::fe::Mesh<dim>>(comm, mp);

      typename seam::fe::Elastodynamics<dim>::Params ep;
      ep.degree = s.degree;
      ep.weight = [this](const dealii::Point<dim> &x) { return 1.0 - hs.alpha(to_vec3(x)); };
      fe = std::make_unique<seam::fe::Elastodynamics<dim>>(
        *mesh, seam::fe::Material<dim>::isotropic(100.0, dim == 1 ? 0.0 : 0.25, 1.0), ep);

      typename FeBand<dim>::Params bp;
      bp.atom_mass  = atom_mass;
      bp.constraint = s.constraint;
      bp.multiplier_spacing = s.multiplier_spacing;
      mass_floor    = bp.mass_floor;
      band          = std::make_unique<FeBand<dim>>(*mesh, *fe, hs, bp);

      // The band atoms of the whole lattice (same list and ids on every rank), then the owned ones.
      const int          n = static_cast<int>(std::floor((s.region - s.origin) / s.spacing + 1e-9)) + 1;
      std::array<int, 3> k{{0, 0, 0}};
      const int          n_total = static_cast<int>(std::pow(n, dim));
      for (int flat = 0; flat < n_total; ++flat)
        {
          int rest = flat;
          Vec3 X{{0, 0, 0}};
          for (int a = 0; a < dim; ++a)
            {
              k[a] = rest % n;
              rest /= n;
              X[a] = s.origin + s.spacing * k[a];
            }
          if (hs.in_band(X))
            X_all.push_back(X);
        }
      owned_flag.assign(X_all.size(), 0);
      for (std::size_t i = 0; i < X_all.size(); ++i)
        if (band->owns(X_all[i]))
          {
            band->add_atom(static_cast<GlobalId>(i), X_all[i]);
            owned_flag[i] = 1;
          }
      band->finalize();
    }
    Model(const Model &) = delete;
    Model &operator=(const Model &) = delete;

    static Vec3 cube(double v) { return Vec3{{v, dim > 1 ? v : 0.0, dim > 2 ? v : 0.0}}; }
    static Vec3 to_vec3(const dealii::Point<dim> &p)
    {
      Vec3 x{{0, 0, 0}};
      for (int a = 0; a < dim; ++a)
        x[a] = p[a];
      return x;
    }
    const Vec3 &X(std::size_t slot) const { return X_all[band->id(slot)]; }
    /// m~_a = atom_mass max(alpha, floor), as FeBand documents.
    double mass(std::size_t slot) const { return atom_mass * std::max(hs.alpha(X(slot)), mass_floor); }

    double sum(double local) const { return dealii::Utilities::MPI::sum(local, comm); }
    double max(double local) const { return dealii::Utilities::MPI::max(local, comm); }

    /// Component (0..dim-1) of every locally owned FE DoF, by local index.
    std::vector<unsigned> owned_components() const
    {
      const auto                                  &part = *fe->displacement().get_partitioner();
      std::vector<unsigned>                        comp(part.locally_owned_size(), dim);
      std::vector<dealii::types::global_dof_index> dofs(fe->fe().dofs_per_cell);
      for (const auto &cell : fe->dof_handler().active_cell_iterators())
        if (cell->is_locally_owned())
          {
            cell->get_dof_indices(dofs);
            for (unsigned i = 0; i < dofs.size(); ++i)
              if (part.in_local_range(dofs[i]))
                comp[part.global_to_local(dofs[i])] = fe->fe().system_to_component_index(i).first;
          }
      for (unsigned c : comp)
        EXPECT_LT(c, static_cast<unsigned>(dim)) << "an owned DoF on no owned cell";
      return comp;
    }

    /// The owned entries of an FE vector (by local index).
    static std::vector<double> owned(const VectorType &v)
    {
      std::vector<double> o(v.locally_owned_size());
      for (unsigned i = 0; i < o.size(); ++i)
        o[i] = v.local_element(i);
      return o;
    }

    /// Per component, the sum over all nodes (all ranks) of owned values v_i (by local index).
    std::array<double, dim> node_sums(const std::vector<double> &v) const
    {
      const auto comp = owned_components();
      EXPECT_EQ(comp.size(), v.size());
      std::array<double, dim> s{};
      for (unsigned i = 0; i < comp.size(); ++i)
        s[comp[i]] += v[i];
      for (int c = 0; c < dim; ++c)
        s[c] = sum(s[c]);
      return s;
    }

    /// Affine displacement G X + c at the atoms (dim per slot) and as muparser expressions.
    std::vector<double> affine_at_atoms(const std::array<std::array<double, 3>, 3> &G,
                                        const std::array<double, 3>               &c) const
    {
      std::vector<double> u(dim * band->n_atoms());
      for (std::size_t a = 0; a < band->n_atoms(); ++a)
        for (int i = 0; i < dim; ++i)
          {
            u[dim * a + i] = c[i];
            for (int j = 0; j < dim; ++j)
              u[dim * a + i] += G[i][j] * X(a)[j];
          }
      return u;
    }
    static std::vector<std::string> affine_expressions(const std::array<std::array<double, 3>, 3> &G,
                                                       const std::array<double, 3>               &c)
    {
      const char              *names[3] = {"x", "y", "z"};
      std::vector<std::string> e;
      for (int i = 0; i < dim; ++i)
        {
          std::string s = std::to_string(c[i]);
          for (int j = 0; j < dim; ++j)
            s += " + (" + std::to_string(G[i][j]) + ")*" + names[j];
          e.push_back(s);
        }
      return e;
    }
    static std::vector<std::string> zeros() { return std::vector<std::string>(dim, "0"); }

    MPI_Comm                                       comm;
    ModelSetup                                     setup;
    Handshake                                      hs;
    double                                         atom_mass;
    double                                         mass_floor = 0;
    std::unique_ptr<seam::fe::Mesh<dim>>           mesh;
    std::unique_ptr<seam::fe::Elastodynamics<dim>> fe;
    std::unique_ptr<FeBand<dim>>                   band;
    std::vector<Vec3>                              X_all;      // every band atom, index = id
    std::vector<int>                               owned_flag; // 1 if this rank owns atom id
  };

  // Values with short decimal expansions (std::to_string prints 6 decimals), a non-symmetric G.
  constexpr std::array<std::array<double, 3>, 3> G1{
    {{{0.012, -0.031, 0.007}}, {{0.025, 0.004, -0.018}}, {{-0.009, 0.021, 0.015}}}};
  constexpr std::array<double, 3>                c1{{0.3, -0.2, 0.15}};
  constexpr std::array<std::array<double, 3>, 3> G2{
    {{{-0.5, 0.25, 0.125}}, {{0.75, -0.375, 0.5}}, {{0.25, 0.625, -0.125}}}};
  constexpr std::array<double, 3>                c2{{1.5, -2.25, 0.75}};
  // A slow velocity field (G2, c2 over 1000): the momentum balance subtracts velocities before and after.
  constexpr std::array<std::array<double, 3>, 3> G3{
    {{{-0.0005, 0.00025, 0.000125}}, {{0.00075, -0.000375, 0.0005}}, {{0.00025, 0.000625, -0.000125}}}};
  constexpr std::array<double, 3>                c3{{0.0015, -0.00225, 0.00075}};

  /// |G| max|X| + |c|: the scale of an affine field over the model.
  template <int dim>
  double affine_scale(const Model<dim> &m, const std::array<std::array<double, 3>, 3> &G,
                      const std::array<double, 3> &c)
  {
    double g = 0, cc = 0;
    for (int i = 0; i < dim; ++i)
      {
        cc = std::max(cc, std::abs(c[i]));
        for (int j = 0; j < dim; ++j)
          g = std::max(g, std::abs(G[i][j]));
      }
    return dim * g * m.setup.region + cc;
  }

  // ---------------------------------------------------------------------------------------------
  // 0. Every band atom is owned by exactly one FE rank.
  /// Returns the number of band atoms lying exactly on an element face (some coordinate equal to a
  /// mesh coordinate), the cases decided by the half-open rule and the hole-boundary rule.
  template <int dim>
  std::size_t check_ownership(const ModelSetup &s, std::size_t min_atoms)
  {
    Model<dim>  m(MPI_COMM_WORLD, s);
    std::size_t on_faces = 0;
    for (const Vec3 &X : m.X_all)
      {
        bool on = false;
        for (int a = 0; a < dim; ++a)
          {
            const auto &c = m.mesh->coordinates(a);
            on            = on || std::find(c.begin(), c.end(), X[a]) != c.end();
          }
        on_faces += on ? 1 : 0;
      }
    // The atoms spread over the ranks (else the parallel runs would test nothing).
    int n_ranks = 1, holding = 0;
    MPI_Comm_size(MPI_COMM_WORLD, &n_ranks);
    const int mine = m.band->n_atoms() > 0 ? 1 : 0;
    MPI_Allreduce(&mine, &holding, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    say("[dim %d] ownership: %zu band atoms (%zu on element faces), on %d of %d ranks\n", dim, m.X_all.size(),
        on_faces, holding, n_ranks);
    EXPECT_GE(holding, std::min(n_ranks, 2));
    std::vector<int> count(m.owned_flag);
    MPI_Allreduce(MPI_IN_PLACE, count.data(), static_cast<int>(count.size()), MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    std::size_t bad = 0;
    for (std::size_t i = 0; i < count.size(); ++i)
      if (count[i] != 1)
        {
          if (++bad <= 5)
            ADD_FAILURE() << "atom " << i << " at (" << m.X_all[i][0] << ", " << m.X_all[i][1] << ", "
                          << m.X_all[i][2] << ") is owned by " << count[i] << " ranks";
        }
    EXPECT_EQ(bad, 0u);
    EXPECT_EQ(m.sum(static_cast<double>(m.band->n_atoms())), static_cast<double>(m.X_all.size()));
    EXPECT_GE(m.X_all.size(), min_atoms); // the lattice covers the band as intended
    // Slots are sorted by id and slot_of inverts id().
    for (std::size_t a = 0; a < m.band->n_atoms(); ++a)
      {
        if (a > 0)
          {
            EXPECT_LT(m.band->id(a - 1), m.band->id(a));
          }
        EXPECT_EQ(m.band->slot_of(m.band->id(a)), static_cast<long>(a));
      }
    EXPECT_EQ(m.band->slot_of(static_cast<GlobalId>(m.X_all.size() + 7)), -1);
    return on_faces;
  }

  // ---------------------------------------------------------------------------------------------
  // 1. Consistent transfer: an affine FE field interpolates exactly at every atom.
  template <int dim>
  void check_interpolation(const ModelSetup &s)
  {
    Model<dim> m(MPI_COMM_WORLD, s);
    m.fe->set_initial_conditions(Model<dim>::affine_expressions(G1, c1), Model<dim>::affine_expressions(G2, c2));
    std::vector<double> u, v;
    m.band->interpolate(m.fe->displacement(), u);
    m.band->interpolate(m.fe->velocity(), v);
    ASSERT_EQ(u.size(), dim * m.band->n_atoms());
    const auto   u_exact = m.affine_at_atoms(G1, c1), v_exact = m.affine_at_atoms(G2, c2);
    const double su = affine_scale(m, G1, c1), sv = affine_scale(m, G2, c2);
    double       eu = 0, ev = 0;
    for (std::size_t i = 0; i < u.size(); ++i)
      {
        eu = std::max(eu, std::abs(u[i] - u_exact[i]));
        ev = std::max(ev, std::abs(v[i] - v_exact[i]));
      }
    eu = m.max(eu) / su;
    ev = m.max(ev) / sv;
    say("[dim %d Q%u] interpolation: max relative error u %.3g, v %.3g over %zu atoms\n", dim, s.degree,
                eu, ev, m.X_all.size());
    EXPECT_LE(eu, 1e-12);
    EXPECT_LE(ev, 1e-12);
  }

  // ---------------------------------------------------------------------------------------------
  // 2. Conservative transfer: the sum over nodes of restrict_add(values) equals the sum over atoms.
  template <int dim>
  void check_restriction(const ModelSetup &s)
  {
    Model<dim> m(MPI_COMM_WORLD, s);
    std::vector<double> values(dim * m.band->n_atoms());
    for (std::size_t a = 0; a < m.band->n_atoms(); ++a)
      for (int c = 0; c < dim; ++c)
        values[dim * a + c] = 1.0 + noise(11, m.band->id(a), c); // positive and varied
    std::array<double, dim> atoms{}, scale{};
    for (std::size_t a = 0; a < m.band->n_atoms(); ++a)
      for (int c = 0; c < dim; ++c)
        {
          atoms[c] += values[dim * a + c];
          scale[c] += std::abs(values[dim * a + c]);
        }
    typename Model<dim>::VectorType dst;
    m.fe->initialize_vector(dst);
    dst = 0.5; // restrict_add adds: a non-zero start must be kept
    const auto base = m.node_sums(Model<dim>::owned(dst));
    m.band->restrict_add(values, dst);
    const auto nodes = m.node_sums(Model<dim>::owned(dst));
    for (int c = 0; c < dim; ++c)
      {
        atoms[c] = m.sum(atoms[c]);
        scale[c] = m.sum(scale[c]);
        const double err = std::abs(nodes[c] - base[c] - atoms[c]) / scale[c];
        say("[dim %d] restriction component %d: atoms %.17g, nodes %.17g, relative %.3g\n", dim, c, atoms[c],
                    nodes[c] - base[c], err);
        expect_rel_near(nodes[c] - base[c], atoms[c], 1e-12); // values > 0: sum = sum of |values|
      }
  }

  // ---------------------------------------------------------------------------------------------
  // 3. Constraint solve: residual, momentum balance, multiplier consistency.
  template <int dim>
  void check_velocity_constraint(const ModelSetup &s0)
  {
    ModelSetup s      = s0;
    s.constraint = ConstraintType::velocity;
    Model<dim> m(MPI_COMM_WORLD, s);
    m.fe->set_initial_conditions(Model<dim>::affine_expressions(G1, c1), Model<dim>::affine_expressions(G3, c3));
    auto u_atoms = m.affine_at_atoms(G1, c1);
    m.band->set_target(u_atoms); // g ~ 0 up to round-off

    // Trial step: random atom perturbations of size eps.
    const double eps = 1e-3 * s.spacing;
    for (std::size_t a = 0; a < m.band->n_atoms(); ++a)
      for (int c = 0; c < dim; ++c)
        u_atoms[dim * a + c] += eps * noise(23, m.band->id(a), c);
    const double g_before = m.band->constraint_residual(u_atoms);
    ASSERT_GT(g_before, 0.1 * eps);

    const std::vector<double> v_before = Model<dim>::owned(m.fe->velocity());
    const double        dt = 0.5 * m.fe->stable_time_step();
    std::vector<double> dv, vfe;
    m.band->correct(u_atoms, dt, dv, vfe);
    ASSERT_EQ(dv.size(), u_atoms.size());
    ASSERT_EQ(vfe.size(), u_atoms.size());
    std::vector<double> u_new(u_atoms);
    for (std::size_t i = 0; i < u_new.size(); ++i)
      u_new[i] += dt * dv[i];
    const double g_after = m.band->constraint_residual(u_new);
    say("[dim %d] velocity constraint: |g| %.3g -> %.3g (ratio %.3g)\n", dim, g_before, g_after,
        g_after / g_before);
    EXPECT_LE(g_after, 1e-10 * g_before);

    // Momentum of the impulses: sum_a m~_a dv_a + sum_I M~_I dV_I = 0 per component.
    // dV = v_after - v_before loses eps |v| per node to cancellation: that bound enters the tolerance.
    std::vector<double> MdV = Model<dim>::owned(m.fe->velocity()), Mv(MdV.size());
    for (unsigned i = 0; i < MdV.size(); ++i)
      {
        const double M = m.fe->lumped_mass().local_element(i);
        Mv[i]          = M * std::max(std::abs(MdV[i]), std::abs(v_before[i]));
        MdV[i]         = M * (MdV[i] - v_before[i]);
      }
    const auto              nodes = m.node_sums(MdV), cancel = m.node_sums(Mv);
    std::array<double, dim> atoms{}, scale{};
    for (std::size_t a = 0; a < m.band->n_atoms(); ++a)
      for (int c = 0; c < dim; ++c)
        {
          atoms[c] += m.mass(a) * dv[dim * a + c];
          scale[c] += m.mass(a) * std::abs(dv[dim * a + c]);
        }
    for (int c = 0; c < dim; ++c)
      {
        atoms[c] = m.sum(atoms[c]);
        scale[c] = m.sum(scale[c]);
        const double err = std::abs(atoms[c] + nodes[c]) / scale[c];
        const double tol = 1e-12 + 2 * std::numeric_limits<double>::epsilon() * cancel[c] / scale[c];
        say("[dim %d] momentum component %d: atoms %.6g, nodes %.6g, |sum| / sum|m dv| %.3g (tolerance %.3g)\n",
            dim, c, atoms[c], nodes[c], err, tol);
        EXPECT_GT(scale[c], 0.0);
        EXPECT_LE(err, tol);
      }

    // The FE velocity interpolated after the correction is what correct() returned.
    std::vector<double> v_interp;
    m.band->interpolate(m.fe->velocity(), v_interp);
    double ev = 0, sv = 0;
    for (std::size_t i = 0; i < vfe.size(); ++i)
      {
        ev = std::max(ev, std::abs(vfe[i] - v_interp[i]));
        sv = std::max(sv, std::abs(v_interp[i]));
      }
    EXPECT_LE(m.max(ev), 1e-14 * m.max(sv));

    // First correction: the accumulated multiplier is this step's, dv_a = -dt lambda(X_a) / m~_a.
    std::vector<double> lam;
    m.band->multiplier_at_atoms(lam);
    ASSERT_EQ(lam.size(), dv.size());
    double el = 0, sl = 0;
    for (std::size_t a = 0; a < m.band->n_atoms(); ++a)
      for (int c = 0; c < dim; ++c)
        {
          el = std::max(el, std::abs(m.mass(a) * dv[dim * a + c] + dt * lam[dim * a + c]));
          sl = std::max(sl, std::abs(dt * lam[dim * a + c]));
        }
    EXPECT_LE(m.max(el), 1e-12 * m.max(sl));
  }

  template <int dim>
  void check_displacement_constraint(const ModelSetup &s0)
  {
    ModelSetup s      = s0;
    s.constraint = ConstraintType::displacement;
    Model<dim> m(MPI_COMM_WORLD, s);
    m.fe->set_initial_conditions(Model<dim>::affine_expressions(G1, c1), Model<dim>::zeros());
    auto         u_atoms = m.affine_at_atoms(G1, c1);
    const double eps     = 1e-2 * s.spacing;
    for (std::size_t a = 0; a < m.band->n_atoms(); ++a)
      for (int c = 0; c < dim; ++c)
        u_atoms[dim * a + c] += eps * noise(37, m.band->id(a), c);
    m.band->set_target(u_atoms); // displacement type: target 0, the mismatch stays in the residual
    const double g_before = m.band->constraint_residual(u_atoms);
    ASSERT_GT(g_before, 0.1 * eps);
    const double        dt = 0.5 * m.fe->stable_time_step();
    std::vector<double> dv, vfe;
    m.band->correct(u_atoms, dt, dv, vfe);
    for (std::size_t i = 0; i < u_atoms.size(); ++i)
      u_atoms[i] += dt * dv[i];
    const double g_after = m.band->constraint_residual(u_atoms);
    say("[dim %d] displacement constraint: |g| %.3g -> %.3g (ratio %.3g)\n", dim, g_before, g_after,
                g_after / g_before);
    EXPECT_LE(g_after, 1e-10 * g_before);
  }

  // ---------------------------------------------------------------------------------------------
  // 4. Patch test: affine displacements of atoms and FE satisfy g = 0 for any mesh/lattice alignment.
  template <int dim>
  void check_patch_test(const ModelSetup &s0)
  {
    ModelSetup s      = s0;
    s.constraint = ConstraintType::displacement;
    Model<dim> m(MPI_COMM_WORLD, s);
    for (const auto &[G, c] : {std::make_pair(G1, c1), std::make_pair(G2, c2)})
      {
        m.fe->set_initial_conditions(Model<dim>::affine_expressions(G, c), Model<dim>::zeros());
        const auto   u_atoms = m.affine_at_atoms(G, c);
        const double g       = m.band->constraint_residual(u_atoms);
        const double scale   = affine_scale(m, G, c);
        say("[dim %d Q%u] patch test: max |g| %.3g, displacement scale %.3g, ratio %.3g\n", dim, s.degree,
                    g, scale, g / scale);
        EXPECT_LE(g, 1e-13 * scale);
        // The residual sees a non-affine mismatch (the test can fail): one atom moved by 1e-6 scale.
        auto u_bad = u_atoms;
        if (m.band->n_atoms() > 0)
          u_bad[0] += 1e-6 * scale;
        EXPECT_GT(m.band->constraint_residual(u_bad), 1e-8 * scale);
      }
  }

  // ---------------------------------------------------------------------------------------------
  // 5. Rank independence: the same scalars on the FE communicator and on a serial copy.
  template <int dim>
  std::array<double, 4> correction_scalars(Model<dim> &m)
  {
    m.fe->set_initial_conditions(Model<dim>::affine_expressions(G1, c1), Model<dim>::affine_expressions(G2, c2));
    auto u_atoms = m.affine_at_atoms(G1, c1);
    for (std::size_t a = 0; a < m.band->n_atoms(); ++a)
      for (int c = 0; c < dim; ++c)
        u_atoms[dim * a + c] += 0.05 * m.setup.spacing * noise(41, m.band->id(a), c);
    m.band->set_target(u_atoms); // a non-zero initial mismatch
    for (std::size_t a = 0; a < m.band->n_atoms(); ++a)
      for (int c = 0; c < dim; ++c)
        u_atoms[dim * a + c] += 1e-3 * m.setup.spacing * noise(43, m.band->id(a), c);
    const double        dt = 0.5 * m.fe->stable_time_step();
    std::vector<double> dv, vfe, lam;
    const double        g_before = m.band->constraint_residual(u_atoms); // measured from the target
    m.band->correct(u_atoms, dt, dv, vfe);
    m.band->multiplier_at_atoms(lam);
    // Velocity type with a non-zero initial mismatch: g returns to that mismatch, not to 0.
    std::vector<double> u_new(u_atoms);
    for (std::size_t i = 0; i < u_new.size(); ++i)
      u_new[i] += dt * dv[i];
    EXPECT_LE(m.band->constraint_residual(u_new), 1e-10 * g_before);
    double sdv = 0, svfe = 0, slam = 0;
    for (std::size_t i = 0; i < dv.size(); ++i)
      {
        sdv += std::abs(dv[i]);
        svfe += std::abs(vfe[i]);
        slam += std::abs(lam[i]);
      }
    return {{m.sum(sdv), m.fe->velocity().l2_norm(), m.sum(svfe), m.sum(slam)}};
  }

  template <int dim>
  void check_rank_independence(const ModelSetup &s)
  {
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    std::array<double, 4> parallel{}, serial{};
    {
      Model<dim> m(MPI_COMM_WORLD, s);
      parallel = correction_scalars(m);
    }
    MPI_Comm self;
    MPI_Comm_split(MPI_COMM_WORLD, rank, 0, &self);
    if (rank == 0)
      {
        Model<dim> m(self, s);
        serial = correction_scalars(m);
      }
    MPI_Comm_free(&self);
    MPI_Bcast(serial.data(), 4, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    const char *names[4] = {"sum |dv|", "|V_fe|_2", "sum |v_fe(X_a)|", "sum |lambda(X_a)|"};
    for (int k = 0; k < 4; ++k)
      {
        const double rel = std::abs(parallel[k] - serial[k]) / std::abs(serial[k]);
        if (rank == 0)
          say("[dim %d] rank independence %s: parallel %.17g, serial %.17g, relative %.3g\n", dim, names[k],
                      parallel[k], serial[k], rel);
        EXPECT_GT(serial[k], 0.0);
        // Summation order differs across rank counts (round-off, ~1e-15), amplified by the condition of
        // S in the multipliers.
        expect_rel_near(parallel[k], serial[k], 1e-10) << names[k];
      }
  }
  // ---------------------------------------------------------------------------------------------
  // 0b. Atom location on a graded and distorted (non-box) mesh: the cells are found through deal.II and
  // the unit coordinates by the Q1 mapping's inverse, so every atom is owned once and an affine field of
  // the real coordinates is interpolated exactly (Q1 isoparametric elements reproduce it).
  template <int dim>
  void check_distorted_location(const ModelSetup &s)
  {
    const Handshake hs(dim, Model<dim>::cube(-s.region), Model<dim>::cube(s.region), Model<dim>::cube(-s.domain),
                       Model<dim>::cube(s.domain), {{false, false, false}}, s.width, WeightProfile::cubic);
    typename seam::fe::Mesh<dim>::Params mp;
    seam::fe::Box<dim>                   hole, md_region;
    for (int a = 0; a < dim; ++a)
      {
        mp.domain.lo[a] = -s.domain;
        mp.domain.hi[a] = s.domain;
        hole.lo[a]      = hs.core_lo()[a];
        hole.hi[a]      = hs.core_hi()[a];
        md_region.lo[a] = -s.region;
        md_region.hi[a] = s.region;
      }
    mp.hole      = hole;
    mp.md_region = md_region;
    mp.near      = s.near;
    mp.far       = s.far;
    seam::fe::Mesh<dim> mesh(MPI_COMM_WORLD, mp);
    // A smooth distortion of amplitude amp: no cell stays a box.
    const double amp = 0.08 * s.near;
    dealii::GridTools::transform(
      [amp](const dealii::Point<dim> &x) {
        dealii::Point<dim> y = x;
        for (int d = 0; d < dim; ++d)
          y[d] += amp * std::sin(1.7 * x[(d + 1) % dim] + 0.9 * x[d] + 0.3 * d);
        return y;
      },
      mesh.triangulation());
    typename seam::fe::Elastodynamics<dim>::Params ep;
    seam::fe::Elastodynamics<dim> fe(mesh, seam::fe::Material<dim>::isotropic(100.0, dim == 1 ? 0.0 : 0.25, 1.0), ep);
    typename FeBand<dim>::Params bp;
    FeBand<dim>                  band(mesh, fe, hs, bp);

    // Points over the whole mesh (graded part included), farther than 2 amp from the domain and hole faces.
    std::vector<Vec3> X_all;
    for (GlobalId i = 0; X_all.size() < 400 && i < 100000; ++i)
      {
        Vec3 X{{0, 0, 0}};
        bool in_hole = true, near_outer = false;
        for (int a = 0; a < dim; ++a)
          {
            X[a]       = s.domain * noise(91, i, a);
            near_outer = near_outer || std::abs(X[a]) > s.domain - 2 * amp;
            in_hole    = in_hole && X[a] > hole.lo[a] - 2 * amp && X[a] < hole.hi[a] + 2 * amp;
          }
        if (!near_outer && !in_hole)
          X_all.push_back(X);
      }
    std::vector<int> owned(X_all.size(), 0);
    for (std::size_t i = 0; i < X_all.size(); ++i)
      if (band.owns(X_all[i]))
        {
          band.add_atom(static_cast<GlobalId>(i), X_all[i]);
          owned[i] = 1;
        }
    band.finalize();
    MPI_Allreduce(MPI_IN_PLACE, owned.data(), static_cast<int>(owned.size()), MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    for (std::size_t i = 0; i < owned.size(); ++i)
      EXPECT_EQ(owned[i], 1) << "point " << i << " at (" << X_all[i][0] << ", " << X_all[i][1] << ", " << X_all[i][2] << ")";

    const std::array<const char *, 3> u{{"0.01*x - 0.02*y + 0.003*z + 0.1", "0.004*x + 0.01*y - 0.2", "-0.003*x + 0.001*y + 0.002*z"}};
    std::vector<std::string>          u0(u.begin(), u.begin() + dim), v0(dim, "0");
    fe.set_initial_conditions(u0, v0);
    std::vector<double> at;
    band.interpolate(fe.displacement(), at);
    double worst = 0;
    for (std::size_t a = 0; a < band.n_atoms(); ++a)
      {
        const Vec3  &X = X_all[band.id(a)];
        const double x = X[0], y = X[1], z = X[2];
        const std::array<double, 3> exact{{0.01 * x - 0.02 * y + 0.003 * z + 0.1, 0.004 * x + 0.01 * y - 0.2,
                                           -0.003 * x + 0.001 * y + 0.002 * z}};
        for (int c = 0; c < dim; ++c)
          worst = std::max(worst, std::abs(at[dim * a + c] - exact[c]));
      }
    worst = dealii::Utilities::MPI::max(worst, MPI_COMM_WORLD);
    say("[dim %d] distorted mesh: %zu points, largest interpolation error of an affine field %.3g\n", dim, X_all.size(),
        worst);
    EXPECT_LT(worst, 1e-12); // |u| ~ 0.2: round-off of the Newton inverse and the shape values
  }
} // namespace

TEST(FeBandOwnership, EveryAtomOnExactlyOneRank1D) { check_ownership<1>(setup_1d(), 80); }
TEST(FeBandOwnership, EveryAtomOnExactlyOneRank2D) { check_ownership<2>(ModelSetup{}, 200); }
TEST(FeBandOwnership, EveryAtomOnExactlyOneRank3D) { check_ownership<3>(setup_3d(), 1500); }
TEST(FeBandOwnership, AtomsOnElementAndHoleFaces2D)
{
  // Spacing 0.5 from -6: atoms exactly on the hole faces (+-3), the outer faces (+-6) and the
  // integer-coordinate element faces of the band (elements of size 1 there).
  ModelSetup s;
  s.spacing = 0.5;
  EXPECT_GT(check_ownership<2>(s, 300), 100u);
}

TEST(FeBandOwnership, DistortedGradedMesh2D) { check_distorted_location<2>(ModelSetup{}); }
TEST(FeBandOwnership, DistortedGradedMesh3D) { check_distorted_location<3>(setup_3d()); }

TEST(FeBandTransfer, InterpolationIsConsistent1D) { check_interpolation<1>(setup_1d()); }
TEST(FeBandTransfer, InterpolationIsConsistent2D) { check_interpolation<2>(ModelSetup{}); }
TEST(FeBandTransfer, InterpolationIsConsistent2DQ2)
{
  ModelSetup s;
  s.degree = 2;
  check_interpolation<2>(s);
}
TEST(FeBandTransfer, InterpolationIsConsistent3D) { check_interpolation<3>(setup_3d()); }
TEST(FeBandTransfer, InterpolationOnFaces2D)
{
  ModelSetup s;
  s.spacing = 0.5;
  check_interpolation<2>(s);
}

TEST(FeBandTransfer, RestrictionIsConservative1D) { check_restriction<1>(setup_1d()); }
TEST(FeBandTransfer, RestrictionIsConservative2D) { check_restriction<2>(ModelSetup{}); }
TEST(FeBandTransfer, RestrictionIsConservative3D) { check_restriction<3>(setup_3d()); }

TEST(FeBandConstraint, VelocityTypeRestoresTargetAndConservesMomentum1D) { check_velocity_constraint<1>(setup_1d()); }
TEST(FeBandConstraint, VelocityTypeRestoresTargetAndConservesMomentum2D) { check_velocity_constraint<2>(ModelSetup{}); }
TEST(FeBandConstraint, VelocityTypeRestoresTargetAndConservesMomentum3D) { check_velocity_constraint<3>(setup_3d()); }
TEST(FeBandConstraint, DisplacementTypeRemovesMismatch1D) { check_displacement_constraint<1>(setup_1d()); }
TEST(FeBandConstraint, DisplacementTypeRemovesMismatch2D) { check_displacement_constraint<2>(ModelSetup{}); }
TEST(FeBandConstraint, DisplacementTypeRemovesMismatch3D) { check_displacement_constraint<3>(setup_3d()); }

TEST(FeBandConstraint, PatchTestAffineFieldsSatisfyConstraint1D) { check_patch_test<1>(setup_1d()); }
TEST(FeBandConstraint, PatchTestAffineFieldsSatisfyConstraint2D) { check_patch_test<2>(ModelSetup{}); }
TEST(FeBandConstraint, PatchTestAffineFieldsSatisfyConstraint2DQ2)
{
  ModelSetup s;
  s.degree = 2;
  check_patch_test<2>(s);
}
TEST(FeBandConstraint, PatchTestAffineFieldsSatisfyConstraint3D) { check_patch_test<3>(setup_3d()); }

// Coarse multipliers (coupling.multiplier_spacing 2, linear hats every 2 band elements): the correction
// still restores its (fewer) constraints exactly and conserves momentum, affine fields still satisfy
// them for any mesh/lattice alignment (Q1 and Q2), and the result does not depend on the rank count.
ModelSetup coarse(ModelSetup s)
{
  s.multiplier_spacing = 2.0;
  return s;
}
TEST(FeBandCoarseMultipliers, VelocityTypeRestoresTargetAndConservesMomentum1D)
{
  check_velocity_constraint<1>(coarse(setup_1d()));
}
TEST(FeBandCoarseMultipliers, VelocityTypeRestoresTargetAndConservesMomentum2D)
{
  check_velocity_constraint<2>(coarse(ModelSetup{}));
}
TEST(FeBandCoarseMultipliers, PatchTestAffineFieldsSatisfyConstraint2D) { check_patch_test<2>(coarse(ModelSetup{})); }
TEST(FeBandCoarseMultipliers, PatchTestAffineFieldsSatisfyConstraint2DQ2)
{
  ModelSetup s = coarse(ModelSetup{});
  s.degree     = 2;
  check_patch_test<2>(s);
}
TEST(FeBandCoarseMultipliers, PatchTestAffineFieldsSatisfyConstraint3D) { check_patch_test<3>(coarse(setup_3d())); }
TEST(FeBandCoarseMultipliers, CorrectionIndependentOfRankCount2D) { check_rank_independence<2>(coarse(ModelSetup{})); }

TEST(FeBandParallel, CorrectionIndependentOfRankCount1D) { check_rank_independence<1>(setup_1d()); }
TEST(FeBandParallel, CorrectionIndependentOfRankCount2D) { check_rank_independence<2>(ModelSetup{}); }
TEST(FeBandParallel, CorrectionIndependentOfRankCount3D) { check_rank_independence<3>(setup_3d()); }
