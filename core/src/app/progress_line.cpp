// SPDX-License-Identifier: Apache-2.0
// ProgressLine: terminal progress for fetch and apply.
#include "app/progress_line.hpp"

#include <unistd.h>

namespace mobisync::app {

using Clock = std::chrono::steady_clock;

ProgressLine::ProgressLine(const std::string& mode) {
  tty_ = ::isatty(STDERR_FILENO) == 1;
  enabled_ = mode == "always" || (mode == "auto" && tty_);
}

bool ProgressLine::due(bool force) {
  auto now = Clock::now();
  if (!force && now - last_ < std::chrono::milliseconds(100)) return false;
  last_ = now;
  return true;
}

void ProgressLine::onFetched(const std::string& job, std::int64_t rows) {
  if (!enabled_ || !tty_ || !due(false)) return;
  std::fprintf(stderr, "\r\033[K%s: reading source: %lld rows", job.c_str(),
               static_cast<long long>(rows));
  drawn_ = true;
}

void ProgressLine::onApplied(const std::string& job, std::int64_t done, std::int64_t total) {
  if (!enabled_) return;
  auto now = Clock::now();
  if (start_ == Clock::time_point{}) start_ = now;
  double secs = std::chrono::duration<double>(now - start_).count();
  double rate = secs > 0.05 ? static_cast<double>(done) / secs : 0.0;
  double eta = rate > 0 ? static_cast<double>(total - done) / rate : 0.0;
  if (tty_) {
    if (!due(done == total)) return;
    std::fprintf(stderr, "\r\033[K%s: applying %lld/%lld calls  %.0f/s  ETA %ds", job.c_str(),
                 static_cast<long long>(done), static_cast<long long>(total), rate,
                 static_cast<int>(eta + 0.5));
    drawn_ = true;
    return;
  }
  int decile = total > 0 ? static_cast<int>(done * 10 / total) : 10;
  if (decile == last_decile_) return;
  last_decile_ = decile;
  std::fprintf(stderr, "%s: applied %lld/%lld calls  %.0f/s  ETA %ds\n", job.c_str(),
               static_cast<long long>(done), static_cast<long long>(total), rate,
               static_cast<int>(eta + 0.5));
}

void ProgressLine::onDone(const std::string&) {
  if (drawn_) std::fprintf(stderr, "\n");
  drawn_ = false;
  start_ = {};
  last_decile_ = -1;
}

}  // namespace mobisync::app
