// SPDX-License-Identifier: Apache-2.0
// The endpoints the core itself reaches for `check --connect`: the contacts proxy API and the
// state. The plugins' endpoints are theirs to probe (check_connect.cpp asks them).
#include <unistd.h>

#include <chrono>
#include <exception>
#include <filesystem>

#include <Poco/Data/Session.h>

#include "app/check_connect.hpp"
#include "remote/proxy_client.hpp"
#include "state/sqlite_state_file.hpp"
#include "state/state_session.hpp"

namespace mobisync::app {

namespace fs = std::filesystem;
using Verdict = EndpointCheck::Verdict;

namespace {

/// What the proxy API's answer to a removal of no number says of the endpoint and the account.
void judgeProxyAnswer(const remote::Attempt& a, EndpointCheck& c) {
  const int status = a.http_status;
  if (a.auth_failed) {
    c.verdict = Verdict::Refused;
    c.detail = remote::kAuthFailedMessage;
  } else if (a.not_the_api) {
    c.verdict = Verdict::Unreachable;
    c.detail = "what answered is not the contacts proxy API: " + a.message;
  } else if (status == 0 || a.outcome == remote::Attempt::Outcome::Retry || a.stop_run) {
    c.verdict = Verdict::Unreachable;
    c.detail = a.message;
  } else if ((status >= 200 && status < 300) || status == 400 || status == 422) {
    // The provider checks the credentials before the parameters, then refuses the missing
    // number; either answer means the account was accepted and nothing was removed.
    c.verdict = Verdict::Ok;
    c.detail = "credentials accepted (HTTP " + std::to_string(status) +
               " to a removal of no number, which changes nothing)";
  } else {
    // 404 and the like: a wrong base_url or delete_path, not a refused number.
    c.verdict = Verdict::Unreachable;
    c.detail = "unexpected answer to a removal of no number: HTTP " + std::to_string(status) +
               (a.message.empty() ? "" : ": " + a.message);
  }
}

/// PostgreSQL's SQLSTATE class 28 (invalid authorization) or its wording, in a connect error.
bool isAuthFailure(const std::string& message) {
  return message.find("28P01") != std::string::npos || message.find("28000") != std::string::npos ||
         message.find("password authentication failed") != std::string::npos ||
         message.find("no password supplied") != std::string::npos;
}

}  // namespace

std::vector<EndpointCheck> checkProvider(const config::AppConfig& cfg) {
  if (cfg.jobs.empty() && cfg.provider.username.empty()) return {};
  EndpointCheck c;
  c.table = "provider";
  c.endpoint = cfg.provider.base_url + cfg.provider.delete_path;
  const auto start = std::chrono::steady_clock::now();
  try {
    remote::ProxyClient client(cfg.provider);
    remote::ProviderCall call;
    call.kind = remote::ProviderCall::Kind::Remove;  // no msisdn, no application
    c.endpoint = client.describe(call);
    c.endpoint = c.endpoint.substr(0, c.endpoint.find('?'));  // the query names the account
    judgeProxyAnswer(client.call(call), c);
  } catch (const std::exception& e) {
    c.verdict = Verdict::Unreachable;
    c.detail = e.what();
  }
  c.latency_ms = millisSince(start);
  return {c};
}

EndpointCheck checkState(const config::AppConfig& cfg) {
  EndpointCheck c;
  c.table = "state";
  const state::StateLocation where{cfg.state_path, cfg.state_url, cfg.state_password};
  c.endpoint = where.display();
  const auto start = std::chrono::steady_clock::now();
  std::error_code ec;
  if (where.url.empty() && !fs::exists(where.path, ec)) {
    // Opening would create it: say whether the first sync can.
    fs::path dir = fs::absolute(where.path, ec).parent_path();
    while (!dir.empty() && dir != dir.root_path() && !fs::exists(dir, ec)) dir = dir.parent_path();
    const bool writable = !dir.empty() && ::access(dir.c_str(), W_OK) == 0;
    c.verdict = writable ? Verdict::Ok : Verdict::Unreachable;
    c.detail = writable ? "no state yet: the first sync creates it"
                        : "no state yet, and " + dir.string() + " is not writable to create it";
    c.latency_ms = millisSince(start);
    return c;
  }
  try {
    Poco::Data::Session session = state::openStateSession(where);
    int one = 0;
    session << "SELECT 1", Poco::Data::Keywords::into(one), Poco::Data::Keywords::now;
    c.verdict = one == 1 ? Verdict::Ok : Verdict::Unreachable;
    c.detail = where.url.empty() ? "opened, one row read" : "connected, one row read";
  } catch (const state::StateFileRefused& e) {
    c.verdict = Verdict::ConfigError;
    c.detail = e.what();
  } catch (const std::exception& e) {
    c.verdict = isAuthFailure(e.what()) ? Verdict::Refused : Verdict::Unreachable;
    c.detail = e.what();
  }
  c.latency_ms = millisSince(start);
  return c;
}

}  // namespace mobisync::app
