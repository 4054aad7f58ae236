// SPDX-License-Identifier: Apache-2.0
// Plan tables, JSON reports and result summaries.
#include "app/report_printer.hpp"

#include <iomanip>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

namespace mobisync::app {

namespace {

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

void printRejectSample(std::ostream& out, const sync::JobReport& r) {
  for (const auto& row : r.reject_sample) {
    out << "    rejected " << row.position << ": " << row.reason << "\n";
  }
  if (r.rejected > static_cast<std::int64_t>(r.reject_sample.size())) {
    out << "    ... " << r.rejected - static_cast<std::int64_t>(r.reject_sample.size())
        << " more rejected rows\n";
  }
}

}  // namespace

void printPlanTable(std::ostream& out, const sync::JobReport& r, int limit) {
  const auto& s = r.plan.summary;
  out << "Plan for job \"" << r.job << "\" (source \"" << r.source << "\"): " << r.fetched
      << " rows read, " << r.rejected << " rejected";
  if (r.duplicates > 0) out << ", " << r.duplicates << " duplicates merged";
  out << "; " << s.state_pairs << " subscriptions in state\n";
  printRejectSample(out, r);
  if (r.plan.entries.empty()) {
    out << "  nothing to change\n";
  }
  int shown = 0;
  for (const auto& e : r.plan.entries) {
    if (shown >= limit) break;
    ++shown;
    if (!e.add.empty()) {
      out << "  + " << std::left << std::setw(16) << e.msisdn << joined(e.add);
      if (!e.name.empty()) out << "  " << quoted(e.name);
      out << "\n";
    }
    if (!e.remove.empty()) {
      out << "  - " << std::left << std::setw(16) << e.msisdn << joined(e.remove) << "\n";
    }
    if (!e.release.empty()) {
      out << "  = " << std::left << std::setw(16) << e.msisdn << joined(e.release)
          << "  (still held by another job: forgotten here, not removed)\n";
    }
    if (e.details_changed) {
      out << "  ~ " << std::left << std::setw(16) << e.msisdn;
      if (e.old_name != e.name) out << "name " << quoted(e.old_name) << " -> " << quoted(e.name);
      if (e.old_reference != e.reference) {
        if (e.old_name != e.name) out << ", ";
        out << "reference " << quoted(e.old_reference) << " -> " << quoted(e.reference);
      }
      out << "\n";
    }
  }
  if (static_cast<std::size_t>(shown) < r.plan.entries.size()) {
    out << "  ... and " << r.plan.entries.size() - static_cast<std::size_t>(shown)
        << " more (--limit N, or --format json for all)\n";
  }
  out << "Summary: " << s.add_pairs << " to add, " << s.remove_pairs << " to remove, "
      << s.update_contacts << " to update, " << s.unchanged_contacts << " unchanged";
  if (s.release_pairs > 0) out << ", " << s.release_pairs << " to release";
  out << "\n";
  if (!r.blocked_reason.empty()) out << "Blocked: " << r.blocked_reason << "\n";
}

void printResult(std::ostream& out, const sync::JobReport& r) {
  out << "Job \"" << r.job << "\" " << sync::outcomeName(r.outcome) << " in " << std::fixed
      << std::setprecision(1) << r.seconds << " s: " << r.added << " subscriptions added, " << r.removed
      << " removed, " << r.failed << " failed, " << r.held << " held; " << r.updated
      << " contacts updated; " << r.calls << " calls, " << r.retries << " retries.\n";
  out << "  " << r.fetched << " rows read, " << r.rejected << " rejected";
  if (!r.reject_file.empty() && r.rejected > 0) out << " (see " << r.reject_file << ")";
  out << ".\n";
  if (!r.status) out << "  Error: " << r.status.message() << "\n";
  if (!r.blocked_reason.empty()) out << "  Blocked: " << r.blocked_reason << "\n";
}

void printJson(std::ostream& out, const std::vector<sync::JobReport>& reports, bool with_changes) {
  Poco::JSON::Array jobs;
  for (const auto& r : reports) {
    Poco::JSON::Object j(Poco::JSON_PRESERVE_KEY_ORDER);
    j.set("job", r.job);
    j.set("source", r.source);
    j.set("outcome", std::string(sync::outcomeName(r.outcome)));
    j.set("exit_code", sync::exitCodeFor(r));
    if (!r.status) j.set("error", r.status.message());
    if (!r.blocked_reason.empty()) j.set("blocked", r.blocked_reason);
    const auto& s = r.plan.summary;
    Poco::JSON::Object plan(Poco::JSON_PRESERVE_KEY_ORDER);
    plan.set("desired_contacts", s.desired_contacts);
    plan.set("state_pairs", s.state_pairs);
    plan.set("add", s.add_pairs);
    plan.set("remove", s.remove_pairs);
    plan.set("release", s.release_pairs);
    plan.set("update", s.update_contacts);
    plan.set("unchanged", s.unchanged_contacts);
    j.set("plan", plan);
    Poco::JSON::Object res(Poco::JSON_PRESERVE_KEY_ORDER);
    res.set("fetched", r.fetched);
    res.set("rejected", r.rejected);
    res.set("duplicates", r.duplicates);
    res.set("calls", r.calls);
    res.set("added", r.added);
    res.set("removed", r.removed);
    res.set("updated", r.updated);
    res.set("failed", r.failed);
    res.set("held", r.held);
    res.set("retries", r.retries);
    res.set("seconds", r.seconds);
    j.set("result", res);
    if (with_changes) {
      Poco::JSON::Array changes;
      auto arr = [](const std::vector<std::string>& v) {
        Poco::JSON::Array a;
        for (const auto& x : v) a.add(x);
        return a;
      };
      for (const auto& e : r.plan.entries) {
        Poco::JSON::Object c(Poco::JSON_PRESERVE_KEY_ORDER);
        c.set("msisdn", e.msisdn);
        c.set("name", e.name);
        c.set("reference", e.reference);
        c.set("add", arr(e.add));
        c.set("remove", arr(e.remove));
        c.set("release", arr(e.release));
        c.set("update", e.details_changed);
        if (e.details_changed) {
          c.set("old_name", e.old_name);
          c.set("old_reference", e.old_reference);
        }
        changes.add(c);
      }
      j.set("changes", changes);
    }
    jobs.add(j);
  }
  Poco::JSON::Object root(Poco::JSON_PRESERVE_KEY_ORDER);
  root.set("jobs", jobs);
  root.stringify(out, 2);
  out << "\n";
}

}  // namespace mobisync::app
