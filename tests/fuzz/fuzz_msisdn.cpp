// SPDX-License-Identifier: Apache-2.0
// Fuzzes MSISDN normalisation. A number it accepts must be 1..15 digits, must normalise to
// itself when given back with '+', and analyze() must agree with normalize(). With the number
// fast path and with libphonenumber alone, the answer (number, line type or reason) is the same.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "model/msisdn.hpp"

using mobisync::model::MsisdnNormalizer;
using mobisync::model::NumberEngine;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const MsisdnNormalizer kRegions[] = {MsisdnNormalizer("GB"), MsisdnNormalizer("US"),
                                              MsisdnNormalizer("AU"), MsisdnNormalizer("DE")};
  static const MsisdnNormalizer kLibrary[] = {
      MsisdnNormalizer("GB", NumberEngine::LibraryOnly),
      MsisdnNormalizer("US", NumberEngine::LibraryOnly),
      MsisdnNormalizer("AU", NumberEngine::LibraryOnly),
      MsisdnNormalizer("DE", NumberEngine::LibraryOnly)};
  if (size < 1) return 0;
  const MsisdnNormalizer& n = kRegions[data[0] % 4];
  std::string_view raw(reinterpret_cast<const char*>(data + 1), size - 1);

  auto got = n.normalize(raw);
  auto analysed = n.analyze(raw);
  if (got.has_value() != analysed.has_value()) std::abort();
  auto library = kLibrary[data[0] % 4].analyze(raw);
  if (library.has_value() != analysed.has_value()) std::abort();
  if (library && (library->msisdn != analysed->msisdn ||
                  library->line_type != analysed->line_type)) {
    std::abort();
  }
  if (!library && library.error().message() != analysed.error().message()) std::abort();
  if (!got) {
    if (got.error().message().empty()) std::abort();
    return 0;
  }
  const std::string& digits = *got;
  if (digits.empty() || digits.size() > 15) std::abort();
  for (char c : digits) {
    if (c < '0' || c > '9') std::abort();
  }
  if (analysed->msisdn != digits) std::abort();
  auto again = n.normalize("+" + digits);
  if (!again || *again != digits) std::abort();
  return 0;
}
