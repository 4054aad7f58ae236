// SPDX-License-Identifier: Apache-2.0
// The spelling memo through a real state (SQLite and PostgreSQL): recorded by one read, found by
// the next, bounded by what the job's reads still use.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include <Poco/Data/Session.h>

#include "model/msisdn.hpp"
#include "state/migrations.hpp"
#include "state/spelling_memo_store.hpp"
#include "state/state_session.hpp"
#include "state/state_store.hpp"
#include "support/state_backends.hpp"
#include "support/temp_dir.hpp"
#include "sync/number_memo.hpp"
#include "sync/spelling_memo_upkeep.hpp"

namespace ms = mobisync::sync;
using mobisync::state::SpellingRow;
using mobisync::state::StateStore;
using Upkeep = ms::SpellingUpkeep;

namespace {

ms::SourceRead readWith(StateStore& store, std::vector<SpellingRow> fresh,
                        const std::vector<std::string>& looked_up) {
  ms::SourceRead read;
  read.memo_region = "GB";
  read.memo = ms::loadNumberMemo(store, "staff", "GB");
  for (const auto& s : looked_up) read.memo.spellings.find(s);
  read.source.new_spellings = std::move(fresh);
  return read;
}

std::vector<SpellingRow> stored(StateStore& store, const std::string& engine) {
  std::vector<SpellingRow> out;
  mobisync::state::SpellingMemoStore(store).forEach(
      "staff", "GB", engine, [&](std::string_view s, std::int64_t n) { out.emplace_back(s, n); });
  return out;
}

}  // namespace

TEST_SUITE("core.read_stage") {
  TEST_CASE("spelling memo upkeep: append while stale rows are few, rewrite when they dominate") {
    const std::size_t slack = ms::kSpellingMemoSlack;
    CHECK(ms::chooseSpellingUpkeep(0, 0, 0, true) == Upkeep::Nothing);
    CHECK(ms::chooseSpellingUpkeep(0, 0, 5, true) == Upkeep::Replace);  // a first memo
    CHECK(ms::chooseSpellingUpkeep(0, 0, 5, false) == Upkeep::Replace);  // whatever the read
    CHECK(ms::chooseSpellingUpkeep(100, 100, 5, true) == Upkeep::Add);
    CHECK(ms::chooseSpellingUpkeep(2 * 100 + slack, 100, 0, true) == Upkeep::Nothing);
    CHECK(ms::chooseSpellingUpkeep(2 * 100 + slack + 1, 100, 0, true) == Upkeep::Replace);
    // An incremental or failed read saw part of the source: it never drops rows.
    CHECK(ms::chooseSpellingUpkeep(1000000, 10, 5, false) == Upkeep::Add);
    // Never past the bound: a full memo takes nothing new (those spellings only cost time).
    const std::size_t max = ms::kSpellingMemoMaxRows;
    CHECK(ms::chooseSpellingUpkeep(max - 1, max - 1, 5, true) == Upkeep::Add);
    CHECK(ms::chooseSpellingUpkeep(max, max, 5, true) == Upkeep::Nothing);
    CHECK(ms::chooseSpellingUpkeep(max, 10, 5, false) == Upkeep::Nothing);
  }

  TEST_CASE("spellings one run records are what the next run's memo finds") {
    StateStore store(mobisync::test::eachStateBackend());
    const std::string engine = mobisync::model::MsisdnNormalizer::engineTag();
    mobisync::state::SpellingMemoStore(store).add("staff", "GB", "an older engine",
                                                  {{"07930 000001", 1}});
    ms::recordSpellingMemo(store, "staff",
                           readWith(store, {{"07930 123456", 447930123456},
                                            {"+44 (0)7930 123457", 447930123457}}, {}));
    // The first memo of this engine replaced the job's rows, the older engine's included.
    CHECK(stored(store, "an older engine").empty());
    ms::NumberMemo memo = ms::loadNumberMemo(store, "staff", "GB");
    CHECK(memo.spellings.size() == 2);
    CHECK(memo.spellings.find("+44 (0)7930 123457") == 447930123457);
    // Another job's memo is its own.
    CHECK(ms::loadNumberMemo(store, "other", "GB").spellings.size() == 0);
    // A later run that used one of the two and found one new: appended, nothing dropped yet.
    ms::recordSpellingMemo(store, "staff",
                           readWith(store, {{"07930 123458", 447930123458}}, {"07930 123456"}));
    CHECK(stored(store, engine).size() == 3);
  }

  TEST_CASE("a job whose source dropped most spellings keeps only those it still uses") {
    StateStore store(mobisync::test::eachStateBackend());
    const std::string engine = mobisync::model::MsisdnNormalizer::engineTag();
    std::vector<SpellingRow> many;
    for (int i = 0; i < 3000; ++i) many.emplace_back("07930 " + std::to_string(100000 + i), i);
    mobisync::state::SpellingMemoStore(store).add("staff", "GB", engine, many);
    ms::SourceRead read = readWith(store, {{"07931 000000", 447931000000}}, {"07930 100007"});
    read.source.incremental = true;
    ms::recordSpellingMemo(store, "staff", read);
    CHECK(stored(store, engine).size() == 3001);  // an incremental read only adds
    ms::recordSpellingMemo(store, "staff",
                           readWith(store, {{"07932 000000", 447932000000}}, {"07930 100007"}));
    CHECK(stored(store, engine) ==
          std::vector<SpellingRow>{{"07930 100007", 7}, {"07932 000000", 447932000000}});
  }

  TEST_CASE("a first memo of more spellings than one statement binds is recorded whole") {
    StateStore store(mobisync::test::eachStateBackend());
    const std::string engine = mobisync::model::MsisdnNormalizer::engineTag();
    std::vector<SpellingRow> fresh;
    for (int i = 0; i < 25000; ++i) fresh.emplace_back("07930 " + std::to_string(100000 + i), i);
    ms::recordSpellingMemo(store, "staff", readWith(store, fresh, {}));
    CHECK(stored(store, engine) == fresh);  // byte order is the order they were made in
  }

  TEST_CASE("memo rows of a job or region no configured job reads with are dropped") {
    StateStore store(mobisync::test::eachStateBackend());
    const std::string engine = mobisync::model::MsisdnNormalizer::engineTag();
    mobisync::state::SpellingMemoStore memo(store);
    std::vector<SpellingRow> many;
    for (int i = 0; i < 300; ++i) many.emplace_back("07930 " + std::to_string(100000 + i), i);
    memo.add("staff", "GB", engine, many);
    memo.add("staff", "GB", "an older engine", {{"07930 123456", 1}});
    memo.add("staff", "FR", engine, {{"06 12 34 56 78", 33612345678}});  // region changed
    memo.add("gone", "GB", engine, many);                                 // job deleted
    memo.add("zz", "US", engine, {{"(201) 555-0123", 12015550123}});
    using Keys = std::vector<std::pair<std::string, std::string>>;
    CHECK(memo.jobRegions() ==
          Keys{{"gone", "GB"}, {"staff", "FR"}, {"staff", "GB"}, {"zz", "US"}});
    mobisync::config::JobConfig staff, zz;
    staff.name = "staff";
    staff.default_region = "gb";  // the memo's region is upper case
    zz.name = "zz";
    zz.default_region = "US";
    ms::dropUnusedSpellingMemos(store, {staff, zz});
    CHECK(memo.jobRegions() == Keys{{"staff", "GB"}, {"zz", "US"}});
    CHECK(stored(store, engine).size() == 300);
    CHECK(stored(store, "an older engine").size() == 1);  // an engine is replaced by its job
    ms::dropUnusedSpellingMemos(store, {});
    CHECK(memo.jobRegions().empty());
  }

  TEST_CASE("spellings are kept byte for byte, non-ASCII ones included, and paged in order") {
    StateStore store(mobisync::test::eachStateBackend());
    const std::string engine = mobisync::model::MsisdnNormalizer::engineTag();
    // A non-breaking space, a trailing blank and bytes above 0x7F sort after ASCII bytewise.
    std::vector<SpellingRow> rows = {{"07930\u00a0123456", 447930123456},
                                     {"07930 123456 ", 447930123456},
                                     {"07930 123456", 447930123456},
                                     {"\uff10\uff17\uff19\uff13\uff10 123457", 447930123457}};
    // More than a page (20,000 rows) so the paging is crossed.
    for (int i = 0; i < 25000; ++i) rows.emplace_back("+44 7931 " + std::to_string(100000 + i), i);
    mobisync::state::SpellingMemoStore(store).add("staff", "GB", engine, rows);
    const auto back = stored(store, engine);
    REQUIRE(back.size() == rows.size());
    CHECK(std::is_sorted(back.begin(), back.end()));
    auto sorted = rows;
    std::sort(sorted.begin(), sorted.end());
    CHECK(back == sorted);
    // Adding a spelling already there keeps its first number.
    mobisync::state::SpellingMemoStore(store).add("staff", "GB", engine, {{"07930 123456", 1}});
    CHECK(ms::loadNumberMemo(store, "staff", "GB").spellings.find("07930 123456") ==
          447930123456);
  }

  TEST_CASE("a state at schema version 6 gains the spelling memo when opened") {
    mobisync::state::StateLocation where = mobisync::test::eachStateBackend();
    mobisync::test::TempDir dir;
    if (where.path == ":memory:") where.path = dir.file("state.db");  // two sessions, one file
    {
      Poco::Data::Session session = mobisync::state::openStateSession(where);
      CHECK(mobisync::state::migrate(session, where.display(),
                                     mobisync::state::migrations().first(6)) == 6);
    }
    StateStore store(where);
    CHECK(store.schemaVersion() == 7);
    const std::string engine = mobisync::model::MsisdnNormalizer::engineTag();
    mobisync::state::SpellingMemoStore(store).add("staff", "GB", engine,
                                                  {{"07930 123456", 447930123456}});
    CHECK(ms::loadNumberMemo(store, "staff", "GB").spellings.find("07930 123456") ==
          447930123456);
  }
}
