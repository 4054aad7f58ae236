// SPDX-License-Identifier: Apache-2.0
// The provider's webhook bodies and the receiver's answers: 200 once stored, 404 for a wrong token
// or path (nothing stored), 400 for bad JSON with an excerpt and never the token, 503 when the
// state cannot be written.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "notify/webhook_payloads.hpp"
#include "notify/webhook_receiver.hpp"

using mobisync::notify::parseProviderTime;
using mobisync::notify::parseWebhookIncoming;
using mobisync::notify::parseWebhookReceipt;
using mobisync::notify::WebhookReceipt;
using mobisync::notify::WebhookReceiver;
using mobisync::notify::WebhookSinks;
using mobisync::plugin::InboundMessage;

namespace {

const std::string kToken = "T0ken-abcdefghijklmnop";

struct Stored {
  std::vector<WebhookReceipt> receipts;
  std::vector<InboundMessage> incoming;
  bool fail = false;
  WebhookSinks sinks() {
    return {[this](const WebhookReceipt& r) {
              if (fail) throw std::runtime_error("database is locked");
              receipts.push_back(r);
            },
            [this](const InboundMessage& m) {
              if (fail) throw std::runtime_error("database is locked");
              incoming.push_back(m);
            }};
  }
};

}  // namespace

TEST_SUITE("core.notify") {
  TEST_CASE("a receipt body is read with every field") {
    auto r = parseWebhookReceipt(
        R"({"deliveryMessageId":"6f1c-aa","batchId":"b-1","clientReference":"ref 9",)"
        R"("created":"2024-05-01T10:00:02Z","status":"Delivered","statusCode":1,"parts":2,)"
        R"("hlr":{"mccMnc":"50501","ported":false}})");
    REQUIRE(r);
    CHECK(r->delivery_message_id == "6f1c-aa");
    CHECK(r->batch_id == "b-1");
    CHECK(r->client_reference == "ref 9");
    CHECK(r->status_code == 1);
    CHECK(r->parts == 2);
    CHECK(r->created_ms == 1714557602000);
    CHECK(r->hlr.find("\"mccMnc\":\"50501\"") != std::string::npos);
    CHECK(r->receiptState() == "DELIVRD");
    CHECK(r->detail() == "Delivered (code 1)");
  }

  TEST_CASE("provider statuses map onto receipt states, times in several forms") {
    WebhookReceipt r;
    for (auto [status, state] : {std::pair{"Sent", "ENROUTE"}, {"UNDELIVERED", "UNDELIV"},
                                 {" expired ", "EXPIRED"}, {"Rejected", "REJECTD"},
                                 {"Failed", "UNDELIV"}, {"whatever", "UNKNOWN"}}) {
      r.status = status;
      CHECK(r.receiptState() == state);
    }
    CHECK(parseProviderTime("2024-05-01 10:00:02") == 1714557602000);
    CHECK(parseProviderTime("2024-05-01T12:00:02+02:00") == 1714557602000);
    CHECK(parseProviderTime("1714557602") == 1714557602000);
    CHECK(parseProviderTime("1714557602123") == 1714557602123);
    CHECK(parseProviderTime("yesterday") == 0);
  }

  TEST_CASE("an incoming body becomes an InboundMessage") {
    auto m = parseWebhookIncoming(
        R"({"id":"mo-1","originator":"+61400000001","recipient":"61400999",)"
        R"("body":"STOP","created":"2024-05-01 10:00:02","inReplyTo":"6f1c-aa"})");
    REQUIRE(m);
    CHECK(m->id == "mo-1");
    CHECK(m->from == "61400000001");
    CHECK(m->to == "61400999");
    CHECK(m->text == "STOP");
    CHECK(m->received_at_ms == 1714557602000);
    CHECK(m->in_reply_to == "6f1c-aa");
    CHECK_FALSE(parseWebhookIncoming(R"({"body":"STOP"})"));
    CHECK_FALSE(parseWebhookReceipt(R"({"status":"Delivered"})"));
    CHECK_FALSE(parseWebhookReceipt("[1,2]"));
  }

  TEST_CASE("the receiver stores on the right token and path only") {
    Stored stored;
    const WebhookReceiver receiver(kToken, stored.sinks());
    const std::string receipt = R"({"deliveryMessageId":"m1","status":"Sent","statusCode":0})";
    CHECK(receiver.handle("/webhooks/" + kToken + "/receipt", receipt).status == 200);
    CHECK(receiver.handle("/webhooks/" + kToken + "/incoming",
                          R"({"originator":"61400000001","body":"hi"})")
              .status == 200);
    CHECK(stored.receipts.size() == 1);
    CHECK(stored.incoming.size() == 1);
    for (const std::string& path :
         {"/webhooks/" + kToken.substr(1) + "/receipt", "/webhooks/" + kToken + "x/receipt",
          std::string("/webhooks//receipt"), "/webhooks/" + kToken + "/other", "/webhooks/" + kToken,
          std::string("/webhooks/x/receipt"), "/elsewhere/" + kToken + "/receipt"}) {
      INFO(path);
      const auto reply = receiver.handle(path, receipt);
      CHECK(reply.status == 404);
      CHECK(reply.body.find(kToken) == std::string::npos);
    }
    CHECK(stored.receipts.size() == 1);
    CHECK(WebhookReceiver::maskedPath("/webhooks/" + kToken + "/receipt") ==
          "/webhooks/***/receipt");
  }

  TEST_CASE("bad JSON is 400 with an excerpt, a state that cannot be written is 503") {
    Stored stored;
    const WebhookReceiver receiver(kToken, stored.sinks());
    const auto bad = receiver.handle("/webhooks/" + kToken + "/receipt", "{\"deliveryMess" +
                                                                          std::string(500, 'x'));
    CHECK(bad.status == 400);
    CHECK(bad.body.find("deliveryMess") != std::string::npos);
    CHECK(bad.body.size() < 300);
    CHECK(bad.body.find(kToken) == std::string::npos);
    stored.fail = true;
    CHECK(receiver.handle("/webhooks/" + kToken + "/receipt", R"({"deliveryMessageId":"m"})")
              .status == 503);
    CHECK(receiver.handle("/webhooks/" + kToken + "/incoming", R"({"originator":"614"})")
              .status == 503);
    CHECK(stored.receipts.empty());
  }
}
