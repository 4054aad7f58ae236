// SPDX-License-Identifier: Apache-2.0
// What an HTTP status from the provider means for the request that got it (fluent-bit out_http).
#include "provider_http/status_class.hpp"

namespace mobisync::provider_http {

StatusClass classifyStatus(int status) {
  if (status >= 200 && status <= 299) {
    return StatusClass::Success;
  }
  if (status == 401) {
    return StatusClass::AuthFailed;
  }
  // A 1xx is never a final answer (Poco reads past 100 Continue), so one here is a broken
  // exchange, and sending again is the only thing that can help.
  if (status == 408 || status == 429 || status >= 500 || status < 200) {
    return StatusClass::Retryable;
  }
  return StatusClass::Permanent;
}

}  // namespace mobisync::provider_http
