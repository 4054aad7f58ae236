// SPDX-License-Identifier: Apache-2.0
// The provider's webhook registration (POST /webhooks/receipt, /webhooks/incoming) and the
// simulator's controls over what it posts (/_sim/incoming, /_sim/webhooks).
#pragma once

#include <string>

#include "request_router.hpp"
#include "webhook_poster.hpp"

namespace mobisync::sim {

/// Thread-safe; `poster` must outlive it.
class WebhookApi {
 public:
  WebhookApi(std::string api_key, WebhookPoster& poster) : api_key_(std::move(api_key)), poster_(poster) {}

  /// The provider's registration endpoints (API port).
  void registerRoutes(RequestRouter& router);
  /// The /_sim/ controls (API and control ports).
  void registerControlRoutes(RequestRouter& router);

 private:
  void registration(const std::string& kind, Poco::Net::HTTPServerRequest& request,
                    Poco::Net::HTTPServerResponse& response);
  void incoming(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);
  void listing(Poco::Net::HTTPServerResponse& response);

  const std::string api_key_;
  WebhookPoster& poster_;
};

}  // namespace mobisync::sim
