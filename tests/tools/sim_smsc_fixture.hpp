// SPDX-License-Identifier: Apache-2.0
// The simulator's SMSC tests' raw-socket ESME built on the project's codec, and PDU helpers.
#pragma once

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "smpp_pdu/codec.hpp"
#include "smpp_pdu/constants.hpp"
#include "smpp_pdu/framer.hpp"
#include "support/process.hpp"
#include "support/simulator_process.hpp"

namespace sim_smsc_fixture {

using mobisync::test::SimMessage;
using mobisync::test::SimulatorOptions;
using mobisync::test::SimulatorProcess;
namespace smpp = mobisync::smpp;
namespace cmd = smpp::cmd;
namespace status = smpp::status;

// A bare ESME: writes PDUs, reads whole PDUs; no session logic, so tests see the SMSC raw.
class Esme {
 public:
  explicit Esme(int port)
      : socket_(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port))) {
    socket_.setReceiveTimeout(Poco::Timespan(10, 0));
  }

  void send(const smpp::Pdu& pdu) { sendRaw(smpp::encode(pdu).bytes); }

  void sendRaw(const std::string& bytes) {
    socket_.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
  }

  /// The next PDU, or nullopt when the SMSC closed the connection.
  std::optional<smpp::Pdu> receive() {
    std::string frame;
    while (framer_.next(frame) != smpp::Framer::State::Frame) {
      char buffer[4096];
      int n = socket_.receiveBytes(buffer, sizeof buffer);
      if (n <= 0) {
        return std::nullopt;
      }
      framer_.feed(std::string_view(buffer, static_cast<std::size_t>(n)));
    }
    smpp::Decoded decoded = smpp::decode(frame);
    REQUIRE_MESSAGE(decoded, decoded.error.message());
    return *decoded.pdu;
  }

  smpp::Pdu expect() {
    std::optional<smpp::Pdu> pdu = receive();
    REQUIRE(pdu.has_value());
    return *pdu;
  }

  std::uint32_t bind(std::uint32_t command_id, const std::string& system_id = "demo",
                     const std::string& password = "demo-sec") {
    smpp::Bind bind;
    bind.system_id = system_id;
    bind.password = password;
    bind.system_type = "CMT";
    send(smpp::makePdu(command_id, next_++, bind));
    smpp::Pdu resp = expect();
    CHECK(resp.header.command_id == (command_id | cmd::kResponseBit));
    return resp.header.command_status;
  }

  std::uint32_t nextSequence() { return next_++; }

 private:
  Poco::Net::StreamSocket socket_;
  smpp::Framer framer_;
  std::uint32_t next_ = 1;
};

// The SMPP password field holds 8 characters, so these tests use an 8-character one.
inline SimulatorOptions smscOptions(std::vector<std::string> extra = {}) {
  SimulatorOptions options;
  options.password = "demo-sec";
  options.smsc = true;
  options.extra_args = std::move(extra);
  return options;
}

inline smpp::ShortMessage submit(const std::string& to, const std::string& payload,
                                 std::uint8_t data_coding = 0, bool receipt = true) {
  smpp::ShortMessage sm;
  sm.source_addr_ton = 5;
  sm.source_addr = "TEST";
  sm.dest_addr_ton = 1;
  sm.dest_addr_npi = 1;
  sm.destination_addr = to;
  sm.data_coding = data_coding;
  sm.registered_delivery = receipt ? 1 : 0;
  sm.short_message = payload;
  sm.tlvs.dest_subaddress = "mglobal";
  return sm;
}

// GSM-7 unpacked: ASCII letters, digits and space have the same septet values.
inline std::string septets(const std::string& ascii) { return ascii; }

inline std::string ucs2(const std::u16string& text) {
  std::string out;
  for (char16_t c : text) {
    out.push_back(static_cast<char>(c >> 8));
    out.push_back(static_cast<char>(c & 0xFF));
  }
  return out;
}

inline std::string udh(std::uint8_t reference, std::uint8_t total, std::uint8_t seqnum) {
  return std::string{0x05, 0x00, 0x03, static_cast<char>(reference), static_cast<char>(total),
                     static_cast<char>(seqnum)};
}

inline std::uint32_t submitStatus(Esme& esme, const smpp::ShortMessage& sm,
                                  std::string* id = nullptr) {
  std::uint32_t sequence = esme.nextSequence();
  esme.send(smpp::makePdu(cmd::kSubmitSm, sequence, sm));
  smpp::Pdu resp = esme.expect();
  CHECK(resp.header.command_id == cmd::kSubmitSmResp);
  CHECK(resp.header.sequence_number == sequence);
  if (id != nullptr && resp.as<smpp::MessageResp>() != nullptr) {
    *id = resp.as<smpp::MessageResp>()->message_id;
  }
  return resp.header.command_status;
}

}  // namespace sim_smsc_fixture
