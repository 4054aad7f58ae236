// SPDX-License-Identifier: Apache-2.0
// The provider's contacts proxy API: GET /api/contacts/create and /api/contacts/delete.
#pragma once

#include <string>
#include <vector>

#include "console.hpp"
#include "contact_store.hpp"
#include "fault_injector.hpp"
#include "refusal.hpp"
#include "request_log.hpp"
#include "request_router.hpp"

namespace mobisync::sim {

/// Credentials and permanent-rejection rules the proxy API checks.
struct ProxyAccount {
  std::string username;
  std::string password;
  std::vector<std::string> reject_msisdn_prefixes;
  /// "array" or "huge": answer every call that would succeed with something that is not the
  /// proxy API (a JSON array; a 2 MiB object), as a wrong base_url or a portal in the way does.
  std::string foreign_body;
};

/// Handles the two proxy endpoints. Thread-safe (all state is in the shared objects it refers
/// to, which must outlive it).
class ContactsProxyApi {
 public:
  ContactsProxyApi(ProxyAccount account, ContactStore& store, RequestLog& log,
                   FaultInjector& faults, Refusal& refusal, Console& console);

  void registerRoutes(RequestRouter& router);

 private:
  void handle(ProxyOp op, Poco::Net::HTTPServerRequest& request,
              Poco::Net::HTTPServerResponse& response);

  /// Answers a request that passed fault injection; returns the HTTP status sent.
  int answer(ProxyRequestRecord& record, const std::string& username, const std::string& password,
             bool unauthorized, Poco::Net::HTTPServerResponse& response);

  bool rejected(const std::string& msisdn) const;

  const ProxyAccount account_;
  ContactStore& store_;
  RequestLog& log_;
  FaultInjector& faults_;
  Refusal& refusal_;
  Console& console_;
};

}  // namespace mobisync::sim
