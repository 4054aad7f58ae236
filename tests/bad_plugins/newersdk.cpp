// SPDX-License-Identifier: Apache-2.0
// A plugin built against a newer SDK minor than the host provides.
#include "mobisync/plugin/entry.hpp"

namespace {
using namespace mobisync::plugin;
class Nothing : public Source {
 public:
  mobisync::Status init(const Context&) override { return {}; }
  void shutdown() noexcept override {}
  mobisync::Status fetch(ContactSink&) override { return {}; }
};
Descriptor makeNewer() {
  Descriptor d = makeDescriptor<Nothing>("newersdk", "0.0.1", Kind::Source, "bad", nullptr, 0);
  // Same major as the host, a minor it cannot have: the plugin may use what the host lacks.
  d.sdk_version = "1.99.0";
  return d;
}
const Descriptor kDescriptor = makeNewer();
}  // namespace

const Descriptor* newerSdkDescriptor() { return &kDescriptor; }
MOBISYNC_PLUGIN_ENTRY(newerSdkDescriptor)
