// SPDX-License-Identifier: Apache-2.0
// The checker's resolution of a Secret key: written inline, named by <key>_env, read from the
// first line of <key>_file, or from the systemd credential <key>_credential
// ($CREDENTIALS_DIRECTORY/<name>, LoadCredential= in the unit). No message quotes any of a
// secret.
#include <unistd.h>

#include "config/regular_file.hpp"
#include "config/toml_checker.hpp"

namespace mobisync::config {

using plugin::ConfigKey;
using plugin::ConfigValues;

namespace {

// The longest first line a *_file or *_credential secret may have.
constexpr std::size_t kSecretFileLineBytes = 64 * 1024;

/// Whether a secret file that could not be used is missing or unreadable *here*: the service
/// may run with files, permissions and credentials the shell running `check` lacks, so only a
/// command that uses the secret refuses. A file that can be read but not used (not a regular
/// file, an empty or over-long first line) is a mistake wherever it runs: an error for every
/// command, `check` included.
bool unreadableHere(const std::string& path) { return ::access(path.c_str(), R_OK) != 0; }

/// A credential's name as systemd takes it: a file name in the credentials directory.
bool validCredentialName(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos;
}

}  // namespace

void Checker::secretMissing(const toml::source_region& r, const std::string& key,
                            const std::string& problem) {
  // A command that uses no secret (check, plugins, state show) still works; the ones that do
  // resolve them and refuse.
  if (defer_secrets_) {
    unresolved_secrets_.push_back(line(r, key, problem));
    return;
  }
  error(r, key, problem);
}

void Checker::secretUnusable(const toml::source_region& r, const std::string& key,
                             const std::string& path, const std::string& problem) {
  if (unreadableHere(path)) {
    secretMissing(r, key, problem);
  } else {
    error(r, key, problem);
  }
}

std::optional<std::string> Checker::credential(const toml::node& node, const std::string& key) {
  auto name = node.value<std::string>();
  if (!name || !validCredentialName(*name)) {
    error(node.source(), key, "expected a credential name (a file name, as in LoadCredential=)");
    return std::nullopt;
  }
  auto dir = env_("CREDENTIALS_DIRECTORY");
  if (!dir || dir->empty()) {
    secretMissing(node.source(), key,
                  "credential " + text::quoted(*name) +
                      ": CREDENTIALS_DIRECTORY is not set (systemd sets it for a unit with "
                      "LoadCredential=)");
    return std::nullopt;
  }
  const std::string path = *dir + "/" + *name;
  auto secret = readFirstLine(path, kSecretFileLineBytes);
  if (!secret) {
    secretUnusable(node.source(), key, path,
                   "credential " + text::quoted(*name) + ": " + secret.error().message());
    return std::nullopt;
  }
  return std::move(secret).value();
}

void Checker::validateSecret(const toml::table& table, const std::string& prefix,
                             const ConfigKey& k, ConfigValues& out) {
  const std::string name = k.name;
  const std::string qname = qualified(prefix, name);
  const toml::node* inline_node = table.get(name);
  const toml::node* env_node = table.get(name + "_env");
  const toml::node* file_node = table.get(name + "_file");
  const toml::node* credential_node = table.get(name + "_credential");
  int given = (inline_node != nullptr) + (env_node != nullptr) + (file_node != nullptr) +
              (credential_node != nullptr);
  if (given > 1) {
    const toml::node* second = credential_node != nullptr ? credential_node
                               : file_node != nullptr     ? file_node
                                                          : env_node;
    error(second->source(), qname,
          "set only one of " + name + ", " + name + "_env, " + name + "_file and " + name +
              "_credential");
    return;
  }
  if (given == 0) {
    if (k.required) {
      error(table.source(), qname,
            "required secret is missing: set " + name + "_env = \"VARIABLE\", " + name +
                "_file = \"path\" or " + name + "_credential = \"name\"");
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
           "secret written inline in a file others can read; prefer " + name + "_env, " + name +
               "_file or " + name + "_credential");
    }
    out.set(name, *t, at(inline_node->source()));
    return;
  }
  if (credential_node != nullptr) {
    if (auto secret = credential(*credential_node, qname + "_credential")) {
      out.set(name, std::move(*secret), at(credential_node->source()));
    }
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
      secretMissing(env_node->source(), qname + "_env",
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
    secretUnusable(file_node->source(), qname + "_file", path,
                   text::excerpt(path) + ": " + secret.error().message());
    return;
  }
  out.set(name, std::move(secret).value(), at(file_node->source()));
}

}  // namespace mobisync::config
