// SPDX-License-Identifier: Apache-2.0
#include "smpp_pdu/detail/body_writer.hpp"

#include "smpp_pdu/detail/body_layout.hpp"

namespace mobisync::smpp::detail {

void Writer::u16(std::uint16_t v) {
  u8(static_cast<std::uint8_t>(v >> 8));
  u8(static_cast<std::uint8_t>(v));
}

void Writer::u32(std::uint32_t v) {
  u16(static_cast<std::uint16_t>(v >> 16));
  u16(static_cast<std::uint16_t>(v));
}

void Writer::cstring(const char* field, const std::string& s, std::size_t size) {
  if (s.find('\0') != std::string::npos) return fail(field, "contains a NUL");
  if (s.size() + 1 > size) {
    return fail(field, std::to_string(s.size()) + " characters, at most " +
                           std::to_string(size - 1));
  }
  out_.append(s);
  out_.push_back('\0');
}

void Writer::time(const char* field, const std::string& s) {
  if (!s.empty() && s.size() != 16) {
    return fail(field, std::to_string(s.size()) + " characters, must be 0 or 16");
  }
  cstring(field, s, limit::kTime);
}

void Writer::address(const char* field, std::uint8_t ton, std::uint8_t npi,
                     const std::string& s, std::size_t size) {
  u8(ton);
  u8(npi);
  cstring(field, s, size);
}

void Writer::tlv(std::uint16_t t, std::string_view value) {
  if (value.size() > 0xFFFF) return fail(tagName(t).c_str(), "longer than 65535 octets");
  u16(t);
  u16(static_cast<std::uint16_t>(value.size()));
  out_.append(value);
}

void Writer::fail(const char* field, std::string problem) {
  if (error_.empty()) {
    std::string f = field;
    error_ = name_ + (f.find(' ') == std::string::npos ? "." : " ") + f + ": " + problem;
  }
}

}  // namespace mobisync::smpp::detail
