// SPDX-License-Identifier: Apache-2.0
// Heartbeat and StateProbe.
#include "daemon/health.hpp"

#include <exception>
#include <utility>

#include <Poco/Data/Session.h>
#include <Poco/Logger.h>

#include "mobisync/text.hpp"

namespace mobisync::daemon {

namespace {

std::int64_t steadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

void Heartbeat::beat() { last_ms_.store(steadyMs()); }

std::string Heartbeat::problem() const {
  const std::int64_t silent_ms = steadyMs() - last_ms_.load();
  if (silent_ms <= std::chrono::milliseconds(kDeadAfter).count()) return {};
  return "the daemon's loop has not answered for " + std::to_string(silent_ms / 1000) + " s";
}

StateProbe::StateProbe() : thread_([this] { loop(); }) {}

StateProbe::~StateProbe() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void StateProbe::watch(state::StateLocation where) {
  {
    std::lock_guard lock(mutex_);
    where_ = std::move(where);
    due_ = true;
  }
  wake_.notify_all();
}

std::string StateProbe::problem() const {
  std::lock_guard lock(mutex_);
  return problem_;
}

void StateProbe::loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait_for(lock, kEvery, [this] { return stop_ || due_; });
    if (stop_) return;
    due_ = false;
    if (!where_) continue;
    const state::StateLocation where = *where_;
    lock.unlock();
    std::string problem;
    try {
      Poco::Data::Session session = state::openStateSession(where);
      int one = 0;
      session << "SELECT 1", Poco::Data::Keywords::into(one), Poco::Data::Keywords::now;
    } catch (const Poco::Exception& e) {
      problem = e.displayText();
    } catch (const std::exception& e) {
      problem = e.what();
    }
    if (!problem.empty()) {
      problem = "state " + where.display() + " does not answer: " + text::excerpt(problem, 300);
    }
    lock.lock();
    if (problem != problem_ && !problem.empty()) {
      Poco::Logger::get("mobisync.daemon").warning("not ready: %s", problem);
    }
    problem_ = std::move(problem);
  }
}

}  // namespace mobisync::daemon
