// SPDX-License-Identifier: Apache-2.0
// Wires the simulator's state and APIs to a keep-alive Poco HTTP server.
#include "sim_server.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/NetSSL.h>

#include <sstream>

#include "request_router.hpp"

namespace mobisync::sim {
namespace {

FaultSettings initialFaults(const SimOptions& options) {
  FaultSettings settings;
  settings.latency_ms = options.latency_ms;
  settings.error_rate = options.error_rate;
  settings.rate_429 = options.rate_429;
  settings.retry_after_s = options.retry_after_s;
  settings.reset_rate = options.reset_rate;
  settings.stall_ms = options.stall_ms;
  settings.stall_rate = options.stall_rate;
  settings.truncate_rate = options.truncate_rate;
  settings.trickle_rate = options.trickle_rate;
  settings.trickle_ms = options.trickle_ms;
  settings.stall_body_rate = options.stall_body_rate;
  settings.stall_body_ms = options.stall_body_ms;
  settings.unauthorized = options.unauthorized;
  settings.smpp_stall_ms = options.smpp_stall_ms;
  settings.smpp_drop_after = options.smpp_drop_after;
  return settings;
}

// Null for plain HTTP, or with --tls-cert/--tls-key the context every accepted connection
// speaks TLS with.
Poco::Net::Context::Ptr makeTlsContext(const SimOptions& options) {
  if (options.tls_cert.empty()) {
    return nullptr;
  }
  Poco::Net::initializeSSL();
  Poco::Net::Context::Params params;
  params.privateKeyFile = options.tls_key;
  params.certificateFile = options.tls_cert;
  params.verificationMode = Poco::Net::Context::VERIFY_NONE;  // clients bring no certificate
  params.loadDefaultCAs = false;
  Poco::Net::Context::Ptr context;
  try {
    context = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
  } catch (const Poco::Exception& e) {
    throw TlsSetupError("cannot load --tls-cert " + options.tls_cert + " / --tls-key " +
                        options.tls_key + ": " + e.displayText());
  }
  return context;
}

}  // namespace

SimServer::SimServer(const SimOptions& options)
    : options_(options),
      console_(options.quiet),
      faults_(initialFaults(options), options.seed),
      refusal_(PortSwitch{[this] { api_->stopAccepting(); }, [this] { api_->close(); },
                          [this] { api_->open(); }}),
      proxy_api_(ProxyAccount{options.username, options.password, options.reject_msisdn_prefixes,
                   options.proxy_body},
                 store_, log_, faults_, refusal_, console_),
      send_api_(options.api_key, OptoutList(options.optouts.begin(), options.optouts.end()),
                messages_, faults_, console_),
      simple_api_(options.username, options.password,
                  OptoutList(options.optouts.begin(), options.optouts.end()), messages_, faults_,
                  console_),
      hlr_api_(options.api_key,
               std::set<std::string>(options.hlr_inactive.begin(), options.hlr_inactive.end()),
               faults_),
      inspection_api_(store_, log_, messages_, counters_, faults_, refusal_,
                      options.control_port >= 0),
      webhook_poster_(ReceiptSettings{options.receipt_delay_min_ms, options.receipt_delay_max_ms,
                                      options.receipt_loss_rate, options.receipt_repeat_rate,
                                      options.receipt_undelivered_rate, options.seed},
                      console_),
      webhook_api_(options.api_key, webhook_poster_),
      addressbook_api_(options.api_key),
      // Keep-alive pins one thread per open connection, so the pool must be as large as the
      // number of concurrent clients we promise to serve (not Poco's default of 16).
      pool_("mobivate-sim", 2, options.threads) {
  Poco::Net::HTTPRequestHandlerFactory::Ptr router_ptr =
      new RequestRouter(counters_, options.base_path);
  auto& router = static_cast<RequestRouter&>(*router_ptr);
  proxy_api_.registerRoutes(router);
  send_api_.registerRoutes(router);
  simple_api_.registerRoutes(router);
  hlr_api_.registerRoutes(router);
  inspection_api_.registerRoutes(router);
  send_api_.onAccepted([this](const SentMessage& m, const std::string& callback) {
    webhook_poster_.messageAccepted(m, callback);
  });
  webhook_api_.registerRoutes(router);
  webhook_api_.registerControlRoutes(router);
  addressbook_api_.registerRoutes(router);
  addressbook_api_.registerControlRoutes(router);

  tls_ = makeTlsContext(options);
  Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(options.threads);
  params->setMaxQueued(1024);
  params->setKeepAlive(true);
  params->setMaxKeepAliveRequests(0);  // unlimited: clients reuse one connection for a whole run
  params->setKeepAliveTimeout(Poco::Timespan(30, 0));
  api_ = std::make_unique<ApiListener>(router_ptr, pool_, params, tls_, options.host, options.port);
  if (options.control_port >= 0) {
    // Its own router: closing the API port aborts the connections of the API router's servers,
    // and the control port must outlive that.
    Poco::Net::HTTPRequestHandlerFactory::Ptr control_ptr = new RequestRouter(counters_);
    auto& control_router = static_cast<RequestRouter&>(*control_ptr);
    inspection_api_.registerRoutes(control_router);
    webhook_api_.registerControlRoutes(control_router);
    addressbook_api_.registerControlRoutes(control_router);
    control_ = std::make_unique<ApiListener>(control_ptr, pool_, params, tls_, options.host,
                                             static_cast<std::uint16_t>(options.control_port));
  }
  refusal_.armAfter(options.refuse_after);

  if (options.smpp_port >= 0) {
    SmscSettings smsc;
    smsc.host = options.host;
    smsc.port = static_cast<std::uint16_t>(options.smpp_port);
    smsc.system_id = options.username;
    smsc.password = options.smpp_password.empty() ? options.password : options.smpp_password;
    smsc.window = options.smpp_window;
    smsc.rate = options.smpp_rate;
    smsc.max_binds = options.smpp_max_binds;
    smsc.dlr_delay_ms = options.dlr_delay_ms;
    smsc.reject_prefixes = options.smpp_reject_prefixes;
    smsc.undeliverable.insert(options.hlr_inactive.begin(), options.hlr_inactive.end());
    smsc_ = std::make_unique<Smsc>(std::move(smsc), messages_, counters_, faults_, console_);
  }
}

SimServer::~SimServer() { stop(); }

void SimServer::start() {
  api_->start();
  if (control_) {
    control_->start();
  }
  if (smsc_) {
    smsc_->start();
  }
  FaultSettings faults = faults_.settings();
  std::ostringstream line;
  // No username or password here: stderr ends up in CI logs.
  line << "serving " << baseUrl() << options_.base_path << "; latency " << faults.latency_ms
       << " ms, error rate " << faults.error_rate << ", 429 rate " << faults.rate_429
       << ", seed " << options_.seed;
  console_.line(line.str());
}

void SimServer::stop() {
  if (stopped_) {
    return;
  }
  stopped_ = true;
  // Abort rather than drain (the listeners' destructors do): idle keep-alive connections would
  // otherwise hold shutdown for the whole keep-alive timeout.
  api_.reset();
  control_.reset();
  pool_.joinAll();
  if (smsc_) {
    smsc_->stop();
  }
}

std::uint16_t SimServer::port() const { return api_->port(); }

std::uint16_t SimServer::controlPort() const { return control_ ? control_->port() : 0; }

std::string SimServer::controlUrl() const { return control_ ? urlOf(control_->port()) : ""; }

std::uint16_t SimServer::smppPort() const { return smsc_ ? smsc_->port() : 0; }

std::string SimServer::baseUrl() const { return urlOf(port()); }

std::string SimServer::urlOf(std::uint16_t port) const {
  std::string host =
      options_.host.find(':') != std::string::npos ? "[" + options_.host + "]" : options_.host;
  return (options_.tls_cert.empty() ? "http://" : "https://") + host + ":" +
         std::to_string(port);
}

}  // namespace mobisync::sim
