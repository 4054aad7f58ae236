// SPDX-License-Identifier: Apache-2.0
// The plugin host against real built libraries: the csv plugin and deliberately broken ones.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <filesystem>

#include "mobisync/plugin/testing.hpp"
#include "plugin_host/plugin_guard.hpp"
#include "plugin_host/plugin_instance.hpp"
#include "plugin_host/plugin_loader.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

namespace fs = std::filesystem;
using mobisync::plugin_host::PluginError;
using mobisync::plugin_host::PluginLoader;
using mobisync::test::badPluginDir;
using mobisync::test::pluginDir;

namespace {

std::string refusal(PluginLoader& loader, const std::string& name) {
  try {
    loader.load(name);
  } catch (const PluginError& e) {
    return e.what();
  }
  FAIL("plugin " << name << " was not refused");
  return {};
}

}  // namespace

TEST_SUITE("integration.plugin_host") {
  TEST_CASE("the built csv plugin loads and inits and fetches and shuts down") {
    PluginLoader loader({pluginDir()});
    const auto& p = loader.load("csv");
    CHECK(std::string(p.descriptor->name) == "csv");
    CHECK(p.descriptor->kind == mobisync::plugin::Kind::Source);
    CHECK(p.descriptor->config_schema_size >= 1);
    CHECK(std::string(p.descriptor->config_schema[0].name) == "path");

    mobisync::test::TempDir dir;
    dir.write("c.csv", "msisdn,name\n07930 000001,Ann\n07930 000002,Bob\n");
    // The values the host would build: the schema's defaults, and the one required key.
    mobisync::plugin::testing::ConfigBuilder values(*p.descriptor);
    values.set("path", dir.file("c.csv"));
    auto instance = loader.create("csv", mobisync::plugin::Kind::Source);
    auto& source = static_cast<mobisync::plugin::Source&>(*instance);
    mobisync::plugin::testing::TestContext ctx(values, "csv", "test");
    REQUIRE(source.init(ctx).isOk());
    mobisync::plugin::testing::RecordingSink sink;
    REQUIRE(source.fetch(sink).isOk());
    source.shutdown();
    REQUIRE(sink.contacts.size() == 2);
    CHECK(sink.contacts[1].msisdn == "07930 000002");
    CHECK(sink.contacts[1].name == "Bob");
  }

  TEST_CASE("a library without the entry symbol is refused naming the file and the symbol") {
    PluginLoader loader({badPluginDir()});
    std::string e = refusal(loader, "noentry");
    CHECK(e.find("mobisync_plugin_noentry.so") != std::string::npos);
    CHECK(e.find("the entry symbol mobisync_plugin_v1 is missing") != std::string::npos);
  }

  TEST_CASE("a descriptor with another ABI version is refused with expected and found") {
    PluginLoader loader({badPluginDir()});
    CHECK(refusal(loader, "wrongabi").find("plugin ABI version mismatch: expected 1, found 7") !=
          std::string::npos);
  }

  TEST_CASE("a plugin built for ABI 2 is recognised as such") {
    PluginLoader loader({badPluginDir()});
    CHECK(refusal(loader, "abi2").find("built for plugin ABI 2 (exports mobisync_plugin_v2)") !=
          std::string::npos);
  }

  TEST_CASE("a descriptor name that does not match the file name is refused") {
    PluginLoader loader({badPluginDir()});
    CHECK(refusal(loader, "misnamed")
              .find("plugin name mismatch: the file name says \"misnamed\", the descriptor "
                    "says \"csv\"") != std::string::npos);
  }

  TEST_CASE("a plugin built against a newer SDK minor than the host is refused with both versions") {
    PluginLoader loader({badPluginDir()});
    std::string e = refusal(loader, "newersdk");
    CHECK(e.find("mobisync_plugin_newersdk.so: ") != std::string::npos);
    CHECK(e.find(std::string("built against mobisync SDK 1.99.0, this host provides ") +
                 mobisync::kSdkVersion) != std::string::npos);
  }

  TEST_CASE("a plugin built with another standard library is refused with both ABI tags") {
    PluginLoader loader({badPluginDir()});
    std::string e = refusal(loader, "otherstdlib");
    CHECK(e.find("mobisync_plugin_otherstdlib.so: ") != std::string::npos);
    CHECK(e.find(std::string("C++ ABI mismatch: expected ") + mobisync::plugin::kAbiTag +
                 ", found itanium/") != std::string::npos);
  }

  TEST_CASE("the same plugin name in two directories is refused naming both files") {
    mobisync::test::TempDir dir;
    ::chmod(dir.path().c_str(), 0755);
    fs::copy_file(fs::path(pluginDir()) / "mobisync_plugin_csv.so",
                  fs::path(dir.path()) / "mobisync_plugin_csv.so");
    PluginLoader loader({pluginDir(), dir.path()});
    std::string e = refusal(loader, "csv");
    CHECK(e.find("duplicate plugin name \"csv\"") != std::string::npos);
    CHECK(e.find(dir.path()) != std::string::npos);
  }

  TEST_CASE("a plugin file others can write is refused") {
    mobisync::test::TempDir dir;
    ::chmod(dir.path().c_str(), 0755);
    auto copy = fs::path(dir.path()) / "mobisync_plugin_csv.so";
    fs::copy_file(fs::path(pluginDir()) / "mobisync_plugin_csv.so", copy);
    ::chmod(copy.c_str(), 0666);
    PluginLoader loader({dir.path()});
    std::string e = refusal(loader, "csv");
    CHECK(e.find("group or others can write (mode 0666)") != std::string::npos);
  }

  TEST_CASE("a plugin directory others can write is refused naming the directory") {
    mobisync::test::TempDir dir;
    ::chmod(dir.path().c_str(), 0755);
    auto open_dir = fs::path(dir.path()) / "plugins";
    fs::create_directory(open_dir);
    ::chmod(open_dir.c_str(), 0777);
    auto copy = open_dir / "mobisync_plugin_csv.so";
    fs::copy_file(fs::path(pluginDir()) / "mobisync_plugin_csv.so", copy);
    ::chmod(copy.c_str(), 0755);
    PluginLoader loader({open_dir.string()});
    std::string e = refusal(loader, "csv");
    CHECK(e.rfind(open_dir.string() + ": refusing to load a plugin", 0) == 0);
    CHECK(e.find("group or others can write (mode 0777)") != std::string::npos);
  }

  TEST_CASE("a plugin that throws is contained and named by the guard") {
    PluginLoader loader({badPluginDir()});
    auto instance = loader.create("thrower", mobisync::plugin::Kind::Source);
    auto& source = static_cast<mobisync::plugin::Source&>(*instance);
    mobisync::plugin::testing::RecordingSink sink;
    mobisync::Status s = mobisync::plugin_host::guarded("thrower", [&] { return source.fetch(sink); });
    CHECK(s.code() == mobisync::Errc::PluginFailure);
    CHECK(s.message() == "plugin thrower: threw an exception: fetch exploded");
  }

  TEST_CASE("an instance of a plugin that throws names the plugin and the instance") {
    PluginLoader loader({badPluginDir()});
    mobisync::plugin_host::Instance<mobisync::plugin::Source> source(loader, "thrower", "people");
    mobisync::plugin::testing::RecordingSink sink;
    mobisync::Status s = source.call([&](mobisync::plugin::Source& o) { return o.fetch(sink); });
    CHECK(s.code() == mobisync::Errc::PluginFailure);
    CHECK(s.message() == "plugin thrower (instance people): threw an exception: fetch exploded");
  }

  TEST_CASE("asking for a notifier where a source is needed is refused") {
    PluginLoader loader({pluginDir()});
    try {
      loader.create("csv", mobisync::plugin::Kind::Notifier);
      FAIL("not refused");
    } catch (const PluginError& e) {
      CHECK(std::string(e.what()).find("is a source plugin; expected a notifier plugin") !=
            std::string::npos);
    }
  }
}
