# Provenance: the seam version and the git commit the build came from, for every output file.
find_package(Git QUIET)
set(SEAM_GIT_COMMIT "unknown")
if(GIT_FOUND AND EXISTS ${CMAKE_SOURCE_DIR}/.git)
  execute_process(COMMAND ${GIT_EXECUTABLE} describe --always --dirty --abbrev=12
                  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
                  OUTPUT_VARIABLE SEAM_GIT_COMMIT OUTPUT_STRIP_TRAILING_WHITESPACE
                  ERROR_QUIET RESULT_VARIABLE _git_rc)
  if(NOT _git_rc EQUAL 0 OR SEAM_GIT_COMMIT STREQUAL "")
    set(SEAM_GIT_COMMIT "unknown")
  endif()
endif()
configure_file(${CMAKE_SOURCE_DIR}/src/base/version.h.in ${CMAKE_BINARY_DIR}/generated/seam/version.h @ONLY)
