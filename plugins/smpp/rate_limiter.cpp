// SPDX-License-Identifier: Apache-2.0
#include "rate_limiter.hpp"

#include <algorithm>

namespace mobisync::plugins::smpp {

RateLimiter::RateLimiter(int rate)
    : ceiling_(std::max(1, rate)), current_(ceiling_),
      ring_(static_cast<std::size_t>(ceiling_)) {}

RateLimiter::Clock::time_point RateLimiter::nextAllowed() const {
  const auto r = static_cast<Ticket>(current_);
  if (next_ticket_ < r) return Clock::time_point::min();
  // The r-th most recent submit: the next one may arrive only once it left the SMSC's second.
  const Sent& s = ring_[(next_ticket_ - r) % ring_.size()];
  if (s.answered == Clock::time_point::max()) return s.answered;
  return s.answered + std::chrono::seconds(1) + kMargin;
}

void RateLimiter::record(Sequence sequence, Clock::time_point) {
  const Ticket t = next_ticket_++;
  Sent& slot = ring_[t % ring_.size()];
  // The submit this slot held is older than `rate` submits; it no longer decides anything.
  if (slot.answered == Clock::time_point::max() && t >= ring_.size()) {
    unanswered_.erase(slot.sequence);
  }
  slot = Sent{t, sequence, Clock::time_point::max()};
  unanswered_[sequence] = t;
}

void RateLimiter::answered(Sequence sequence, Clock::time_point now) {
  auto it = unanswered_.find(sequence);
  if (it == unanswered_.end()) return;
  ring_[it->second % ring_.size()].answered = now;
  unanswered_.erase(it);
}

bool RateLimiter::throttled(Sequence sequence, Clock::time_point now) {
  auto it = unanswered_.find(sequence);
  // Unknown: pushed out of the ring by `rate` later submits, so not news about the current rate.
  const bool same_episode = it == unanswered_.end() || it->second < episode_from_;
  answered(sequence, now);
  if (same_episode) return false;
  current_ = std::max(1, current_ / 2);
  episode_from_ = next_ticket_;
  last_change_ = now;
  return true;
}

void RateLimiter::accepted(Sequence sequence, Clock::time_point now) {
  answered(sequence, now);
  if (current_ >= ceiling_ || now - last_change_ < std::chrono::seconds(1)) return;
  current_ = std::min(ceiling_, current_ + std::max(1, ceiling_ / 10));
  last_change_ = now;
}

}  // namespace mobisync::plugins::smpp
