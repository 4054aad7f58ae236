// SPDX-License-Identifier: Apache-2.0
// [messaging.optouts] and its [messaging.optouts.languages.<code>] tables: opt-out keywords per
// language, confirmations, the provider sync and the opt-out list import.
#include <map>

#include "config/optout_schema.hpp"
#include "config/table_readers.hpp"
#include "values/cron_expression.hpp"
#include "values/reply_text.hpp"
#include "values/time_zone.hpp"

namespace mobisync::config {

using plugin::ConfigValues;

namespace {

/// A table below `parent`, or nullptr when absent; a key that is not a table is reported.
const toml::table* subTable(const toml::table* parent, const char* key, const std::string& label,
                            Checker& c) {
  if (parent == nullptr) return nullptr;
  const toml::node* n = parent->get(key);
  if (n == nullptr) return nullptr;
  if (!n->is_table()) {
    c.error(n->source(), label, "expected a table [" + label + "]");
    return nullptr;
  }
  return n->as_table();
}

/// YYYY-MM-DD with a plausible month and day.
bool isDay(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  int month = std::stoi(s.substr(5, 2)), day = std::stoi(s.substr(8, 2));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/// Every keyword of every language is matched as normalizeReply() reads it: a keyword that
/// reads blank could never match, and one that opts out in one place and in in another would
/// make a reply mean both.
void checkKeywords(const std::vector<OptoutLanguage>& languages,
                   const std::vector<const toml::table*>& tables,
                   const std::vector<std::string>& labels, Checker& c) {
  std::map<std::string, std::pair<bool, std::string>> seen;  // normalized -> (opt_out, where)
  for (std::size_t i = 0; i < languages.size(); ++i) {
    for (bool opt_out : {true, false}) {
      const char* key = opt_out ? "keywords" : "reverse_keywords";
      const std::string label = labels[i] + "." + key;
      for (const auto& w : opt_out ? languages[i].keywords : languages[i].reverse_keywords) {
        const std::string norm = values::normalizeReply(w);
        if (norm.empty()) {
          c.error(keyPosition(tables[i], key), label,
                  "\"" + text::excerpt(w) + "\" is blank once spaces and punctuation are "
                  "removed; it could never match a reply");
          continue;
        }
        auto [it, fresh] = seen.emplace(norm, std::make_pair(opt_out, label));
        if (!fresh && it->second.first != opt_out) {
          c.error(keyPosition(tables[i], key), label,
                  "\"" + text::excerpt(w) + "\" is also in " + it->second.second +
                      "; a keyword either opts out or opts back in");
        }
      }
    }
  }
}

void checkImport(const toml::table* t, const ConfigValues& v, OptoutSettings& o, Checker& c) {
  o.import_schedule = v.string("import_schedule");
  if (!o.import_schedule.empty()) {
    if (auto cron = values::CronExpression::parse(o.import_schedule); !cron) {
      c.error(keyPosition(t, "import_schedule"), "messaging.optouts.import_schedule",
              "\"" + text::excerpt(o.import_schedule) + "\": " + cron.error().message());
    }
  }
  o.import_from = v.string("import_from", o.import_from);
  if (!isDay(o.import_from)) {
    c.error(keyPosition(t, "import_from"), "messaging.optouts.import_from",
            "expected a day written YYYY-MM-DD, found \"" + text::excerpt(o.import_from) + "\"");
  }
}

}  // namespace

void readOptouts(const ConfigDocument& doc, AppConfig& cfg, std::vector<NotifierReference>& refs) {
  static const toml::table kEmpty;
  Checker& c = doc.c;
  const std::string label = "messaging.optouts";
  const toml::table* t = subTable(doc.root.get("messaging") != nullptr
                                      ? doc.root.get("messaging")->as_table()
                                      : nullptr,
                                  "optouts", label, c);
  ConfigValues v;
  c.validate(t != nullptr ? *t : kEmpty, label, kOptoutKeys, v, {"languages"});
  OptoutSettings& o = cfg.optouts;
  o.enabled = v.boolean("enabled", o.enabled);
  o.sync_provider = v.boolean("sync_provider", o.sync_provider);
  o.notifier = v.string("notifier");
  if (!o.notifier.empty()) {
    requireNotifier(c, keyPosition(t, "notifier"), label + ".notifier", o.notifier, refs);
  }
  o.import_via = v.string("import_via");
  if (!o.import_via.empty()) {
    requireNotifier(c, keyPosition(t, "import_via"), label + ".import_via", o.import_via, refs);
  }
  checkImport(t, v, o, c);

  OptoutLanguage& base = o.languages.front();
  base.origin = c.at((t != nullptr ? *t : doc.root).source());
  if (v.has("keywords")) base.keywords = v.list("keywords");
  if (v.has("reverse_keywords")) base.reverse_keywords = v.list("reverse_keywords");
  base.confirmation = v.string("confirmation");
  base.reverse_confirmation = v.string("reverse_confirmation");

  // Copied: `base` lives in o.languages, which the loop below grows (and may move).
  const std::string default_confirmation = base.confirmation;
  const std::string default_reverse_confirmation = base.reverse_confirmation;
  std::vector<const toml::table*> tables{t};
  std::vector<std::string> labels{label};
  if (const toml::table* langs = subTable(t, "languages", label + ".languages", c)) {
    for (auto&& [code, node] : *langs) {
      const std::string lang_label = label + ".languages." + std::string(code.str());
      const toml::table* lt = node.as_table();
      if (lt == nullptr) {
        c.error(node.source(), lang_label, "expected a table [" + lang_label + "]");
        continue;
      }
      ConfigValues lv;
      c.validate(*lt, lang_label, kOptoutLanguageKeys, lv);
      OptoutLanguage l;
      l.code = std::string(code.str());
      l.origin = c.at(lt->source());
      l.keywords = lv.list("keywords");
      l.reverse_keywords = lv.list("reverse_keywords");
      l.confirmation = lv.string("confirmation", default_confirmation);
      l.reverse_confirmation = lv.string("reverse_confirmation", default_reverse_confirmation);
      o.languages.push_back(std::move(l));
      tables.push_back(lt);
      labels.push_back(lang_label);
    }
  }
  checkKeywords(o.languages, tables, labels, c);
}

}  // namespace mobisync::config
