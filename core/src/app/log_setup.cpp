// SPDX-License-Identifier: Apache-2.0
// Poco logging channels for the whole process.
#include "app/log_setup.hpp"

#include "app/log_formats.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/FileChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/PatternFormatter.h>
#include <Poco/StreamChannel.h>

#include <iostream>

namespace mobisync::app {

void setupLogging(const std::string& level, const std::string& file, const std::string& format) {
  Poco::AutoPtr<Poco::Channel> sink;
  const bool journal = file.empty() && stderrIsJournal();
  if (file.empty()) {
    sink = new Poco::StreamChannel(std::cerr);
  } else {
    sink = new Poco::FileChannel(file);
  }
  Poco::AutoPtr<Poco::Formatter> formatter;
  if (format == "json") {
    formatter = new JsonFormatter;
  } else {
    // The journal stamps each line itself.
    Poco::AutoPtr<Poco::PatternFormatter> pattern(
        new Poco::PatternFormatter(journal ? "%p %s: %t" : "%Y-%m-%dT%H:%M:%S.%i %p %s: %t"));
    pattern->setProperty("times", "local");
    formatter = pattern;
  }
  if (journal) formatter = new JournalPriorityFormatter(formatter);
  Poco::AutoPtr<Poco::FormattingChannel> channel(new Poco::FormattingChannel(formatter, sink));
  Poco::Logger::root().setChannel(channel);
  Poco::Logger::root().setLevel(level);
  // Loggers made before this call keep their own copy of channel and level.
  Poco::Logger::setChannel("", channel);
  Poco::Logger::setLevel("", Poco::Logger::parseLevel(level));
}

}  // namespace mobisync::app
