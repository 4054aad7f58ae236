// SPDX-License-Identifier: Apache-2.0
// The daemon's job metrics: every series declared at start (seeded from the state), and each
// finished run counted.
#pragma once

#include "config/app_config.hpp"
#include "metrics/registry.hpp"
#include "state/state_store.hpp"
#include "sync/job_report.hpp"

namespace mobisync::daemon {

/// The scheduled jobs of `cfg`: the ones the daemon runs and exports series for.
std::vector<std::string> scheduledJobs(const config::AppConfig& cfg);

/// Declares every job series of `cfg`'s scheduled jobs and every messaging series of its
/// notifiers at 0, so they exist from the first scrape; called at start and on each applied
/// reload (a series once declared stays).
void declareSeries(metrics::Registry& r, const config::AppConfig& cfg);

/// Sets each scheduled job's last-success gauge from the state's run history, so a restart
/// does not reset it: a job that never succeeded stays at 0. @throws on state errors.
void seedLastSuccess(metrics::Registry& r, const config::AppConfig& cfg, state::StateStore& store);

/// Counts one finished run of the daemon.
void recordReport(metrics::Registry& r, const sync::JobReport& report);

}  // namespace mobisync::daemon
