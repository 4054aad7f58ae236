// SPDX-License-Identifier: Apache-2.0
// Redaction: no secret of a provider call reaches a message, a log line or an error.
#pragma once

#include <initializer_list>
#include <string>

namespace mobisync::provider_http {

/// Replaces the value of every `password=` query parameter (any case) in `text` with `***`,
/// keeping the username and everything else. Safe on any text, not only URLs.
std::string redactUrl(const std::string& text);

/// redactUrl, plus every literal occurrence of `secret` and of its URL-encoded form (every
/// character but the unreserved ones percent-encoded, as a query parameter or a form body holds
/// it).
/// For text that comes from outside (exception messages, provider messages) and could echo the
/// secret. Secrets shorter than 4 characters are not searched for: they would garble every
/// message.
std::string scrubSecret(const std::string& text, const std::string& secret);

/// scrubSecret for each of `secrets` in turn (an API key and a password, say).
std::string scrubSecrets(std::string text, std::initializer_list<const std::string*> secrets);

}  // namespace mobisync::provider_http
