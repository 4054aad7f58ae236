// SPDX-License-Identifier: Apache-2.0
// The mobisync executable's entry point. Unlike POCO_SERVER_MAIN it reports a bad option as a
// usage error (64) with a hint, not as a config error.
#include <iostream>

#include <Poco/AutoPtr.h>
#include <Poco/Util/OptionException.h>

#include "app/sync_app.hpp"
#include "sync/job_report.hpp"

int main(int argc, char** argv) {
  Poco::AutoPtr<mobisync::SyncApp> app = new mobisync::SyncApp;
  try {
    app->init(argc, argv);
  } catch (const Poco::Util::OptionException& e) {
    std::cerr << "mobisync: " << e.displayText() << "\nTry 'mobisync --help'.\n";
    return mobisync::sync::kExitUsage;
  } catch (const Poco::Exception& e) {
    std::cerr << "mobisync: " << e.displayText() << "\n";
    return mobisync::sync::kExitConfig;
  }
  // Application::run() is public; ServerApplication only narrows it.
  return static_cast<Poco::Util::Application&>(*app).run();
}
