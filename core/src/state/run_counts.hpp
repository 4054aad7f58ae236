// SPDX-License-Identifier: Apache-2.0
// RunCounts: the counts of one run, shared by the report, the run history, job events, metrics.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace mobisync::state {

/// What one run did, in rows (fetched, rejected) and in (msisdn, application) pairs (the rest,
/// but `updated`, which counts contacts). The run's report, its row in the run history and its
/// job events all are RunCounts, so a count is added once and copied as one value.
struct RunCounts {
  std::int64_t fetched = 0;   ///< source rows read, rejected ones included
  std::int64_t rejected = 0;  ///< source rows written to the reject file
  std::int64_t added = 0;     ///< pairs confirmed created
  std::int64_t removed = 0;   ///< pairs confirmed removed (releases included)
  std::int64_t updated = 0;   ///< contacts whose name or reference was confirmed changed
  std::int64_t failed = 0;    ///< pairs not confirmed: refused, unavailable or not sent
  std::int64_t held = 0;      ///< removals held by a safety gate
};

/// A count with the name it has in the summary line, in job-event templates and in the metrics.
struct RunCountField {
  std::string_view name;
  std::int64_t RunCounts::*member;
};

/// Every count, in the order of the summary line and the run history's columns.
inline constexpr std::array<RunCountField, 7> kRunCountFields{{
    {"fetched", &RunCounts::fetched},
    {"rejected", &RunCounts::rejected},
    {"added", &RunCounts::added},
    {"removed", &RunCounts::removed},
    {"updated", &RunCounts::updated},
    {"failed", &RunCounts::failed},
    {"held", &RunCounts::held},
}};

/// The count called `name`, or nullopt when no count has that name.
inline std::optional<std::int64_t> countNamed(const RunCounts& counts, std::string_view name) {
  for (const auto& field : kRunCountFields) {
    if (field.name == name) return counts.*field.member;
  }
  return std::nullopt;
}

}  // namespace mobisync::state
