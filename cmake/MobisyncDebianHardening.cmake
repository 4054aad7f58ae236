# SPDX-License-Identifier: Apache-2.0
# Hardening flags for the build that is packaged: what `dpkg-buildflags` gives with
# DEB_BUILD_MAINT_OPTIONS=hardening=+all (stack protector, _FORTIFY_SOURCE, format security,
# relro and bindnow; PIE is the compiler's default on Debian), added to every target through
# mobisync_options. Asked of dpkg-buildflags so the flags follow the distribution's policy; the
# build type keeps its own -O and -g (stripped from the answer). Sanitizer and fuzz builds stay
# without them: _FORTIFY_SOURCE hides the accesses ASan should see, and they are never packaged.
option(MOBISYNC_HARDENING "Build with dpkg-buildflags' hardening flags (not with sanitizers)" ON)

if(NOT MOBISYNC_HARDENING OR MOBISYNC_SANITIZE OR MOBISYNC_FUZZ)
  return()
endif()
find_program(MOBISYNC_DPKG_BUILDFLAGS dpkg-buildflags)
if(NOT MOBISYNC_DPKG_BUILDFLAGS)
  message(STATUS "dpkg-buildflags not found: building without the hardening flags")
  return()
endif()

function(mobisync_dpkg_buildflags kind out)
  execute_process(
    COMMAND ${CMAKE_COMMAND} -E env "DEB_BUILD_MAINT_OPTIONS=hardening=+all reproducible=-all"
            "DEB_CXXFLAGS_MAINT_STRIP=-g -O2" ${MOBISYNC_DPKG_BUILDFLAGS} --get ${kind}
    OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
  separate_arguments(flags UNIX_COMMAND "${flags}")
  set(${out} ${flags} PARENT_SCOPE)
endfunction()

mobisync_dpkg_buildflags(CPPFLAGS hardening_cppflags)
mobisync_dpkg_buildflags(CXXFLAGS hardening_cxxflags)
mobisync_dpkg_buildflags(LDFLAGS hardening_ldflags)
message(STATUS "Hardening: ${hardening_cppflags} ${hardening_cxxflags} ${hardening_ldflags}")
# _FORTIFY_SOURCE needs an optimising build; a Debug build (-O0) would warn on every file.
list(TRANSFORM hardening_cppflags REPLACE "(.+)" "$<$<NOT:$<CONFIG:Debug>>:\\1>")
target_compile_options(mobisync_options INTERFACE ${hardening_cxxflags} ${hardening_cppflags})
target_link_options(mobisync_options INTERFACE ${hardening_ldflags})
