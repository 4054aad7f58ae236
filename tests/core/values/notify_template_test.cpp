// SPDX-License-Identifier: Apache-2.0
// MessageTemplate: parsing with error offsets, fields per event, rendering.
#include <doctest/doctest.h>

#include <map>
#include <variant>

#include "values/message_template.hpp"

using mobisync::values::Event;
using mobisync::values::MessageTemplate;
using mobisync::values::TemplateError;

namespace {

MessageTemplate parsed(const std::string& text) {
  auto r = MessageTemplate::parse(text);
  REQUIRE(std::holds_alternative<MessageTemplate>(r));
  return std::get<MessageTemplate>(r);
}

TemplateError errorOf(const std::string& text) {
  auto r = MessageTemplate::parse(text);
  REQUIRE(std::holds_alternative<TemplateError>(r));
  return std::get<TemplateError>(r);
}

std::string render(const MessageTemplate& t, std::map<std::string, std::string> values) {
  auto r = t.render([&](const std::string& f) -> std::optional<std::string> {
    auto it = values.find(f);
    if (it == values.end()) return std::nullopt;
    return it->second;
  });
  REQUIRE(r.has_value());
  return *r;
}

}  // namespace

TEST_SUITE("core.notify") {
  TEST_CASE("a template renders its fields and brace escapes") {
    auto t = parsed("Hi {name}, {{you}} are {msisdn} in {department}}}");
    CHECK(render(t, {{"name", "Ann"}, {"msisdn", "447930000001"}, {"department", "Sales"}}) ==
          "Hi Ann, {you} are 447930000001 in Sales}");
    CHECK(t.fields() == std::vector<std::string>{"name", "msisdn", "department"});
  }

  TEST_CASE("template syntax errors name the offset of the brace") {
    auto unclosed = errorOf("Hello {name");
    CHECK(unclosed.offset == 6);
    CHECK(unclosed.message.find("never closed") != std::string::npos);
    auto stray = errorOf("Hello } there");
    CHECK(stray.offset == 6);
    auto empty = errorOf("ab{}");
    CHECK(empty.offset == 2);
    auto bad = errorOf("x {na me}");
    CHECK(bad.offset == 2);
    CHECK(bad.message.find("not a field name") != std::string::npos);
  }

  TEST_CASE("job events accept only their own fields") {
    auto ok = parsed("{job}: +{added} -{removed} rejected {rejected}: {error}");
    CHECK_FALSE(ok.checkFor(Event::JobFailed).has_value());
    auto bad = parsed("job {job} for {name}");
    auto e = bad.checkFor(Event::JobBlocked);
    REQUIRE(e.has_value());
    CHECK(e->offset == 14);
    CHECK(e->message.find("{name} is not a field of job.blocked") != std::string::npos);
  }

  TEST_CASE("contact events accept any attribute name and fail only when rendering") {
    auto t = parsed("Welcome {name} to {branch}");
    CHECK_FALSE(t.checkFor(Event::ContactAdded).has_value());
    auto r = t.render([](const std::string& f) -> std::optional<std::string> {
      if (f == "name") return "Ann";
      return std::nullopt;
    });
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message().find("{branch}") != std::string::npos);
  }
}
