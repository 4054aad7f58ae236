// SPDX-License-Identifier: Apache-2.0
// Command-line options of mobivate-sim and their parser.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace mobisync::sim {

/// Everything the command line can set; the defaults are the documented ones. Plain value.
struct SimOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string base_path;  // "/gw": the provider APIs only below it; "" at the root
  std::string username = "demo";
  std::string password = "demo-secret";
  int latency_ms = 0;
  double error_rate = 0;
  double rate_429 = 0;
  int retry_after_s = 1;
  double reset_rate = 0;
  int stall_ms = 0;
  double stall_rate = 0;
  double truncate_rate = 0;
  double trickle_rate = 0;
  int trickle_ms = 500;
  double stall_body_rate = 0;
  int stall_body_ms = 60000;
  bool unauthorized = false;
  int refuse_after = 0;    // 0: never
  int control_port = -1;   // -1: no control port; 0: any free port
  std::string tls_cert;  // both set: serve HTTPS with this PEM certificate and key
  std::string tls_key;
  std::vector<std::string> reject_msisdn_prefixes;
  std::string proxy_body;  // "", "array" or "huge": see ProxyAccount::foreign_body
  std::string api_key = "sim-api-key";       // Bearer key of the JSON and HLR APIs
  std::vector<std::string> optouts;          // recipients that opted out (send APIs)
  std::vector<std::string> hlr_inactive;     // numbers the HLR reports as absent
  int smpp_port = -1;  // -1: no SMSC; 0: any free port
  std::string smpp_password;  // empty: the account password
  int dlr_delay_ms = 100;
  int smpp_window = 10;
  int smpp_rate = 20;
  int smpp_max_binds = 3;
  int smpp_drop_after = 0;
  int smpp_stall_ms = 0;
  std::vector<std::string> smpp_reject_prefixes;
  // Delivery receipts posted to a callbackURL or the registered receipt webhook (JSON API).
  int receipt_delay_min_ms = 200;
  int receipt_delay_max_ms = 1000;
  double receipt_loss_rate = 0;        // a post is not made
  double receipt_repeat_rate = 0;      // a post is made twice
  double receipt_undelivered_rate = 0; // the final status is Undelivered, not Delivered
  unsigned seed = 1;
  int threads = 64;
  bool quiet = false;
  bool help = false;
};

/// A command line the simulator cannot run with; what() is the message for the user.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Parses the arguments after argv[0]. Accepts `--flag value` and `--flag=value`.
/// @throws UsageError naming the flag and the problem.
SimOptions parseSimOptions(const std::vector<std::string>& args);

/// The `--help` text.
std::string simUsage();

}  // namespace mobisync::sim
