// The boundary-condition registry (fe/boundary/registry.h): every style is created by name and answers
// for itself; unknown styles and misfitting values give clear errors; the deck schema lists the styles.
// deal.II-free: the registry must stay usable from config.
#include "base/error.h"
#include "config/schema.h"
#include "fe/boundary/boundary_condition.h"
#include "fe/boundary/registry.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace seam;
using namespace seam::fe;

namespace
{
  std::vector<std::string> value_for(const std::string &style)
  {
    return style == "velocity" || style == "traction" ? std::vector<std::string>{"1+x", "2*t", "y-z"} :
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
  EXPECT_EQ(names, (std::vector<std::string>{"free", "fixed", "absorbing", "velocity", "traction"}));
  for (const std::string &name : names)
    {
      const auto style = boundary::create(name, value_for(name), 3, 0);
      ASSERT_NE(style, nullptr) << name;
      const BoundaryCondition bc{name, value_for(name)};
      EXPECT_EQ(bc.is_free(), name == "free") << name;
      EXPECT_EQ(bc.prescribes_velocity(), name == "fixed" || name == "velocity") << name;
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
}

TEST(FeBoundaryRegistry, UnknownStyleIsAClearError)
{
  const std::string m = message_of("absorbant", {}, 2);
  EXPECT_NE(m.find("unknown condition type 'absorbant'"), std::string::npos) << m;
  EXPECT_NE(m.find("free, fixed, absorbing, velocity, traction"), std::string::npos) << m;
  EXPECT_NE(m.find("did you mean 'absorbing'"), std::string::npos) << m;
  const BoundaryCondition clamped{"clamped", {}};
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
