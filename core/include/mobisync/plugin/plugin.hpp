// SPDX-License-Identifier: Apache-2.0
// Plugin, Source and Notifier: the interfaces a plugin implements.
#pragma once

#include <cstdint>
#include <optional>
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

/// A position in an incremental source, opaque to the host: the source writes and compares it.
/// `type` says how `value` is spelled ("integer": decimal digits; "timestamp": UTC ISO 8601 as
/// "2026-11-25T09:00:00.123456Z"; "text"), so a source can refuse a cursor of another type.
struct Cursor {
  std::string value;
  std::string type;
};

/// Where a source puts what it reads. Implemented by the host.
class BOOST_SYMBOL_VISIBLE ContactSink {
 public:
  virtual ~ContactSink() = default;
  /// Takes one contact. A failed Status tells the source to stop and return that Status.
  virtual Status accept(Contact&& contact) = 0;
  /// Records a row the source could not read; the host writes it to the job's reject file.
  virtual void reject(RejectedRow&& row) = 0;

  // Incremental reads. Appended after the methods above and implemented by the host,
  // so a plugin built against SDK 1.0 sees the same vtable. A snapshot source calls none of them.
  //
  // The protocol: the source asks storedCursor(). With a cursor, it calls markIncremental()
  // before its first accept(), then yields only the rows changed at or after the cursor
  // (`>=`: rows tied with the cursor must not be lost; re-reading them is harmless, the engine
  // compares them with its state) and a tombstone() per deleted number. Without one (the first
  // run, or `--full-refresh`) it reads everything as a snapshot. Either way it ends with
  // reportCursor(), the highest cursor value it read; the host stores it only once every
  // provider call of the run is confirmed, so a failed or killed run reads the same changes again.

  /// The cursor stored by the last fully confirmed run of this job's source, or nullopt: then
  /// read everything (a snapshot).
  virtual std::optional<Cursor> storedCursor() const { return std::nullopt; }
  /// Declares this read a partial one: numbers the source does not yield keep their
  /// subscriptions, and each yielded number's rows hold all of its applications.
  virtual void markIncremental() {}
  /// In an incremental read: every subscription the job holds for `msisdn` (as found, any
  /// spelling) should go. `position` names the row for a rejection. A number both yielded by
  /// accept() and tombstoned is kept: the live row wins.
  virtual Status tombstone(std::string msisdn, std::string position) {
    (void)msisdn;
    (void)position;
    return Status::ok();
  }
  /// The highest cursor value of this read (its value in the type's normal form, see Cursor).
  virtual void reportCursor(Cursor cursor) { (void)cursor; }

  // Protection (SDK 1.2), appended after the methods above for the same reason.

  /// Records a row the source could not turn into a Contact but in which it can still point at
  /// the number: `number_cells` are the cells that may hold the row's number, as found (one when
  /// the row's layout is intact, such as a bad byte in the name column; several when a stray
  /// delimiter may have shifted the columns). The host writes the row to the reject file like
  /// reject() and, for every cell that reads as a number, removes none of the job's
  /// subscriptions of that number in this run: a row that is wrong elsewhere never unsubscribes
  /// its contact. A row none of whose cells reads as a number counts, like a row passed to
  /// reject(), towards the job's max_reject gate.
  virtual void rejectWithNumber(RejectedRow&& row, std::vector<std::string> number_cells) {
    (void)number_cells;
    reject(std::move(row));
  }
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

// Optional capabilities. A notifier class may also derive from any of these; the host asks with
// dynamic_cast on the instance, so a plugin built without them keeps working (ABI 1 unchanged:
// Notifier's vtable does not grow).

/// How a batch of messages is presented to the provider (a campaign, for the HTTP notifier).
struct BatchOptions {
  std::string name;  ///< a label the provider shows, e.g. "mobisync crm-contacts run 42"
};

/// A notifier that sends many messages in few provider requests. The references of the messages
/// are unique within one call. Returns one Delivery per message, in the order given; a failed
/// Result means no message of the call is known to have been accepted.
class BOOST_SYMBOL_VISIBLE BulkNotifier {
 public:
  virtual ~BulkNotifier() = default;
  virtual Result<std::vector<Delivery>> sendBatch(const std::vector<Message>& messages,
                                                  const BatchOptions& options) = 0;
};

/// What a home-location-register lookup says of one number.
struct NumberStatus {
  enum class State { Active, Inactive, Unknown };
  State state = State::Unknown;
  std::string network;  ///< operator name as the provider reports it
  std::string country;  ///< ISO 3166 alpha-2 when known
  bool ported = false;
  std::string detail;   ///< the provider's own status text
};

/// A notifier that can look numbers up (HLR).
class BOOST_SYMBOL_VISIBLE NumberLookup {
 public:
  virtual ~NumberLookup() = default;
  virtual Result<NumberStatus> lookup(const std::string& msisdn) = 0;
};

/// A delivery receipt for a message sent earlier, matched by the provider's message id.
struct Receipt {
  std::string message_id;  ///< as Delivery::message_id reported it
  std::string state;       ///< DELIVRD, UNDELIV, EXPIRED, REJECTD, DELETED, ACCEPTD, UNKNOWN
  std::string error;       ///< the network error code, "000" when none
  std::int64_t done_at_ms = 0;  ///< when the network finished with it (0 when unknown)
};

/// A notifier that receives delivery receipts (SMPP deliver_sm). Called from the same thread as
/// send(); returns the receipts that arrived since the last call.
class BOOST_SYMBOL_VISIBLE ReceiptSource {
 public:
  virtual ~ReceiptSource() = default;
  virtual std::vector<Receipt> takeReceipts() = 0;
};


// Two-way messaging (SDK 1.3). Optional capabilities like the ones above: a notifier built
// against an older SDK has none of them and keeps working.

/// A message a handset sent to us (a reply, STOP): an SMPP deliver_sm that is not a receipt, or
/// the provider's incoming-message webhook.
struct InboundMessage {
  std::string id;          ///< the provider's id when it gives one, else empty
  std::string from;        ///< the handset, E.164 digits without '+' when it can be read so
  std::string to;          ///< the number or short code it was sent to
  std::string text;        ///< UTF-8
  std::int64_t received_at_ms = 0;  ///< when the provider or SMSC received it (0 when unknown)
  std::string in_reply_to; ///< the provider's id of the message it answers, when it says
};

/// A notifier that receives messages from handsets. Called from any one thread at a time
/// (like takeReceipts); returns what arrived since the last call. The plugin may acknowledge a
/// message to the SMSC before the host takes it, so it must hold what it acknowledged until
/// taken, and give it to the host even after shutdown() began (the host takes once more).
/// Only a host that listens calls it (the daemon, continuously), so a notifier whose links open
/// lazily on the first send may open them on the first takeInbound() instead.
class BOOST_SYMBOL_VISIBLE InboundSource {
 public:
  virtual ~InboundSource() = default;
  virtual std::vector<InboundMessage> takeInbound() = 0;
};

/// How a notifier's connections stand, for the host's metrics and health. Thread-safe.
class BOOST_SYMBOL_VISIBLE LinkStatus {
 public:
  virtual ~LinkStatus() = default;
  /// Sessions bound now (SMPP binds; 0 for a notifier with no long-lived link).
  virtual int boundSessions() const = 0;
};

/// Implemented by the host: hands out the reference of a concatenated (long) message so that one
/// destination never gets the same reference twice in a day within one state, whichever process
/// sends. Called on the thread that called send()/sendBatch().
class BOOST_SYMBOL_VISIBLE ConcatReferenceSource {
 public:
  virtual ~ConcatReferenceSource() = default;
  /// The next reference for `destination` (E.164 digits), below `modulus` (256 or 65536).
  virtual std::uint32_t next(const std::string& destination, std::uint32_t modulus) = 0;
};

/// A notifier that sends long messages and takes its references from the host. The host calls
/// useConcatReferences() once after init(), before any send; the source outlives the instance.
/// Without it the notifier picks a random start per process and counts up.
class BOOST_SYMBOL_VISIBLE UsesConcatReferences {
 public:
  virtual ~UsesConcatReferences() = default;
  virtual void useConcatReferences(ConcatReferenceSource* source) = 0;
};

/// What one endpoint of an instance said when probed (Probe, below).
struct ProbeResult {
  enum class Verdict {
    Ok,           ///< reached, and the credentials (if any) were accepted
    Unreachable,  ///< no answer, a refused connection, a TLS failure, a timeout, a server error
    Refused,      ///< reached, but the credentials (password, API key, bind) were refused
  };
  /// What was probed, as an operator recognises it: "smpp 127.0.0.1:2775", "json api
  /// https://api.example.com/addressbook/optout". Never a password, a key or a URL's query.
  std::string endpoint;
  Verdict verdict = Verdict::Ok;
  /// One line: why, for Unreachable and Refused; what was checked, for Ok. Never a secret.
  std::string detail;
  /// How long the probe of this endpoint took; -1: the host uses the whole probe() call.
  std::int64_t latency_ms = -1;
};

/// A source or notifier that can test its endpoints for `mobisync check --connect`. The host
/// calls probe() after a successful init() and before shutdown(), on the thread that called
/// init(), instead of fetch() or send(). A probe changes nothing anywhere: it connects,
/// authenticates, makes at most one read that returns little (one row, one entry, a listing)
/// and disconnects (SMPP: bind and unbind). It never sends a message, subscribes, registers or
/// writes. It returns one result per endpoint the instance would use, bounds its time by the
/// instance's configured timeouts, and never throws. (SDK 1.3, like the capabilities above: a
/// plugin without it keeps working, and the host lists its instances as "not probed".)
class BOOST_SYMBOL_VISIBLE Probe {
 public:
  virtual ~Probe() = default;
  virtual std::vector<ProbeResult> probe() = 0;
};

}  // namespace mobisync::plugin
