// SPDX-License-Identifier: Apache-2.0
// The log line formats: JSON (one object a line) and the journald priority prefix.
#pragma once

#include <string>

#include <Poco/AutoPtr.h>
#include <Poco/Formatter.h>
#include <Poco/Message.h>

namespace mobisync::app {

/// One JSON object a line: time (UTC, ISO 8601 with milliseconds), level, logger, job and run
/// (of the thread that logged, when it works for a job), message.
class JsonFormatter : public Poco::Formatter {
 public:
  void format(const Poco::Message& msg, std::string& text) override;
};

/// Prefixes what `inner` makes with "<N>", N the syslog priority of the message's level, which
/// journald reads from a service's stderr (sd-daemon(3)) so that `journalctl -p err` works.
class JournalPriorityFormatter : public Poco::Formatter {
 public:
  explicit JournalPriorityFormatter(Poco::AutoPtr<Poco::Formatter> inner);
  void format(const Poco::Message& msg, std::string& text) override;

 private:
  Poco::AutoPtr<Poco::Formatter> inner_;
};

/// The syslog priority (0-7) of a Poco message priority.
int syslogPriority(Poco::Message::Priority p);

/// True when stderr is the journal's stream: $JOURNAL_STREAM ("device:inode") names it. A
/// child with stderr redirected elsewhere inherits the variable, hence the comparison.
bool stderrIsJournal();

/// The JSON string literal of `s` (quotes included).
std::string jsonString(const std::string& s);

}  // namespace mobisync::app
