// Loading a deck (YAML parsing with positions, --set overrides, validation: validator.h, cross_checks.h)
// and reading the validated deck by key path.
#include "config/deck.h"

#include "config/key_path.h"
#include "config/overrides.h"
#include "config/validator.h"
#include "parallel/partition.h"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace seam::config
{
  Deck Deck::load(const std::string &file, const std::vector<std::string> &overrides)
  {
    // Only a regular file: a directory or a device (/dev/zero) is not a deck, and would be read without end.
    std::error_code ec;
    if (std::filesystem::exists(file, ec) && !std::filesystem::is_regular_file(file, ec))
      throw InputError(SourceMark{file}, "", "",
                       std::filesystem::is_directory(file, ec) ? "the deck path is a directory"
                                                               : "the deck path is not a regular file",
                       "a YAML deck file", "give the path of the deck file");
    std::ifstream in(file);
    if (!in)
      throw InputError(SourceMark{file}, "", "", fmt::format("cannot read the deck file ({})", std::strerror(errno)),
                       "a readable YAML deck", "check the path");
    std::stringstream buf;
    buf << in.rdbuf();
    return from_text(buf.str(), file, overrides);
  }

  namespace
  {
    /// The number of YAML documents in `text`, counted up to 3 (a parse that does not advance counts
    /// as many). @throws YAML::Exception on a syntax error.
    int count_documents(const std::string &text)
    {
      struct Ignore : YAML::EventHandler
      {
        void OnDocumentStart(const YAML::Mark &) override {}
        void OnDocumentEnd() override {}
        void OnNull(const YAML::Mark &, YAML::anchor_t) override {}
        void OnAlias(const YAML::Mark &, YAML::anchor_t) override {}
        void OnScalar(const YAML::Mark &, const std::string &, YAML::anchor_t, const std::string &) override {}
        void OnSequenceStart(const YAML::Mark &, const std::string &, YAML::anchor_t, YAML::EmitterStyle::value) override {}
        void OnSequenceEnd() override {}
        void OnMapStart(const YAML::Mark &, const std::string &, YAML::anchor_t, YAML::EmitterStyle::value) override {}
        void OnMapEnd() override {}
      } ignore;
      std::istringstream in(text);
      YAML::Parser       parser(in);
      int                n = 0;
      while (n < 3 && parser.HandleNextDocument(ignore))
        ++n;
      return n;
    }
  } // namespace

  Deck Deck::from_text(const std::string &text, const std::string &file, const std::vector<std::string> &overrides)
  {
    Deck d;
    d.file_ = file;
    d.text_ = text;
    YAML::Node raw;
    try
      {
        // The documents, counted by a bounded parse: YAML::LoadAll loops forever (allocating) on a stray
        // flow indicator such as a lone ',' (yaml-cpp issue 1040, fixed upstream after Debian's 0.7).
        const int docs = count_documents(text);
        // One pass over the lines: the first line with content (and its column), and the start of a
        // second document, the line of its `---` or `...` after content (0: none).
        int first_line = 1, first_column = 1, second = 0;
        {
          int                line    = 1;
          bool               content = false;
          std::istringstream lines(text);
          for (std::string l; std::getline(lines, l); ++line)
            {
              const auto first = l.find_first_not_of(" \t\r");
              if (first == std::string::npos || l[first] == '#')
                continue;
              if ((l.rfind("---", 0) == 0 || l.rfind("...", 0) == 0) && content)
                {
                  second = line;
                  break;
                }
              if (l.rfind("---", 0) != 0 && !content)
                {
                  first_line   = line;
                  first_column = static_cast<int>(first) + 1;
                  content      = true;
                }
            }
        }
        if (docs > 1 && second == 0) // yaml-cpp's parser did not advance: a flow indicator outside [ ] or { }
          throw InputError(SourceMark{file, first_line, first_column}, "", "",
                           "YAML syntax error: a ',' (or another flow indicator) outside [ ] or { }",
                           "valid YAML: `key: value` lines, sections indented with spaces (no tabs), lists as [a, b]",
                           "fix the syntax at or just before this line");
        if (docs > 1)
          throw InputError(SourceMark{file, second, 1}, "", "---", fmt::format("the deck holds {}{} YAML documents; seam reads one", docs, docs >= 3 ? " or more" : ""),
                           "one YAML document per deck file", "split the documents into separate deck files");
        raw = YAML::Load(text);
      }
    catch (const YAML::Exception &e)
      {
        throw InputError(SourceMark{file, e.mark.line + 1, e.mark.column + 1}, "", "",
                         "YAML syntax error: " + e.msg,
                         "valid YAML: `key: value` lines, sections indented with spaces (no tabs), lists as [a, b]",
                         "fix the syntax at or just before this line");
      }

    auto override_marks = apply_overrides(raw, overrides);
    Validator(d, std::move(override_marks)).run(raw);
    return d;
  }

  std::string Deck::normalised() const
  {
    YAML::Emitter e;
    e << root_;
    return std::string(e.c_str()) + "\n";
  }

  std::uint64_t Deck::hash() const { return parallel::fnv1a_hash(normalised()); }

  YAML::Node Deck::node(const std::string &path) const
  {
    std::vector<Segment> segs;
    if (!split_path(path, segs))
      throw std::logic_error("malformed deck key path '" + path + "'");
    YAML::Node cur;
    cur.reset(root_);
    for (const auto &s : segs)
      {
        YAML::Node next = s.index >= 0 ? (cur.IsSequence() && std::size_t(s.index) < cur.size() ? cur[s.index] : YAML::Node())
                                       : (cur.IsMap() ? cur[s.key] : YAML::Node());
        if (!next.IsDefined())
          throw std::logic_error("internal: the validated deck has no key '" + path + "'");
        cur.reset(next);
      }
    return cur;
  }

  bool Deck::has(const std::string &path) const
  {
    if (path.empty())
      return true;
    try
      {
        return node(path).IsDefined();
      }
    catch (const std::logic_error &)
      {
        return false;
      }
  }

  bool Deck::is_auto(const std::string &path) const
  {
    const auto n = node(path);
    return n.IsScalar() && n.Scalar() == "auto";
  }

  double Deck::real(const std::string &path) const { return std::stod(node(path).Scalar()); }
  long   Deck::integer(const std::string &path) const { return std::stol(node(path).Scalar()); }
  std::string Deck::string(const std::string &path) const { return node(path).Scalar(); }

  std::vector<double> Deck::reals(const std::string &path) const
  {
    std::vector<double> v;
    for (const auto &x : node(path))
      v.push_back(std::stod(x.Scalar()));
    return v;
  }

  std::vector<std::string> Deck::strings(const std::string &path) const
  {
    std::vector<std::string> v;
    for (const auto &x : node(path))
      v.push_back(x.Scalar());
    return v;
  }

  std::array<std::array<int, 3>, 3> Deck::int_matrix(const std::string &path) const
  {
    std::array<std::array<int, 3>, 3> m{};
    const auto                        n = node(path);
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j)
        m[i][j] = std::stoi(n[i][j].Scalar());
    return m;
  }

  std::size_t Deck::list_size(const std::string &path) const { return node(path).size(); }

  SourceMark Deck::mark(const std::string &path) const
  {
    // The closest recorded ancestor: defaults are reported at their section.
    std::string p = path;
    while (true)
      {
        const auto it = marks_.find(p);
        if (it != marks_.end())
          return it->second;
        const auto cut = p.find_last_of(".[");
        if (cut == std::string::npos)
          break;
        p = p.substr(0, cut);
      }
    const auto it = marks_.find("");
    return it != marks_.end() ? it->second : SourceMark{file_, 1, 1};
  }

  std::string Deck::value_text(const std::string &path) const
  {
    try
      {
        return flow_text(node(path));
      }
    catch (const std::logic_error &)
      {
        return "";
      }
  }

  void Deck::fail(const std::string &path, const std::string &problem, const std::string &expected,
                  const std::string &fix) const
  {
    throw InputError(mark(path), path, path.empty() ? "" : value_text(path), problem, expected, fix);
  }
} // namespace seam::config
