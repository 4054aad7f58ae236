// SPDX-License-Identifier: Apache-2.0
// [[job]] tables: the source, applications, safety limits, schedule and HLR settings of each job.
#include <algorithm>
#include <filesystem>

#include "config/table_readers.hpp"
#include "model/application_token.hpp"
#include "values/cron_expression.hpp"
#include "values/time_zone.hpp"

namespace mobisync::config {

namespace fs = std::filesystem;
using plugin::ConfigValues;

namespace {

/// A job's schedule and zone are parsed here, so `check` and a SIGHUP reload refuse them.
void checkSchedule(const toml::table& t, const std::string& label, const ConfigValues& v,
                   JobConfig& j, Checker& c) {
  j.schedule = v.string("schedule");
  j.timezone = v.string("timezone");
  if (!j.schedule.empty()) {
    if (auto cron = values::CronExpression::parse(j.schedule); !cron) {
      c.error(keyPosition(&t, "schedule"), label + ".schedule",
              "\"" + text::excerpt(j.schedule) + "\": " + cron.error().message());
    }
  }
  if (!j.timezone.empty()) {
    if (auto zone = values::TimeZone::named(j.timezone); !zone) {
      c.error(keyPosition(&t, "timezone"), label + ".timezone", zone.error().message());
    } else if (j.schedule.empty()) {
      c.warn(keyPosition(&t, "timezone"), label + ".timezone",
             "has no effect without a schedule");
    }
  }
}

/// A job's hlr keys; hlr_via must name a [[notifier]] (whether it can look numbers up is known
/// only once the plugin is created, so the run checks that).
void readJobHlr(const toml::table& t, const std::string& label, const ConfigValues& v,
                JobConfig& j, Checker& c, std::vector<NotifierReference>& refs) {
  j.hlr = v.boolean("hlr", false);
  j.hlr_via = v.string("hlr_via");
  j.hlr_max_age_hours = v.integer("hlr_max_age", j.hlr_max_age_hours);
  if (j.hlr && j.hlr_via.empty()) {
    c.error(keyPosition(&t, "hlr"), label + ".hlr_via",
            "hlr = true needs hlr_via, the [[notifier]] that looks numbers up");
  }
  if (!j.hlr_via.empty()) {
    requireNotifier(c, keyPosition(&t, "hlr_via"), label + ".hlr_via", j.hlr_via, refs);
  }
}

/// The job's application tokens, canonical, sorted and without repeats.
void readApplications(const toml::table& t, const std::string& label, const ConfigValues& v,
                      JobConfig& j, Checker& c) {
  if (const toml::node* n = t.get("applications")) {
    for (const auto& token : v.list("applications")) {
      auto parsed = model::parseApplicationToken(token);
      if (!parsed) {
        c.error(n->source(), label + ".applications", parsed.error().message());
      } else {
        j.applications.push_back(*parsed);
      }
    }
  }
  std::sort(j.applications.begin(), j.applications.end());
  j.applications.erase(std::unique(j.applications.begin(), j.applications.end()),
                       j.applications.end());
}

}  // namespace

void readJobs(const ConfigDocument& doc, const std::set<std::string>& source_names,
              AppConfig& cfg, std::vector<NotifierReference>& refs) {
  Checker& c = doc.c;
  std::set<std::string> job_names;
  std::size_t index = 0;
  for (const toml::table* t : doc.tables("job")) {
    JobConfig j;
    j.origin = c.at(t->source());
    ConfigValues v;
    std::string label = "job[" + std::to_string(index++) + "]";
    if (const toml::node* n = t->get("name"); n != nullptr && n->is_string()) {
      label = "job." + n->value_or(std::string());
    }
    c.validate(*t, label, coreTable("job").keys, v, {}, coreTable("job").ranges);
    j.name = v.string("name");
    j.source = v.string("source");
    j.default_region = v.string("default_region");
    j.enabled = v.boolean("enabled", true);
    checkSchedule(*t, label, v, j, c);
    readJobHlr(*t, label, v, j, c, refs);
    if (!j.name.empty() && !job_names.insert(j.name).second) {
      c.error(t->get("name")->source(), label + ".name", "another [[job]] already has this name");
    }
    if (!j.source.empty() && source_names.count(j.source) == 0) {
      c.error(t->get("source")->source(), label + ".source",
              "no [[source]] is named \"" + text::excerpt(j.source) + "\"");
    }
    if (auto m = Checker::parseCountOrPercent(v.string("max_delete"))) j.max_delete = *m;
    if (auto m = Checker::parseCountOrPercent(v.string("max_reject"))) j.max_reject = *m;
    j.max_run_ms = v.integer("max_run_seconds", 0) * 1000;  // in range, or unset: 0, no limit
    readApplications(*t, label, v, j, c);
    j.reject_file = v.string("reject_file");
    if (j.reject_file.empty() && !j.name.empty()) {
      j.reject_file =
          (fs::path(cfg.state_path).parent_path() / (j.name + ".rejects.csv")).string();
    }
    cfg.jobs.push_back(std::move(j));
  }
}

}  // namespace mobisync::config
