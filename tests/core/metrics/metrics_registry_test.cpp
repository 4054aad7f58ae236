// SPDX-License-Identifier: Apache-2.0
// The metrics registry's exposition, checked by a strict parser that is itself checked.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "metrics/catalog.hpp"
#include "metrics/registry.hpp"
#include "support/prometheus_text.hpp"

using mobisync::metrics::Registry;
using mobisync::metrics::Type;
using mobisync::test::parsePrometheusText;

TEST_SUITE("core.metrics") {
  TEST_CASE("counters gauges and histograms come out as valid exposition") {
    Registry r;
    r.describe("t_runs_total", Type::Counter, "Runs\\by \"outcome\"\nsecond line");
    r.describe("t_up", Type::Gauge, "Up");
    r.describe("t_seconds", Type::Histogram, "Latency", {0.1, 1, 10});
    r.increment("t_runs_total", {{"job", "a"}, {"outcome", "ok"}});
    r.increment("t_runs_total", {{"job", "a"}, {"outcome", "ok"}}, 2);
    r.increment("t_runs_total", {{"job", "b\"q\\x\ny"}, {"outcome", "failed"}});
    r.set("t_up", {}, 1);
    r.observe("t_seconds", {{"call", "create"}}, 0.05);
    r.observe("t_seconds", {{"call", "create"}}, 0.1);  // le is inclusive
    r.observe("t_seconds", {{"call", "create"}}, 5);
    r.observe("t_seconds", {{"call", "create"}}, 50);
    const std::string text = r.exposition();
    CHECK(text.find("t_runs_total{job=\"b\\\"q\\\\x\\ny\",outcome=\"failed\"} 1\n") !=
          std::string::npos);
    CHECK(text.find("# HELP t_runs_total Runs\\\\by \"outcome\"\\nsecond line\n") !=
          std::string::npos);
    auto e = parsePrometheusText(text);
    CHECK(e.types.at("t_runs_total") == "counter");
    CHECK(e.types.at("t_seconds") == "histogram");
    CHECK(e.help.at("t_runs_total") == "Runs\\by \"outcome\"\nsecond line");
    CHECK(e.value("t_runs_total", {{"job", "a"}, {"outcome", "ok"}}) == 3);
    CHECK(e.value("t_runs_total", {{"job", "b\"q\\x\ny"}, {"outcome", "failed"}}) == 1);
    CHECK(e.value("t_up", {}) == 1);
    CHECK(e.value("t_seconds_bucket", {{"call", "create"}, {"le", "0.1"}}) == 2);
    CHECK(e.value("t_seconds_bucket", {{"call", "create"}, {"le", "1"}}) == 2);
    CHECK(e.value("t_seconds_bucket", {{"call", "create"}, {"le", "10"}}) == 3);
    CHECK(e.value("t_seconds_bucket", {{"call", "create"}, {"le", "+Inf"}}) == 4);
    CHECK(e.value("t_seconds_count", {{"call", "create"}}) == 4);
    CHECK(e.value("t_seconds_sum", {{"call", "create"}}) == doctest::Approx(55.15));
  }

  TEST_CASE("misuse of a family is a programming error") {
    Registry r;
    r.describe("t_total", Type::Counter, "x");
    CHECK_THROWS_AS(r.set("t_total", {}, 1), std::logic_error);
    CHECK_THROWS_AS(r.increment("t_total", {}, -1), std::logic_error);
    CHECK_THROWS_AS(r.increment("t_other", {}), std::logic_error);
    CHECK_THROWS_AS(r.increment("t_total", {{"bad-label", "x"}}), std::logic_error);
    CHECK_THROWS_AS(r.increment("t_total", {{"le", "x"}}), std::logic_error);
    CHECK_THROWS_AS(r.describe("9bad", Type::Gauge, "x"), std::logic_error);
    CHECK_THROWS_AS(r.describe("t_total", Type::Gauge, "x"), std::logic_error);
  }

  TEST_CASE("the catalog declares every family mobisync feeds") {
    auto e = parsePrometheusText(mobisync::metrics::global().exposition());
    for (const char* name :
         {mobisync::metrics::kJobRuns, mobisync::metrics::kJobRunsSkipped,
          mobisync::metrics::kJobRunsLeaseSkipped,
          mobisync::metrics::kJobLastSuccess, mobisync::metrics::kContactsFetched,
          mobisync::metrics::kContactsAdded, mobisync::metrics::kContactsRemoved,
          mobisync::metrics::kContactsRejected, mobisync::metrics::kProviderCalls,
          mobisync::metrics::kProviderCallSeconds, mobisync::metrics::kMessages,
          mobisync::metrics::kMessageReceiptSeconds, mobisync::metrics::kReceiptsUnmatched,
          mobisync::metrics::kSmppBoundSessions, mobisync::metrics::kMessagesReceived,
          mobisync::metrics::kOptouts}) {
      CHECK_MESSAGE(e.types.count(name) == 1, name);
    }
  }

  TEST_CASE("declared messaging series are exported at 0 before any event") {
    mobisync::metrics::Registry r;
    mobisync::metrics::describeCatalog(r);
    mobisync::metrics::declareMessagingSeries(r, {"sms"});
    mobisync::metrics::declareMessagingSeries(r, {"sms"});  // a reload declares them again
    const auto e = parsePrometheusText(r.exposition());
    struct {
      const mobisync::test::PromExposition& e;
      bool has(const std::string& name, const std::map<std::string, std::string>& labels) const {
        try {
          return e.value(name, labels) == 0;
        } catch (const std::runtime_error&) {
          return false;
        }
      }
    } at_zero{e};
    for (const char* status : mobisync::metrics::kMessageStatuses) {
      CHECK_MESSAGE(at_zero.has("mobisync_messages_total", {{"notifier", "sms"}, {"status", status}}),
                    status);
    }
    CHECK(at_zero.has("mobisync_message_receipt_seconds_count", {{"notifier", "sms"}}));
    CHECK(at_zero.has("mobisync_message_receipt_seconds_bucket", {{"notifier", "sms"}, {"le", "+Inf"}}));
    CHECK(at_zero.has("mobisync_smpp_bound_sessions", {{"notifier", "sms"}}));
    CHECK(at_zero.has("mobisync_messages_received_total", {{"notifier", "sms"}}));
    CHECK(at_zero.has("mobisync_receipts_unmatched_total", {{"notifier", "sms"}}));
    CHECK(at_zero.has("mobisync_optouts_total", {{"origin", "reply"}}));
    CHECK(at_zero.has("mobisync_optouts_total", {{"origin", "provider"}}));
    CHECK(e.value("mobisync_messages_total", {{"notifier", "sms"}, {"status", "queued"}}) == 0);
    r.increment(mobisync::metrics::kMessages, {{"notifier", "sms"}, {"status", "queued"}});
    r.observe(mobisync::metrics::kMessageReceiptSeconds, {{"notifier", "sms"}}, 3);
    mobisync::metrics::declareMessagingSeries(r, {"sms"});  // never resets a series
    CHECK(r.value(mobisync::metrics::kMessages, {{"notifier", "sms"}, {"status", "queued"}}) == 1);
    CHECK(r.count(mobisync::metrics::kMessageReceiptSeconds, {{"notifier", "sms"}}) == 1);
  }

  TEST_CASE("the strict parser refuses what the format does not allow") {
    const char* bad[] = {
        "x 1\n",                                                // no TYPE
        "# TYPE x counter\nx 1",                                // no final newline
        "# TYPE x counter\nx{a=\"1\"} one\n",                   // not a number
        "# TYPE x counter\nx{a=\"\\t\"} 1\n",                   // bad escape
        "# TYPE x counter\nx{a=\"1\",} 1\n",                    // trailing comma
        "# TYPE x counter\nx{a=\"1\",a=\"2\"} 1\n",             // label twice
        "# TYPE x counter\nx -1\n",                             // negative counter
        "# TYPE x counter\n# TYPE x counter\nx 1\n",            // TYPE twice
        "# TYPE x counter\nx 1\nx 2\n",                         // duplicate series
        "# TYPE x gauge\n# TYPE y gauge\nx 1\ny 1\nx{a=\"b\"} 1\n",  // group split
        "# TYPE x gauge\nx{1a=\"b\"} 1\n",                      // bad label name
        "# TYPE x histogram\nx_bucket{le=\"1\"} 2\nx_bucket{le=\"+Inf\"} 1\nx_count 1\n",
        "# TYPE x histogram\nx_bucket{le=\"1\"} 1\nx_count 1\n",  // no +Inf
        "# TYPE x histogram\nx_bucket{le=\"+Inf\"} 2\nx_count 1\n",
        "# TYPE x wibble\n",
    };
    for (const char* text : bad) {
      CHECK_THROWS_AS_MESSAGE(parsePrometheusText(text), std::runtime_error, text);
    }
    CHECK_NOTHROW(parsePrometheusText("# a comment\n# TYPE x gauge\nx NaN 123\n\n"));
  }
}
