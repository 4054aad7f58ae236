// SPDX-License-Identifier: Apache-2.0
#include "smpp_options.hpp"

#include "mobisync/sms/originator.hpp"
#include "mobisync/text.hpp"
#include "smpp_pdu/constants.hpp"

namespace mobisync::plugins::smpp {
namespace {

Status bad(const plugin::ConfigValues& c, const std::string& key, const std::string& problem) {
  return Status::invalidConfig(c.where(key) + ": " + problem);
}

}  // namespace

Result<Options> readOptions(const plugin::ConfigValues& c) {
  Options o;
  o.host = c.string("host");
  if (o.host.empty()) return bad(c, "host", "is empty");
  // KeyType::Port: the host has refused anything outside 1..65535.
  o.port = static_cast<std::uint16_t>(c.integer("port", 2775));

  o.system_id = c.string("system_id");
  if (o.system_id.empty() || o.system_id.size() >= mobisync::smpp::limit::kSystemId) {
    return bad(c, "system_id", "must be 1..15 characters");
  }
  o.password = c.string("password");
  if (o.password.size() >= mobisync::smpp::limit::kPassword) {
    // Say how long it may be, never what it is.
    return bad(c, "password", "is longer than the 8 characters SMPP v3.4 allows");
  }
  o.system_type = c.string("system_type", "CMT");
  if (o.system_type.size() >= mobisync::smpp::limit::kSystemType) {
    return bad(c, "system_type", "must be at most 12 characters");
  }

  const std::string mode = c.string("bind_mode", "trx");
  if (mode == "trx") {
    o.bind_mode = BindMode::Transceiver;
  } else if (mode == "tx_rx") {
    o.bind_mode = BindMode::TransmitterReceiver;
  } else {
    return bad(c, "bind_mode", text::quoted(mode) + " is neither \"trx\" nor \"tx_rx\"");
  }

  const auto binds = c.integer("binds", 1);
  if (binds < 1 || binds > 3) return bad(c, "binds", "must be 1..3 (the provider allows 3)");
  o.binds = static_cast<int>(binds);
  const auto window = c.integer("window", 10);
  if (window < 1 || window > 1000) return bad(c, "window", "must be 1..1000");
  o.window = static_cast<int>(window);
  const auto rate = c.integer("rate", 20);
  if (rate < 1 || rate > 100000) return bad(c, "rate", "must be 1..100000 submit_sm per second");
  o.rate = static_cast<int>(rate);

  if (c.has("route_id")) {
    std::string route = c.string("route_id");
    // dest_subaddress is 2..23 octets (SMPP v3.4 5.3.2.15); the route id is carried as is.
    if (route.size() < 2 || route.size() > 23) {
      return bad(c, "route_id", "must be 2..23 octets (it travels in TLV dest_subaddress)");
    }
    o.route_id = std::move(route);
  }
  o.originator = c.string("originator");
  if (!o.originator.empty()) {
    auto kind = sms::checkOriginator(o.originator);
    if (!kind) return bad(c, "originator", kind.error().message());
  }
  o.registered_delivery = c.boolean("registered_delivery", true);
  o.gsm7_packing = c.boolean("gsm7_packing", false);
  const auto reference_bits = c.integer("concat_reference_bits", 8);
  if (reference_bits != 8 && reference_bits != 16) {
    return bad(c, "concat_reference_bits", "must be 8 or 16");
  }
  o.concat_reference_bits = static_cast<int>(reference_bits);

  auto millis = [&](const char* key, std::int64_t fallback, std::int64_t min,
                    std::int64_t max) -> std::optional<std::chrono::milliseconds> {
    const auto v = c.integer(key, fallback);
    if (v < min || v > max) return std::nullopt;
    return std::chrono::milliseconds(v);
  };
  const auto enquire = c.integer("enquire_interval", 30);
  if (enquire < 1 || enquire > 3600) return bad(c, "enquire_interval", "must be 1..3600 seconds");
  o.enquire_interval = std::chrono::seconds(enquire);
  auto rmin = millis("reconnect_min_ms", 500, 1, 600000);
  if (!rmin) return bad(c, "reconnect_min_ms", "must be 1..600000");
  auto rmax = millis("reconnect_max_ms", 30000, 1, 3600000);
  if (!rmax || *rmax < *rmin) {
    return bad(c, "reconnect_max_ms", "must be reconnect_min_ms..3600000");
  }
  o.reconnect_min = *rmin;
  o.reconnect_max = *rmax;
  auto pause = millis("throttle_pause_ms", 1000, 1, 600000);
  if (!pause) return bad(c, "throttle_pause_ms", "must be 1..600000");
  o.throttle_pause = *pause;
  auto timeout = millis("timeout_ms", 10000, 10, 600000);
  if (!timeout) return bad(c, "timeout_ms", "must be 10..600000");
  o.timeout = *timeout;
  o.tls = c.boolean("tls", false);
  o.ca_file = c.string("ca_file");
  if (!o.ca_file.empty() && !o.tls) {
    return bad(c, "ca_file", "is set but tls is false (the connection would not use it)");
  }
  return o;
}

}  // namespace mobisync::plugins::smpp
