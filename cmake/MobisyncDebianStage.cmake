# SPDX-License-Identifier: Apache-2.0
# CPack pre-build script: in the staged package tree, move <prefix>/etc to /etc (Debian keeps
# configuration there, not under /usr).
file(GLOB staged_etc_dirs "${CPACK_TEMPORARY_DIRECTORY}/usr/etc"
                          "${CPACK_TEMPORARY_DIRECTORY}/*/usr/etc")
foreach(usr_etc IN LISTS staged_etc_dirs)
  get_filename_component(usr_dir ${usr_etc} DIRECTORY)
  get_filename_component(root ${usr_dir} DIRECTORY)
  file(MAKE_DIRECTORY ${root}/etc)
  file(GLOB entries RELATIVE ${usr_etc} ${usr_etc}/*)
  foreach(entry IN LISTS entries)
    file(RENAME ${usr_etc}/${entry} ${root}/etc/${entry})
  endforeach()
  file(REMOVE_RECURSE ${usr_etc})
endforeach()
