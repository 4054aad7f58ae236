// SPDX-License-Identifier: Apache-2.0
#include "dispatcher.hpp"

#include <algorithm>

namespace mobisync::plugins::smpp {

using Outcome = plugin::Delivery::Outcome;

void Dispatcher::addWaker(std::function<void()> wake) {
  std::lock_guard lock(mutex_);
  wakers_.push_back(std::move(wake));
}

void Dispatcher::clearWakers() {
  std::lock_guard lock(mutex_);
  wakers_.clear();
}

void Dispatcher::wakeAll() {
  std::vector<std::function<void()>> wakers;
  {
    std::lock_guard lock(mutex_);
    wakers = wakers_;
  }
  for (auto& w : wakers) w();
}

void Dispatcher::submit(std::vector<std::shared_ptr<Segment>> segments) {
  {
    std::lock_guard lock(mutex_);
    for (auto& s : segments) queue_.push_back(std::move(s));
  }
  wakeAll();
}

std::shared_ptr<Segment> Dispatcher::take() {
  std::lock_guard lock(mutex_);
  if (queue_.empty()) return nullptr;
  auto s = std::move(queue_.front());
  queue_.pop_front();
  return s;
}

bool Dispatcher::hasWork() {
  std::lock_guard lock(mutex_);
  return !queue_.empty();
}

void Dispatcher::giveBack(std::vector<std::shared_ptr<Segment>> segments, const std::string& why) {
  bool queued = false;
  {
    std::lock_guard lock(mutex_);
    for (auto it = segments.rbegin(); it != segments.rend(); ++it) {
      Segment& s = **it;
      if (s.job->withdrawn) {
        if (s.job->outcome == Outcome::Ok) {
          s.job->outcome = Outcome::Retry;
          s.job->detail = "not acknowledged by the SMSC: " + why;
        }
        resolveLocked(s);
        continue;
      }
      queue_.push_front(std::move(*it));
      queued = true;
    }
  }
  if (queued) wakeAll();
}

void Dispatcher::resolveLocked(Segment& segment) {
  Job& job = *segment.job;
  if (job.pending == 0 || --job.pending > 0) return;
  if (job.group == nullptr || --job.group->open == 0) done_.notify_all();
}

void Dispatcher::accepted(Segment& segment, std::string message_id) {
  std::lock_guard lock(mutex_);
  segment.job->message_ids[segment.index] = std::move(message_id);
  resolveLocked(segment);
}

void Dispatcher::failed(Segment& segment, Outcome outcome, std::string detail) {
  std::lock_guard lock(mutex_);
  Job& job = *segment.job;
  // A permanent failure of any part decides the message; otherwise the first reason stands.
  if (job.outcome == Outcome::Ok || (outcome == Outcome::Drop && job.outcome != Outcome::Drop)) {
    job.outcome = outcome;
    job.detail = std::move(detail);
  }
  resolveLocked(segment);
}

void Dispatcher::wait(const std::vector<std::shared_ptr<Job>>& jobs, Clock::time_point deadline,
                      const std::function<std::string()>& why_late) {
  // A resolved job stays resolved, so the scan resumes where it stopped: linear in all.
  std::size_t first_open = 0;
  auto all_done = [&] {
    while (first_open < jobs.size() && jobs[first_open]->pending == 0) ++first_open;
    return first_open == jobs.size();
  };
  std::unique_lock lock(mutex_);
  if (done_.wait_until(lock, deadline, all_done)) return;
  // Late: withdraw what no session has taken yet, keep waiting for what is in flight.
  lock.unlock();
  const std::string why = why_late();
  lock.lock();
  for (const auto& j : jobs) j->withdrawn = true;
  for (auto it = queue_.begin(); it != queue_.end();) {
    Segment& s = **it;
    if (!s.job->withdrawn) {
      ++it;
      continue;
    }
    if (s.job->outcome == Outcome::Ok) {
      s.job->outcome = Outcome::Retry;
      s.job->detail = why;
    }
    resolveLocked(s);
    it = queue_.erase(it);
  }
  done_.wait(lock, all_done);
}

void Dispatcher::noteProblem(std::string problem) {
  std::lock_guard lock(mutex_);
  last_problem_ = std::move(problem);
}

std::string Dispatcher::lastProblem() {
  std::lock_guard lock(mutex_);
  return last_problem_;
}

}  // namespace mobisync::plugins::smpp
