// SPDX-License-Identifier: Apache-2.0
// Plan tables, JSON reports and result summaries.
#include "app/report_printer.hpp"

#include <iomanip>

#include "app/json_text.hpp"

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

void printEntry(std::ostream& out, const sync::PlanEntry& e) {
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

/// The plan's header, rejects, first `limit` entries and counts; `more` follows the count of
/// entries not shown.
void printPlan(std::ostream& out, const sync::JobReport& r, int limit, const std::string& more) {
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
    printEntry(out, e);
  }
  if (static_cast<std::size_t>(shown) < r.plan.entries.size()) {
    out << "  ... and " << r.plan.entries.size() - static_cast<std::size_t>(shown) << " more"
        << more << "\n";
  }
  out << "Summary: " << s.add_pairs << " to add, " << s.remove_pairs << " to remove, "
      << s.update_contacts << " to update, " << s.unchanged_contacts << " unchanged";
  if (s.release_pairs > 0) out << ", " << s.release_pairs << " to release";
  if (s.protected_pairs > 0) {
    out << ", " << s.protected_pairs << " kept because their rows were rejected";
  }
  out << "\n";
}

}  // namespace

void printPlanTable(std::ostream& out, const sync::JobReport& r, int limit) {
  printPlan(out, r, limit, " (--limit N, or --format json for all)");
  if (!r.blocked_reason.empty()) out << "Blocked: " << r.blocked_reason << "\n";
}

void printPlanPreview(std::ostream& out, const sync::JobReport& r) {
  printPlan(out, r, kPreviewLines, " (mobisync plan " + r.job + " lists every change)");
}

void printResult(std::ostream& out, const sync::JobReport& r) {
  out << "Job \"" << r.job << "\" " << sync::outcomeName(r.outcome) << " in " << std::fixed
      << std::setprecision(1) << r.seconds << " s: " << r.added << " subscriptions added, "
      << r.removed << " removed, " << r.failed << " failed, " << r.held << " held; " << r.updated
      << " contacts updated; " << r.calls << " calls, " << r.retries << " retries.\n";
  out << "  " << r.fetched << " rows read, " << r.rejected << " rejected";
  if (!r.reject_file.empty() && r.rejected > 0) out << " (see " << r.reject_file << ")";
  out << ".\n";
  if (r.hlr_inactive > 0) {
    out << "  " << r.hlr_inactive << " numbers not subscribed: inactive by number lookup.\n";
  }
  if (r.messages_sent > 0 || r.messages_failed > 0) {
    out << "  Notifications: " << r.messages_sent << " submitted, " << r.messages_failed
        << " failed.\n";
  }
  for (const auto& p : r.notify_problems) out << "  Notification problem: " << p << "\n";
  if (!r.status) out << "  Error: " << r.status.message() << "\n";
  if (!r.blocked_reason.empty()) out << "  Blocked: " << r.blocked_reason << "\n";
}

namespace {

std::string jsonArray(const std::vector<std::string>& v) {
  std::string a = "[";
  for (const auto& x : v) a += (a.size() > 1 ? ", " : "") + jsonQuote(x);
  return a + "]";
}

}  // namespace

void printJson(std::ostream& out, const std::vector<sync::JobReport>& reports, bool with_changes) {
  auto q = jsonQuote;
  out << "{\n  \"jobs\": [";
  bool first_job = true;
  for (const auto& r : reports) {
    out << (first_job ? "\n" : ",\n") << "    {\n";
    first_job = false;
    out << "      \"job\": " << q(r.job) << ",\n      \"source\": " << q(r.source)
        << ",\n      \"outcome\": " << q(sync::outcomeName(r.outcome))
        << ",\n      \"exit_code\": " << sync::exitCodeFor(r) << ",\n";
    if (!r.status) out << "      \"error\": " << q(r.status.message()) << ",\n";
    if (!r.blocked_reason.empty()) out << "      \"blocked\": " << q(r.blocked_reason) << ",\n";
    const auto& s = r.plan.summary;
    out << "      \"plan\": {\"desired_contacts\": " << s.desired_contacts
        << ", \"state_pairs\": " << s.state_pairs << ", \"add\": " << s.add_pairs
        << ", \"remove\": " << s.remove_pairs << ", \"release\": " << s.release_pairs
        << ", \"kept_rejected\": " << s.protected_pairs
        << ", \"update\": " << s.update_contacts << ", \"unchanged\": " << s.unchanged_contacts
        << "},\n";
    out << "      \"result\": {\"fetched\": " << r.fetched << ", \"rejected\": " << r.rejected
        << ", \"duplicates\": " << r.duplicates << ", \"calls\": " << r.calls
        << ", \"added\": " << r.added << ", \"removed\": " << r.removed
        << ", \"updated\": " << r.updated << ", \"failed\": " << r.failed
        << ", \"held\": " << r.held << ", \"retries\": " << r.retries
        << ", \"hlr_inactive\": " << r.hlr_inactive << ", \"messages_sent\": " << r.messages_sent
        << ", \"messages_failed\": " << r.messages_failed
        << ", \"seconds\": " << r.seconds << ", \"apply_seconds\": " << r.apply_seconds << "}";
    if (with_changes) {
      out << ",\n      \"changes\": [";
      bool first = true;
      for (const auto& e : r.plan.entries) {
        out << (first ? "\n" : ",\n") << "        {\"msisdn\": " << q(e.msisdn)
            << ", \"name\": " << q(e.name) << ", \"reference\": " << q(e.reference)
            << ", \"add\": " << jsonArray(e.add) << ", \"remove\": " << jsonArray(e.remove)
            << ", \"release\": " << jsonArray(e.release)
            << ", \"update\": " << (e.details_changed ? "true" : "false");
        if (e.details_changed) {
          out << ", \"old_name\": " << q(e.old_name)
              << ", \"old_reference\": " << q(e.old_reference);
        }
        out << "}";
        first = false;
      }
      out << (first ? "]" : "\n      ]");
    }
    out << "\n    }";
  }
  out << (first_job ? "]\n}\n" : "\n  ]\n}\n");
}

}  // namespace mobisync::app
