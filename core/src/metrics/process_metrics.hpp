// SPDX-License-Identifier: Apache-2.0
// The standard process_* metrics (Prometheus client conventions), read from /proc at each scrape.
#pragma once

#include <string>

namespace mobisync::metrics {

/// process_cpu_seconds_total, process_resident_memory_bytes, process_virtual_memory_bytes,
/// process_open_fds, process_max_fds and process_start_time_seconds of this process, as
/// exposition text; a value /proc cannot give is left out rather than reported wrong.
std::string processExposition();

}  // namespace mobisync::metrics
