// SPDX-License-Identifier: Apache-2.0
// LdapSource::probe(): connect and bind as fetch() would, read at most one entry of the search,
// unbind. Nothing is written: a search is all LDAP lets this plugin do anyway.
#include <ldap.h>

#include "ldap_connection.hpp"
#include "ldap_source.hpp"

namespace mobisync::plugins::ldap {

std::vector<plugin::ProbeResult> LdapSource::probe() {
  using plugin::ProbeResult;
  ProbeResult r;
  r.endpoint = options_.uri;
  LdapConnection connection;
  if (Status s = connection.connect(options_); !s) {
    r.verdict = s.code() == Errc::Rejected ? ProbeResult::Verdict::Refused
                                           : ProbeResult::Verdict::Unreachable;
    r.detail = s.message();
  } else {
    // One entry, no attributes ("1.1"): enough to prove the base and the filter are readable.
    char no_attributes[] = "1.1";
    char* attrs[] = {no_attributes, nullptr};
    timeval timeout{};
    timeout.tv_sec = static_cast<time_t>(options_.timeout.count());
    const int scope = options_.scope == Scope::Base  ? LDAP_SCOPE_BASE
                      : options_.scope == Scope::One ? LDAP_SCOPE_ONELEVEL
                                                     : LDAP_SCOPE_SUBTREE;
    LDAPMessage* answer = nullptr;
    const int rc = ldap_search_ext_s(connection.handle(), options_.base.c_str(), scope,
                                     options_.filter.c_str(), attrs, 1, nullptr, nullptr, &timeout,
                                     1, &answer);
    const int entries = answer != nullptr ? ldap_count_entries(connection.handle(), answer) : 0;
    if (answer != nullptr) ldap_msgfree(answer);
    if (rc == LDAP_SUCCESS || rc == LDAP_SIZELIMIT_EXCEEDED) {
      r.detail = "bound as " +
                 (options_.bind_dn.empty() ? std::string("anonymous") : options_.bind_dn) + ", " +
                 std::to_string(entries) + (entries == 1 ? " entry" : " entries") + " read under " +
                 options_.base;
    } else {
      r.verdict = rc == LDAP_INSUFFICIENT_ACCESS ? ProbeResult::Verdict::Refused
                                                 : ProbeResult::Verdict::Unreachable;
      r.detail = "ldap: search of " + searchName() + " failed: " + connection.describe(rc);
    }
  }
  return {r};
}

}  // namespace mobisync::plugins::ldap
