// SPDX-License-Identifier: Apache-2.0
// processExposition(): /proc/self/stat, /proc/self/fd and /proc/stat's boot time.
#include "metrics/process_metrics.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "metrics/registry.hpp"

namespace mobisync::metrics {

namespace {

/// The fields of /proc/self/stat after the command name (field 3, the state, is [0]).
std::vector<std::string> statFields() {
  std::ifstream in("/proc/self/stat");
  std::string line;
  std::getline(in, line);
  // The command name is in parentheses and may hold spaces: start after the last ')'.
  const auto close = line.rfind(')');
  std::vector<std::string> out;
  if (close == std::string::npos) return out;
  std::istringstream fields(line.substr(close + 1));
  for (std::string f; fields >> f;) out.push_back(f);
  return out;
}

/// The boot time in Unix seconds (/proc/stat "btime"), 0 when unknown.
double bootTime() {
  std::ifstream in("/proc/stat");
  for (std::string key; in >> key;) {
    if (key == "btime") {
      double t = 0;
      in >> t;
      return t;
    }
    in.ignore(1 << 20, '\n');
  }
  return 0;
}

std::size_t openFds() {
  std::error_code ec;
  std::size_t n = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++n;
  }
  // The iterator's own descriptor is one of them.
  return n > 0 ? n - 1 : 0;
}

}  // namespace

std::string processExposition() {
  Registry r;
  const auto ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  const auto page = static_cast<double>(::sysconf(_SC_PAGESIZE));
  const auto f = statFields();
  // Fields 14 utime, 15 stime, 22 starttime, 23 vsize, 24 rss: indices 11, 12, 19, 20, 21.
  if (f.size() > 21 && ticks > 0) {
    r.describe("process_cpu_seconds_total", Type::Counter, "User and system CPU time spent in seconds");
    // A fresh registry: the counter's one increment is its value.
    r.increment("process_cpu_seconds_total", {}, (std::stod(f[11]) + std::stod(f[12])) / ticks);
    r.describe("process_virtual_memory_bytes", Type::Gauge, "Virtual memory size in bytes");
    r.set("process_virtual_memory_bytes", {}, std::stod(f[20]));
    r.describe("process_resident_memory_bytes", Type::Gauge, "Resident memory size in bytes");
    r.set("process_resident_memory_bytes", {}, std::stod(f[21]) * page);
    if (const double boot = bootTime(); boot > 0) {
      r.describe("process_start_time_seconds", Type::Gauge,
                 "Start time of the process since the Unix epoch in seconds");
      r.set("process_start_time_seconds", {}, boot + std::stod(f[19]) / ticks);
    }
  }
  r.describe("process_open_fds", Type::Gauge, "Number of open file descriptors");
  r.set("process_open_fds", {}, static_cast<double>(openFds()));
  if (rlimit limit{}; ::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    r.describe("process_max_fds", Type::Gauge, "Maximum number of open file descriptors");
    r.set("process_max_fds", {}, static_cast<double>(limit.rlim_cur));
  }
  return r.exposition();
}

}  // namespace mobisync::metrics
