// `--set` overrides of deck keys.
#include "config/overrides.h"

#include "base/error.h"
#include "config/key_path.h"

#include <fmt/format.h>

namespace seam::config
{
  namespace
  {
    /// The YAML value of an override, or the InputError for invalid YAML.
    YAML::Node override_value(const std::string &label, const std::string &key, const std::string &text)
    {
      try
        {
          return YAML::Load(text);
        }
      catch (const YAML::Exception &e)
        {
          throw InputError(SourceMark{label}, key, text, "the value is not valid YAML: " + e.msg,
                           "a YAML value: 0.5, fixed, [1, 2, 3], \"sin(x)\"", "quote the value for your shell");
        }
    }

    /// Sets `value` at the path `segs` under `raw`, creating sections on the way.
    void set_at(YAML::Node &raw, const std::vector<Segment> &segs, const YAML::Node &value, const std::string &label,
                const std::string &key)
    {
      YAML::Node cur;
      cur.reset(raw);
      for (std::size_t i = 0; i < segs.size(); ++i)
        {
          const bool last = i + 1 == segs.size();
          if (segs[i].index >= 0)
            {
              if (!cur.IsSequence() || static_cast<std::size_t>(segs[i].index) >= cur.size())
                throw InputError(SourceMark{label}, key, "",
                                 fmt::format("the deck has no list entry [{}] there", segs[i].index),
                                 "an index of an existing list entry", "check the index (counting from 0)");
              if (last)
                cur[segs[i].index] = value;
              else
                {
                  YAML::Node next = cur[segs[i].index];
                  cur.reset(next);
                }
              continue;
            }
          if (!cur.IsMap())
            {
              if (cur.IsNull())
                cur = YAML::Node(YAML::NodeType::Map);
              else
                throw InputError(SourceMark{label}, key, "", "the path runs through a value that is not a section",
                                 "a path of section names ending at a key", "check the key path with seam schema");
            }
          if (last)
            cur[segs[i].key] = value;
          else
            {
              if (!cur[segs[i].key])
                cur[segs[i].key] = YAML::Node(YAML::NodeType::Map);
              YAML::Node next = cur[segs[i].key];
              cur.reset(next);
            }
        }
    }
  } // namespace

  std::map<std::string, std::string> apply_overrides(YAML::Node &raw, const std::vector<std::string> &overrides)
  {
    std::map<std::string, std::string> override_marks;
    for (const auto &arg : overrides)
      {
        const std::string    label = "--set " + arg;
        const auto           eq    = arg.find('=');
        std::vector<Segment> segs;
        if (eq == std::string::npos || !split_path(arg.substr(0, eq), segs) || segs.front().index >= 0)
          throw InputError(SourceMark{label}, "", arg, "a --set override must be key.path=value",
                           "key.path=value, e.g. --set md.time_step=0.001 or --set fe.boundary[0].type=fixed",
                           "write the full key path, '=', then the value in YAML syntax");
        const std::string key   = arg.substr(0, eq);
        const YAML::Node  value = override_value(label, key, arg.substr(eq + 1));
        if (!raw.IsDefined() || raw.IsNull())
          raw = YAML::Node(YAML::NodeType::Map);
        set_at(raw, segs, value, label, key);
        override_marks[key] = label;
      }
    return override_marks;
  }
} // namespace seam::config
