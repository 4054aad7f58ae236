// SPDX-License-Identifier: Apache-2.0
// mobivate-sim entry point: parse flags, serve until SIGTERM/SIGINT, exit 0.
#include <Poco/Exception.h>
#include <sys/prctl.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "sim_options.hpp"
#include "sim_server.hpp"

namespace {

constexpr int kExitUsage = 64;        // sysexits EX_USAGE
constexpr int kExitNoInput = 66;      // sysexits EX_NOINPUT: unusable certificate or key
constexpr int kExitUnavailable = 69;  // sysexits EX_UNAVAILABLE: could not listen
constexpr int kExitSoftware = 70;     // sysexits EX_SOFTWARE

// Blocked in every thread (threads inherit the mask) so that only sigwait() in main sees them.
sigset_t terminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

}  // namespace

int main(int argc, char** argv) {
  using mobisync::sim::SimOptions;
  SimOptions options;
  try {
    options = mobisync::sim::parseSimOptions(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const mobisync::sim::UsageError& e) {
    std::cerr << "mobivate-sim: " << e.what() << "\n"
              << "Try 'mobivate-sim --help' for the list of options.\n";
    return kExitUsage;
  }
  if (options.help) {
    std::cout << mobisync::sim::simUsage();
    return EXIT_SUCCESS;
  }

  sigset_t signals = terminationSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  // The default 50 us timer slack adds up at --latency-ms 5 over thousands of calls a second;
  // threads inherit the setting, so one call here covers the whole pool.
  prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);

  try {
    mobisync::sim::SimServer server(options);
    server.start();
    std::cout << "mobivate-sim listening on " << server.baseUrl() << std::endl;
    if (options.smpp_port >= 0) {
      std::cout << "mobivate-sim smpp on " << options.host << ":" << server.smppPort()
                << std::endl;
    }
    if (options.control_port >= 0) {
      // Last, so a client that reads only the lines before it is unaffected.
      std::cout << "mobivate-sim control on " << server.controlUrl() << std::endl;
    }
    int received = 0;
    sigwait(&signals, &received);
    // All state is in memory, so there is nothing to save, and a graceful SimServer::stop() waits
    // out Poco's 250 ms accept poll, which every test that starts a simulator would pay.
    // In-flight requests are cut either way (stop() aborts them too).
    std::cout.flush();
    std::_Exit(EXIT_SUCCESS);
  } catch (const mobisync::sim::TlsSetupError& e) {
    std::cerr << "mobivate-sim: " << e.what() << "\n";
    return kExitNoInput;
  } catch (const Poco::Exception& e) {
    std::cerr << "mobivate-sim: cannot serve on " << options.host << ":" << options.port << ": "
              << e.displayText() << "\n";
    return kExitUnavailable;
  } catch (const std::exception& e) {
    std::cerr << "mobivate-sim: " << e.what() << "\n";
    return kExitSoftware;
  }
  return EXIT_SUCCESS;
}
