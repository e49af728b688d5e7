// The registry of band absorbers.
#include "coupling/band_damping.h"

#include "coupling/fine_scale_damping.h"

#include <functional>
#include <stdexcept>
#include <utility>

namespace seam::coupling
{
  namespace
  {
    using Factory = std::function<std::unique_ptr<md::Fix>(const BandDampingContext &)>;
    const std::vector<std::pair<std::string, Factory>> &registry()
    {
      static const std::vector<std::pair<std::string, Factory>> list = {
        {"none", [](const BandDampingContext &) { return std::unique_ptr<md::Fix>(); }},
        {"fine_scale", [](const BandDampingContext &c) { return std::make_unique<FineScaleDamping>(c); }},
      };
      return list;
    }
  } // namespace

  std::unique_ptr<md::Fix> create_band_damping(const std::string &style, const BandDampingContext &context)
  {
    for (const auto &[name, make] : registry())
      if (name == style)
        return make(context);
    throw std::invalid_argument("unknown coupling.damping.style '" + style + "'");
  }

  std::vector<std::string> band_damping_styles()
  {
    std::vector<std::string> names;
    for (const auto &e : registry())
      names.push_back(e.first);
    return names;
  }
} // namespace seam::coupling
