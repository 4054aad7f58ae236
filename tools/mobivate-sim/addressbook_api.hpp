// SPDX-License-Identifier: Apache-2.0
// The provider's address-book opt-out list: GET /addressbook/optout by date range, POST and
// DELETE one number; seeded with dates through POST /_sim/optouts.
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "request_router.hpp"

namespace mobisync::sim {

/// Thread-safe.
class AddressbookApi {
 public:
  explicit AddressbookApi(std::string api_key) : api_key_(std::move(api_key)) {}

  void registerRoutes(RequestRouter& router);
  void registerControlRoutes(RequestRouter& router);
  void clear();

 private:
  void list(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);
  /// POST (add, dated now, or `created` for the /_sim/ seed) and DELETE of {"mobile": ...}.
  void change(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
              bool add, bool seed);

  const std::string api_key_;
  std::mutex mutex_;
  std::map<std::string, std::string> optouts_;  // mobile -> created "YYYY-MM-DD HH:MM:SS"
};

}  // namespace mobisync::sim
