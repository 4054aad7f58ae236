// SPDX-License-Identifier: Apache-2.0
// How errors name a file that is not a regular one ("is not a regular file (a FIFO)").
#pragma once

#include <sys/types.h>

namespace mobisync::values {

/// "a directory", "a FIFO", "a socket", "a character device", "a block device", or "of an
/// unknown kind", for the st_mode of something that is not a regular file.
const char* fileKindName(mode_t mode);

}  // namespace mobisync::values
