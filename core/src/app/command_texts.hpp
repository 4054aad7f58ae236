// SPDX-License-Identifier: Apache-2.0
// What each command does, in words: the one-line summaries and the paragraphs of `--help` and
// the man page (option_table.cpp puts them beside each command's options).
#pragma once

namespace mobisync::app::texts {

extern const char* const kCheckSummary;
extern const char* const kCheck;
extern const char* const kPlanSummary;
extern const char* const kPlan;
extern const char* const kSyncSummary;
extern const char* const kSync;
extern const char* const kRunSummary;
extern const char* const kRun;
extern const char* const kStateSummary;
extern const char* const kState;
extern const char* const kSendSummary;
extern const char* const kSend;
extern const char* const kHlrSummary;
extern const char* const kHlr;
extern const char* const kWebhooksSummary;
extern const char* const kWebhooks;
extern const char* const kOptoutsSummary;
extern const char* const kOptouts;
extern const char* const kPluginsSummary;
extern const char* const kPlugins;

}  // namespace mobisync::app::texts
