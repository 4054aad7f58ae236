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
  /// A row of the source (or a number the run chose not to subscribe): counted in count().
  void write(const std::string& position, const std::string& reason, const std::string& raw);
  /// A call the provider refused for this number (a permanent 4xx, a token refused): written
  /// for the operator to see, but not a rejected row, so not counted in count().
  void writeRefusal(const std::string& reason, const std::string& msisdn);
  Status commit();

  std::int64_t count() const { return count_; }
  std::int64_t refusals() const { return refusals_; }
  const std::vector<RejectedRow>& sample() const { return sample_; }
  const std::string& path() const { return path_; }

 private:
  void line(const std::string& position, const std::string& reason, const std::string& raw);

  std::string path_;
  std::ofstream out_;
  std::int64_t count_ = 0;
  std::int64_t refusals_ = 0;
  std::vector<RejectedRow> sample_;
};

}  // namespace mobisync::sync
