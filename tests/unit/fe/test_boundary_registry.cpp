// The boundary-condition registry (fe/boundary/registry.h): every style is created by name and answers
// for itself; unknown styles and misfitting values give clear errors; the deck schema lists the styles.
// deal.II-free: the registry must stay usable from config.
#include "base/error.h"
#include "config/schema.h"
#include "fe/boundary/boundary_condition.h"
#include "fe/boundary/registry.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

using namespace seam;
using namespace seam::fe;

namespace
{
  std::vector<std::string> value_for(const std::string &style)
  {
    return style == "velocity" || style == "traction" || style == "displacement" ?
             std::vector<std::string>{"1+x", "2*t", "y-z"} :
             std::vector<std::string>{};
  }

  std::string message_of(const std::string &style, const std::vector<std::string> &value, unsigned dim)
  {
    try
      {
        boundary::create(style, value, dim, 4);
      }
    catch (const InputError &e)
      {
        return e.what();
      }
    return "";
  }
} // namespace

TEST(FeBoundaryRegistry, CreatesEveryStyleByName)
{
  const std::vector<std::string> names = boundary::style_names();
  EXPECT_EQ(names, (std::vector<std::string>{"free", "fixed", "absorbing", "velocity", "traction", "displacement",
                                              "k_field"}));
  for (const std::string &name : names)
    {
      boundary::StyleArgs args;
      args.value = value_for(name);
      args.dim   = 3;
      if (name == "k_field")
        {
          args.options = {{"k", {"2*t"}}, {"tip", {"1", "0", "0"}}};
          for (int i = 0; i < 3; ++i) // isotropic, lambda = mu = 1
            {
              for (int j = 0; j < 3; ++j)
                args.stiffness[i * 6 + j] = 1;
              args.stiffness[i * 6 + i]           = 3;
              args.stiffness[(i + 3) * 6 + i + 3] = 1;
            }
        }
      const auto style = boundary::create(name, args);
      ASSERT_NE(style, nullptr) << name;
      BoundaryCondition bc;
      bc.style = name;
      bc.value = value_for(name);
      const bool prescribed = name == "fixed" || name == "velocity" || name == "displacement" || name == "k_field";
      EXPECT_EQ(bc.is_free(), name == "free") << name;
      EXPECT_EQ(bc.prescribes_velocity(), prescribed) << name;
      EXPECT_EQ(style->prescribes_displacement(), prescribed && name != "velocity") << name;
      EXPECT_EQ(style->prescribes_velocity(), bc.prescribes_velocity()) << name;
      EXPECT_EQ(style->holds_displacement(), name == "fixed") << name;
      EXPECT_EQ(style->absorbs(), name == "absorbing") << name;
      EXPECT_EQ(style->has_traction(), name == "traction") << name;
    }
  // Fixed outranks velocity at shared nodes; values are evaluated in (x, y, z, t).
  EXPECT_GT(boundary::create("fixed", {}, 2, 0)->velocity_rank(), boundary::create("velocity", {"0", "0"}, 2, 0)->velocity_rank());
  const auto v = boundary::create("velocity", value_for("velocity"), 3, 0);
  EXPECT_EQ(v->velocity(0, {2.0, 0.0, 0.0}, 0.0), 3.0);
  EXPECT_EQ(v->velocity(1, {0.0, 0.0, 0.0}, 1.5), 3.0);
  EXPECT_EQ(v->velocity(2, {0.0, 1.0, 4.0}, 0.0), -3.0);
  EXPECT_EQ(boundary::create("fixed", {}, 3, 0)->velocity(1, {1.0, 2.0, 3.0}, 1.0), 0.0);
  const auto t = boundary::create("traction", {"0.5", "t"}, 2, 0);
  EXPECT_TRUE(t->traction_depends_on_time());
  EXPECT_EQ(t->traction(1, {0.0, 0.0, 0.0}, 2.0), 2.0);
  EXPECT_FALSE(boundary::create("traction", {"0.5", "x"}, 2, 0)->traction_depends_on_time());
  // A prescribed displacement: its velocity is the time derivative (exact for a ramp, close otherwise).
  const auto u = boundary::create("displacement", {"0.1*t*x", "sin(t)"}, 2, 0);
  EXPECT_EQ(u->displacement(0, {2.0, 0.0, 0.0}, 3.0), 0.6000000000000001);
  EXPECT_NEAR(u->velocity(0, {2.0, 0.0, 0.0}, 3.0), 0.2, 1e-11);
  EXPECT_NEAR(u->velocity(1, {0.0, 0.0, 0.0}, 0.7), std::cos(0.7), 1e-8);
}

TEST(FeBoundaryRegistry, KFieldIsKTimesTheCrackTipFieldAboutItsTip)
{
  // Isotropic 2D solid, lambda = mu = 1 (kappa = 2): u_y on the crack's upper face (theta = pi) is
  // K / (2 mu) sqrt(r / 2 pi) (kappa + 1) (Anderson, Table 2.2), the lower face the opposite.
  boundary::StyleArgs args;
  args.dim     = 2;
  args.options = {{"mode", {"I"}}, {"k", {"3 + 2*t"}}, {"tip", {"5", "1"}}};
  args.stiffness[0 * 6 + 0] = args.stiffness[1 * 6 + 1] = 3;
  args.stiffness[0 * 6 + 1] = args.stiffness[1 * 6 + 0] = 1;
  args.stiffness[5 * 6 + 5] = 1;
  const auto   k  = boundary::create("k_field", args);
  const double r  = 4, t = 0.5, K = 3 + 2 * t, expected = K / 2 * std::sqrt(r / (2 * M_PI)) * 3;
  EXPECT_NEAR(k->displacement(1, {5 - r, 1 + 1e-12, 0}, t), expected, 1e-6 * expected);
  EXPECT_NEAR(k->displacement(1, {5 - r, 1 - 1e-12, 0}, t), -expected, 1e-6 * expected);
  EXPECT_NEAR(k->velocity(1, {5 - r, 1 + 1e-12, 0}, t), expected / K * 2, 1e-6 * expected);
  args.options.erase("tip");
  EXPECT_THROW(boundary::create("k_field", args), InputError);
}

TEST(FeBoundaryRegistry, UnknownStyleIsAClearError)
{
  const std::string m = message_of("absorbant", {}, 2);
  EXPECT_NE(m.find("unknown condition type 'absorbant'"), std::string::npos) << m;
  EXPECT_NE(m.find("free, fixed, absorbing, velocity, traction, displacement, k_field"), std::string::npos) << m;
  EXPECT_NE(m.find("did you mean 'absorbing'"), std::string::npos) << m;
  BoundaryCondition clamped;
  clamped.style = "clamped";
  EXPECT_THROW((void)clamped.prescribes_velocity(), InputError);
}

TEST(FeBoundaryRegistry, ValuesMustFitTheStyle)
{
  EXPECT_NE(message_of("fixed", {"0", "0"}, 2).find("fe boundary id 4: this condition takes no value, got 2"),
            std::string::npos);
  EXPECT_NE(message_of("velocity", {"0"}, 2).find("fe boundary id 4 velocity: expected 2 expressions"),
            std::string::npos);
  EXPECT_NE(message_of("traction", {"0", "1+"}, 2).find("component 1 expression '1+' is invalid"), std::string::npos);
}

TEST(FeBoundaryRegistry, DeckSchemaListsTheRegisteredStyles)
{
  // The schema is built whole: the styles the modules above config register at start-up (seam's main)
  // stand in here as in config_test.
  static const bool registered = [] {
    using namespace config;
    register_styles("md.potential", {{"lj_cut", "", {real("epsilon", Quantity::energy, "well depth").req()}}});
    register_styles("md.thermostat", {{"langevin", "", {real("temperature", Quantity::temperature, "T").req()}}});
    register_choices("coupling.damping.style", {{"none", ""}, {"fine_scale", ""}});
    register_choices("coupling.constrain_every", {{"md_step", ""}, {"fe_step", ""}});
    return true;
  }();
  ASSERT_TRUE(registered);
  const config::Entry *fe = config::deck_schema().child("fe");
  ASSERT_NE(fe, nullptr);
  const config::Entry *item = fe->child("boundary");
  ASSERT_NE(item, nullptr);
  const config::Entry *type = item->child("type");
  ASSERT_NE(type, nullptr);
  EXPECT_EQ(type->choices, boundary::style_names());
  const config::Entry *value = item->child("value");
  ASSERT_NE(value, nullptr); // declared by velocity and traction
  EXPECT_FALSE(value->required);
  EXPECT_NE(value->doc.find("velocity"), std::string::npos);
  EXPECT_NE(value->doc.find("traction"), std::string::npos);
}
