// SPDX-License-Identifier: Apache-2.0
// `optouts list`, `optouts import` and `optouts export`: the suppression list every
// notification consults, and the provider's opt-out list imported into it.
#include <fstream>

#include "app/command_support.hpp"
#include "app/commands.hpp"
#include "app/json_text.hpp"
#include "mobisync/text.hpp"
#include "notify/optout_import.hpp"
#include "state/suppression_list.hpp"
#include "sync/job_lease.hpp"
#include "sync/job_report.hpp"

namespace mobisync::app {

using sync::kExitOk;
using sync::kExitUsage;

namespace {

/// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).
std::string csvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

void writeCsv(std::ostream& out, const std::vector<state::Suppression>& rows) {
  out << "msisdn,channel,origin,detail,opted_out_at_ms,provider_synced_at_ms\n";
  for (const auto& s : rows) {
    out << csvField(s.msisdn) << "," << csvField(s.channel) << "," << csvField(s.origin) << ","
        << csvField(s.detail) << "," << s.opted_out_at_ms << "," << s.provider_synced_at_ms
        << "\n";
  }
}

void writeJson(std::ostream& out, const std::vector<state::Suppression>& rows) {
  out << "[";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& s = rows[i];
    out << (i == 0 ? "\n" : ",\n") << "  {\"msisdn\": " << jsonQuote(s.msisdn)
        << ", \"channel\": " << jsonQuote(s.channel) << ", \"origin\": " << jsonQuote(s.origin)
        << ", \"detail\": " << jsonQuote(s.detail) << ", \"opted_out_at_ms\": "
        << s.opted_out_at_ms << ", \"provider_synced_at_ms\": " << s.provider_synced_at_ms << "}";
  }
  out << (rows.empty() ? "]\n" : "\n]\n");
}

void writeTable(std::ostream& out, const std::vector<state::Suppression>& rows) {
  out << rows.size() << " suppressed number(s)\n";
  for (const auto& s : rows) {
    out << "  " << s.msisdn << " " << s.channel << " " << s.origin << " since "
        << sync::leaseTimeText(s.opted_out_at_ms)
        << (s.origin == "reply" && s.provider_synced_at_ms == 0 ? " (provider not told yet)" : "")
        << (s.detail.empty() ? "" : " [" + text::excerpt(s.detail, 60) + "]") << "\n";
  }
}

int importOptouts(const Loaded& l, std::ostream& out) {
  auto api = notify::optoutApiFor(l.cfg);
  if (!api) throw CommandError{sync::kExitConfig, api.error().message()};
  auto store = openState(l.cfg, false);
  notify::OptoutImporter importer(*store, *api, l.cfg.optouts.import_from);
  auto r = importer.run(sync::wallClockMs());
  out << "Read " << r.read << " opt-out(s) of " << r.from << " to "
      << (r.through.empty() ? "(nothing)" : r.through) << " in " << r.requests
      << " request(s); " << r.added << " number(s) newly suppressed\n";
  if (!r.ok) throw CommandError{sync::kExitUnavailable, "optouts import: " + r.error};
  return kExitOk;
}

}  // namespace

int runOptouts(const CliOptions& o, std::ostream& out) {
  return guardedCommand([&] {
    const std::string sub = o.args.size() > 1 ? o.args[1] : "list";
    if (sub != "list" && o.format != "table") {
      throw CommandError{kExitUsage, "optouts " + text::excerpt(sub, 20) +
                                         " does not take --format (optouts list does)"};
    }
    Loaded l = load(o);
    if (sub == "import") return importOptouts(l, out);
    if (sub != "list" && sub != "export") {
      throw CommandError{kExitUsage, "usage: mobisync optouts list [--format json] | optouts "
                                     "import | optouts export [FILE]"};
    }
    auto store = openState(l.cfg, true);
    const auto rows = state::SuppressionList(*store).list();
    if (sub == "list") {
      if (o.format == "json") {
        writeJson(out, rows);
      } else {
        writeTable(out, rows);
      }
      return kExitOk;
    }
    if (o.args.size() < 3 || o.args[2] == "-") {
      writeCsv(out, rows);
      return kExitOk;
    }
    std::ofstream file(o.args[2], std::ios::trunc);
    writeCsv(file, rows);
    file.close();
    if (!file) throw CommandError{sync::kExitSoftware, "optouts export: cannot write " + o.args[2]};
    out << "Wrote " << rows.size() << " suppressed number(s) to " << o.args[2] << "\n";
    return kExitOk;
  });
}

}  // namespace mobisync::app
