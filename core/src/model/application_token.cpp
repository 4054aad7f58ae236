// SPDX-License-Identifier: Apache-2.0
// Application token parsing: one canonical spelling per token, so state keys never diverge.
#include "model/application_token.hpp"

#include <algorithm>
#include <array>

namespace mobisync::model {
namespace {

// Ids are the provider's integer keys; 18 digits always fit a signed 64-bit integer.
constexpr std::size_t kMaxIdDigits = 18;
// Error messages quote the token; a runaway cell must not turn into a runaway message.
constexpr std::size_t kMaxQuoted = 64;

bool isSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// The token ends up in logs and terminals, so control bytes are shown escaped, never raw.
std::string quote(std::string_view token) {
  static constexpr std::array<char, 16> kHex = {'0', '1', '2', '3', '4', '5', '6', '7',
                                                '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  std::string out = "\"";
  const bool cut = token.size() > kMaxQuoted;
  for (char c : token.substr(0, kMaxQuoted)) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7f) {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    } else {
      out += c;
    }
  }
  if (cut) out += "...";
  out += '"';
  return out;
}

Status unknown(std::string_view token) {
  return Status::invalidConfig("unknown application " + quote(token) + ": expected " +
                               std::string(kApplicationForms));
}

Status badId(std::string_view token, std::string_view form, std::string_view what) {
  return Status::invalidConfig("invalid application " + quote(token) + ": expected " +
                               std::string(form) + " " + std::string(what));
}

struct IdKind {
  std::string_view kind;
  std::string_view form;
  std::string_view id_name;
};

constexpr std::array<IdKind, 3> kIdKinds = {{
    {"recurring", "recurring:<CampaignId>", "<CampaignId>"},
    {"contacts", "contacts:<ListId>", "<ListId>"},
    {"callcentre", "callcentre:<SetupId>", "<SetupId>"},
}};

}  // namespace

Result<std::string> parseApplicationToken(std::string_view token) {
  const std::string_view t = trim(token);
  const std::size_t colon = t.find(':');
  const std::string kind = lower(trim(t.substr(0, colon)));
  const bool has_arg = colon != std::string_view::npos;
  const std::string_view arg = has_arg ? trim(t.substr(colon + 1)) : std::string_view();

  if (kind == "appointments") {
    if (has_arg) {
      return Status::invalidConfig("invalid application " + quote(t) +
                                   ": appointments takes no id");
    }
    return std::string("appointments");
  }
  if (kind == "optouts") {
    const std::string channel = lower(arg);
    if (channel == "sms") return std::string("optouts:sms");
    // The provider's wiki writes "optouts:call"; both mean the calls opt-out list.
    if (channel == "calls" || channel == "call") return std::string("optouts:calls");
    return Status::invalidConfig("invalid application " + quote(t) +
                                 ": expected optouts:sms or optouts:calls");
  }
  for (const IdKind& k : kIdKinds) {
    if (kind != k.kind) continue;
    const std::string what = "with " + std::string(k.id_name) + " a positive integer";
    if (arg.empty() || !std::all_of(arg.begin(), arg.end(), [](char c) {
          return c >= '0' && c <= '9';
        })) {
      return badId(t, k.form, what);
    }
    // "contacts:042" and "contacts:42" must be one state key.
    const std::string_view digits = arg.substr(std::min(arg.find_first_not_of('0'), arg.size()));
    if (digits.empty()) return badId(t, k.form, what);
    if (digits.size() > kMaxIdDigits) {
      return badId(t, k.form, "with " + std::string(k.id_name) + " of at most 18 digits");
    }
    return std::string(k.kind) + ":" + std::string(digits);
  }
  if (t.empty()) {
    return Status::invalidConfig("empty application: expected " + std::string(kApplicationForms));
  }
  return unknown(t);
}

Result<std::vector<std::string>> parseApplicationList(std::string_view text, char separator) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(separator, start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view item = trim(text.substr(start, end - start));
    start = end + 1;
    if (item.empty()) continue;
    auto token = parseApplicationToken(item);
    if (!token) return token.error();
    out.push_back(std::move(token).value());
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace mobisync::model
