// SPDX-License-Identifier: Apache-2.0
// LdapSource: the LDAP source plugin's logic (bind, paged search, entries to Contacts).
#pragma once

#include <string>

#include <Poco/Logger.h>

#include "ldap_connection.hpp"
#include "ldap_mapper.hpp"
#include "ldap_options.hpp"
#include "mobisync/plugin/plugin.hpp"

namespace mobisync::plugins::ldap {

/// Reads the people under `base` into Contacts. init() checks the configuration and opens
/// nothing; each fetch() connects, binds, reads the group entries (group_mode = "member"), then
/// streams the search one entry at a time, page by page (RFC 2696), into the sink and unbinds.
/// Any failure before the last page (bind, TLS, size limit, a lost connection) is returned as a
/// failed Status so the engine removes nothing. Created by the plugin descriptor; one thread at
/// a time; never throws.
class LdapSource final : public plugin::Source, public plugin::Probe {
 public:
  Status init(const plugin::Context& context) override;
  Status fetch(plugin::ContactSink& sink) override;
  void shutdown() noexcept override;
  /// ldap_probe.cpp: connect and bind as fetch() would, read at most one entry of the search.
  std::vector<plugin::ProbeResult> probe() override;

 private:
  Status fetchAll(plugin::ContactSink& sink);
  Status readGroups(LdapConnection& connection, EntryMapper& mapper);
  Status search(LdapConnection& connection, const EntryMapper& mapper, plugin::ContactSink& sink);
  std::string searchName() const;

  bool initialised_ = false;
  Poco::Logger* logger_ = nullptr;
  Options options_;
};

}  // namespace mobisync::plugins::ldap
