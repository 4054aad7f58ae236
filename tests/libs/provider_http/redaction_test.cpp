// SPDX-License-Identifier: Apache-2.0
// Redaction: password parameters and secrets, raw or URL-encoded, never reach a message.
#include <doctest/doctest.h>

#include <string>

#include "provider_http/redaction.hpp"

namespace mobisync::provider_http {

TEST_SUITE("libs.provider_http") {
  TEST_CASE("redactUrl hides every password parameter and nothing else") {
    CHECK(redactUrl("/x?a=1&password=abc") == "/x?a=1&password=***");
    CHECK(redactUrl("/x?PASSWORD=abc&b=2") == "/x?PASSWORD=***&b=2");
    CHECK(redactUrl("USER_NAME=u&Password=p%40ss&ROUTE=r") == "USER_NAME=u&Password=***&ROUTE=r");
    CHECK(redactUrl("GET /x?password=a&password=b failed") ==
          "GET /x?password=***&password=*** failed");
    CHECK(redactUrl("password=hunter2 was sent") == "password=*** was sent");
    CHECK(redactUrl("/x?password=abc#frag") == "/x?password=***#frag");
    CHECK(redactUrl("/x?old_password_hint=abc") == "/x?old_password_hint=abc");
    CHECK(redactUrl("/x?mypassword=abc") == "/x?mypassword=abc");
    CHECK(redactUrl("no secrets here") == "no secrets here");
  }

  TEST_CASE("scrubSecret removes the secret raw and URL-encoded") {
    const std::string secret = "s3cr&t p@ss!+~";
    CHECK(scrubSecret("bad password s3cr&t p@ss!+~ given", secret) == "bad password *** given");
    // As a query parameter or a form body carries it: only unreserved characters stay.
    CHECK(scrubSecret("echo: s3cr%26t%20p%40ss%21%2B~", secret) == "echo: ***");
    CHECK(scrubSecret("twice: s3cr&t p@ss!+~ s3cr&t p@ss!+~", secret) == "twice: *** ***");
    CHECK(scrubSecret("/x?password=zzz&user=u", secret) == "/x?password=***&user=u");
  }

  TEST_CASE("a secret shorter than 4 characters is not searched for") {
    CHECK(scrubSecret("a bad thing", "a") == "a bad thing");
    CHECK(scrubSecret("a bad thing", "bad") == "a bad thing");
    CHECK(scrubSecret("a bad thing", "bad ") == "a ***thing");
  }

  TEST_CASE("scrubSecrets removes each secret it is given") {
    const std::string key = "key-0123456789";
    const std::string password = "pa ss/word";
    CHECK(scrubSecrets("key-0123456789 and pa%20ss%2Fword and pa ss/word", {&key, &password}) ==
          "*** and *** and ***");
    const std::string empty;
    CHECK(scrubSecrets("nothing to hide", {&empty}) == "nothing to hide");
  }
}

}  // namespace mobisync::provider_http
