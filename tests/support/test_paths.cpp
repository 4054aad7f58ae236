// SPDX-License-Identifier: Apache-2.0
// Paths compiled in by CMake, behind functions so only this file sees the macros.
#include "support/test_paths.hpp"

namespace mobisync::test {

std::string fixturesDir() { return MOBISYNC_FIXTURES_DIR; }
std::string sourceDir() { return MOBISYNC_SOURCE_DIR; }
std::string mobisyncBinary() { return MOBISYNC_BINARY; }
std::string pluginDir() { return MOBISYNC_TEST_PLUGIN_DIR; }
std::string badPluginDir() { return MOBISYNC_TEST_BAD_PLUGIN_DIR; }

}  // namespace mobisync::test
