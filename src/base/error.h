// Error types: input errors (the deck asks for something invalid) and run-time errors (something went
// wrong while running), plus the internal-invariant assertion macro.
#pragma once

#include <stdexcept>
#include <string>

namespace seam
{
  /// Where a value of the input came from: a deck file position or a command-line override.
  struct SourceMark
  {
    std::string file;     ///< deck path, or "--set" for command-line overrides
    int         line = 0; ///< 1-based; 0 when unknown
    int         column = 0;
    std::string str() const; ///< "deck.yaml:12:5"; "data.lmp:12" without a column; "deck.yaml" without a line
  };

  /// An input error: every rank parses the same text and must reach the same verdict, so this is
  /// thrown on all ranks alike and printed once by rank 0. The message names where (file:line:column
  /// and key path), the offending value, what was expected and how to fix it.
  class InputError : public std::runtime_error
  {
  public:
    InputError(const SourceMark &where, const std::string &key, const std::string &value,
               const std::string &problem, const std::string &expected, const std::string &fix);
    /// An input error that is not about one key (e.g. a deck file that cannot be read).
    explicit InputError(const std::string &message);

    const std::string &key() const { return key_; }

  private:
    std::string key_;
  };

  /// A run-time failure (lost atoms, NaN, I/O). The driver prints it with the partition/rank prefix and
  /// aborts both partitions.
  class RuntimeError : public std::runtime_error
  {
  public:
    using std::runtime_error::runtime_error;
  };

  [[noreturn]] void assertion_failed(const char *condition, const char *file, int line,
                                     const std::string &message);
} // namespace seam

/// Internal invariant check, active in Debug builds; the message should print the values involved.
#ifndef NDEBUG
#  define SEAM_ASSERT(cond, msg)                                                   \
    do                                                                             \
      {                                                                            \
        if (!(cond))                                                               \
          ::seam::assertion_failed(#cond, __FILE__, __LINE__, (msg));              \
      }                                                                            \
    while (false)
#else
#  define SEAM_ASSERT(cond, msg)                                                   \
    do                                                                             \
      {                                                                            \
      }                                                                            \
    while (false)
#endif
