// SPDX-License-Identifier: Apache-2.0
// The JSON log format and the journald priority prefix.
#include <doctest/doctest.h>

#include <string>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Message.h>

#include "app/log_formats.hpp"
#include "values/job_context.hpp"

using mobisync::app::JournalPriorityFormatter;
using mobisync::app::JsonFormatter;

TEST_SUITE("core.app") {
  TEST_CASE("a JSON log line is one object with time, level, logger, job and message") {
    JsonFormatter json;
    std::string line;
    {
      mobisync::values::JobScope scope("people");
      mobisync::values::JobScope::setRunId("42");
      json.format(Poco::Message("mobisync.sync", "say \"hi\"\n\tand\x01 bye",
                                Poco::Message::PRIO_ERROR),
                  line);
    }
    CHECK(line.find('\n') == std::string::npos);
    auto o = Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>();
    CHECK(o->getValue<std::string>("level") == "error");
    CHECK(o->getValue<std::string>("logger") == "mobisync.sync");
    CHECK(o->getValue<std::string>("job") == "people");
    CHECK(o->getValue<std::string>("run") == "42");
    CHECK(o->getValue<std::string>("message") == "say \"hi\"\n\tand\x01 bye");
    const std::string time = o->getValue<std::string>("time");
    CHECK(time.size() == 24);
    CHECK(time.back() == 'Z');
    // Outside a job's scope: no job, no run.
    std::string outside;
    json.format(Poco::Message("mobisync.daemon", "stopped", Poco::Message::PRIO_INFORMATION),
                outside);
    auto p = Poco::JSON::Parser().parse(outside).extract<Poco::JSON::Object::Ptr>();
    CHECK_FALSE(p->has("job"));
    CHECK(p->getValue<std::string>("level") == "information");
  }

  TEST_CASE("journald lines start with their syslog priority") {
    Poco::AutoPtr<Poco::Formatter> inner(new JsonFormatter);
    JournalPriorityFormatter journal(inner);
    auto prefix = [&](Poco::Message::Priority p) {
      std::string line;
      journal.format(Poco::Message("x", "m", p), line);
      return line.substr(0, 3);
    };
    CHECK(prefix(Poco::Message::PRIO_CRITICAL) == "<2>");
    CHECK(prefix(Poco::Message::PRIO_ERROR) == "<3>");
    CHECK(prefix(Poco::Message::PRIO_WARNING) == "<4>");
    CHECK(prefix(Poco::Message::PRIO_INFORMATION) == "<6>");
    CHECK(prefix(Poco::Message::PRIO_TRACE) == "<7>");
  }
}
