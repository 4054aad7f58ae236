// SPDX-License-Identifier: Apache-2.0
// isValidUtf8: well-formed text passes, every class of RFC 3629 violation fails.
#include <doctest/doctest.h>

#include <string>

#include "utf8.hpp"

namespace mobisync::plugins::csv {
namespace {

TEST_SUITE("plugin.csv") {

TEST_CASE("utf8: well-formed text of every sequence length is valid") {
  CHECK(isValidUtf8(""));
  CHECK(isValidUtf8("plain ASCII, longer than eight bytes"));
  CHECK(isValidUtf8("Zo\xC3\xAB"));                      // U+00EB
  CHECK(isValidUtf8("\xE2\x82\xAC 5"));                  // U+20AC
  CHECK(isValidUtf8("\xF0\x9F\x93\xB1 mobile"));         // U+1F4F1
  CHECK(isValidUtf8("\xF4\x8F\xBF\xBF"));                // U+10FFFF, the last code point
  CHECK(isValidUtf8("\xED\x9F\xBF"));                    // U+D7FF, just below the surrogates
  CHECK(isValidUtf8(std::string("a\0b", 3)));            // NUL is valid UTF-8
}

TEST_CASE("utf8: malformed sequences are invalid wherever they sit") {
  CHECK_FALSE(isValidUtf8("\xFF"));
  CHECK_FALSE(isValidUtf8("abcdefgh\x80"));               // a lone continuation after a fast block
  CHECK_FALSE(isValidUtf8("\xC3"));                       // truncated at the end
  CHECK_FALSE(isValidUtf8("\xC3("));                      // continuation missing
  CHECK_FALSE(isValidUtf8("\xE2\x82"));                   // truncated 3-byte sequence
  CHECK_FALSE(isValidUtf8("\xE2\x82("));
  CHECK_FALSE(isValidUtf8("\xC0\x80"));                   // overlong NUL
  CHECK_FALSE(isValidUtf8("\xC1\xBF"));                   // overlong 2-byte
  CHECK_FALSE(isValidUtf8("\xE0\x80\xAF"));               // overlong 3-byte
  CHECK_FALSE(isValidUtf8("\xF0\x80\x80\xAF"));           // overlong 4-byte
  CHECK_FALSE(isValidUtf8("\xED\xA0\x80"));               // surrogate U+D800
  CHECK_FALSE(isValidUtf8("\xF4\x90\x80\x80"));           // above U+10FFFF
  CHECK_FALSE(isValidUtf8("\xF5\x80\x80\x80"));
  CHECK_FALSE(isValidUtf8("\xF0\x9F\x93"));               // truncated 4-byte
  CHECK_FALSE(isValidUtf8("\xF0\x9F\x93("));
  CHECK_FALSE(isValidUtf8("Latin-1 caf\xE9 is not UTF-8"));
}

}  // TEST_SUITE

}  // namespace
}  // namespace mobisync::plugins::csv
