// SPDX-License-Identifier: Apache-2.0
// webhook: a notifier plugin that POSTs each message as a JSON object to an http:// URL.
#include <cstdint>
#include <iterator>
#include <sstream>
#include <string>

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/URI.h>

#include <mobisync/plugin/entry.hpp>

namespace {

using mobisync::Result;
using mobisync::Status;
using namespace mobisync::plugin;

constexpr ConfigKey kSchema[] = {
    {"url", KeyType::HttpUrl, true, nullptr,
     "Where to POST each message as JSON {to, text, originator, reference}; http:// only."},
    {"token", KeyType::Secret, false, nullptr,
     "Sent as \"Authorization: Bearer <token>\"; give it as token_env or token_file."},
    {"timeout_ms", KeyType::Milliseconds, false, "5000",
     "How long to wait for the connection and for each read and write, in milliseconds."},
};

class WebhookNotifier final : public Notifier {
 public:
  Status init(const Context& context) override {
    const std::string url = context.config.string("url");
    try {
      uri_ = Poco::URI(url);
    } catch (const Poco::Exception& e) {
      return Status::invalidConfig(context.config.where("url") + ": " + e.displayText());
    }
    // https would need Poco::NetSSL and its certificate setup: more than an example should carry.
    if (uri_.getScheme() != "http" || uri_.getHost().empty()) {
      return Status::invalidConfig(context.config.where("url") +
                                   ": expected an http:// URL, found \"" + url + "\"");
    }
    // Milliseconds: the host has refused anything outside 1 ms to one day.
    timeout_ = Poco::Timespan(context.config.integer("timeout_ms", 5000) * 1000);
    token_ = context.config.string("token");
    return {};
  }

  void shutdown() noexcept override {}

  Result<Delivery> send(const Message& message) override {
    Poco::JSON::Object body;
    body.set("to", message.to);
    body.set("text", message.text);
    body.set("originator", message.originator);
    body.set("reference", message.reference);
    std::ostringstream json;
    body.stringify(json);
    const std::string payload = json.str();

    Delivery delivery;
    try {
      Poco::Net::HTTPClientSession session(uri_.getHost(), uri_.getPort());
      session.setTimeout(timeout_);
      const std::string path = uri_.getPathAndQuery();
      Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, path.empty() ? "/" : path,
                                     Poco::Net::HTTPMessage::HTTP_1_1);
      request.setContentType("application/json");
      request.setContentLength(static_cast<std::streamsize>(payload.size()));
      if (!token_.empty()) request.set("Authorization", "Bearer " + token_);
      session.sendRequest(request) << payload;
      Poco::Net::HTTPResponse response;
      std::istream& in = session.receiveResponse(response);
      const std::string reply((std::istreambuf_iterator<char>(in)), {});
      const int status = response.getStatus();
      delivery.detail = "HTTP " + std::to_string(status) + " " + response.getReason();
      if (status >= 200 && status < 300) {
        delivery.message_id = idOf(reply);
      } else {
        // 429 and 5xx may pass; any other refusal will be the same next time.
        const bool transient = status == 429 || status >= 500;
        delivery.outcome = transient ? Delivery::Outcome::Retry : Delivery::Outcome::Drop;
      }
    } catch (const Poco::Exception& e) {
      // No answer at all: the receiver is unreachable, which is retryable, not a verdict.
      return Status::unavailable(uri_.toString() + ": " + e.displayText());
    }
    return delivery;
  }

 private:
  // The receiver's id for the message when it answers {"id": ...}; "" otherwise.
  static std::string idOf(const std::string& reply) {
    try {
      Poco::JSON::Parser parser;
      auto object = parser.parse(reply).extract<Poco::JSON::Object::Ptr>();
      return object->has("id") ? object->get("id").toString() : std::string();
    } catch (const Poco::Exception&) {
      return {};
    }
  }

  Poco::URI uri_;
  Poco::Timespan timeout_;
  std::string token_;
};

constexpr Descriptor kDescriptor = makeDescriptor<WebhookNotifier>(
    "webhook", "0.1.0", Kind::Notifier, "Posts each message as JSON to a webhook URL", kSchema,
    std::size(kSchema));

}  // namespace

const Descriptor* webhookDescriptor() { return &kDescriptor; }
MOBISYNC_PLUGIN_ENTRY(webhookDescriptor)
