// SPDX-License-Identifier: Apache-2.0
// Poco logging channels for the whole process.
#include "app/log_setup.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/FileChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/PatternFormatter.h>
#include <Poco/StreamChannel.h>

#include <iostream>

namespace mobisync::app {

void setupLogging(const std::string& level, const std::string& file) {
  Poco::AutoPtr<Poco::Channel> sink;
  if (file.empty()) {
    sink = new Poco::StreamChannel(std::cerr);
  } else {
    sink = new Poco::FileChannel(file);
  }
  Poco::AutoPtr<Poco::PatternFormatter> pattern(
      new Poco::PatternFormatter("%Y-%m-%dT%H:%M:%S.%i %p %s: %t"));
  pattern->setProperty("times", "local");
  Poco::AutoPtr<Poco::FormattingChannel> channel(new Poco::FormattingChannel(pattern, sink));
  Poco::Logger::root().setChannel(channel);
  Poco::Logger::root().setLevel(level);
  // Loggers made before this call keep their own copy of channel and level.
  Poco::Logger::setChannel("", channel);
  Poco::Logger::setLevel("", Poco::Logger::parseLevel(level));
}

}  // namespace mobisync::app
