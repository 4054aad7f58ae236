// SPDX-License-Identifier: Apache-2.0
// The SMPP notifier plugin's registration: config schema, descriptor and entry symbol only.
#include <iterator>

#include "mobisync/plugin/entry.hpp"
#include "smpp_notifier.hpp"

namespace mobisync::plugins::smpp {

namespace {

using plugin::ConfigKey;
using plugin::KeyType;

constexpr ConfigKey kConfigSchema[] = {
    {"host", KeyType::String, true, nullptr, "The SMSC's host name or address."},
    {"port", KeyType::Port, false, "2775", "The SMSC's SMPP port."},
    {"system_id", KeyType::String, true, nullptr, "The account to bind as (up to 15 characters)."},
    {"password", KeyType::Secret, true, nullptr,
     "The bind password (up to 8 characters): password_env = \"VAR\" or password_file = \"path\"."},
    {"system_type", KeyType::String, false, "CMT", "system_type sent in the bind."},
    {"bind_mode", KeyType::String, false, "trx",
     "\"trx\": one transceiver per bind; \"tx_rx\": a transmitter and a receiver per bind."},
    {"binds", KeyType::PositiveInteger, false, "1",
     "How many binds to open (1..3; the provider allows 3)."},
    {"window", KeyType::PositiveInteger, false, "10",
     "Outstanding submit_sm without a response, per bind (1..1000)."},
    {"rate", KeyType::PositiveInteger, false, "20",
     "submit_sm per second per bind (1..100000; each part of a long message counts), held over "
     "any second."},
    {"route_id", KeyType::String, false, nullptr,
     "The provider's Route Id, sent as TLV dest_subaddress (0x0203), 2..23 octets."},
    {"originator", KeyType::String, false, nullptr,
     "Sender id when a message has none: up to 11 alphanumerics (TON 5) or 15 digits (TON 1)."},
    {"registered_delivery", KeyType::Boolean, false, "true", "Ask the SMSC for delivery receipts."},
    {"gsm7_packing", KeyType::Boolean, false, "false",
     "Pack GSM-7 text 8 septets into 7 octets (CR-padded as 3GPP TS 23.038 asks); most SMSCs "
     "expect one septet per octet."},
    {"concat_reference_bits", KeyType::PositiveInteger, false, "8",
     "Concatenation reference of long messages: 8 (UDH IEI 0x00) or 16 (IEI 0x08)."},
    {"enquire_interval", KeyType::PositiveInteger, false, "30",
     "Seconds without traffic after which enquire_link checks the link (1..3600)."},
    {"reconnect_min_ms", KeyType::Milliseconds, false, "500",
     "First reconnect delay (1..600000); doubles on each failure, with jitter."},
    {"reconnect_max_ms", KeyType::Milliseconds, false, "30000",
     "Longest reconnect delay (reconnect_min_ms..3600000)."},
    {"throttle_pause_ms", KeyType::Milliseconds, false, "1000",
     "Pause of a bind after ESME_RTHROTTLED or ESME_RMSGQFUL (1..600000; its rate also halves, "
     "then recovers)."},
    {"tls", KeyType::Boolean, false, "false",
     "Connect with TLS (the provider speaks plain SMPP; some SMSCs offer TLS)."},
    {"ca_file", KeyType::Path, false, nullptr,
     "With tls: CA certificates (PEM) that sign the SMSC's certificate; default: the system store."},
    {"timeout_ms", KeyType::Milliseconds, false, "10000",
     "Connect timeout and the longest wait for any response (bind, submit, enquire, unbind); "
     "10..600000."},
};

constexpr plugin::Descriptor kDescriptor = plugin::makeDescriptor<SmppNotifier>(
    "smpp", "0.1.0", plugin::Kind::Notifier, "SMS through an SMPP v3.4 SMSC (an ESME)",
    kConfigSchema, std::size(kConfigSchema));

}  // namespace

const plugin::Descriptor* smppDescriptor() { return &kDescriptor; }

MOBISYNC_PLUGIN_ENTRY(smppDescriptor)

}  // namespace mobisync::plugins::smpp
