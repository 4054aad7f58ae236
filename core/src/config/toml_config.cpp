// SPDX-License-Identifier: Apache-2.0
// The two phases of loading the config: the file and its core tables, then the plugins' tables.
#include "config/toml_config.hpp"

#include <filesystem>

#include "config/regular_file.hpp"
#include "config/table_readers.hpp"
#include "config/webhook_settings.hpp"

namespace mobisync::config {

namespace fs = std::filesystem;

namespace {

// The largest config file read.
constexpr std::size_t kMaxConfigBytes = 64 * 1024 * 1024;

}  // namespace

/// What phase 1 hands to phase 2: the document (which the pending tables point into), the
/// checker with the problems so far and their slots, and the config read so far.
struct ParsedConfig::State {
  State(std::string file, EnvLookup env) : checker(std::move(file), std::move(env)) {}

  toml::table root;
  Checker checker;
  AppConfig cfg;
  std::vector<PendingTable> pending;
  std::vector<NotifierReference> notifier_refs;
  std::vector<PluginTable> plugin_tables;
};

ParsedConfig::ParsedConfig(std::unique_ptr<State> state) : state_(std::move(state)) {}
ParsedConfig::ParsedConfig(ParsedConfig&&) noexcept = default;
ParsedConfig& ParsedConfig::operator=(ParsedConfig&&) noexcept = default;
ParsedConfig::~ParsedConfig() = default;

const AppConfig& ParsedConfig::config() const { return state_->cfg; }
const std::vector<PluginTable>& ParsedConfig::pluginTables() const {
  return state_->plugin_tables;
}

const toml::table* ConfigDocument::single(const char* name) const {
  const toml::node* n = root.get(name);
  if (n == nullptr) return nullptr;
  if (!n->is_table()) {
    c.error(n->source(), name, std::string("expected a table [") + name + "]");
    return nullptr;
  }
  return n->as_table();
}

plugin::ConfigValues ConfigDocument::values(const char* name) const {
  plugin::ConfigValues v;
  static const toml::table kEmpty;
  const toml::table* t = single(name);
  c.validate(t != nullptr ? *t : kEmpty, name, coreTable(name).keys, v, {},
             coreTable(name).ranges);
  return v;
}

std::vector<const toml::table*> ConfigDocument::tables(const char* name) const {
  std::vector<const toml::table*> out;
  const toml::node* n = root.get(name);
  if (n == nullptr) return out;
  const toml::array* arr = n->as_array();
  if (arr == nullptr || !arr->is_array_of_tables()) {
    c.error(n->source(), name, std::string("expected an array of tables: write [[") + name + "]]");
    return out;
  }
  for (const auto& t : *arr) out.push_back(t.as_table());
  return out;
}

Result<ParsedConfig> readConfig(const std::string& path, const EnvLookup& env,
                                const LoadOptions& options) {
  std::error_code ec;
  fs::path abs = fs::absolute(path, ec);
  if (ec || !fs::exists(abs, ec)) {
    return Status::invalidConfig(path + ": config file not found");
  }
  // Read here rather than by toml::parse_file, which would block on a FIFO given as -c.
  auto content = readRegularFile(abs.string(), kMaxConfigBytes);
  if (!content) return Status::invalidConfig(abs.string() + ": " + content.error().message());
  auto state = std::make_unique<ParsedConfig::State>(abs.string(), env);
  state->checker.deferSecrets(!options.resolve_secrets);
  try {
    state->root = toml::parse(*content, abs.string());
  } catch (const toml::parse_error& e) {
    const auto& b = e.source().begin;
    return Status::invalidConfig(abs.string() + ":" + std::to_string(b.line) + ":" +
                                 std::to_string(b.column) + ": " +
                                 text::excerpt(e.description(), kProblemBytes));
  }
  AppConfig& cfg = state->cfg;
  cfg.file = abs.string();
  const ConfigDocument doc{state->root, state->checker};
  readCoreTables(doc, options, cfg);
  readWebhookTable(doc, cfg);
  const auto source_names = readPluginTableHeads(doc, plugin::Kind::Source, cfg, state->pending);
  readPluginTableHeads(doc, plugin::Kind::Notifier, cfg, state->pending);
  readJobs(doc, source_names, cfg, state->notifier_refs);
  readNotifyRules(doc, cfg, state->notifier_refs);
  readOptouts(doc, cfg, state->notifier_refs);
  for (const PendingTable& p : state->pending) {
    state->plugin_tables.push_back(
        PluginTable{p.kind, p.plugin, state->checker.at(p.table->source())});
  }
  return ParsedConfig(std::move(state));
}

Result<AppConfig> finishConfig(ParsedConfig parsed, const PluginSchemas& schemas) {
  ParsedConfig::State& s = *parsed.state_;
  validatePluginTables(s.pending, schemas, s.checker, s.cfg);
  // After the notifiers whose plugin has no schema are dropped: a name they held is unknown.
  checkNotifierReferences(s.notifier_refs, s.checker, s.cfg);
  s.cfg.warnings = s.checker.warnings();
  s.cfg.unresolved_secrets = s.checker.unresolvedSecrets();
  const std::vector<std::string> errors = s.checker.errors();
  if (!errors.empty()) {
    std::string all;
    for (const auto& e : errors) {
      if (!all.empty()) all += '\n';
      all += e;
    }
    return Status::invalidConfig(all);
  }
  return std::move(s.cfg);
}

Result<AppConfig> loadConfig(const std::string& path, const SchemaLookup& schemas,
                             const EnvLookup& env, const LoadOptions& options,
                             const SchemaLookup& notifier_schemas) {
  auto parsed = readConfig(path, env, options);
  if (!parsed) return parsed.error();
  PluginSchemas found;
  for (const PluginTable& t : parsed->pluginTables()) {
    auto& known = found.of(t.kind);
    if (known.count(t.plugin) != 0) continue;
    const SchemaLookup& lookup =
        t.kind == plugin::Kind::Notifier && notifier_schemas ? notifier_schemas : schemas;
    known.emplace(t.plugin, lookup(parsed->config(), t.plugin));
  }
  return finishConfig(std::move(parsed).value(), found);
}

}  // namespace mobisync::config
