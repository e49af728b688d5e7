// The LAMMPS potential files the EAM tests compare against, from Debian's lammps-data (the set-up
// script installs it). A missing file is a broken installation, so the tests fail on it, never skip.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <string>

namespace seam::testing
{
  /// Success if `file` can be read; otherwise a failure naming it and the package that ships it. Use
  /// as ASSERT_TRUE(potential_file_readable(file)) at the start of a test that needs the file.
  inline ::testing::AssertionResult potential_file_readable(const std::string &file)
  {
    if (std::ifstream(file).good())
      return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "cannot read the LAMMPS potential file " << file
                                         << ": install Debian's lammps-data (apt-get install lammps-data)";
  }
} // namespace seam::testing
