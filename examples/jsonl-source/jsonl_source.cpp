// SPDX-License-Identifier: Apache-2.0
// jsonl: a source plugin reading contacts from a JSON-lines file, one JSON object per line.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <mobisync/plugin/entry.hpp>

namespace {

using mobisync::Contact;
using mobisync::Status;
using namespace mobisync::plugin;

// Defaults are plain text; the host applies them before init(), so init() reads every key.
constexpr ConfigKey kSchema[] = {
    {"path", KeyType::Path, true, nullptr,
     "The JSON-lines file: one object per line, UTF-8; blank lines are skipped."},
    {"msisdn_field", KeyType::String, false, "msisdn",
     "The member holding the phone number (a string or a number)."},
    {"name_field", KeyType::String, false, "name", "The member holding the contact's name."},
    {"reference_field", KeyType::String, false, "reference",
     "The member holding your own id for the contact."},
    {"applications_field", KeyType::String, false, "applications",
     "The member listing application tokens (array of strings); absent means the job's list."},
};

class JsonlSource final : public Source {
 public:
  Status init(const Context& context) override {
    path_ = context.config.string("path");
    msisdn_ = context.config.string("msisdn_field");
    name_ = context.config.string("name_field");
    reference_ = context.config.string("reference_field");
    applications_ = context.config.string("applications_field");
    if (msisdn_.empty()) {
      return Status::invalidConfig(context.config.where("msisdn_field") + ": must not be empty");
    }
    return {};
  }

  void shutdown() noexcept override {}

  Status fetch(ContactSink& sink) override {
    std::ifstream in(path_);
    if (!in) return Status::io(path_ + ": cannot open: " + std::strerror(errno));
    std::string line;
    std::size_t number = 0;
    while (std::getline(in, line)) {
      ++number;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      std::string position = path_ + ":" + std::to_string(number);
      Contact contact;
      if (std::string why = parse(line, contact); !why.empty()) {
        sink.reject({position, line, why});
        continue;
      }
      contact.position = std::move(position);
      // A failed accept() means the engine wants no more: stop and hand its Status back.
      if (Status s = sink.accept(std::move(contact)); !s) return s;
    }
    // A partial read must fail: the engine would otherwise unsubscribe the unread rest.
    if (in.bad()) return Status::io(path_ + ": read error after line " + std::to_string(number));
    return {};
  }

 private:
  // Fills `c` from one line; returns why the line is not a contact, or "" when it is one.
  std::string parse(const std::string& line, Contact& c) const {
    Poco::JSON::Object::Ptr object;
    try {
      Poco::JSON::Parser parser;
      object = parser.parse(line).extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception& e) {
      return "not a JSON object: " + e.displayText();
    }
    for (const auto& [key, value] : *object) {
      if (key == applications_) {
        if (value.isString()) {
          c.applications.push_back(value.toString());
        } else if (auto list = object->getArray(key)) {
          for (std::size_t i = 0; i < list->size(); ++i) {
            c.applications.push_back(list->get(static_cast<unsigned>(i)).toString());
          }
        } else {
          return "\"" + key + "\" must be an array of strings";
        }
      } else if (!value.isString() && !value.isNumeric() && !value.isBoolean()) {
        continue;  // null, arrays and objects have no place in a flat contact
      } else if (key == msisdn_) {
        c.msisdn = value.toString();
      } else if (key == name_) {
        c.name = value.toString();
      } else if (key == reference_) {
        c.reference = value.toString();
      } else {
        c.attributes.emplace_back(key, value.toString());
      }
    }
    if (c.msisdn.empty()) return "no \"" + msisdn_ + "\" member";
    return {};
  }

  std::string path_, msisdn_, name_, reference_, applications_;
};

constexpr Descriptor kDescriptor = makeDescriptor<JsonlSource>(
    "jsonl", "0.1.0", Kind::Source, "Contacts from a JSON-lines file (one object per line)",
    kSchema, std::size(kSchema));

}  // namespace

const Descriptor* jsonlDescriptor() { return &kDescriptor; }
MOBISYNC_PLUGIN_ENTRY(jsonlDescriptor)
