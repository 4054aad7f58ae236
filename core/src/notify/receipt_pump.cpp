// SPDX-License-Identifier: Apache-2.0
// storeReceipts(): a plugin that throws from takeReceipts costs its receipts, not the run.
#include "notify/receipt_pump.hpp"

#include <chrono>
#include <vector>

#include <Poco/Logger.h>

#include "state/message_log.hpp"
#include "values/wall_clock.hpp"

namespace mobisync::notify {

std::int64_t storeReceipts(NotifierInstance& n, state::StateStore& store,
                           const std::string& origin) {
  Poco::Logger& log = Poco::Logger::get("mobisync.notify");
  std::vector<plugin::Receipt> receipts;
  try {
    receipts = n.receipts->takeReceipts();
  } catch (const std::exception& e) {
    log.warning("notifier %s: takeReceipts threw: %s", n.name, std::string(e.what()));
    return 0;
  } catch (...) {
    return 0;
  }
  state::MessageLog messages(store);
  std::int64_t matched = 0;
  for (const auto& r : receipts) {
    const std::int64_t now = values::nowMs();
    auto m = messages.recordReceipt(n.name, r.message_id, r.state, r.error, r.done_at_ms, origin,
                                    now);
    if (m.matched) {
      ++matched;
    } else {
      log.information("notifier %s: receipt %s for unknown message id %s", n.name, r.state,
                      r.message_id);
    }
  }
  return matched;
}

}  // namespace mobisync::notify
