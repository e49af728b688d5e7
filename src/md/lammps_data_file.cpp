// Reading atoms from a LAMMPS data file (atom_style atomic); the format is that of LAMMPS' read_data.
#include "md/lammps_data_file.h"

#include "base/error.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_map>

namespace seam::md
{
  namespace
  {
    const char *key = "md.lattice.file";

    /// The file's lines with their comments ('#' to the end of the line) removed, and the raw text
    /// for messages.
    struct Lines
    {
      std::string              path;
      std::vector<std::string> raw;

      [[noreturn]] void fail(std::size_t index, const std::string &problem, const std::string &expected,
                             const std::string &fix = "") const
      {
        const std::string value = index < raw.size() ? raw[index] : std::string("(end of file)");
        throw InputError(SourceMark{path, static_cast<int>(std::min(index, raw.size())) + 1, 0}, key, value,
                         problem, expected,
                         fix.empty() ? "write the file with LAMMPS (atom_style atomic; write_data) or fix "
                                       "this line"
                                     : fix);
      }

      /// Whitespace-separated words of line `i`, without its comment.
      std::vector<std::string> words(std::size_t i) const
      {
        std::string text = raw[i];
        if (const auto hash = text.find('#'); hash != std::string::npos)
          text.erase(hash);
        std::istringstream       in(text);
        std::vector<std::string> w;
        for (std::string s; in >> s;)
          w.push_back(s);
        return w;
      }
      /// The comment of line `i` (after '#', trimmed), or "".
      std::string comment(std::size_t i) const
      {
        const auto hash = raw[i].find('#');
        if (hash == std::string::npos)
          return "";
        std::istringstream in(raw[i].substr(hash + 1));
        std::string        c;
        in >> c;
        return c;
      }
    };

    std::optional<double> to_real(const std::string &s)
    {
      errno          = 0;
      char        *end = nullptr;
      const double v   = std::strtod(s.c_str(), &end);
      if (s.empty() || *end != '\0' || errno == ERANGE)
        return std::nullopt;
      return v;
    }
    std::optional<long long> to_int(const std::string &s)
    {
      errno            = 0;
      char          *end = nullptr;
      const long long v  = std::strtoll(s.c_str(), &end, 10);
      if (s.empty() || *end != '\0' || errno == ERANGE)
        return std::nullopt;
      return v;
    }

    /// Section keywords of read_data: the ones we read or skip, and the others (refused by name).
    const std::set<std::string> sections_read = {"Atoms", "Velocities", "Masses", "Pair Coeffs", "PairIJ Coeffs"};
    const std::set<std::string> sections_other = {
      "Bonds", "Angles", "Dihedrals", "Impropers", "Ellipsoids", "Lines", "Triangles", "Bodies",
      "Bond Coeffs", "Angle Coeffs", "Dihedral Coeffs", "Improper Coeffs", "BondBond Coeffs",
      "BondAngle Coeffs", "MiddleBondTorsion Coeffs", "EndBondTorsion Coeffs", "AngleTorsion Coeffs",
      "AngleAngleTorsion Coeffs", "BondBond13 Coeffs", "AngleAngle Coeffs"};

    /// The section keyword line `i` starts, or "" (the words, rejoined, without the comment).
    std::string section_name(const Lines &l, std::size_t i)
    {
      const auto  w = l.words(i);
      std::string name;
      for (const auto &s : w)
        name += (name.empty() ? "" : " ") + s;
      return sections_read.count(name) || sections_other.count(name) ? name : "";
    }
  } // namespace

  LammpsDataFile read_lammps_data_file(const std::string &path)
  {
    std::ifstream in(path);
    if (!in)
      throw InputError(SourceMark{path, 0, 0}, key, path, "cannot read the LAMMPS data file '" + path + "'",
                       "a readable LAMMPS data file (atom_style atomic, as write_data writes it)",
                       "check the path (relative paths are taken from the directory seam runs in)");
    Lines l;
    l.path = path;
    for (std::string s; std::getline(in, s);)
      {
        if (!s.empty() && s.back() == '\r')
          s.pop_back();
        l.raw.push_back(s);
      }

    LammpsDataFile f;
    f.path               = path;
    long long n_atoms    = -1;
    std::array<bool, 3> have_axis{false, false, false};
    std::size_t         i = 1; // line 1 is the title
    // Header: until the first section keyword.
    for (; i < l.raw.size(); ++i)
      {
        if (!section_name(l, i).empty())
          break;
        const auto w = l.words(i);
        if (w.empty())
          continue;
        if (w.size() == 2 && w[1] == "atoms")
          {
            const auto n = to_int(w[0]);
            if (!n || *n < 0)
              l.fail(i, "the atom count is not a non-negative integer", "N atoms");
            n_atoms = *n;
          }
        else if (w.size() == 3 && w[1] == "atom" && w[2] == "types")
          {
            const auto n = to_int(w[0]);
            if (!n || *n < 1)
              l.fail(i, "the atom type count is not a positive integer", "N atom types");
            f.n_types = static_cast<long>(*n);
          }
        else if (w.size() == 4 && w[2].size() == 3 && w[3].size() == 3 && w[2].substr(1) == "lo" &&
                 w[3].substr(1) == "hi" && w[2][0] == w[3][0] && w[2][0] >= 'x' && w[2][0] <= 'z')
          {
            const int  a  = w[2][0] - 'x';
            const auto lo = to_real(w[0]), hi = to_real(w[1]);
            if (!lo || !hi || !(*hi > *lo))
              l.fail(i, fmt::format("the box bounds along {} are not two numbers lo < hi", w[2][0]),
                     fmt::format("{0}lo {0}hi with {0}lo < {0}hi", w[2][0]));
            f.lo[a]      = *lo;
            f.hi[a]      = *hi;
            have_axis[a] = true;
          }
        else if (w.size() == 6 && w[3] == "xy" && w[4] == "xz" && w[5] == "yz")
          l.fail(i, "the box is triclinic (xy xz yz tilt factors)", "an orthogonal box (xlo xhi, ylo yhi, zlo zhi only)",
                 "write the structure in an orthogonal box (LAMMPS: change_box all triclinic -> ortho)");
        else
          l.fail(i, "unknown or unsupported header line",
                 "one of: N atoms | N atom types | xlo xhi | ylo yhi | zlo zhi (atom_style atomic)",
                 "remove the line (bonds, angles and the like belong to other atom styles)");
      }
    if (n_atoms < 0)
      l.fail(std::min<std::size_t>(i, l.raw.size()), "the header has no 'N atoms' line", "N atoms in the header",
             "add the line 'N atoms' before the first section");
    if (f.n_types < 1)
      l.fail(std::min<std::size_t>(i, l.raw.size()), "the header has no 'N atom types' line",
             "N atom types in the header", "add the line '1 atom types' before the first section");
    for (int a = 0; a < 3; ++a)
      if (!have_axis[a])
        l.fail(std::min<std::size_t>(i, l.raw.size()),
               fmt::format("the header has no box bounds along {}", char('x' + a)),
               fmt::format("{0}lo {0}hi in the header", char('x' + a)));

    // Sections.
    bool                                   have_atoms = false;
    std::unordered_map<GlobalId, std::size_t> row_of; // id -> atom row
    std::vector<bool>                      has_velocity;
    // Lines [first, first + n) of the entries of the section whose keyword is on line `at`.
    auto entries = [&](std::size_t at, long long n, const std::string &name) {
      std::size_t k = at + 1;
      while (k < l.raw.size() && l.words(k).empty())
        ++k;
      for (long long e = 0; e < n; ++e)
        if (k + e >= l.raw.size() || l.words(k + e).empty())
          l.fail(k + e, fmt::format("section {} ends after {} of its {} lines", name, e, n),
                 fmt::format("{} entry lines (the count comes from the header)", n));
      return k;
    };
    while (i < l.raw.size())
      {
        if (l.words(i).empty())
          {
            ++i;
            continue;
          }
        const std::string name = section_name(l, i);
        if (name.empty())
          l.fail(i, "expected a section keyword here", "Atoms, Velocities, Masses or Pair Coeffs",
                 "check the entry count of the section before (the header's N atoms / N atom types)");
        if (sections_other.count(name))
          l.fail(i, fmt::format("section {} belongs to another atom style", name),
                 "atom_style atomic sections: Atoms, Velocities, Masses (Pair Coeffs is skipped)",
                 "write the structure with atom_style atomic");
        long long n = 0;
        if (name == "Atoms" || name == "Velocities")
          n = n_atoms;
        else if (name == "Masses" || name == "Pair Coeffs")
          n = f.n_types;
        else // PairIJ Coeffs
          n = f.n_types * (f.n_types + 1) / 2;
        const std::size_t first = entries(i, n, name);
        if (name == "Atoms")
          {
            const std::string style = l.comment(i);
            if (!style.empty() && style != "atomic")
              l.fail(i, fmt::format("the Atoms section is of atom_style {}", style), "Atoms # atomic",
                     "write the structure with atom_style atomic");
            if (have_atoms)
              l.fail(i, "a second Atoms section", "one Atoms section");
            have_atoms = true;
            f.id.reserve(n);
            for (std::size_t k = first; k < first + n; ++k)
              {
                const auto w = l.words(k);
                if (w.size() != 5 && w.size() != 8)
                  l.fail(k, fmt::format("an Atoms line with {} values", w.size()),
                         "id type x y z, or id type x y z ix iy iz (atom_style atomic)");
                const auto id = to_int(w[0]), type = to_int(w[1]);
                if (!id || *id < 1)
                  l.fail(k, "the atom id is not a positive integer", "id type x y z [ix iy iz]");
                if (!type || *type < 1 || *type > f.n_types)
                  l.fail(k, fmt::format("the atom type is not an integer in 1..{} (N atom types)", f.n_types),
                         "id type x y z [ix iy iz]");
                Vec3               x{};
                std::array<int, 3> image{0, 0, 0};
                for (int a = 0; a < 3; ++a)
                  {
                    const auto c = to_real(w[2 + a]);
                    if (!c)
                      l.fail(k, fmt::format("coordinate {} is not a number", char('x' + a)), "id type x y z [ix iy iz]");
                    x[a] = *c;
                    if (w.size() == 8)
                      {
                        const auto m = to_int(w[5 + a]);
                        if (!m)
                          l.fail(k, fmt::format("image flag i{} is not an integer", char('x' + a)),
                                 "id type x y z ix iy iz");
                        image[a] = static_cast<int>(*m);
                      }
                  }
                if (!row_of.emplace(*id, f.id.size()).second)
                  l.fail(k, fmt::format("atom id {} appears twice (first on line {})", *id,
                                        f.line[row_of[*id]]),
                         "unique atom ids");
                f.id.push_back(*id);
                f.type.push_back(static_cast<long>(*type));
                f.x.push_back(x);
                f.image.push_back(image);
                f.line.push_back(static_cast<int>(k) + 1);
              }
          }
        else if (name == "Velocities")
          {
            if (!have_atoms)
              l.fail(i, "the Velocities section comes before the Atoms section", "Atoms first, then Velocities",
                     "move the Velocities section after Atoms (as write_data writes them)");
            f.v.assign(f.id.size(), Vec3{});
            has_velocity.assign(f.id.size(), false);
            for (std::size_t k = first; k < first + n; ++k)
              {
                const auto w = l.words(k);
                if (w.size() != 4)
                  l.fail(k, fmt::format("a Velocities line with {} values", w.size()), "id vx vy vz");
                const auto id = to_int(w[0]);
                const auto it = id ? row_of.find(*id) : row_of.end();
                if (it == row_of.end())
                  l.fail(k, "the id of this velocity is not an atom of the Atoms section", "id vx vy vz");
                if (has_velocity[it->second])
                  l.fail(k, fmt::format("atom {} has a second velocity", *id), "one velocity per atom");
                has_velocity[it->second] = true;
                for (int a = 0; a < 3; ++a)
                  {
                    const auto c = to_real(w[1 + a]);
                    if (!c)
                      l.fail(k, fmt::format("v{} is not a number", char('x' + a)), "id vx vy vz");
                    f.v[it->second][a] = *c;
                  }
              }
          }
        else if (name == "Masses")
          for (std::size_t k = first; k < first + n; ++k)
            {
              const auto w = l.words(k);
              const auto t = w.size() == 2 ? to_int(w[0]) : std::nullopt;
              const auto m = w.size() == 2 ? to_real(w[1]) : std::nullopt;
              if (!t || *t < 1 || *t > f.n_types || !m || !(*m > 0))
                l.fail(k, "a Masses line is not 'type mass' with 1 <= type <= N atom types and mass > 0",
                       "type mass");
              f.masses[static_cast<long>(*t)] = *m;
            }
        i = first + n;
      }
    if (!have_atoms)
      l.fail(l.raw.size(), "the file has no Atoms section", "an Atoms section with the header's N atoms lines");
    return f;
  }
} // namespace seam::md
