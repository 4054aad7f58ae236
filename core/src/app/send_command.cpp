// SPDX-License-Identifier: Apache-2.0
// `send`: writes one message per recipient to the outbox, drains it, and with --wait-receipts
// keeps the notifier open until every message has a final status.
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <thread>

#include "app/json_text.hpp"
#include "app/notify_commands.hpp"
#include "mobisync/sms/encoding.hpp"
#include "mobisync/sms/originator.hpp"
#include "notify/notifier_pool.hpp"
#include "notify/outbox_drain.hpp"
#include "notify/receipt_pump.hpp"
#include "state/message_log.hpp"
#include "sync/job_report.hpp"
#include "values/wall_clock.hpp"

namespace mobisync::app {

namespace {

/// How long `send` keeps retrying temporary failures before it gives up and reports.
constexpr std::int64_t kSettleLimitMs = 5 * 60 * 1000;

using values::nowMs;

std::vector<std::string> splitList(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');) {
    while (!item.empty() && item.front() == ' ') item.erase(item.begin());
    while (!item.empty() && item.back() == ' ') item.pop_back();
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

std::string readText(const CliOptions& o) {
  std::string text = o.text;
  if (!o.text_file.empty()) {
    std::ifstream in(o.text_file, std::ios::binary);
    if (!in) throw NotifyCommandError(sync::kExitUsage, "cannot read --text-file " + o.text_file);
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    // Editors end files with a newline that nobody means to send.
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  }
  if (text.empty()) throw NotifyCommandError(sync::kExitUsage, "send: the text is empty");
  return text;
}

/// Re-reads the rows; true when each has a final status (receipt, failure, expiry).
bool allFinal(state::MessageLog& log, const std::vector<std::int64_t>& ids,
              std::vector<state::MessageRecord>& rows) {
  rows.clear();
  bool done = true;
  for (auto id : ids) {
    auto m = log.find(id);
    rows.push_back(m ? *m : state::MessageRecord{});
    if (!m || !state::isFinalStatus(m->status)) done = false;
  }
  return done;
}

/// Pumps the notifier's receipts (when it has a ReceiptSource; otherwise the daemon's webhook
/// or SMPP bind may record them) until every message is final or the wait ends.
void waitForReceipts(notify::NotifierInstance& n, state::StateStore& store,
                     const std::vector<std::int64_t>& ids, std::int64_t wait_ms,
                     std::vector<state::MessageRecord>& rows) {
  state::MessageLog log(store);
  const std::int64_t deadline = nowMs() + wait_ms;
  for (;;) {
    if (n.receipts != nullptr) notify::storeReceipts(n, store);
    if (allFinal(log, ids, rows) || nowMs() >= deadline) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(
        std::min<std::int64_t>(200, std::max<std::int64_t>(1, deadline - nowMs()))));
  }
}

/// The exit code: 0 when every message reached `goal`; otherwise as the worst row says.
int exitCode(const std::vector<state::MessageRecord>& rows, const Status& fatal, bool waited) {
  bool refused = false, temporary = false;
  for (const auto& m : rows) {
    if (m.status == "delivered" || (!waited && m.status == "submitted")) continue;
    // For good: refused by the provider, a receipt that says failed or expired, or a recipient
    // who opted out. Not for good: retries used up, still queued, no final receipt in time.
    const bool gave_up_retrying = m.status == "failed" && m.detail.rfind("still failing after", 0) == 0;
    if ((m.status == "failed" && !gave_up_retrying) || m.status == "expired" ||
        m.status == "suppressed") {
      refused = true;
    } else {
      temporary = true;  // retries used up, still queued, no final receipt in time, unknown
    }
  }
  if (!refused && !temporary) return sync::kExitOk;
  if (!fatal.isOk()) {
    if (fatal.code() == Errc::InvalidConfig) return sync::kExitConfig;
    return fatal.retryable() ? sync::kExitUnavailable : sync::kExitProtocol;
  }
  return refused ? sync::kExitProtocol : sync::kExitUnavailable;
}

void printSentTable(std::ostream& out, const std::vector<std::string>& numbers,
                    const sms::Encoded& encoded, const std::vector<state::MessageRecord>& rows) {
  out << std::left << std::setw(17) << "RECIPIENT" << std::setw(7) << "PARTS" << std::setw(10)
      << "ENCODING" << "RESULT\n";
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    const auto& m = rows[i];
    out << std::setw(17) << numbers[i] << std::setw(7) << encoded.partCount() << std::setw(10)
        << sms::codingName(encoded.coding) << m.status;
    if (!m.message_id.empty()) out << ", message id " << m.message_id;
    if (!m.detail.empty() && m.status != "submitted") out << ": " << m.detail;
    out << "\n";
  }
}

/// One object per recipient, in the order given, with the state's message id for `state
/// messages`.
void printSentJson(std::ostream& out, const std::vector<std::string>& numbers,
                   const sms::Encoded& encoded, const std::vector<state::MessageRecord>& rows) {
  out << "[";
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    const auto& m = rows[i];
    out << (i == 0 ? "\n" : ",\n") << "  {\"recipient\": " << jsonQuote(numbers[i])
        << ", \"id\": " << m.id << ", \"parts\": " << encoded.partCount()
        << ", \"encoding\": " << jsonQuote(sms::codingName(encoded.coding))
        << ", \"status\": " << jsonQuote(m.status)
        << ", \"message_id\": " << jsonQuote(m.message_id)
        << ", \"detail\": " << jsonQuote(m.detail) << "}";
  }
  out << (numbers.empty() ? "]\n" : "\n]\n");
}

}  // namespace

int sendMessages(const CliOptions& o, const config::AppConfig& cfg,
                 plugin_host::PluginLoader& loader, state::StateStore& store, std::ostream& out) {
  using sync::kExitUsage;
  if (o.via.empty()) throw NotifyCommandError(kExitUsage, "send needs --via NAME (a [[notifier]])");
  if (cfg.findNotifier(o.via) == nullptr) {
    std::string names;
    for (const auto& n : cfg.notifiers) names += (names.empty() ? "" : ", ") + n.name;
    throw NotifyCommandError(sync::kExitConfig, "no [[notifier]] named \"" + o.via + "\" in " +
                                                    cfg.file + " (notifiers: " +
                                                    (names.empty() ? "none" : names) + ")");
  }
  auto raw_numbers = splitList(o.to);
  if (raw_numbers.empty()) throw NotifyCommandError(kExitUsage, "send needs --to N[,N...]");
  if (o.has_text == !o.text_file.empty()) {
    throw NotifyCommandError(kExitUsage, "send needs exactly one of --text T and --text-file F");
  }
  const std::string text = readText(o);
  auto encoded = sms::encode(text);
  if (!encoded) {
    throw NotifyCommandError(sync::kExitBlocked, "send: the text: " + encoded.error().message());
  }
  if (!o.originator.empty()) {
    if (auto kind = sms::checkOriginator(o.originator); !kind) {
      throw NotifyCommandError(kExitUsage, "--originator: " + kind.error().message());
    }
  }
  std::vector<std::string> numbers;
  for (const auto& raw : raw_numbers) {
    auto n = internationalNumber(raw);
    if (!n) throw NotifyCommandError(kExitUsage, "--to " + n.error().message());
    numbers.push_back(*n);
  }

  notify::NotifierPool pool(cfg, loader, &store);
  auto instance = pool.get(o.via);
  if (!instance) throw NotifyCommandError(sync::kExitConfig, instance.error().message());

  // Written to the outbox like notifications, so a crash loses nothing, receipts find them and
  // `state messages` lists them; the key is unique per invocation and recipient.
  const std::string prefix =
      "send/" + std::to_string(nowMs()) + "/" + std::to_string(::getpid()) + "/";
  std::vector<notify::QueuedMessage> outgoing;
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    outgoing.push_back({prefix + std::to_string(i), o.via, numbers[i], text, o.originator, "", "",
                        "send", 0});
  }
  const auto ids = notify::enqueueMessages(store, outgoing, nowMs());
  notify::DrainSettings settings;
  settings.notifiers = {o.via};
  settings.batch = false;  // one line per recipient, each with its own outcome
  settings.batch_name = "mobisync send";
  const auto drained =
      notify::OutboxDrain(pool, store, settings).drainUntilSettled(nowMs() + kSettleLimitMs);

  std::vector<state::MessageRecord> rows;
  state::MessageLog log(store);
  allFinal(log, ids, rows);
  if (o.wait_receipts_ms > 0) waitForReceipts(**instance, store, ids, o.wait_receipts_ms, rows);
  else if ((*instance)->receipts != nullptr) notify::storeReceipts(**instance, store);

  if (o.format == "json") {
    printSentJson(out, numbers, *encoded, rows);
  } else {
    printSentTable(out, numbers, *encoded, rows);
  }
  return exitCode(rows, drained.fatal, o.wait_receipts_ms > 0);
}

}  // namespace mobisync::app
