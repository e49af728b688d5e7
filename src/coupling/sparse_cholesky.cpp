// CHOLMOD behind seam::coupling::SparseCholesky.
#include "coupling/sparse_cholesky.h"

#include "base/error.h"

#include <cholmod.h>
#include <cstring>
#include <string>

namespace seam::coupling
{
  struct SparseCholesky::Impl
  {
    cholmod_common  common;
    cholmod_factor *factor = nullptr;
    Impl()
    {
      cholmod_start(&common);
      // Simplicial L L^T: the band's S is small (10^3-10^4 rows) and solved many times with a few
      // right-hand sides, where the supernodal solve's BLAS calls cost more than they save.
      common.supernodal = CHOLMOD_SIMPLICIAL;
      common.final_ll   = 1;
    }
    ~Impl()
    {
      if (factor != nullptr)
        cholmod_free_factor(&factor, &common);
      cholmod_finish(&common);
    }
  };

  SparseCholesky::SparseCholesky()
    : impl_(std::make_unique<Impl>())
  {}

  SparseCholesky::~SparseCholesky() = default;

  void SparseCholesky::factorize(const std::vector<std::map<unsigned, double>> &rows)
  {
    cholmod_common &c = impl_->common;
    if (impl_->factor != nullptr)
      cholmod_free_factor(&impl_->factor, &c);
    n_ = rows.size();
    // S symmetric: row i's entries with column j <= i are column i's entries with row j <= i of the
    // upper triangle, stored in compressed columns (stype = 1: upper part used).
    std::size_t nnz = 0;
    for (std::size_t i = 0; i < n_; ++i)
      for (const auto &[j, v] : rows[i])
        nnz += j <= i ? 1 : 0;
    cholmod_sparse *a = cholmod_allocate_sparse(n_, n_, nnz, 1, 1, 1, CHOLMOD_REAL, &c);
    if (a == nullptr)
      throw RuntimeError("handshake: CHOLMOD could not allocate the constraint matrix");
    auto *p = static_cast<int *>(a->p);
    auto *r = static_cast<int *>(a->i);
    auto *x = static_cast<double *>(a->x);
    std::size_t k = 0;
    row_start_.assign(1, 0);
    col_.clear();
    val_.clear();
    for (std::size_t i = 0; i < n_; ++i)
      {
        p[i] = static_cast<int>(k);
        for (const auto &[j, v] : rows[i]) // ascending j: sorted columns
          {
            if (j <= i)
              {
                r[k] = static_cast<int>(j);
                x[k] = j == i ? v * (1.0 + shift_) : v;
                ++k;
              }
            if (j < n_)
              {
                col_.push_back(j);
                val_.push_back(v);
              }
          }
        row_start_.push_back(col_.size());
      }
    p[n_] = static_cast<int>(k);
    impl_->factor = cholmod_analyze(a, &c);
    const int ok  = impl_->factor != nullptr && cholmod_factorize(a, impl_->factor, &c);
    cholmod_free_sparse(&a, &c);
    if (!ok || c.status != CHOLMOD_OK || impl_->factor->minor < n_)
      throw RuntimeError("handshake: the constraint matrix S is not positive definite (CHOLMOD status " +
                         std::to_string(c.status) + ", column " +
                         std::to_string(impl_->factor != nullptr ? impl_->factor->minor : 0) + " of " +
                         std::to_string(n_) + "); please report this with the deck");
  }

  void SparseCholesky::solve(std::vector<double> &b, unsigned n_rhs) const
  {
    SEAM_ASSERT(impl_->factor != nullptr && b.size() == n_ * n_rhs, "SparseCholesky::solve: bad call");
    if (n_ == 0)
      return;
    // x = F^-1 b, then one step of iterative refinement x += F^-1 (b - S x) with the unshifted S.
    std::vector<double> r = b;
    solve_factor(b, n_rhs);
    for (unsigned col = 0; col < n_rhs; ++col)
      for (std::size_t i = 0; i < n_; ++i)
        {
          double sx = 0;
          for (std::size_t k = row_start_[i]; k < row_start_[i + 1]; ++k)
            sx += val_[k] * b[col * n_ + col_[k]];
          r[col * n_ + i] -= sx;
        }
    solve_factor(r, n_rhs);
    for (std::size_t k = 0; k < b.size(); ++k)
      b[k] += r[k];
  }

  void SparseCholesky::solve_factor(std::vector<double> &b, unsigned n_rhs) const
  {
    cholmod_common &c = impl_->common;
    cholmod_dense   rhs{};
    rhs.nrow  = n_;
    rhs.ncol  = n_rhs;
    rhs.nzmax = n_ * n_rhs;
    rhs.d     = n_;
    rhs.x     = b.data();
    rhs.xtype = CHOLMOD_REAL;
    rhs.dtype = CHOLMOD_DOUBLE;
    cholmod_dense *sol = cholmod_solve(CHOLMOD_A, impl_->factor, &rhs, &c);
    if (sol == nullptr)
      throw RuntimeError("handshake: CHOLMOD solve failed (status " + std::to_string(c.status) + ")");
    std::memcpy(b.data(), sol->x, sizeof(double) * n_ * n_rhs);
    cholmod_free_dense(&sol, &c);
  }

  std::size_t SparseCholesky::factor_nonzeros() const
  {
    if (impl_->factor == nullptr)
      return 0;
    const cholmod_factor *f = impl_->factor;
    if (f->is_super)
      return f->xsize;
    return f->nzmax;
  }
} // namespace seam::coupling
