// SPDX-License-Identifier: Apache-2.0
// Exports the v1 symbol but a descriptor claiming ABI 7.
#include "mobisync/plugin/entry.hpp"

namespace {
using namespace mobisync::plugin;
class Nothing : public Source {
 public:
  mobisync::Status init(const Context&) override { return {}; }
  void shutdown() noexcept override {}
  mobisync::Status fetch(ContactSink&) override { return {}; }
};
Descriptor makeWrong() {
  Descriptor d = makeDescriptor<Nothing>("wrongabi", "0.0.1", Kind::Source, "bad", nullptr, 0);
  d.abi_version = 7;
  return d;
}
const Descriptor kDescriptor = makeWrong();
}  // namespace

const Descriptor* wrongAbiDescriptor() { return &kDescriptor; }
MOBISYNC_PLUGIN_ENTRY(wrongAbiDescriptor)
