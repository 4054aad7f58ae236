// SPDX-License-Identifier: Apache-2.0
// Throwaway self-signed TLS certificates for tests, made with the openssl command-line tool.
#pragma once

#include <string>

#include "support/temp_dir.hpp"

namespace mobisync::test {

/// PEM files of one certificate and its unencrypted private key.
struct TestCertificate {
  std::string cert_file;
  std::string key_file;
};

/// Writes `<name>.crt` and `<name>.key` into `dir`: a P-256 self-signed certificate for
/// 127.0.0.1 and localhost (CN and subjectAltName), valid for two days. The certificate is its
/// own CA, so giving it as a client's CA file makes exactly this server trusted.
/// @throws std::runtime_error with openssl's output when it fails.
TestCertificate makeSelfSignedCertificate(const TempDir& dir, const std::string& name = "sim");

}  // namespace mobisync::test
