// Scalar expressions of the reference coordinates x, y, z and time t, as written in decks (muparser
// syntax, the same as deal.II's FunctionParser), usable without deal.II (the MD module).
#pragma once

#include <memory>
#include <string>

namespace seam
{
  /// A compiled muparser expression f(x, y, z, t). Evaluation is not thread-safe (one instance per
  /// thread). Constants `pi` and `e` are defined.
  class Expression
  {
  public:
    /// @throws std::invalid_argument with muparser's message if `text` does not parse or uses a
    /// variable other than x, y, z, t.
    explicit Expression(const std::string &text);
    ~Expression();
    Expression(Expression &&) noexcept;
    Expression &operator=(Expression &&) noexcept;

    double operator()(double x, double y, double z, double t) const;

    /// True if the expression does not use t (it can be evaluated once).
    bool is_time_independent() const { return !uses_t_; }
    const std::string &text() const { return text_; }

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::string           text_;
    bool                  uses_t_ = false;
  };
} // namespace seam
