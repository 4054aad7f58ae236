// SPDX-License-Identifier: Apache-2.0
// The checker's resolution of a Secret key: written inline, named by <key>_env, or read from the
// first line of <key>_file. No message quotes any of a secret.
#include "config/regular_file.hpp"
#include "config/toml_checker.hpp"

namespace mobisync::config {

using plugin::ConfigKey;
using plugin::ConfigValues;

namespace {

// The longest first line a *_file secret may have.
constexpr std::size_t kSecretFileLineBytes = 64 * 1024;

}  // namespace

void Checker::validateSecret(const toml::table& table, const std::string& prefix,
                             const ConfigKey& k, ConfigValues& out) {
  const std::string name = k.name;
  const std::string qname = qualified(prefix, name);
  const toml::node* inline_node = table.get(name);
  const toml::node* env_node = table.get(name + "_env");
  const toml::node* file_node = table.get(name + "_file");
  int given = (inline_node != nullptr) + (env_node != nullptr) + (file_node != nullptr);
  if (given > 1) {
    const toml::node* second = file_node != nullptr ? file_node : env_node;
    error(second->source(), qname,
          "set only one of " + name + ", " + name + "_env and " + name + "_file");
    return;
  }
  if (given == 0) {
    if (k.required) {
      error(table.source(), qname,
            "required secret is missing: set " + name + "_env = \"VARIABLE\" or " + name +
                "_file = \"path\"");
    }
    return;
  }
  if (inline_node != nullptr) {
    if (!inline_node->is_string()) {
      error(inline_node->source(), qname, "expected a string");
      return;
    }
    auto t = text(*inline_node, qname, true);
    if (!t) return;
    if (readable_by_others_) {
      warn(inline_node->source(), qname,
           "secret written inline in a file others can read; prefer " + name + "_env or " +
               name + "_file");
    }
    out.set(name, *t, at(inline_node->source()));
    return;
  }
  if (env_node != nullptr) {
    auto var = env_node->value<std::string>();
    if (!var) {
      error(env_node->source(), qname + "_env", "expected the name of an environment variable");
      return;
    }
    auto v = env_(*var);
    if (!v || v->empty()) {
      error(env_node->source(), qname + "_env",
            "environment variable " + text::excerpt(*var) + " is not set");
      return;
    }
    out.set(name, *v, at(env_node->source()));
    return;
  }
  auto path_text = file_node->value<std::string>();
  if (!path_text) {
    error(file_node->source(), qname + "_file", "expected a path string");
    return;
  }
  auto p = text(*file_node, qname + "_file");
  if (!p) return;
  std::string path = resolvePath(*p);
  // The secret is the file's first line: editors and `echo` end it with a newline, and a note
  // or a second value may follow. Nothing of the file is ever quoted.
  auto secret = readFirstLine(path, kSecretFileLineBytes);
  if (!secret) {
    error(file_node->source(), qname + "_file",
          text::excerpt(path) + ": " + secret.error().message());
    return;
  }
  out.set(name, std::move(secret).value(), at(file_node->source()));
}

}  // namespace mobisync::config
