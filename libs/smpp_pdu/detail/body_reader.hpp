// SPDX-License-Identifier: Apache-2.0
// Bounds-checked reading of one PDU body, field by field. Internal to mobisync_smpp_pdu.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "smpp_pdu/codec.hpp"

namespace mobisync::smpp::detail {

/// Reads the fields of one body in order. The first failure is kept (with the field's name and
/// the status to answer with); every later read fails too, so a layout reads straight through.
class Reader {
 public:
  Reader(std::string_view bytes, const Header& header);

  bool failed() const { return failed_; }
  const DecodeError& error() const { return error_; }
  std::size_t remaining() const { return bytes_.size() - pos_; }

  /// Records the first failure; `field` is prefixed with the command's name unless it is a
  /// "header." field. Always returns false.
  bool fail(const std::string& field, std::string problem, std::uint32_t status);

  bool u8(const char* field, std::uint8_t& out);
  bool u16(const char* field, std::uint16_t& out);
  /// A C-Octet string of at most `size` octets including its NUL; `too_long` is the status
  /// when no NUL comes within them.
  bool cstring(const char* field, std::size_t size, std::string& out, std::uint32_t too_long);
  /// A time field: empty, or exactly 16 characters (section 7.1).
  bool time(const char* field, std::string& out, std::uint32_t status);
  bool octets(const char* field, std::size_t n, std::string& out);
  /// An SMPP address: `prefix`_ton, `prefix`_npi, then the C-Octet string `field` of at most
  /// `size` octets (`too_long` when longer).
  bool address(const std::string& prefix, const char* field, std::uint8_t& ton, std::uint8_t& npi,
               std::string& out, std::size_t size, std::uint32_t too_long);
  /// The optional parameters up to the end of the body (tlv_codec.cpp).
  bool tlvs(OptionalParams& out);
  /// Fails when octets are left after the last field.
  bool end();

 private:
  unsigned byte(std::size_t i) const { return static_cast<unsigned char>(bytes_[pos_ + i]); }
  bool truncated(const char* field);

  std::string_view bytes_;
  std::size_t pos_ = 0;
  std::string name_;
  bool failed_ = false;
  DecodeError error_;
};

}  // namespace mobisync::smpp::detail
