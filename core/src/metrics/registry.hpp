// SPDX-License-Identifier: Apache-2.0
// Registry: counters, gauges and histograms, written out as Prometheus text exposition 0.0.4.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace mobisync::metrics {

/// Label name/value pairs of one series, in the order given.
using Labels = std::vector<std::pair<std::string, std::string>>;

enum class Type { Counter, Gauge, Histogram };

/// Metric families and their series. Families are declared once (describe) and then fed by
/// name; feeding an undeclared family or a family of another type is a programming error and
/// throws std::logic_error. Thread-safe: one mutex, held briefly.
class Registry {
 public:
  /// Declares a family; repeating an identical declaration is allowed. Names and label names
  /// are checked against the exposition format.
  void describe(const std::string& name, Type type, const std::string& help,
                std::vector<double> buckets = {});

  void increment(const std::string& name, const Labels& labels, double by = 1);
  void set(const std::string& name, const Labels& labels, double value);
  void observe(const std::string& name, const Labels& labels, double value);

  /// Creates the series at 0 (a histogram with empty buckets) unless it exists: a series
  /// exported before its first event.
  void declareSeries(const std::string& name, const Labels& labels);

  /// A counter's or gauge's current value (0 when the series does not exist yet).
  double value(const std::string& name, const Labels& labels) const;
  /// A histogram series' observation count.
  std::uint64_t count(const std::string& name, const Labels& labels) const;

  /// Every family with HELP and TYPE lines, series sorted by labels.
  std::string exposition() const;

 private:
  struct Series {
    double value = 0;                    ///< counter or gauge
    std::vector<std::uint64_t> buckets;  ///< histogram: per bucket (not cumulative)
    std::uint64_t count = 0;
    double sum = 0;
  };
  struct Family {
    Type type;
    std::string help;
    std::vector<double> bounds;
    std::map<Labels, Series> series;
  };
  Family& family(const std::string& name, Type expected);
  static void checkLabels(const Labels& labels);

  mutable std::mutex mutex_;
  std::vector<std::string> order_;
  std::map<std::string, Family> families_;
};

/// The process's registry, with mobisync's families declared (see metrics/catalog.hpp).
Registry& global();

/// Escapes a label value: backslash, double quote and line feed.
std::string escapeLabelValue(const std::string& v);
/// Formats a sample value: integers without a fraction, +Inf, -Inf, NaN.
std::string formatValue(double v);

}  // namespace mobisync::metrics
