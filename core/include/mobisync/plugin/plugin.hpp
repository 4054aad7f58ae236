// SPDX-License-Identifier: Apache-2.0
// Plugin, Source and Notifier: the interfaces a plugin implements.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <boost/config.hpp>

#include "mobisync/model/contact.hpp"
#include "mobisync/plugin/context.hpp"
#include "mobisync/result.hpp"
#include "mobisync/status.hpp"

namespace mobisync::plugin {

/// The base of every plugin instance. Created by the descriptor's create(), destroyed by its
/// destroy(); the host calls init() once, then the kind's methods, then shutdown() once.
/// Methods must not throw: the host guards every call anyway and names the plugin if one does.
/// One thread at a time per instance.
class BOOST_SYMBOL_VISIBLE Plugin {
 public:
  virtual ~Plugin() = default;
  /// Read and check the configuration, open nothing long-lived that fetch() could open later.
  virtual Status init(const Context& context) = 0;
  /// Release everything, undo global registrations. Called once, also after a failed init().
  virtual void shutdown() noexcept = 0;
};

/// Where a source puts what it reads. Implemented by the host.
class BOOST_SYMBOL_VISIBLE ContactSink {
 public:
  virtual ~ContactSink() = default;
  /// Takes one contact. A failed Status tells the source to stop and return that Status.
  virtual Status accept(Contact&& contact) = 0;
  /// Records a row the source could not read; the host writes it to the job's reject file.
  virtual void reject(RejectedRow&& row) = 0;
};

/// A plugin that yields contacts. fetch() streams every contact of the source into the sink and
/// returns ok only when it has read the source completely: a failure midway must be returned,
/// never hidden, because the engine removes what a complete read did not yield.
class BOOST_SYMBOL_VISIBLE Source : public Plugin {
 public:
  virtual Status fetch(ContactSink& sink) = 0;
};

/// One SMS to send.
struct Message {
  std::string to;          ///< E.164 digits without '+'
  std::string text;        ///< UTF-8
  std::string originator;  ///< up to 11 alphanumerics or 15 digits
  std::string reference;   ///< the caller's id, echoed in receipts
};

/// How a send ended: Ok (accepted, `message_id` set), Retry (try again later), Drop (permanent).
struct Delivery {
  enum class Outcome { Ok, Retry, Drop };
  Outcome outcome = Outcome::Ok;
  std::string message_id;
  std::string detail;
};

/// A plugin that sends messages.
class BOOST_SYMBOL_VISIBLE Notifier : public Plugin {
 public:
  virtual Result<Delivery> send(const Message& message) = 0;
};

}  // namespace mobisync::plugin
