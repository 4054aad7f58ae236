// SPDX-License-Identifier: Apache-2.0
// Network faults on the connection of the request being handled: reset, and replies whose body
// is truncated, trickled or stalled midway.
#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <functional>
#include <string>

namespace mobisync::sim {

/// How the next reply is delivered when not the usual way (Poco buffers it and sends it once
/// the handler has returned).
struct ReplyShape {
  enum class Kind {
    Usual,
    Flushed,    // whole, but on the wire before the handler goes on: the port is about to close
    Truncated,  // Content-Length, half the body, then close
    Trickled,   // no Content-Length, Connection: close, one byte every `ms`, then close
    StalledMidBody,  // Content-Length, half the body, hold `ms`, then the rest (keep-alive)
  };
  Kind kind = Kind::Usual;
  int ms = 0;
};

/// Scope of one request on the current thread, opened by the router around each handler, so
/// handlers and the reply helpers can sabotage the connection without passing it around.
/// Not copyable; one per thread at a time.
class ConnectionFaults {
 public:
  /// `count` records an outcome in the endpoint counters (may be empty: not counted).
  ConnectionFaults(Poco::Net::HTTPServerRequest& request,
                   std::function<void(const std::string&)> count);
  ~ConnectionFaults();

  ConnectionFaults(const ConnectionFaults&) = delete;
  ConnectionFaults& operator=(const ConnectionFaults&) = delete;

  /// Drops the current request's connection with a TCP reset; nothing is answered. `outcome`
  /// is what the endpoint counters record.
  static void resetConnection(Poco::Net::HTTPServerResponse& response,
                              const char* outcome = "reset");

  /// Makes the next reply on this request be delivered as `shape` says.
  static void shapeNextReply(ReplyShape shape);

  /// Sends `body` (status and headers are set) as shaped; false (nothing sent) when the reply
  /// is to go the usual way.
  static bool sendShaped(Poco::Net::HTTPServerResponse& response, const std::string& body);

  /// True once a fault above answered the request and counted its outcome ("reset",
  /// "refused", "truncated", "trickled", "stalled mid-body"); false when the connection was
  /// left alone and the caller counts the status.
  bool counted() const { return counted_; }

 private:
  /// Counts `outcome` before the connection ends: a client that sees the end and then reads
  /// the counters must find this call there.
  void settle(const char* outcome);

  Poco::Net::HTTPServerRequest& request_;
  std::function<void(const std::string&)> count_;
  ReplyShape shape_;
  bool counted_ = false;
};

}  // namespace mobisync::sim
