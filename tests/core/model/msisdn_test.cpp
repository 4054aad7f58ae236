// SPDX-License-Identifier: Apache-2.0
// MsisdnNormalizer: the spellings people type, the provider's E.164 form, and clear rejections.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "model/msisdn.hpp"

using mobisync::Errc;
using mobisync::model::LineType;
using mobisync::model::MsisdnNormalizer;

namespace {

std::string normalized(const MsisdnNormalizer& n, std::string_view raw) {
  auto r = n.normalize(raw);
  if (!r) return "error: " + r.error().message();
  return *r;
}

std::string reason(const MsisdnNormalizer& n, std::string_view raw) {
  auto r = n.normalize(raw);
  if (r) return "accepted as " + *r;
  CHECK(r.error().code() == Errc::Rejected);
  return r.error().message();
}

}  // namespace

TEST_SUITE("core.model") {
  TEST_CASE("a GB number in any common spelling normalises to E.164 digits without plus") {
    const MsisdnNormalizer gb("GB");
    SUBCASE("national with trunk zero") { CHECK(normalized(gb, "07930 000000") == "447930000000"); }
    SUBCASE("national without separators") { CHECK(normalized(gb, "07930000000") == "447930000000"); }
    SUBCASE("plus international") { CHECK(normalized(gb, "+44 7930 000000") == "447930000000"); }
    SUBCASE("00 international prefix") {
      CHECK(normalized(gb, "0044 7930 000000") == "447930000000");
    }
    SUBCASE("bare country code, already in the provider's form") {
      CHECK(normalized(gb, "447930000000") == "447930000000");
    }
    SUBCASE("bare country code with spaces") {
      CHECK(normalized(gb, "44 7930 000000") == "447930000000");
    }
    SUBCASE("(0) after the country code") {
      CHECK(normalized(gb, "+44 (0) 7930 000000") == "447930000000");
    }
    SUBCASE("dashes") { CHECK(normalized(gb, "07930-000-000") == "447930000000"); }
    SUBCASE("dots and parentheses") { CHECK(normalized(gb, "(07930) 000.000") == "447930000000"); }
    SUBCASE("non-breaking spaces") {
      CHECK(normalized(gb, "07930\u00a0000\u00a0000") == "447930000000");
    }
    SUBCASE("surrounding whitespace") { CHECK(normalized(gb, " \t07930 000000\n") == "447930000000"); }
    SUBCASE("tel: URI") { CHECK(normalized(gb, "tel:+44-7930-000000") == "447930000000"); }
    SUBCASE("tel: URI, national") { CHECK(normalized(gb, "tel:07930000000") == "447930000000"); }
  }

  TEST_CASE("numbers from other countries keep their own country code") {
    const MsisdnNormalizer gb("GB");
    CHECK(normalized(gb, "+1 (202) 555-0123") == "12025550123");
    CHECK(normalized(gb, "0033 6 12 34 56 78") == "33612345678");
    CHECK(normalized(gb, "+49 30 1234567") == "49301234567");
  }

  TEST_CASE("the default region decides how national numbers are read") {
    SUBCASE("US") {
      const MsisdnNormalizer us("US");
      CHECK(us.countryCode() == 1);
      CHECK(normalized(us, "(202) 555-0123") == "12025550123");
      CHECK(normalized(us, "202.555.0123") == "12025550123");
      CHECK(normalized(us, "1-201-555-0123") == "12015550123");
      CHECK(normalized(us, "011 44 7930 000000") == "447930000000");
    }
    SUBCASE("DE") {
      const MsisdnNormalizer de("DE");
      CHECK(normalized(de, "0151 23456789") == "4915123456789");
      CHECK(normalized(de, "030 1234567") == "49301234567");
    }
    SUBCASE("FR") { CHECK(normalized(MsisdnNormalizer("FR"), "06 12 34 56 78") == "33612345678"); }
    SUBCASE("region code case is ignored") {
      const MsisdnNormalizer gb("gb");
      CHECK(gb.region() == "GB");
      CHECK(gb.countryCode() == 44);
      CHECK(normalized(gb, "07930 000000") == "447930000000");
    }
  }

  TEST_CASE("an unknown default region throws naming it") {
    CHECK_THROWS_WITH_AS(
        MsisdnNormalizer("XX"),
        "unknown region \"XX\": expected an ISO 3166 alpha-2 code such as GB or US",
        std::invalid_argument);
    CHECK_THROWS_AS(MsisdnNormalizer(""), std::invalid_argument);
    CHECK_THROWS_AS(MsisdnNormalizer("GBR"), std::invalid_argument);
    CHECK_THROWS_AS(MsisdnNormalizer("001"), std::invalid_argument);
  }

  TEST_CASE("invalid numbers are rejected with a reason a CRM admin understands") {
    const MsisdnNormalizer gb("GB");
    SUBCASE("empty") {
      CHECK(reason(gb, "") == "empty");
      CHECK(reason(gb, "   ") == "empty");
    }
    SUBCASE("not a number") {
      CHECK(reason(gb, "abc") == "not a number");
      CHECK(reason(gb, "n/a") == "not a number");
      CHECK(reason(gb, "+") == "not a number");
      CHECK(reason(gb, "0") == "not a number");
    }
    SUBCASE("letters, which the library would read as keypad digits") {
      CHECK(reason(gb, "0793O 000000") == "contains letters");
      CHECK(reason(gb, "0800 FLOWERS") == "contains letters");
    }
    SUBCASE("too short") {
      CHECK(reason(gb, "12") == "too short");
      CHECK(reason(gb, "+44 12") == "too short");
      CHECK(reason(gb, "0044") == "too short");
    }
    SUBCASE("local number without its area code") {
      CHECK(reason(MsisdnNormalizer("US"), "555-0123") == "too short (is the area code missing?)");
      CHECK(reason(gb, "793000") == "too short (is the area code missing?)");
    }
    SUBCASE("too short although the area code is there: no guess about a missing one") {
      // Issue 20: "079300" has its trunk prefix and the 7930 code; only digits are missing.
      CHECK(reason(gb, "079300") == "too short");
      CHECK(reason(gb, "+44 79300") == "too short");
      CHECK(reason(gb, "0044 79300") == "too short");
      CHECK(reason(MsisdnNormalizer("US"), "1 555-0123") == "too short");
      CHECK(reason(MsisdnNormalizer("US"), "+1 555-0123") == "too short");
    }
    SUBCASE("too long") {
      CHECK(reason(gb, "07930 0000000") == "too long");
      CHECK(reason(gb, "+1 202 555 0123 4") == "too long");
      CHECK(reason(gb, "1234567890123456789012") == "too long");
    }
    SUBCASE("right length, but no such number in the national plan") {
      CHECK(reason(gb, "07930 00000") == "not a valid number for region GB");
      CHECK(reason(gb, "+44 7930 00000") == "not a valid number for region GB");
      CHECK(reason(gb, "2025550123") == "not a valid number for region GB");
      CHECK(reason(gb, "+1 999 555 0123") == "not a valid number for country code +1");
    }
    SUBCASE("unknown country calling code") {
      CHECK(reason(gb, "+999 123 4567") == "unknown country calling code");
    }
    SUBCASE("extensions cannot be dialled by SMS or calls") {
      CHECK(reason(gb, "07930 000000 ext. 12") ==
            "has an extension; SMS and calls need a direct number");
      CHECK(reason(gb, "tel:+44-7930-000000;ext=5") ==
            "has an extension; SMS and calls need a direct number");
    }
    SUBCASE("two numbers in one field") {
      CHECK(reason(gb, "+44 7930 000000 / 07930 111111") == "too long");
    }
  }

  TEST_CASE("the rejection reason does not repeat the number") {
    const MsisdnNormalizer gb("GB");
    auto r = gb.normalize("07930 00000");
    REQUIRE_FALSE(r);
    CHECK(r.error().message().find("7930") == std::string::npos);
  }

  TEST_CASE("analyze accepts landlines and tells mobiles apart") {
    const MsisdnNormalizer gb("GB");
    SUBCASE("GB mobile") {
      auto n = gb.analyze("07930 000000");
      REQUIRE(n);
      CHECK(n->msisdn == "447930000000");
      CHECK(n->line_type == LineType::Mobile);
      CHECK(n->isMobile());
    }
    SUBCASE("GB landline is accepted, not mobile") {
      auto n = gb.analyze("020 7946 0000");
      REQUIRE(n);
      CHECK(n->msisdn == "442079460000");
      CHECK(n->line_type == LineType::FixedLine);
      CHECK_FALSE(n->isMobile());
      CHECK(normalized(gb, "020 7946 0000") == "442079460000");
    }
    SUBCASE("GB freephone is accepted as another line type") {
      auto n = gb.analyze("0800 123 456");
      REQUIRE(n);
      CHECK(n->msisdn == "44800123456");
      CHECK(n->line_type == LineType::Other);
      CHECK_FALSE(n->isMobile());
    }
    SUBCASE("US numbers may be mobile: the plan cannot tell") {
      auto n = gb.analyze("+1 202 555 0123");
      REQUIRE(n);
      CHECK(n->line_type == LineType::FixedLineOrMobile);
      CHECK(n->isMobile());
    }
    SUBCASE("invalid numbers fail as in normalize") {
      auto n = gb.analyze("12");
      REQUIRE_FALSE(n);
      CHECK(n.error().code() == Errc::Rejected);
      CHECK(n.error().message() == "too short");
    }
  }
}
