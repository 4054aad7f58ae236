// SPDX-License-Identifier: Apache-2.0
// Options: the http notifier's validated settings, read once from its config keys.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "mobisync/plugin/config_values.hpp"
#include "mobisync/result.hpp"

namespace mobisync::plugins::http {

inline constexpr const char* kDefaultApi = "json";
inline constexpr const char* kDefaultJsonBaseUrl = "https://api.mobivatebulksms.com";
inline constexpr const char* kDefaultSimpleUrl =
    "https://app.mobivatebulksms.com/gateway/api/simple/MT";
inline constexpr const char* kDefaultSimpleMethod = "GET";
inline constexpr const char* kDefaultHlrPath = "/hlr/lookup";
inline constexpr const char* kDefaultBatchChunk = "1000";
inline constexpr const char* kDefaultTimeoutMs = "10000";
inline constexpr const char* kDefaultScheduleUtcOffset = "+00:00";
inline constexpr std::int64_t kMaxBatchChunk = 10000;

/// Which of the provider's HTTP APIs sends the messages.
enum class Api { Json, Simple };

/// Everything init() reads from the config. Holds secrets (api_key, password, callback_url):
/// never print it.
/// Value type.
struct Options {
  Api api = Api::Json;
  std::string json_base_url = kDefaultJsonBaseUrl;
  std::string simple_url = kDefaultSimpleUrl;
  bool simple_post = false;  ///< simple_method = "POST" (form-encoded body) instead of GET
  std::string api_key;       ///< secret
  std::string callback_url;  ///< secret (it carries the webhook token); empty: none sent
  std::string username;
  std::string password;      ///< secret
  std::string route_id;
  std::string originator;    ///< default originator; a message's own one wins
  std::string campaign_id;
  std::size_t batch_chunk = 1000;
  bool exclude_optouts = true;
  bool exclude_duplicates = false;
  std::int64_t spread_hours = 0;
  bool shorten_urls = false;
  std::int64_t schedule_delay_s = 0;
  int schedule_utc_offset_minutes = 0;  ///< the offset scheduleDateTime is written in
  std::string hlr_path = kDefaultHlrPath;
  std::chrono::milliseconds timeout{10000};
  std::string ca_file;
  bool verify_tls = true;
};

/// Reads and checks the keys; an error names the key's position ("file:line:col: key") and
/// never the value of a secret.
Result<Options> readOptions(const plugin::ConfigValues& config);

/// Parses "+HH:MM", "-HH:MM" or "Z" into minutes east of UTC; nullopt-like failure as Status.
Result<int> parseUtcOffset(const std::string& text);

}  // namespace mobisync::plugins::http
