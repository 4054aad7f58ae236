// SPDX-License-Identifier: Apache-2.0
// PluginLoader: the DuckDB load order: find, check permissions, open, check every field, register.
#include "plugin_host/plugin_loader.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include <Poco/Logger.h>
#include <boost/dll/runtime_symbol_info.hpp>

namespace mobisync::plugin_host {

namespace fs = std::filesystem;
using plugin::Descriptor;

namespace {

constexpr const char* kEntrySymbol = "mobisync_plugin_v1";
constexpr const char* kPrefix = "mobisync_plugin_";
constexpr const char* kSuffix = ".so";

/// Refuses files and directories others could replace (osquery's rule).
void checkPermissions(const std::string& path) {
  for (const std::string& p : {path, fs::path(path).parent_path().string()}) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) {
      throw PluginError(p + ": cannot stat: " + std::strerror(errno));
    }
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
      char mode[8];
      std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
      throw PluginError(p + ": refusing to load a plugin from a file or directory that group or "
                            "others can write (mode " + mode + "); expected no group/other "
                            "write permission (chmod go-w)");
    }
  }
}

struct Version {
  unsigned major = 0, minor = 0, patch = 0;
};

bool parseVersion(const char* text, Version& v) {
  if (text == nullptr) return false;
  return std::sscanf(text, "%u.%u.%u", &v.major, &v.minor, &v.patch) == 3;
}

std::string str(const char* s) { return s == nullptr ? "(null)" : std::string(s); }

}  // namespace

std::string pluginFileName(const std::string& name) { return kPrefix + name + kSuffix; }

std::vector<std::string> defaultPluginDirs() {
  std::error_code ec;
  fs::path exe = boost::dll::program_location().string();
  fs::path build_tree = exe.parent_path() / "plugins";
  // The build tree keeps CMakeCache.txt beside the host; an installed host has none.
  if (fs::exists(exe.parent_path() / "CMakeCache.txt", ec) && fs::is_directory(build_tree, ec)) {
    return {build_tree.string()};
  }
  // An installed host finds the plugins installed beside it, wherever the prefix was.
  fs::path beside = exe.parent_path().parent_path() / kRelativePluginDir;
  if (fs::is_directory(beside, ec)) return {beside.lexically_normal().string()};
  return {kDefaultPluginDir};
}

PluginLoader::PluginLoader(std::vector<std::string> dirs) : dirs_(std::move(dirs)) {}

std::vector<std::string> PluginLoader::findFiles(const std::string& name) const {
  std::vector<std::string> found;
  for (const auto& d : dirs_) {
    fs::path p = fs::path(d) / pluginFileName(name);
    std::error_code ec;
    if (fs::exists(p, ec)) found.push_back(p.string());
  }
  return found;
}

LoadedPlugin PluginLoader::open(const std::string& path, const std::string& expected_name) const {
  checkPermissions(path);
  auto lib = std::make_shared<boost::dll::shared_library>();
  boost::dll::fs::error_code ec;
  lib->load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
  if (ec) {
    throw PluginError(path + ": cannot open the library: " + ec.message());
  }
  if (!lib->has(kEntrySymbol)) {
    for (int v = 2; v <= 9; ++v) {
      std::string other = "mobisync_plugin_v" + std::to_string(v);
      if (lib->has(other)) {
        throw PluginError(path + ": built for plugin ABI " + std::to_string(v) +
                          " (exports " + other + "); this host expects ABI " +
                          std::to_string(plugin::kAbiVersion) + " (" + kEntrySymbol + ")");
      }
    }
    throw PluginError(path + ": not a mobisync plugin: the entry symbol " +
                      std::string(kEntrySymbol) +
                      " is missing (export it with MOBISYNC_PLUGIN_ENTRY)");
  }
  auto entry = lib->get_alias<const Descriptor*()>(kEntrySymbol);
  const Descriptor* d = entry();
  if (d == nullptr) throw PluginError(path + ": the entry function returned no descriptor");
  if (d->abi_version != plugin::kAbiVersion) {
    throw PluginError(path + ": plugin ABI version mismatch: expected " +
                      std::to_string(plugin::kAbiVersion) + ", found " +
                      std::to_string(d->abi_version));
  }
  if (d->struct_size < sizeof(Descriptor)) {
    throw PluginError(path + ": descriptor too small: expected at least " +
                      std::to_string(sizeof(Descriptor)) + " bytes, found " +
                      std::to_string(d->struct_size));
  }
  Version host{kSdkVersionMajor, kSdkVersionMinor, kSdkVersionPatch};
  Version built;
  if (!parseVersion(d->sdk_version, built)) {
    throw PluginError(path + ": unreadable SDK version \"" + str(d->sdk_version) + "\"");
  }
  if (built.major != host.major || built.minor > host.minor) {
    throw PluginError(path + ": built against mobisync SDK " + str(d->sdk_version) +
                      ", this host provides " + kSdkVersion +
                      " (the plugin needs the same major and a minor not newer than the host's)");
  }
  if (d->abi_tag == nullptr || std::strcmp(d->abi_tag, plugin::kAbiTag) != 0) {
    throw PluginError(path + ": C++ ABI mismatch: expected " + std::string(plugin::kAbiTag) +
                      ", found " + str(d->abi_tag) +
                      " (rebuild the plugin with the host's compiler family and standard "
                      "library)");
  }
  if (d->name == nullptr || expected_name != d->name) {
    throw PluginError(path + ": plugin name mismatch: the file name says \"" + expected_name +
                      "\", the descriptor says \"" + str(d->name) + "\"");
  }
  if (d->kind != plugin::Kind::Source && d->kind != plugin::Kind::Notifier) {
    throw PluginError(path + ": unknown plugin kind " +
                      std::to_string(static_cast<std::uint32_t>(d->kind)) +
                      "; expected source (1) or notifier (2)");
  }
  if (d->create == nullptr || d->destroy == nullptr) {
    throw PluginError(path + ": descriptor has no create or destroy function");
  }
  if (d->config_schema == nullptr && d->config_schema_size != 0) {
    throw PluginError(path + ": descriptor declares " + std::to_string(d->config_schema_size) +
                      " config keys but no schema table");
  }
  return LoadedPlugin{std::move(lib), d, path};
}

const LoadedPlugin& PluginLoader::load(const std::string& name) {
  if (auto it = loaded_.find(name); it != loaded_.end()) return it->second;
  auto files = findFiles(name);
  if (files.empty()) {
    std::string where;
    for (const auto& d : dirs_) where += (where.empty() ? "" : ", ") + d;
    throw PluginError("plugin \"" + name + "\" not found: no " + pluginFileName(name) + " in " +
                      (where.empty() ? std::string("(no plugin directory)") : where));
  }
  if (files.size() > 1) {
    throw PluginError("duplicate plugin name \"" + name + "\": found in " + files[0] + " and " +
                      files[1] + "; remove one or drop its directory from [plugins] dirs");
  }
  LoadedPlugin p = open(files[0], name);
  // At debug: every command loads its plugins, and the line would precede each one's output.
  Poco::Logger::get("mobisync.plugins")
      .debug("loaded plugin %s %s (%s) from %s", std::string(p.descriptor->name),
                   str(p.descriptor->version), std::string(kindName(p.descriptor->kind)), p.path);
  return loaded_.emplace(name, std::move(p)).first->second;
}

std::vector<PluginListing> PluginLoader::list() {
  std::vector<PluginListing> out;
  std::map<std::string, std::string> seen;
  for (const auto& d : dirs_) {
    std::error_code ec;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(d, ec)) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      std::string file = f.filename().string();
      if (file.rfind(kPrefix, 0) != 0 || f.extension() != kSuffix) continue;
      PluginListing l;
      l.path = f.string();
      l.name = file.substr(std::strlen(kPrefix), file.size() - std::strlen(kPrefix) - 3);
      if (auto s = seen.find(l.name); s != seen.end()) {
        l.error = "duplicate plugin name \"" + l.name + "\": also in " + s->second;
        out.push_back(std::move(l));
        continue;
      }
      seen.emplace(l.name, l.path);
      try {
        l.descriptor = load(l.name).descriptor;
      } catch (const PluginError& e) {
        l.error = e.what();
      }
      out.push_back(std::move(l));
    }
  }
  return out;
}

InstancePtr<plugin::Plugin> PluginLoader::create(const std::string& name, plugin::Kind kind) {
  const LoadedPlugin& p = load(name);
  if (p.descriptor->kind != kind) {
    throw PluginError(p.path + ": plugin \"" + name + "\" is a " +
                      kindName(p.descriptor->kind) + " plugin; expected a " + kindName(kind) +
                      " plugin here");
  }
  plugin::Plugin* raw = p.descriptor->create();
  if (raw == nullptr) throw PluginError(p.path + ": create() returned no instance");
  return InstancePtr<plugin::Plugin>(raw, LibraryBoundDeleter{p.library, p.descriptor->destroy});
}

}  // namespace mobisync::plugin_host
