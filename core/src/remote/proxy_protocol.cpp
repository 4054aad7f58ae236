// SPDX-License-Identifier: Apache-2.0
// The contacts proxy API as pure functions: request targets, redaction, response classification.
#include "remote/proxy_protocol.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <algorithm>

#include "provider_http/status_class.hpp"

namespace mobisync::remote {
namespace {

// The longest provider text we copy into a message: enough for any real error, short enough
// that an HTML error page does not flood the log.
constexpr std::size_t kMaxProviderText = 200;

// One line of at most kMaxProviderText characters: provider text goes into log lines and
// Status messages, where a newline would forge a second log record.
std::string shortText(const std::string& text) {
  std::string out;
  out.reserve(std::min(text.size(), kMaxProviderText));
  for (char c : text) {
    if (out.size() >= kMaxProviderText) {
      out += "...";
      break;
    }
    out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ') {
    out.pop_back();
  }
  return out;
}

std::string valueText(const Poco::Dynamic::Var& v) {
  if (v.isEmpty()) {
    return "null";
  }
  try {
    return shortText(v.toString());
  } catch (const Poco::Exception&) {
    return "(unreadable value)";
  }
}

// The provider's own words from an error body: its "message" or "error" field when the body is
// JSON, otherwise the start of the body.
std::string providerMessage(const Poco::JSON::Object::Ptr& obj, const std::string& body) {
  if (obj) {
    for (const char* key : {"message", "error", "detail", "status"}) {
      if (obj->has(key)) {
        return valueText(obj->get(key));
      }
    }
  }
  return shortText(body);
}

Poco::JSON::Object::Ptr parseObject(const std::string& body, bool& valid_json) {
  valid_json = false;
  if (body.empty()) {
    return nullptr;
  }
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var v = parser.parse(body);
    valid_json = true;
    if (v.type() == typeid(Poco::JSON::Object::Ptr)) {
      return v.extract<Poco::JSON::Object::Ptr>();
    }
  } catch (const Poco::Exception&) {
    valid_json = false;
  }
  return nullptr;
}

// A numeric "code" of 400 or more in the body, the provider's way of saying "error" with a 200.
int bodyErrorCode(const Poco::JSON::Object::Ptr& obj) {
  if (!obj || !obj->has("code")) {
    return 0;
  }
  try {
    const Poco::Dynamic::Var v = obj->get("code");
    const int code = v.isString() ? std::stoi(v.toString()) : v.convert<int>();
    return code >= 400 && code <= 599 ? code : 0;
  } catch (...) {
    return 0;
  }
}

std::string statusText(int status, const std::string& reason) {
  std::string s = "HTTP " + std::to_string(status);
  if (!reason.empty()) {
    s += ' ';
    s += shortText(reason);
  }
  return s;
}

}  // namespace

std::string buildCallTarget(const std::string& base_path, const config::ProviderSettings& settings,
                            const ProviderCall& call) {
  std::string apps;
  for (const auto& a : call.applications) {
    if (!apps.empty()) {
      apps += ',';
    }
    apps += a;
  }
  Poco::URI uri;
  uri.setPath(base_path +
              (call.kind == ProviderCall::Kind::Create ? settings.create_path
                                                       : settings.delete_path));
  uri.addQueryParameter("username", settings.username);
  uri.addQueryParameter("password", settings.password);
  uri.addQueryParameter("msisdn", call.msisdn);
  uri.addQueryParameter("applications", apps);
  if (!call.name.empty()) {
    uri.addQueryParameter("name", call.name);
  }
  if (!call.reference.empty()) {
    uri.addQueryParameter("reference", call.reference);
  }
  return uri.getPathAndQuery();
}

Attempt classifyResponse(int http_status, const std::string& reason, const std::string& body,
                         const std::string& retry_after_header,
                         const std::vector<std::string>& applications,
                         std::chrono::system_clock::time_point now) {
  Attempt a;
  a.http_status = http_status;
  bool valid_json = false;
  const Poco::JSON::Object::Ptr obj = parseObject(body, valid_json);
  const bool success_status = http_status >= 200 && http_status <= 299;
  const int body_code = success_status ? bodyErrorCode(obj) : 0;
  const int effective = body_code != 0 ? body_code : http_status;

  const provider_http::StatusClass verdict = provider_http::classifyStatus(effective);
  if (verdict == provider_http::StatusClass::AuthFailed) {
    a.outcome = Attempt::Outcome::Drop;
    a.message = kAuthFailedMessage;
    a.auth_failed = true;
    a.stop_run = true;
    return a;
  }
  if (verdict == provider_http::StatusClass::Retryable) {
    a.outcome = Attempt::Outcome::Retry;
    a.message = statusText(effective, body_code != 0 ? std::string() : reason);
    const std::string said = providerMessage(obj, body);
    if (!said.empty()) {
      a.message += ": " + said;
    }
    if (!retry_after_header.empty()) {
      a.retry_after = provider_http::parseRetryAfter(retry_after_header, now);
    }
    return a;
  }
  if (!success_status || body_code != 0) {
    a.outcome = Attempt::Outcome::Drop;
    a.message = "provider rejected the call: " +
                statusText(effective, body_code != 0 ? std::string() : reason);
    const std::string said = providerMessage(obj, body);
    if (!said.empty()) {
      a.message += ": " + said;
    }
    return a;
  }
  if (!valid_json) {
    a.outcome = Attempt::Outcome::Retry;
    a.message = body.empty() ? statusText(http_status, reason) + " with an empty body"
                             : statusText(http_status, reason) +
                                   " with a body that is not valid JSON (truncated?)";
    return a;
  }
  if (!obj) {
    a.outcome = Attempt::Outcome::Drop;
    a.message = statusText(http_status, reason) + " with a JSON body that is not an object: " +
                shortText(body);
    a.not_the_api = true;
    a.stop_run = true;
    return a;
  }

  a.outcome = Attempt::Outcome::Ok;
  std::string overall;
  if (obj->has("status")) {
    overall = valueText(obj->get("status"));
  }
  a.tokens.reserve(applications.size());
  for (const auto& app : applications) {
    TokenOutcome t;
    t.application = app;
    if (obj->has(app)) {
      const Poco::Dynamic::Var v = obj->get(app);
      const std::string text = valueText(v);
      t.ok = v.isString() && Poco::icompare(text, "ok") == 0;
      if (!t.ok) {
        t.detail = text;
      }
    } else {
      t.detail = "missing from the provider's response";
      if (!overall.empty() && Poco::icompare(overall, "ok") != 0) {
        t.detail += " (status " + overall;
        if (obj->has("message")) {
          t.detail += ": " + valueText(obj->get("message"));
        }
        t.detail += ')';
      }
    }
    a.tokens.push_back(std::move(t));
  }
  return a;
}

}  // namespace mobisync::remote
