// SPDX-License-Identifier: Apache-2.0
// RejectWriter: the job's reject file (position, reason, raw row), written whole or not at all.
#pragma once

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "mobisync/model/contact.hpp"
#include "mobisync/status.hpp"

namespace mobisync::sync {

/// Writes a CSV of rejected rows to `<path>.partial` and renames it over `path` on commit(), so a
/// reader never sees a half-written file from a killed run. With an empty path it only counts
/// (for `plan`, which writes nothing). Keeps the first rows as a sample for display.
/// Not thread-safe.
class RejectWriter {
 public:
  static constexpr std::size_t kSampleSize = 10;
  explicit RejectWriter(std::string path);
  ~RejectWriter();

  /// Opens the partial file; an error names the path.
  Status open();
  void write(const std::string& position, const std::string& reason, const std::string& raw);
  Status commit();

  std::int64_t count() const { return count_; }
  const std::vector<RejectedRow>& sample() const { return sample_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::ofstream out_;
  std::int64_t count_ = 0;
  std::vector<RejectedRow> sample_;
};

}  // namespace mobisync::sync
