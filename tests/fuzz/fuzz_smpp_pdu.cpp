// SPDX-License-Identifier: Apache-2.0
// Fuzzes the SMPP framer and PDU decoder over a byte stream as a peer could send it. Every
// frame the framer yields is decoded; a PDU that decodes must encode again, and that encoding
// must decode to the same body and header fields (the codec loses nothing it accepted).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "smpp_pdu/codec.hpp"
#include "smpp_pdu/framer.hpp"

namespace smpp = mobisync::smpp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view stream(reinterpret_cast<const char*>(data), size);
  smpp::Framer framer(4096);
  // Feed in uneven pieces so frames straddle reads, as they do on a socket.
  std::size_t pos = 0;
  std::size_t piece = 1;
  std::string frame;
  while (true) {
    if (pos < stream.size()) {
      const std::size_t n = std::min(piece, stream.size() - pos);
      framer.feed(stream.substr(pos, n));
      pos += n;
      piece = piece * 3 % 61 + 1;
    }
    const smpp::Framer::State s = framer.next(frame);
    if (s == smpp::Framer::State::Broken) {
      if (framer.problem().empty()) std::abort();
      break;
    }
    if (s == smpp::Framer::State::NeedMore) {
      if (pos >= stream.size()) break;
      continue;
    }
    if (frame.size() < 16) std::abort();
    smpp::Decoded d = smpp::decode(frame);
    if (!d) {
      if (d.error.message().empty()) std::abort();
      continue;
    }
    smpp::Encoded e = smpp::encode(*d.pdu);
    if (!e) continue;  // e.g. a field the decoder accepts at a length the encoder refuses
    smpp::Decoded again = smpp::decode(e.bytes);
    if (!again) std::abort();
    if (again.pdu->body != d.pdu->body) std::abort();
    if (again.pdu->header.command_id != d.pdu->header.command_id ||
        again.pdu->header.command_status != d.pdu->header.command_status ||
        again.pdu->header.sequence_number != d.pdu->header.sequence_number) {
      std::abort();
    }
  }
  return 0;
}
