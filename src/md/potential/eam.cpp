// Embedded-atom method: LAMMPS funcfl/setfl file reading, tabulation, and the two-pass force evaluation.
#include "md/potential/eam.h"

#include "md/atoms.h"
#include "md/halo_exchange.h"
#include "md/neighbor_list.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace seam::md
{
  namespace
  {
    /// Line-aware token reader mirroring how LAMMPS reads potential files: a "values" read takes whole
    /// lines until it has enough words; an array read takes lines until it has n numbers and drops the
    /// rest of its last line. Text after '#' is a comment.
    class TokenReader
    {
    public:
      explicit TokenReader(const std::string &file) : file_(file)
      {
        // Only a regular file: a device (/dev/zero) or a FIFO would be read without end.
        std::error_code ec;
        if (!std::filesystem::is_regular_file(file, ec))
          throw std::invalid_argument("EAM potential file '" + file + "' is not a regular file" +
                                      (std::filesystem::is_directory(file, ec) ? " (it is a directory)" : ""));
        bytes_ = std::filesystem::file_size(file, ec);
        in_.open(file);
        if (!in_ || ec)
          throw std::invalid_argument("EAM potential file '" + file + "' cannot be opened");
      }

      void skip_line()
      {
        std::string line;
        if (!std::getline(in_, line))
          fail("a comment line");
        ++line_no_;
      }

      /// Whole lines until at least n words (blank lines skipped).
      std::vector<std::string> next_words(std::size_t n, const std::string &what)
      {
        std::vector<std::string> words;
        std::string              line;
        while (words.size() < n)
          {
            if (!std::getline(in_, line))
              fail(what);
            ++line_no_;
            std::istringstream s(line.substr(0, line.find('#')));
            for (std::string w; s >> w;)
              words.push_back(w);
          }
        return words;
      }

      /// n numbers into out[1..n] (1-based), reading whole lines.
      void next_numbers(std::vector<double> &out, int n, const std::string &what)
      {
        // Every number takes at least two bytes ("0 "): a header that declares more than the file holds is
        // wrong, and is refused before anything is allocated for it.
        if (static_cast<std::uintmax_t>(n) > bytes_ / 2 + 1)
          fail(what + " (" + std::to_string(n) + " values, more than the file's " + std::to_string(bytes_) +
               " bytes can hold: check the header's counts)");
        out.assign(static_cast<std::size_t>(n) + 1, 0.0);
        int         k = 0;
        std::string line;
        while (k < n)
          {
            if (!std::getline(in_, line))
              fail(what + " (" + std::to_string(n) + " values; got " + std::to_string(k) + ")");
            ++line_no_;
            const std::string body = line.substr(0, line.find('#'));
            const char       *p    = body.c_str();
            char             *end  = nullptr;
            while (k < n)
              {
                const double v = std::strtod(p, &end);
                if (end == p)
                  break;
                if (!std::isfinite(v))
                  fail(what + ": '" + std::string(p, static_cast<std::size_t>(end - p)).substr(0, 20) + "' is not a finite number");
                out[static_cast<std::size_t>(++k)] = v;
                p = end;
              }
            // Anything but blanks left means a non-number in the table.
            while (*p == ' ' || *p == '\t' || *p == '\r')
              ++p;
            if (k < n && *p != '\0')
              fail(what + ": '" + std::string(p).substr(0, 20) + "' is not a number");
          }
      }

      double to_double(const std::string &w, const std::string &what) const
      {
        char        *end = nullptr;
        const double v   = std::strtod(w.c_str(), &end);
        if (end == w.c_str() || *end != '\0')
          fail(what + ": '" + w + "' is not a number");
        if (!std::isfinite(v))
          fail(what + ": '" + w + "' is not a finite number");
        return v;
      }
      int to_int(const std::string &w, const std::string &what) const
      {
        const double v = to_double(w, what);
        if (v != std::floor(v))
          fail(what + ": '" + w + "' is not an integer");
        if (std::abs(v) > 1e9)
          fail(what + ": '" + w + "' is out of range (at most 1e9)");
        return static_cast<int>(v);
      }

      [[noreturn]] void fail(const std::string &what) const
      {
        throw std::invalid_argument("EAM potential file '" + file_ + "' line " + std::to_string(line_no_ + 1) +
                                    ": expected " + what);
      }

    private:
      std::string    file_;
      std::ifstream  in_;
      int            line_no_ = 0;
      std::uintmax_t bytes_   = 0;
    };

    /// Resamples a 1-based table of `n_file` points at spacing `d_file` onto `n` points at spacing `d`
    /// by 4-point Lagrange interpolation (LAMMPS PairEAM::file2array for funcfl files).
    std::vector<double> resample(const std::vector<double> &table, int n_file, double d_file, int n, double d)
    {
      constexpr double sixth = 1.0 / 6.0;
      std::vector<double> out(static_cast<std::size_t>(n) + 1, 0.0);
      for (int m = 1; m <= n; ++m)
        {
          const double r = (m - 1) * d;
          double       p = r / d_file + 1.0;
          int          k = static_cast<int>(p);
          k              = std::min(k, n_file - 2);
          k              = std::max(k, 2);
          p -= k;
          p = std::min(p, 2.0);
          const double c1 = -sixth * p * (p - 1.0) * (p - 2.0);
          const double c2 = 0.5 * (p * p - 1.0) * (p - 2.0);
          const double c3 = -0.5 * p * (p + 1.0) * (p - 2.0);
          const double c4 = sixth * p * (p * p - 1.0);
          out[m]          = c1 * table[k - 1] + c2 * table[k] + c3 * table[k + 1] + c4 * table[k + 2];
        }
      return out;
    }

    void check_grid(const TokenReader &reader, int nrho, double drho, int nr, double dr, double cut)
    {
      if (nrho < 5 || nr < 5 || !(drho > 0) || !(dr > 0) || !(cut > 0))
        reader.fail("nrho >= 5, drho > 0, nr >= 5, dr > 0, cutoff > 0 (got " + std::to_string(nrho) + " " +
                    std::to_string(drho) + " " + std::to_string(nr) + " " + std::to_string(dr) + " " +
                    std::to_string(cut) + ")");
    }

    std::string required_file(const std::string &style, const PotentialParams &p)
    {
      if (p.file.empty())
        throw std::invalid_argument("potential style '" + style + "' needs a potential file ('file')");
      return p.file;
    }
  } // namespace

  Eam::Eam(Format format, const std::string &file, const std::string &element) : format_(format)
  {
    if (format == Format::funcfl)
      {
        if (!element.empty())
          throw std::invalid_argument("potential style 'eam' (funcfl file '" + file +
                                      "') holds one element; 'element' applies to eam_alloy only");
        read_funcfl(file);
      }
    else
      read_setfl(file, element);
    build_splines();
  }

  std::vector<config::Entry> Eam::funcfl_keys()
  {
    return {config::path("file", "LAMMPS funcfl file, e.g. /usr/share/lammps/potentials/Cu_u3.eam").req()};
  }

  std::vector<config::Entry> Eam::setfl_keys()
  {
    return {config::path("file", "LAMMPS setfl file, e.g. /usr/share/lammps/potentials/Cu_mishin1.eam.alloy").req(),
            config::text("element", "element of the file to use; empty = the first one").def("\"\"")};
  }

  std::unique_ptr<Potential> Eam::create_funcfl(const PotentialParams &p)
  {
    return std::make_unique<Eam>(Format::funcfl, required_file("eam", p));
  }

  std::unique_ptr<Potential> Eam::create_setfl(const PotentialParams &p)
  {
    return std::make_unique<Eam>(Format::setfl, required_file("eam_alloy", p), p.element);
  }

  void Eam::read_funcfl(const std::string &file)
  {
    TokenReader reader(file);
    reader.skip_line();
    auto w   = reader.next_words(2, "atomic number and mass");
    element_ = w[0];
    mass_    = reader.to_double(w[1], "mass");
    w        = reader.next_words(5, "nrho drho nr dr cutoff");
    const int    nrho_f = reader.to_int(w[0], "nrho");
    const double drho_f = reader.to_double(w[1], "drho");
    const int    nr_f   = reader.to_int(w[2], "nr");
    const double dr_f   = reader.to_double(w[3], "dr");
    cutoff_             = reader.to_double(w[4], "cutoff");
    check_grid(reader, nrho_f, drho_f, nr_f, dr_f, cutoff_);
    std::vector<double> frho_f, zr_f, rhor_f;
    reader.next_numbers(frho_f, nrho_f, "F(rho) table");
    reader.next_numbers(zr_f, nr_f, "Z(r) table");
    reader.next_numbers(rhor_f, nr_f, "rho(r) table");

    // One file: the merged grid has the file's spacing and extent (n - 1 points, LAMMPS' rounding).
    dr_               = dr_f;
    drho_             = drho_f;
    const double rmax = (nr_f - 1) * dr_f;
    rhomax_           = (nrho_f - 1) * drho_f;
    nr_               = static_cast<int>(rmax / dr_ + 0.5);
    nrho_             = static_cast<int>(rhomax_ / drho_ + 0.5);
    frho_             = resample(frho_f, nrho_f, drho_f, nrho_, drho_);
    rhor_             = resample(rhor_f, nr_f, dr_f, nr_, dr_);
    const auto zr     = resample(zr_f, nr_f, dr_f, nr_, dr_);
    z2r_.assign(static_cast<std::size_t>(nr_) + 1, 0.0);
    // r phi = Z_i Z_j e^2 / (4 pi eps0) with e^2 = 27.2 eV x 0.529 Å (Hartree x Bohr, LAMMPS' values).
    for (int m = 1; m <= nr_; ++m)
      z2r_[m] = 27.2 * 0.529 * zr[m] * zr[m];
  }

  void Eam::read_setfl(const std::string &file, const std::string &element)
  {
    TokenReader reader(file);
    for (int k = 0; k < 3; ++k)
      reader.skip_line();
    auto      w          = reader.next_words(1, "number of elements and their names");
    const int n_elements = reader.to_int(w[0], "number of elements");
    if (n_elements < 1 || static_cast<int>(w.size()) != n_elements + 1)
      reader.fail(std::to_string(n_elements) + " element names after the element count");
    const std::vector<std::string> names(w.begin() + 1, w.end());
    int                            pick = 0;
    if (!element.empty())
      {
        const auto it = std::find(names.begin(), names.end(), element);
        if (it == names.end())
          {
            std::string list;
            for (const auto &n : names)
              list += (list.empty() ? "" : ", ") + n;
            throw std::invalid_argument("EAM setfl file '" + file + "' has no element '" + element +
                                        "'; it has: " + list);
          }
        pick = static_cast<int>(it - names.begin());
      }
    element_ = names[pick];
    w        = reader.next_words(5, "nrho drho nr dr cutoff");
    nrho_    = reader.to_int(w[0], "nrho");
    drho_    = reader.to_double(w[1], "drho");
    nr_      = reader.to_int(w[2], "nr");
    dr_      = reader.to_double(w[3], "dr");
    cutoff_  = reader.to_double(w[4], "cutoff");
    check_grid(reader, nrho_, drho_, nr_, dr_, cutoff_);
    rhomax_ = (nrho_ - 1) * drho_;
    std::vector<double> frho, rhor, z2r;
    for (int e = 0; e < n_elements; ++e)
      {
        w = reader.next_words(2, "atomic number and mass of element " + names[e]);
        const double mass = reader.to_double(w[1], "mass");
        reader.next_numbers(frho, nrho_, "F(rho) table of " + names[e]);
        reader.next_numbers(rhor, nr_, "rho(r) table of " + names[e]);
        if (e == pick)
          {
            mass_ = mass;
            frho_ = frho;
            rhor_ = rhor;
          }
      }
    for (int i = 0; i < n_elements; ++i)
      for (int j = 0; j <= i; ++j)
        {
          reader.next_numbers(z2r, nr_, "r*phi(r) table of " + names[i] + "-" + names[j]);
          if (i == pick && j == pick)
            z2r_ = z2r;
        }
  }

  Eam::Spline Eam::make_spline(const std::vector<double> &f, int n, double delta)
  {
    // Knot values s[6], slopes s[5] (per grid interval) from 4th-order differences, Hermite cubic
    // coefficients s[3], s[4], and their derivative per unit of the grid variable s[0..2]
    // (LAMMPS PairEAM::interpolate).
    Spline s(static_cast<std::size_t>(n) + 1);
    for (int m = 1; m <= n; ++m)
      s[m][6] = f[m];
    s[1][5]     = s[2][6] - s[1][6];
    s[2][5]     = 0.5 * (s[3][6] - s[1][6]);
    s[n - 1][5] = 0.5 * (s[n][6] - s[n - 2][6]);
    s[n][5]     = s[n][6] - s[n - 1][6];
    for (int m = 3; m <= n - 2; ++m)
      s[m][5] = ((s[m - 2][6] - s[m + 2][6]) + 8.0 * (s[m + 1][6] - s[m - 1][6])) / 12.0;
    for (int m = 1; m <= n - 1; ++m)
      {
        s[m][4] = 3.0 * (s[m + 1][6] - s[m][6]) - 2.0 * s[m][5] - s[m + 1][5];
        s[m][3] = s[m][5] + s[m + 1][5] - 2.0 * (s[m + 1][6] - s[m][6]);
      }
    s[n][4] = 0.0;
    s[n][3] = 0.0;
    for (int m = 1; m <= n; ++m)
      {
        s[m][2] = s[m][5] / delta;
        s[m][1] = 2.0 * s[m][4] / delta;
        s[m][0] = 3.0 * s[m][3] / delta;
      }
    return s;
  }

  void Eam::build_splines()
  {
    frho_spline_ = make_spline(frho_, nrho_, drho_);
    rhor_spline_ = make_spline(rhor_, nr_, dr_);
    z2r_spline_  = make_spline(z2r_, nr_, dr_);
  }

  double Eam::embedding_energy(double rho) const
  {
    double p = rho / drho_ + 1.0;
    int    m = static_cast<int>(p);
    m        = std::max(1, std::min(m, nrho_ - 1));
    p -= m;
    p              = std::min(p, 1.0);
    const auto &c  = frho_spline_[m];
    double      e  = ((c[3] * p + c[4]) * p + c[5]) * p + c[6];
    const double fp = (c[0] * p + c[1]) * p + c[2];
    if (rho > rhomax_)
      e += fp * (rho - rhomax_);
    return e;
  }

  double Eam::density(double r) const
  {
    if (r >= cutoff_)
      return 0.0;
    double p = r / dr_ + 1.0;
    int    m = std::min(static_cast<int>(p), nr_ - 1);
    p -= m;
    p             = std::min(p, 1.0);
    const auto &c = rhor_spline_[m];
    return ((c[3] * p + c[4]) * p + c[5]) * p + c[6];
  }

  double Eam::pair_energy(double r) const
  {
    if (r >= cutoff_)
      return 0.0;
    double p = r / dr_ + 1.0;
    int    m = std::min(static_cast<int>(p), nr_ - 1);
    p -= m;
    p             = std::min(p, 1.0);
    const auto &c = z2r_spline_[m];
    return (((c[3] * p + c[4]) * p + c[5]) * p + c[6]) / r;
  }

  Jet2 Eam::spline_jet(const Spline &s, int m, double p, double delta)
  {
    const bool clamped = p > 1.0;
    p                  = std::min(p, 1.0);
    const auto &c      = s[static_cast<std::size_t>(m)];
    // c[0..2] are the exact derivative coefficients of the value cubic c[3..6] (per unit of x), so the
    // second derivative is d/dx (c0 p^2 + c1 p + c2) = (2 c0 p + c1) / delta.
    return {((c[3] * p + c[4]) * p + c[5]) * p + c[6], (c[0] * p + c[1]) * p + c[2],
            clamped ? 0.0 : (2.0 * c[0] * p + c[1]) / delta};
  }

  Jet2 Eam::embedding_jet(double rho) const
  {
    double p = rho / drho_ + 1.0;
    int    m = static_cast<int>(p);
    m        = std::max(1, std::min(m, nrho_ - 1));
    p -= m;
    Jet2 j = spline_jet(frho_spline_, m, p, drho_);
    if (rho > rhomax_)
      {
        // compute(): U = U(end) + U'(end) (rho - rho_max) with U' held, so U'' = 0 there.
        j.value += j.first * (rho - rhomax_);
        j.second = 0.0;
      }
    return j;
  }

  Jet2 Eam::density_jet(double r) const
  {
    if (r >= cutoff_)
      return {};
    double p = r / dr_ + 1.0;
    int    m = std::min(static_cast<int>(p), nr_ - 1);
    p -= m;
    return spline_jet(rhor_spline_, m, p, dr_);
  }

  Jet2 Eam::pair_jet(double r) const
  {
    if (r >= cutoff_)
      return {};
    double p = r / dr_ + 1.0;
    int    m = std::min(static_cast<int>(p), nr_ - 1);
    p -= m;
    // phi = z(r) / r with z = r phi tabulated.
    const Jet2   z = spline_jet(z2r_spline_, m, p, dr_);
    const double q = 1.0 / r;
    return {z.value * q, (z.first - z.value * q) * q, (z.second - 2.0 * (z.first - z.value * q) * q) * q};
  }

  void Eam::compute(Atoms &atoms, const NeighborList &list, HaloExchange &halo, bool want_energy)
  {
    // Weighted (blended) and plain runs are separate instantiations: no per-pair test of the mode.
    if (atoms.weighted())
      {
        if (want_energy)
          compute_impl<true, true>(atoms, list, halo);
        else
          compute_impl<false, true>(atoms, list, halo);
      }
    else if (want_energy)
      compute_impl<true, false>(atoms, list, halo);
    else
      compute_impl<false, false>(atoms, list, halo);
  }

  template <bool want_energy, bool weighted>
  void Eam::compute_impl(Atoms &atoms, const NeighborList &list, HaloExchange &halo)
  {
    density_pass(atoms, list);
    halo.reverse(rho_);
    const double e_embed = embedding_pass<want_energy, weighted>(atoms, list.n_owned());
    halo.forward(fp_);
    force_pass<want_energy, weighted>(atoms, list.n_owned());
    if constexpr (want_energy)
      energy_ += e_embed;
  }

  void Eam::density_pass(const Atoms &atoms, const NeighborList &list)
  {
    const LocalIndex  n_local = atoms.n_local();
    const LocalIndex  n_owned = list.n_owned();
    const Vec3       *x       = atoms.x().data();
    const auto       &off     = list.offsets();
    const LocalIndex *nbr     = list.neighbors().data();
    const double      cutsq   = cutoff_ * cutoff_;
    const double      rdr     = 1.0 / dr_;
    const int         nr      = nr_;

    // Pass 1: densities. Each pair adds rho(r) to both atoms (ghosts included, Newton). The pairs inside
    // the cutoff (about 60 % of the listed ones for Cu_u3 with skin 1 A) are recorded in a compact CSR
    // list, so pass 2 neither re-tests the cutoff (an unpredictable branch) nor visits the skin pairs.
    rho_.assign(static_cast<std::size_t>(n_local), 0.0);
    fp_.resize(static_cast<std::size_t>(n_local));
    inner_offsets_.resize(static_cast<std::size_t>(n_owned) + 1);
    inner_.resize(list.n_pairs());
    double                        *rho   = rho_.data();
    LocalIndex                    *inner = inner_.data();
    std::size_t                    n_in  = 0;
    const std::array<double, 7>   *rs  = rhor_spline_.data();
    inner_offsets_[0] = 0;
    for (LocalIndex i = 0; i < n_owned; ++i)
      {
        const double xi = x[i][0], yi = x[i][1], zi = x[i][2];
        double       rhoi = 0.0;
        for (std::size_t k = off[i]; k < off[i + 1]; ++k)
          {
            const LocalIndex j  = nbr[k];
            const double     dx = x[j][0] - xi, dy = x[j][1] - yi, dz = x[j][2] - zi;
            const double     r2 = dx * dx + dy * dy + dz * dz;
            if (r2 >= cutsq)
              continue;
            inner[n_in++] = j;
            double p = std::sqrt(r2) * rdr + 1.0;
            int    m = std::min(static_cast<int>(p), nr - 1);
            p -= m;
            p              = std::min(p, 1.0);
            const auto &c  = rs[m];
            const double v = ((c[3] * p + c[4]) * p + c[5]) * p + c[6];
            rhoi += v;
            rho[j] += v;
          }
        rho[i] += rhoi;
        inner_offsets_[i + 1] = n_in;
      }
  }

  template <bool want_energy, bool weighted>
  double Eam::embedding_pass(Atoms &atoms, LocalIndex n_owned)
  {
    const double *w     = weighted ? atoms.weight().data() : nullptr;
    const double *rho   = rho_.data();
    const double  rdrho = 1.0 / drho_;
    // Embedding energy and its derivative on owned atoms (weighted: alpha_i F and alpha_i F', so the
    // force pass below is unchanged but for the pair term).
    double      e_embed = 0.0;
    double     *eat     = atoms.energy().data();
    const auto *fs      = frho_spline_.data();
    for (LocalIndex i = 0; i < n_owned; ++i)
      {
        double p = rho[i] * rdrho + 1.0;
        int    m = static_cast<int>(p);
        m        = std::max(1, std::min(m, nrho_ - 1));
        p -= m;
        p             = std::min(p, 1.0);
        const auto &c = fs[m];
        const double fpi = (c[0] * p + c[1]) * p + c[2];
        fp_[i]           = weighted ? w[i] * fpi : fpi;
        if constexpr (want_energy)
          {
            double phi = ((c[3] * p + c[4]) * p + c[5]) * p + c[6];
            if (rho[i] > rhomax_)
              phi += fpi * (rho[i] - rhomax_);
            if constexpr (weighted)
              phi *= w[i];
            e_embed += phi;
            eat[i] += phi;
          }
      }
    return e_embed;
  }

  template <bool want_energy, bool weighted>
  void Eam::force_pass(Atoms &atoms, LocalIndex n_owned)
  {
    const double                *w     = weighted ? atoms.weight().data() : nullptr;
    const Vec3                  *x     = atoms.x().data();
    const double                 rdr   = 1.0 / dr_;
    const int                    nr    = nr_;
    const std::array<double, 7> *rs    = rhor_spline_.data();
    const LocalIndex            *inner = inner_.data();
    double                      *eat   = atoms.energy().data();
    // Pass 2: forces. dE/dr_ij = F'(rho_i) rho'(r) + F'(rho_j) rho'(r) + phi'(r).
    const double                *fp = fp_.data();
    const std::array<double, 7> *zs = z2r_spline_.data();
    Vec3                     *f   = atoms.f().data();
    const std::size_t        *ioff = inner_offsets_.data();
    double etot = 0.0, v0 = 0, v1 = 0, v2 = 0, v3 = 0, v4 = 0, v5 = 0;
    for (LocalIndex i = 0; i < n_owned; ++i)
      {
        const double xi = x[i][0], yi = x[i][1], zi = x[i][2], fpi = fp[i];
        const double wi = weighted ? w[i] : 1.0;
        double       fxi = 0, fyi = 0, fzi = 0, ei = 0;
        for (std::size_t k = ioff[i]; k < ioff[i + 1]; ++k)
          {
            const LocalIndex j  = inner[k];
            const double     dx = x[j][0] - xi, dy = x[j][1] - yi, dz = x[j][2] - zi;
            const double     r  = std::sqrt(dx * dx + dy * dy + dz * dz);
            double           p  = r * rdr + 1.0;
            int              m  = std::min(static_cast<int>(p), nr - 1);
            p -= m;
            p                  = std::min(p, 1.0);
            const auto  &cr    = rs[m];
            const double rhop  = (cr[0] * p + cr[1]) * p + cr[2];
            const auto  &cz    = zs[m];
            const double z2p   = (cz[0] * p + cz[1]) * p + cz[2];
            const double z2    = ((cz[3] * p + cz[4]) * p + cz[5]) * p + cz[6];
            const double recip = 1.0 / r;
            const double phi   = z2 * recip;
            const double phip  = z2p * recip - phi * recip;
            double       sij   = 1.0; // pair weight (alpha_i + alpha_j) / 2
            if constexpr (weighted)
              sij = 0.5 * (wi + w[j]);
            const double psip  = weighted ? (fpi + fp[j]) * rhop + sij * phip : (fpi + fp[j]) * rhop + phip;
            // fpair = -dE/dr / r: force on j is +fpair (x_j - x_i), on i the opposite.
            const double fpair = -psip * recip;
            const double fx = fpair * dx, fy = fpair * dy, fz = fpair * dz;
            fxi -= fx;
            fyi -= fy;
            fzi -= fz;
            f[j][0] += fx;
            f[j][1] += fy;
            f[j][2] += fz;
            if constexpr (want_energy)
              {
                if constexpr (weighted)
                  {
                    etot += sij * phi;
                    ei += 0.5 * wi * phi;
                    eat[j] += 0.5 * w[j] * phi;
                  }
                else
                  {
                    etot += phi;
                    ei += 0.5 * phi;
                    eat[j] += 0.5 * phi;
                  }
                // Virial sum r_ij (x) f_ij with r_ij = x_i - x_j and f_ij the force on i.
                v0 += dx * fx;
                v1 += dy * fy;
                v2 += dz * fz;
                v3 += dx * fy;
                v4 += dx * fz;
                v5 += dy * fz;
              }
          }
        f[i][0] += fxi;
        f[i][1] += fyi;
        f[i][2] += fzi;
        if constexpr (want_energy)
          eat[i] += ei;
      }
    if constexpr (want_energy)
      {
        energy_ = etot;
        virial_ = {v0, v1, v2, v3, v4, v5};
      }
  }

} // namespace seam::md
