// SPDX-License-Identifier: Apache-2.0
// Self-signed certificates through `openssl req -x509` (scripts/setup installs openssl).
#include "support/test_certificate.hpp"

#include <stdexcept>

#include "support/process.hpp"

namespace mobisync::test {

TestCertificate makeSelfSignedCertificate(const TempDir& dir, const std::string& name) {
  TestCertificate result{dir.file(name + ".crt"), dir.file(name + ".key")};
  // EC keys are generated in milliseconds where RSA takes a noticeable share of a test's time.
  ProcessResult made = runProcess(
      {"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
       "-nodes", "-keyout", result.key_file, "-out", result.cert_file, "-days", "2", "-subj",
       "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-addext",
       "basicConstraints=critical,CA:TRUE"},
      {}, std::chrono::seconds(60));
  if (made.exit_code != 0) {
    throw std::runtime_error("openssl could not make a test certificate (exit " +
                             std::to_string(made.exit_code) + "): " + made.err);
  }
  return result;
}

}  // namespace mobisync::test
