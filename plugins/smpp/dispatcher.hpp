// SPDX-License-Identifier: Apache-2.0
// Dispatcher: the queue of submit_sm segments shared by the transmitting sessions, and the
// bookkeeping that resolves each message once, whatever happens to the connections.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "mobisync/plugin/plugin.hpp"
#include "smpp_pdu/pdu.hpp"

namespace mobisync::plugins::smpp {

/// One message being sent: resolved when every segment is. Guarded by the Dispatcher's mutex.
/// The jobs one caller waits for together: the waiter is woken once, when the last resolves,
/// not once per job (a batch of 100,000 messages woke it 100,000 times).
struct JobGroup {
  std::size_t open = 0;  ///< jobs of the group not yet resolved
};

struct Job {
  std::size_t pending = 0;               ///< segments not yet resolved
  std::shared_ptr<JobGroup> group;       ///< set before submit, then fixed; may be null
  std::vector<std::string> message_ids;  ///< per segment, from its submit_sm_resp
  plugin::Delivery::Outcome outcome = plugin::Delivery::Outcome::Ok;
  std::string detail;                    ///< why, when not Ok (the first failure)
  bool withdrawn = false;                ///< the caller stopped waiting; unsent parts give up
  std::uint64_t receipt_key = 0;         ///< ReceiptMatcher::open(); set before submit, then fixed
};

/// One submit_sm to make. A segment is in exactly one place at a time: the queue, one session's
/// window, or resolved.
struct Segment {
  std::shared_ptr<Job> job;
  std::size_t index = 0;
  mobisync::smpp::ShortMessage body;
  int attempts = 0;
};

/// Thread-safe. Sessions take() segments, and each one they took they must hand back through
/// exactly one of accepted(), failed() or giveBack().
class Dispatcher {
 public:
  using Clock = std::chrono::steady_clock;

  /// Called (from any thread) whenever work is queued, so idle sessions wake up.
  void addWaker(std::function<void()> wake);
  void clearWakers();

  /// Queues the segments of new jobs, in order.
  void submit(std::vector<std::shared_ptr<Segment>> segments);
  /// The next segment, or nullptr when the queue is empty.
  std::shared_ptr<Segment> take();
  bool hasWork();
  /// Puts segments that were taken but not acknowledged back at the front, in the order given
  /// (a connection lost mid-window, a throttled submit). Withdrawn jobs' segments resolve as
  /// Retry instead.
  void giveBack(std::vector<std::shared_ptr<Segment>> segments, const std::string& why);
  /// The SMSC accepted the segment under `message_id`.
  void accepted(Segment& segment, std::string message_id);
  /// The segment will not be sent: outcome Drop (permanent) or Retry (try the message later).
  void failed(Segment& segment, plugin::Delivery::Outcome outcome, std::string detail);

  /// Waits until every job is resolved. At `deadline` the caller gives up on what has not been
  /// submitted yet (those segments resolve as Retry, saying `why_late()`), then waits for the
  /// segments still in flight, which the sessions resolve or give back within their timeout.
  void wait(const std::vector<std::shared_ptr<Job>>& jobs, Clock::time_point deadline,
            const std::function<std::string()>& why_late);

  /// The last connection or bind problem, for the detail of messages that could not go.
  void noteProblem(std::string problem);
  std::string lastProblem();

 private:
  void resolveLocked(Segment& segment);
  void wakeAll();

  std::mutex mutex_;
  std::condition_variable done_;
  std::deque<std::shared_ptr<Segment>> queue_;
  std::vector<std::function<void()>> wakers_;
  std::string last_problem_;
};

}  // namespace mobisync::plugins::smpp
