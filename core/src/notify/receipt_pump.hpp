// SPDX-License-Identifier: Apache-2.0
// storeReceipts(): what a notifier's ReceiptSource collected, recorded in the message log.
#pragma once

#include <cstdint>
#include <string>

#include "notify/notifier_pool.hpp"
#include "state/state_store.hpp"

namespace mobisync::notify {

/// Takes the receipts `n` collected (it must have a ReceiptSource) and records each through
/// state::MessageLog::recordReceipt (origin `origin`); receipts for unknown ids are logged.
/// Returns how many matched a message.
std::int64_t storeReceipts(NotifierInstance& n, state::StateStore& store,
                           const std::string& origin = "smpp");

}  // namespace mobisync::notify
