// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <string>

#include <doctest/doctest.h>

#include "smpp_pdu/receipt_text.hpp"

using namespace mobisync::smpp;

namespace {
bool sameMessage(const std::string& a, const std::string& b) {
  auto fa = messageIdForms(a);
  auto fb = messageIdForms(b);
  return std::any_of(fa.begin(), fa.end(), [&](const std::string& f) {
    return std::find(fb.begin(), fb.end(), f) != fb.end();
  });
}
}  // namespace

TEST_SUITE("libs.smpp_pdu.receipt") {

TEST_CASE("the appendix B format parses field by field") {
  auto r = parseReceiptText(
      "id:0123456789 sub:001 dlvrd:001 submit date:2611251540 done date:2611251541 "
      "stat:DELIVRD err:000 text:Hello there");
  REQUIRE(r);
  CHECK(r->id == "0123456789");
  CHECK(r->sub == "001");
  CHECK(r->dlvrd == "001");
  CHECK(r->submit_date == "2611251540");
  CHECK(r->done_date == "2611251541");
  CHECK(r->stat == "DELIVRD");
  CHECK(r->err == "000");
  CHECK(r->text == "Hello there");
}

TEST_CASE("case and order and extra spaces and missing fields are tolerated") {
  auto r = parseReceiptText("ID:ab12  Stat:undeliv  Done Date:2611251541 ERR:034");
  REQUIRE(r);
  CHECK(r->id == "ab12");
  CHECK(r->stat == "UNDELIV");
  CHECK(r->done_date == "2611251541");
  CHECK(r->err == "034");
  CHECK(r->sub.empty());
  CHECK(r->text.empty());
  auto s = parseReceiptText("stat:EXPIRED");
  REQUIRE(s);
  CHECK(s->id.empty());
}

TEST_CASE("text runs to the end even when it looks like keys") {
  auto r = parseReceiptText("id:1 stat:DELIVRD text:id:2 stat:REJECTD");
  REQUIRE(r);
  CHECK(r->id == "1");
  CHECK(r->stat == "DELIVRD");
  CHECK(r->text == "id:2 stat:REJECTD");
}

TEST_CASE("text without id or stat is not a receipt") {
  CHECK_FALSE(parseReceiptText("Hello, how are you?"));
  CHECK_FALSE(parseReceiptText(""));
  CHECK_FALSE(parseReceiptText("valid:1 unstat:2"));
}

TEST_CASE("receipt dates become ms since the epoch") {
  CHECK(parseReceiptDate("7001010000").has_value());  // years are 2000..2099
  CHECK(*parseReceiptDate("2601010000") == 1767225600000LL);
  CHECK(*parseReceiptDate("260101000005") == 1767225605000LL);
  CHECK_FALSE(parseReceiptDate("2613010000"));
  CHECK_FALSE(parseReceiptDate("26010100"));
  CHECK_FALSE(parseReceiptDate("26010100x0"));
  CHECK_FALSE(parseReceiptDate("2602300000"));
}

TEST_CASE("message ids match across hex and decimal") {
  CHECK(sameMessage("1a2b", "6699"));
  CHECK(sameMessage("6699", "1A2B"));
  CHECK(sameMessage("0000006699", "6699"));
  CHECK(sameMessage("abc-def", "ABC-DEF"));
  CHECK_FALSE(sameMessage("1a2b", "6698"));
  CHECK_FALSE(sameMessage("abc-def", "abc-deg"));
  CHECK(sameMessage("ffffffffffffffff", "18446744073709551615"));
}

}  // TEST_SUITE
