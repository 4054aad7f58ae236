// SPDX-License-Identifier: Apache-2.0
// The smpp notifier's configuration, read and checked once at init().
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "mobisync/plugin/config_values.hpp"
#include "mobisync/result.hpp"

namespace mobisync::plugins::smpp {

/// How one bind is made: one transceiver session, or a transmitter plus a receiver.
enum class BindMode { Transceiver, TransmitterReceiver };

/// Every key of the schema, validated. Value type.
struct Options {
  std::string host;
  std::uint16_t port = 2775;
  std::string system_id;
  std::string password;  ///< resolved secret; never logged
  std::string system_type = "CMT";
  BindMode bind_mode = BindMode::Transceiver;
  int binds = 1;
  int window = 10;
  int rate = 20;  ///< submit_sm PDUs per second per bind
  std::optional<std::string> route_id;
  std::string originator;  ///< used when a message has none
  bool registered_delivery = true;
  bool gsm7_packing = false;
  int concat_reference_bits = 8;  ///< 8 (UDH IEI 0x00) or 16 (IEI 0x08)
  std::chrono::milliseconds enquire_interval{30000};
  std::chrono::milliseconds reconnect_min{500};
  std::chrono::milliseconds reconnect_max{30000};
  std::chrono::milliseconds throttle_pause{1000};
  bool tls = false;
  std::string ca_file;  ///< with tls: CA bundle (PEM) to verify the SMSC; empty = system store
  std::chrono::milliseconds timeout{10000};
};

/// Reads `config` (already checked against the schema for types and required keys) and checks
/// ranges and combinations; errors name the key and where it was written.
Result<Options> readOptions(const plugin::ConfigValues& config);

}  // namespace mobisync::plugins::smpp
