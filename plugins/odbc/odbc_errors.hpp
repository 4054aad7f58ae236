// SPDX-License-Identifier: Apache-2.0
// Turning ODBC failures into messages that name the data source, the SQLSTATE and the driver's text.
#pragma once

#include <sql.h>

#include <exception>
#include <string>
#include <string_view>

#include "mobisync/status.hpp"

namespace mobisync::plugins::odbc {

/// The first diagnostic record of an ODBC failure.
struct Diagnostic {
  std::string sqlstate;  ///< five characters, or empty when the error carried none
  std::string message;   ///< the driver's or driver manager's text, or the exception's
};

/// Reads the diagnostics out of whatever Poco::Data threw (HandleException subclasses carry them
/// as records, ConnectionFailedException only as formatted text).
Diagnostic diagnose(const std::exception& e);

/// The first diagnostic record of an ODBC handle after a failed call (SQLGetDiagRec).
Diagnostic diagnoseHandle(SQLSMALLINT handle_type, SQLHANDLE handle);

/// `text` with every occurrence of `secret` replaced by "***" (nothing when `secret` is empty).
std::string redact(std::string text, std::string_view secret);

/// The connection string without any PWD=/Password= attribute, for messages.
std::string withoutPassword(std::string_view connection_string);

/// A failure as the source reports it: "odbc: <label>: <what>[: SQLSTATE <state>][: <message>]"
/// with `password` redacted; Unavailable when the connection was lost (isConnectionLoss), so the
/// run may be retried, else Io.
Status sourceFailure(std::string_view label, std::string_view password, const std::string& what,
                     const Diagnostic& d);

/// True for SQLSTATE classes that mean the connection itself failed or went away (08xxx, 57P01),
/// and for the "server closed the connection" cases some drivers report otherwise; false for
/// refused credentials, whatever their SQLSTATE.
bool isConnectionLoss(const Diagnostic& d);

}  // namespace mobisync::plugins::odbc
