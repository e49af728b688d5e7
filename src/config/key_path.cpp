// Key paths and the one-line text of YAML values.
#include "config/key_path.h"

#include <cstdlib>

namespace seam::config
{
  bool split_path(const std::string &path, std::vector<Segment> &out)
  {
    out.clear();
    std::size_t i = 0;
    while (i < path.size())
      {
        if (path[i] == '[')
          {
            const auto close = path.find(']', i);
            if (close == std::string::npos)
              return false;
            char *end  = nullptr;
            long  idx  = std::strtol(path.c_str() + i + 1, &end, 10);
            if (end != path.c_str() + close || idx < 0)
              return false;
            out.push_back({"", idx});
            i = close + 1;
            if (i < path.size() && path[i] == '.')
              ++i;
            continue;
          }
        std::size_t j = i;
        while (j < path.size() && path[j] != '.' && path[j] != '[')
          ++j;
        if (j == i)
          return false;
        out.push_back({path.substr(i, j - i), -1});
        i = j < path.size() && path[j] == '.' ? j + 1 : j;
      }
    return !out.empty();
  }

  std::string join_path(const std::string &prefix, const std::string &key)
  {
    return prefix.empty() ? key : prefix + "." + key;
  }

  std::string flow_text(const YAML::Node &n)
  {
    if (!n.IsDefined() || n.IsNull())
      return "(nothing)";
    if (n.IsScalar())
      return n.Scalar();
    YAML::Emitter e;
    e.SetMapFormat(YAML::Flow);
    e.SetSeqFormat(YAML::Flow);
    e << n;
    return e.c_str();
  }

  YAML::Node flow_seq()
  {
    YAML::Node n(YAML::NodeType::Sequence);
    n.SetStyle(YAML::EmitterStyle::Flow);
    return n;
  }
} // namespace seam::config
