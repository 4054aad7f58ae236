// SPDX-License-Identifier: Apache-2.0
// Fuzzes the delivery-receipt text parser, its date parser and message-id forms. A parsed
// date lies in 2000..2099; every form of a non-empty id is non-empty.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "smpp_pdu/receipt_text.hpp"

namespace smpp = mobisync::smpp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto r = smpp::parseReceiptText(text)) {
    (void)smpp::parseReceiptDate(r->submit_date);
    (void)smpp::parseReceiptDate(r->done_date);
    // A parsed id is trimmed, so a non-empty one must give non-empty forms.
    for (const auto& form : smpp::messageIdForms(r->id)) {
      if (form.empty() && !r->id.empty()) std::abort();
    }
  }
  if (auto ms = smpp::parseReceiptDate(text)) {
    constexpr std::int64_t k2000 = 946'684'800'000;
    constexpr std::int64_t k2100 = 4'102'444'800'000;
    if (*ms < k2000 || *ms >= k2100) std::abort();
  }
  (void)smpp::messageIdForms(text);
  return 0;
}
