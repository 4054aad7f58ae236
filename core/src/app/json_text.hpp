// SPDX-License-Identifier: Apache-2.0
// JSON text written straight to a stream: a million-entry plan must not become a million
// Poco::JSON objects (gigabytes) before the first byte goes out.
#pragma once

#include <string>

namespace mobisync::app {

/// `s` as a JSON string literal, quotes included; control bytes escaped.
std::string jsonQuote(const std::string& s);

}  // namespace mobisync::app
