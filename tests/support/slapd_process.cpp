// SPDX-License-Identifier: Apache-2.0
// A real OpenLDAP slapd for tests: throwaway config, test CA, slapadd-loaded data, free ports.
#include "support/slapd_process.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <thread>
#include <vector>

namespace mobisync::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSlapd = "/usr/sbin/slapd";
constexpr const char* kSlapadd = "/usr/sbin/slapadd";
constexpr auto kStartTimeout = std::chrono::seconds(15);
constexpr auto kStopTimeout = std::chrono::seconds(10);
constexpr int kStartAttempts = 3;

bool onPath(const std::string& program) {
  if (program.find('/') != std::string::npos) return ::access(program.c_str(), X_OK) == 0;
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    const std::size_t end = std::min(dirs.find(':', start), dirs.size());
    const std::string candidate = dirs.substr(start, end - start) + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return true;
    start = end + 1;
  }
  return false;
}

// The kernel picks a free port; slapd cannot listen on port 0 itself, so there is a short
// window in which another process could take it (handled by retrying the start).
int freePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot find a free loopback port");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

void check(const ProcessResult& r, const std::string& what) {
  if (r.exit_code != 0) {
    throw std::runtime_error(what + " failed with status " + std::to_string(r.exit_code) + ": " +
                             r.out + r.err);
  }
}

std::string urlEncode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

constexpr const char* kBaseLdif =
    "dn: dc=example,dc=org\n"
    "objectClass: dcObject\n"
    "objectClass: organization\n"
    "dc: example\n"
    "o: Example\n"
    "\n"
    "dn: ou=people,dc=example,dc=org\n"
    "objectClass: organizationalUnit\n"
    "ou: people\n"
    "\n"
    "dn: ou=groups,dc=example,dc=org\n"
    "objectClass: organizationalUnit\n"
    "ou: groups\n"
    "\n";

}  // namespace

std::string SlapdProcess::unavailableReason() {
  std::string missing;
  for (const char* tool : {kSlapd, kSlapadd, "ldapmodify", "openssl"}) {
    if (!onPath(tool)) {
      if (!missing.empty()) missing += ", ";
      missing += tool;
    }
  }
  if (missing.empty()) return {};
  return "not installed: " + missing + " (Debian: slapd ldap-utils openssl)";
}

SlapdProcess::SlapdProcess(SlapdOptions options) {
  makeCertificates();
  dir_.write("root.password", kRootPassword);
  writeConfig(options);
  fs::create_directories(dir_.file("db"));
  std::string ldif = kBaseLdif;
  ldif += options.ldif;
  dir_.write("data.ldif", ldif);
  // -q skips consistency checks that only cost time on generated data.
  check(runProcess({kSlapadd, "-q", "-f", dir_.file("slapd.conf"), "-l", dir_.file("data.ldif")}),
        "slapadd");
  start();
}

SlapdProcess::~SlapdProcess() {
  if (!child_ || !child_->running()) return;
  child_->kill(SIGTERM);
  if (!child_->waitFor(kStopTimeout)) {
    child_->kill(SIGKILL);
    child_->wait();
  }
}

void SlapdProcess::kill() {
  if (!child_ || !child_->running()) return;
  child_->kill(SIGKILL);
  child_->wait();
}

void SlapdProcess::makeCertificates() {
  const auto ca = [this](const std::string& name, const std::string& cn) {
    check(runProcess({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                      "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=" + cn,
                      "-addext", "basicConstraints=critical,CA:TRUE", "-addext",
                      "keyUsage=critical,keyCertSign,cRLSign", "-keyout", dir_.file(name + ".key"),
                      "-out", dir_.file(name + ".pem")}),
          "openssl req (" + name + ")");
  };
  ca("ca", "mobisync test CA");
  ca("other-ca", "mobisync unrelated CA");
  check(runProcess({"openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", dir_.file("server.key"), "-out",
                    dir_.file("server.csr")}),
        "openssl req (server)");
  dir_.write("server.ext",
             "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
             "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n");
  check(runProcess({"openssl", "x509", "-req", "-in", dir_.file("server.csr"), "-CA",
                    dir_.file("ca.pem"), "-CAkey", dir_.file("ca.key"), "-CAcreateserial",
                    "-days", "2", "-extfile", dir_.file("server.ext"), "-out",
                    dir_.file("server.pem")}),
        "openssl x509 (server)");
}

void SlapdProcess::writeConfig(const SlapdOptions& options) {
  std::string conf =
      "include /etc/ldap/schema/core.schema\n"
      "include /etc/ldap/schema/cosine.schema\n"
      "include /etc/ldap/schema/inetorgperson.schema\n"
      "modulepath /usr/lib/ldap\n"
      "moduleload back_mdb\n";
  if (options.memberof) conf += "moduleload memberof\n";
  conf += "pidfile " + dir_.file("slapd.pid") + "\n";
  conf += "argsfile " + dir_.file("slapd.args") + "\n";
  conf += "TLSCACertificateFile " + dir_.file("ca.pem") + "\n";
  conf += "TLSCertificateFile " + dir_.file("server.pem") + "\n";
  conf += "TLSCertificateKeyFile " + dir_.file("server.key") + "\n";
  const int limit = options.size_limit > 0 ? options.size_limit : 500;
  conf += "sizelimit size.soft=" + std::to_string(limit) + " size.hard=" +
          std::to_string(limit) + " size.prtotal=unlimited\n";
  conf += "database mdb\n";
  conf += "suffix \"" + std::string(kSuffix) + "\"\n";
  conf += "rootdn \"" + std::string(kRootDn) + "\"\n";
  conf += "rootpw " + std::string(kRootPassword) + "\n";
  conf += "directory " + dir_.file("db") + "\n";
  conf += "maxsize 1073741824\n";
  conf += "index objectClass eq\n";
  if (options.memberof) conf += "overlay memberof\n";
  dir_.write("slapd.conf", conf);
}

void SlapdProcess::start() {
  std::string last_error;
  for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
    ldap_port_ = freePort();
    do {
      ldaps_port_ = freePort();
    } while (ldaps_port_ == ldap_port_);
    fs::remove(dir_.file("ldapi"));
    const std::string urls = ldapUri() + "/ " + ldapsUri() + "/ " + ldapiUri();
    // -d 0 keeps slapd in the foreground (so ChildProcess owns it) without debug output.
    child_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{kSlapd, "-h", urls, "-f", dir_.file("slapd.conf"), "-d", "0"},
        std::map<std::string, std::string>{}, dir_.path());
    const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
    while (child_->running() && std::chrono::steady_clock::now() < deadline) {
      if (accepts(ldap_port_) && accepts(ldaps_port_) && fs::exists(dir_.file("ldapi"))) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (child_->running()) {
      child_->kill(SIGKILL);
      child_->wait();
      last_error = "slapd did not listen within 15 s: " + child_->readStderr();
    } else {
      // Most likely a port taken between freePort() and slapd's bind: try other ports.
      last_error = "slapd exited with status " + std::to_string(child_->wait()) + ": " +
                   child_->readStderr();
    }
  }
  throw std::runtime_error(last_error);
}

std::string SlapdProcess::ldapUri() const { return "ldap://127.0.0.1:" + std::to_string(ldap_port_); }

std::string SlapdProcess::ldapsUri() const {
  return "ldaps://127.0.0.1:" + std::to_string(ldaps_port_);
}

std::string SlapdProcess::ldapiUri() const { return "ldapi://" + urlEncode(dir_.file("ldapi")); }

std::string SlapdProcess::caFile() const { return dir_.file("ca.pem"); }

std::string SlapdProcess::otherCaFile() const { return dir_.file("other-ca.pem"); }

std::string SlapdProcess::rootPasswordFile() const { return dir_.file("root.password"); }

void SlapdProcess::modify(const std::string& ldif, bool add) {
  std::vector<std::string> argv = {"ldapmodify", "-x",  "-H", ldapiUri(), "-D",
                                   kRootDn,      "-y", rootPasswordFile()};
  if (add) argv.emplace_back("-a");
  check(runProcess(argv, {}, std::chrono::seconds(120), ldif), "ldapmodify");
}

}  // namespace mobisync::test
