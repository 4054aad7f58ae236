// SPDX-License-Identifier: Apache-2.0
// Options: the http notifier's validated settings, read once from its config keys.
#include "http_options.hpp"

#include <Poco/String.h>

#include "mobisync/sms/originator.hpp"
#include "mobisync/text.hpp"

namespace mobisync::plugins::http {
namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

Result<int> parseUtcOffset(const std::string& text) {
  if (text == "Z" || text == "z") return 0;
  if (text.size() != 6 || (text[0] != '+' && text[0] != '-') || text[3] != ':' ||
      !isDigit(text[1]) || !isDigit(text[2]) || !isDigit(text[4]) || !isDigit(text[5])) {
    return Status::invalidConfig(
        "expected a UTC offset like \"+10:00\", \"-05:00\" or \"Z\", found " + text::quoted(text));
  }
  const int hours = (text[1] - '0') * 10 + (text[2] - '0');
  const int minutes = (text[4] - '0') * 10 + (text[5] - '0');
  if (hours > 14 || minutes > 59) {
    return Status::invalidConfig("UTC offset " + text::quoted(text) +
                                 " is out of range (-14:00 to +14:00)");
  }
  const int total = hours * 60 + minutes;
  return text[0] == '-' ? -total : total;
}

Result<Options> readOptions(const plugin::ConfigValues& config) {
  Options o;
  const std::string api = config.string("api", kDefaultApi);
  if (api == "json") {
    o.api = Api::Json;
  } else if (api == "simple") {
    o.api = Api::Simple;
  } else {
    return Status::invalidConfig(config.where("api") +
                                 ": expected \"json\" or \"simple\", found " + text::quoted(api));
  }

  // KeyType::HttpUrl: the host has checked both URLs (http or https, a host, no user info).
  o.json_base_url = config.string("json_base_url", kDefaultJsonBaseUrl);
  while (!o.json_base_url.empty() && o.json_base_url.back() == '/') o.json_base_url.pop_back();
  o.simple_url = config.string("simple_url", kDefaultSimpleUrl);

  const std::string method = Poco::toUpper(config.string("simple_method", kDefaultSimpleMethod));
  if (method != "GET" && method != "POST") {
    return Status::invalidConfig(config.where("simple_method") +
                                 ": expected \"GET\" or \"POST\", found " +
                                 text::quoted(config.string("simple_method")));
  }
  o.simple_post = method == "POST";

  o.api_key = config.string("api_key");
  o.callback_url = config.string("callback_url");
  if (!o.callback_url.empty() && o.callback_url.rfind("https://", 0) != 0 &&
      o.callback_url.rfind("http://", 0) != 0) {
    // Never quoted: the URL holds the webhook's token.
    return Status::invalidConfig(config.where("callback_url") +
                                 ": expected an http(s) URL (not shown: it is a secret)");
  }
  o.username = config.string("username");
  o.password = config.string("password");
  if (o.api == Api::Json && o.api_key.empty()) {
    return Status::invalidConfig(config.where("api") +
                                 ": api = \"json\" needs the API key: set api_key_env or "
                                 "api_key_file");
  }
  if (o.api == Api::Simple && (o.username.empty() || o.password.empty())) {
    return Status::invalidConfig(config.where("api") +
                                 ": api = \"simple\" needs username and the password (password_env "
                                 "or password_file)");
  }

  o.route_id = config.string("route_id");
  if (o.route_id.empty()) {
    return Status::invalidConfig(config.where("route_id") + ": must not be empty");
  }
  o.originator = config.string("originator");
  if (config.has("originator")) {
    auto kind = sms::checkOriginator(o.originator);
    if (!kind) {
      return Status::invalidConfig(config.where("originator") + ": " + kind.error().message());
    }
  }
  o.campaign_id = config.string("campaign_id");

  const std::int64_t chunk = config.integer("batch_chunk", 1000);
  if (chunk < 1 || chunk > kMaxBatchChunk) {
    return Status::invalidConfig(config.where("batch_chunk") + ": must be between 1 and " +
                                 std::to_string(kMaxBatchChunk) + ", found " +
                                 std::to_string(chunk));
  }
  o.batch_chunk = static_cast<std::size_t>(chunk);
  o.exclude_optouts = config.boolean("exclude_optouts", true);
  o.exclude_duplicates = config.boolean("exclude_duplicates", false);
  o.shorten_urls = config.boolean("shorten_urls", false);
  o.spread_hours = config.integer("spread_hours", 0);
  if (o.spread_hours < 0 || o.spread_hours > 168) {
    return Status::invalidConfig(config.where("spread_hours") +
                                 ": must be between 0 (no spreading) and 168, found " +
                                 std::to_string(o.spread_hours));
  }
  o.schedule_delay_s = config.integer("schedule_delay_s", 0);
  if (o.schedule_delay_s < 0 || o.schedule_delay_s > 366LL * 24 * 3600) {
    return Status::invalidConfig(config.where("schedule_delay_s") +
                                 ": must be between 0 and one year in seconds, found " +
                                 std::to_string(o.schedule_delay_s));
  }
  auto offset = parseUtcOffset(config.string("schedule_utc_offset", kDefaultScheduleUtcOffset));
  if (!offset) {
    return Status::invalidConfig(config.where("schedule_utc_offset") + ": " +
                                 offset.error().message());
  }
  o.schedule_utc_offset_minutes = *offset;

  o.hlr_path = config.string("hlr_path", kDefaultHlrPath);
  if (o.hlr_path.empty() || o.hlr_path.front() != '/') {
    return Status::invalidConfig(config.where("hlr_path") + ": must start with '/', found " +
                                 text::quoted(o.hlr_path));
  }
  const std::int64_t timeout_ms = config.integer("timeout_ms", 10000);
  if (timeout_ms < 1 || timeout_ms > 600000) {
    return Status::invalidConfig(config.where("timeout_ms") +
                                 ": must be between 1 and 600000 ms, found " +
                                 std::to_string(timeout_ms));
  }
  o.timeout = std::chrono::milliseconds(timeout_ms);
  o.ca_file = config.string("ca_file");
  o.verify_tls = config.boolean("verify_tls", true);
  return o;
}

}  // namespace mobisync::plugins::http
