// SPDX-License-Identifier: Apache-2.0
// HttpNotifier::probe(): each API the instance uses is asked something that sends nothing.
#include <chrono>
#include <ctime>
#include <string>

#include "http_notifier.hpp"
#include "provider_requests.hpp"

namespace mobisync::plugins::http {
namespace {

using plugin::ProbeResult;
using provider_http::Exchange;
using provider_http::Request;

std::string todayUtc() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char day[11];
  std::strftime(day, sizeof day, "%Y-%m-%d", &tm);
  return day;
}

/// 401 and 403 refuse the credentials; any other answer below 500 proves they were accepted
/// only when it is the one the request was made to provoke (`accepted_status`, or a 2xx).
ProbeResult judge(const Exchange& e, int accepted_status, const std::string& checked) {
  ProbeResult r;
  if (!e.answered) {
    r.verdict = ProbeResult::Verdict::Unreachable;
    r.detail = e.failure;
  } else if (e.status == 401 || e.status == 403) {
    r.verdict = ProbeResult::Verdict::Refused;
    r.detail = "the provider refused the credentials (HTTP " + std::to_string(e.status) + ")";
  } else if ((e.status >= 200 && e.status < 300) || e.status == accepted_status) {
    r.detail = checked + " (HTTP " + std::to_string(e.status) + ")";
  } else {
    r.verdict = ProbeResult::Verdict::Unreachable;
    r.detail = "unexpected answer HTTP " + std::to_string(e.status) + " " + e.reason;
  }
  return r;
}

std::int64_t millisSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start)
      .count();
}

}  // namespace

std::vector<plugin::ProbeResult> HttpNotifier::probe() {
  std::vector<ProbeResult> results;
  if (json_) {
    // A listing of today's opt-outs: read-only, small, and authorised by the API key.
    const auto start = std::chrono::steady_clock::now();
    Request request;
    request.method = "GET";
    request.target = "/addressbook/optout?startDate=" + todayUtc() + "&endDate=" + todayUtc();
    request.bearer = options_.api_key;
    request.idempotent = true;
    ProbeResult r = judge(json_->exchange(request), 0, "API key accepted: today's opt-outs listed");
    r.endpoint = "json api " + json_->describe(request.target);
    r.latency_ms = millisSince(start);
    r.detail = scrub(r.detail);
    results.push_back(std::move(r));
  }
  if (simple_) {
    // The credentials with no recipient and no text: the provider checks them first, then
    // refuses the request as incomplete (400), so nothing can be sent.
    const auto start = std::chrono::steady_clock::now();
    Request request = simpleRequest(OutgoingSms{});
    request.idempotent = true;
    Exchange x = simple_->exchange(request);
    // The Simple API may put its ERROR code inside a 200.
    if (x.answered && x.status == 200) {
      if (auto reply = parseSimpleReply(x.body); reply && !reply->ok && reply->code != 0) {
        x.status = reply->code;
      }
    }
    ProbeResult r =
        judge(x, 400, "username and password accepted: a message without recipient refused");
    r.endpoint = "simple api " + simple_->describe(request.target);
    r.latency_ms = millisSince(start);
    r.detail = scrub(r.detail);
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace mobisync::plugins::http
