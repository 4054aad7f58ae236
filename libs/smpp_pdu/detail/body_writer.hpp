// SPDX-License-Identifier: Apache-2.0
// Writing of one PDU, field by field, refusing what the spec does not allow (the encoder never
// truncates). Internal to mobisync_smpp_pdu.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "smpp_pdu/pdu.hpp"

namespace mobisync::smpp::detail {

/// Appends big-endian integers and C-Octet strings; the first field that does not fit is kept
/// as the error ("submit_sm.short_message: 300 octets, at most 254").
class Writer {
 public:
  explicit Writer(std::string name) : name_(std::move(name)) {}

  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u16(std::uint16_t v);
  void u32(std::uint32_t v);
  /// A C-Octet string of at most `size` octets including its NUL.
  void cstring(const char* field, const std::string& s, std::size_t size);
  /// A time field: empty, or exactly 16 characters.
  void time(const char* field, const std::string& s);
  /// An SMPP address: ton, npi, then the C-Octet string `field` of at most `size` octets.
  void address(const char* field, std::uint8_t ton, std::uint8_t npi, const std::string& s,
               std::size_t size);
  void tlv(std::uint16_t tag, std::string_view value);
  /// Every optional parameter set in `p`, the parsed ones first (tlv_codec.cpp).
  void tlvs(const OptionalParams& p);
  void fail(const char* field, std::string problem);

  std::string& bytes() { return out_; }
  const std::string& error() const { return error_; }

 private:
  std::string name_;
  std::string out_;
  std::string error_;
};

}  // namespace mobisync::smpp::detail
