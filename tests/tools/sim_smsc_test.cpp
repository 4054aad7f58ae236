// SPDX-License-Identifier: Apache-2.0
// The simulator's SMSC (--smpp-port) against a raw-socket ESME built on the project's codec.
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

namespace {

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
SimulatorOptions smscOptions(std::vector<std::string> extra = {}) {
  SimulatorOptions options;
  options.password = "demo-sec";
  options.smsc = true;
  options.extra_args = std::move(extra);
  return options;
}

smpp::ShortMessage submit(const std::string& to, const std::string& payload,
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
std::string septets(const std::string& ascii) { return ascii; }

std::string ucs2(const std::u16string& text) {
  std::string out;
  for (char16_t c : text) {
    out.push_back(static_cast<char>(c >> 8));
    out.push_back(static_cast<char>(c & 0xFF));
  }
  return out;
}

std::string udh(std::uint8_t reference, std::uint8_t total, std::uint8_t seqnum) {
  return std::string{0x05, 0x00, 0x03, static_cast<char>(reference), static_cast<char>(total),
                     static_cast<char>(seqnum)};
}

std::uint32_t submitStatus(Esme& esme, const smpp::ShortMessage& sm, std::string* id = nullptr) {
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

}  // namespace

TEST_SUITE("tools.sim.smsc") {
  TEST_CASE("a transceiver binds and submits and gets a receipt and unbinds") {
    SimulatorProcess sim(smscOptions());
    REQUIRE(sim.smppPort() > 0);
    CHECK(sim.smppPort() != sim.port());
    Esme esme(sim.smppPort());
    REQUIRE(esme.bind(cmd::kBindTransceiver) == status::kOk);
    const auto unixMs = [] {
      using namespace std::chrono;
      return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    };
    const std::int64_t before = unixMs();

    std::string id;
    REQUIRE(submitStatus(esme, submit("447930000001", septets("Hello SMSC")), &id) ==
            status::kOk);
    CHECK(!id.empty());

    smpp::Pdu dlr = esme.expect();
    REQUIRE(dlr.header.command_id == cmd::kDeliverSm);
    const smpp::ShortMessage* receipt = dlr.as<smpp::ShortMessage>();
    REQUIRE(receipt != nullptr);
    CHECK(receipt->esm_class == smpp::kEsmDeliveryReceipt);
    CHECK(receipt->source_addr == "447930000001");
    CHECK(receipt->destination_addr == "TEST");
    CHECK(receipt->short_message.rfind("id:" + id + " sub:001 dlvrd:001 submit date:", 0) == 0);
    CHECK(receipt->short_message.find(" stat:DELIVRD err:000 text:Hello SMSC") !=
          std::string::npos);
    CHECK(receipt->tlvs.receipted_message_id == id);
    CHECK(receipt->tlvs.message_state == std::optional<std::uint8_t>(2));
    esme.send(smpp::makePdu(cmd::kDeliverSmResp, dlr.header.sequence_number,
                            smpp::MessageResp{}));

    auto messages = sim.messages();
    REQUIRE(messages.size() == 1);
    CHECK(messages[0].id == id);
    CHECK(messages[0].api == "smpp");
    CHECK(messages[0].originator == "TEST");
    CHECK(messages[0].recipient == "447930000001");
    CHECK(messages[0].text == "Hello SMSC");
    CHECK(messages[0].route_id == "mglobal");
    CHECK(messages[0].parts == 1);
    CHECK(messages[0].coding == "GSM-7");
    // Benchmarks count acceptances per second from this time.
    CHECK(messages[0].accepted_at_ms >= before);
    CHECK(messages[0].accepted_at_ms <= unixMs());

    esme.send(smpp::makePdu(cmd::kEnquireLink, esme.nextSequence()));
    CHECK(esme.expect().header.command_id == cmd::kEnquireLinkResp);
    esme.send(smpp::makePdu(cmd::kUnbind, esme.nextSequence()));
    smpp::Pdu unbound = esme.expect();
    CHECK(unbound.header.command_id == cmd::kUnbindResp);
    CHECK(unbound.header.command_status == status::kOk);
    CHECK_FALSE(esme.receive().has_value());  // the SMSC closes after unbind_resp
  }

  TEST_CASE("wrong credentials and submits out of state are refused") {
    SimulatorProcess sim(smscOptions());
    Esme esme(sim.smppPort());
    CHECK(esme.bind(cmd::kBindTransmitter, "demo", "wrong") == status::kInvPaswd);
    CHECK(esme.bind(cmd::kBindTransmitter, "someone", "demo-sec") == status::kBindFail);
    CHECK(submitStatus(esme, submit("447930000001", "x")) == status::kInvBndSts);
    REQUIRE(esme.bind(cmd::kBindReceiver) == status::kOk);
    CHECK(esme.bind(cmd::kBindReceiver) == status::kAlyBnd);
    CHECK(submitStatus(esme, submit("447930000001", "x")) == status::kInvBndSts);
    CHECK(sim.messages().empty());
    CHECK(sim.stderrText().find("demo-sec") == std::string::npos);
  }

  TEST_CASE("the account has three binds and a fourth is refused until one ends") {
    SimulatorProcess sim(smscOptions());
    std::vector<std::unique_ptr<Esme>> binds;
    for (int i = 0; i < 3; ++i) {
      binds.push_back(std::make_unique<Esme>(sim.smppPort()));
      REQUIRE(binds.back()->bind(cmd::kBindTransceiver) == status::kOk);
    }
    Esme fourth(sim.smppPort());
    CHECK(fourth.bind(cmd::kBindTransmitter) == status::kBindFail);
    binds.front()->send(smpp::makePdu(cmd::kUnbind, binds.front()->nextSequence()));
    CHECK(binds.front()->expect().header.command_id == cmd::kUnbindResp);
    CHECK_FALSE(binds.front()->receive().has_value());
    // The freed bind is released once the SMSC has closed that session; poll for it.
    std::uint32_t outcome = status::kBindFail;
    for (int i = 0; i < 200 && outcome == status::kBindFail; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      outcome = fourth.bind(cmd::kBindTransmitter);
    }
    CHECK(outcome == status::kOk);
  }

  TEST_CASE("concatenated UCS-2 parts are reassembled into one recorded message") {
    SimulatorProcess sim(smscOptions());
    Esme esme(sim.smppPort());
    REQUIRE(esme.bind(cmd::kBindTransceiver) == status::kOk);
    std::u16string first(67, u'\u0416');
    std::u16string second = u"end \U0001F600";
    smpp::ShortMessage part2 = submit("447930000002", udh(7, 2, 2) + ucs2(second), 8);
    smpp::ShortMessage part1 = submit("447930000002", udh(7, 2, 1) + ucs2(first), 8);
    part1.esm_class = part2.esm_class = smpp::kEsmUdhi;
    std::string id2;
    std::string id1;
    // Out of order on purpose: the SMSC orders parts by their sequence number.
    REQUIRE(submitStatus(esme, part2, &id2) == status::kOk);
    CHECK(sim.messages().empty());
    REQUIRE(submitStatus(esme, part1, &id1) == status::kOk);
    CHECK(id1 != id2);
    auto messages = sim.messages();
    REQUIRE(messages.size() == 1);
    CHECK(messages[0].parts == 2);
    CHECK(messages[0].coding == "UCS-2");
    CHECK(messages[0].id == id1);
    std::string zhe = "\xD0\x96";
    std::string expected;
    for (int i = 0; i < 67; ++i) {
      expected += zhe;
    }
    CHECK(messages[0].text == expected + "end \xF0\x9F\x98\x80");
    // One receipt per submitted part.
    std::vector<std::string> receipted;
    for (int i = 0; i < 2; ++i) {
      smpp::Pdu dlr = esme.expect();
      REQUIRE(dlr.header.command_id == cmd::kDeliverSm);
      receipted.push_back(dlr.as<smpp::ShortMessage>()->tlvs.receipted_message_id.value_or(""));
    }
    CHECK(((receipted[0] == id1 && receipted[1] == id2) ||
           (receipted[0] == id2 && receipted[1] == id1)));
  }

  TEST_CASE("a receipt for a transmitter's submit goes to the receiver of the same account") {
    SimulatorOptions options = smscOptions({"--hlr-inactive", "447700900008"});
    SimulatorProcess sim(options);
    Esme transmitter(sim.smppPort());
    Esme receiver(sim.smppPort());
    REQUIRE(transmitter.bind(cmd::kBindTransmitter) == status::kOk);
    REQUIRE(receiver.bind(cmd::kBindReceiver) == status::kOk);
    std::string id;
    REQUIRE(submitStatus(transmitter, submit("447700900008", "Hi"), &id) == status::kOk);
    smpp::Pdu dlr = receiver.expect();
    REQUIRE(dlr.header.command_id == cmd::kDeliverSm);
    const smpp::ShortMessage* receipt = dlr.as<smpp::ShortMessage>();
    CHECK(receipt->short_message.find("id:" + id + " sub:001 dlvrd:000") == 0);
    CHECK(receipt->short_message.find("stat:UNDELIV err:001") != std::string::npos);
    CHECK(receipt->tlvs.message_state == std::optional<std::uint8_t>(5));
  }

  TEST_CASE("more than the rate in one second is answered ESME_RTHROTTLED") {
    SimulatorProcess sim(smscOptions({"--smpp-window", "100"}));
    Esme esme(sim.smppPort());
    REQUIRE(esme.bind(cmd::kBindTransmitter) == status::kOk);
    std::string burst;
    for (std::uint32_t i = 0; i < 30; ++i) {
      burst += smpp::encode(smpp::makePdu(cmd::kSubmitSm, 100 + i,
                                          submit("447930000001", "n" + std::to_string(i), 0,
                                                 false)))
                   .bytes;
    }
    esme.sendRaw(burst);  // one write: all 30 arrive well within one second
    int ok = 0;
    int throttled = 0;
    for (int i = 0; i < 30; ++i) {
      smpp::Pdu resp = esme.expect();
      ok += resp.header.command_status == status::kOk ? 1 : 0;
      throttled += resp.header.command_status == status::kThrottled ? 1 : 0;
    }
    CHECK(ok == 20);
    CHECK(throttled == 10);
    CHECK(sim.messages().size() == 20);
  }

  TEST_CASE("requests beyond the window while answers stall get ESME_RMSGQFUL") {
    SimulatorProcess sim(smscOptions({"--smpp-stall-ms", "1000"}));
    Esme esme(sim.smppPort());
    REQUIRE(esme.bind(cmd::kBindTransmitter) == status::kOk);
    std::string burst;
    for (std::uint32_t i = 0; i < 12; ++i) {
      burst += smpp::encode(smpp::makePdu(cmd::kSubmitSm, 100 + i,
                                          submit("447930000001", "w", 0, false)))
                   .bytes;
    }
    esme.sendRaw(burst);
    // The two over the window are answered at once, ahead of the ten held ones.
    for (std::uint32_t sequence : {110U, 111U}) {
      smpp::Pdu resp = esme.expect();
      CHECK(resp.header.sequence_number == sequence);
      CHECK(resp.header.command_status == status::kMsgQFul);
    }
    for (std::uint32_t i = 0; i < 10; ++i) {
      smpp::Pdu resp = esme.expect();
      CHECK(resp.header.sequence_number == 100 + i);
      CHECK(resp.header.command_status == status::kOk);
    }
  }

  TEST_CASE("smpp faults: a dropped bind and a rejected destination") {
    SimulatorProcess sim(smscOptions({"--smpp-drop-after", "2", "--smpp-reject-msisdn", "4490"}));
    Esme esme(sim.smppPort());
    REQUIRE(esme.bind(cmd::kBindTransceiver) == status::kOk);
    CHECK(submitStatus(esme, submit("449012345678", "x", 0, false)) == status::kInvDstAdr);
    CHECK(submitStatus(esme, submit("447930000001", "x", 0, false)) == status::kOk);
    esme.send(smpp::makePdu(cmd::kSubmitSm, esme.nextSequence(),
                            submit("447930000001", "y", 0, false)));
    CHECK_FALSE(esme.receive().has_value());  // closed, the third submit unanswered
    CHECK(sim.messages().size() == 1);
    // A new bind starts counting afresh.
    Esme again(sim.smppPort());
    REQUIRE(again.bind(cmd::kBindTransceiver) == status::kOk);
    CHECK(submitStatus(again, submit("447930000001", "z", 0, false)) == status::kOk);
  }

  TEST_CASE("smpp faults change at run time through /_sim/faults and answers are counted") {
    SimulatorProcess sim(smscOptions());
    sim.setFaults("smpp_drop_after=1");
    {
      Esme esme(sim.smppPort());
      REQUIRE(esme.bind(cmd::kBindTransceiver) == status::kOk);
      CHECK(submitStatus(esme, submit("447930000001", "a", 0, false)) == status::kOk);
      esme.send(smpp::makePdu(cmd::kSubmitSm, esme.nextSequence(),
                              submit("447930000001", "b", 0, false)));
      CHECK_FALSE(esme.receive().has_value());
    }
    CHECK(sim.endpointCount("smpp:bind_transceiver", "ESME_ROK") == 1);
    CHECK(sim.endpointCount("smpp:submit_sm", "ESME_ROK") == 1);
    CHECK(sim.endpointCount("smpp:submit_sm", "dropped") == 1);
    sim.setFaults("smpp_drop_after=0");
    Esme esme(sim.smppPort());
    REQUIRE(esme.bind(cmd::kBindTransceiver) == status::kOk);
    for (int i = 0; i < 3; ++i) {
      CHECK(submitStatus(esme, submit("447930000001", "c", 0, false)) == status::kOk);
    }
    CHECK(esme.bind(cmd::kBindTransceiver) == status::kAlyBnd);
    CHECK(sim.endpointCount("smpp:submit_sm", "ESME_ROK") == 4);
    CHECK(sim.endpointCount("smpp:bind_transceiver", "ESME_RALYBND") == 1);
    CHECK(sim.messages().size() == 4);
  }

  TEST_CASE("malformed PDUs get generic_nack or the matching error response") {
    SimulatorProcess sim(smscOptions());
    Esme esme(sim.smppPort());
    REQUIRE(esme.bind(cmd::kBindTransceiver) == status::kOk);
    std::string header(16, '\0');
    auto put = [&header](std::size_t at, std::uint32_t v) {
      for (int i = 0; i < 4; ++i) {
        header[at + static_cast<std::size_t>(i)] = static_cast<char>(v >> (24 - 8 * i));
      }
    };
    put(0, 16);
    put(4, 0x00000999);  // no such command
    put(8, 0);
    put(12, 78);
    esme.sendRaw(header);
    smpp::Pdu nack = esme.expect();
    CHECK(nack.header.command_id == cmd::kGenericNack);
    CHECK(nack.header.sequence_number == 78);
    CHECK(nack.header.command_status == status::kInvCmdId);
    // The SMSC is still serving.
    esme.send(smpp::makePdu(cmd::kEnquireLink, 79));
    CHECK(esme.expect().header.command_id == cmd::kEnquireLinkResp);
  }

  TEST_CASE("a separate SMPP password binds and a too long one is refused at start") {
    SimulatorOptions options;  // the default 11-character account password
    options.smsc = true;
    options.smpp_password = "smpp-pw";
    SimulatorProcess sim(options);
    Esme esme(sim.smppPort());
    CHECK(esme.bind(cmd::kBindTransceiver, "demo", "demo-sec") == status::kInvPaswd);
    CHECK(esme.bind(cmd::kBindTransceiver, "demo", "smpp-pw") == status::kOk);

    auto refused = mobisync::test::runProcess(
        {MOBISYNC_SIM_BINARY, "--smpp-port", "0", "--password", "demo-secret"}, {},
        std::chrono::seconds(10));
    CHECK(refused.exit_code == 64);
    CHECK(refused.err.find("--smpp-port: the account password has 11 characters") !=
          std::string::npos);
    CHECK(refused.err.find("demo-secret") == std::string::npos);
  }

  TEST_CASE("the smpp line follows the listening line and --help lists the SMSC flags") {
    auto help = mobisync::test::runProcess({MOBISYNC_SIM_BINARY, "--help"});
    for (const char* flag : {"--smpp-port", "--dlr-delay-ms", "--smpp-drop-after",
                             "--smpp-stall-ms", "--smpp-reject-msisdn", "--smpp-window",
                             "--smpp-rate"}) {
      CAPTURE(flag);
      CHECK(help.out.find(flag) != std::string::npos);
    }
    SimulatorProcess sim(smscOptions());
    CHECK(sim.smppPort() > 0);
    SimulatorProcess plain;
    CHECK(plain.smppPort() == 0);
  }
}
