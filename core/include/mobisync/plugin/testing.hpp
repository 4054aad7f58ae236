// SPDX-License-Identifier: Apache-2.0
// The SDK's testing kit: what a host gives a plugin, made by hand for the plugin's own tests.
// Header-only and free of any test framework: use it with doctest, GoogleTest or plain checks.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>

#include "mobisync/plugin/abi.hpp"
#include "mobisync/plugin/config_defaults.hpp"
#include "mobisync/plugin/config_schema.hpp"
#include "mobisync/plugin/config_values.hpp"
#include "mobisync/plugin/context.hpp"
#include "mobisync/plugin/plugin.hpp"

namespace mobisync::plugin::testing {

/// A plugin instance's ConfigValues as the host builds them from a config file: every key the
/// test does not set() takes its schema default by the host's own rule (config_defaults.hpp;
/// Path defaults and Path values set() relative resolve against `base_dir`, as the host resolves
/// them against the config file's folder). Secrets have no defaults, as in the host. It does not
/// check types, ranges or required keys: init() then sees what it would never see from the host.
class ConfigBuilder {
 public:
  /// No schema: only the keys set() writes.
  ConfigBuilder() = default;
  ConfigBuilder(const ConfigKey* schema, std::size_t size,
                std::filesystem::path base_dir = std::filesystem::current_path())
      : schema_(schema), size_(size), base_dir_(std::move(base_dir)) {
    for (std::size_t i = 0; i < size_; ++i) {
      if (schema_[i].type == KeyType::Secret) continue;
      if (auto v = defaultValue(schema_[i], base_dir_)) values_.set(schema_[i].name, *v, "");
    }
  }
  /// The schema of a plugin's descriptor (the one its entry function returns).
  explicit ConfigBuilder(const Descriptor& descriptor,
                         std::filesystem::path base_dir = std::filesystem::current_path())
      : ConfigBuilder(descriptor.config_schema, descriptor.config_schema_size,
                      std::move(base_dir)) {}

  /// Sets `key` as if written at `origin` ("mobisync.toml:7:3", or "" for nowhere in a file).
  ConfigBuilder& set(const std::string& key, ConfigValue value, std::string origin = "") {
    const ConfigKey* k = find(key);
    if (k != nullptr && k->type == KeyType::Path) {
      if (const auto* path = std::get_if<std::string>(&value)) {
        value = resolveConfigPath(*path, base_dir_);
      }
    }
    values_.set(key, std::move(value), std::move(origin));
    return *this;
  }
  /// A string literal is a string here, never a bool.
  ConfigBuilder& set(const std::string& key, const char* value, std::string origin = "") {
    return set(key, ConfigValue{std::string(value)}, std::move(origin));
  }

  const ConfigValues& values() const { return values_; }
  operator const ConfigValues&() const { return values_; }  // NOLINT(google-explicit-constructor)

 private:
  const ConfigKey* find(const std::string& key) const {
    for (std::size_t i = 0; i < size_; ++i) {
      if (key == schema_[i].name) return &schema_[i];
    }
    return nullptr;
  }

  const ConfigKey* schema_ = nullptr;
  std::size_t size_ = 0;
  std::filesystem::path base_dir_;
  ConfigValues values_;
};

/// One message a plugin logged.
struct LogLine {
  Poco::Message::Priority priority;
  std::string text;
};

/// Captures what is logged to the Poco logger `name` (every priority) while it lives, then gives
/// the logger back its channel and level. Thread-safe: a plugin may log from its own threads.
class CapturingLogger {
 public:
  explicit CapturingLogger(const std::string& name)
      : logger_(Poco::Logger::get(name)), channel_(new Channel),
        previous_channel_(logger_.getChannel()), previous_level_(logger_.getLevel()) {
    logger_.setChannel(channel_);
    logger_.setLevel(Poco::Message::PRIO_TRACE);
  }
  ~CapturingLogger() {
    logger_.setChannel(previous_channel_);
    logger_.setLevel(previous_level_);
  }
  CapturingLogger(const CapturingLogger&) = delete;
  CapturingLogger& operator=(const CapturingLogger&) = delete;

  Poco::Logger& logger() const { return logger_; }
  /// Every message so far, in order.
  std::vector<LogLine> lines() const {
    std::lock_guard<std::mutex> lock(channel_->mutex);
    return channel_->lines;
  }
  /// The texts so far, in order.
  std::vector<std::string> texts() const {
    std::vector<std::string> out;
    for (const auto& line : lines()) out.push_back(line.text);
    return out;
  }
  /// True when some message so far contains `part`.
  bool logged(const std::string& part) const {
    for (const auto& line : lines()) {
      if (line.text.find(part) != std::string::npos) return true;
    }
    return false;
  }

 private:
  struct Channel final : Poco::Channel {
    void log(const Poco::Message& m) override {
      std::lock_guard<std::mutex> lock(mutex);
      lines.push_back(LogLine{m.getPriority(), m.getText()});
    }
    mutable std::mutex mutex;
    std::vector<LogLine> lines;
  };

  Poco::Logger& logger_;
  Poco::AutoPtr<Channel> channel_;
  Poco::Channel::Ptr previous_channel_;
  int previous_level_;
};

/// The Context a host gives an instance at init(): its name, its config and a logger named as
/// the host names it (`mobisync.plugin.<plugin>.<instance>`) whose messages the test can read.
/// Keeps its own copy of the values; must outlive the instance's shutdown(), as in the host.
class TestContext {
 public:
  explicit TestContext(ConfigValues values, std::string plugin = "test",
                       std::string instance = "test")
      : values_(std::move(values)),
        log_("mobisync.plugin." + plugin + "." + instance),
        context_{std::move(instance), values_, log_.logger()} {}
  TestContext(const TestContext&) = delete;
  TestContext& operator=(const TestContext&) = delete;

  const Context& context() const { return context_; }
  operator const Context&() const { return context_; }  // NOLINT(google-explicit-constructor)
  const ConfigValues& config() const { return values_; }
  const CapturingLogger& log() const { return log_; }

 private:
  ConfigValues values_;
  CapturingLogger log_;
  Context context_;
};

/// A tombstone a source sent in an incremental read.
struct Tombstone {
  std::string msisdn;
  std::string position;
};

/// A ContactSink that records everything a source hands over, as the host's sink would receive
/// it, and answers storedCursor() with `stored_cursor`. Its fields are public: set the knobs
/// before fetch(), read the records after.
class RecordingSink : public ContactSink {
 public:
  // Knobs.
  /// What storedCursor() answers: set it to test an incremental read.
  std::optional<Cursor> stored_cursor;
  /// accept() fails with Unavailable "sink full" once this many contacts were taken, as a host
  /// does when it must stop a fetch.
  std::optional<std::size_t> fail_after;
  /// Called with each contact taken (after `accepted` counts it); a failed Status is what
  /// accept() returns. For hooks that act mid-read, or to check rows without keeping them.
  std::function<Status(const Contact&)> on_accept;
  /// False keeps only the counts: for reads of millions of rows.
  bool keep_contacts = true;

  // Records.
  std::size_t accepted = 0;
  std::vector<Contact> contacts;
  /// Every rejected row, reject() and rejectWithNumber() alike, in order.
  std::vector<RejectedRow> rejects;
  /// For each entry of `rejects`, the cells the source said may hold its number (empty for a
  /// plain reject()).
  std::vector<std::vector<std::string>> number_cells;
  std::size_t rejected_with_number = 0;
  bool incremental = false;
  std::vector<Tombstone> tombstones;
  std::optional<Cursor> reported_cursor;

  Status accept(Contact&& contact) override {
    if (fail_after && accepted >= *fail_after) return Status::unavailable("sink full");
    ++accepted;
    Status s = on_accept ? on_accept(contact) : Status::ok();
    if (keep_contacts) contacts.push_back(std::move(contact));
    return s;
  }
  void reject(RejectedRow&& row) override {
    rejects.push_back(std::move(row));
    number_cells.emplace_back();
  }
  void rejectWithNumber(RejectedRow&& row, std::vector<std::string> cells) override {
    ++rejected_with_number;
    rejects.push_back(std::move(row));
    number_cells.push_back(std::move(cells));
  }
  std::optional<Cursor> storedCursor() const override { return stored_cursor; }
  void markIncremental() override { incremental = true; }
  Status tombstone(std::string msisdn, std::string position) override {
    tombstones.push_back(Tombstone{std::move(msisdn), std::move(position)});
    return Status::ok();
  }
  void reportCursor(Cursor cursor) override { reported_cursor = std::move(cursor); }

  /// The msisdn of every contact kept, in order.
  std::vector<std::string> numbers() const {
    std::vector<std::string> out;
    for (const auto& c : contacts) out.push_back(c.msisdn);
    return out;
  }
  /// True when a kept contact has exactly this msisdn.
  bool has(const std::string& msisdn) const {
    for (const auto& c : contacts) {
      if (c.msisdn == msisdn) return true;
    }
    return false;
  }
};

/// A source's life as the host runs it: init(), fetch() into `sink` only when init() succeeded,
/// then shutdown() either way. Returns init()'s failure, else fetch()'s Status. Unlike the host,
/// lets what the plugin throws escape, so the test sees it.
inline Status runSource(Source& source, const Context& context, ContactSink& sink) {
  Status s = source.init(context);
  if (s) s = source.fetch(sink);
  source.shutdown();
  return s;
}

}  // namespace mobisync::plugin::testing
