// SPDX-License-Identifier: Apache-2.0
// A plugin built for a future ABI 2: exports only mobisync_plugin_v2.
#include "mobisync/plugin/entry.hpp"

namespace {
const int kMarker = 2;
}
const int* abi2Entry() { return &kMarker; }
BOOST_DLL_ALIAS(abi2Entry, mobisync_plugin_v2)
