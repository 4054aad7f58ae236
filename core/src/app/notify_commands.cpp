// SPDX-License-Identifier: Apache-2.0
// `send`, `hlr` and `state messages`.
#include "app/notify_commands.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "app/json_text.hpp"
#include "mobisync/sms/encoding.hpp"
#include "mobisync/sms/originator.hpp"
#include "model/msisdn.hpp"
#include "notify/dispatcher.hpp"
#include "notify/notifier_pool.hpp"
#include "notify/sender.hpp"
#include "state/hlr_cache.hpp"
#include "state/message_log.hpp"
#include "sync/job_report.hpp"

namespace mobisync::app {

namespace {

std::int64_t nowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

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

/// "+447930000001", "447930000001" or "00447930000001" to E.164 digits; numbers are
/// international here, since a command line has no job region to read them with.
Result<std::string> internationalNumber(const std::string& raw) {
  static const model::MsisdnNormalizer kAnyRegion("GB");  // unused for '+' numbers
  std::string s = raw;
  if (s.rfind("00", 0) == 0) s = "+" + s.substr(2);
  if (s.empty() || s.front() != '+') s = "+" + s;
  auto n = kAnyRegion.normalize(s);
  if (!n) return Status::rejected("\"" + raw + "\": " + n.error().message());
  return n;
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
  std::string text = o.text;
  if (!o.text_file.empty()) {
    std::ifstream in(o.text_file, std::ios::binary);
    if (!in) throw NotifyCommandError(kExitUsage, "cannot read --text-file " + o.text_file);
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    // Editors end files with a newline that nobody means to send.
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  }
  if (text.empty()) throw NotifyCommandError(kExitUsage, "send: the text is empty");
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

  notify::NotifierPool pool(cfg, loader);
  auto instance = pool.get(o.via);
  if (!instance) throw NotifyCommandError(sync::kExitConfig, instance.error().message());

  // Claimed in the message log like notifications, so receipts find them and `state messages`
  // lists them; the key is unique per invocation and recipient.
  state::MessageLog log(store);
  const std::string prefix =
      "send/" + std::to_string(nowMs()) + "/" + std::to_string(::getpid()) + "/";
  std::vector<state::MessageRecord> records;
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    state::MessageRecord m;
    m.dedup_key = prefix + std::to_string(i);
    m.event = "send";
    m.notifier = o.via;
    m.recipient = numbers[i];
    m.parts = static_cast<std::int64_t>(encoded->partCount());
    m.encoding = sms::codingName(encoded->coding);
    records.push_back(std::move(m));
  }
  auto ids = log.claim(records, nowMs());
  std::vector<plugin::Message> messages;
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    messages.push_back({numbers[i], text, o.originator, "ms-" + std::to_string(ids[i])});
  }
  notify::RetrySettings settings;
  settings.batch = false;
  notify::SendReport report = notify::sendAll(**instance, messages, {"mobisync send"}, settings);

  std::vector<state::MessageOutcome> outcomes;
  int failed = 0;
  out << std::left << std::setw(17) << "RECIPIENT" << std::setw(7) << "PARTS" << std::setw(10)
      << "ENCODING" << "RESULT\n";
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    const auto& r = report.outcomes[i];
    const bool sent = r.kind == notify::SendOutcome::Kind::Sent;
    const char* status = sent ? "sent"
                         : r.kind == notify::SendOutcome::Kind::Dropped ? "dropped"
                                                                        : "failed";
    outcomes.push_back({ids[i], status, r.message_id, r.detail, records[i].parts,
                        records[i].encoding});
    out << std::setw(17) << numbers[i] << std::setw(7) << encoded->partCount() << std::setw(10)
        << sms::codingName(encoded->coding);
    if (sent) {
      out << "sent, message id " << r.message_id << "\n";
    } else {
      ++failed;
      out << status << ": " << r.detail << "\n";
    }
  }
  log.record(outcomes, nowMs());
  if ((*instance)->receipts != nullptr) notify::storeReceipts(**instance, store);
  if (failed == 0) return sync::kExitOk;
  if (!report.fatal.isOk()) {
    if (report.fatal.code() == Errc::InvalidConfig) return sync::kExitConfig;
    return report.fatal.retryable() ? sync::kExitUnavailable : sync::kExitProtocol;
  }
  // No refusal of the whole call: messages still Failed ran out of retries (timeouts, 5xx),
  // which is the provider being unavailable; only Dropped ones were refused for good.
  const bool temporary = std::any_of(report.outcomes.begin(), report.outcomes.end(), [](auto& r) {
    return r.kind == notify::SendOutcome::Kind::Failed;
  });
  return temporary ? sync::kExitUnavailable : sync::kExitProtocol;
}

int lookupNumbers(const CliOptions& o, const config::AppConfig& cfg,
                  plugin_host::PluginLoader& loader, state::StateStore& store, std::ostream& out) {
  std::vector<std::string> raw(o.args.begin() + (o.args.empty() ? 0 : 1), o.args.end());
  if (raw.empty()) throw NotifyCommandError(sync::kExitUsage, "usage: mobisync hlr [--via NAME] "
                                                              "[--json] NUMBER...");
  std::vector<std::string> numbers;
  for (const auto& r : raw) {
    auto n = internationalNumber(r);
    if (!n) throw NotifyCommandError(sync::kExitUsage, n.error().message());
    numbers.push_back(*n);
  }
  notify::NotifierPool pool(cfg, loader);
  notify::NotifierInstance* lookup = nullptr;
  if (!o.via.empty()) {
    auto instance = pool.get(o.via);
    if (!instance) throw NotifyCommandError(sync::kExitConfig, instance.error().message());
    if ((*instance)->lookup == nullptr) {
      throw NotifyCommandError(sync::kExitConfig, "notifier " + o.via + " (plugin " +
                                                      (*instance)->plugin +
                                                      ") cannot look numbers up");
    }
    lookup = *instance;
  } else {
    // Without --via: the first configured notifier that can look numbers up.
    for (const auto& n : cfg.notifiers) {
      auto instance = pool.get(n.name);
      if (instance && (*instance)->lookup != nullptr) {
        lookup = *instance;
        break;
      }
    }
    if (lookup == nullptr) {
      throw NotifyCommandError(sync::kExitConfig,
                               "no [[notifier]] in " + cfg.file + " can look numbers up");
    }
  }

  state::HlrCache cache(store);
  struct Row {
    std::string msisdn;
    Result<plugin::NumberStatus> status;
  };
  std::vector<Row> rows;
  int failed = 0;
  for (const auto& n : numbers) {
    auto r = notify::guardedResult<plugin::NumberStatus>(
        lookup->plugin, [&] { return lookup->lookup->lookup(n); });
    if (r && r->state != plugin::NumberStatus::State::Unknown) cache.store(n, *r, nowMs());
    if (!r) ++failed;
    rows.push_back({n, std::move(r)});
  }
  if (o.json) {
    out << "[";
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const auto& r = rows[i];
      out << (i == 0 ? "\n" : ",\n") << "  {\"msisdn\": " << jsonQuote(r.msisdn);
      if (!r.status) {
        out << ", \"error\": " << jsonQuote(r.status.error().message()) << "}";
        continue;
      }
      const auto& s = *r.status;
      out << ", \"status\": " << jsonQuote(state::numberStateName(s.state))
          << ", \"network\": " << jsonQuote(s.network) << ", \"country\": " << jsonQuote(s.country)
          << ", \"ported\": " << (s.ported ? "true" : "false")
          << ", \"detail\": " << jsonQuote(s.detail) << "}";
    }
    out << (rows.empty() ? "]\n" : "\n]\n");
  } else {
    out << std::left << std::setw(17) << "NUMBER" << std::setw(10) << "STATUS" << std::setw(20)
        << "NETWORK" << std::setw(9) << "COUNTRY" << std::setw(8) << "PORTED" << "DETAIL\n";
    for (const auto& r : rows) {
      out << std::setw(17) << r.msisdn;
      if (!r.status) {
        out << "error: " << r.status.error().message() << "\n";
        continue;
      }
      const auto& s = *r.status;
      out << std::setw(10) << state::numberStateName(s.state) << std::setw(20)
          << (s.network.empty() ? "-" : s.network) << std::setw(9)
          << (s.country.empty() ? "-" : s.country) << std::setw(8) << (s.ported ? "yes" : "no")
          << s.detail << "\n";
    }
  }
  return failed == 0 ? sync::kExitOk : sync::kExitUnavailable;
}

int listMessages(const CliOptions& o, state::StateStore& store, std::ostream& out) {
  auto rows = state::MessageLog(store).list(o.job, o.limit);
  out << std::left << std::setw(7) << "ID" << std::setw(21) << "UPDATED (UTC)" << std::setw(16)
      << "JOB" << std::setw(18) << "EVENT" << std::setw(16) << "RECIPIENT" << std::setw(14)
      << "STATUS" << std::setw(6) << "PARTS" << "MESSAGE ID / DETAIL\n";
  for (const auto& m : rows) {
    std::time_t t = static_cast<std::time_t>(m.updated_at_ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char when[32];
    std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
    out << std::setw(7) << m.id << std::setw(21) << when << std::setw(16)
        << (m.job.empty() ? "-" : m.job) << std::setw(18) << m.event << std::setw(16)
        << m.recipient << std::setw(14) << m.status << std::setw(6) << m.parts << m.message_id;
    if (!m.detail.empty()) out << (m.message_id.empty() ? "" : " ") << m.detail;
    out << "\n";
  }
  if (rows.empty()) out << "(no messages" << (o.job.empty() ? "" : " for job " + o.job) << ")\n";
  return sync::kExitOk;
}

}  // namespace mobisync::app
