// SPDX-License-Identifier: Apache-2.0
// JsonFormatter and JournalPriorityFormatter.
#include "app/log_formats.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <utility>

#include "values/job_context.hpp"

namespace mobisync::app {

namespace {

const char* levelName(Poco::Message::Priority p) {
  switch (p) {
    case Poco::Message::PRIO_FATAL: return "fatal";
    case Poco::Message::PRIO_CRITICAL: return "critical";
    case Poco::Message::PRIO_ERROR: return "error";
    case Poco::Message::PRIO_WARNING: return "warning";
    case Poco::Message::PRIO_NOTICE: return "notice";
    case Poco::Message::PRIO_INFORMATION: return "information";
    case Poco::Message::PRIO_DEBUG: return "debug";
    case Poco::Message::PRIO_TRACE: return "trace";
  }
  return "information";
}

std::string utcTime(const Poco::Timestamp& t) {
  const auto micros = t.epochMicroseconds();
  const std::time_t seconds = static_cast<std::time_t>(micros / 1000000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char out[96];
  std::snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>((micros / 1000) % 1000));
  return out;
}

}  // namespace

std::string jsonString(const std::string& s) {
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char esc[8];
          std::snprintf(esc, sizeof esc, "\\u%04x", c);
          out += esc;
        } else {
          out += ch;
        }
    }
  }
  return out + "\"";
}

void JsonFormatter::format(const Poco::Message& msg, std::string& text) {
  const auto& context = values::currentJob();
  text += "{\"time\":" + jsonString(utcTime(msg.getTime()));
  text += ",\"level\":" + jsonString(levelName(msg.getPriority()));
  text += ",\"logger\":" + jsonString(msg.getSource());
  if (!context.job.empty()) text += ",\"job\":" + jsonString(context.job);
  if (!context.run_id.empty()) text += ",\"run\":" + jsonString(context.run_id);
  text += ",\"message\":" + jsonString(msg.getText()) + "}";
}

JournalPriorityFormatter::JournalPriorityFormatter(Poco::AutoPtr<Poco::Formatter> inner)
    : inner_(std::move(inner)) {}

void JournalPriorityFormatter::format(const Poco::Message& msg, std::string& text) {
  text += "<" + std::to_string(syslogPriority(msg.getPriority())) + ">";
  inner_->format(msg, text);
}

int syslogPriority(Poco::Message::Priority p) {
  switch (p) {
    case Poco::Message::PRIO_FATAL:
    case Poco::Message::PRIO_CRITICAL: return 2;
    case Poco::Message::PRIO_ERROR: return 3;
    case Poco::Message::PRIO_WARNING: return 4;
    case Poco::Message::PRIO_NOTICE: return 5;
    case Poco::Message::PRIO_INFORMATION: return 6;
    case Poco::Message::PRIO_DEBUG:
    case Poco::Message::PRIO_TRACE: return 7;
  }
  return 6;
}

bool stderrIsJournal() {
  const char* stream = std::getenv("JOURNAL_STREAM");
  if (stream == nullptr) return false;
  unsigned long long device = 0;
  unsigned long long inode = 0;
  if (std::sscanf(stream, "%llu:%llu", &device, &inode) != 2) return false;
  struct stat st{};
  if (::fstat(STDERR_FILENO, &st) != 0) return false;
  return static_cast<unsigned long long>(st.st_dev) == device &&
         static_cast<unsigned long long>(st.st_ino) == inode;
}

}  // namespace mobisync::app
