// SPDX-License-Identifier: Apache-2.0
// [[notify]] rules: the event, the notifier, the recipients and the template of each, and the
// source attributes each job keeps for its contact messages.
#include <algorithm>
#include <map>
#include <optional>
#include <variant>

#include "config/table_readers.hpp"
#include "mobisync/sms/originator.hpp"
#include "model/msisdn.hpp"
#include "values/message_template.hpp"

namespace mobisync::config {

using plugin::ConfigValues;

namespace {

/// The position of byte `offset` inside a string value: exact for a one-line string with nothing
/// escaped before it, else the string's own position (the message names the offset too).
toml::source_region positionInString(const toml::node& n, const std::string& text,
                                     std::size_t offset) {
  toml::source_region r = n.source();
  std::size_t chars = 0;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    const char ch = text[i];
    if (ch == '\n' || ch == '\\' || ch == '"' || ch == '\t') return n.source();
    if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) ++chars;  // count code points
  }
  r.begin.column += static_cast<toml::source_index>(1 + chars);  // 1: the opening quote
  return r;
}


/// The admin numbers of a rule's `to`, each normalised to E.164 digits.
void readRecipients(const toml::node& to, const std::string& qname, const std::string& region,
                    NotifyRule& r, Checker& c) {
  if (to.is_string()) {
    if (to.value_or(std::string()) == "contact") {
      r.to_contact = true;
    } else {
      c.error(to.source(), qname, "expected \"contact\" or a list of admin numbers");
    }
    return;
  }
  const toml::array* arr = to.as_array();
  if (arr == nullptr || arr->empty()) {
    c.error(to.source(), qname, "expected \"contact\" or a non-empty list of admin numbers");
    return;
  }
  std::optional<model::MsisdnNormalizer> normalizer;
  try {
    // Without a region only "+" numbers are accepted, and for those any region parses alike.
    normalizer.emplace(region.empty() ? "GB" : region);
  } catch (const std::exception&) {
    return;  // the region key's own error is reported by the caller
  }
  for (const auto& item : *arr) {
    auto text = item.value<std::string>();
    if (!text) {
      c.error(item.source(), qname, "expected number strings in the list");
      continue;
    }
    if (region.empty() && (text->empty() || text->front() != '+')) {
      c.error(item.source(), qname,
              "\"" + text::excerpt(*text) +
                  "\": write admin numbers with + and the country code, or set region");
      continue;
    }
    auto n = normalizer->normalize(*text);
    if (!n) {
      c.error(item.source(), qname, "\"" + text::excerpt(*text) + "\": " + n.error().message());
      continue;
    }
    r.to.push_back(*n);
  }
}


/// A rule's template parsed and checked against its event, reported at the character at fault.
void checkTemplate(const toml::table& t, const std::string& label,
                   const std::optional<values::Event>& event, const NotifyRule& r, Checker& c) {
  const toml::node* tn = t.get("template");
  if (tn == nullptr || !tn->is_string()) return;
  auto parsed = values::MessageTemplate::parse(r.template_text);
  std::optional<values::TemplateError> problem;
  if (auto* e = std::get_if<values::TemplateError>(&parsed)) {
    problem = *e;
  } else if (event) {
    problem = std::get<values::MessageTemplate>(parsed).checkFor(*event);
  }
  if (problem) {
    c.error(positionInString(*tn, r.template_text, problem->offset), label + ".template",
            problem->message + " (at character " + std::to_string(problem->offset + 1) + ")");
  }
}

/// One rule's keys other than its name; `on` is the event as written.
NotifyRule readRule(const toml::table* t, const std::string& label, const ConfigValues& v,
                    const std::string& on, const std::optional<values::Event>& event,
                    const AppConfig& cfg, Checker& c, std::vector<NotifierReference>& refs) {
  NotifyRule r;
  r.origin = c.at(t->source());
  if (event) r.event = *event;
  r.via = v.string("via");
  if (!r.via.empty()) requireNotifier(c, keyPosition(t, "via"), label + ".via", r.via, refs);
  const std::string region = v.string("region");
  if (!region.empty()) {
    try {
      model::MsisdnNormalizer check(region);
    } catch (const std::exception& e) {
      c.error(keyPosition(t, "region"), label + ".region", e.what());
    }
  }
  if (const toml::node* to = t->get("to")) {
    readRecipients(*to, label + ".to", region, r, c);
    if (r.to_contact && event && !values::concernsOneNumber(*event)) {
      c.error(to->source(), label + ".to",
              "\"contact\" is for contact events; " + on + " needs a list of admin numbers");
    }
  } else {
    c.error(t->source(), label + ".to",
            "required key is missing (\"contact\" or a list of admin numbers)");
  }
  r.jobs = v.list("jobs");
  for (const auto& j : r.jobs) {
    if (cfg.findJob(j) == nullptr) {
      c.error(keyPosition(t, "jobs"), label + ".jobs",
              "no [[job]] is named \"" + text::excerpt(j) + "\"");
    }
  }
  r.originator = v.string("originator");
  if (!r.originator.empty()) {
    if (auto kind = sms::checkOriginator(r.originator); !kind) {
      c.error(keyPosition(t, "originator"), label + ".originator", kind.error().message());
    }
  }
  r.template_text = v.string("template");
  checkTemplate(*t, label, event, r, c);
  return r;
}

/// The source attributes each job must keep for the contact messages of the rules applying to
/// it: the fields its templates name beyond the event's built-in ones.
void keepContactAttributes(AppConfig& cfg) {
  for (auto& job : cfg.jobs) {
    for (const auto& r : cfg.notify_rules) {
      if (!values::isContactEvent(r.event) || !r.appliesTo(job.name)) continue;
      auto parsed = values::MessageTemplate::parse(r.template_text);
      auto* tpl = std::get_if<values::MessageTemplate>(&parsed);
      if (tpl == nullptr) continue;
      auto builtin = values::builtinFields(r.event);
      for (const auto& f : tpl->fields()) {
        if (std::find(builtin.begin(), builtin.end(), f) != builtin.end()) continue;
        auto& attrs = job.notify_attributes;
        if (std::find(attrs.begin(), attrs.end(), f) == attrs.end()) attrs.push_back(f);
      }
    }
  }
}

}  // namespace

void readNotifyRules(const ConfigDocument& doc, AppConfig& cfg,
                     std::vector<NotifierReference>& refs) {
  Checker& c = doc.c;
  std::set<std::string> names;
  std::map<std::string, int> per_event;
  std::size_t index = 0;
  for (const toml::table* t : doc.tables("notify")) {
    const std::string label = "notify[" + std::to_string(index++) + "]";
    ConfigValues v;
    c.validate(*t, label, coreTable("notify").keys, v, {"to"});
    const std::string on = v.string("on");
    auto event = values::parseEvent(on);
    if (!on.empty() && !event) {
      c.error(keyPosition(t, "on"), label + ".on",
              "unknown event \"" + text::excerpt(on) + "\"; expected " + values::eventNames());
    }
    NotifyRule r = readRule(t, label, v, on, event, cfg, c, refs);
    r.name = v.string("name");
    if (r.name.empty() && event) r.name = on + "." + std::to_string(++per_event[on]);
    if (!r.name.empty() && !names.insert(r.name).second) {
      c.error(keyPosition(t, "name"), label + ".name",
              "another [[notify]] rule is named \"" + text::excerpt(r.name) +
                  "\"; names keep each message sent once, so they must differ");
    }
    cfg.notify_rules.push_back(std::move(r));
  }
  keepContactAttributes(cfg);
}

}  // namespace mobisync::config
