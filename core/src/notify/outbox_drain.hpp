// SPDX-License-Identifier: Apache-2.0
// OutboxDrain: sends what the outbox holds, through the notifier pool, and records how it went.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "notify/notifier_pool.hpp"
#include "state/state_store.hpp"

namespace mobisync::notify {

struct DrainSettings {
  /// Who takes rows ("host:pid:random"); empty: drainerId() of this process.
  std::string holder;
  /// Only these notifiers; empty: every notifier with queued rows.
  std::vector<std::string> notifiers;
  /// Rows taken per notifier and pass: one sendBatch call, which the plugin splits in chunks.
  int batch_limit = 10000;
  int max_attempts = 4;           ///< per message, the first included; then failed
  std::chrono::milliseconds initial_backoff{200};
  std::chrono::milliseconds max_backoff{3000};
  std::chrono::milliseconds in_flight_timeout{120000};  ///< see state::Outbox::requeueStale
  /// Label of batches (a campaign name for the HTTP notifier).
  std::string batch_name = "mobisync";
  /// Use sendBatch where the notifier has it (off for `send`, which reports each apart).
  bool batch = true;
};

/// What one drain did.
struct DrainCounts {
  std::int64_t submitted = 0;
  std::int64_t retried = 0;     ///< queued again for a later attempt
  std::int64_t failed = 0;
  std::int64_t expired = 0;
  std::int64_t suppressed = 0;
  std::int64_t requeued = 0;    ///< rows a stopped drainer had left 'sending'
  std::vector<std::string> problems;  ///< one line per notifier that stopped, per failure kind
  Status fatal;  ///< the last refusal of a whole call (credentials, configuration), if any
};

/// "host:pid:random", fixed for the life of the process.
const std::string& drainerId();

/// Sends every due queued row, notifier by notifier, in batches where the notifier has
/// BulkNotifier (each plugin keeps its own pace). Suppressed recipients are marked suppressed,
/// rows past expires_at expired; temporary failures are queued again with backoff until
/// max_attempts, then failed; a refused call (credentials, configuration) fails the rows taken.
/// Every status change lands in message_events, and each outcome (submitted, failed, expired,
/// suppressed) is counted in mobisync_messages_total{notifier,status} once it is written, so
/// every drain of the process counts: the daemon's service, a job run's, `send`. Borrows pool
/// and store; one thread.
class OutboxDrain {
 public:
  /// The notifier instance of a name (NotifierPool::get, or a test's own).
  using Lookup = std::function<Result<NotifierInstance*>(const std::string&)>;

  OutboxDrain(NotifierPool& pool, state::StateStore& store, DrainSettings settings = {});
  OutboxDrain(Lookup notifiers, state::StateStore& store, DrainSettings settings = {});

  /// One pass over what is due at `now_ms`.
  DrainCounts drainOnce(std::int64_t now_ms);
  /// Passes until nothing of the settings' notifiers is queued (retries waited for with
  /// `sleep`), or `deadline_ms` (wall clock) passes. For `sync` and `send`.
  DrainCounts drainUntilSettled(std::int64_t deadline_ms,
                                const std::function<void(std::chrono::milliseconds)>& sleep = {});

 private:
  void drainNotifier(const std::string& notifier, std::int64_t now_ms, DrainCounts& counts);

  Lookup notifiers_;
  state::StateStore& store_;
  DrainSettings settings_;
};

/// One pass with default settings (the daemon's messaging service calls this in its loop).
DrainCounts drainOnce(NotifierPool& pool, state::StateStore& store, std::int64_t now_ms);

/// A message for the outbox. text is encoded here to count parts and name the encoding.
struct QueuedMessage {
  std::string dedup_key;  ///< "at most once" key; must not be empty
  std::string notifier;
  std::string recipient;  ///< E.164 digits
  std::string text;
  std::string originator;
  std::string job, rule, event;
  std::int64_t expires_at_ms = 0;  ///< 0: default_validity from now
  std::string error = {};  ///< set: cannot be sent (a template field had no value); kept failed
};

/// Rows of this rule are sent even to suppressed numbers (the inbound handler's opt-out
/// confirmation, notify::kConfirmationRule).
inline constexpr const char* kOptoutConfirmationRule = "optout-confirmation";

/// Default time a queued message may wait before it is expired unsent.
inline constexpr std::int64_t kDefaultValidityMs = 24LL * 3600 * 1000;

/// Enqueues messages; per message the row id, 0 when its key was taken. A text that cannot be
/// encoded is stored and marked failed at once (its id is returned; status failed).
std::vector<std::int64_t> enqueueMessages(state::StateStore& store,
                                          const std::vector<QueuedMessage>& messages,
                                          std::int64_t now_ms);
/// One message; used by the inbound handler for confirmation replies.
std::int64_t enqueueMessage(state::StateStore& store, const QueuedMessage& message,
                            std::int64_t now_ms);

}  // namespace mobisync::notify
