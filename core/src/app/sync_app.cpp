// SPDX-License-Identifier: Apache-2.0
#include "app/sync_app.hpp"

namespace mobisync {
int SyncApp::main(const std::vector<std::string>&) { return 0; }
}  // namespace mobisync
