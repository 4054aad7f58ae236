// SPDX-License-Identifier: Apache-2.0
// A source that throws from every entry point: the host must survive and name it.
#include <stdexcept>

#include "mobisync/plugin/entry.hpp"

namespace {
using namespace mobisync::plugin;
class Thrower : public Source {
 public:
  mobisync::Status init(const Context&) override { return {}; }
  void shutdown() noexcept override {}
  mobisync::Status fetch(ContactSink&) override { throw std::runtime_error("fetch exploded"); }
};
constexpr Descriptor kDescriptor =
    makeDescriptor<Thrower>("thrower", "0.0.1", Kind::Source, "throws", nullptr, 0);
}  // namespace

const Descriptor* throwerDescriptor() { return &kDescriptor; }
MOBISYNC_PLUGIN_ENTRY(throwerDescriptor)
