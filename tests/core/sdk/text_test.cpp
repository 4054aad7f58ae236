// SPDX-License-Identifier: Apache-2.0
// mobisync/text.hpp: excerpts and quotes for error messages, trimming, ASCII case.
#include <doctest/doctest.h>

#include <string>

#include "mobisync/text.hpp"

namespace text = mobisync::text;

TEST_CASE("excerpt keeps a short value whole and cuts a long one on a UTF-8 boundary") {
  CHECK(text::excerpt("abc") == "abc");
  CHECK(text::excerpt("a\tb") == "a\tb");
  CHECK(text::excerpt(std::string("a\0b\x1b" "c\x7f", 6)) == "a?b?c?");
  CHECK(text::excerpt("abcdef", 3) == "abc... (6 bytes)");
  // "é" is two bytes; cutting after its first byte backs up to before it.
  CHECK(text::excerpt("a\xC3\xA9z", 2) == "a... (4 bytes)");
  CHECK(text::excerpt(std::string(300, 'x')) == std::string(200, 'x') + "... (300 bytes)");
}

TEST_CASE("quoted puts the excerpt in double quotes") {
  CHECK(text::quoted("msisdn") == "\"msisdn\"");
  CHECK(text::quoted("") == "\"\"");
  CHECK(text::quoted("abcdef", 3) == "\"abc... (6 bytes)\"");
  CHECK(text::quoted("a\nb") == "\"a?b\"");
}

TEST_CASE("trimBlanks drops spaces and tabs only") {
  CHECK(text::trimBlanks(" \t a b \t ") == "a b");
  CHECK(text::trimBlanks("\na\r\n") == "\na\r\n");
  CHECK(text::trimBlanks("  ").empty());
}

TEST_CASE("trimSpace drops blanks and line breaks, as isspace does in the C locale") {
  CHECK(text::trimSpace(" \t\r\n\v\fa b\r\n") == "a b");
  CHECK(text::trimSpace("\n \n").empty());
  CHECK(text::trimSpace("").empty());
  // Non-ASCII bytes (here a no-break space in UTF-8) are text, not white space.
  CHECK(text::trimSpace("\xC2\xA0x") == "\xC2\xA0x");
  for (int c = 0; c < 256; ++c) {
    const char ch = static_cast<char>(c);
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
    CHECK_MESSAGE(text::isAsciiSpace(ch) == space, c);
  }
}

TEST_CASE("lowerAscii lowers A-Z and leaves every other byte") {
  CHECK(text::lowerAscii("PostgreSQL Unicode;PWD=X") == "postgresql unicode;pwd=x");
  CHECK(text::lowerAscii("\xC3\x89" "@[`{") == "\xC3\x89" "@[`{");
  CHECK(text::lowerAscii('Z') == 'z');
  CHECK(text::lowerAscii('z') == 'z');
}

TEST_CASE("equalsIgnoringCase compares ASCII letters without case and everything else exactly") {
  CHECK(text::equalsIgnoringCase("UTF-8", "utf-8"));
  CHECK(text::equalsIgnoringCase("", ""));
  CHECK_FALSE(text::equalsIgnoringCase("utf-8", "utf-16"));
  CHECK_FALSE(text::equalsIgnoringCase("utf8", "utf-8"));
  CHECK_FALSE(text::equalsIgnoringCase("\xC3\x89", "\xC3\xA9"));  // É and é: not ASCII
  CHECK_FALSE(text::equalsIgnoringCase("@", "`"));
}

TEST_CASE("isControlByte is the C0 controls but tab, and DEL") {
  CHECK(text::isControlByte(0x00));
  CHECK(text::isControlByte('\n'));
  CHECK(text::isControlByte(0x1B));
  CHECK(text::isControlByte(0x1F));
  CHECK(text::isControlByte(0x7F));
  CHECK_FALSE(text::isControlByte('\t'));
  CHECK_FALSE(text::isControlByte(' '));
  CHECK_FALSE(text::isControlByte('~'));
  CHECK_FALSE(text::isControlByte(0x80));
  CHECK_FALSE(text::isControlByte(0xC3));
}

TEST_CASE("upperAscii raises ASCII small letters only") {
  CHECK(text::upperAscii('a') == 'A');
  CHECK(text::upperAscii('z') == 'Z');
  CHECK(text::upperAscii('A') == 'A');
  CHECK(text::upperAscii('1') == '1');
  CHECK(text::upperAscii('\xE9') == '\xE9');
}
