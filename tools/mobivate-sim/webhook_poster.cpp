// SPDX-License-Identifier: Apache-2.0
// WebhookPoster: a time-ordered queue drained by one thread with Poco's HTTP client. Loss and
// repetition are drawn when a post is scheduled, from the seeded PRNG, so a run is repeatable.
#include "webhook_poster.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <memory>
#include <sstream>

#include "sim_time.hpp"

namespace mobisync::sim {
namespace {

constexpr int kAttempts = 3;
constexpr std::chrono::milliseconds kRetryAfter{500};

// The provider's Delivery Receipt Notification fields (statusCode values are the simulator's).
std::string receiptBody(const SentMessage& m, const std::string& status, int code) {
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("deliveryMessageId", m.id);
  o.set("batchId", m.campaign_id.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(m.campaign_id));
  o.set("clientReference", m.reference);
  o.set("created", utcText(wallClockMs(), "%Y-%m-%dT%H:%M:%SZ"));
  o.set("status", status);
  o.set("statusCode", code);
  o.set("parts", static_cast<int>(m.parts));
  Poco::JSON::Object::Ptr hlr = new Poco::JSON::Object;
  hlr->set("ported", false);
  o.set("hlr", hlr);
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

}  // namespace

WebhookPoster::WebhookPoster(ReceiptSettings settings, Console& console)
    : settings_(settings), console_(console), rng_(settings.seed) {
  thread_ = std::thread([this] { run(); });
}

WebhookPoster::~WebhookPoster() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void WebhookPoster::setRegistered(const std::string& kind, const std::string& url) {
  std::lock_guard lock(mutex_);
  registered_[kind] = url;
}

std::string WebhookPoster::registered(const std::string& kind) const {
  std::lock_guard lock(mutex_);
  auto it = registered_.find(kind);
  return it == registered_.end() ? std::string() : it->second;
}

std::chrono::milliseconds WebhookPoster::delay() {
  std::uniform_int_distribution<int> d(settings_.delay_min_ms, settings_.delay_max_ms);
  return std::chrono::milliseconds(d(rng_));
}

void WebhookPoster::schedule(Clock::time_point due, Pending pending) {
  std::uniform_real_distribution<double> chance(0.0, 1.0);
  if (chance(rng_) < settings_.loss_rate) {
    pending.post.fate = "lost";
    pending.post.at_ms = wallClockMs() + std::chrono::duration_cast<std::chrono::milliseconds>(
                                       due - Clock::now()).count();
    posts_.push_back(pending.post);
    return;
  }
  const bool repeat = chance(rng_) < settings_.repeat_rate;
  pending.post.fate = "posted";
  queue_.emplace(due, pending);
  if (repeat) {
    pending.post.fate = "repeat";
    queue_.emplace(due + delay(), std::move(pending));
  }
}

void WebhookPoster::messageAccepted(const SentMessage& message, const std::string& callback_url) {
  std::unique_lock lock(mutex_);
  std::string url = callback_url;
  if (url.empty()) {
    auto it = registered_.find("receipt");
    if (it != registered_.end()) url = it->second;
  }
  if (url.empty()) return;
  std::uniform_real_distribution<double> chance(0.0, 1.0);
  const bool delivered = chance(rng_) >= settings_.undelivered_rate;
  const auto sent_at = Clock::now() + delay();
  const auto final_at = sent_at + delay();
  schedule(sent_at, Pending{WebhookPost{"receipt", url, message.id, "Sent", "", 0, 0},
                            receiptBody(message, "Sent", 2), 0});
  const std::string final_status = delivered ? "Delivered" : "Undelivered";
  schedule(final_at, Pending{WebhookPost{"receipt", url, message.id, final_status, "", 0, 0},
                             receiptBody(message, final_status, delivered ? 1 : 5), 0});
  lock.unlock();
  wake_.notify_all();
}

bool WebhookPoster::postIncoming(const std::string& id, const std::string& body) {
  {
    std::lock_guard lock(mutex_);
    auto it = registered_.find("incoming");
    if (it == registered_.end() || it->second.empty()) return false;
    queue_.emplace(Clock::now(), Pending{WebhookPost{"incoming", it->second, id, "", "posted", 0, 0},
                                         body, 0});
  }
  wake_.notify_all();
  return true;
}

std::vector<WebhookPost> WebhookPoster::posts() const {
  std::lock_guard lock(mutex_);
  return posts_;
}

std::size_t WebhookPoster::pending() const {
  std::lock_guard lock(mutex_);
  return queue_.size() + (in_flight_ ? 1 : 0);
}

void WebhookPoster::clear() {
  std::lock_guard lock(mutex_);
  posts_.clear();
  registered_.clear();
  queue_.clear();
}

void WebhookPoster::run() {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    if (queue_.empty()) {
      wake_.wait(lock);
      continue;
    }
    const auto due = queue_.begin()->first;
    if (Clock::now() < due) {
      wake_.wait_until(lock, due);
      continue;
    }
    Pending p = std::move(queue_.begin()->second);
    queue_.erase(queue_.begin());
    in_flight_ = true;
    lock.unlock();
    const int status = send(p.post.url, p.body);
    lock.lock();
    in_flight_ = false;
    ++p.attempt;
    if ((status == 0 || status >= 500) && p.attempt < kAttempts && !stop_) {
      queue_.emplace(Clock::now() + kRetryAfter, std::move(p));
      continue;
    }
    p.post.http_status = status;
    p.post.at_ms = wallClockMs();
    if (!console_.quiet()) {
      console_.line("webhook " + p.post.kind + " " + p.post.message_id + " " + p.post.status +
                    " (" + p.post.fate + ") -> " + std::to_string(status));
    }
    posts_.push_back(std::move(p.post));
  }
}

int WebhookPoster::send(const std::string& url, const std::string& body) {
  try {
    const Poco::URI uri(url);
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (uri.getScheme() == "https") {
      // A test peer: it trusts whatever the receiver presents.
      Poco::Net::Context::Ptr context = new Poco::Net::Context(
          Poco::Net::Context::TLS_CLIENT_USE, "", "", "", Poco::Net::Context::VERIFY_NONE);
      session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(),
                                                                context);
    } else {
      session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
    }
    session->setTimeout(Poco::Timespan(5, 0));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathEtc(),
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/json");
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    session->sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session->receiveResponse(response);
    std::ostringstream ignored;
    Poco::StreamCopier::copyStream(in, ignored);
    return static_cast<int>(response.getStatus());
  } catch (const Poco::Exception&) {
    return 0;
  } catch (const std::exception&) {
    return 0;
  }
}

}  // namespace mobisync::sim
