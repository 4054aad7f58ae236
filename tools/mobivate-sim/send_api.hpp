// SPDX-License-Identifier: Apache-2.0
// The provider's JSON send API: POST /send/single and POST /send/batch with a Bearer key.
#pragma once

#include <Poco/JSON/Object.h>

#include <functional>
#include <string>

#include "console.hpp"
#include "fault_injector.hpp"
#include "message_store.hpp"
#include "request_router.hpp"
#include "send_rules.hpp"

namespace mobisync::sim {

/// Validates like the provider, records accepted messages. Thread-safe; the shared objects
/// must outlive it.
class SendApi {
 public:
  SendApi(std::string api_key, OptoutList optouts, MessageStore& messages, FaultInjector& faults,
          Console& console);

  void registerRoutes(RequestRouter& router);

  /// Called for each accepted message with the request's callbackURL ("" when none), before
  /// the answer is sent: the delivery receipts start from here.
  using AcceptedHook = std::function<void(const SentMessage&, const std::string& callback_url)>;
  void onAccepted(AcceptedHook hook) { on_accepted_ = std::move(hook); }

 private:
  void single(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);
  void batch(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

  /// Auth, faults and JSON parsing common to both; nullptr when an answer was already sent.
  Poco::JSON::Object::Ptr admit(Poco::Net::HTTPServerRequest& request,
                                Poco::Net::HTTPServerResponse& response);

  const std::string api_key_;
  const OptoutList optouts_;
  MessageStore& messages_;
  FaultInjector& faults_;
  Console& console_;
  AcceptedHook on_accepted_;
};

}  // namespace mobisync::sim
