// SPDX-License-Identifier: Apache-2.0
#include "values/file_kind.hpp"

#include <sys/stat.h>

namespace mobisync::values {

const char* fileKindName(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  return "of an unknown kind";
}

}  // namespace mobisync::values
