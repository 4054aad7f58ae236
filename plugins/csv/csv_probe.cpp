// SPDX-License-Identifier: Apache-2.0
// CsvSource::probe(): the file the next fetch() will read exists, is a regular file, opens for
// reading and gives its first bytes. Its rows are not parsed: that is fetch()'s and `plan`'s job.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "csv_source.hpp"

namespace mobisync::plugins::csv {

std::vector<plugin::ProbeResult> CsvSource::probe() {
  using plugin::ProbeResult;
  ProbeResult r;
  r.endpoint = "file " + options_.path;
  std::error_code ec;
  const auto status = std::filesystem::status(options_.path, ec);
  if (ec || !std::filesystem::exists(status)) {
    r.verdict = ProbeResult::Verdict::Unreachable;
    r.detail = "csv: " + options_.path + " does not exist";
    return {r};
  }
  if (!std::filesystem::is_regular_file(status)) {
    r.verdict = ProbeResult::Verdict::Unreachable;
    r.detail = "csv: " + options_.path + " is not a regular file";
    return {r};
  }
  const int fd = ::open(options_.path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    const int open_errno = errno;
    // A file the service's user may not read: its permissions, not the network, are to fix.
    r.verdict = open_errno == EACCES || open_errno == EPERM ? ProbeResult::Verdict::Refused
                                                            : ProbeResult::Verdict::Unreachable;
    r.detail = "csv: cannot open " + options_.path + ": " + std::strerror(open_errno);
    return {r};
  }
  char first[64];
  const ssize_t n = ::read(fd, first, sizeof first);
  const int read_errno = errno;
  ::close(fd);
  if (n < 0) {
    r.verdict = ProbeResult::Verdict::Unreachable;
    r.detail = "csv: cannot read " + options_.path + ": " + std::strerror(read_errno);
  } else {
    r.detail = n == 0 ? "readable, but empty" : "readable";
  }
  return {r};
}

}  // namespace mobisync::plugins::csv
