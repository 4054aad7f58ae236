// SPDX-License-Identifier: Apache-2.0
// --receipt-* flags: a delay range and the rates of lost, repeated and undelivered receipts.
#include "receipt_options.hpp"

#include "option_numbers.hpp"

namespace mobisync::sim {

void addReceiptOptions(std::map<std::string, Setter>& valued, SimOptions& options) {
  valued["--receipt-delay-ms"] = [&](const std::string& flag, const std::string& v) {
    const auto dash = v.find('-');
    const std::string low = v.substr(0, dash);
    const std::string high = dash == std::string::npos ? low : v.substr(dash + 1);
    options.receipt_delay_min_ms = parseNumber<int>(flag, low, 0, 3600000);
    options.receipt_delay_max_ms = parseNumber<int>(flag, high, 0, 3600000);
    if (options.receipt_delay_max_ms < options.receipt_delay_min_ms) {
      throw UsageError(flag + ": '" + v + "' ends before it starts (MIN-MAX)");
    }
  };
  auto rate = [&](double SimOptions::*field) {
    return [&options, field](const std::string& flag, const std::string& v) {
      options.*field = parseNumber<double>(flag, v, 0.0, 1.0);
    };
  };
  valued["--receipt-loss-rate"] = rate(&SimOptions::receipt_loss_rate);
  valued["--receipt-repeat-rate"] = rate(&SimOptions::receipt_repeat_rate);
  valued["--receipt-undelivered-rate"] = rate(&SimOptions::receipt_undelivered_rate);
}

std::string receiptUsage() {
  return R"(  --receipt-delay-ms MIN-MAX
                         JSON API receipts: each status change (Sent, then Delivered or
                         Undelivered) is posted a uniform MIN..MAX ms after the previous one
                         to the send's callbackURL, else the webhook registered with POST
                         /webhooks/receipt (default 200-1000; N alone: N-N)
  --receipt-loss-rate F  leave a receipt post unmade with probability F (default 0)
  --receipt-repeat-rate F  make a receipt post twice with probability F (default 0)
  --receipt-undelivered-rate F
                         end a message Undelivered instead of Delivered with probability F
                         (default 0)
)";
}

std::string webhookEndpointsUsage() {
  return R"(  POST /webhooks/receipt, /webhooks/incoming  {"url": ...}, Bearer KEY: register the
                     receipt or incoming-message webhook of the key
  GET|POST|DELETE /addressbook/optout  ?startDate=YYYY-MM-DD&endDate=YYYY-MM-DD (GET) or
                     {"mobile": ...}; GET answers [{"mobile", "created"}], Bearer KEY
  POST /_sim/optouts {"mobile": ..., "created": "YYYY-MM-DD[ HH:MM:SS]"}  seed an opt-out
  POST /_sim/incoming {"originator", "recipient", "body"[, "inReplyTo"]}  post an incoming
                     message to the registered incoming webhook now (409 without one)
  GET  /_sim/webhooks  the registered URLs and every webhook post made or lost, in order
)";
}

}  // namespace mobisync::sim
