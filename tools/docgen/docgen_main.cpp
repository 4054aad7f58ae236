// SPDX-License-Identifier: Apache-2.0
// mobisync_docgen OUTDIR PLUGINDIR: writes OUTDIR/man/mobisync.1, OUTDIR/man/mobisync.toml.5,
// OUTDIR/completion/mobisync.bash and OUTDIR/completion/_mobisync from the option tables, the
// exit-code table and the schemas of the core and of every plugin in PLUGINDIR. The build runs
// it (target mobisync_docs), so the man pages and completion match the binary they ship with.
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>

#include "app/completion_writer.hpp"
#include "app/man_writer.hpp"
#include "plugin_host/plugin_loader.hpp"

namespace fs = std::filesystem;

namespace {

/// Writes `path` whole or fails: a half-written man page must not look up to date.
bool writeFile(const fs::path& path, const std::function<void(std::ostream&)>& write) {
  fs::create_directories(path.parent_path());
  const fs::path partial = path.string() + ".partial";
  {
    std::ofstream out(partial, std::ios::trunc);
    write(out);
    if (!out.flush()) {
      std::cerr << "mobisync_docgen: cannot write " << partial << "\n";
      return false;
    }
  }
  fs::rename(partial, path);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: mobisync_docgen OUTDIR PLUGINDIR\n";
    return 64;
  }
  const fs::path out_dir = argv[1];
  mobisync::plugin_host::PluginLoader loader({argv[2]});
  std::vector<const mobisync::plugin::Descriptor*> plugins;
  for (const auto& p : loader.list()) {
    if (p.descriptor == nullptr) {
      std::cerr << "mobisync_docgen: " << p.error << "\n";
      return 78;
    }
    plugins.push_back(p.descriptor);
  }
  using namespace mobisync::app;
  const bool ok =
      writeFile(out_dir / "man" / "mobisync.1", writeCommandManPage) &&
      writeFile(out_dir / "man" / "mobisync.toml.5",
                [&](std::ostream& out) { writeConfigManPage(out, plugins); }) &&
      writeFile(out_dir / "completion" / "mobisync.bash", writeBashCompletion) &&
      writeFile(out_dir / "completion" / "_mobisync", writeZshCompletion);
  return ok ? 0 : 73;
}
