// `--set key.path=value` overrides, applied to the raw YAML tree of a deck before validation.
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <string>
#include <vector>

namespace seam::config
{
  /// Applies each "key.path=value" (value in YAML syntax) to `raw`, creating missing sections; list
  /// entries must exist. Returns overridden path -> "--set key.path=value", the label messages about
  /// that value carry instead of a file position.
  /// @throws InputError naming the argument for a malformed override, invalid YAML, a missing list
  ///         entry or a path through a value.
  std::map<std::string, std::string> apply_overrides(YAML::Node &raw, const std::vector<std::string> &overrides);
} // namespace seam::config
