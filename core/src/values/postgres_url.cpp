// SPDX-License-Identifier: Apache-2.0
// The PostgreSQL state url, checked before any connection (also by the config checker, which
// must not need a database library).
#include "values/postgres_url.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>

namespace mobisync::values {

std::optional<PostgresUrl> parsePostgresUrl(const std::string& url, std::string& error) {
  Poco::URI uri;
  try {
    uri = Poco::URI(url);
  } catch (const Poco::Exception& e) {
    error = "not a url: " + e.message();
    return std::nullopt;
  }
  if (uri.getScheme() != "postgresql" && uri.getScheme() != "postgres") {
    error = "expected a url starting postgresql://";
    return std::nullopt;
  }
  PostgresUrl out;
  const std::string& info = uri.getUserInfo();
  if (info.find(':') != std::string::npos) {
    error = "the url must not contain a password; set password_env or password_file";
    return std::nullopt;
  }
  out.user = info;
  out.host = uri.getHost();
  if (out.host.empty()) {
    error = "the url names no host";
    return std::nullopt;
  }
  if (uri.getPort() != 0) out.port = uri.getPort();
  out.database = uri.getPath();
  if (!out.database.empty() && out.database.front() == '/') out.database.erase(0, 1);
  if (out.database.empty() || out.database.find('/') != std::string::npos) {
    error = "the url names no database (postgresql://user@host:port/database)";
    return std::nullopt;
  }
  for (const auto& [k, v] : uri.getQueryParameters()) {
    if (k == "password") {
      error = "the url must not contain a password; set password_env or password_file";
      return std::nullopt;
    }
    out.params.emplace_back(k, v);
  }
  return out;
}

}  // namespace mobisync::values
