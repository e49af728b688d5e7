// Every malformed or hostile deck in tests/decks/bad/ is run through the real executable (mpirun, np 1 and
// 4, or the rank counts of its `# nps:` line, e.g. 2 = 1 MD + 1 FE rank for a coupled deck): exit code 1
// on every rank within the timeout (no rank left waiting), the error printed once, with the file:line, key
// path, value, expectation and fix that the deck's own `# expect:` lines ask for, and nothing written to
// the working directory. `# kind: run-time` decks fail while running instead: one "seam: run-time error"
// naming the step and a fix. In `# args:`, @SRC@ stands for the source directory.
#include "support/subprocess.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace
{
  struct Case
  {
    std::string deck;
    int         np;
  };

  std::vector<Case> cases()
  {
    std::vector<std::string> decks;
    for (const auto &e : fs::directory_iterator(fs::path(SEAM_SOURCE_DIR) / "tests/decks/bad"))
      if (e.path().extension() == ".yaml")
        decks.push_back(e.path().string());
    std::sort(decks.begin(), decks.end());
    std::vector<Case> out;
    for (const auto &d : decks)
      {
        std::vector<int> nps{1, 4};
        std::ifstream    in(d);
        for (std::string line; std::getline(in, line);)
          if (line.rfind("# nps: ", 0) == 0)
            {
              nps.clear();
              std::istringstream is(line.substr(7));
              for (int n; is >> n;)
                nps.push_back(n);
            }
        for (int np : nps)
          out.push_back({d, np});
      }
    return out;
  }

  int cases_np_first(const std::string &deck);

  std::vector<std::string> header_lines(const std::string &deck, const std::string &tag)
  {
    std::ifstream            in(deck);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);)
      if (line.rfind(tag, 0) == 0)
        out.push_back(line.substr(tag.size()));
    return out;
  }

  std::size_t count(const std::string &text, const std::string &what)
  {
    std::size_t n = 0;
    for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1))
      ++n;
    return n;
  }

  int cases_np_first(const std::string &deck)
  {
    const auto nps = header_lines(deck, "# nps: ");
    return nps.empty() ? 1 : std::stoi(nps.front());
  }

  class BadDeck : public ::testing::TestWithParam<Case>
  {};

  TEST_P(BadDeck, FailsCleanlyWithAPreciseMessage)
  {
    const auto &c       = GetParam();
    const auto  expects = header_lines(c.deck, "# expect: ");
    ASSERT_FALSE(expects.empty()) << c.deck << " has no # expect: lines";
    auto              args    = header_lines(c.deck, "# args: ");
    for (auto &a : args)
      for (auto p = a.find("@SRC@"); p != std::string::npos; p = a.find("@SRC@"))
        a.replace(p, 5, SEAM_SOURCE_DIR);
    const bool run_time = !header_lines(c.deck, "# kind: run-time").empty();
    const std::string workdir = (fs::temp_directory_path() / ("seam_bad_" + fs::path(c.deck).stem().string() +
                                                               "_np" + std::to_string(c.np)))
                                  .string();
    fs::remove_all(workdir);
    const auto r = seam::testing::run_seam(c.np, "run " + seam::testing::quote(c.deck) + " " +
                                                   (args.empty() ? std::string() : args.front()),
                                           workdir, 60);
    EXPECT_EQ(r.exit_code, 1) << r.output;
    // No MPI_Abort (its banner names MPI_ABORT) and no signal noise: every rank ended on its own.
    EXPECT_EQ(r.output.find("MPI_ABORT"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("terminate called"), std::string::npos) << r.output;
    if (run_time)
      {
        EXPECT_EQ(count(r.output, "seam: run-time error"), 1u) << "printed once:\n" << r.output;
        EXPECT_NE(r.output.find("Fix: "), std::string::npos) << r.output;
      }
    else
      {
        EXPECT_EQ(count(r.output, "seam: input error"), 1u) << "printed once (rank 0 only):\n" << r.output;
        EXPECT_NE(r.output.find("expected: "), std::string::npos) << r.output;
        EXPECT_NE(r.output.find("fix: "), std::string::npos) << r.output;
      }
    for (auto e : expects)
      {
        const auto p = e.find("FILE");
        if (p != std::string::npos)
          e.replace(p, 4, c.deck);
        EXPECT_NE(r.output.find(e), std::string::npos) << "missing '" << e << "' in:\n" << r.output;
      }
    // A deck that fails validation touches no output.
    if (!run_time)
      EXPECT_TRUE(fs::is_empty(workdir)) << "files were written by a deck that failed validation";
    // seam check runs every validation seam run does (without running): the same message, exit 1. Once
    // per deck, at its first rank count; `# run-only` decks fail on the rank count, which check cannot know.
    if (!run_time && header_lines(c.deck, "# run-only").empty() && c.np == cases_np_first(c.deck))
      {
        const auto k = seam::testing::run_seam(1, "check " + seam::testing::quote(c.deck) + " " +
                                                    (args.empty() ? std::string() : args.front()),
                                               workdir, 60);
        EXPECT_EQ(k.exit_code, 1) << "seam check passed a deck that seam run refuses:\n" << k.output;
        for (auto e : expects)
          {
            const auto p = e.find("FILE");
            if (p != std::string::npos)
              e.replace(p, 4, c.deck);
            EXPECT_NE(k.output.find(e), std::string::npos) << "seam check: missing '" << e << "' in:\n" << k.output;
          }
      }
    fs::remove_all(workdir);
  }

  std::string name(const ::testing::TestParamInfo<Case> &info)
  {
    std::string n = fs::path(info.param.deck).stem().string() + "_np" + std::to_string(info.param.np);
    std::replace_if(n.begin(), n.end(), [](char ch) { return !std::isalnum(static_cast<unsigned char>(ch)); }, '_');
    return n;
  }

  INSTANTIATE_TEST_SUITE_P(Decks, BadDeck, ::testing::ValuesIn(cases()), name);
} // namespace
