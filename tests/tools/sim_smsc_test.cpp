// SPDX-License-Identifier: Apache-2.0
// The simulator's SMSC (--smpp-port) against a raw-socket ESME built on the project's codec:
// binds, submits, receipts, reassembly, passwords and flags.
#include <doctest/doctest.h>

#include "sim_smsc_fixture.hpp"

using namespace sim_smsc_fixture;

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
