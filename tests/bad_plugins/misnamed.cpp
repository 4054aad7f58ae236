// SPDX-License-Identifier: Apache-2.0
// A plugin whose descriptor name does not match its file name.
#include "mobisync/plugin/entry.hpp"

namespace {
using namespace mobisync::plugin;
class Nothing : public Source {
 public:
  mobisync::Status init(const Context&) override { return {}; }
  void shutdown() noexcept override {}
  mobisync::Status fetch(ContactSink&) override { return {}; }
};
constexpr Descriptor kDescriptor =
    makeDescriptor<Nothing>("csv", "0.0.1", Kind::Source, "claims to be csv", nullptr, 0);
}  // namespace

const Descriptor* misnamedDescriptor() { return &kDescriptor; }
MOBISYNC_PLUGIN_ENTRY(misnamedDescriptor)
