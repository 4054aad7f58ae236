// SPDX-License-Identifier: Apache-2.0
// HttpNotifier: SMS through the provider's JSON, batch (campaign) and Simple APIs, plus HLR.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <Poco/Logger.h>

#include "http_options.hpp"
#include "mobisync/plugin/plugin.hpp"
#include "provider_http/connection.hpp"
#include "provider_replies.hpp"
#include "provider_requests.hpp"

namespace mobisync::plugins::http {

/// The http notifier. send() makes one provider request per message (JSON single send or the
/// Simple API); sendBatch() sends campaigns of at most batch_chunk recipients; lookup() asks
/// the HLR. Outcomes: Ok, Retry (5xx, 408, 429, no answer), Drop (other 4xx, a message that
/// cannot be sent as given); a failed Result only when the provider refuses the credentials or
/// the TLS certificate fails, which no retry will fix.
/// Owned by the host; one thread at a time.
class HttpNotifier final : public plugin::Notifier,
                           public plugin::BulkNotifier,
                           public plugin::NumberLookup,
                           public plugin::Probe {
 public:
  HttpNotifier() = default;
  ~HttpNotifier() override;

  Status init(const plugin::Context& context) override;
  void shutdown() noexcept override;

  Result<plugin::Delivery> send(const plugin::Message& message) override;
  Result<std::vector<plugin::Delivery>> sendBatch(const std::vector<plugin::Message>& messages,
                                                  const plugin::BatchOptions& options) override;
  Result<plugin::NumberStatus> lookup(const std::string& msisdn) override;
  /// http_probe.cpp: the JSON API key (a listing of today's opt-outs) and the Simple API's
  /// username and password (a request with no recipient and no text), whichever the instance
  /// uses. Sends nothing.
  std::vector<plugin::ProbeResult> probe() override;

 private:
  /// Fills `out` from `message` (default originator applied); a Drop delivery when the message
  /// cannot be sent as given (bad recipient, originator or text).
  std::optional<plugin::Delivery> prepare(const plugin::Message& message, OutgoingSms& out) const;
  Result<plugin::Delivery> sendJson(const OutgoingSms& sms);
  Result<plugin::Delivery> sendSimple(const OutgoingSms& sms);
  /// The Simple API's request for `sms` (GET with the form as the query, or a POSTed form, as
  /// configured); its exchange, not its outcome, is shared by sendSimple() and probe().
  provider_http::Request simpleRequest(const OutgoingSms& sms) const;
  Result<std::vector<plugin::Delivery>> sendCampaigns(const std::vector<plugin::Message>& messages,
                                                      const plugin::BatchOptions& options);
  Result<std::vector<plugin::Delivery>> sendOneByOne(const std::vector<plugin::Message>& messages);
  /// The failed Status for credentials or a certificate the provider or we refused.
  Status stopping(const std::string& what) const;
  /// `text` with the API key and the password replaced by ***.
  std::string scrub(std::string text) const;
  Poco::Logger& log() const { return *logger_; }

  Options options_;
  std::string instance_;
  Poco::Logger* logger_ = nullptr;
  std::unique_ptr<provider_http::Connection> json_;    // JSON sends and HLR; null without a key
  std::unique_ptr<provider_http::Connection> simple_;  // the Simple API; null in json mode
};

}  // namespace mobisync::plugins::http
