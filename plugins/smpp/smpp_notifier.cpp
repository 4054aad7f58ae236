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
  std::lock_guard lock(sessions_mutex_);
  if (!sessions_.empty()) return;
  const Options& o = *options_;
  auto make = [&](const std::string& name, Session::Role role) {
    sessions_.push_back(
        std::make_unique<Session>(name, role, o, dispatcher_, receipts_, inbound_, *logger_));
  };
  for (int i = 1; i <= o.binds; ++i) {
    const std::string n = "bind " + std::to_string(i);
    if (o.bind_mode == BindMode::Transceiver) {
      make(n, Session::Role::Transceiver);
    } else {
      make(n + " tx", Session::Role::Transmitter);
      make(n + " rx", Session::Role::Receiver);
    }
  }
  for (auto& s : sessions_) {
    Session* session = s.get();
    if (session->transmits()) dispatcher_.addWaker([session] { session->wake(); });
    session->start();
  }
}

void SmppNotifier::shutdown() noexcept {
  shut_down_.store(true);
  // Stopped outside the lock (a graceful unbind takes a while; boundSessions() must not wait).
  // What they received until then stays in receipts_ and inbound_ for the host's last take.
  std::vector<std::unique_ptr<Session>> stopping;
  {
    std::lock_guard lock(sessions_mutex_);
    stopping.swap(sessions_);
  }
  for (auto& s : stopping) s->stop();
  dispatcher_.clearWakers();  // they point at the sessions about to go
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
    auto built = buildSubmits(messages[i], o, [this](const std::string& to, std::uint32_t modulus) {
      return references_.next(to, modulus);
    });
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
  auto group = std::make_shared<JobGroup>();
  for (const auto& j : jobs) {
    if (!j) continue;
    j->group = group;
    waiting.push_back(j);
  }
  group->open = waiting.size();
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

std::vector<plugin::InboundMessage> SmppNotifier::takeInbound() {
  // Only a host that listens (the daemon's messaging service) takes inbound messages: its first
  // take binds, so a daemon that has sent nothing yet still hears replies and late receipts.
  if (options_ && !shut_down_.load()) startSessions();
  return inbound_.take();
}

int SmppNotifier::boundSessions() const {
  std::lock_guard lock(sessions_mutex_);
  int bound = 0;
  for (const auto& s : sessions_) bound += s->bound() ? 1 : 0;
  return bound;
}

void SmppNotifier::useConcatReferences(plugin::ConcatReferenceSource* source) {
  references_.useSource(source);
}

}  // namespace mobisync::plugins::smpp
