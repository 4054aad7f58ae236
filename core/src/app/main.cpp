// SPDX-License-Identifier: Apache-2.0
// The mobisync executable's entry point.
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "app/sync_app.hpp"
#include "sync/job_report.hpp"

int main(int argc, char** argv) {
  try {
    return mobisync::SyncApp().run(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const std::exception& e) {
    // Each command turns its own failures into exit codes; this is a bug's last stop.
    std::cerr << "mobisync: " << e.what() << "\n";
    return mobisync::sync::kExitSoftware;
  }
}
