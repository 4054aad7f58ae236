// SPDX-License-Identifier: Apache-2.0
// The command-line parser: words to options by the option table, then each option checked
// against the command's table and stored in CliOptions.
#include "app/command_line.hpp"

#include <map>
#include <sstream>

#include <Poco/Exception.h>

#include "app/option_table.hpp"
#include "app/wait_duration.hpp"

namespace mobisync::app {

namespace {

/// One option as written: its spec (nullptr when unknown), its value, and how it was spelled.
struct Given {
  const OptionSpec* spec;
  std::string value;
  std::string spelled;
};

bool isWord(std::string_view words, std::string_view word) {
  std::istringstream in{std::string(words)};
  for (std::string w; in >> w;) {
    if (w == word) return true;
  }
  return false;
}

/// "a, b or c" from "a b c".
std::string wordList(std::string_view words) {
  std::istringstream in{std::string(words)};
  std::vector<std::string> all;
  for (std::string w; in >> w;) all.push_back(w);
  std::string out;
  for (std::size_t i = 0; i < all.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == all.size() ? " or " : ", ") + all[i];
  }
  return out;
}

std::string spelling(const OptionSpec& o) { return std::string("--") + o.long_name; }

/// Splits the words into options and operands; unknown options are kept to be refused once
/// the command is known, so the message can name it.
void tokenize(const std::vector<std::string>& words, std::vector<Given>& given,
              std::vector<std::string>& operands) {
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w == "--") {
      operands.insert(operands.end(), words.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                      words.end());
      return;
    }
    auto takeValue = [&](const OptionSpec& o, const std::string& shown) {
      if (i + 1 >= words.size()) {
        throw UsageError{shown + " needs a value (" + o.argument + ")"};
      }
      return words[++i];
    };
    if (w.rfind("--", 0) == 0) {
      const auto eq = w.find('=');
      const std::string name = w.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
      const OptionSpec* o = findLongOption(name);
      if (o == nullptr) {
        given.push_back({nullptr, "", "--" + name});
      } else if (o->argument == nullptr) {
        if (eq != std::string::npos) throw UsageError{spelling(*o) + " takes no value"};
        given.push_back({o, "", spelling(*o)});
      } else {
        std::string value = eq != std::string::npos ? w.substr(eq + 1) : takeValue(*o, w);
        given.push_back({o, value, spelling(*o)});
      }
      continue;
    }
    if (w.size() < 2 || w[0] != '-') {
      operands.push_back(w);  // "-" included: optouts export's stdout
      continue;
    }
    // -q, -vv, -c FILE, -cFILE
    for (std::size_t k = 1; k < w.size(); ++k) {
      const OptionSpec* o = findShortOption(w[k]);
      const std::string shown = std::string("-") + w[k];
      if (o == nullptr) {
        given.push_back({nullptr, "", shown});
        break;
      }
      if (o->argument == nullptr) {
        given.push_back({o, "", shown});
        continue;
      }
      std::string value = k + 1 < w.size() ? w.substr(k + 1) : takeValue(*o, shown);
      given.push_back({o, value, shown});
      break;
    }
  }
}

/// Stores one option's value in `o`; throws UsageError for a value the option refuses.
void store(const Given& g, const CommandSpec* command, CliOptions& o, int& verbose) {
  const std::string& v = g.value;
  switch (g.spec->id) {
    case OptionId::Help:
    case OptionId::Version: break;
    case OptionId::Config: o.config_path = v; break;
    case OptionId::PluginDir: o.plugin_dirs.push_back(v); break;
    case OptionId::LogLevel:
      if (!isWord(kLogLevels, v)) {
        throw UsageError{"--log-level must be " + wordList(kLogLevels) + ", not \"" +
                         v.substr(0, 40) + "\""};
      }
      o.log_level = v;
      break;
    case OptionId::Quiet: o.quiet = true; break;
    case OptionId::Verbose: ++verbose; break;
    case OptionId::Format:
      if (!isWord(command->formats, v)) {
        throw UsageError{std::string("--format of ") + command->name + " must be " +
                         wordList(command->formats) + ", not \"" + v.substr(0, 40) + "\""};
      }
      o.format = v;
      break;
    case OptionId::Json: o.format = "json"; break;
    case OptionId::Limit:
      try {
        std::size_t used = 0;
        o.limit = std::stoi(v, &used);
        if (used != v.size() || o.limit < 0) throw std::invalid_argument(v);
      } catch (const std::exception&) {
        throw UsageError{"--limit needs a number of rows, not \"" + v.substr(0, 40) + "\""};
      }
      break;
    case OptionId::Progress:
      if (!isWord(g.spec->choices, v)) {
        throw UsageError{"--progress must be " + wordList(g.spec->choices) + ", not \"" +
                         v.substr(0, 40) + "\""};
      }
      o.progress = v;
      break;
    case OptionId::Force: o.force = true; break;
    case OptionId::DryRun: o.dry_run = true; break;
    case OptionId::AllowEmptySource: o.allow_empty_source = true; break;
    case OptionId::FullRefresh: o.full_refresh = true; break;
    case OptionId::Via: o.via = v; break;
    case OptionId::To: o.to += (o.to.empty() ? "" : ",") + v; break;
    case OptionId::Text:
      o.text = v;
      o.has_text = true;
      break;
    case OptionId::TextFile: o.text_file = v; break;
    case OptionId::Originator: o.originator = v; break;
    case OptionId::WaitReceipts:
      try {
        o.wait_receipts_ms = parseWaitDuration(v);
      } catch (const Poco::Exception& e) {
        throw UsageError{e.message()};
      }
      break;
    case OptionId::Job: o.job = v; break;
    case OptionId::Connect: o.connect = true; break;
  }
}

/// The log level -q and -v ask for; refuses them beside each other or beside --log-level.
void settleLogLevel(CliOptions& o, int verbose) {
  if (o.quiet && verbose > 0) throw UsageError{"-q/--quiet and -v/--verbose contradict each other"};
  if ((o.quiet || verbose > 0) && !o.log_level.empty()) {
    throw UsageError{std::string(o.quiet ? "-q/--quiet" : "-v/--verbose") +
                     " and --log-level both set the log level: give one"};
  }
  if (o.quiet) o.log_level = "error";
  if (verbose == 1) o.log_level = "debug";
  if (verbose > 1) o.log_level = "trace";
}

}  // namespace

CommandLine parseCommandLine(const std::vector<std::string>& arguments) {
  std::vector<Given> given;
  CommandLine line;
  tokenize(arguments, given, line.options.args);
  const auto& args = line.options.args;
  line.command = args.empty() ? "" : args[0];
  const CommandSpec* command = findCommand(line.command);
  if (line.command == "help") {
    line.help = true;
    command = args.size() > 1 ? findCommand(args[1]) : nullptr;
  } else if (command == nullptr && !line.command.empty()) {
    std::string names;
    for (const auto& c : commandTable()) names += (names.empty() ? "" : ", ") + std::string(c.name);
    throw UsageError{"unknown command \"" + line.command.substr(0, 40) + "\"; commands: " + names};
  }
  const std::string hint =
      command != nullptr ? std::string(" (mobisync help ") + command->name + " lists its options)"
                         : " (mobisync --help)";
  std::map<OptionId, int> seen;
  int verbose = 0;
  for (const Given& g : given) {
    if (g.spec == nullptr) {
      throw UsageError{"unknown option " + g.spelled.substr(0, 40) +
                       (command != nullptr ? std::string(" for ") + command->name : "") + hint};
    }
    const OptionId id = g.spec->id;
    if (id == OptionId::Help) line.help = true;
    if (id == OptionId::Version) line.version = true;
    if (line.command == "help") continue;  // `mobisync help X` only prints
    const bool top_level = id == OptionId::Version || id == OptionId::Help;
    if (command == nullptr && !top_level && line.command != "help") {
      bool global = false;
      for (const auto& c : globalOptions()) global = global || c.id == id;
      if (!global) throw UsageError{g.spelled + " needs a command that takes it" + hint};
    } else if (command != nullptr && !top_level && commandOption(*command, id) == nullptr) {
      throw UsageError{std::string(command->name) + " does not take " + g.spelled + hint};
    }
    if (++seen[id] > 1 && !g.spec->repeatable) {
      throw UsageError{spelling(*g.spec) + " is given twice"};
    }
    store(g, command, line.options, verbose);
  }
  settleLogLevel(line.options, verbose);
  return line;
}

}  // namespace mobisync::app
