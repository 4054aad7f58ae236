// SPDX-License-Identifier: Apache-2.0
// The jsonl plugin's own test, with the SDK's testing kit (mobisync/plugin/testing.hpp) and no
// test framework: run it as `jsonl_source_test <dir with contacts.jsonl>`; exit 0 means passed.
#include <fstream>
#include <iostream>
#include <string>

#include <mobisync/plugin/testing.hpp>

// The plugin's descriptor, from jsonl_source.cpp, which this test links.
const mobisync::plugin::Descriptor* jsonlDescriptor();

namespace {

int failures = 0;

void check(bool ok, const std::string& what) {
  if (!ok) {
    ++failures;
    std::cerr << "FAILED: " << what << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  namespace testing = mobisync::plugin::testing;
  if (argc != 2) {
    std::cerr << "usage: jsonl_source_test <scratch dir>\n";
    return 2;
  }
  const std::string dir = argv[1];
  std::ofstream(dir + "/people.jsonl") << "{\"msisdn\": \"07930 000001\", \"name\": \"Ann\"}\n"
                                       << "\n"
                                       << "{\"tel\": 447930000002, \"applications\": [\"a:1\"]}\n"
                                       << "{not json\n";

  // The values the host would pass: the schema's defaults, then what a config file would say.
  // "people.jsonl" is relative, so it resolves against `dir` as the host resolves it against
  // the config file's folder.
  const mobisync::plugin::Descriptor& descriptor = *jsonlDescriptor();
  testing::ConfigBuilder config(descriptor, dir);
  config.set("path", "people.jsonl", "mobisync.toml:9:1");
  check(config.values().string("name_field") == "name", "the schema's default applies");
  config.set("msisdn_field", "tel");

  testing::TestContext context(config, descriptor.name, "people");
  testing::RecordingSink sink;
  mobisync::plugin::Plugin* plugin = descriptor.create();
  auto& source = dynamic_cast<mobisync::plugin::Source&>(*plugin);
  const mobisync::Status status = testing::runSource(source, context, sink);
  descriptor.destroy(plugin);

  check(status.isOk(), "the read succeeds: " + status.message());
  check(sink.contacts.size() == 1, "one line has the \"tel\" member");
  check(sink.has("447930000002"), "a number member reads as its digits");
  check(sink.contacts.at(0).applications.size() == 1, "the applications array is read");
  check(sink.contacts.at(0).position == dir + "/people.jsonl:3", "the position names the line");
  check(sink.rejects.size() == 2, "the line without \"tel\" and the broken line are rejected");
  check(sink.rejects.at(0).reason == "no \"tel\" member", "the reason names the member");
  check(sink.rejects.at(1).reason.rfind("not a JSON object", 0) == 0, "broken JSON is named");

  // A refused key names where it was written, as the host's messages do.
  testing::ConfigBuilder empty(descriptor, dir);
  empty.set("path", "people.jsonl").set("msisdn_field", "", "mobisync.toml:10:1");
  testing::TestContext refused_context(empty, descriptor.name, "people");
  plugin = descriptor.create();
  const mobisync::Status refused = plugin->init(refused_context);
  plugin->shutdown();
  descriptor.destroy(plugin);
  check(refused.message() == "mobisync.toml:10:1: msisdn_field: must not be empty",
        "init names the key: " + refused.message());

  std::cout << (failures == 0 ? "jsonl_source_test: passed\n" : "jsonl_source_test: FAILED\n");
  return failures == 0 ? 0 : 1;
}
