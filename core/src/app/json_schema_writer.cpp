// SPDX-License-Identifier: Apache-2.0
// The config's JSON Schema, built as Poco::JSON objects (it is small) and written indented.
#include "app/json_schema_writer.hpp"

#include <span>
#include <string>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "config/core_schema.hpp"

namespace mobisync::app {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;
using plugin::ConfigKey;
using plugin::KeyType;

constexpr const char* kDialect = "https://json-schema.org/draft/2020-12/schema";
/// What the config reader interpolates: a string naming a variable, "${VAR}" or "${VAR:-x}".
constexpr const char* kInterpolated = "\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}";

Object::Ptr object() { return new Object(Poco::JSON_PRESERVE_KEY_ORDER); }

Object::Ptr typed(const std::string& type) {
  Object::Ptr o = object();
  o->set("type", type);
  return o;
}

Object::Ptr interpolatedString() {
  Object::Ptr o = typed("string");
  o->set("pattern", std::string(kInterpolated));
  return o;
}

/// `first`, or a string the reader interpolates into one.
Object::Ptr orInterpolated(const Object::Ptr& first) {
  Array::Ptr any = new Array;
  any->add(first);
  any->add(interpolatedString());
  Object::Ptr o = object();
  o->set("anyOf", any);
  return o;
}

Object::Ptr integerIn(std::int64_t min, std::int64_t max) {
  Object::Ptr o = typed("integer");
  o->set("minimum", min);
  o->set("maximum", max);
  return o;
}

Object::Ptr valueSchema(const ConfigKey& k, const config::CoreTable* table) {
  switch (k.type) {
    case KeyType::Integer:
    case KeyType::Milliseconds:
    case KeyType::Port:
    case KeyType::PositiveInteger: {
      const config::KeyRange* r = table != nullptr ? table->range(k.name) : nullptr;
      if (r != nullptr) return orInterpolated(integerIn(r->min, r->max));
      if (k.type == KeyType::Integer) return orInterpolated(typed("integer"));
      const plugin::IntegerRange range = plugin::integerRange(k.type);
      return orInterpolated(integerIn(range.min, range.max));
    }
    case KeyType::Float: return orInterpolated(typed("number"));
    case KeyType::Boolean: {
      Object::Ptr words = typed("string");
      Array::Ptr both = new Array;
      both->add("true");
      both->add("false");
      words->set("enum", both);
      Object::Ptr o = orInterpolated(typed("boolean"));
      o->getArray("anyOf")->add(words);
      return o;
    }
    case KeyType::StringList: {
      Object::Ptr o = typed("array");
      o->set("items", typed("string"));
      return o;
    }
    case KeyType::CountOrPercent: {
      Object::Ptr percent = typed("string");
      percent->set("pattern", std::string("^[0-9]+(\\.[0-9]+)?%$"));
      Array::Ptr any = new Array;
      any->add(integerIn(0, 1'000'000'000));
      any->add(percent);
      Object::Ptr o = object();
      o->set("anyOf", any);
      return o;
    }
    default: break;
  }
  return typed("string");  // String, Secret, Path, HttpUrl (interpolation keeps them strings)
}

Object::Ptr keySchema(const ConfigKey& k, const config::CoreTable* table) {
  Object::Ptr o = valueSchema(k, table);
  o->set("description", std::string(k.help));
  if (k.default_value != nullptr && k.type != KeyType::Secret) {
    o->set("x-default-text", std::string(k.default_value));  // as reference.toml shows it
  }
  return o;
}

/// The help of a secret's indirect spelling.
std::string spellingHelp(const std::string& suffix, const std::string& name) {
  if (suffix == "_env") return "The environment variable holding " + name;
  if (suffix == "_file") return "A file whose first line is " + name;
  return "The systemd credential ($CREDENTIALS_DIRECTORY/<name>) holding " + name;
}

/// Adds `keys` to `properties` (a secret as itself, `_env`, `_file` and `_credential`) and the
/// required ones to `required` (a required secret: one of its four spellings, in `all_of`).
void addKeys(Object& properties, Array& required, Array& all_of, std::span<const ConfigKey> keys,
             const config::CoreTable* table) {
  for (const auto& k : keys) {
    properties.set(k.name, keySchema(k, table));
    if (k.type == KeyType::Secret) {
      const std::string name = k.name;
      Array::Ptr one_of_spellings = new Array;
      for (const char* suffix : {"", "_env", "_file", "_credential"}) {
        if (*suffix != '\0') {
          Object::Ptr s = typed("string");
          s->set("description", spellingHelp(suffix, name));
          properties.set(name + suffix, s);
        }
        Array::Ptr req = new Array;
        req->add(name + suffix);
        Object::Ptr r = object();
        r->set("required", req);
        one_of_spellings->add(r);
      }
      if (k.required) {
        Object::Ptr any = object();
        any->set("anyOf", one_of_spellings);
        all_of.add(any);
      }
      continue;
    }
    if (k.required) required.add(std::string(k.name));
  }
}

/// A table of `keys`; `closed`: no other key allowed.
Object::Ptr tableSchema(std::span<const ConfigKey> keys, const config::CoreTable* table,
                        const std::string& help) {
  Object::Ptr o = typed("object");
  if (!help.empty()) o->set("description", help);
  Object::Ptr properties = object();
  Array::Ptr required = new Array;
  Array::Ptr all_of = new Array;
  addKeys(*properties, *required, *all_of, keys, table);
  o->set("properties", properties);
  if (required->size() > 0) o->set("required", required);
  if (all_of->size() > 0) o->set("allOf", all_of);
  return o;
}

/// [[source]] or [[notifier]]: the core's keys, the plugin named from `plugins` of its kind, and
/// that plugin's keys when `plugin` names it.
Object::Ptr pluginTableSchema(const config::CoreTable& t,
                              const std::vector<const plugin::Descriptor*>& plugins,
                              plugin::Kind kind) {
  Object::Ptr o = tableSchema(t.keys, &t, std::string(t.help));
  Array::Ptr names = new Array;
  Array::Ptr all_of = o->has("allOf") ? o->getArray("allOf") : Array::Ptr(new Array);
  for (const auto* d : plugins) {
    if (d->kind != kind) continue;
    names->add(std::string(d->name));
    Object::Ptr is_it = object();
    Object::Ptr plugin_is = object();
    Object::Ptr constant = object();
    constant->set("const", std::string(d->name));
    plugin_is->set("plugin", constant);
    is_it->set("properties", plugin_is);
    Array::Ptr needs_plugin = new Array;
    needs_plugin->add("plugin");
    is_it->set("required", needs_plugin);
    Object::Ptr rule = object();
    rule->set("if", is_it);
    rule->set("then", tableSchema({d->config_schema, d->config_schema_size}, nullptr,
                                  d->summary != nullptr ? d->summary : ""));
    all_of->add(rule);
  }
  o->getObject("properties")->getObject("plugin")->set("enum", names);
  if (all_of->size() > 0) o->set("allOf", all_of);
  o->set("unevaluatedProperties", false);
  return o;
}

Object::Ptr arrayOf(const Object::Ptr& item) {
  Object::Ptr o = typed("array");
  o->set("items", item);
  return o;
}

Object::Ptr closed(Object::Ptr table) {
  table->set("additionalProperties", false);
  return table;
}

void write(std::ostream& out, const Object::Ptr& schema) {
  schema->stringify(out, 2);
  out << "\n";
}

}  // namespace

void writeJsonSchema(std::ostream& out, const std::vector<const plugin::Descriptor*>& plugins) {
  Object::Ptr root = object();
  root->set("$schema", std::string(kDialect));
  root->set("$id", std::string("https://mobisync.invalid/schema/mobisync.toml.json"));
  root->set("title", std::string("mobisync configuration"));
  root->set("description", std::string("Generated by `mobisync plugins schema --format "
                                       "json-schema` from the schemas that validate a config."));
  root->set("type", std::string("object"));
  Object::Ptr properties = object();
  Object::Ptr messaging;
  for (const auto& t : config::coreTables()) {
    const std::string name(t.name);
    Object::Ptr schema;
    if (t.name == "source" || t.name == "notifier") {
      schema = arrayOf(pluginTableSchema(
          t, plugins, t.name == "source" ? plugin::Kind::Source : plugin::Kind::Notifier));
    } else {
      Object::Ptr table = closed(tableSchema(t.keys, &t, std::string(t.help)));
      if (name == "notify") {
        // `to` is "contact" or a list of numbers (notify_rules.cpp reads both).
        Object::Ptr to = table->getObject("properties")->getObject("to");
        Object::Ptr list = typed("array");
        list->set("items", typed("string"));
        Object::Ptr contact = object();
        contact->set("const", std::string("contact"));
        Array::Ptr any = new Array;
        any->add(list);
        any->add(contact);
        to->remove("type");
        to->remove("items");
        to->set("anyOf", any);
      }
      schema = t.array ? arrayOf(table) : table;
    }
    // Dotted names are tables inside [messaging]: messaging.optouts.languages.<code>.
    if (name == "messaging") {
      messaging = schema;
    } else if (name == "messaging.webhooks" || name == "messaging.optouts") {
      messaging->getObject("properties")->set(name.substr(10), schema);
      continue;
    } else if (name.rfind("messaging.optouts.languages.", 0) == 0) {
      Object::Ptr languages = typed("object");
      languages->set("description", std::string(t.help));
      languages->set("additionalProperties", schema);
      messaging->getObject("properties")->getObject("optouts")->getObject("properties")->set(
          "languages", languages);
      continue;
    }
    properties->set(name, schema);
  }
  root->set("properties", properties);
  root->set("additionalProperties", false);
  write(out, root);
}

void writePluginJsonSchema(std::ostream& out, const plugin::Descriptor& d) {
  const bool source = d.kind == plugin::Kind::Source;
  const config::CoreTable& t = config::coreTable(source ? "source" : "notifier");
  Object::Ptr schema = pluginTableSchema(t, {&d}, d.kind);
  schema->set("$schema", std::string(kDialect));
  schema->set("title", "[[" + std::string(t.name) + "]] with plugin = \"" + d.name + "\"");
  write(out, schema);
}

}  // namespace mobisync::app
