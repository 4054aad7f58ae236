// SPDX-License-Identifier: Apache-2.0
// DeadlineSession: a Poco HTTP(S) client session whose exchanges run under a CallDeadline.
#pragma once

#include <Poco/Exception.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Timespan.h>

#include <algorithm>
#include <type_traits>

#include "provider_http/call_deadline.hpp"

namespace mobisync::provider_http {

/// What the owner of a DeadlineSession sees, whatever its Poco base class.
class Deadlined {
 public:
  /// Puts the exchanges that follow under `deadline` (null: none), watching the open connection
  /// at once when there is one. `deadline` must outlive the setting; DeadlineScope pairs them.
  virtual void setDeadline(CallDeadline* deadline) = 0;

 protected:
  Deadlined() = default;
  Deadlined(const Deadlined&) = default;
  Deadlined& operator=(const Deadlined&) = default;
  ~Deadlined() = default;
};

/// Base is Poco::Net::HTTPClientSession or HTTPSClientSession (or a class derived from one).
/// Every (re)connect happens under the deadline: the connect timeout is what is left of it (at
/// most the session's timeout), and the new socket is watched before anything is sent. For TLS
/// the handshake is made lazy, so it runs inside the first write, on the watched socket; Poco
/// then verifies the certificate as before, before any byte of the request is sent. Send and
/// receive timeouts must be equal (setTimeout(t)): they stay in place for each read and write.
template <class Base>
class DeadlineSession : public Base, public Deadlined {
 public:
  using Base::Base;

  void setDeadline(CallDeadline* deadline) override {
    deadline_ = deadline;
    if (deadline_ != nullptr && this->connected()) {
      deadline_->watch(this->socket());
    }
  }

 protected:
  void connect(const Poco::Net::SocketAddress& address) override {
    if (deadline_ != nullptr) {
      if (deadline_->passed()) {
        throw Poco::TimeoutException(deadline_->timeoutMessage());
      }
      const Poco::Timespan io = this->getTimeout();
      const Poco::Timespan left(deadline_->remaining().count());
      this->setTimeout(std::min(io, left), io, io);
      if constexpr (std::is_base_of_v<Poco::Net::HTTPSClientSession, Base>) {
        Poco::Net::SecureStreamSocket(this->socket()).setLazyHandshake(true);
      }
    }
    Base::connect(address);
    if (deadline_ != nullptr) {
      deadline_->watch(this->socket());
    }
  }

 private:
  CallDeadline* deadline_ = nullptr;
};

/// Arms a session with a deadline for one scope (one call), and disarms it on every way out.
class DeadlineScope {
 public:
  DeadlineScope(Deadlined& session, CallDeadline& deadline) : session_(session) {
    session_.setDeadline(&deadline);
  }
  ~DeadlineScope() { session_.setDeadline(nullptr); }
  DeadlineScope(const DeadlineScope&) = delete;
  DeadlineScope& operator=(const DeadlineScope&) = delete;

 private:
  Deadlined& session_;
};

}  // namespace mobisync::provider_http
