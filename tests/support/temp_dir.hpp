// SPDX-License-Identifier: Apache-2.0
// A private temporary directory for one test, removed with everything in it when it goes away.
#pragma once

#include <string>

namespace mobisync::test {

/// Creates a fresh directory under $TMPDIR (or /tmp) and removes it recursively on destruction.
/// Not copyable or movable: exactly one owner deletes it. Not thread-safe.
class TempDir {
 public:
  /// @throws std::runtime_error when the directory cannot be created.
  TempDir();
  ~TempDir();

  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  /// The directory's absolute path.
  const std::string& path() const { return path_; }

  /// The full path of `name` inside the directory; the file need not exist.
  std::string file(const std::string& name) const;

  /// Writes `content` to `name` (creating parent directories, replacing any old file).
  /// @return the full path written.
  /// @throws std::runtime_error when the file cannot be written.
  std::string write(const std::string& name, const std::string& content) const;

 private:
  std::string path_;
};

}  // namespace mobisync::test
