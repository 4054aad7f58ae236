// SPDX-License-Identifier: Apache-2.0
#include "receipts.hpp"

#include <algorithm>

#include "smpp_pdu/receipt_text.hpp"

namespace mobisync::plugins::smpp {

namespace pdu = mobisync::smpp;

namespace {
// esm_class bits 2..5 give the message type; 0x04 is an SMSC delivery receipt (5.2.12).
constexpr std::uint8_t kMessageTypeMask = 0x3C;
}  // namespace

std::optional<plugin::Receipt> receiptFrom(const pdu::ShortMessage& deliver) {
  const bool typed = (deliver.esm_class & kMessageTypeMask) == pdu::kEsmDeliveryReceipt;
  const std::string& body =
      deliver.tlvs.message_payload ? *deliver.tlvs.message_payload : deliver.short_message;
  auto text = pdu::parseReceiptText(body);
  if (!typed && !deliver.tlvs.receipted_message_id && !text) return std::nullopt;

  plugin::Receipt r;
  if (deliver.tlvs.receipted_message_id) {
    r.message_id = *deliver.tlvs.receipted_message_id;
  } else if (text) {
    r.message_id = text->id;
  }
  if (deliver.tlvs.message_state) {
    r.state = pdu::messageStateName(*deliver.tlvs.message_state);
  } else if (text && !text->stat.empty()) {
    r.state = text->stat;
  } else {
    r.state = "UNKNOWN";
  }
  r.error = text && !text->err.empty() ? text->err : "000";
  if (text) {
    if (auto at = pdu::parseReceiptDate(text->done_date)) r.done_at_ms = *at;
  }
  if (r.message_id.empty()) return std::nullopt;
  return r;
}

bool isFinalState(const std::string& state) {
  return state == "DELIVRD" || state == "EXPIRED" || state == "DELETED" || state == "UNDELIV" ||
         state == "REJECTD" || state == "UNKNOWN";
}

std::uint64_t ReceiptMatcher::open(std::size_t parts) {
  std::lock_guard lock(mutex_);
  const std::uint64_t key = next_key_++;
  Entry e;
  e.parts.resize(parts);
  e.canonical_ids.resize(parts);
  entries_.emplace(key, std::move(e));
  order_.push_back(key);
  while (order_.size() > capacity_) {
    forgetLocked(order_.front());
    order_.pop_front();
  }
  return key;
}

void ReceiptMatcher::accepted(std::uint64_t key, std::size_t index, const std::string& message_id) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end() || index >= it->second.parts.size()) return;
  std::string canonical = pdu::messageIdForms(message_id).front();
  by_id_[canonical] = {key, index};
  it->second.canonical_ids[index] = std::move(canonical);
  if (index == 0) it->second.delivery_id = message_id;
  // A receipt that overtook this response can be matched now.
  for (auto w = unmatched_.begin(); w != unmatched_.end();) {
    if (matchLocked(w->receipt)) {
      w = unmatched_.erase(w);
    } else {
      ++w;
    }
  }
}

void ReceiptMatcher::expect(const std::vector<std::string>& part_ids) {
  const std::uint64_t key = open(part_ids.size());
  for (std::size_t i = 0; i < part_ids.size(); ++i) accepted(key, i, part_ids[i]);
}

void ReceiptMatcher::forgetLocked(std::uint64_t key) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return;
  for (const std::string& id : it->second.canonical_ids) {
    auto at = by_id_.find(id);
    if (at != by_id_.end() && at->second.first == key) by_id_.erase(at);
  }
  entries_.erase(it);
}

void ReceiptMatcher::finishLocked(std::uint64_t key) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return;
  for (const std::string& id : it->second.canonical_ids) {
    if (id.empty()) continue;
    finished_[id] = it->second.delivery_id;
    finished_order_.push_back(id);
  }
  while (finished_order_.size() > capacity_) {
    finished_.erase(finished_order_.front());
    finished_order_.pop_front();
  }
  forgetLocked(key);
}

bool ReceiptMatcher::matchLocked(const plugin::Receipt& raw) {
  // The canonical form first: sequential decimal ids collide across bases.
  const auto forms = pdu::messageIdForms(raw.message_id);
  auto found = by_id_.end();
  for (const std::string& f : forms) {
    found = by_id_.find(f);
    if (found != by_id_.end()) break;
  }
  if (found == by_id_.end()) {
    for (const std::string& f : forms) {
      auto done = finished_.find(f);
      if (done == finished_.end()) continue;
      plugin::Receipt repeat = raw;  // the host skips a repeat of the status it recorded
      repeat.message_id = done->second;
      ready_.push_back(std::move(repeat));
      return true;
    }
    return false;
  }
  const auto [key, index] = found->second;
  Entry& e = entries_.at(key);
  e.parts[index] = Part{raw.state, raw.error, raw.done_at_ms};
  if (e.parts.size() == 1) {
    plugin::Receipt r = raw;
    r.message_id = e.delivery_id;
    ready_.push_back(std::move(r));
    if (isFinalState(raw.state)) finishLocked(key);
    return true;
  }
  const bool all_final = std::all_of(e.parts.begin(), e.parts.end(),
                                     [](const Part& p) { return isFinalState(p.state); });
  if (!all_final) return true;
  plugin::Receipt r;
  r.message_id = e.delivery_id;
  r.state = "DELIVRD";
  r.error = "000";
  for (const Part& p : e.parts) {
    r.done_at_ms = std::max(r.done_at_ms, p.done_at_ms);
    if (p.state != "DELIVRD" && r.state == "DELIVRD") {
      r.state = p.state;
      r.error = p.error;
    }
  }
  ready_.push_back(std::move(r));
  finishLocked(key);
  return true;
}

void ReceiptMatcher::add(const plugin::Receipt& raw) {
  std::lock_guard lock(mutex_);
  if (!matchLocked(raw)) unmatched_.push_back(Waiting{raw, Clock::now()});
}

std::vector<plugin::Receipt> ReceiptMatcher::take() {
  std::lock_guard lock(mutex_);
  const auto now = Clock::now();
  for (auto w = unmatched_.begin(); w != unmatched_.end();) {
    if (now - w->since >= grace_) {
      ready_.push_back(std::move(w->receipt));
      w = unmatched_.erase(w);
    } else {
      ++w;
    }
  }
  std::vector<plugin::Receipt> out;
  out.swap(ready_);
  return out;
}

}  // namespace mobisync::plugins::smpp
