// SPDX-License-Identifier: Apache-2.0
// LogSnapshot: the process's log channel and level as they are, to put back when a reload is
// refused (loading a config sets up logging as it goes: stderr first, then the new [log]).
#pragma once

#include <Poco/Channel.h>
#include <Poco/Logger.h>

namespace mobisync::daemon {

class LogSnapshot {
 public:
  LogSnapshot()
      : channel_(Poco::Logger::root().getChannel()), level_(Poco::Logger::root().getLevel()) {}
  /// Puts the channel (with its format and file) and the level back on every logger.
  void restore() const {
    if (!channel_) return;
    Poco::Logger::root().setChannel(channel_);
    Poco::Logger::root().setLevel(level_);
    Poco::Logger::setChannel("", channel_);
    Poco::Logger::setLevel("", level_);
  }

 private:
  Poco::Channel::Ptr channel_;
  int level_;
};

}  // namespace mobisync::daemon
