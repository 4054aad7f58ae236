// SPDX-License-Identifier: Apache-2.0
// ProviderSettings: the validated [provider] table, the slice of AppConfig the proxy client gets.
#pragma once

#include <chrono>
#include <string>

namespace mobisync::config {

/// Connection and behaviour settings for the contacts proxy API (the `[provider]` table).
struct ProviderSettings {
  std::string base_url = "https://tasks-wave.mobivate.com";
  std::string create_path = "/api/contacts/create";
  std::string delete_path = "/api/contacts/delete";
  std::string username;
  std::string password;  ///< secret: never logged, never in an error
  int concurrency = 8;   ///< requests in flight
  double rate_per_second = 0;  ///< 0: unlimited
  int max_attempts = 6;  ///< including the first
  std::chrono::milliseconds timeout{10000};
  std::chrono::milliseconds backoff_initial{200};
  std::chrono::milliseconds backoff_max{30000};
  std::string ca_file;   ///< extra CA bundle for https; system CAs otherwise
  bool verify_tls = true;
  /// The job whose calls these settings make: the `job` label of the provider-call metrics.
  /// Not a config key; the job runner sets it on its copy.
  std::string job;
};

}  // namespace mobisync::config
