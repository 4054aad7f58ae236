// SPDX-License-Identifier: Apache-2.0
// The flags of the simulator's delivery-receipt webhooks, kept apart from sim_options.cpp.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "sim_options.hpp"

namespace mobisync::sim {

using Setter = std::function<void(const std::string& flag, const std::string& value)>;

/// Adds --receipt-delay-ms MIN-MAX, --receipt-loss-rate, --receipt-repeat-rate and
/// --receipt-undelivered-rate, writing into `options`.
void addReceiptOptions(std::map<std::string, Setter>& valued, SimOptions& options);

/// Their lines of the --help text.
std::string receiptUsage();

/// The webhook, opt-out and /_sim/ endpoints' lines of the --help text.
std::string webhookEndpointsUsage();

}  // namespace mobisync::sim
