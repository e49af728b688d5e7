// Counter-based random numbers: a value is a pure function of (seed, atom id, step, ...), so results do
// not depend on how atoms are distributed over ranks.
#pragma once

#include <cstdint>

namespace seam::md
{
  /// SplitMix64 finaliser (Steele, Lea & Flood 2014, "Fast splittable pseudorandom number generators",
  /// OOPSLA): a bijective 64-bit mix with good avalanche, used to hash counters into random bits.
  inline std::uint64_t splitmix64(std::uint64_t z)
  {
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  /// Uniform in [0, 1) from 64 random bits (their top 53).
  inline double unit_uniform(std::uint64_t bits) { return static_cast<double>(bits >> 11) * 0x1.0p-53; }
} // namespace seam::md
