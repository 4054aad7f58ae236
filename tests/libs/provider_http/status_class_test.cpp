// SPDX-License-Identifier: Apache-2.0
// HTTP status classification: success, retryable, auth failure or permanent.
#include <doctest/doctest.h>

#include <utility>
#include <vector>

#include "provider_http/status_class.hpp"

namespace mobisync::provider_http {

TEST_SUITE("libs.provider_http") {
  TEST_CASE("every HTTP status classifies as success retryable auth or permanent") {
    const std::vector<std::pair<int, StatusClass>> table = {
        {200, StatusClass::Success},    {201, StatusClass::Success},
        {204, StatusClass::Success},    {299, StatusClass::Success},
        {401, StatusClass::AuthFailed},
        {408, StatusClass::Retryable},  {429, StatusClass::Retryable},
        {500, StatusClass::Retryable},  {502, StatusClass::Retryable},
        {503, StatusClass::Retryable},  {504, StatusClass::Retryable},
        {599, StatusClass::Retryable},  {600, StatusClass::Retryable},
        {100, StatusClass::Retryable},  {199, StatusClass::Retryable},
        {0, StatusClass::Retryable},
        {300, StatusClass::Permanent},  {301, StatusClass::Permanent},
        {302, StatusClass::Permanent},  {304, StatusClass::Permanent},
        {400, StatusClass::Permanent},  {402, StatusClass::Permanent},
        {403, StatusClass::Permanent},  {404, StatusClass::Permanent},
        {409, StatusClass::Permanent},  {422, StatusClass::Permanent},
        {499, StatusClass::Permanent},
    };
    for (const auto& [status, expected] : table) {
      CAPTURE(status);
      CHECK(classifyStatus(status) == expected);
    }
  }
}

}  // namespace mobisync::provider_http
