// SPDX-License-Identifier: Apache-2.0
// Helpers for the simulator's HTTP tests: proxy calls and JSON fields of an answer.
#pragma once

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/URI.h>
#include <doctest/doctest.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <optional>
#include <thread>

#include "support/process.hpp"
#include "support/simulator_process.hpp"
#include "support/temp_dir.hpp"

namespace sim_test_fixture {

using mobisync::test::HttpReply;
using mobisync::test::SimulatorOptions;
using mobisync::test::SimulatorProcess;
using Subscriptions = std::map<std::string, std::set<std::string>>;

struct ProxyCall {
  std::string op = "create";
  std::string msisdn = "447700900001";
  std::string applications = "contacts:42";
  std::optional<std::string> name;
  std::optional<std::string> reference;
  std::string username = "demo";
  std::string password = "demo-secret";
};

inline std::string pathOf(const ProxyCall& c) {
  Poco::URI uri("/api/contacts/" + c.op);
  uri.addQueryParameter("username", c.username);
  uri.addQueryParameter("password", c.password);
  uri.addQueryParameter("msisdn", c.msisdn);
  uri.addQueryParameter("applications", c.applications);
  if (c.name) {
    uri.addQueryParameter("name", *c.name);
  }
  if (c.reference) {
    uri.addQueryParameter("reference", *c.reference);
  }
  return uri.getPathAndQuery();
}

inline HttpReply proxy(SimulatorProcess& sim, const ProxyCall& c) {
  return sim.call("GET", pathOf(c));
}

inline Poco::JSON::Object::Ptr json(const std::string& body) {
  return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
}

inline std::string field(const std::string& body, const std::string& key) {
  return json(body)->getValue<std::string>(key);
}

}  // namespace sim_test_fixture
