// SPDX-License-Identifier: Apache-2.0
// The help texts, built from the command and option tables.
#include "app/help_writer.hpp"

#include "app/exit_codes.hpp"
#include "app/text_wrap.hpp"
#include "mobisync/build_info.hpp"

namespace mobisync::app {

namespace {

constexpr std::size_t kOptionColumn = 28;

void printOption(std::ostream& out, const CommandOption& taken) {
  const OptionSpec& o = optionSpec(taken.id);
  out << wrapText("  " + optionSynopsis(o), taken.help != nullptr ? taken.help : o.help,
                  kOptionColumn);
}

void printGlobalOptions(std::ostream& out, bool with_version) {
  for (const auto& g : globalOptions()) printOption(out, g);
  if (with_version) printOption(out, {OptionId::Version});
}

}  // namespace

std::string optionSynopsis(const OptionSpec& o) {
  std::string s = o.short_name != '\0' ? std::string("-") + o.short_name + ", " : "    ";
  s += std::string("--") + o.long_name;
  if (o.argument != nullptr) s += std::string(" ") + o.argument;
  return s;
}

void printHelp(std::ostream& out, const CommandSpec* command) {
  if (command == nullptr) {
    out << "mobisync " << kSdkVersion
        << ": keeps Mobivate contact subscriptions in step with your sources.\n\n"
           "usage: mobisync COMMAND [OPTIONS] [ARGUMENTS]\n\ncommands:\n";
    for (const auto& c : commandTable()) out << wrapText(std::string("  ") + c.name, c.summary, 12);
    out << "\noptions of every command:\n";
    printGlobalOptions(out, true);
    out << "\n'mobisync help COMMAND' (or COMMAND --help) shows a command's usage and options.\n\n"
        << exitCodeHelp();
    return;
  }
  out << wrapText("usage: mobisync", command->usage, 16) << "\n"
      << wrapText("", command->text, 0) << "\n";
  if (!command->options.empty()) {
    out << command->name << " options:\n";
    for (const auto& o : command->options) printOption(out, o);
    out << "\n";
  }
  out << "options of every command:\n";
  printGlobalOptions(out, false);
  out << "\n" << exitCodeHelp();
}

}  // namespace mobisync::app
