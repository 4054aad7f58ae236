// SPDX-License-Identifier: Apache-2.0
// SmppNotifier: the plugin instance. Sends through its sessions, hands out receipts and
// mobile-originated messages.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "concat_references.hpp"
#include "dispatcher.hpp"
#include "inbound.hpp"
#include "mobisync/plugin/plugin.hpp"
#include "receipts.hpp"
#include "session.hpp"
#include "smpp_options.hpp"

namespace mobisync::plugins::smpp {

/// An SMPP v3.4 ESME. init() only reads the configuration; the binds open on the first send and
/// stay open (reconnecting as needed) until shutdown(), which unbinds each one gracefully.
/// send() and sendBatch() block until every submit_sm of their messages is answered (or given up
/// at the deadline: `timeout_ms` plus two seconds per `rate * binds` segments). Receipts and
/// messages from handsets are acknowledged as they arrive and held until taken, also after
/// shutdown().
class SmppNotifier : public plugin::Notifier,
                     public plugin::BulkNotifier,
                     public plugin::ReceiptSource,
                     public plugin::InboundSource,
                     public plugin::LinkStatus,
                     public plugin::UsesConcatReferences,
                     public plugin::Probe {
 public:
  SmppNotifier() = default;
  ~SmppNotifier() override;

  Status init(const plugin::Context& context) override;
  void shutdown() noexcept override;
  Result<plugin::Delivery> send(const plugin::Message& message) override;
  Result<std::vector<plugin::Delivery>> sendBatch(const std::vector<plugin::Message>& messages,
                                                  const plugin::BatchOptions& options) override;
  std::vector<plugin::Receipt> takeReceipts() override;
  std::vector<plugin::InboundMessage> takeInbound() override;
  int boundSessions() const override;
  void useConcatReferences(plugin::ConcatReferenceSource* source) override;
  /// probe.cpp: one bind and its unbind on a connection of its own; the sessions are neither
  /// started nor touched.
  std::vector<plugin::ProbeResult> probe() override;

 private:
  void startSessions();

  std::optional<Options> options_;
  Poco::Logger* logger_ = nullptr;
  Dispatcher dispatcher_;
  ReceiptMatcher receipts_;
  InboundQueue inbound_;
  ConcatReferences references_;
  mutable std::mutex sessions_mutex_;  // sessions_ changes on the caller's thread, read by any
  std::atomic<bool> shut_down_{false};  // takeInbound() binds only before shutdown()
  std::vector<std::unique_ptr<Session>> sessions_;
};

}  // namespace mobisync::plugins::smpp
