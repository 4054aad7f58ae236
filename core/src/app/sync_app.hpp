// SPDX-License-Identifier: Apache-2.0
// SyncApp: the mobisync command line (check, plan, sync, state, plugins) on Poco::Util.
#pragma once

#include <Poco/Util/ServerApplication.h>

namespace mobisync {

class SyncApp : public Poco::Util::ServerApplication {
 protected:
  int main(const std::vector<std::string>& args) override;
};

}  // namespace mobisync
