// A sparse symmetric positive definite factorisation for the handshake's constraint matrix: a thin
// wrapper of CHOLMOD (no deal.II), factorised once, solved many times with several right-hand sides.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <vector>

namespace seam::coupling
{
  /// Sparse Cholesky factorisation L L^T = P S P^T of a symmetric positive definite matrix, by
  /// CHOLMOD's supernodal method with its fill-reducing ordering (Chen, Davis, Hager & Rajamanickam
  /// 2008, "CHOLMOD, supernodal sparse Cholesky factorization and update/downdate", ACM TOMS 35:22;
  /// Debian's libsuitesparse-dev, which deal.II depends on). One object per matrix; not collective
  /// (every rank that holds the matrix factorises its own copy).
  class SparseCholesky
  {
  public:
    SparseCholesky();
    ~SparseCholesky();
    SparseCholesky(const SparseCholesky &)            = delete;
    SparseCholesky &operator=(const SparseCholesky &) = delete;

    /// Factorises S given by its full symmetric rows (column -> value). A positive semi-definite S
    /// (the handshake's S is singular when some FE field vanishes at every atom, e.g. Q2 bubbles, and
    /// its right-hand sides then lie in its range) is factorised as F = S + shift diag(S): the solve
    /// refines against S itself, so the solution satisfies S x = b to about shift^2 cond(S).
    /// @throws seam::RuntimeError if F is not positive definite (naming the failing column).
    void factorize(const std::vector<std::map<unsigned, double>> &rows);
    /// Solves S X = B in place for `n_rhs` right-hand sides stored column by column (b[k n + i] is
    /// row i of column k, n = rows().size()): F^-1 and one step of iterative refinement with S.
    /// @pre factorize() succeeded.
    void solve(std::vector<double> &b, unsigned n_rhs) const;
    /// Number of rows n.
    std::size_t size() const { return n_; }
    /// Nonzeros of the factor L (diagnostic).
    std::size_t factor_nonzeros() const;

    /// The relative diagonal shift of the factorised matrix (see factorize()).
    static constexpr double shift_ = 1e-10;

  private:
    /// b = F^-1 b (n_rhs columns).
    void solve_factor(std::vector<double> &b, unsigned n_rhs) const;
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::size_t           n_ = 0;
    std::vector<std::size_t> row_start_; // S in compressed rows, for the refinement
    std::vector<unsigned>    col_;
    std::vector<double>      val_;
  };
} // namespace seam::coupling
