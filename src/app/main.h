// The seam command line: `seam run DECK`, `seam check DECK`, `seam schema`, `seam --version`.
#pragma once

namespace seam::app
{
  /// Runs the command line. Initialises MPI (through deal.II, with PETSc and p4est) and finalises it.
  /// Input errors: every rank reaches the same verdict, rank 0 prints it, returns 1 on every rank.
  int main(int argc, char **argv);
} // namespace seam::app
