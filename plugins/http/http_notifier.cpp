// SPDX-License-Identifier: Apache-2.0
// HttpNotifier: SMS through the provider's JSON, batch (campaign) and Simple APIs, plus HLR.
#include "http_notifier.hpp"

#include <chrono>
#include <map>
#include <utility>

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include "deliveries.hpp"
#include "mobisync/sms/encoding.hpp"
#include "mobisync/sms/originator.hpp"
#include "provider_http/redaction.hpp"
#include "provider_http/response_limits.hpp"
#include "provider_http/tls_context.hpp"

namespace mobisync::plugins::http {
namespace {

using plugin::Delivery;
using Outcome = plugin::Delivery::Outcome;
using provider_http::Exchange;
using provider_http::Request;

bool isHttps(const std::string& url) { return Poco::URI(url).getScheme() == "https"; }

// A request to the JSON API: a POST of `body` to `target`, authorised by the API key.
Request jsonRequest(std::string target, std::string body, const std::string& api_key) {
  Request request;
  request.target = std::move(target);
  request.accept = "application/json, text/plain";
  request.content_type = "application/json";
  request.body = std::move(body);
  request.bearer = api_key;
  return request;
}

}  // namespace

HttpNotifier::~HttpNotifier() = default;

Status HttpNotifier::init(const plugin::Context& context) {
  instance_ = context.instance_name;
  logger_ = &context.logger;
  auto options = readOptions(context.config);
  if (!options) return options.error();
  options_ = std::move(options).value();

  try {
    Poco::Net::Context::Ptr tls;
    const bool json_needed = !options_.api_key.empty();
    const bool simple_needed = options_.api == Api::Simple;
    if ((json_needed && isHttps(options_.json_base_url)) ||
        (simple_needed && isHttps(options_.simple_url))) {
      if (!options_.verify_tls) {
        log().warning(
            "verify_tls is false: the provider's TLS certificate is NOT verified, so anyone on "
            "the network path can read the API key, the password and every message");
      }
      tls = provider_http::makeTlsContext({options_.ca_file, options_.verify_tls, ""});
    }
    const provider_http::ConnectionOptions connection{options_.timeout,
                                                      provider_http::kMaxSmsApiBody, tls};
    if (json_needed) {
      json_ = std::make_unique<provider_http::Connection>(options_.json_base_url, connection);
    }
    if (simple_needed) {
      simple_ = std::make_unique<provider_http::Connection>(options_.simple_url, connection);
    }
  } catch (const Poco::Exception& e) {
    return Status::invalidConfig(context.config.where("ca_file") + ": " + scrub(e.displayText()));
  }
  log().information("http notifier " + instance_ + ": api=" +
                    (options_.api == Api::Json ? std::string("json ") + options_.json_base_url
                                               : std::string("simple ") + options_.simple_url) +
                    " route=" + options_.route_id);
  return {};
}

void HttpNotifier::shutdown() noexcept {
  json_.reset();
  simple_.reset();
}

std::string HttpNotifier::scrub(std::string text) const {
  return provider_http::scrubSecrets(std::move(text), {&options_.api_key, &options_.password});
}

Status HttpNotifier::stopping(const std::string& what) const {
  return Status::rejected("http notifier " + instance_ + ": " + scrub(what));
}

std::optional<Delivery> HttpNotifier::prepare(const plugin::Message& message,
                                              OutgoingSms& out) const {
  if (message.to.empty() ||
      message.to.find_first_not_of("0123456789") != std::string::npos || message.to.size() > 15) {
    return delivery(Outcome::Drop,
                   "recipient \"" + message.to + "\" is not an E.164 number (digits, no '+')");
  }
  out.recipient = message.to;
  out.originator = message.originator.empty() ? options_.originator : message.originator;
  if (out.originator.empty()) {
    return delivery(Outcome::Drop, "no originator: set originator on the notifier or the message");
  }
  if (auto kind = sms::checkOriginator(out.originator); !kind) {
    return delivery(Outcome::Drop, kind.error().message());
  }
  if (message.text.empty()) return delivery(Outcome::Drop, "the text is empty");
  if (auto encoded = sms::encode(message.text); !encoded) {
    return delivery(Outcome::Drop, encoded.error().message());
  }
  out.text = message.text;
  out.reference = message.reference;
  return std::nullopt;
}

Result<Delivery> HttpNotifier::send(const plugin::Message& message) {
  OutgoingSms sms;
  if (auto refused = prepare(message, sms)) return *refused;
  return options_.api == Api::Json ? sendJson(sms) : sendSimple(sms);
}

Result<Delivery> HttpNotifier::sendJson(const OutgoingSms& sms) {
  const Request request = jsonRequest(
      "/send/single", singleSendBody(sms, options_.route_id, options_.campaign_id, options_.callback_url),
      options_.api_key);
  const Exchange x = json_->exchange(request);
  if (!x.answered) {
    if (x.certificate_refused) return stopping(x.failure);
    return delivery(Outcome::Retry, scrub(x.failure));
  }
  const Classified c = classifyAnswer(x.status, x.reason, x.body, x.retry_after,
                                      std::chrono::system_clock::now());
  const std::string where = "POST " + json_->describe(request.target) + ": ";
  switch (c.verdict) {
    case Verdict::AuthFailed:
      log().error("http notifier " + instance_ + ": the provider refused the API key");
      return stopping(where + c.detail + " (the API key was refused)");
    case Verdict::Retry:
      return delivery(Outcome::Retry, scrub(where + c.detail));
    case Verdict::Drop:
      return delivery(Outcome::Drop, scrub(where + c.detail));
    case Verdict::Accepted:
      break;
  }
  auto id = parseSingleReply(x.body);
  if (!id) {
    // Not JSON at all: something on the way cut it, so the send may not have happened.
    const Outcome o = id.error().retryable() ? Outcome::Retry : Outcome::Drop;
    return delivery(o, scrub(where + c.detail + " but " + id.error().message()));
  }
  const sms::Encoded encoded = sms::encode(sms.text).value();
  log().debug(where + "accepted " + *id + " (" + describeText(encoded) + ")");
  return delivery(Outcome::Ok, "accepted: " + describeText(encoded), *id);
}

Request HttpNotifier::simpleRequest(const OutgoingSms& sms) const {
  Request request;
  request.accept = "application/json, text/plain";
  const std::string form = simpleApiForm(options_.username, options_.password, sms, options_.route_id);
  if (options_.simple_post) {
    request.method = "POST";
    request.content_type = "application/x-www-form-urlencoded";
    request.body = form;
  } else {
    request.method = "GET";
    request.target = "?" + form;
  }
  return request;
}

Result<Delivery> HttpNotifier::sendSimple(const OutgoingSms& sms) {
  const Request request = simpleRequest(sms);
  const Exchange x = simple_->exchange(request);
  if (!x.answered) {
    if (x.certificate_refused) return stopping(x.failure);
    return delivery(Outcome::Retry, scrub(x.failure));
  }
  const std::string where = request.method + " " + simple_->describe(request.target) + ": ";
  const Classified c = classifyAnswer(x.status, x.reason, x.body, x.retry_after,
                                      std::chrono::system_clock::now());
  auto reply = parseSimpleReply(x.body);
  // The Simple API may report an error inside a 200; its ERROR code classifies it then.
  Verdict verdict = c.verdict;
  std::string detail = c.detail;
  if (verdict == Verdict::Accepted && reply && !reply->ok) {
    const Classified inner = classifyAnswer(reply->code == 0 ? 400 : reply->code, "", "",
                                            x.retry_after, std::chrono::system_clock::now());
    verdict = inner.verdict;
    detail = "ERROR " + std::to_string(reply->code) + " " + reply->reason;
  }
  switch (verdict) {
    case Verdict::AuthFailed:
      log().error("http notifier " + instance_ + ": the provider refused the username or password");
      return stopping(where + detail + " (the username or password was refused)");
    case Verdict::Retry:
      return delivery(Outcome::Retry, scrub(where + detail));
    case Verdict::Drop:
      return delivery(Outcome::Drop, scrub(where + detail));
    case Verdict::Accepted:
      break;
  }
  if (!reply) return delivery(Outcome::Drop, scrub(where + reply.error().message()));
  const sms::Encoded encoded = sms::encode(sms.text).value();
  return delivery(Outcome::Ok, "accepted: " + describeText(encoded), reply->message_id);
}

Result<std::vector<Delivery>> HttpNotifier::sendBatch(const std::vector<plugin::Message>& messages,
                                                      const plugin::BatchOptions& options) {
  if (options_.api == Api::Simple) return sendOneByOne(messages);
  return sendCampaigns(messages, options);
}

Result<std::vector<Delivery>> HttpNotifier::sendOneByOne(
    const std::vector<plugin::Message>& messages) {
  std::vector<Delivery> out;
  out.reserve(messages.size());
  bool any_accepted = false;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    auto d = send(messages[i]);
    if (!d) {
      if (!any_accepted) return d.error();
      // Earlier messages went out; say so, and leave the rest for a later run.
      log().error(d.error().message());
      for (; i < messages.size(); ++i) {
        out.push_back(delivery(Outcome::Retry, "not sent: " + d.error().message()));
      }
      break;
    }
    any_accepted = any_accepted || d->outcome == Outcome::Ok;
    out.push_back(std::move(d).value());
  }
  return out;
}

Result<std::vector<Delivery>> HttpNotifier::sendCampaigns(
    const std::vector<plugin::Message>& messages, const plugin::BatchOptions& options) {
  std::vector<Delivery> out(messages.size());
  std::vector<OutgoingSms> prepared(messages.size());
  std::vector<std::size_t> sendable;
  std::map<std::string, std::size_t> first_use;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    // The batch API needs a reference per recipient; number the ones the caller left empty.
    const std::string reference =
        messages[i].reference.empty() ? "mobisync-" + std::to_string(i + 1) : messages[i].reference;
    auto [it, fresh] = first_use.emplace(reference, i);
    if (!fresh) {
      return Status::internal("http notifier " + instance_ + ": sendBatch: reference \"" +
                              reference + "\" is used by messages " +
                              std::to_string(it->second + 1) + " and " + std::to_string(i + 1) +
                              "; references must be unique in one call");
    }
    if (auto refused = prepare(messages[i], prepared[i])) {
      out[i] = *refused;
      continue;
    }
    prepared[i].reference = reference;
    sendable.push_back(i);
  }

  const std::size_t chunk_size = options_.batch_chunk;
  const std::size_t chunks = (sendable.size() + chunk_size - 1) / chunk_size;
  BatchSettings settings;
  settings.schedule_date_time =
      scheduleDateTime(std::chrono::system_clock::now(), std::chrono::seconds(options_.schedule_delay_s),
                       options_.schedule_utc_offset_minutes);
  settings.route_id = options_.route_id;
  settings.exclude_optouts = options_.exclude_optouts;
  settings.exclude_duplicates = options_.exclude_duplicates;
  settings.spread_hours = options_.spread_hours;
  settings.shorten_urls = options_.shorten_urls;
  settings.callback_url = options_.callback_url;
  const std::string target = "/send/batch";
  bool any_accepted = false;

  for (std::size_t k = 0; k < chunks; ++k) {
    const std::size_t begin = k * chunk_size;
    const std::size_t end = std::min(sendable.size(), begin + chunk_size);
    std::vector<OutgoingSms> chunk;
    chunk.reserve(end - begin);
    for (std::size_t j = begin; j < end; ++j) chunk.push_back(prepared[sendable[j]]);
    settings.name = options.name.empty() ? "mobisync " + instance_ : options.name;
    if (chunks > 1) {
      settings.name += " (" + std::to_string(k + 1) + "/" + std::to_string(chunks) + ")";
    }

    const Request request = jsonRequest(target, batchSendBody(settings, chunk), options_.api_key);
    const Exchange x = json_->exchange(request);
    const std::string where = "POST " + json_->describe(target) + " (" +
                              std::to_string(chunk.size()) + " recipients): ";

    // Marks this chunk and every later one with `o`: used when later chunks would fail alike.
    const auto markRest = [&](Outcome o, const std::string& detail) {
      for (std::size_t j = begin; j < sendable.size(); ++j) out[sendable[j]] = delivery(o, detail);
    };
    const auto markChunk = [&](Outcome o, const std::string& detail) {
      for (std::size_t j = begin; j < end; ++j) out[sendable[j]] = delivery(o, detail);
    };

    if (!x.answered) {
      if (x.certificate_refused && !any_accepted) return stopping(x.failure);
      markRest(Outcome::Retry, scrub(x.failure));
      break;
    }
    const Classified c = classifyAnswer(x.status, x.reason, x.body, x.retry_after,
                                        std::chrono::system_clock::now());
    if (c.verdict == Verdict::AuthFailed) {
      log().error("http notifier " + instance_ + ": the provider refused the API key");
      if (!any_accepted) return stopping(where + c.detail + " (the API key was refused)");
      markRest(Outcome::Retry, scrub("not sent: " + where + c.detail + " (the API key was refused)"));
      break;
    }
    if (c.verdict == Verdict::Retry) {
      markRest(Outcome::Retry, scrub(where + c.detail));
      break;
    }
    if (c.verdict == Verdict::Drop) {
      markChunk(Outcome::Drop, scrub(where + c.detail));
      continue;
    }
    auto reply = parseCampaignReply(x.body);
    if (!reply) {
      const Outcome o = reply.error().retryable() ? Outcome::Retry : Outcome::Drop;
      markChunk(o, scrub(where + c.detail + " but " + reply.error().message()));
      continue;
    }
    any_accepted = true;
    std::size_t refused = 0;
    std::vector<Delivery> done = campaignDeliveries(*reply, chunk, refused);
    for (std::size_t j = begin; j < end; ++j) out[sendable[j]] = std::move(done[j - begin]);
    log().debug(where + "campaign " + reply->campaign_id + " accepted " +
                std::to_string(chunk.size() - refused) + ", excluded " + std::to_string(refused));
  }
  return out;
}

Result<plugin::NumberStatus> HttpNotifier::lookup(const std::string& msisdn) {
  if (!json_) {
    return Status::invalidConfig("http notifier " + instance_ +
                                 ": HLR lookup needs the API key (api_key_env or api_key_file)");
  }
  if (msisdn.empty() || msisdn.find_first_not_of("0123456789") != std::string::npos) {
    return Status::rejected("http notifier " + instance_ + ": \"" + msisdn +
                            "\" is not an E.164 number (digits, no '+')");
  }
  const Request request = jsonRequest(options_.hlr_path, hlrLookupBody(msisdn), options_.api_key);
  const Exchange x = json_->exchange(request);
  const std::string where =
      "http notifier " + instance_ + ": HLR lookup POST " + json_->describe(request.target) + ": ";
  if (!x.answered) {
    if (x.certificate_refused) return stopping(x.failure);
    return Status::unavailable(scrub(x.failure));
  }
  const Classified c = classifyAnswer(x.status, x.reason, x.body, x.retry_after,
                                      std::chrono::system_clock::now());
  switch (c.verdict) {
    case Verdict::AuthFailed:
      return stopping("HLR lookup: " + c.detail + " (the API key was refused)");
    case Verdict::Retry:
      return Status::unavailable(scrub(where + c.detail));
    case Verdict::Drop:
      return Status::rejected(scrub(where + c.detail));
    case Verdict::Accepted:
      break;
  }
  auto status = parseHlrReply(x.body, msisdn);
  if (!status) return Status(status.error().code(), scrub(where + status.error().message()));
  return status;
}

}  // namespace mobisync::plugins::http
