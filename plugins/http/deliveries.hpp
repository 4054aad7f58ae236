// SPDX-License-Identifier: Apache-2.0
// Deliveries: the outcomes the http notifier reports, for one message and for a campaign answer.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "mobisync/plugin/plugin.hpp"
#include "mobisync/sms/encoding.hpp"
#include "provider_replies.hpp"
#include "provider_requests.hpp"

namespace mobisync::plugins::http {

/// A Delivery with `outcome`, `detail` and the provider's message id.
plugin::Delivery delivery(plugin::Delivery::Outcome outcome, std::string detail,
                          std::string message_id = {});

/// How a text goes out, for a detail: "GSM-7, 2 parts".
std::string describeText(const sms::Encoded& encoded);

/// One Delivery per message of `chunk`, in order, from the answer to the campaign that carried
/// it: Drop for a recipient the provider lists as refused (excluded, opted out, duplicate...),
/// else Ok with the recipient's own id, or "<campaign id>/<reference>" when the answer gives
/// none. `refused` is set to the number of Drops.
std::vector<plugin::Delivery> campaignDeliveries(const CampaignReply& reply,
                                                 const std::vector<OutgoingSms>& chunk,
                                                 std::size_t& refused);

}  // namespace mobisync::plugins::http
