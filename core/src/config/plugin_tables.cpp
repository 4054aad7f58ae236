// SPDX-License-Identifier: Apache-2.0
// [[source]] and [[notifier]] tables: their name and plugin in phase 1, their own keys against
// the plugin's schema in phase 2, and the references to notifiers that phase 2 settles.
#include <algorithm>

#include "config/table_readers.hpp"

namespace mobisync::config {

namespace {

const SchemaResult* schemaOf(const PluginSchemas& schemas, const PendingTable& p) {
  const auto& known = schemas.of(p.kind);
  auto it = known.find(p.plugin);
  return it != known.end() ? &it->second : nullptr;
}

template <class Config>
void dropUnchecked(std::vector<Config>& configs, const std::vector<bool>& checked) {
  std::size_t i = 0;
  configs.erase(std::remove_if(configs.begin(), configs.end(),
                               [&](const Config&) { return !checked[i++]; }),
                configs.end());
}

}  // namespace

std::set<std::string> readPluginTableHeads(const ConfigDocument& doc, plugin::Kind kind,
                                           AppConfig& cfg, std::vector<PendingTable>& pending) {
  Checker& c = doc.c;
  const std::string table_name = plugin::kindName(kind);
  std::set<std::string> names;
  std::size_t index = 0;
  for (const toml::table* t : doc.tables(table_name.c_str())) {
    std::string label = table_name + "[" + std::to_string(index++) + "]";
    // Validate name and plugin first: the plugin decides which other keys are allowed.
    for (const auto& k : coreTable(table_name).keys) {
      const toml::node* n = t->get(k.name);
      if (n == nullptr) {
        c.error(t->source(), label + "." + k.name, "required key is missing");
      } else if (!n->is_string()) {
        c.error(n->source(), label + "." + k.name, "expected a string");
      }
    }
    const std::string name =
        t->get("name") != nullptr ? t->get("name")->value_or(std::string()) : "";
    const std::string plugin_name =
        t->get("plugin") != nullptr ? t->get("plugin")->value_or(std::string()) : "";
    if (!name.empty()) {
      label = table_name + "." + name;
      if (!names.insert(name).second) {
        // Each text written out whole: docs/errors.md lists them and a test finds them here.
        c.error(t->get("name")->source(), label + ".name",
                kind == plugin::Kind::Source ? "another [[source]] already has this name"
                                             : "another [[notifier]] already has this name");
      }
    }
    if (plugin_name.empty()) continue;
    const std::string origin = c.at(t->source());
    if (kind == plugin::Kind::Source) {
      cfg.sources.push_back(SourceConfig{name, plugin_name, {}, origin});
    } else {
      cfg.notifiers.push_back(NotifierConfig{name, plugin_name, {}, origin});
    }
    pending.push_back(PendingTable{kind, t, label, plugin_name, c.reserveSlot()});
  }
  return names;
}

void validatePluginTables(const std::vector<PendingTable>& pending, const PluginSchemas& schemas,
                          Checker& c, AppConfig& cfg) {
  // Pending tables are in file order, so the n-th of a kind is the n-th config of that kind.
  std::vector<bool> sources_checked, notifiers_checked;
  for (const PendingTable& p : pending) {
    const bool source = p.kind == plugin::Kind::Source;
    plugin::ConfigValues& values = source ? cfg.sources[sources_checked.size()].values
                                          : cfg.notifiers[notifiers_checked.size()].values;
    c.writeTo(p.slot);
    const SchemaResult* schema = schemaOf(schemas, p);
    bool checked = false;
    if (schema == nullptr) {
      c.error(p.table->get("plugin")->source(), p.label + ".plugin",
              "no schema was given for plugin \"" + text::excerpt(p.plugin) + "\"");
    } else if (!*schema) {
      c.error(p.table->get("plugin")->source(), p.label + ".plugin", schema->error().message());
    } else {
      c.validate(*p.table, p.label, schema->value(), values, {"name", "plugin"});
      checked = true;
    }
    (source ? sources_checked : notifiers_checked).push_back(checked);
  }
  c.writeToEnd();
  dropUnchecked(cfg.sources, sources_checked);
  dropUnchecked(cfg.notifiers, notifiers_checked);
}

void requireNotifier(Checker& c, const toml::source_region& where, const std::string& key,
                     const std::string& name, std::vector<NotifierReference>& refs) {
  refs.push_back(NotifierReference{name, where, key, c.reserveSlot()});
}

void checkNotifierReferences(const std::vector<NotifierReference>& refs, Checker& c,
                             const AppConfig& cfg) {
  for (const NotifierReference& r : refs) {
    if (cfg.findNotifier(r.name) != nullptr) continue;
    c.writeTo(r.slot);
    c.error(r.where, r.key, "no [[notifier]] is named \"" + text::excerpt(r.name) + "\"");
  }
  c.writeToEnd();
}

}  // namespace mobisync::config
