// SPDX-License-Identifier: Apache-2.0
// ProxyOptoutSubscriber: one proxy API call per opt-out change.
#include "notify/proxy_optout_subscriber.hpp"

namespace mobisync::notify {

ProxyOptoutSubscriber::ProxyOptoutSubscriber(const config::ProviderSettings& settings)
    : client_(settings) {}

bool ProxyOptoutSubscriber::subscribe(const std::string& msisdn, std::string& error) {
  return call(remote::ProviderCall::Kind::Create, msisdn, error);
}

bool ProxyOptoutSubscriber::unsubscribe(const std::string& msisdn, std::string& error) {
  return call(remote::ProviderCall::Kind::Remove, msisdn, error);
}

bool ProxyOptoutSubscriber::call(remote::ProviderCall::Kind kind, const std::string& msisdn,
                                 std::string& error) {
  remote::ProviderCall c;
  c.kind = kind;
  c.msisdn = msisdn;
  c.applications = {kSmsOptoutApplication};
  const remote::Attempt a = client_.call(c);
  if (a.outcome != remote::Attempt::Outcome::Ok) {
    error = client_.describe(c) + ": " + a.message;
    return false;
  }
  for (const auto& t : a.tokens) {
    if (!t.ok) {
      error = std::string(kSmsOptoutApplication) + " refused: " + t.detail;
      return false;
    }
  }
  return true;
}

}  // namespace mobisync::notify
