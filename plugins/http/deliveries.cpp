// SPDX-License-Identifier: Apache-2.0
// Deliveries: the outcomes the http notifier reports, for one message and for a campaign answer.
#include "deliveries.hpp"

#include <utility>

namespace mobisync::plugins::http {
namespace {

using Outcome = plugin::Delivery::Outcome;

// Campaign recipient states that mean the provider will not send that message.
bool isRefusedState(const std::string& state) {
  return state == "excluded" || state == "rejected" || state == "invalid" || state == "failed" ||
         state == "optout" || state == "opted_out" || state == "duplicate";
}

}  // namespace

plugin::Delivery delivery(Outcome outcome, std::string detail, std::string message_id) {
  plugin::Delivery d;
  d.outcome = outcome;
  d.detail = std::move(detail);
  d.message_id = std::move(message_id);
  return d;
}

std::string describeText(const sms::Encoded& encoded) {
  return std::string(sms::codingName(encoded.coding)) + ", " +
         std::to_string(encoded.partCount()) + (encoded.partCount() == 1 ? " part" : " parts");
}

std::vector<plugin::Delivery> campaignDeliveries(const CampaignReply& reply,
                                                 const std::vector<OutgoingSms>& chunk,
                                                 std::size_t& refused) {
  std::vector<plugin::Delivery> out;
  out.reserve(chunk.size());
  refused = 0;
  for (const OutgoingSms& sms : chunk) {
    const auto found = reply.by_reference.find(sms.reference);
    if (found != reply.by_reference.end() && isRefusedState(found->second.status)) {
      ++refused;
      out.push_back(delivery(Outcome::Drop, "campaign " + reply.campaign_id + ": recipient " +
                                                found->second.status + " by the provider"));
      continue;
    }
    const bool own_id = found != reply.by_reference.end() && !found->second.id.empty();
    const std::string id = own_id ? found->second.id : reply.campaign_id + "/" + sms.reference;
    const sms::Encoded encoded = sms::encode(sms.text).value();
    out.push_back(
        delivery(Outcome::Ok, "campaign " + reply.campaign_id + ": " + describeText(encoded), id));
  }
  return out;
}

}  // namespace mobisync::plugins::http
