// The console progress: durations for people, the thermo-line columns and their header.
#include "base/log.h"
#include "base/progress.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

namespace seam
{
  TEST(Progress, DurationsReadAsPeopleWriteThem)
  {
    EXPECT_EQ(format_duration(0), "0s");
    EXPECT_EQ(format_duration(42.4), "42s");
    EXPECT_EQ(format_duration(59.6), "1m00s");
    EXPECT_EQ(format_duration(185), "3m05s");
    EXPECT_EQ(format_duration(2 * 3600 + 7 * 60 + 20), "2h07m");
    EXPECT_EQ(format_duration(3 * 86400 + 4 * 3600 + 100), "3d04h");
    EXPECT_EQ(format_duration(-1), "-");
  }

  TEST(Progress, ColumnsLineUpWithTheirHeaderAndEstimateTheRemainingTime)
  {
    Progress    p(MPI_COMM_SELF, 100, 0.002, "ps");
    const auto  header = p.header();
    const auto  first  = p.columns(0);
    EXPECT_NE(header.find("steps/s"), std::string::npos) << header;
    EXPECT_NE(header.find("ps/h"), std::string::npos) << header;
    EXPECT_NE(header.find("ETA"), std::string::npos) << header;
    EXPECT_EQ(first.size(), header.size()) << "'" << header << "' vs '" << first << "'";
    EXPECT_EQ(first.find_first_not_of(" -"), std::string::npos) << "no rate before the first step: " << first;

    // 50 of 100 steps in about 0.1 s: ~500 steps/s, 500 x 0.002 x 3600 = 3600 ps/h, ~0.1 s left ("0s").
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const auto half = p.columns(50);
    EXPECT_EQ(half.size(), header.size()) << "'" << header << "' vs '" << half << "'";
    const double rate = std::stod(half.substr(0, 11));
    EXPECT_GT(rate, 100.0) << half; // generous: a loaded machine sleeps longer
    EXPECT_LT(rate, 510.0) << half;
    EXPECT_NEAR(std::stod(half.substr(11, 11)), rate * 0.002 * 3600, 1e-3 * rate * 7.2) << half;
    EXPECT_NE(half.find("s"), std::string::npos) << half;
    EXPECT_GT(p.elapsed(), 0.09);
  }

  TEST(Progress, QuietIsProcessWide)
  {
    ConsoleOptions quiet;
    quiet.quiet = true;
    Log::set_console(quiet);
    EXPECT_TRUE(Log::console().quiet);
    Log::set_console(ConsoleOptions{});
    EXPECT_FALSE(Log::console().quiet);
    EXPECT_EQ(Log::console().progress_every, 0.0);
  }
} // namespace seam
