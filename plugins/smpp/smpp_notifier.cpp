// SPDX-License-Identifier: Apache-2.0
#include "smpp_notifier.hpp"

#include <chrono>

#include "submit_builder.hpp"

namespace mobisync::plugins::smpp {

using plugin::Delivery;

SmppNotifier::~SmppNotifier() { shutdown(); }

Status SmppNotifier::init(const plugin::Context& context) {
  logger_ = &context.logger;
  auto options = readOptions(context.config);
  if (!options) return options.error();
  options_ = std::move(*options);
  return Status::ok();
}

void SmppNotifier::startSessions() {
  if (!sessions_.empty()) return;
  const Options& o = *options_;
  for (int i = 1; i <= o.binds; ++i) {
    const std::string n = "bind " + std::to_string(i);
    if (o.bind_mode == BindMode::Transceiver) {
      sessions_.push_back(std::make_unique<Session>(n, Session::Role::Transceiver, o, dispatcher_,
                                                    receipts_, *logger_));
    } else {
      sessions_.push_back(std::make_unique<Session>(n + " tx", Session::Role::Transmitter, o,
                                                    dispatcher_, receipts_, *logger_));
      sessions_.push_back(std::make_unique<Session>(n + " rx", Session::Role::Receiver, o,
                                                    dispatcher_, receipts_, *logger_));
    }
  }
  for (auto& s : sessions_) {
    Session* session = s.get();
    if (session->transmits()) dispatcher_.addWaker([session] { session->wake(); });
    session->start();
  }
}

void SmppNotifier::shutdown() noexcept {
  for (auto& s : sessions_) s->stop();
  dispatcher_.clearWakers();  // they point at the sessions about to go
  sessions_.clear();
}

Result<Delivery> SmppNotifier::send(const plugin::Message& message) {
  auto batch = sendBatch({message}, plugin::BatchOptions{});
  if (!batch) return batch.error();
  return std::move(batch->front());
}

Result<std::vector<Delivery>> SmppNotifier::sendBatch(const std::vector<plugin::Message>& messages,
                                                      const plugin::BatchOptions&) {
  if (!options_) return Status::internal("smpp notifier used before init()");
  const Options& o = *options_;
  std::vector<Delivery> out(messages.size());
  std::vector<std::shared_ptr<Job>> jobs(messages.size());
  std::vector<std::shared_ptr<Segment>> segments;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    auto built = buildSubmits(messages[i], o, next_reference_++);
    if (!built) {
      out[i] = Delivery{Delivery::Outcome::Drop, "", built.error().message()};
      continue;
    }
    auto job = std::make_shared<Job>();
    job->pending = built->segments.size();
    job->message_ids.resize(built->segments.size());
    job->receipt_key = receipts_.open(built->segments.size());
    for (std::size_t k = 0; k < built->segments.size(); ++k) {
      auto s = std::make_shared<Segment>();
      s->job = job;
      s->index = k;
      s->body = std::move(built->segments[k]);
      segments.push_back(std::move(s));
    }
    jobs[i] = std::move(job);
  }
  std::vector<std::shared_ptr<Job>> waiting;
  for (const auto& j : jobs) {
    if (j) waiting.push_back(j);
  }
  if (!waiting.empty()) {
    startSessions();
    const std::size_t per_second = static_cast<std::size_t>(o.rate) * static_cast<std::size_t>(o.binds);
    const auto budget = o.timeout + std::chrono::seconds(2 * (segments.size() / per_second + 1));
    dispatcher_.submit(std::move(segments));
    dispatcher_.wait(waiting, Dispatcher::Clock::now() + budget, [&] {
      std::string why = "not submitted within " + std::to_string(
          std::chrono::duration_cast<std::chrono::milliseconds>(budget).count()) + " ms";
      std::string problem = dispatcher_.lastProblem();
      return problem.empty() ? why : why + " (" + problem + ")";
    });
  }
  for (std::size_t i = 0; i < messages.size(); ++i) {
    if (!jobs[i]) continue;
    const Job& job = *jobs[i];  // resolved: no session touches it any more
    if (job.outcome == Delivery::Outcome::Ok) {
      out[i] = Delivery{Delivery::Outcome::Ok, job.message_ids.front(), {}};
      if (job.message_ids.size() > 1) {
        out[i].detail = std::to_string(job.message_ids.size()) + " parts";
      }
    } else {
      out[i] = Delivery{job.outcome, {}, job.detail};
    }
  }
  return out;
}

std::vector<plugin::Receipt> SmppNotifier::takeReceipts() { return receipts_.take(); }

}  // namespace mobisync::plugins::smpp
