// SPDX-License-Identifier: Apache-2.0
// The commands' summaries and help paragraphs.
#include "app/command_texts.hpp"

namespace mobisync::app::texts {

const char* const kCheckSummary = "validate the config and load its plugins";
const char* const kCheck =
    "Validates the config against the core's and every plugin's schema and loads the plugins it "
    "names. Changes nothing and reaches no endpoint, so no secret needs to be set. --connect "
    "also reaches every endpoint of the config without changing anything (the proxy API asked "
    "to remove no number, the state, each source and notifier through its plugin's probe: a "
    "login, a one-row read, an SMPP bind and unbind) and prints one line each with its latency "
    "and verdict (ok, refused, unreachable, config error, not probed); secrets are then needed "
    "but never printed. Exits 0 when all pass, 77 when credentials were refused, 69 when an "
    "endpoint is unreachable or timed out, 78 when a plugin refused its configuration.";

const char* const kPlanSummary = "show what a sync would change";
const char* const kPlan =
    "Reads each job's source and prints what a sync would add, remove and update. Changes "
    "nothing: no provider call, no state, no reject file.";

const char* const kSyncSummary = "apply each job's plan to the provider";
const char* const kSync =
    "Reads each enabled job's source (or the jobs named), plans, checks the safety gates and "
    "applies the plan to the provider, recording each confirmed call at once. Prints a short "
    "preview of each plan (`mobisync plan` shows all of it), then the result. --force applies "
    "removals over max_delete; --dry-run stops before any provider call; --full-refresh makes "
    "incremental sources read everything once, so rows deleted without a tombstone go too.";

const char* const kRunSummary = "the daemon: run scheduled jobs, serve metrics";
const char* const kRun =
    "The daemon: runs every enabled job that has a `schedule` on it (cron expression in the "
    "job's `timezone`), never one job twice at once, serves Prometheus metrics on [metrics] "
    "listen (/metrics, /healthz). SIGHUP re-reads the config and applies it only if it is "
    "valid; SIGTERM or SIGINT finish the batches in flight, record them and exit within "
    "[daemon] stop_timeout.";

const char* const kStateSummary = "show or reset the state, list the messages";
const char* const kState =
    "Shows the confirmed state and recent runs, forgets a job's subscriptions (the provider "
    "is not changed), or lists the messages (notifications and `send`), newest first, with "
    "status (queued, sending, submitted, delivered, failed, expired, unknown, suppressed), "
    "parts and the provider's message id, each followed by its history: every status change "
    "with its time (UTC) and origin (outbox, smpp, webhook, expiry, optout).";

const char* const kSendSummary = "send one SMS to each number";
const char* const kSend =
    "Sends one SMS to each number (international form, e.g. +447930000001) through the "
    "[[notifier]] NAME and prints, per recipient, the parts, the encoding (GSM-7 or UCS-2), the "
    "status and the provider's message id or the error. Each message is written to the state's "
    "outbox first (see `state messages`) and the command returns once all are submitted. "
    "--wait-receipts DURATION (30s, 2m, 1h) keeps the notifier open and records delivery "
    "receipts until every message is delivered, failed or expired, or DURATION ends. Exits 0 "
    "when every message was submitted (with --wait-receipts: delivered); 76 when the provider "
    "refused one for good (or its receipt says failed/expired, or the recipient opted out); 69 "
    "when one is still pending (temporary failures, no final receipt in time); 78 on a "
    "configuration error.";

const char* const kHlrSummary = "look numbers up in the home location register";
const char* const kHlr =
    "Looks numbers up in the home location register through a notifier that can (default: the "
    "first configured one) and prints status (active, inactive, unknown), network, country and "
    "whether the number was ported, as a table or JSON. Answers are remembered for jobs with "
    "hlr = true.";

const char* const kWebhooksSummary = "register the daemon's webhooks with the provider";
const char* const kWebhooks =
    "Registers the daemon's webhooks with the provider: POST /webhooks/receipt and "
    "/webhooks/incoming with [messaging.webhooks] public_url + /webhooks/TOKEN/receipt (and "
    "/incoming), using the JSON API key of the http [[notifier]] NAME (default: the first "
    "with an api_key). Prints the URLs with the token masked.";

const char* const kOptoutsSummary = "list, import or export the suppressed numbers";
const char* const kOptouts =
    "Lists the suppressed numbers (opted out by a reply, imported from the provider, with the "
    "time and whether the provider was told), imports the provider's opt-out list (GET "
    "/addressbook/optout from the last day imported, through the JSON API of [messaging.optouts] "
    "import_via), or writes the list as CSV to FILE (default stdout). Notifications are never "
    "sent to a suppressed number.";

const char* const kPluginsSummary = "list plugins, describe their keys, print the reference";
const char* const kPlugins =
    "Lists installed plugins with kind, version, SDK and file, prints a plugin's config keys, "
    "prints the whole config reference (config/reference.toml) from the schemas, or (schema "
    "--format json-schema) a JSON Schema of the whole config for editors.";

}  // namespace mobisync::app::texts
