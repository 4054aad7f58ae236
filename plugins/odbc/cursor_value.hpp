// SPDX-License-Identifier: Apache-2.0
// Cursor values of incremental reads: their types, normal forms and order; tombstone flags.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "row_mapping.hpp"

namespace mobisync::plugins::odbc {

/// How the cursor column's values are read, stored and compared.
enum class CursorType { Integer, Timestamp, Text };

std::optional<CursorType> parseCursorType(std::string_view name);
const char* cursorTypeName(CursorType type);

/// The normal form of a cursor cell, the one stored in the state and compared:
/// - Integer: decimal digits with an optional '-' ("42"; "42.0" from a decimal column is 42);
/// - Timestamp: UTC, "2026-11-25T09:00:00.123456Z", from "YYYY-MM-DD[T ]HH:MM[:SS[.f]]" with an
///   optional "Z" or offset ("+01", "+01:00", "-0530"); no offset means the value is UTC;
/// - Text: the cell as is (compared bytewise).
/// nullopt with `error` set when the text is not of the type.
std::optional<std::string> normaliseCursor(CursorType type, std::string_view text,
                                           std::string& error);

/// True when normal-form `a` comes after normal-form `b` in the type's order.
bool cursorAfter(CursorType type, const std::string& a, const std::string& b);

/// What a tombstone cell says. NULL, "", "0", "f", "false", "n", "no" (any case): Live;
/// "1", "t", "true", "y", "yes": Deleted; anything else: Invalid.
enum class TombstoneFlag { Live, Deleted, Invalid };
TombstoneFlag tombstoneFlag(const Cell& cell);

/// The `?` placeholders of `sql` outside quotes and comments.
std::size_t countPlaceholders(std::string_view sql);

}  // namespace mobisync::plugins::odbc
