// SPDX-License-Identifier: Apache-2.0
// Packed GSM-7 as a handset reads it: the CR padding of 3GPP TS 23.038 6.1.2.1.1.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "mobisync/sms/encoding.hpp"

namespace mobisync::sms {

/// The septet of CR in the default alphabet.
inline constexpr char kGsm7CarriageReturn = 0x0D;

namespace detail {

/// Bits left unused in the last octet after `fill_bits` and `septets` septets.
inline unsigned spareBits(unsigned fill_bits, std::size_t septets) {
  return static_cast<unsigned>((8 - (fill_bits + 7 * septets) % 8) % 8);
}

}  // namespace detail

/// Packs the septets of one SMS (or of one part, after a UDH that leaves `fill_bits` to reach a
/// septet boundary) as 3GPP TS 23.038 6.1.2.1.1 asks. A receiver only knows the octet count, so
/// it reads as many septets as the octets hold: when 7 bits of the last octet are spare it would
/// read one more septet, 0x00, a trailing '@'; those bits carry CR instead, which a receiver
/// drops. When the text itself ends with CR exactly on an octet boundary, a receiver would drop
/// that CR as padding, so another CR follows (a handset shows CR CR as it shows CR). That second
/// CR is left out when it would make the payload longer than `max_octets` (a lost trailing CR
/// changes nothing a reader sees). Pure; thread-safe.
inline std::string packSeptetsPadded(std::string_view septets, unsigned fill_bits,
                                     std::size_t max_octets) {
  std::string padded(septets);
  const unsigned spare = detail::spareBits(fill_bits, padded.size());
  if (spare == 7) {
    padded.push_back(kGsm7CarriageReturn);
  } else if (spare == 0 && !padded.empty() && padded.back() == kGsm7CarriageReturn &&
             (fill_bits + 7 * (padded.size() + 1) + 7) / 8 <= max_octets) {
    padded.push_back(kGsm7CarriageReturn);
  }
  return packSeptets(padded, fill_bits);
}

/// What a receiver reads from a packed payload: every septet the octets hold after
/// `fill_bits`, less a final CR that ends exactly on an octet boundary (padding). The inverse of
/// packSeptetsPadded() except for a text that ends with CR on an octet boundary, which comes back
/// with CR CR (or, when no room was left for the second CR, without its CR). Pure; thread-safe.
inline std::string unpackSeptetsPadded(std::string_view packed, unsigned fill_bits) {
  const std::size_t bits = packed.size() * 8;
  const std::size_t count = bits > fill_bits ? (bits - fill_bits) / 7 : 0;
  std::string septets = unpackSeptets(packed, count, fill_bits);
  if (!septets.empty() && detail::spareBits(fill_bits, septets.size()) == 0 &&
      septets.back() == kGsm7CarriageReturn) {
    septets.pop_back();
  }
  return septets;
}

}  // namespace mobisync::sms
