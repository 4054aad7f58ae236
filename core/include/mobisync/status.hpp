// SPDX-License-Identifier: Apache-2.0
// Status: the outcome of an operation that can fail, as a code and a human message.
#pragma once

#include <string>
#include <utility>

namespace mobisync {

/// What kind of failure a Status carries. Unavailable is the only retryable code.
enum class Errc {
  Ok = 0,
  InvalidConfig,
  NotFound,
  Io,
  Unavailable,
  Rejected,
  PluginFailure,
  Internal,
};

/// A code plus a message that says what failed, on what, and why. Value type; thread-compatible.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Errc code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok() { return {}; }
  static Status invalidConfig(std::string m) { return {Errc::InvalidConfig, std::move(m)}; }
  static Status notFound(std::string m) { return {Errc::NotFound, std::move(m)}; }
  static Status io(std::string m) { return {Errc::Io, std::move(m)}; }
  static Status unavailable(std::string m) { return {Errc::Unavailable, std::move(m)}; }
  static Status rejected(std::string m) { return {Errc::Rejected, std::move(m)}; }
  static Status internal(std::string m) { return {Errc::Internal, std::move(m)}; }
  /// A failure inside a plugin, named so the operator knows whose code it was.
  static Status pluginFailure(const std::string& plugin, const std::string& m) {
    return {Errc::PluginFailure, "plugin " + plugin + ": " + m};
  }

  bool isOk() const { return code_ == Errc::Ok; }
  explicit operator bool() const { return isOk(); }
  bool retryable() const { return code_ == Errc::Unavailable; }
  Errc code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Errc code_ = Errc::Ok;
  std::string message_;
};

}  // namespace mobisync
