// SPDX-License-Identifier: Apache-2.0
// ProgressLine: "done/total, rate, ETA" on a terminal, rewritten in place.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

#include "sync/job_runner.hpp"

namespace mobisync::app {

/// Draws progress on stderr at most ten times a second. On a terminal the line is rewritten in
/// place; elsewhere (mode "always") a line is printed every 10% so logs stay short.
class ProgressLine : public sync::ProgressListener {
 public:
  explicit ProgressLine(const std::string& mode);
  void onFetched(const std::string& job, std::int64_t rows) override;
  void onApplied(const std::string& job, std::int64_t done, std::int64_t total) override;
  void onDone(const std::string& job) override;

 private:
  bool due(bool force);
  bool enabled_ = false;
  bool tty_ = false;
  bool drawn_ = false;
  int last_decile_ = -1;
  std::chrono::steady_clock::time_point start_{};
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace mobisync::app
