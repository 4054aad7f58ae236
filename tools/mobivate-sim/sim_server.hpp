// SPDX-License-Identifier: Apache-2.0
// Owns the simulator's shared state, its APIs and the HTTP server that exposes them.
#pragma once

#include <Poco/Net/Context.h>
#include <Poco/ThreadPool.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

#include "addressbook_api.hpp"
#include "api_listener.hpp"
#include "console.hpp"
#include "contact_store.hpp"
#include "contacts_proxy_api.hpp"
#include "endpoint_counters.hpp"
#include "fault_injector.hpp"
#include "hlr_api.hpp"
#include "inspection_api.hpp"
#include "message_store.hpp"
#include "refusal.hpp"
#include "request_log.hpp"
#include "send_api.hpp"
#include "sim_options.hpp"
#include "simple_api.hpp"
#include "smsc.hpp"
#include "webhook_api.hpp"
#include "webhook_poster.hpp"

namespace mobisync::sim {

/// The TLS certificate or key given on the command line cannot be used; what() says why.
class TlsSetupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The whole simulator. The constructor binds the sockets (so the ports are known before
/// start()), start() begins serving, stop() aborts open connections and waits for handlers.
/// Members are declared so the servers go first and the state they point to last. Not
/// thread-safe itself; call from the main thread.
class SimServer {
 public:
  /// @throws Poco::Exception when the address cannot be bound, TlsSetupError for a bad
  /// certificate or key.
  explicit SimServer(const SimOptions& options);
  ~SimServer();

  SimServer(const SimServer&) = delete;
  SimServer& operator=(const SimServer&) = delete;

  void start();
  void stop();

  std::uint16_t port() const;

  /// The SMSC's port, or 0 when it was not asked for.
  std::uint16_t smppPort() const;

  /// The control port (the /_sim/ endpoints only), or 0 when it was not asked for.
  std::uint16_t controlPort() const;

  /// baseUrl() of the control port; "" without one.
  std::string controlUrl() const;

  /// "http://HOST:PORT" ("https://" with TLS), with brackets around an IPv6 host.
  std::string baseUrl() const;

 private:
  std::string urlOf(std::uint16_t port) const;

  SimOptions options_;
  Console console_;
  ContactStore store_;
  RequestLog log_;
  MessageStore messages_;
  EndpointCounters counters_;
  FaultInjector faults_;
  Refusal refusal_;
  ContactsProxyApi proxy_api_;
  SendApi send_api_;
  SimpleApi simple_api_;
  HlrApi hlr_api_;
  InspectionApi inspection_api_;
  WebhookPoster webhook_poster_;  // before the servers that feed it, so it outlives them
  WebhookApi webhook_api_;
  AddressbookApi addressbook_api_;
  Poco::ThreadPool pool_;
  Poco::Net::Context::Ptr tls_;  // null: plain HTTP
  std::unique_ptr<ApiListener> api_;
  std::unique_ptr<ApiListener> control_;
  std::unique_ptr<Smsc> smsc_;
  bool stopped_ = false;
};

}  // namespace mobisync::sim
