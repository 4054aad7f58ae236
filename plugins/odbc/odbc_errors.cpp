// SPDX-License-Identifier: Apache-2.0
// Turning ODBC failures into messages that name the data source, the SQLSTATE and the driver's text.
#include "odbc_errors.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include <Poco/Data/DataException.h>
#include <Poco/Data/ODBC/ODBCException.h>

#include "mobisync/text.hpp"

namespace mobisync::plugins::odbc {

namespace {

template <class E>
bool fromRecords(const std::exception& e, Diagnostic& out) {
  const auto* h = dynamic_cast<const E*>(&e);
  if (h == nullptr || h->diagnostics().count() == 0) {
    return false;
  }
  out.sqlstate = h->diagnostics().sqlState(0);
  out.message = h->diagnostics().message(0);
  return true;
}

std::string trimmed(std::string_view s) { return std::string(text::trimSpace(s)); }

// Poco formats records as "SQLSTATE = X\nNative Error Code = N\n<message>\n\n".
bool fromText(const std::string& text, Diagnostic& out) {
  const std::size_t at = text.find("SQLSTATE = ");
  if (at == std::string::npos) {
    return false;
  }
  const std::size_t state_start = at + 11;
  const std::size_t state_end = text.find('\n', state_start);
  out.sqlstate = trimmed(text.substr(state_start, state_end - state_start));
  if (state_end == std::string::npos) {
    return true;
  }
  std::size_t message_start = state_end + 1;
  if (text.compare(message_start, 18, "Native Error Code ") == 0) {
    const std::size_t line_end = text.find('\n', message_start);
    message_start = line_end == std::string::npos ? text.size() : line_end + 1;
  }
  const std::size_t message_end = text.find("\n\n", message_start);
  out.message = trimmed(text.substr(message_start, message_end == std::string::npos
                                                       ? std::string::npos
                                                       : message_end - message_start));
  return true;
}

}  // namespace

Diagnostic diagnose(const std::exception& e) {
  using namespace Poco::Data::ODBC;
  Diagnostic d;
  if (!fromRecords<StatementException>(e, d) && !fromRecords<ConnectionException>(e, d) &&
      !fromRecords<EnvironmentException>(e, d) && !fromRecords<DescriptorException>(e, d)) {
    std::string text;
    if (const auto* p = dynamic_cast<const Poco::Exception*>(&e)) {
      text = p->displayText();
    } else {
      text = e.what();
    }
    if (!fromText(text, d)) {
      d.message = trimmed(text);
    }
  }
  // Drivers split messages over lines ("...;\nThe connection has been lost"); one line reads
  // better in a log.
  d.message = trimmed(d.message);
  std::replace(d.message.begin(), d.message.end(), '\n', ' ');
  return d;
}

Diagnostic diagnoseHandle(SQLSMALLINT handle_type, SQLHANDLE handle) {
  Diagnostic d;
  SQLCHAR state[SQL_SQLSTATE_SIZE + 1] = {};
  SQLINTEGER native = 0;
  SQLCHAR text[2048] = {};
  SQLSMALLINT length = 0;
  const SQLRETURN rc =
      SQLGetDiagRec(handle_type, handle, 1, state, &native, text, sizeof text, &length);
  if (!SQL_SUCCEEDED(rc)) {
    d.message = "the ODBC driver gave no diagnostic";
    return d;
  }
  d.sqlstate = reinterpret_cast<const char*>(state);
  d.message = trimmed(reinterpret_cast<const char*>(text));
  std::replace(d.message.begin(), d.message.end(), '\n', ' ');
  return d;
}

std::string redact(std::string text, std::string_view secret) {
  if (secret.empty()) {
    return text;
  }
  for (std::size_t at = text.find(secret); at != std::string::npos;
       at = text.find(secret, at + 3)) {
    text.replace(at, secret.size(), "***");
  }
  return text;
}

Status sourceFailure(std::string_view label, std::string_view password, const std::string& what,
                     const Diagnostic& d) {
  std::string message = "odbc: " + std::string(label) + ": " + what;
  if (!d.sqlstate.empty()) {
    message += ": SQLSTATE " + d.sqlstate;
  }
  if (!d.message.empty()) {
    message += ": " + d.message;
  }
  message = redact(std::move(message), password);
  return isConnectionLoss(d) ? Status::unavailable(std::move(message))
                             : Status::io(std::move(message));
}

std::string withoutPassword(std::string_view connection_string) {
  std::string out;
  std::size_t i = 0;
  while (i < connection_string.size()) {
    // Values in braces may hold ';' (ODBC connection string grammar).
    std::size_t end = i;
    bool braces = false;
    while (end < connection_string.size()) {
      const char c = connection_string[end];
      if (c == '{') {
        braces = true;
      } else if (c == '}') {
        braces = false;
      } else if (c == ';' && !braces) {
        break;
      }
      ++end;
    }
    const std::string_view part = connection_string.substr(i, end - i);
    const std::string_view key = part.substr(0, part.find('='));
    const std::string lower = text::lowerAscii(text::trimSpace(key));
    if (lower != "pwd" && lower != "password" && !part.empty()) {
      if (!out.empty()) {
        out += ';';
      }
      out += part;
    }
    i = end + 1;
  }
  return out;
}

bool isConnectionLoss(const Diagnostic& d) {
  // psqlODBC reports a refused password as 08001 too; retrying it cannot help.
  if (d.sqlstate.rfind("28", 0) == 0 ||
      d.message.find("authentication failed") != std::string::npos) {
    return false;
  }
  return d.sqlstate.rfind("08", 0) == 0 || d.sqlstate == "57P01" ||
         d.message.find("server closed the connection") != std::string::npos ||
         d.message.find("terminating connection") != std::string::npos;
}

}  // namespace mobisync::plugins::odbc
