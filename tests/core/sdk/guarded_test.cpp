// SPDX-License-Identifier: Apache-2.0
// mobisync/plugin/guarded.hpp: the exception guard of plugin entry points and assignTo().
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "mobisync/plugin/guarded.hpp"

using mobisync::Errc;
using mobisync::Result;
using mobisync::Status;
using mobisync::plugin::assignTo;
using mobisync::plugin::guarded;

TEST_CASE("guarded returns what its body returns") {
  CHECK(guarded("x: init failed", [] { return Status::ok(); }).isOk());
  const Status failed = guarded("x: init failed", [] { return Status::io("disk gone"); });
  CHECK(failed.code() == Errc::Io);
  CHECK(failed.message() == "disk gone");
}

TEST_CASE("guarded turns an escaped exception into an internal error naming the step") {
  const Status known =
      guarded("csv: init failed", []() -> Status { throw std::runtime_error("bad alloc"); });
  CHECK(known.code() == Errc::Internal);
  CHECK(known.message() == "csv: init failed: bad alloc");

  const Status unknown = guarded("csv: reading a.csv failed", []() -> Status { throw 42; });
  CHECK(unknown.code() == Errc::Internal);
  CHECK(unknown.message() == "csv: reading a.csv failed: unknown exception");
}

TEST_CASE("guarded passes the exception's message through scrub, and only that") {
  const auto hide = [](std::string m) {
    for (auto at = m.find("s3cret"); at != std::string::npos; at = m.find("s3cret")) {
      m.replace(at, 6, "***");
    }
    return m;
  };
  const Status scrubbed = guarded(
      "odbc: init failed", []() -> Status { throw std::runtime_error("PWD=s3cret refused"); },
      hide);
  CHECK(scrubbed.message() == "odbc: init failed: PWD=*** refused");
  // A Status the body returns is its own business: scrub only guards exception texts.
  CHECK(guarded("odbc: init failed", [] { return Status::io("s3cret"); }, hide).message() ==
        "s3cret");
}

TEST_CASE("assignTo keeps the value or leaves the target alone") {
  std::string target = "old";
  CHECK(assignTo(target, Result<std::string>(std::string("new"))).isOk());
  CHECK(target == "new");
  const Status failed = assignTo(target, Result<std::string>(Status::invalidConfig("no path")));
  CHECK(failed.code() == Errc::InvalidConfig);
  CHECK(failed.message() == "no path");
  CHECK(target == "new");
}
