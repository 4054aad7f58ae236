// SPDX-License-Identifier: Apache-2.0
// The read stage with a fake source: what it gives the source from the state, and its verdict.
#include <doctest/doctest.h>

#include <Poco/Data/Session.h>

#include <optional>
#include <string>
#include <vector>

#include "model/msisdn.hpp"
#include "state/cursor_store.hpp"
#include "state/spelling_memo_store.hpp"
#include "state/state_store.hpp"
#include "support/temp_dir.hpp"
#include "sync/read_stage.hpp"

namespace ms = mobisync::sync;
using mobisync::plugin::Cursor;
using mobisync::state::StateStore;

namespace {

mobisync::config::JobConfig job() {
  mobisync::config::JobConfig j;
  j.name = "staff";
  j.source = "hr";
  j.default_region = "gb";
  return j;
}

/// A source that remembers what the stage gave it and answers `answer`.
struct FakeSource {
  ms::SourceReadResult answer;
  std::vector<std::int64_t> canonical_seen;
  std::optional<std::int64_t> spelling_seen;  ///< the memo's answer for "07700 900003"
  std::size_t spellings_seen = 0;
  std::optional<Cursor> cursor_seen;
  int calls = 0;

  ms::SourceFetch fetch() {
    return [this](const ms::NumberMemo& memo, const std::optional<Cursor>& c) {
      ++calls;
      canonical_seen = memo.canonical;
      spelling_seen = memo.spellings.find("07700 900003");
      spellings_seen = memo.spellings.size();
      cursor_seen = c;
      return answer;
    };
  }
};

}  // namespace

TEST_SUITE("core.read_stage") {
  TEST_CASE("the source gets the memo of the job's region and the stored cursor") {
    mobisync::test::TempDir dir;
    StateStore store(dir.file("state.db"));
    store.addCanonicalNumbers("GB", mobisync::model::MsisdnNormalizer::engineTag(),
                              {447700900002, 447700900001});
    mobisync::state::SpellingMemoStore(store).add(
        "staff", "GB", mobisync::model::MsisdnNormalizer::engineTag(),
        {{"07700 900003", 447700900003}});
    mobisync::state::SpellingMemoStore(store).add("other job", "GB",
                                                  mobisync::model::MsisdnNormalizer::engineTag(),
                                                  {{"07700 900004", 447700900004}});
    mobisync::state::CursorStore(store).save("staff", "hr", "17", "integer", 1000);
    FakeSource source;
    source.answer.fetched = 3;
    const ms::SourceRead read = ms::readStage(job(), store, false, source.fetch());
    CHECK(read.status);
    CHECK(read.memo_region == "GB");
    CHECK(read.source.fetched == 3);
    CHECK(source.canonical_seen == std::vector<std::int64_t>{447700900001, 447700900002});
    CHECK(source.spelling_seen == 447700900003);
    CHECK(source.spellings_seen == 1);  // the job's own spellings only
    REQUIRE(source.cursor_seen.has_value());
    CHECK(source.cursor_seen->value == "17");
    CHECK(source.cursor_seen->type == "integer");
  }

  TEST_CASE("a full refresh reads everything: no cursor") {
    mobisync::test::TempDir dir;
    StateStore store(dir.file("state.db"));
    mobisync::state::CursorStore(store).save("staff", "hr", "17", "integer", 1000);
    FakeSource source;
    const ms::SourceRead read = ms::readStage(job(), store, true, source.fetch());
    CHECK(read.status);
    CHECK_FALSE(source.cursor_seen.has_value());
  }

  TEST_CASE("a source that failed midway is a failed stage that names the source") {
    mobisync::test::TempDir dir;
    StateStore store(dir.file("state.db"));
    FakeSource source;
    source.answer.status = mobisync::Status::unavailable("connection reset at row 40");
    source.answer.fetched = 39;
    const ms::SourceRead read = ms::readStage(job(), store, false, source.fetch());
    CHECK(read.status.code() == mobisync::Errc::Unavailable);
    CHECK(read.status.message() ==
          "source hr failed, nothing applied: connection reset at row 40");
    CHECK(read.source.fetched == 39);  // the counts still reach the report
  }

  TEST_CASE("a memo that cannot be read costs time only, a cursor that cannot be read stops") {
    using Poco::Data::Keywords::now;
    mobisync::test::TempDir dir;
    StateStore store(dir.file("state.db"));
    store.session() << "DROP TABLE canonical_numbers", now;
    store.session() << "DROP TABLE number_spellings", now;
    FakeSource source;
    CHECK(ms::readStage(job(), store, false, source.fetch()).status);
    CHECK(source.calls == 1);
    CHECK(source.canonical_seen.empty());
    CHECK(source.spellings_seen == 0);
    store.session() << "DROP TABLE source_cursors", now;
    const ms::SourceRead read = ms::readStage(job(), store, false, source.fetch());
    CHECK(read.status.code() == mobisync::Errc::Io);
    CHECK(source.calls == 1);  // the source was not read without its cursor
    CHECK(ms::readStage(job(), store, true, source.fetch()).status);  // a full refresh needs none
  }
}
