// The deck loader: defaults, unit-dependent defaults, overrides, accessors and "did you mean".
#include "config/deck.h"
#include "config/schema.h"

#include <gtest/gtest.h>

using seam::InputError;
using seam::config::Deck;

namespace
{
  // config sits below md: the md module registers every potential's keys at start-up
  // (md::register_potential_keys, md::register_fix_keys). This md-free test registers the styles its decks use.
  const bool lj_cut_registered = [] {
    using namespace seam::config;
    register_styles("md.potential",
                    {{"lj_cut", "", {real("epsilon", seam::Quantity::energy, "well depth").above(0).req(),
                                     real("sigma", seam::Quantity::length, "zero-crossing distance").above(0).req(),
                                     real("cutoff", seam::Quantity::length, "cutoff radius").above(0).req()}}});
    register_styles("md.thermostat", {{"langevin", "", {real("temperature", seam::Quantity::temperature, "T").req()}}});
    register_choices("coupling.damping.style", {{"none", ""}, {"fine_scale", ""}});
    register_choices("coupling.constrain_every", {{"md_step", ""}, {"fe_step", ""}});
    return true;
  }();

  const std::string md_deck = R"(units: lj
dimension: 2
md:
  lattice: {style: hex, constant: 1.1}
  region: {lo: [0, 0], hi: [10, 10]}
  boundary: [periodic, free]
  mass: 1
  potential: {style: lj_cut, epsilon: 1, sigma: 1, cutoff: 2.5}
run: {steps: 10}
)";

  std::string message_of(const std::string &text, const std::vector<std::string> &overrides = {})
  {
    try
      {
        Deck::from_text(text, "deck.yaml", overrides);
      }
    catch (const InputError &e)
      {
        return e.what();
      }
    return "";
  }
} // namespace

TEST(Deck, FillsDefaultsByUnitSystem)
{
  const Deck d = Deck::from_text(md_deck, "deck.yaml");
  EXPECT_EQ(d.dimension(), 2);
  EXPECT_EQ(d.units(), seam::UnitSystem::lj);
  EXPECT_DOUBLE_EQ(d.real("md.time_step"), 0.005); // lj default
  EXPECT_DOUBLE_EQ(d.real("md.neighbor.skin"), 0.3);
  const Deck m = Deck::from_text(md_deck + "", "deck.yaml", {"units=metal"});
  EXPECT_DOUBLE_EQ(m.real("md.time_step"), 0.001); // metal default
  EXPECT_DOUBLE_EQ(m.real("md.neighbor.skin"), 1.0);
  EXPECT_EQ(d.strings("md.boundary"), (std::vector<std::string>{"periodic", "free"}));
  EXPECT_EQ(d.reals("initial.displacement").size(), 2u); // vector defaults have `dimension` entries
  EXPECT_EQ(d.strings("initial.displacement"), (std::vector<std::string>{"0", "0"}));
  EXPECT_FALSE(d.has("fe"));
  EXPECT_FALSE(d.has("md.thermostat"));
  EXPECT_TRUE(d.is_auto("parallel.md_ranks"));
  EXPECT_EQ(d.integer("output.fields_every"), 1000);
}

TEST(Deck, OverridesReachNestedKeysAndListEntries)
{
  const std::string fe_deck = R"(dimension: 2
fe:
  domain: {lo: [0, 0], hi: [10, 10]}
  element_size: {near: 1, far: 2}
  material: {style: isotropic, youngs_modulus: 100, poisson_ratio: 0.25, density: 1}
  boundary:
    - {faces: [x_lo], type: fixed}
run: {steps: 10}
)";
  const Deck d = Deck::from_text(fe_deck, "deck.yaml",
                                 {"fe.boundary[0].type=absorbing", "fe.domain.hi=[20, 30]", "output.directory=o"});
  EXPECT_EQ(d.string("fe.boundary[0].type"), "absorbing");
  EXPECT_EQ(d.reals("fe.domain.hi"), (std::vector<double>{20, 30}));
  EXPECT_EQ(d.string("output.directory"), "o");
  EXPECT_EQ(d.mark("fe.boundary[0].type").file, "--set fe.boundary[0].type=absorbing");
  EXPECT_EQ(d.mark("fe.domain.lo").line, 3); // values keep their deck position
}

TEST(Deck, NormalisedDeckIsAFixedPoint)
{
  const Deck d  = Deck::from_text(md_deck, "deck.yaml");
  const Deck d2 = Deck::from_text(d.normalised(), "normalised.yaml");
  EXPECT_EQ(d.normalised(), d2.normalised());
  EXPECT_EQ(d.hash(), d2.hash());
  const Deck d3 = Deck::from_text(md_deck, "deck.yaml", {"md.mass=2"});
  EXPECT_NE(d.hash(), d3.hash());
}

TEST(Deck, ErrorsNameFileLineKeyValueExpectationAndFix)
{
  std::string text = md_deck;
  text.replace(text.find("mass: 1"), 7, "mass: -1");
  const std::string m = message_of(text);
  EXPECT_NE(m.find("deck.yaml:7:9"), std::string::npos) << m;
  EXPECT_NE(m.find("md.mass"), std::string::npos) << m;
  EXPECT_NE(m.find("value:    -1"), std::string::npos) << m;
  EXPECT_NE(m.find("expected: a real number > 0 (mass: m)"), std::string::npos) << m;
  EXPECT_NE(m.find("fix:"), std::string::npos) << m;
}

TEST(Deck, BadOverrideIsReportedAsTheCommandLineArgument)
{
  const std::string m = message_of(md_deck, {"md.mass"});
  EXPECT_NE(m.find("--set md.mass"), std::string::npos) << m;
  EXPECT_NE(m.find("key.path=value"), std::string::npos) << m;
}

TEST(Deck, StepsNotAMultipleOfSubstepsNearTheLargestLong)
{
  // The multiple above LONG_MAX does not exist: the fix names the one below (no signed overflow).
  const std::string coupled = R"(units: lj
dimension: 2
md:
  lattice: {style: hex, constant: 1.1}
  region: {lo: [-10, -10], hi: [10, 10]}
  mass: 1
  potential: {style: lj_cut, epsilon: 1, sigma: 1, cutoff: 2.5}
fe:
  domain: {lo: [-50, -50], hi: [50, 50]}
  element_size: {near: 2, far: 10}
  material: {style: isotropic, youngs_modulus: 1.0, poisson_ratio: 0.3, density: 0.1}
coupling: {handshake: {width: 3}, substeps: 10}
run: {steps: 9223372036854775807}
)";
  const std::string m = message_of(coupled);
  EXPECT_NE(m.find("multiple of coupling.substeps"), std::string::npos) << m;
  ASSERT_NE(m.rfind("fix:"), std::string::npos) << m;
  EXPECT_EQ(m.substr(m.rfind("fix:")), "fix:      use 9223372036854775800");
  EXPECT_NE(message_of(coupled, {"run.steps=105"}).find("use 100 or 110"), std::string::npos);
}

TEST(DidYouMean, FindsCloseWordsOnly)
{
  using seam::config::did_you_mean;
  EXPECT_EQ(did_you_mean("time_stpe", {"time_step", "mass", "neighbor"}), "time_step");
  EXPECT_EQ(did_you_mean("Mass", {"time_step", "mass"}), "mass");
  EXPECT_EQ(did_you_mean("lj", {"lj_cut", "morse", "eam"}), "lj_cut");
  EXPECT_EQ(did_you_mean("velocity_verlet", {"fcc", "bcc", "sc"}), "");
}

TEST(Schema, EveryValueHasADocAndRequiredOrDefaultIsConsistent)
{
  std::function<void(const seam::config::Entry &, const std::string &)> walk =
    [&](const seam::config::Entry &e, const std::string &path) {
      for (const auto &c : e.children)
        {
          const std::string p = path.empty() ? c.name : path + "." + c.name;
          EXPECT_FALSE(c.doc.empty()) << p << " has no doc";
          if (c.kind == seam::config::Entry::Kind::value)
            {
              EXPECT_FALSE(c.required && c.has_default()) << p << " is required and has a default";
            }
          walk(c, p);
        }
      for (const auto &[style, keys] : e.variants)
        walk(seam::config::section("", "", keys), path);
    };
  walk(seam::config::deck_schema(), "");
}

TEST(Schema, RegisteredStylesBecomeTheVariantsOfTheirSection)
{
  ASSERT_TRUE(lj_cut_registered);
  const seam::config::Entry *potential = seam::config::deck_schema().child("md")->child("potential");
  ASSERT_NE(potential, nullptr);
  ASSERT_EQ(potential->variants.size(), 1u);
  EXPECT_EQ(potential->variants[0].first, "lj_cut");
  EXPECT_EQ(potential->child("style")->choices, (std::vector<std::string>{"lj_cut"}));
  // Registering once the schema is built would be silently ignored: it is an error instead.
  EXPECT_THROW(seam::config::register_styles("md.potential", {}), std::logic_error);
  const std::string m = message_of(md_deck + "", {"md.potential.sigmaa=1"});
  EXPECT_NE(m.find("did you mean 'sigma'?"), std::string::npos) << m;
}
