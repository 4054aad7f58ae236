// SPDX-License-Identifier: Apache-2.0
// Cursor normal forms and order, tombstone flags and placeholder counting.
#include <doctest/doctest.h>

#include "cursor_value.hpp"

using namespace mobisync::plugins::odbc;

namespace {

std::string norm(CursorType type, const std::string& text) {
  std::string error;
  auto v = normaliseCursor(type, text, error);
  return v ? *v : "error: " + error;
}

}  // namespace

TEST_SUITE("plugin.odbc.cursor") {
  TEST_CASE("timestamps with offsets normalise to the same UTC instant") {
    CHECK(norm(CursorType::Timestamp, "2026-01-01 10:00:00+00") == "2026-01-01T10:00:00.000000Z");
    CHECK(norm(CursorType::Timestamp, "2026-01-01 12:00:00+02:00") ==
          "2026-01-01T10:00:00.000000Z");
    CHECK(norm(CursorType::Timestamp, "2026-01-01T05:30:00.5-0430") ==
          "2026-01-01T10:00:00.500000Z");
    CHECK(norm(CursorType::Timestamp, "2026-01-01 01:00:00+05") == "2025-12-31T20:00:00.000000Z");
    CHECK(norm(CursorType::Timestamp, "2024-02-28 23:00:00-02") == "2024-02-29T01:00:00.000000Z");
    CHECK(norm(CursorType::Timestamp, "2026-01-01") == "2026-01-01T00:00:00.000000Z");
    // Past microseconds the digits are dropped, never rounded up past a tie.
    CHECK(norm(CursorType::Timestamp, "2026-01-01 10:00:00.1234569Z") ==
          "2026-01-01T10:00:00.123456Z");
    CHECK(norm(CursorType::Timestamp, "yesterday").rfind("error: \"yesterday\" is not a", 0) == 0);
    CHECK(norm(CursorType::Timestamp, "2026-13-01 10:00").rfind("error:", 0) == 0);
    CHECK(norm(CursorType::Timestamp, "2026-01-01 10:00:00 UTC").rfind("error:", 0) == 0);
  }

  TEST_CASE("integer cursors compare as numbers and decimals holding integers are accepted") {
    CHECK(norm(CursorType::Integer, " 42 ") == "42");
    CHECK(norm(CursorType::Integer, "42.000") == "42");
    CHECK(norm(CursorType::Integer, "42.5").rfind("error:", 0) == 0);
    CHECK(norm(CursorType::Integer, "abc") == "error: \"abc\" is not an integer");
    // A value in an error is an excerpt, its control bytes shown as '?'.
    CHECK(norm(CursorType::Integer, std::string(1000, '7') + "x") ==
          "error: \"" + std::string(200, '7') + "... (1001 bytes)\" is not an integer");
    CHECK(norm(CursorType::Timestamp, std::string("soon\x1b[2J")).rfind("error: \"soon?[2J\"", 0) ==
          0);
    CHECK(cursorAfter(CursorType::Integer, "10", "9"));
    CHECK_FALSE(cursorAfter(CursorType::Integer, "-10", "9"));
    CHECK(cursorAfter(CursorType::Timestamp, "2026-01-01T10:00:00.000001Z",
                      "2026-01-01T10:00:00.000000Z"));
    CHECK(cursorAfter(CursorType::Text, "b", "a"));
  }

  TEST_CASE("tombstone flags read booleans in their usual spellings") {
    CHECK(tombstoneFlag(Cell{true, ""}) == TombstoneFlag::Live);
    CHECK(tombstoneFlag(Cell{false, "0"}) == TombstoneFlag::Live);
    CHECK(tombstoneFlag(Cell{false, "false"}) == TombstoneFlag::Live);
    CHECK(tombstoneFlag(Cell{false, "1"}) == TombstoneFlag::Deleted);
    CHECK(tombstoneFlag(Cell{false, " TRUE"}) == TombstoneFlag::Deleted);
    CHECK(tombstoneFlag(Cell{false, "t"}) == TombstoneFlag::Deleted);
    CHECK(tombstoneFlag(Cell{false, "maybe"}) == TombstoneFlag::Invalid);
  }

  TEST_CASE("placeholders in quotes and comments are not counted") {
    CHECK(countPlaceholders("SELECT * FROM t WHERE v >= ?") == 1);
    CHECK(countPlaceholders("SELECT '?' AS q, \"a?\" FROM t -- why?\nWHERE v >= ? /* ? */") == 1);
    CHECK(countPlaceholders("SELECT 1") == 0);
    CHECK(countPlaceholders("WHERE a >= ? OR b >= ?") == 2);
  }
}
