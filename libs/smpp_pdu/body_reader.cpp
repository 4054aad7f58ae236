// SPDX-License-Identifier: Apache-2.0
#include "smpp_pdu/detail/body_reader.hpp"

#include <algorithm>
#include <utility>

#include "smpp_pdu/detail/body_layout.hpp"

namespace mobisync::smpp::detail {

Reader::Reader(std::string_view bytes, const Header& header)
    : bytes_(bytes), name_(commandName(header.command_id)) {
  error_.command_id = header.command_id;
  error_.sequence_number = header.sequence_number;
}

bool Reader::fail(const std::string& field, std::string problem, std::uint32_t status) {
  if (!failed_) {
    failed_ = true;
    if (field.rfind("header.", 0) == 0) {
      error_.field = field;
    } else {
      error_.field = name_ + (field.find(' ') == std::string::npos ? "." : " ") + field;
    }
    error_.problem = std::move(problem);
    error_.status = status;
  }
  return false;
}

bool Reader::u8(const char* field, std::uint8_t& out) {
  if (failed_) return false;
  if (remaining() < 1) return truncated(field);
  out = static_cast<std::uint8_t>(bytes_[pos_++]);
  return true;
}

bool Reader::u16(const char* field, std::uint16_t& out) {
  if (failed_) return false;
  if (remaining() < 2) return truncated(field);
  out = static_cast<std::uint16_t>((byte(0) << 8) | byte(1));
  pos_ += 2;
  return true;
}

bool Reader::cstring(const char* field, std::size_t size, std::string& out,
                     std::uint32_t too_long) {
  if (failed_) return false;
  std::size_t window = std::min(size, remaining());
  std::string_view rest = bytes_.substr(pos_, window);
  std::size_t nul = rest.find('\0');
  if (nul == std::string_view::npos) {
    if (window < size) return truncated(field);
    return fail(field, "has no NUL within " + octetCount(size) + " (at most " +
                           std::to_string(size - 1) + " characters)",
                too_long);
  }
  out.assign(rest.substr(0, nul));
  pos_ += nul + 1;
  return true;
}

bool Reader::time(const char* field, std::string& out, std::uint32_t status) {
  if (!cstring(field, limit::kTime, out, status)) return false;
  if (!out.empty() && out.size() != 16) {
    return fail(field, "has " + std::to_string(out.size()) + " characters, must be 0 or 16",
                status);
  }
  return true;
}

bool Reader::octets(const char* field, std::size_t n, std::string& out) {
  if (failed_) return false;
  if (remaining() < n) return truncated(field);
  out.assign(bytes_.substr(pos_, n));
  pos_ += n;
  return true;
}

bool Reader::address(const std::string& prefix, const char* field, std::uint8_t& ton,
                     std::uint8_t& npi, std::string& out, std::size_t size,
                     std::uint32_t too_long) {
  u8((prefix + "_ton").c_str(), ton);
  u8((prefix + "_npi").c_str(), npi);
  return cstring(field, size, out, too_long);
}

bool Reader::end() {
  if (failed_) return false;
  if (remaining() != 0) {
    return fail("command_length", octetCount(remaining()) + " after the last field",
                status::kInvCmdLen);
  }
  return true;
}

bool Reader::truncated(const char* field) {
  return fail(field, "truncated: the PDU ends inside it", status::kInvCmdLen);
}

}  // namespace mobisync::smpp::detail
