# SPDX-License-Identifier: Apache-2.0
# mobisync_options and mobisync_warnings: INTERFACE targets every mobisync target links.

add_library(mobisync_options INTERFACE)
target_compile_features(mobisync_options INTERFACE cxx_std_20)
target_compile_definitions(mobisync_options INTERFACE BOOST_DLL_USE_STD_FS)
if(MOBISYNC_SANITIZE)
  string(REPLACE ";" "," _san "${MOBISYNC_SANITIZE}")
  # -O1 -g1 after the build type's flags: line tables are all a sanitizer report needs, and
  # full debug info with -O2 made this build take longer than the normal one (a test file's
  # compile: 15.2 s of CPU with -O2 -g, 8.8 s with -O1 -g1; ASan's own advice is -O1).
  target_compile_options(mobisync_options INTERFACE -fsanitize=${_san} -fno-omit-frame-pointer
                                                    -fno-sanitize-recover=undefined -O1 -g1)
  target_link_options(mobisync_options INTERFACE -fsanitize=${_san})
endif()

# Fuzzing: every target gets coverage instrumentation and ASan+UBSan; only the fuzz targets
# link libFuzzer's main (tests/fuzz). libFuzzer comes with clang alone.
if(MOBISYNC_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "MOBISYNC_FUZZ needs clang (e.g. -DCMAKE_CXX_COMPILER=clang++-14)")
  endif()
  target_compile_options(mobisync_options INTERFACE -fsanitize=fuzzer-no-link,address,undefined
                                                    -fno-omit-frame-pointer
                                                    -fno-sanitize-recover=undefined)
  target_link_options(mobisync_options INTERFACE -fsanitize=address,undefined)
endif()

add_library(mobisync_warnings INTERFACE)
target_compile_options(mobisync_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual -Wsuggest-override)
if(MOBISYNC_WARNINGS_AS_ERRORS)
  target_compile_options(mobisync_warnings INTERFACE -Werror)
endif()
# GCC 12 at -O3 with _FORTIFY_SOURCE (the packaged Release build) reports -Wrestrict on
# std::string appends and inserts of libstdc++'s own code (GCC bug 105329, fixed in 13):
# kept as a warning there, not an error.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(mobisync_warnings INTERFACE -Wno-error=restrict)
endif()
