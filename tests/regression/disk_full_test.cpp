// A full disk in a coupled run (np 2: 1 MD + 1 FE rank): the output directory is a 3 MB tmpfs, which the
// second continuum frame overflows. Every rank stops at that frame (agreed over the world), one message
// names the file and says the file system is full, no HDF5 trace and no crash, exit 1; what was written
// before stays readable (continuum.xdmf lists only complete frames). Needs root to mount a tmpfs (skipped
// otherwise).
#include "support/subprocess.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace fs = std::filesystem;

namespace
{
  std::size_t count(const std::string &text, const std::string &what)
  {
    std::size_t n = 0;
    for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1))
      ++n;
    return n;
  }

  TEST(DiskFull, CoupledRunStopsOnceWithAReadableOutputSoFar)
  {
    const fs::path mnt = fs::temp_directory_path() / "seam_disk_full_test";
    std::system(("umount " + mnt.string() + " 2>/dev/null").c_str());
    fs::create_directories(mnt);
    if (std::system(("mount -t tmpfs -o size=3m tmpfs " + mnt.string() + " 2>/dev/null").c_str()) != 0)
      GTEST_SKIP() << "cannot mount a tmpfs here (not root?)";
    const std::string out  = (mnt / "out").string();
    const std::string deck = std::string(SEAM_SOURCE_DIR) + "/inputs/coupled/hex_2d_wave.yaml";
    const auto        r    = seam::testing::run_seam(
      2,
      "run " + deck + " --set output.directory=" + out +
        " --set run.steps=400 --set output.fields_every=20 --set output.thermo_every=20",
      (fs::temp_directory_path() / "seam_disk_full_work").string(), 120);
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_EQ(count(r.output, "seam: run-time error"), 1u) << r.output;
    EXPECT_NE(r.output.find("the file system holding it is full"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("step 20: output error"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("HDF5-DIAG"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("MPI_ABORT"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("Segmentation"), std::string::npos) << r.output;
    std::ifstream     xdmf(out + "/continuum.xdmf");
    std::stringstream text;
    text << xdmf.rdbuf();
    EXPECT_NE(text.str().find("continuum_00000000.h5"), std::string::npos) << text.str();
    EXPECT_EQ(text.str().find("continuum_00000020.h5"), std::string::npos) << "a failed frame is listed";
    std::ifstream thermo(out + "/thermo.csv");
    EXPECT_TRUE(thermo.good());
    std::system(("umount " + mnt.string()).c_str());
  }
} // namespace
