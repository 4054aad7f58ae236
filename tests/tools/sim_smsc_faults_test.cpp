// SPDX-License-Identifier: Apache-2.0
// The simulator's SMSC (--smpp-port) under load and faults: throttling, a full window, dropped
// binds, rejected destinations and malformed PDUs.
#include <doctest/doctest.h>

#include "sim_smsc_fixture.hpp"

using namespace sim_smsc_fixture;

TEST_SUITE("tools.sim.smsc") {
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
}
