// SPDX-License-Identifier: Apache-2.0
// The webhook plugin's own test, with the SDK's testing kit (mobisync/plugin/testing.hpp) and no
// test framework; exit 0 means passed.
#include <iostream>
#include <string>

#include <Poco/Net/ServerSocket.h>

#include <mobisync/plugin/testing.hpp>

// The plugin's descriptor, from webhook_notifier.cpp, which this test links.
const mobisync::plugin::Descriptor* webhookDescriptor();

namespace {

namespace plugin = mobisync::plugin;
int failures = 0;

void check(bool ok, const std::string& what) {
  if (!ok) {
    ++failures;
    std::cerr << "FAILED: " << what << "\n";
  }
}

/// init()s a fresh instance with `config`, runs `use` on it, and shuts it down.
template <class F>
mobisync::Status withNotifier(const plugin::ConfigValues& config, F use) {
  const plugin::Descriptor& d = *webhookDescriptor();
  plugin::testing::TestContext context(config, d.name, "alerts");
  plugin::Plugin* instance = d.create();
  auto& notifier = dynamic_cast<plugin::Notifier&>(*instance);
  mobisync::Status s = notifier.init(context);
  if (s) use(notifier);
  notifier.shutdown();
  d.destroy(instance);
  return s;
}

}  // namespace

int main() {
  const plugin::Descriptor& descriptor = *webhookDescriptor();

  // An https url is refused at init, naming where it was written.
  plugin::testing::ConfigBuilder https(descriptor);
  https.set("url", "https://127.0.0.1:1/", "mobisync.toml:2:1");
  const mobisync::Status refused = withNotifier(https, [](plugin::Notifier&) {});
  check(refused.code() == mobisync::Errc::InvalidConfig, "https is a config error");
  check(refused.message() ==
            "mobisync.toml:2:1: url: expected an http:// URL, found \"https://127.0.0.1:1/\"",
        "the refusal names the key: " + refused.message());

  // Nothing listens on a port just closed: the send is unavailable, not a verdict on the message.
  std::string url;
  {
    Poco::Net::ServerSocket closed(Poco::Net::SocketAddress("127.0.0.1", 0));
    url = "http://127.0.0.1:" + std::to_string(closed.address().port()) + "/";
  }
  plugin::testing::ConfigBuilder config(descriptor);
  config.set("url", url);
  check(config.values().integer("timeout_ms") == 5000, "the schema's default timeout applies");
  const mobisync::Status init = withNotifier(config, [&](plugin::Notifier& notifier) {
    auto sent = notifier.send({"447930000001", "hello", "Mobisync", "r-1"});
    check(!sent.has_value(), "no delivery without a receiver");
    if (!sent.has_value()) {
      check(sent.error().code() == mobisync::Errc::Unavailable, "unavailable is retryable");
      check(sent.error().message().rfind(url, 0) == 0, "the error names the URL");
    }
  });
  check(init.isOk(), "an http URL passes init: " + init.message());

  std::cout << (failures == 0 ? "webhook_notifier_test: passed\n"
                              : "webhook_notifier_test: FAILED\n");
  return failures == 0 ? 0 : 1;
}
