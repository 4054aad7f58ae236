// SPDX-License-Identifier: Apache-2.0
// writeReference(): config/reference.toml, generated from the core's and the plugins' schemas.
#pragma once

#include <ostream>
#include <vector>

#include "mobisync/plugin/abi.hpp"

namespace mobisync::app {

/// Every table and key with its type, default and help, as commented TOML. The same schemas
/// validate configs, so the reference cannot drift from what is accepted.
void writeReference(std::ostream& out, const std::vector<const plugin::Descriptor*>& plugins);

}  // namespace mobisync::app
