// SPDX-License-Identifier: Apache-2.0
// sendAll(): batching, retry with backoff, and the difference between a refused message and a
// refused call.
#include "notify/sender.hpp"

#include <random>
#include <thread>

#include "provider_http/backoff.hpp"

namespace mobisync::notify {

namespace {

using Kind = SendOutcome::Kind;
using Outcome = plugin::Delivery::Outcome;

/// Writes a delivery's result for message `i`; true when it should be tried again.
bool settle(const plugin::Delivery& d, SendOutcome& out) {
  switch (d.outcome) {
    case Outcome::Ok:
      out = {Kind::Sent, d.message_id, {}};
      return false;
    case Outcome::Drop:
      out = {Kind::Dropped, {}, d.detail.empty() ? "refused by the provider" : d.detail};
      return false;
    case Outcome::Retry:
      out = {Kind::Failed, {}, d.detail.empty() ? "provider busy" : d.detail};
      return true;
  }
  return false;
}

}  // namespace

SendReport sendAll(NotifierInstance& n, const std::vector<plugin::Message>& messages,
                   const plugin::BatchOptions& options, const RetrySettings& settings) {
  SendReport report;
  report.outcomes.resize(messages.size());
  std::vector<std::size_t> pending(messages.size());
  for (std::size_t i = 0; i < pending.size(); ++i) pending[i] = i;
  provider_http::Backoff backoff(settings.initial, settings.max, std::random_device{}());
  auto sleep = settings.sleep ? settings.sleep
                              : [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };

  for (int attempt = 1; !pending.empty() && attempt <= settings.max_attempts; ++attempt) {
    if (attempt > 1) {
      ++report.retries;
      sleep(backoff.next(attempt - 1));
    }
    std::vector<std::size_t> again;
    if (settings.batch && n.bulk != nullptr && pending.size() > 1) {
      std::vector<plugin::Message> batch;
      batch.reserve(pending.size());
      for (auto i : pending) batch.push_back(messages[i]);
      auto r = guardedResult<std::vector<plugin::Delivery>>(
          n.plugin, [&] { return n.bulk->sendBatch(batch, options); });
      if (r && r->size() != batch.size()) {
        r = Status::pluginFailure(n.plugin, "sendBatch returned " + std::to_string(r->size()) +
                                                " deliveries for " +
                                                std::to_string(batch.size()) + " messages");
      }
      if (!r) {
        for (auto i : pending) report.outcomes[i] = {Kind::Failed, {}, r.error().message()};
        if (!r.error().retryable()) {
          report.fatal = r.error();
          return report;
        }
        again = pending;
      } else {
        for (std::size_t k = 0; k < pending.size(); ++k) {
          if (settle((*r)[k], report.outcomes[pending[k]])) again.push_back(pending[k]);
        }
      }
    } else {
      for (std::size_t k = 0; k < pending.size(); ++k) {
        const std::size_t i = pending[k];
        auto r = guardedResult<plugin::Delivery>(n.plugin,
                                                 [&] { return n.notifier->send(messages[i]); });
        if (!r) {
          report.outcomes[i] = {Kind::Failed, {}, r.error().message()};
          if (!r.error().retryable()) {
            // The call itself was refused (credentials, configuration): the rest would be too.
            for (std::size_t rest = k + 1; rest < pending.size(); ++rest) {
              report.outcomes[pending[rest]] = {Kind::Failed, {}, "not sent: " + r.error().message()};
            }
            report.fatal = r.error();
            return report;
          }
          again.push_back(i);
          continue;
        }
        if (settle(*r, report.outcomes[i])) again.push_back(i);
      }
    }
    pending = std::move(again);
  }
  for (auto i : pending) {
    report.outcomes[i].detail = "still failing after " + std::to_string(settings.max_attempts) +
                                " attempts: " + report.outcomes[i].detail;
  }
  return report;
}

}  // namespace mobisync::notify
