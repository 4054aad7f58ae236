// SPDX-License-Identifier: Apache-2.0
// `state messages`: the message log, newest first, each message with its history (every status
// change with its time and origin), as a table or JSON.
#include <ctime>
#include <iomanip>

#include "app/json_text.hpp"
#include "app/notify_commands.hpp"
#include "state/message_log.hpp"
#include "sync/job_report.hpp"

namespace mobisync::app {

namespace {

/// "2026-12-04 22:01:02.123" (UTC); "-" for 0.
std::string utcTime(std::int64_t ms) {
  if (ms <= 0) return "-";
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
  char millis[8];
  std::snprintf(millis, sizeof millis, ".%03d", static_cast<int>(ms % 1000));
  return std::string(when) + millis;
}

void printJson(state::MessageLog& log, const std::vector<state::MessageRecord>& rows,
               std::ostream& out) {
  out << "[";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& m = rows[i];
    out << (i == 0 ? "\n" : ",\n") << "  {\"id\": " << m.id << ", \"job\": " << jsonQuote(m.job)
        << ", \"rule\": " << jsonQuote(m.rule) << ", \"event\": " << jsonQuote(m.event)
        << ", \"notifier\": " << jsonQuote(m.notifier)
        << ", \"recipient\": " << jsonQuote(m.recipient) << ", \"status\": " << jsonQuote(m.status)
        << ", \"message_id\": " << jsonQuote(m.message_id)
        << ", \"detail\": " << jsonQuote(m.detail) << ", \"parts\": " << m.parts
        << ", \"encoding\": " << jsonQuote(m.encoding) << ", \"attempts\": " << m.attempts
        << ", \"created_at_ms\": " << m.created_at_ms
        << ", \"submitted_at_ms\": " << m.submitted_at_ms
        << ", \"updated_at_ms\": " << m.updated_at_ms << ", \"history\": [";
    const auto history = log.history(m.id);
    for (std::size_t k = 0; k < history.size(); ++k) {
      const auto& e = history[k];
      out << (k == 0 ? "" : ", ") << "{\"at_ms\": " << e.at_ms
          << ", \"at\": " << jsonQuote(utcTime(e.at_ms)) << ", \"status\": " << jsonQuote(e.status)
          << ", \"origin\": " << jsonQuote(e.origin) << ", \"detail\": " << jsonQuote(e.detail)
          << "}";
    }
    out << "]}";
  }
  out << (rows.empty() ? "]\n" : "\n]\n");
}

void printTable(state::MessageLog& log, const std::vector<state::MessageRecord>& rows,
                std::ostream& out) {
  out << std::left << std::setw(7) << "ID" << std::setw(24) << "UPDATED (UTC)" << std::setw(16)
      << "JOB" << std::setw(18) << "EVENT" << std::setw(16) << "RECIPIENT" << std::setw(12)
      << "STATUS" << std::setw(6) << "PARTS" << "MESSAGE ID / DETAIL\n";
  for (const auto& m : rows) {
    out << std::setw(7) << m.id << std::setw(24) << utcTime(m.updated_at_ms) << std::setw(16)
        << (m.job.empty() ? "-" : m.job) << std::setw(18) << m.event << std::setw(16)
        << m.recipient << std::setw(12) << m.status << std::setw(6) << m.parts << m.message_id;
    if (!m.detail.empty()) out << (m.message_id.empty() ? "" : " ") << m.detail;
    out << "\n";
    // The history, indented under its message, oldest first.
    for (const auto& e : log.history(m.id)) {
      out << "       " << std::setw(24) << utcTime(e.at_ms) << std::setw(12) << e.status
          << std::setw(9) << e.origin << e.detail << "\n";
    }
  }
}

}  // namespace

int listMessages(const CliOptions& o, state::StateStore& store, std::ostream& out) {
  state::MessageLog log(store);
  auto rows = log.list(o.job, o.limit);
  if (o.format == "json") {
    printJson(log, rows, out);
    return sync::kExitOk;
  }
  printTable(log, rows, out);
  if (rows.empty()) out << "(no messages" << (o.job.empty() ? "" : " for job " + o.job) << ")\n";
  return sync::kExitOk;
}

}  // namespace mobisync::app
