// SPDX-License-Identifier: Apache-2.0
// `state show` printers.
#include "app/state_show.hpp"

#include "app/json_text.hpp"
#include "mobisync/text.hpp"
#include "state/lease_store.hpp"
#include "sync/job_lease.hpp"
#include "sync/job_report.hpp"

namespace mobisync::app {

namespace {

constexpr int kRecentRuns = 10;

/// Which process applies each job now (or last did), for operators of several hosts.
void printLeases(std::ostream& out, state::StateStore& store) {
  auto leases = state::LeaseStore(store).all();
  if (leases.empty()) return;
  out << "Leases:\n";
  const std::int64_t now_ms = sync::wallClockMs();
  for (const auto& l : leases) {
    out << "  job " << l.job << ": ";
    if (l.expires_at_ms > now_ms) {
      out << "held by " << l.holder << " (token " << l.token << ") until "
          << sync::leaseTimeText(l.expires_at_ms) << "\n";
    } else {
      out << "free; last taken by " << l.holder << " (token " << l.token << ") at "
          << sync::leaseTimeText(l.acquired_at_ms) << "\n";
    }
  }
}

}  // namespace

void printStateTable(std::ostream& out, state::StateStore& store, const std::string& name,
                     const std::string& job) {
  out << "State " << name << " (schema version " << store.schemaVersion() << ")\n";
  for (const auto& j : store.jobs()) {
    out << "  job " << j << ": " << store.countPairs(j) << " subscriptions\n";
  }
  out << "Recent runs:\n";
  for (const auto& r : store.runs(job, kRecentRuns)) {
    out << "  #" << r.id << " " << r.job << " " << r.mode << " " << r.outcome
        << ": fetched " << r.fetched << ", rejected " << r.rejected << ", added " << r.added
        << ", removed " << r.removed << ", updated " << r.updated << ", failed " << r.failed
        << ", held " << r.held << "\n";
    // Why a run did not succeed, where an operator looks first.
    if (r.outcome != "succeeded" && !r.message.empty()) {
      out << "      " << text::excerpt(r.message, 300) << "\n";
    }
  }
  printLeases(out, store);
}

void printStateJson(std::ostream& out, state::StateStore& store, const std::string& name,
                    const std::string& job) {
  out << "{\n  \"state\": " << jsonQuote(name) << ",\n  \"schema_version\": "
      << store.schemaVersion() << ",\n  \"jobs\": [";
  const auto jobs = store.jobs();
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    out << (i == 0 ? "" : ", ") << "{\"job\": " << jsonQuote(jobs[i])
        << ", \"subscriptions\": " << store.countPairs(jobs[i]) << "}";
  }
  out << "],\n  \"runs\": [";
  const auto runs = store.runs(job, kRecentRuns);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const auto& r = runs[i];
    out << (i == 0 ? "\n" : ",\n") << "    {\"id\": " << r.id << ", \"job\": " << jsonQuote(r.job)
        << ", \"mode\": " << jsonQuote(r.mode) << ", \"outcome\": " << jsonQuote(r.outcome)
        << ", \"started_at_ms\": " << r.started_at_ms << ", \"ended_at_ms\": " << r.ended_at_ms;
    for (const auto& f : state::kRunCountFields) {
      out << ", " << jsonQuote(std::string(f.name)) << ": " << r.*f.member;
    }
    out << ", \"message\": " << jsonQuote(text::excerpt(r.message, 1000)) << "}";
  }
  out << (runs.empty() ? "],\n" : "\n  ],\n") << "  \"leases\": [";
  const auto leases = state::LeaseStore(store).all();
  for (std::size_t i = 0; i < leases.size(); ++i) {
    const auto& l = leases[i];
    out << (i == 0 ? "\n" : ",\n") << "    {\"job\": " << jsonQuote(l.job)
        << ", \"holder\": " << jsonQuote(l.holder) << ", \"token\": " << l.token
        << ", \"acquired_at_ms\": " << l.acquired_at_ms
        << ", \"expires_at_ms\": " << l.expires_at_ms << "}";
  }
  out << (leases.empty() ? "]\n}\n" : "\n  ]\n}\n");
}

}  // namespace mobisync::app
