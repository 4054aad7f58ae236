// SPDX-License-Identifier: Apache-2.0
// ProxyOptoutSubscriber: OptoutSubscriber over the contacts proxy API (remote::ProxyClient): one
// create or remove call of `optouts:sms` per number, one attempt; a failure is retried by a later
// InboundHandler::syncPending pass, not here.
#pragma once

#include <string>

#include "config/provider_settings.hpp"
#include "notify/inbound_handler.hpp"
#include "remote/proxy_client.hpp"

namespace mobisync::notify {

inline constexpr const char* kSmsOptoutApplication = "optouts:sms";

/// Owns one keep-alive connection; not thread-safe (one per InboundHandler).
class ProxyOptoutSubscriber : public OptoutSubscriber {
 public:
  /// Throws Poco::Exception when settings.base_url is not an http(s) URL.
  explicit ProxyOptoutSubscriber(const config::ProviderSettings& settings);

  bool subscribe(const std::string& msisdn, std::string& error) override;
  bool unsubscribe(const std::string& msisdn, std::string& error) override;

 private:
  bool call(remote::ProviderCall::Kind kind, const std::string& msisdn, std::string& error);

  remote::ProxyClient client_;
};

}  // namespace mobisync::notify
