// SPDX-License-Identifier: Apache-2.0
// LdapSource: the LDAP source plugin's logic (bind, paged search, entries to Contacts).
#include "ldap_source.hpp"

#include <ldap.h>

#include <memory>
#include <utility>
#include <vector>

#include "mobisync/plugin/guarded.hpp"

namespace mobisync::plugins::ldap {

namespace {

int scopeOf(Scope scope) {
  switch (scope) {
    case Scope::Base: return LDAP_SCOPE_BASE;
    case Scope::One: return LDAP_SCOPE_ONELEVEL;
    case Scope::Sub: return LDAP_SCOPE_SUBTREE;
  }
  return LDAP_SCOPE_SUBTREE;
}

struct MessageFree {
  void operator()(LDAPMessage* m) const { ldap_msgfree(m); }
};
using MessagePtr = std::unique_ptr<LDAPMessage, MessageFree>;

struct ControlFree {
  void operator()(LDAPControl* c) const { ldap_control_free(c); }
};
using ControlPtr = std::unique_ptr<LDAPControl, ControlFree>;

struct ControlsFree {
  void operator()(LDAPControl** c) const { ldap_controls_free(c); }
};
using ControlsPtr = std::unique_ptr<LDAPControl*, ControlsFree>;

/// A NULL-terminated char* array over strings that outlive it, as libldap wants attrs.
class CStringArray {
 public:
  explicit CStringArray(const std::vector<std::string>& strings) {
    for (const std::string& s : strings) pointers_.push_back(const_cast<char*>(s.c_str()));
    pointers_.push_back(nullptr);
  }
  char** get() { return pointers_.data(); }

 private:
  std::vector<char*> pointers_;
};

/// Reads the DN and the requested attributes of one entry, reusing `entry`'s buffers.
void readEntry(LDAP* ld, LDAPMessage* message, EntryData& entry) {
  entry.attributes.clear();
  char* dn = ldap_get_dn(ld, message);
  entry.dn = dn != nullptr ? dn : "";
  if (dn != nullptr) ldap_memfree(dn);
  BerElement* ber = nullptr;
  for (char* name = ldap_first_attribute(ld, message, &ber); name != nullptr;
       name = ldap_next_attribute(ld, message, ber)) {
    auto& [attribute, values] = entry.attributes.emplace_back();
    attribute = name;
    if (berval** vals = ldap_get_values_len(ld, message, name); vals != nullptr) {
      for (berval** v = vals; *v != nullptr; ++v) {
        values.emplace_back((*v)->bv_val, (*v)->bv_len);
      }
      ldap_value_free_len(vals);
    }
    ldap_memfree(name);
  }
  if (ber != nullptr) ber_free(ber, 0);
}

}  // namespace

Status LdapSource::init(const plugin::Context& context) {
  logger_ = &context.logger;
  initialised_ = false;
  Status status = plugin::guarded(
      "ldap: init failed", [&] { return plugin::assignTo(options_, readOptions(context.config)); });
  initialised_ = status.isOk();
  return status;
}

void LdapSource::shutdown() noexcept {
  initialised_ = false;
  logger_ = nullptr;
  // The password has no business outliving the instance.
  options_.bind_password.assign(options_.bind_password.size(), '\0');
  options_.bind_password.clear();
}

Status LdapSource::fetch(plugin::ContactSink& sink) {
  if (!initialised_) {
    return Status::internal("ldap: fetch() called without a successful init()");
  }
  return plugin::guarded("ldap: reading " + searchName() + " failed",
                         [&] { return fetchAll(sink); });
}

std::string LdapSource::searchName() const {
  std::string out = options_.base;
  out += " on ";
  out += options_.uri;
  return out;
}

Status LdapSource::fetchAll(plugin::ContactSink& sink) {
  LdapConnection connection;
  if (Status s = connection.connect(options_); !s) return s;
  EntryMapper mapper(options_);
  if (!options_.groups.empty() && options_.group_mode == GroupMode::Member) {
    if (Status s = readGroups(connection, mapper); !s) return s;
  }
  return search(connection, mapper, sink);
}

Status LdapSource::readGroups(LdapConnection& connection, EntryMapper& mapper) {
  LDAP* ld = connection.handle();
  std::vector<std::string> wanted{options_.member_attribute};
  CStringArray attrs(wanted);
  timeval timeout{};
  timeout.tv_sec = static_cast<time_t>(options_.timeout.count());
  for (std::size_t index = 0; index < options_.groups.size(); ++index) {
    const GroupRule& rule = options_.groups[index];
    LDAPMessage* raw = nullptr;
    const int rc = ldap_search_ext_s(ld, rule.group_dn.c_str(), LDAP_SCOPE_BASE, "(objectClass=*)",
                                     attrs.get(), 0, nullptr, nullptr, &timeout, 0, &raw);
    MessagePtr result(raw);
    if (rc != LDAP_SUCCESS) {
      // A group that cannot be read would silently unsubscribe all its members.
      return Status::unavailable("ldap: reading group " + rule.group_dn + " on " + options_.uri +
                                 " failed: " + connection.describe(rc));
    }
    EntryData group;
    for (LDAPMessage* m = ldap_first_entry(ld, result.get()); m != nullptr;
         m = ldap_next_entry(ld, m)) {
      readEntry(ld, m, group);
      if (const auto* members = group.find(options_.member_attribute)) {
        for (const std::string& member : *members) mapper.addMember(member, index);
      }
    }
  }
  return Status::ok();
}

Status LdapSource::search(LdapConnection& connection, const EntryMapper& mapper,
                          plugin::ContactSink& sink) {
  LDAP* ld = connection.handle();
  const std::vector<std::string> wanted = mapper.requestedAttributes();
  CStringArray attrs(wanted);
  const auto failed = [&](int rc, const char* what) {
    std::string message = "ldap: search of ";
    message += searchName();
    message += " with filter \"";
    message += options_.filter;
    message += "\" ";
    message += what;
    message += ": ";
    message += connection.describe(rc);
    return Status::unavailable(std::move(message));
  };

  berval cookie{};
  std::string cookie_bytes;
  std::uint64_t entries = 0;
  std::uint64_t contacts = 0;
  std::uint64_t outside_groups = 0;
  std::uint64_t pages = 0;
  EntryData entry;
  std::vector<Contact> mapped;
  do {
    ControlPtr page;
    LDAPControl* server_controls[2] = {nullptr, nullptr};
    if (options_.page_size > 0) {
      LDAPControl* control = nullptr;
      cookie.bv_val = cookie_bytes.empty() ? nullptr : cookie_bytes.data();
      cookie.bv_len = cookie_bytes.size();
      // Critical: a server without paging must refuse rather than return a truncated tree.
      const int rc = ldap_create_page_control(ld, options_.page_size,
                                              cookie_bytes.empty() ? nullptr : &cookie, 1,
                                              &control);
      if (rc != LDAP_SUCCESS) return failed(rc, "could not build its paging control");
      page.reset(control);
      server_controls[0] = control;
    }
    int msgid = 0;
    int rc = ldap_search_ext(ld, options_.base.c_str(), scopeOf(options_.scope),
                             options_.filter.c_str(), attrs.get(), 0, server_controls, nullptr,
                             nullptr, 0, &msgid);
    if (rc == LDAP_FILTER_ERROR) {
      return Status::invalidConfig("ldap: filter \"" + options_.filter + "\" is invalid: " +
                                   connection.describe(rc));
    }
    if (rc != LDAP_SUCCESS) return failed(rc, "could not start");
    ++pages;
    cookie_bytes.clear();

    bool done = false;
    while (!done) {
      timeval timeout{};
      timeout.tv_sec = static_cast<time_t>(options_.timeout.count());
      LDAPMessage* raw = nullptr;
      // One message at a time: memory stays at one entry whatever the page size.
      rc = ldap_result(ld, msgid, LDAP_MSG_ONE, &timeout, &raw);
      MessagePtr message(raw);
      if (rc == 0) {
        ldap_abandon_ext(ld, msgid, nullptr, nullptr);
        return failed(LDAP_TIMEOUT, "timed out");
      }
      if (rc < 0) {
        int code = LDAP_OTHER;
        ldap_get_option(ld, LDAP_OPT_RESULT_CODE, &code);
        return failed(code, "failed midway");
      }
      switch (ldap_msgtype(message.get())) {
        case LDAP_RES_SEARCH_ENTRY: {
          ++entries;
          readEntry(ld, message.get(), entry);
          RejectedRow reject;
          switch (mapper.map(entry, mapped, reject)) {
            case EntryMapper::Outcome::NotInGroup:
              ++outside_groups;
              break;
            case EntryMapper::Outcome::Rejected:
              sink.reject(std::move(reject));
              break;
            case EntryMapper::Outcome::Contacts:
              for (Contact& c : mapped) {
                ++contacts;
                if (Status s = sink.accept(std::move(c)); !s) {
                  ldap_abandon_ext(ld, msgid, nullptr, nullptr);
                  return s;
                }
              }
              break;
          }
          break;
        }
        case LDAP_RES_SEARCH_REFERENCE:
          // Referrals are not chased (see LdapConnection); say so once per reference.
          if (logger_ != nullptr) {
            logger_->warning("ldap: ignoring a search reference under " + options_.base);
          }
          break;
        case LDAP_RES_SEARCH_RESULT: {
          done = true;
          int code = LDAP_OTHER;
          LDAPControl** raw_controls = nullptr;
          char* text = nullptr;
          rc = ldap_parse_result(ld, message.get(), &code, nullptr, &text, nullptr, &raw_controls,
                                 0);
          ControlsPtr controls(raw_controls);
          if (text != nullptr) ldap_memfree(text);
          if (rc != LDAP_SUCCESS) return failed(rc, "returned an unreadable result");
          if (code == LDAP_FILTER_ERROR) {
            return Status::invalidConfig("ldap: filter \"" + options_.filter +
                                         "\" is invalid: " + connection.describe(code));
          }
          if (code == LDAP_SIZELIMIT_EXCEEDED) {
            return failed(code, options_.page_size > 0
                                    ? "hit the server's size limit even with paging"
                                    : "hit the server's size limit; set page_size to read "
                                      "the whole tree");
          }
          if (code != LDAP_SUCCESS) return failed(code, "failed");
          if (options_.page_size > 0) {
            LDAPControl* response =
                ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, controls.get(), nullptr);
            if (response == nullptr) {
              // Without the response control we cannot know whether more pages exist.
              return failed(LDAP_PROTOCOL_ERROR,
                            "returned no paged-results control; the tree may be incomplete");
            }
            ber_int_t estimate = 0;
            berval next{};
            rc = ldap_parse_pageresponse_control(ld, response, &estimate, &next);
            if (rc != LDAP_SUCCESS) return failed(rc, "returned a bad paged-results control");
            if (next.bv_val != nullptr) {
              cookie_bytes.assign(next.bv_val, next.bv_len);
              ber_memfree(next.bv_val);
            }
          }
          break;
        }
        default:
          break;
      }
    }
  } while (!cookie_bytes.empty());

  if (logger_ != nullptr) {
    logger_->information("ldap: read " + std::to_string(entries) + " entries in " +
                         std::to_string(pages) + " page(s) from " + searchName() + ": " +
                         std::to_string(contacts) + " contacts, " +
                         std::to_string(outside_groups) + " in no mapped group");
  }
  return Status::ok();
}

}  // namespace mobisync::plugins::ldap
