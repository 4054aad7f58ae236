// SPDX-License-Identifier: Apache-2.0
// Parses mobivate-sim's command line, refusing anything out of range with a precise message.
#include "sim_options.hpp"

#include "option_numbers.hpp"
#include "receipt_options.hpp"

#include <functional>
#include <map>
#include <optional>

namespace mobisync::sim {
namespace {

bool allDigits(const std::string& text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
}

// Appends the comma-separated numbers of `list` to `target`; each must be digits only.
void appendNumberList(const std::string& flag, const std::string& list,
                      std::vector<std::string>& target) {
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t comma = list.find(',', start);
    std::string number = list.substr(start, comma == std::string::npos ? comma : comma - start);
    if (!allDigits(number)) {
      throw UsageError(flag + ": '" + number + "' is not a number (digits only, comma-separated)");
    }
    target.push_back(number);
    if (comma == std::string::npos) {
      break;
    }
    start = comma + 1;
  }
}

}  // namespace

SimOptions parseSimOptions(const std::vector<std::string>& args) {
  SimOptions options;
  std::map<std::string, Setter> valued = {
      {"--host",
       [&](const std::string& flag, const std::string& v) {
         if (v.empty()) {
           throw UsageError(flag + ": must not be empty");
         }
         options.host = v;
       }},
      {"--port",
       [&](const std::string& flag, const std::string& v) {
         options.port = parseNumber<std::uint16_t>(flag, v, 0, 65535);
       }},
      {"--base-path",
       [&](const std::string& flag, const std::string& v) {
         std::string path = v;
         while (!path.empty() && path.back() == '/') path.pop_back();
         if (!v.empty() && v[0] != '/') {
           throw UsageError(flag + ": '" + v + "' does not start with '/'");
         }
         if (path.find_first_of("?#") != std::string::npos) {
           throw UsageError(flag + ": '" + v + "' holds a query or fragment");
         }
         if (path == "/_sim" || path.rfind("/_sim/", 0) == 0) {
           throw UsageError(flag + ": '" + v + "' is where the /_sim/ endpoints are");
         }
         options.base_path = path;
       }},
      {"--username", [&](const std::string&, const std::string& v) { options.username = v; }},
      {"--password", [&](const std::string&, const std::string& v) { options.password = v; }},
      {"--latency-ms",
       [&](const std::string& flag, const std::string& v) {
         options.latency_ms = parseNumber<int>(flag, v, 0, 600000);
       }},
      {"--error-rate",
       [&](const std::string& flag, const std::string& v) {
         options.error_rate = parseNumber<double>(flag, v, 0.0, 1.0);
       }},
      {"--rate-429",
       [&](const std::string& flag, const std::string& v) {
         options.rate_429 = parseNumber<double>(flag, v, 0.0, 1.0);
       }},
      {"--retry-after",
       [&](const std::string& flag, const std::string& v) {
         options.retry_after_s = parseNumber<int>(flag, v, 0, 86400);
       }},
      {"--reset-rate",
       [&](const std::string& flag, const std::string& v) {
         options.reset_rate = parseNumber<double>(flag, v, 0.0, 1.0);
       }},
      {"--stall-ms",
       [&](const std::string& flag, const std::string& v) {
         options.stall_ms = parseNumber<int>(flag, v, 0, 600000);
       }},
      {"--stall-rate",
       [&](const std::string& flag, const std::string& v) {
         options.stall_rate = parseNumber<double>(flag, v, 0.0, 1.0);
       }},
      {"--truncate-rate",
       [&](const std::string& flag, const std::string& v) {
         options.truncate_rate = parseNumber<double>(flag, v, 0.0, 1.0);
       }},
      {"--trickle-rate",
       [&](const std::string& flag, const std::string& v) {
         options.trickle_rate = parseNumber<double>(flag, v, 0.0, 1.0);
       }},
      {"--trickle-ms",
       [&](const std::string& flag, const std::string& v) {
         options.trickle_ms = parseNumber<int>(flag, v, 0, 600000);
       }},
      {"--stall-body-rate",
       [&](const std::string& flag, const std::string& v) {
         options.stall_body_rate = parseNumber<double>(flag, v, 0.0, 1.0);
       }},
      {"--stall-body-ms",
       [&](const std::string& flag, const std::string& v) {
         options.stall_body_ms = parseNumber<int>(flag, v, 0, 600000);
       }},
      {"--refuse-after",
       [&](const std::string& flag, const std::string& v) {
         options.refuse_after = parseNumber<int>(flag, v, 0, 1000000000);
       }},
      {"--control-port",
       [&](const std::string& flag, const std::string& v) {
         options.control_port = parseNumber<int>(flag, v, 0, 65535);
       }},
      {"--tls-cert", [&](const std::string&, const std::string& v) { options.tls_cert = v; }},
      {"--tls-key", [&](const std::string&, const std::string& v) { options.tls_key = v; }},
      {"--smpp-port",
       [&](const std::string& flag, const std::string& v) {
         options.smpp_port = parseNumber<int>(flag, v, 0, 65535);
       }},
      {"--smpp-password",
       [&](const std::string& flag, const std::string& v) {
         if (v.empty()) {
           throw UsageError(flag + ": must not be empty");
         }
         options.smpp_password = v;
       }},
      {"--dlr-delay-ms",
       [&](const std::string& flag, const std::string& v) {
         options.dlr_delay_ms = parseNumber<int>(flag, v, 0, 600000);
       }},
      {"--smpp-window",
       [&](const std::string& flag, const std::string& v) {
         options.smpp_window = parseNumber<int>(flag, v, 1, 1000);
       }},
      {"--smpp-rate",
       [&](const std::string& flag, const std::string& v) {
         options.smpp_rate = parseNumber<int>(flag, v, 1, 1000000);
       }},
      {"--smpp-max-binds",
       [&](const std::string& flag, const std::string& v) {
         options.smpp_max_binds = parseNumber<int>(flag, v, 1, 1000);
       }},
      {"--smpp-drop-after",
       [&](const std::string& flag, const std::string& v) {
         options.smpp_drop_after = parseNumber<int>(flag, v, 0, 1000000000);
       }},
      {"--smpp-stall-ms",
       [&](const std::string& flag, const std::string& v) {
         options.smpp_stall_ms = parseNumber<int>(flag, v, 0, 600000);
       }},
      {"--smpp-reject-msisdn",
       [&](const std::string& flag, const std::string& v) {
         if (!allDigits(v)) {
           throw UsageError(flag + ": '" + v + "' is not a digit prefix");
         }
         options.smpp_reject_prefixes.push_back(v);
       }},
      {"--reject-msisdn",
       [&](const std::string& flag, const std::string& v) {
         if (!allDigits(v)) {
           throw UsageError(flag + ": '" + v + "' is not a digit prefix");
         }
         options.reject_msisdn_prefixes.push_back(v);
       }},
      {"--proxy-body",
       [&](const std::string& flag, const std::string& v) {
         if (v != "array" && v != "huge") {
           throw UsageError(flag + ": '" + v + "' is not array or huge");
         }
         options.proxy_body = v;
       }},
      {"--api-key",
       [&](const std::string& flag, const std::string& v) {
         if (v.empty()) {
           throw UsageError(flag + ": must not be empty");
         }
         options.api_key = v;
       }},
      {"--optout",
       [&](const std::string& flag, const std::string& v) {
         appendNumberList(flag, v, options.optouts);
       }},
      {"--hlr-inactive",
       [&](const std::string& flag, const std::string& v) {
         appendNumberList(flag, v, options.hlr_inactive);
       }},
      {"--seed",
       [&](const std::string& flag, const std::string& v) {
         options.seed = parseNumber<unsigned>(flag, v, 0U, ~0U);
       }},
      {"--threads",
       [&](const std::string& flag, const std::string& v) {
         options.threads = parseNumber<int>(flag, v, 1, 4096);
       }},
  };
  addReceiptOptions(valued, options);

  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      options.help = true;
      continue;
    }
    if (arg == "--quiet") {
      options.quiet = true;
      continue;
    }
    if (arg == "--unauthorized") {
      options.unauthorized = true;
      continue;
    }
    std::string flag = arg;
    std::optional<std::string> value;
    if (auto eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      flag = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    }
    auto setter = valued.find(flag);
    if (setter == valued.end()) {
      throw UsageError(arg.rfind("-", 0) == 0 ? "unknown option " + flag
                                              : "unexpected argument '" + arg + "'");
    }
    if (!value) {
      if (i + 1 >= args.size()) {
        throw UsageError(flag + ": missing value");
      }
      value = args[++i];
    }
    setter->second(flag, *value);
  }
  // SMPP v3.4 carries at most 8 password characters, so a longer one could never bind.
  constexpr std::size_t kMaxSmppPassword = 8;
  if (options.smpp_port >= 0 && options.smpp_password.empty() &&
      options.password.size() > kMaxSmppPassword) {
    throw UsageError("--smpp-port: the account password has " +
                     std::to_string(options.password.size()) +
                     " characters and an SMPP password at most 8; give --smpp-password "
                     "or a shorter --password");
  }
  if (options.smpp_password.size() > kMaxSmppPassword) {
    throw UsageError("--smpp-password: " + std::to_string(options.smpp_password.size()) +
                     " characters; SMPP allows at most 8");
  }
  if (options.refuse_after > 0 && options.control_port < 0) {
    throw UsageError("--refuse-after needs --control-port: the API port closes, and only the "
                     "control port can reopen it");
  }
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    throw UsageError(options.tls_cert.empty() ? "--tls-key needs --tls-cert"
                                              : "--tls-cert needs --tls-key");
  }
  return options;
}

std::string simUsage() {
  return std::string(R"(Usage: mobivate-sim [options]

A local stand-in for the Mobivate APIs (contacts proxy, JSON send, Simple send,
HLR lookup), with fault injection and inspection endpoints under /_sim/. Every
accepted message is recorded for GET /_sim/messages. Prints one line
"mobivate-sim listening on http[s]://HOST:PORT" when ready; stops on SIGTERM/SIGINT.

Options:
  --host HOST            address to bind (default 127.0.0.1)
  --port N               port to bind, 0 = any free port (default 0)
  --base-path PATH       serve the provider APIs (every endpoint below but /_sim/) only
                         below PATH, e.g. /gw: /gw/send/single, /gw/api/contacts/create;
                         their bare paths then answer 404. The listening line still names
                         the origin; /_sim/ stays at the root (default: none)
  --username U           account username (default demo)
  --password P           account password (default demo-secret)
  --latency-ms N         delay every API call by N ms (default 0)
  --error-rate F         answer HTTP 500 with probability F in [0,1] (default 0)
  --rate-429 F           answer HTTP 429 with probability F in [0,1] (default 0)
  --retry-after S        Retry-After seconds sent with 429 (default 1)
  --reset-rate F         close the connection unanswered (TCP reset) with probability F;
                         the call is not processed (default 0)
  --stall-ms N           hold a stalled call N ms before answering it (default 0)
  --stall-rate F         stall a call with probability F; it is processed (default 0)
  --truncate-rate F      answer with a body cut short of its Content-Length, then close,
                         with probability F; the call is processed (default 0)
  --trickle-rate F       with probability F answer without Content-Length (Connection:
                         close) and send the body one byte every --trickle-ms, then close;
                         the call is processed (default 0)
  --trickle-ms N         pause before each trickled byte (default 500)
  --stall-body-rate F    with probability F send the headers (with Content-Length) and half
                         the body, hold --stall-body-ms, then the rest; the call is
                         processed (default 0)
  --stall-body-ms N      how long a body stalls midway (default 60000)
  --unauthorized         answer every provider API call (proxy, JSON, Simple, HLR) 401 as
                         if the credentials were revoked; nothing is processed
  --control-port N       also serve the /_sim/ endpoints on HOST:N (0 = any free port), which
                         stays open while the API port is closed; prints "mobivate-sim
                         control on http[s]://HOST:PORT" after the other lines
  --refuse-after N       after N more proxy calls close the API port: connections are
                         refused and open ones cut (a call arriving on one is dropped
                         unprocessed) until POST /_sim/resume on the control port; needs
                         --control-port (default 0: never)
  --tls-cert FILE        serve HTTPS with this PEM certificate (needs --tls-key)
  --tls-key FILE         PEM private key of --tls-cert
  --reject-msisdn PFX    refuse msisdns starting with PFX with HTTP 400; repeatable
  --proxy-body array|huge  answer proxy calls 200 with what is not the proxy API: a JSON
                         array, or a JSON object of 2 MiB (the call is processed)
  --api-key K            Bearer key of the JSON and HLR APIs (default sim-api-key)
  --optout LIST          comma-separated recipients that opted out; repeatable
  --hlr-inactive LIST    comma-separated numbers the HLR reports absent; repeatable
  --smpp-port N          also run an SMPP v3.4 SMSC on HOST:N (0 = any free port) and
                         print "mobivate-sim smpp on HOST:PORT" after the listening line;
                         system_id = --username, password = --password (which
                         SMPP limits to 8 characters) unless --smpp-password is given
  --smpp-password P      the SMSC's bind password instead of --password
  --dlr-delay-ms N       send delivery receipts N ms after submit_sm (default 100)
  --smpp-window N        unanswered requests per bind before ESME_RMSGQFUL (default 10)
  --smpp-rate N          submit_sm per bind in any second before ESME_RTHROTTLED
                         (default 20)
  --smpp-max-binds N     concurrent binds of the account (default 3)
  --smpp-drop-after N    close a bind at its submit_sm number N+1: the N before it
                         are answered, it and later ones not (default 0: never)
  --smpp-stall-ms N      hold every submit_sm_resp N ms (default 0)
  --smpp-reject-msisdn PFX
                         answer submit_sm to PFX... with ESME_RINVDSTADR; repeatable
)") + receiptUsage() + R"(  --seed N               seed of the fault and receipt PRNGs (default 1)
  --threads N            connection threads (default 64)
  --quiet                print nothing but the listening line
  --help                 show this text

Endpoints (the provider APIs below --base-path when given):
  GET  /api/contacts/create?username=&password=&msisdn=&applications=[&name=][&reference=]
  GET  /api/contacts/delete?  (same parameters)
  POST /send/single, /send/batch        JSON, Authorization: Bearer KEY
  GET|POST /gateway/api/simple/MT?USER_NAME=&PASSWORD=&ORIGINATOR=&RECIPIENT=&ROUTE=&MESSAGE_TEXT=
  POST /hlr/lookup                      {"recipients":[...]}, Bearer KEY
  SMPP (with --smpp-port): bind_transmitter/receiver/transceiver, submit_sm (GSM-7 data_coding
  0 unpacked, UCS-2 8, concatenation by UDH or sar_* TLVs, route id in TLV 0x0203),
  enquire_link, unbind; receipts as deliver_sm (esm_class 0x04) to a receiving bind, stat
  UNDELIV for --hlr-inactive numbers. Messages appear in /_sim/messages with api "smpp".
  GET  /_sim/contacts | /_sim/requests | /_sim/messages | /_sim/stats
  POST /_sim/reset
  POST /_sim/faults?error_rate=&rate_429=&latency_ms=&retry_after=&reset_rate=&stall_ms=
                   &stall_rate=&truncate_rate=&trickle_rate=&trickle_ms=&stall_body_rate=
                   &stall_body_ms=&unauthorized=0|1&refuse_after=&smpp_stall_ms=
                   &smpp_drop_after=
                   (only the given ones change; refuse_after counts from now and, like
                   /_sim/refuse, needs --control-port); answers the settings in force,
                   with "refuse_after" the proxy calls left and "refusing"
  POST /_sim/refuse  close the API port now (needs --control-port)
  POST /_sim/resume  reopen the API port on the same address and disarm refuse_after
  GET  /_sim/stats   per endpoint and answer; SMPP as "smpp:submit_sm" -> "ESME_ROK", ...
)" + webhookEndpointsUsage();
}

}  // namespace mobisync::sim
