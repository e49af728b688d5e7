// The registry of band absorbers.
#include "coupling/band_damping.h"

#include "coupling/band_dashpot.h"
#include "coupling/fine_scale_damping.h"

#include <functional>
#include <stdexcept>
#include <utility>

namespace seam::coupling
{
  namespace
  {
    using Factory = std::function<std::unique_ptr<md::Fix>(const BandDampingContext &)>;
    struct Style
    {
      std::string name, doc;
      Factory     make;
    };
    const std::vector<Style> &registry()
    {
      static const std::vector<Style> list = {
        {"none", "no absorber", [](const BandDampingContext &) { return std::unique_ptr<md::Fix>(); }},
        {"fine_scale", "band atoms' velocity relative to the FE velocity damped once per FE step, ramped with 1 - alpha (strength); "
         "the former default, kept for comparison (it can pump energy in)",
         [](const BandDampingContext &c) { return std::make_unique<FineScaleDamping>(c); }},
        {"dashpot",
         "a graded dashpot between each band atom and the continuum at its site, rate (1 - alpha)^2 x strength x 6 c "
         "/ h (h = fe.element_size.near); momentum-conserving, only removes energy (the default)",
         [](const BandDampingContext &c) { return std::make_unique<BandDashpot>(c); }},
      };
      return list;
    }
  } // namespace

  std::unique_ptr<md::Fix> create_band_damping(const std::string &style, const BandDampingContext &context)
  {
    for (const Style &s : registry())
      if (s.name == style)
        return s.make(context);
    throw std::invalid_argument("unknown coupling.damping.style '" + style + "'");
  }

  std::vector<std::pair<std::string, std::string>> band_damping_styles()
  {
    std::vector<std::pair<std::string, std::string>> styles;
    for (const Style &s : registry())
      styles.emplace_back(s.name, s.doc);
    return styles;
  }
} // namespace seam::coupling
