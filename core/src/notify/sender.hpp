// SPDX-License-Identifier: Apache-2.0
// sendAll(): hands messages to one notifier, in batches when it can, retrying what it asks to.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "mobisync/plugin/plugin.hpp"
#include "notify/notifier_pool.hpp"

namespace mobisync::notify {

/// How one message ended.
struct SendOutcome {
  enum class Kind { Sent, Dropped, Failed };
  Kind kind = Kind::Failed;
  std::string message_id;  ///< the provider's, when sent
  std::string detail;      ///< why not, when dropped or failed
};

/// The outcomes in the order of the messages; `fatal` is set when the notifier refused the
/// whole call (credentials, configuration): every message not sent by then is Failed with it.
struct SendReport {
  std::vector<SendOutcome> outcomes;
  Status fatal;
  int retries = 0;
};

struct RetrySettings {
  int max_attempts = 4;  ///< per message, the first included
  std::chrono::milliseconds initial{200};
  std::chrono::milliseconds max{3000};
  /// How to wait between attempts; tests may pass one that does not sleep.
  std::function<void(std::chrono::milliseconds)> sleep;
  /// Use sendBatch when the notifier has it; off for `send`, which reports each message apart.
  bool batch = true;
};

/// Sends `messages` through `n`: with sendBatch when the notifier has it and there is more than
/// one message (the plugin splits big batches), else send() one by one. Retry deliveries and
/// retryable failures are tried again with backoff up to `settings.max_attempts`; Drop is final.
SendReport sendAll(NotifierInstance& n, const std::vector<plugin::Message>& messages,
                   const plugin::BatchOptions& options, const RetrySettings& settings = {});

}  // namespace mobisync::notify
