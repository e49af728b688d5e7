// The executable as a job: a run-time error on any rank of either partition ends every rank quickly with
// a prefixed message; --version, schema and check behave as documented.
#include "support/subprocess.h"

#include <cstdlib>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using seam::testing::quote;
using seam::testing::run_seam;

namespace
{
  const std::string deck = std::string(SEAM_SOURCE_DIR) + "/tests/decks/good/coupled_2d.yaml";

  std::string workdir(const std::string &name)
  {
    const auto p = fs::temp_directory_path() / ("seam_job_" + name);
    fs::remove_all(p);
    return p.string();
  }

  // np 3 = 1 MD + 2 FE; np 4 = 1 MD + 3 FE. Each partition's failing rank ends the whole job.
  struct Failure
  {
    int         np;
    std::string where;
    std::string prefix;
  };

  class InjectedFailure : public ::testing::TestWithParam<Failure>
  {};

  TEST_P(InjectedFailure, EndsEveryRankOfBothPartitions)
  {
    const auto &f = GetParam();
    const auto  r = run_seam(f.np, "run " + quote(deck) + " --debug-fail " + f.where, workdir("fail"), 60);
    EXPECT_NE(r.exit_code, 0) << r.output;
    EXPECT_NE(r.exit_code, -1) << "killed by the timeout: the job hung\n" << r.output;
    // "Within seconds": start-up of 4 MPI processes with deal.II/PETSc takes ~1-2 s here; 20 s is the
    // bound that separates an abort from a hang (the timeout is 60 s).
    EXPECT_LT(r.seconds, 20.0) << r.output;
    EXPECT_NE(r.output.find(f.prefix + " error: failure injected"), std::string::npos) << r.output;
  }

  INSTANTIATE_TEST_SUITE_P(Ranks, InjectedFailure,
                           ::testing::Values(Failure{2, "md:0", "[md 0/1]"}, Failure{3, "fe:1", "[fe 1/2]"},
                                             Failure{4, "fe:2", "[fe 2/3]"}, Failure{4, "fe:0", "[fe 0/3]"}));

  // A rank fails inside an agreed phase while the other ranks of its partition wait in a collective it
  // never enters (np 3: FE rank 1 fails, FE rank 0 waits in a barrier of the FE ranks): the agreement's
  // watchdog (SEAM_AGREE_TIMEOUT, 3 s here) prints the error and ends the job instead of hanging.
  TEST(InjectedFailure, InsideAnAgreedPhaseTheWatchdogEndsTheJob)
  {
    setenv("SEAM_AGREE_TIMEOUT", "3", 1); // inherited by the launcher and its ranks
    const auto r = run_seam(3, "run " + quote(deck) + " --debug-fail stuck:fe:1", workdir("stuck"), 60);
    unsetenv("SEAM_AGREE_TIMEOUT");
    EXPECT_NE(r.exit_code, 0) << r.output;
    EXPECT_NE(r.exit_code, -1) << "killed by the timeout: the job hung\n" << r.output;
    EXPECT_LT(r.seconds, 25.0) << r.output;
    EXPECT_NE(r.output.find("[fe 1/2] error: failure injected"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("did not reach the error agreement within 3 s"), std::string::npos) << r.output;
  }

  TEST(Cli, VersionPrintsTheVersion)
  {
    const auto r = run_seam(1, "--version", workdir("version"));
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.output.rfind("seam ", 0), 0u) << r.output;
  }

  TEST(Cli, DocsDeckMdIsTheSchemaOutput)
  {
    const auto    r = run_seam(1, "schema", workdir("schema"));
    std::ifstream in(std::string(SEAM_SOURCE_DIR) + "/docs/deck.md");
    ASSERT_TRUE(in) << "docs/deck.md is missing";
    std::stringstream doc;
    doc << in.rdbuf();
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.output, doc.str()) << "docs/deck.md is out of date: regenerate it with "
                                      "`build/bin/seam schema > docs/deck.md`";
  }

  TEST(Cli, CheckPrintsANormalisedDeckThatChecksToItself)
  {
    const auto dir = workdir("check");
    const auto r1  = run_seam(1, "check " + quote(deck), dir);
    ASSERT_EQ(r1.exit_code, 0) << r1.output;
    EXPECT_NE(r1.output.find("substeps: 2"), std::string::npos) << "defaults are filled in:\n" << r1.output;
    const auto body = r1.output.substr(r1.output.find('\n') + 1);
    std::ofstream(dir + "/normalised.yaml") << body;
    const auto r2 = run_seam(1, "check normalised.yaml", dir);
    ASSERT_EQ(r2.exit_code, 0) << r2.output;
    EXPECT_EQ(r2.output.substr(r2.output.find('\n') + 1), body);
  }

  // Progress on the console (issue 16): every kind of run prints its rate, simulated time per wall hour
  // and ETA on the thermo lines and ends with a summary; --quiet keeps only the summary; --progress adds
  // lines between thermo rows. thermo.csv is the same either way.
  struct RunKind
  {
    std::string name, deck, sets, work; ///< work: what the summary measures
  };

  class ConsoleProgress : public ::testing::TestWithParam<RunKind>
  {};

  TEST_P(ConsoleProgress, ThermoLinesCarryRateAndEtaAndTheRunEndsWithASummary)
  {
    const auto &k   = GetParam();
    const auto  dir = workdir("progress_" + k.name);
    const auto  r   = run_seam(2, "run " + quote(std::string(SEAM_SOURCE_DIR) + "/" + k.deck) + " " + k.sets, dir);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    for (const char *column : {"steps/s", "/h", "ETA"})
      EXPECT_NE(r.output.find(column), std::string::npos) << column << "\n" << r.output;
    EXPECT_NE(r.output.find("steps/s, "), std::string::npos) << "the summary's rate\n" << r.output;
    EXPECT_NE(r.output.find(k.work), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("# progress"), std::string::npos) << "no progress lines unless asked\n" << r.output;
  }

  INSTANTIATE_TEST_SUITE_P(
    Runs, ConsoleProgress,
    ::testing::Values(RunKind{"coupled", "tests/decks/good/coupled_2d.yaml", "", "atom-steps/s"},
                      RunKind{"coupled_fe", "tests/decks/good/coupled_2d.yaml", "", "DoF-steps/s"},
                      RunKind{"md", "tests/decks/good/lj_fcc_pressure.yaml", "--set run.steps=20 --set output.thermo_every=10",
                              "atom-steps/s (864 atoms x 20 steps)"},
                      RunKind{"fe", "tests/decks/good/fe_chain_1d_reference.yaml",
                              "--set run.steps=20 --set output.thermo_every=10", "DoF-steps/s"}));

  std::string read_file(const std::string &path)
  {
    std::ifstream     in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  TEST(Cli, QuietPrintsOnlyTheSummaryAndWritesTheSameThermo)
  {
    const auto dir    = workdir("quiet");
    const auto loud   = run_seam(2, "run " + quote(deck) + " --set output.directory=loud", dir);
    const auto quiet  = run_seam(2, "run " + quote(deck) + " --set output.directory=quiet --quiet", dir);
    ASSERT_EQ(loud.exit_code, 0) << loud.output;
    ASSERT_EQ(quiet.exit_code, 0) << quiet.output;
    EXPECT_EQ(quiet.output.find("e_total"), std::string::npos) << "no thermo rows\n" << quiet.output;
    EXPECT_EQ(quiet.output.find("phases"), std::string::npos) << "no timing tables\n" << quiet.output;
    EXPECT_NE(quiet.output.find("atom-steps/s"), std::string::npos) << "the summary\n" << quiet.output;
    EXPECT_NE(loud.output.find("e_total"), std::string::npos) << loud.output;
    // The same rows: compare the step column and the header (energies are the same deck run twice).
    const auto a = read_file(dir + "/loud/thermo.csv"), b = read_file(dir + "/quiet/thermo.csv");
    EXPECT_FALSE(a.empty());
    EXPECT_EQ(a, b) << "--quiet changes only the console";
  }

  TEST(Cli, ProgressPrintsLinesBetweenThermoRows)
  {
    // Every 1 microsecond of wall time: a line after every window that has no thermo row.
    const auto r = run_seam(2, "run " + quote(deck) + " --progress=0.000001", workdir("progress"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("# progress: step 2/20 (10.0 %)"), std::string::npos) << r.output;
    const auto both = run_seam(1, "run " + quote(deck) + " --quiet --progress", workdir("progress_quiet"));
    EXPECT_NE(both.exit_code, 0) << "--quiet and --progress exclude each other\n" << both.output;
  }

  TEST(Cli, SetOverridesAKey)
  {
    const auto r = run_seam(1, "check " + quote(deck) + " --set coupling.substeps=1 --set md.mass=60.5",
                            workdir("set"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("substeps: 1"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("mass: 60.5"), std::string::npos) << r.output;
  }
} // namespace
