// SPDX-License-Identifier: Apache-2.0
// SyncApp: the mobisync command line (check, plan, sync, state, plugins) on Poco::Util.
#pragma once

#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>

#include "app/cli_options.hpp"

namespace mobisync {

/// Parses options, dispatches to one command and returns its exit code. The daemon (`run`) takes
/// its signals itself (daemon/daemon.hpp): main.cpp calls Application::run() directly, and
/// ServerApplication's waitForTerminationRequest() knows no SIGHUP and blocks signals only in
/// the calling thread, after worker threads may already exist.
class SyncApp : public Poco::Util::ServerApplication {
 protected:
  void defineOptions(Poco::Util::OptionSet& options) override;
  void handleOption(const std::string& name, const std::string& value) override;
  int main(const std::vector<std::string>& args) override;

 private:
  void printHelp(const std::string& command);
  app::CliOptions options_;
  bool help_ = false;
  bool version_ = false;
};

}  // namespace mobisync
