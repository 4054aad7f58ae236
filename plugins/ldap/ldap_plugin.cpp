// SPDX-License-Identifier: Apache-2.0
// The LDAP source plugin's registration: config schema, descriptor and entry symbol only.
#include <iterator>

#include "ldap_source.hpp"
#include "mobisync/plugin/entry.hpp"

namespace mobisync::plugins::ldap {

namespace {

using plugin::ConfigKey;
using plugin::KeyType;

constexpr ConfigKey kConfigSchema[] = {
    {"uri", KeyType::String, true, nullptr,
     "The directory: ldap://host[:port], ldaps://host[:port] or ldapi://<url-encoded socket>."},
    {"start_tls", KeyType::Boolean, false, "false",
     "Upgrade an ldap:// connection with StartTLS before binding; a failure never falls back."},
    {"ca_file", KeyType::Path, false, nullptr,
     "CA certificates (PEM) that sign the server's certificate; default: the system store."},
    {"bind_dn", KeyType::String, false, nullptr,
     "DN to bind as; unset binds anonymously."},
    {"bind_password", KeyType::Secret, false, nullptr,
     "Password of bind_dn: set bind_password_env = \"VAR\" or bind_password_file = \"path\"."},
    {"base", KeyType::String, true, nullptr,
     "Search base, e.g. \"ou=people,dc=example,dc=org\"."},
    {"scope", KeyType::String, false, kDefaultScope, "Search scope: sub, one or base."},
    {"filter", KeyType::String, false, kDefaultFilter,
     "Search filter (RFC 4515) selecting the people to read."},
    {"msisdn_attributes", KeyType::StringList, false, kDefaultMsisdnAttributes,
     "Attributes holding the phone number, in fallback order: the first one present is used."},
    {"name_attributes", KeyType::StringList, false, kDefaultNameAttributes,
     "Attributes holding the name, in fallback order; none present means no name."},
    {"reference_attributes", KeyType::StringList, false, kDefaultReferenceAttributes,
     "Attributes holding your own id for the person, in fallback order."},
    {"attributes", KeyType::StringList, false, nullptr,
     "Further attributes to keep as template attributes (first value of each)."},
    {"multiple_numbers", KeyType::String, false, kDefaultMultipleNumbers,
     "An entry with several numbers: \"first\" keeps the first, \"all\" makes one contact each."},
    {"groups", KeyType::StringList, false, nullptr,
     "Group rules \"<group DN> => token[, token]\"; when set, people in no listed group are "
     "skipped. Unset: the job's applications apply."},
    {"group_mode", KeyType::String, false, kDefaultGroupMode,
     "How membership is read: \"memberof\" (the person's memberOf) or \"member\" (the group "
     "entries' member_attribute)."},
    {"member_attribute", KeyType::String, false, kDefaultMemberAttribute,
     "With group_mode = \"member\": the group attribute listing member DNs (member, "
     "uniqueMember)."},
    // Integer, not PositiveInteger: 0 is meaningful (no paging); the plugin bounds it.
    {"page_size", KeyType::Integer, false, "1000",
     "Entries per page (RFC 2696 paged results), 0 to 1000000; 0 turns paging off."},
    {"timeout_seconds", KeyType::PositiveInteger, false, "30",
     "Timeout of connecting and of each wait for the server, in seconds (1 to 3600)."},
};

constexpr plugin::Descriptor kDescriptor = plugin::makeDescriptor<LdapSource>(
    "ldap", "0.1.0", plugin::Kind::Source, "Contacts from an LDAP directory (OpenLDAP, AD)",
    kConfigSchema, std::size(kConfigSchema));

}  // namespace

const plugin::Descriptor* ldapDescriptor() { return &kDescriptor; }

MOBISYNC_PLUGIN_ENTRY(ldapDescriptor)

}  // namespace mobisync::plugins::ldap
