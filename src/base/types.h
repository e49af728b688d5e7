// Scalar and index types shared by every module.
#pragma once

#include <array>
#include <cstdint>

namespace seam
{
  /// Index into a per-rank array (atoms owned and ghost, local nodes): 32 bits are plenty per rank.
  using LocalIndex = std::int32_t;
  /// Globally unique atom id: 64 bits, so a run can exceed 2^31 atoms.
  using GlobalId = std::int64_t;
  /// A point or vector in 3D; 1D and 2D runs leave the trailing components zero.
  using Vec3 = std::array<double, 3>;
} // namespace seam
