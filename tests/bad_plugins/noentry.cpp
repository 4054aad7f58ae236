// SPDX-License-Identifier: Apache-2.0
// A library with no mobisync entry symbol at all.
#include <boost/config.hpp>

extern "C" BOOST_SYMBOL_EXPORT int not_a_plugin() { return 42; }
