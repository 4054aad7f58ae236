// SPDX-License-Identifier: Apache-2.0
// A strict parser of the Prometheus text exposition format 0.0.4, for tests of /metrics.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace mobisync::test {

struct PromSample {
  std::string name;                           ///< as written, e.g. x_bucket
  std::map<std::string, std::string> labels;  ///< unescaped values
  double value;
};

struct PromExposition {
  std::map<std::string, std::string> types;  ///< family -> counter, gauge, histogram, ...
  std::map<std::string, std::string> help;   ///< family -> unescaped help
  std::vector<PromSample> samples;

  /// The value of the one sample with this name and exactly these labels.
  /// @throws std::runtime_error when there is none.
  double value(const std::string& name, const std::map<std::string, std::string>& labels) const;
  /// The sum over every sample with this name whose labels include `labels`.
  double sum(const std::string& name, const std::map<std::string, std::string>& labels = {}) const;
};

/// Parses `text`, refusing anything the format does not allow: a bad name, label or escape, a
/// value that is not a float, a sample before its TYPE or outside its family's group, a TYPE or
/// HELP given twice, a duplicate series, a missing final newline, a histogram whose buckets are
/// not cumulative or lack le="+Inf" equal to _count, a negative counter.
/// @throws std::runtime_error naming the line and the problem.
PromExposition parsePrometheusText(const std::string& text);

}  // namespace mobisync::test
