// SPDX-License-Identifier: Apache-2.0
// TempDir: mkdtemp-backed scratch directories for tests.
#include "support/temp_dir.hpp"

#include <stdlib.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <system_error>
#include <vector>

namespace mobisync::test {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string parent = (base != nullptr && *base != '\0') ? base : "/tmp";
  std::string pattern = parent + "/mobisync-test-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (mkdtemp(buffer.data()) == nullptr) {
    throw std::runtime_error("TempDir: cannot create a directory like " + pattern + ": " +
                             std::strerror(errno));
  }
  // Relative $TMPDIR values would break once a test changes directory; store it absolute.
  path_ = std::filesystem::absolute(buffer.data()).string();
}

TempDir::~TempDir() {
  std::error_code ignored;  // a destructor must not throw; a leftover dir is only clutter
  std::filesystem::remove_all(path_, ignored);
}

std::string TempDir::file(const std::string& name) const {
  return (std::filesystem::path(path_) / name).string();
}

std::string TempDir::write(const std::string& name, const std::string& content) const {
  std::filesystem::path target = std::filesystem::path(path_) / name;
  std::error_code ec;
  std::filesystem::create_directories(target.parent_path(), ec);
  if (ec) {
    throw std::runtime_error("TempDir: cannot create " + target.parent_path().string() + ": " +
                             ec.message());
  }
  std::ofstream out(target, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) {
    throw std::runtime_error("TempDir: cannot write " + target.string());
  }
  return target.string();
}

}  // namespace mobisync::test
