// SPDX-License-Identifier: Apache-2.0
#include "smpp_pdu/receipt_text.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>

#include "mobisync/text.hpp"

namespace mobisync::smpp {
namespace {

using text::isAsciiSpace;

struct Key {
  const char* name;  // lower case, as written before ':'
  std::string ReceiptText::*field;
};

const std::array<Key, 8> kKeys{{
    {"id", &ReceiptText::id},
    {"sub", &ReceiptText::sub},
    {"dlvrd", &ReceiptText::dlvrd},
    {"submit date", &ReceiptText::submit_date},
    {"done date", &ReceiptText::done_date},
    {"stat", &ReceiptText::stat},
    {"err", &ReceiptText::err},
    {"text", &ReceiptText::text},
}};

// The key starting at `pos` (case-insensitive, "submit  date" with any run of spaces), followed
// by ':'; returns the key and the position after the ':'.
const Key* keyAt(std::string_view s, std::size_t pos, std::size_t& after) {
  for (const Key& k : kKeys) {
    std::size_t i = pos;
    bool ok = true;
    for (const char* p = k.name; *p != '\0'; ++p) {
      if (*p == ' ') {
        if (i >= s.size() || !isAsciiSpace(s[i])) { ok = false; break; }
        while (i < s.size() && isAsciiSpace(s[i])) ++i;
        continue;
      }
      if (i >= s.size() || text::lowerAscii(s[i]) != *p) { ok = false; break; }
      ++i;
    }
    if (!ok) continue;
    while (i < s.size() && s[i] == ' ') ++i;
    if (i < s.size() && s[i] == ':') {
      after = i + 1;
      return &k;
    }
  }
  return nullptr;
}

bool parseUnsigned(std::string_view s, int base, unsigned long long& out) {
  if (s.empty() || s.size() > 20) return false;
  unsigned long long v = 0;
  for (char c : s) {
    int d = 0;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (base == 16 && c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else return false;
    if (v > (~0ULL - static_cast<unsigned>(d)) / static_cast<unsigned>(base)) return false;
    v = v * static_cast<unsigned>(base) + static_cast<unsigned>(d);
  }
  out = v;
  return true;
}

}  // namespace

std::optional<ReceiptText> parseReceiptText(std::string_view s) {
  ReceiptText r;
  bool seen_id = false;
  bool seen_stat = false;
  std::string* current = nullptr;
  std::size_t value_start = 0;
  std::size_t i = 0;
  auto close = [&](std::size_t end) {
    if (current != nullptr) {
      current->assign(text::trimSpace(s.substr(value_start, end - value_start)));
    }
    current = nullptr;
  };
  while (i < s.size()) {
    // Keys start at the beginning or after white space.
    if (i == 0 || isAsciiSpace(s[i - 1])) {
      std::size_t after = 0;
      if (const Key* k = keyAt(s, i, after)) {
        close(i);
        current = &(r.*(k->field));
        value_start = after;
        if (k->field == &ReceiptText::id) seen_id = true;
        if (k->field == &ReceiptText::stat) seen_stat = true;
        if (k->field == &ReceiptText::text) {  // text runs to the end, keys and all
          close(s.size());
          break;
        }
        i = after;
        continue;
      }
    }
    ++i;
  }
  close(s.size());
  if (!seen_id && !seen_stat) return std::nullopt;
  for (char& c : r.stat) c = text::upperAscii(c);
  return r;
}

std::optional<std::int64_t> parseReceiptDate(std::string_view d) {
  if (d.size() != 10 && d.size() != 12) return std::nullopt;
  if (!std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  auto two = [&](std::size_t at) { return (d[at] - '0') * 10 + (d[at + 1] - '0'); };
  const int yy = two(0), mm = two(2), dd = two(4), hh = two(6), mi = two(8);
  const int ss = d.size() == 12 ? two(10) : 0;
  using namespace std::chrono;
  const year_month_day ymd{year{2000 + yy}, month{static_cast<unsigned>(mm)},
                           day{static_cast<unsigned>(dd)}};
  if (!ymd.ok() || hh > 23 || mi > 59 || ss > 59) return std::nullopt;
  const auto tp = sys_days{ymd} + hours{hh} + minutes{mi} + seconds{ss};
  return duration_cast<milliseconds>(tp.time_since_epoch()).count();
}

std::vector<std::string> messageIdForms(std::string_view id) {
  std::string base = text::lowerAscii(text::trimSpace(id));
  std::string digits = base;
  if (digits.size() > 2 && digits.rfind("0x", 0) == 0) digits.erase(0, 2);
  unsigned long long dec = 0;
  unsigned long long hex = 0;
  const bool is_dec = parseUnsigned(digits, 10, dec);
  const bool is_hex = parseUnsigned(digits, 16, hex);
  std::vector<std::string> forms;
  auto add = [&](std::string f) {
    if (std::find(forms.begin(), forms.end(), f) == forms.end()) forms.push_back(std::move(f));
  };
  auto hexText = [](unsigned long long v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%llx", v);
    return std::string(buf);
  };
  // The canonical form first: numbers without leading zeros, in the base they are written in.
  if (is_dec) add(std::to_string(dec));
  else if (is_hex) add(hexText(hex));
  else add(base);
  if (is_dec) add(hexText(dec));       // written in decimal here, in hex there
  if (is_hex) add(std::to_string(hex));  // written in hex here, in decimal there
  if (is_hex) add(hexText(hex));
  return forms;
}

}  // namespace mobisync::smpp
