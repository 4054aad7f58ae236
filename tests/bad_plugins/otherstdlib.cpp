// SPDX-License-Identifier: Apache-2.0
// A plugin whose descriptor says it was built with another standard library than the host's.
#include "mobisync/plugin/entry.hpp"

namespace {
using namespace mobisync::plugin;
class Nothing : public Source {
 public:
  mobisync::Status init(const Context&) override { return {}; }
  void shutdown() noexcept override {}
  mobisync::Status fetch(ContactSink&) override { return {}; }
};
Descriptor makeOther() {
  Descriptor d = makeDescriptor<Nothing>("otherstdlib", "0.0.1", Kind::Source, "bad", nullptr, 0);
  // std::string from libc++ and from libstdc++ differ in layout, so such a plugin must not load.
#if defined(_LIBCPP_VERSION)
  d.abi_tag = "itanium/libstdc++-cxx11";
#else
  d.abi_tag = "itanium/libc++";
#endif
  return d;
}
const Descriptor kDescriptor = makeOther();
}  // namespace

const Descriptor* otherStdlibDescriptor() { return &kDescriptor; }
MOBISYNC_PLUGIN_ENTRY(otherStdlibDescriptor)
