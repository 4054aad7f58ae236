// SPDX-License-Identifier: Apache-2.0
// Where the tests find the built binaries, plugins and fixtures (set by CMake).
#pragma once

#include <string>

namespace mobisync::test {

std::string fixturesDir();
std::string sourceDir();
std::string mobisyncBinary();
std::string pluginDir();
std::string badPluginDir();

}  // namespace mobisync::test
