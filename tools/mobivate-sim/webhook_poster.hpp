// SPDX-License-Identifier: Apache-2.0
// WebhookPoster: posts the provider's webhooks (delivery receipts, incoming messages) from one
// background thread, at their due times, losing or repeating some as configured.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "console.hpp"
#include "message_store.hpp"

namespace mobisync::sim {

struct ReceiptSettings {
  int delay_min_ms = 200;
  int delay_max_ms = 1000;
  double loss_rate = 0;
  double repeat_rate = 0;
  double undelivered_rate = 0;
  unsigned seed = 1;
};

/// One webhook post, made or not, for GET /_sim/webhooks.
struct WebhookPost {
  std::string kind;        // "receipt" or "incoming"
  std::string url;
  std::string message_id;  // deliveryMessageId, or the incoming message's id
  std::string status;      // the receipt's status ("" for incoming)
  std::string fate;        // "posted", "repeat" (a second post of the same), "lost"
  int http_status = 0;     // the answer; 0 when lost or the connection failed
  std::int64_t at_ms = 0;  // when it was made (or would have been)
};

/// Thread-safe. Each post is tried up to 3 times, 500 ms apart, while the answer is a 5xx or the
/// connection fails (the provider retries too); a 4xx is final.
class WebhookPoster {
 public:
  WebhookPoster(ReceiptSettings settings, Console& console);
  ~WebhookPoster();
  WebhookPoster(const WebhookPoster&) = delete;
  WebhookPoster& operator=(const WebhookPoster&) = delete;

  /// Registers the URL of `kind` ("receipt" or "incoming") for the API key.
  void setRegistered(const std::string& kind, const std::string& url);
  std::string registered(const std::string& kind) const;

  /// Schedules `message`'s receipts, Sent then Delivered (or Undelivered), each a random delay
  /// after the previous, to `callback_url`, else the registered receipt URL; none without one.
  void messageAccepted(const SentMessage& message, const std::string& callback_url);

  /// Posts `body` (JSON) with id `id` to the registered incoming URL now; false without one.
  bool postIncoming(const std::string& id, const std::string& body);

  std::vector<WebhookPost> posts() const;
  /// Posts scheduled and not made yet (retries included).
  std::size_t pending() const;
  /// Forgets the posts made and the registrations (POST /_sim/reset).
  void clear();

 private:
  struct Pending {
    WebhookPost post;
    std::string body;
    int attempt = 0;
  };
  using Clock = std::chrono::steady_clock;

  void schedule(Clock::time_point due, Pending pending);  // under mutex_
  std::chrono::milliseconds delay();                      // under mutex_
  void run();
  /// The HTTP status of one POST of `body` to `url`; 0 when the connection failed.
  int send(const std::string& url, const std::string& body);

  ReceiptSettings settings_;
  Console& console_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::multimap<Clock::time_point, Pending> queue_;
  std::map<std::string, std::string> registered_;
  std::vector<WebhookPost> posts_;
  std::mt19937 rng_;
  bool stop_ = false;
  bool in_flight_ = false;  // run() is posting one taken off queue_
  std::thread thread_;
};

}  // namespace mobisync::sim
