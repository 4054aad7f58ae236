// SPDX-License-Identifier: Apache-2.0
// Network faults on the connection of the request being handled: reset, truncated answer.
#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <string>

namespace mobisync::sim {

/// Scope of one request on the current thread, opened by the router around each handler, so
/// handlers and the reply helpers can sabotage the connection without passing it around.
/// Not copyable; one per thread at a time.
class ConnectionFaults {
 public:
  explicit ConnectionFaults(Poco::Net::HTTPServerRequest& request);
  ~ConnectionFaults();

  ConnectionFaults(const ConnectionFaults&) = delete;
  ConnectionFaults& operator=(const ConnectionFaults&) = delete;

  /// Drops the current request's connection with a TCP reset; nothing is answered.
  static void resetConnection(Poco::Net::HTTPServerResponse& response);

  /// Makes the next reply on this request send a body shorter than its Content-Length, then close.
  static void truncateNextReply();

  /// Sends `body` cut short if truncation is armed; false (nothing sent) otherwise.
  static bool sendTruncated(Poco::Net::HTTPServerResponse& response, const std::string& body);

  /// "reset", "truncated", or "" when the connection was left alone.
  const std::string& outcome() const { return outcome_; }

 private:
  Poco::Net::HTTPServerRequest& request_;
  bool truncate_ = false;
  std::string outcome_;
};

}  // namespace mobisync::sim
