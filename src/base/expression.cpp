// muparser-backed expressions.
#include "base/expression.h"

#include <muParser.h>

#include <cmath>
#include <stdexcept>

namespace seam
{
  struct Expression::Impl
  {
    mu::Parser     parser;
    mutable double x = 0, y = 0, z = 0, t = 0;
  };

  Expression::Expression(const std::string &text)
    : impl_(std::make_unique<Impl>())
    , text_(text)
  {
    try
      {
        auto &p = impl_->parser;
        p.DefineVar("x", &impl_->x);
        p.DefineVar("y", &impl_->y);
        p.DefineVar("z", &impl_->z);
        p.DefineVar("t", &impl_->t);
        p.DefineConst("pi", M_PI);
        p.DefineConst("e", M_E);
        p.SetExpr(text);
        // Evaluating once makes muparser report syntax errors and undefined variables now.
        p.Eval();
        // muparser accepts "a, b" at the top level as several results and returns the last one; in a deck
        // that is a decimal comma ("0,01*x") or a vector written into one component: refuse it.
        if (p.GetNumResults() > 1)
          throw std::invalid_argument("a comma outside a function call: write decimals with a point (0.01, not "
                                      "0,01) and one expression per component");
        for (const auto &v : p.GetUsedVar())
          if (v.first == "t")
            uses_t_ = true;
      }
    catch (const mu::Parser::exception_type &e)
      {
        throw std::invalid_argument(e.GetMsg());
      }
  }

  Expression::~Expression()                                = default;
  Expression::Expression(Expression &&) noexcept            = default;
  Expression &Expression::operator=(Expression &&) noexcept = default;

  double Expression::operator()(double x, double y, double z, double t) const
  {
    impl_->x = x;
    impl_->y = y;
    impl_->z = z;
    impl_->t = t;
    return impl_->parser.Eval();
  }
} // namespace seam
