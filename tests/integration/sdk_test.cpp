// SPDX-License-Identifier: Apache-2.0
// The SDK as a third party meets it: installed into a temporary prefix, examples built against it.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>

#include "mobisync/build_info.hpp"
#include "mobisync/plugin/testing.hpp"
#include "installed_sdk.hpp"
#include "plugin_host/plugin_loader.hpp"
#include "support/process.hpp"
#include "support/simulator_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

namespace fs = std::filesystem;
using mobisync::test::ProcessResult;
using mobisync::test::runProcess;
using mobisync::test::TempDir;
using mobisync::test::sdk::compileAgainstPrefix;
using mobisync::test::sdk::includedHeaders;
using mobisync::test::sdk::InstalledSdk;
using mobisync::test::sdk::mentions;
using mobisync::test::sdk::mentionsToml;
using mobisync::test::sdk::slurp;

namespace {

/// A loopback HTTP receiver that records each request and answers with the next canned reply.
class Receiver {
 public:
  struct Seen {
    std::string method, uri, content_type, authorization, body;
  };
  struct Reply {
    int status;
    std::string body;
  };

  explicit Receiver(std::vector<Reply> replies) : replies_(std::move(replies)) {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    port_ = socket.address().port();
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket,
                                                      new Poco::Net::HTTPServerParams);
    server_->start();
  }
  ~Receiver() { server_->stopAll(true); }

  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::vector<Seen> seen() {
    std::lock_guard<std::mutex> lock(mutex_);
    return seen_;
  }

 private:
  class Handler : public Poco::Net::HTTPRequestHandler {
   public:
    explicit Handler(Receiver& r) : r_(r) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
      Seen s{request.getMethod(), request.getURI(), request.getContentType(),
             request.get("Authorization", ""),
             std::string((std::istreambuf_iterator<char>(request.stream())), {})};
      Reply reply{500, "no reply left"};
      {
        std::lock_guard<std::mutex> lock(r_.mutex_);
        r_.seen_.push_back(std::move(s));
        if (r_.next_ < r_.replies_.size()) reply = r_.replies_[r_.next_++];
      }
      response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
      response.setContentType("application/json");
      response.sendBuffer(reply.body.data(), reply.body.size());
    }

   private:
    Receiver& r_;
  };
  class Factory : public Poco::Net::HTTPRequestHandlerFactory {
   public:
    explicit Factory(Receiver& r) : r_(r) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
      return new Handler(r_);
    }

   private:
    Receiver& r_;
  };

  std::mutex mutex_;
  std::vector<Reply> replies_;
  std::size_t next_ = 0;
  std::vector<Seen> seen_;
  int port_ = 0;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace

TEST_SUITE("integration.sdk") {
  TEST_CASE("every installed SDK header compiles alone and pulls in no toml++") {
    InstalledSdk sdk;
    std::vector<std::string> headers;
    for (const auto& e : fs::recursive_directory_iterator(sdk.prefix() + "/include/mobisync")) {
      if (e.path().extension() == ".hpp") {
        headers.push_back(fs::relative(e.path(), sdk.prefix() + "/include").string());
      }
    }
    std::sort(headers.begin(), headers.end());
    for (const char* expected :
         {"mobisync/build_info.hpp", "mobisync/plugin/abi.hpp", "mobisync/plugin/entry.hpp",
          "mobisync/plugin/plugin.hpp", "mobisync/plugin/config_schema.hpp",
          "mobisync/plugin/config_values.hpp", "mobisync/plugin/context.hpp",
          "mobisync/plugin/testing.hpp",
          "mobisync/model/contact.hpp", "mobisync/status.hpp", "mobisync/result.hpp"}) {
      CHECK_MESSAGE(std::find(headers.begin(), headers.end(), expected) != headers.end(),
                    expected << " is not installed");
    }
    std::string tu;
    for (const auto& h : headers) tu += "#include <" + h + ">\n";
    const std::string tu_path = sdk.dir().write("all_headers.cpp", tu);

    ProcessResult r = compileAgainstPrefix(sdk.prefix(), tu_path);
    INFO(tu << r.err);
    REQUIRE(r.exit_code == 0);
    std::vector<std::string> included = includedHeaders(r.err);
    REQUIRE(included.size() > headers.size());
    CHECK_FALSE(mentionsToml(included));
    // The testing kit works with any test framework, so it brings none.
    CHECK_FALSE(mentions(included, "doctest"));
    for (const auto& h : included) {
      // Every mobisync header comes from the prefix: none from the source or the build tree.
      if (h.find("/mobisync/") != std::string::npos) {
        CHECK_MESSAGE(h.rfind(sdk.prefix() + "/include/mobisync/", 0) == 0, h);
      }
    }

    // The check itself can fail: a TU that does include toml++ is caught.
    const std::string with_toml = sdk.dir().write("with_toml.cpp", "#include <toml++/toml.h>\n");
    ProcessResult control = compileAgainstPrefix(sdk.prefix(), with_toml);
    REQUIRE(control.exit_code == 0);
    CHECK(mentionsToml(includedHeaders(control.err)));
  }

  TEST_CASE("the installed package refuses a request for a newer SDK minor") {
    InstalledSdk sdk;
    TempDir project;
    project.write("CMakeLists.txt",
                  "cmake_minimum_required(VERSION 3.21)\nproject(p LANGUAGES CXX)\n"
                  "find_package(mobisync " +
                      std::to_string(mobisync::kSdkVersionMajor) + "." +
                      std::to_string(mobisync::kSdkVersionMinor + 1) + " REQUIRED)\n");
    ProcessResult r =
        runProcess({MOBISYNC_CMAKE_COMMAND, "-S", project.path(), "-B", project.file("build"), "-G",
                    MOBISYNC_CMAKE_GENERATOR, "-DCMAKE_PREFIX_PATH=" + sdk.prefix(),
                    "-DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF"});
    INFO(r.out << r.err);
    CHECK(r.exit_code != 0);
    CHECK(r.err.find(std::string("version: ") + mobisync::kSdkVersion) != std::string::npos);
  }

  TEST_CASE("the installed host finds the plugins installed beside it wherever the prefix is") {
    InstalledSdk sdk;
    ProcessResult r = runProcess({sdk.host(), "plugins", "list"},
                                 {{"MOBISYNC_CONFIG", sdk.dir().file("no-such.toml")}});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find(sdk.pluginDir() + "/mobisync_plugin_csv.so\n") != std::string::npos);
  }

  TEST_CASE(
      "the jsonl example builds against the installed SDK and syncs with the installed host") {
    InstalledSdk sdk;
    const std::string build = sdk.buildExample("jsonl-source");
    // The example's own test, written with the installed testing kit, passes.
    ProcessResult own_test = runProcess({build + "/jsonl_source_test", sdk.dir().path()});
    INFO(own_test.out << own_test.err);
    CHECK(own_test.exit_code == 0);
    CHECK(own_test.out == "jsonl_source_test: passed\n");
    // docs/plugin-authors.md shows this test's core: the file must still hold it word for word.
    const std::string docs = slurp(mobisync::test::sourceDir() + "/docs/plugin-authors.md");
    const std::size_t marker =
        docs.find("An excerpt of examples/jsonl-source/jsonl_source_test.cpp");
    REQUIRE(marker != std::string::npos);
    const std::size_t start = docs.find("```cpp\n", marker) + 7;
    const std::string excerpt = docs.substr(start, docs.find("```", start) - start);
    CHECK(excerpt.size() > 200);
    CHECK(slurp(mobisync::test::sourceDir() + "/examples/jsonl-source/jsonl_source_test.cpp")
              .find(excerpt) != std::string::npos);

    ProcessResult list = runProcess(
        {sdk.host(), "plugins", "list", "--plugin-dir", sdk.pluginDir(), "--plugin-dir", build});
    INFO(list.out << list.err);
    REQUIRE(list.exit_code == 0);
    CHECK(list.out.find(std::string("jsonl       source    0.1.0     ") + mobisync::kSdkVersion +
                        "   " + build + "/mobisync_plugin_jsonl.so\n") != std::string::npos);
    CHECK(list.out.find(sdk.pluginDir() + "/mobisync_plugin_csv.so\n") != std::string::npos);
    CHECK(list.out.find("refused") == std::string::npos);

    mobisync::test::SimulatorProcess sim;
    TempDir work;
    work.write("mobisync.toml",
               "[provider]\nbase_url = \"" + sim.baseUrl() +
                   "\"\nusername = \"demo\"\npassword_env = \"MOBIVATE_PASSWORD\"\n\n"
                   "[state]\npath = \"state.db\"\n\n[plugins]\ndirs = [\"" +
                   build +
                   "\"]\n\n[[source]]\nname = \"people\"\nplugin = \"jsonl\"\n"
                   "path = \"people.jsonl\"\n\n[[job]]\nname = \"people\"\nsource = \"people\"\n"
                   "default_region = \"GB\"\napplications = [\"contacts:42\"]\n");
    work.write("people.jsonl",
               "{\"msisdn\": \"07930 000001\", \"name\": \"Ann\", \"reference\": \"A1\"}\n"
               "\n"
               "{\"msisdn\": 447930000002, \"name\": \"Bob\", "
               "\"applications\": [\"contacts:42\", \"recurring:7\"]}\n"
               "{\"msisdn\": \"+44 7930 000003\", \"team\": \"north\"}\n"
               "{\"name\": \"Nobody\"}\n"
               "{not json\n");
    ProcessResult sync = runProcess({sdk.host(), "sync", "-c", work.file("mobisync.toml")},
                                    {{"MOBIVATE_PASSWORD", "demo-secret"}});
    INFO(sync.out << sync.err);
    REQUIRE(sync.exit_code == 0);
    CHECK(sim.subscriptions() == std::map<std::string, std::set<std::string>>{
                                     {"447930000001", {"contacts:42"}},
                                     {"447930000002", {"contacts:42", "recurring:7"}},
                                     {"447930000003", {"contacts:42"}}});
    const std::string rejects = slurp(work.file("people.rejects.csv"));
    INFO(rejects);
    CHECK(rejects.find("people.jsonl:5") != std::string::npos);
    CHECK(rejects.find("no \"\"msisdn\"\" member") != std::string::npos);
    CHECK(rejects.find("people.jsonl:6") != std::string::npos);
    CHECK(rejects.find("not a JSON object") != std::string::npos);
  }

  TEST_CASE(
      "the webhook example built against the installed SDK posts JSON and reports each outcome") {
    InstalledSdk sdk;
    const std::string build = sdk.buildExample("webhook-notifier");
    ProcessResult own_test = runProcess({build + "/webhook_notifier_test"});
    INFO(own_test.out << own_test.err);
    CHECK(own_test.exit_code == 0);
    CHECK(own_test.out == "webhook_notifier_test: passed\n");
    Receiver receiver({{200, R"({"id": "m-1"})"}, {503, "busy"}, {400, "bad number"}});

    mobisync::plugin_host::PluginLoader loader({build});
    auto instance = loader.create("webhook", mobisync::plugin::Kind::Notifier);
    auto& notifier = static_cast<mobisync::plugin::Notifier&>(*instance);
    mobisync::plugin::ConfigValues values;
    values.set("url", receiver.url("/hooks/sms?from=mobisync"), "test.toml:2:1");
    values.set("token", std::string("t0ken"), "");
    values.set("timeout_ms", std::int64_t{5000}, "");
    mobisync::plugin::testing::TestContext ctx(values, "webhook", "alerts");
    REQUIRE(notifier.init(ctx).isOk());

    mobisync::plugin::Message message{"447930000001", "Sync done: 3 added", "Mobisync", "run-1"};
    auto ok = notifier.send(message);
    REQUIRE(ok.has_value());
    CHECK(ok->outcome == mobisync::plugin::Delivery::Outcome::Ok);
    CHECK(ok->message_id == "m-1");
    auto retry = notifier.send(message);
    REQUIRE(retry.has_value());
    CHECK(retry->outcome == mobisync::plugin::Delivery::Outcome::Retry);
    CHECK(retry->detail.rfind("HTTP 503", 0) == 0);
    auto drop = notifier.send(message);
    REQUIRE(drop.has_value());
    CHECK(drop->outcome == mobisync::plugin::Delivery::Outcome::Drop);
    notifier.shutdown();

    auto seen = receiver.seen();
    REQUIRE(seen.size() == 3);
    CHECK(seen[0].method == "POST");
    CHECK(seen[0].uri == "/hooks/sms?from=mobisync");
    CHECK(seen[0].content_type == "application/json");
    CHECK(seen[0].authorization == "Bearer t0ken");
    Poco::JSON::Parser parser;
    auto body = parser.parse(seen[0].body).extract<Poco::JSON::Object::Ptr>();
    CHECK(body->getValue<std::string>("to") == "447930000001");
    CHECK(body->getValue<std::string>("text") == "Sync done: 3 added");
    CHECK(body->getValue<std::string>("originator") == "Mobisync");
    CHECK(body->getValue<std::string>("reference") == "run-1");

    // An https url is refused at init, naming where it was written.
    auto https_instance = loader.create("webhook", mobisync::plugin::Kind::Notifier);
    mobisync::plugin::ConfigValues https;
    https.set("url", std::string("https://127.0.0.1:1/"), "test.toml:2:1");
    https.set("timeout_ms", std::int64_t{5000}, "");
    mobisync::plugin::testing::TestContext https_ctx(https, "webhook", "alerts");
    mobisync::Status refused = https_instance->init(https_ctx);
    CHECK(refused.code() == mobisync::Errc::InvalidConfig);
    CHECK(refused.message() ==
          "test.toml:2:1: url: expected an http:// URL, found \"https://127.0.0.1:1/\"");
    https_instance->shutdown();

    // The installed host checks the example's keys by their types before any init(): a URL
    // holding a password and a zero timeout do not pass `check`, and the password is not shown.
    TempDir work;
    work.write("people.csv", "msisdn\n447930000001\n");
    const std::string config = work.write(
        "mobisync.toml",
        "[provider]\nbase_url = \"http://127.0.0.1:9\"\nusername = \"demo\"\npassword_env = \"PW\"\n"
        "\n[[source]]\nname = \"people\"\nplugin = \"csv\"\npath = \"people.csv\"\n"
        "\n[[job]]\nname = \"people\"\nsource = \"people\"\ndefault_region = \"GB\"\n"
        "applications = [\"contacts:42\"]\n"
        "\n[[notifier]]\nname = \"alerts\"\nplugin = \"webhook\"\n"
        "url = \"http://hooks:s3cret@127.0.0.1:1/\"\ntimeout_ms = 0\n");
    ProcessResult check = runProcess({sdk.host(), "check", "-c", config, "--plugin-dir",
                                      sdk.pluginDir(), "--plugin-dir", build},
                                     {{"PW", "x"}});
    const std::string said = check.out + check.err;
    INFO(said);
    CHECK(check.exit_code == 78);
    CHECK(said.find(config + ":20:7: notifier.alerts.url: must not hold a user name or password") !=
          std::string::npos);
    CHECK(said.find(config + ":21:14: notifier.alerts.timeout_ms: must be between 1 and 86400000, "
                             "got 0") != std::string::npos);
    CHECK(said.find("s3cret") == std::string::npos);

    // A port that was just closed: nothing listens there.
    std::string url;
    {
      Poco::Net::ServerSocket closed(Poco::Net::SocketAddress("127.0.0.1", 0));
      url = "http://127.0.0.1:" + std::to_string(closed.address().port()) + "/";
    }
    auto unreachable_instance = loader.create("webhook", mobisync::plugin::Kind::Notifier);
    auto& unreachable = static_cast<mobisync::plugin::Notifier&>(*unreachable_instance);
    mobisync::plugin::ConfigValues closed_values;
    closed_values.set("url", url, "");
    closed_values.set("timeout_ms", std::int64_t{5000}, "");
    mobisync::plugin::testing::TestContext closed_ctx(closed_values, "webhook", "alerts");
    REQUIRE(unreachable.init(closed_ctx).isOk());
    auto result = unreachable.send({"447930000001", "hello", "Mobisync", "r"});
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().code() == mobisync::Errc::Unavailable);
    CHECK(result.error().message().rfind(url, 0) == 0);
    unreachable.shutdown();
  }
}
