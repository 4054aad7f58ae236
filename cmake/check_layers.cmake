# SPDX-License-Identifier: Apache-2.0
# Fails when a file of core/src includes a folder its layer does not link (a back-edge).
#   cmake -DSRC=<core/src> "-DLAYERS=values= state=values config=values,model ..." -P check_layers.cmake
# LAYERS is core/CMakeLists.txt's mobisync_core_layer() calls: each folder and the folders it links
# directly. A folder may include itself, the SDK and every folder it reaches through its links.
# EXTRA ("folder=file ...") checks more files as if they lived in that folder: the test that
# proves a back-edge is caught uses it.
cmake_minimum_required(VERSION 3.21)

if(NOT SRC OR NOT LAYERS)
  message(FATAL_ERROR "check_layers.cmake: pass -DSRC=<core/src> and -DLAYERS=<folder=deps ...>")
endif()

string(REPLACE " " ";" layer_list "${LAYERS}")
set(folders "")
foreach(entry IN LISTS layer_list)
  if(entry STREQUAL "")
    continue()
  endif()
  string(REPLACE "=" ";" parts "${entry}")
  list(GET parts 0 folder)
  list(LENGTH parts n)
  set(deps "")
  if(n GREATER 1)
    list(GET parts 1 deps)
    string(REPLACE "," ";" deps "${deps}")
  endif()
  list(APPEND folders ${folder})
  set(direct_${folder} ${deps})
endforeach()

# What each folder reaches: its direct links, and theirs, to the bottom.
foreach(folder IN LISTS folders)
  set(reach "")
  set(todo ${direct_${folder}})
  while(todo)
    list(POP_FRONT todo next)
    if(NOT next IN_LIST reach)
      list(APPEND reach ${next})
      list(APPEND todo ${direct_${next}})
    endif()
  endwhile()
  set(reach_${folder} ${reach})
endforeach()

set(problems "")

# A folder no layer declares would escape the check.
file(GLOB children LIST_DIRECTORIES true RELATIVE ${SRC} ${SRC}/*)
foreach(child IN LISTS children)
  if(IS_DIRECTORY ${SRC}/${child} AND NOT child IN_LIST folders)
    list(APPEND problems "${SRC}/${child}: a folder of core/src with no mobisync_core_layer() in core/CMakeLists.txt")
  endif()
endforeach()

function(check_file folder path)
  file(READ ${path} content)
  string(REGEX MATCHALL "#include \"[a-z_]+/[^\"]*\"" includes "${content}")
  foreach(inc IN LISTS includes)
    string(REGEX REPLACE "#include \"([a-z_]+)/.*" "\\1" target "${inc}")
    string(REGEX REPLACE "#include " "" header "${inc}")
    if(target STREQUAL folder OR NOT target IN_LIST folders OR target IN_LIST reach_${folder})
      continue()
    endif()
    string(FIND "${content}" "${inc}" at)
    string(SUBSTRING "${content}" 0 ${at} before)
    string(REGEX MATCHALL "\n" newlines "${before}")
    list(LENGTH newlines line)
    math(EXPR line "${line} + 1")
    list(JOIN reach_${folder} ", " reachable)
    if(reachable STREQUAL "")
      set(reachable "nothing but the SDK")
    endif()
    set(problems ${problems}
        "${path}:${line}: back-edge: layer ${folder} includes ${header}, but ${folder} reaches only: ${reachable}"
        PARENT_SCOPE)
  endforeach()
endfunction()

foreach(folder IN LISTS folders)
  file(GLOB files ${SRC}/${folder}/*.cpp ${SRC}/${folder}/*.hpp)
  foreach(path IN LISTS files)
    check_file(${folder} ${path})
  endforeach()
endforeach()

if(EXTRA)
  string(REPLACE " " ";" extra_list "${EXTRA}")
  foreach(entry IN LISTS extra_list)
    string(REPLACE "=" ";" parts "${entry}")
    list(GET parts 0 folder)
    list(GET parts 1 path)
    check_file(${folder} ${path})
  endforeach()
endif()

if(problems)
  # One line per problem, unwrapped, so editors and tests can read the place.
  foreach(problem IN LISTS problems)
    message(NOTICE "${problem}")
  endforeach()
  message(FATAL_ERROR "Each folder of core/src links only the layers below it "
                      "(core/CMakeLists.txt, docs/architecture.md): move the code down, or pass "
                      "the value in from above.")
endif()
