// Formatting of input errors and the assertion handler.
#include "base/error.h"

#include <fmt/format.h>

#include <cstdlib>
#include <iostream>

namespace seam
{
  std::string SourceMark::str() const
  {
    if (line <= 0)
      return file;
    if (column <= 0)
      return fmt::format("{}:{}", file, line);
    return fmt::format("{}:{}:{}", file, line, column);
  }

  namespace
  {
    std::string format_input_error(const SourceMark &where, const std::string &key,
                                   const std::string &value, const std::string &problem,
                                   const std::string &expected, const std::string &fix)
    {
      // The key is named up front unless the problem text already names it.
      const bool  named = key.empty() || problem.find(key) != std::string::npos;
      std::string msg   = fmt::format("{}: {}{}", where.str(), named ? "" : "at " + key + ": ", problem);
      if (!value.empty())
        msg += fmt::format("\n  value:    {}", value);
      if (!expected.empty())
        msg += fmt::format("\n  expected: {}", expected);
      if (!fix.empty())
        msg += fmt::format("\n  fix:      {}", fix);
      return msg;
    }
  } // namespace

  InputError::InputError(const SourceMark &where, const std::string &key, const std::string &value,
                         const std::string &problem, const std::string &expected, const std::string &fix)
    : std::runtime_error(format_input_error(where, key, value, problem, expected, fix))
    , key_(key)
  {}

  InputError::InputError(const std::string &message)
    : std::runtime_error(message)
  {}

  void assertion_failed(const char *condition, const char *file, int line, const std::string &message)
  {
    std::cerr << fmt::format("seam: internal error: assertion '{}' failed at {}:{}: {}\n", condition,
                             file, line, message)
              << std::flush;
    std::abort();
  }
} // namespace seam
