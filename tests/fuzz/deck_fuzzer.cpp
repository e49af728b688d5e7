// libFuzzer target for the deck loader: arbitrary bytes as deck text through YAML parsing, --set overrides,
// schema validation and the cross-field checks (Deck::from_text, what `seam check` runs before any MPI or
// deal.II set-up), then the normalised deck and its hash. Built by -DSEAM_FUZZ=ON with clang; scripts/fuzz.
//
// Input: the deck text. Its lines that start with "#set " (YAML comments, so the deck stays valid) are also
// passed as --set overrides, so that the fuzzer reaches apply_overrides too.
#include "base/error.h"
#include "config/deck.h"
#include "coupling/coupling_scheme.h"
#include "md/fix/registry.h"
#include "md/potential/registry.h"

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

// The styles of the modules above config join the deck schema first, as in seam's main().
extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
  seam::md::register_potential_keys();
  seam::md::register_fix_keys();
  seam::coupling::register_coupling_keys();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
  const std::string        text(reinterpret_cast<const char *>(data), size);
  std::vector<std::string> overrides;
  std::istringstream       lines(text);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("#set ", 0) == 0)
      overrides.push_back(line.substr(5));
  try
    {
      const auto deck = seam::config::Deck::from_text(text, "fuzz.yaml", overrides);
      (void)deck.normalised();
      (void)deck.hash();
    }
  catch (const seam::InputError &)
    {
      // The expected answer to a bad deck. Anything else escaping (std::out_of_range from a std::stoi,
      // std::logic_error from a missing key, YAML exceptions) ends the run as a crash: a seam bug.
    }
  return 0;
}
