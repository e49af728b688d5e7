// Key paths of a deck ("fe.boundary[0].type") and the one-line text of YAML values, shared by the deck,
// its validator and the --set overrides.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

namespace seam::config
{
  /// One segment of a key path: a map key, or a list index.
  struct Segment
  {
    std::string key;
    long        index = -1; ///< >= 0 for "[i]"
  };

  /// "fe.boundary[0].type" -> {fe}{boundary}{[0]}{type}. Returns false on a malformed path.
  bool split_path(const std::string &path, std::vector<Segment> &out);

  /// "prefix.key", or "key" at the top level (empty prefix).
  std::string join_path(const std::string &prefix, const std::string &key);

  /// A value as one line of YAML for messages: scalars as written, maps and lists in flow style,
  /// "(nothing)" for a missing or null node.
  std::string flow_text(const YAML::Node &n);

  /// An empty sequence emitted in flow style ([a, b]).
  YAML::Node flow_seq();
} // namespace seam::config
