// SPDX-License-Identifier: Apache-2.0
// `plan` and `sync`: each job read, planned and (for sync) applied once, printed as a table or
// JSON. `plan` prints the whole plan; `sync` a short preview of it, then what it did.
#include <iostream>
#include <utility>

#include "app/command_support.hpp"
#include "app/commands.hpp"
#include "app/progress_line.hpp"
#include "app/report_printer.hpp"
#include "sync/job_runner.hpp"

namespace mobisync::app {

using sync::kExitConfig;
using sync::kExitOk;
using sync::kExitUsage;

namespace {

/// The jobs named on the command line (after the command word), or every enabled job.
std::vector<const config::JobConfig*> selectJobs(const config::AppConfig& cfg,
                                                 const std::vector<std::string>& args) {
  std::vector<const config::JobConfig*> jobs;
  if (args.size() > 1) {
    for (std::size_t i = 1; i < args.size(); ++i) {
      const auto* j = cfg.findJob(args[i]);
      if (j == nullptr) {
        std::string names;
        for (const auto& x : cfg.jobs) names += (names.empty() ? "" : ", ") + x.name;
        throw CommandError{kExitUsage, "no job named \"" + args[i] + "\" in " + cfg.file +
                                           " (jobs: " + names + ")"};
      }
      jobs.push_back(j);
    }
  } else {
    for (const auto& j : cfg.jobs) {
      if (j.enabled) jobs.push_back(&j);
    }
  }
  if (jobs.empty()) throw CommandError{kExitConfig, cfg.file + ": no enabled [[job]] to run"};
  return jobs;
}

/// Shows a preview of each job's plan before its calls go out, then the progress line.
class ConsoleProgress : public ProgressLine {
 public:
  ConsoleProgress(const std::string& mode, std::ostream& out, bool preview)
      : ProgressLine(mode), out_(out), preview_(preview) {}
  void onPlanned(const sync::JobReport& r) override {
    if (!preview_) return;
    printPlanPreview(out_, r);
    out_.flush();
    planned_ = true;
  }
  bool takePlanned() { return std::exchange(planned_, false); }

 private:
  std::ostream& out_;
  bool preview_;
  bool planned_ = false;
};

int runJobs(const CliOptions& o, std::ostream& out, bool apply) {
  Loaded l = load(o);
  auto jobs = selectJobs(l.cfg, o.args);
  // A dry run records its run and the number memo, so it opens (and creates) the state.
  auto store = openState(l.cfg, !apply);
  const bool table = o.format != "json";
  ConsoleProgress progress(apply && !o.quiet ? o.progress : "never", out, table && !o.quiet);
  std::vector<sync::JobReport> reports;
  int code = kExitOk;
  for (const auto* job : jobs) {
    sync::JobOptions jo;
    jo.apply = apply;
    jo.dry_run = o.dry_run;
    jo.force = o.force;
    jo.allow_empty_source = o.allow_empty_source;
    jo.full_refresh = o.full_refresh;
    sync::JobReport r = sync::runJob(l.cfg, *job, *l.loader, *store, jo, &progress);
    // Not an error of this run but a reason to try later: said where scripts look, whatever
    // the output format.
    if (r.outcome == sync::JobOutcome::Skipped) {
      std::cerr << "mobisync: " << r.status.message() << "\n";
    }
    const bool shown = progress.takePlanned();
    if (table && !apply) {
      printPlanTable(out, r, o.limit);
      if (!r.status) out << "Error: " << r.status.message() << "\n";
    }
    // -q: a sync that did what it planned says nothing.
    if (table && apply && !(o.quiet && r.outcome == sync::JobOutcome::Succeeded)) {
      if (!shown && !o.quiet) out << "Job \"" << r.job << "\": no plan was made.\n";
      printResult(out, r);
    }
    out.flush();
    int c = sync::exitCodeFor(r);
    // A plan that would be blocked is still a successful plan.
    if (!apply && r.outcome == sync::JobOutcome::Blocked) c = kExitOk;
    code = sync::worseExit(code, c);
    reports.push_back(std::move(r));
  }
  if (!table) printJson(out, reports, !apply);
  return code;
}

}  // namespace

int runPlan(const CliOptions& o, std::ostream& out) {
  return guardedCommand([&] { return runJobs(o, out, false); });
}

int runSync(const CliOptions& o, std::ostream& out) {
  return guardedCommand([&] { return runJobs(o, out, true); });
}

}  // namespace mobisync::app
