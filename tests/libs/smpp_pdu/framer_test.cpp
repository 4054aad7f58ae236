// SPDX-License-Identifier: Apache-2.0
#include <string>

#include <doctest/doctest.h>

#include "smpp_pdu/codec.hpp"
#include "smpp_pdu/framer.hpp"

using namespace mobisync::smpp;

TEST_SUITE("libs.smpp_pdu.framer") {

TEST_CASE("a stream fed one octet at a time yields each PDU once") {
  std::string stream;
  for (std::uint32_t seq = 1; seq <= 5; ++seq) {
    stream += encode(makePdu(cmd::kSubmitSmResp, seq, MessageResp{"id" + std::to_string(seq)})).bytes;
    stream += encode(makePdu(cmd::kEnquireLink, seq + 100)).bytes;
  }
  Framer f;
  std::vector<std::uint32_t> seqs;
  std::string frame;
  for (char c : stream) {
    f.feed(std::string_view(&c, 1));
    while (f.next(frame) == Framer::State::Frame) {
      Decoded d = decode(frame);
      REQUIRE(d);
      seqs.push_back(d.pdu->header.sequence_number);
    }
  }
  CHECK(seqs == std::vector<std::uint32_t>{1, 101, 2, 102, 3, 103, 4, 104, 5, 105});
  CHECK(f.buffered() == 0);
}

TEST_CASE("many PDUs in one chunk come out in order") {
  std::string stream;
  for (std::uint32_t seq = 0; seq < 5000; ++seq) stream += encode(makePdu(cmd::kEnquireLinkResp, seq)).bytes;
  Framer f;
  f.feed(stream);
  std::string frame;
  std::uint32_t expect = 0;
  while (f.next(frame) == Framer::State::Frame) {
    CHECK(peekHeader(frame)->sequence_number == expect);
    ++expect;
  }
  CHECK(expect == 5000);
}

TEST_CASE("a command_length below 16 or above the maximum breaks the stream for good") {
  for (std::string head : {std::string("\x00\x00\x00\x0f", 4), std::string("\x00\x00\x00\x00", 4),
                           std::string("\xff\xff\xff\xff", 4), std::string("\x00\x01\x20\x00", 4)}) {
    Framer f;
    f.feed(head + std::string(12, '\0'));
    std::string frame;
    CHECK(f.next(frame) == Framer::State::Broken);
    CHECK(f.problem().find("header.command_length") == 0);
    f.feed(encode(makePdu(cmd::kEnquireLink, 1)).bytes);
    CHECK(f.next(frame) == Framer::State::Broken);
  }
}

TEST_CASE("a partial frame waits for the rest") {
  std::string pdu = encode(makePdu(cmd::kSubmitSmResp, 1, MessageResp{"abc"})).bytes;
  Framer f;
  std::string frame;
  f.feed(pdu.substr(0, 3));
  CHECK(f.next(frame) == Framer::State::NeedMore);
  f.feed(pdu.substr(3, 15));
  CHECK(f.next(frame) == Framer::State::NeedMore);
  f.feed(pdu.substr(18));
  CHECK(f.next(frame) == Framer::State::Frame);
  CHECK(frame == pdu);
  CHECK(f.next(frame) == Framer::State::NeedMore);
}

}  // TEST_SUITE
