// SPDX-License-Identifier: Apache-2.0
// `plugins list`, `describe`, `reference` and `schema`: the plugins the host can load.
#include <algorithm>
#include <filesystem>
#include <iomanip>

#include "app/command_support.hpp"
#include "app/commands.hpp"
#include "app/log_setup.hpp"
#include "app/json_schema_writer.hpp"
#include "app/json_text.hpp"
#include "mobisync/text.hpp"
#include "app/reference_writer.hpp"
#include "sync/job_report.hpp"

namespace mobisync::app {

namespace fs = std::filesystem;
using sync::kExitConfig;
using sync::kExitOk;
using sync::kExitUsage;

namespace {

/// Every installed plugin's descriptor; a plugin the loader refuses fails the command (a
/// reference or schema without it would silently refuse its tables).
std::vector<const plugin::Descriptor*> everyDescriptor(plugin_host::PluginLoader& loader) {
  std::vector<const plugin::Descriptor*> descriptors;
  for (const auto& p : loader.list()) {
    if (p.descriptor == nullptr) throw CommandError{kExitConfig, p.error};
    descriptors.push_back(p.descriptor);
  }
  return descriptors;
}

/// plugins list --format json: one object per plugin file, refused ones with their error.
void printListJson(std::ostream& out, const std::vector<plugin_host::PluginListing>& listing) {
  out << "[";
  for (std::size_t i = 0; i < listing.size(); ++i) {
    const auto& p = listing[i];
    out << (i == 0 ? "\n" : ",\n") << "  {\"name\": ";
    if (p.descriptor == nullptr) {
      out << jsonQuote(p.name) << ", \"file\": " << jsonQuote(p.path)
          << ", \"error\": " << jsonQuote(p.error) << "}";
      continue;
    }
    const auto text = [](const char* s) { return jsonQuote(s != nullptr ? s : ""); };
    out << text(p.descriptor->name) << ", \"kind\": "
        << jsonQuote(std::string(plugin::kindName(p.descriptor->kind)))
        << ", \"version\": " << text(p.descriptor->version)
        << ", \"sdk\": " << text(p.descriptor->sdk_version)
        << ", \"file\": " << jsonQuote(p.path) << "}";
  }
  out << (listing.empty() ? "]\n" : "\n]\n");
}

}  // namespace

int runPlugins(const CliOptions& o, std::ostream& out) {
  return guardedCommand([&] {
    std::string sub = o.args.size() > 1 ? o.args[1] : "list";
    setupLogging(o.log_level.empty() ? "warning" : o.log_level, "");
    std::vector<std::string> dirs = o.plugin_dirs;
    if (dirs.empty()) {
      std::error_code ec;
      if (!o.config_path.empty() || fs::exists(configPath(o), ec)) {
        dirs = load(o).cfg.plugin_dirs;
      }
    }
    if (dirs.empty()) dirs = plugin_host::defaultPluginDirs();
    plugin_host::PluginLoader loader(dirs);
    if (o.format == "json-schema" && sub != "schema") {
      throw CommandError{kExitUsage, "--format json-schema is for `plugins schema` only"};
    }
    if (o.format == "json" && sub != "list") {
      throw CommandError{kExitUsage, "plugins " + text::excerpt(sub, 20) +
                                         " does not take --format json (plugins list does)"};
    }
    if (sub == "list" && o.format == "json") {
      printListJson(out, loader.list());
      return kExitOk;
    }
    if (sub == "list") {
      auto listing = loader.list();
      out << std::left << std::setw(12) << "NAME" << std::setw(10) << "KIND" << std::setw(10)
          << "VERSION" << std::setw(8) << "SDK" << "FILE\n";
      for (const auto& p : listing) {
        if (p.descriptor == nullptr) {
          out << std::setw(12) << p.name << "refused: " << p.error << "\n";
          continue;
        }
        out << std::setw(12) << p.descriptor->name << std::setw(10)
            << plugin::kindName(p.descriptor->kind) << std::setw(10) << p.descriptor->version
            << std::setw(8) << p.descriptor->sdk_version << p.path << "\n";
      }
      if (listing.empty()) {
        out << "(no plugins in";
        for (const auto& d : dirs) out << " " << d;
        out << ")\n";
      }
      return kExitOk;
    }
    if (sub == "describe") {
      if (o.args.size() < 3) throw CommandError{kExitUsage, "usage: mobisync plugins describe NAME"};
      const auto& p = loader.load(o.args[2]);
      const auto* d = p.descriptor;
      out << d->name << " " << d->version << " (" << plugin::kindName(d->kind) << " plugin, SDK "
          << d->sdk_version << ")\n  " << (d->summary != nullptr ? d->summary : "") << "\n  "
          << p.path << "\n\nKeys:\n";
      // Columns as wide as this schema's longest key and the longest type name, plus a space.
      std::size_t key_width = 0;
      for (std::size_t i = 0; i < d->config_schema_size; ++i) {
        key_width = std::max(key_width, std::string(d->config_schema[i].name).size() + 1);
      }
      for (std::size_t i = 0; i < d->config_schema_size; ++i) {
        const auto& k = d->config_schema[i];
        out << "  " << std::left << std::setw(static_cast<int>(key_width)) << k.name
            << std::setw(20) << plugin::keyTypeName(k.type);
        if (k.required) {
          out << "required";
        } else if (k.default_value != nullptr) {
          out << "default \"" << k.default_value << '"';
        } else {
          out << "no default";
        }
        out << "\n      " << k.help << "\n";
      }
      return kExitOk;
    }
    if (sub == "reference") {
      writeReference(out, everyDescriptor(loader));
      return kExitOk;
    }
    if (sub == "schema") {
      if (o.format == "json") {
        throw CommandError{kExitUsage, "plugins schema writes JSON Schema: --format json-schema"};
      }
      if (o.args.size() > 3) throw CommandError{kExitUsage, "usage: mobisync plugins schema [NAME]"};
      if (o.args.size() == 3) {
        writePluginJsonSchema(out, *loader.load(o.args[2]).descriptor);
      } else {
        writeJsonSchema(out, everyDescriptor(loader));
      }
      return kExitOk;
    }
    throw CommandError{kExitUsage, "unknown plugins command \"" + sub +
                                       "\": use list, describe, reference or schema"};
  });
}

}  // namespace mobisync::app
