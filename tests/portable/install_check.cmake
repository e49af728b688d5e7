# The install check (ctest label `portable`): `cmake --install` of the build tree into a fresh prefix, the
# files a user needs are there, the installed `seam --version` works, and a small deck from the installed
# tree runs with the installed executable (MD-only Cu EAM, 20 steps, one rank).
#
#   cmake -DBUILD_DIR=<build tree> -DPREFIX=<scratch prefix> -DLAUNCH="<launcher;-n;1;flags...>" -P install_check.cmake
foreach(v BUILD_DIR PREFIX LAUNCH)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "install_check.cmake: -D${v}=... is required")
  endif()
endforeach()
file(REMOVE_RECURSE ${PREFIX})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install ${BUILD_DIR} --prefix ${PREFIX} failed (exit ${rc})")
endif()
foreach(f bin/seam share/doc/seam/README.md share/doc/seam/deck.md share/seam/inputs/default.yaml
          share/seam/inputs/md_cu_eam_3d.yaml share/seam/inputs/coupled/cu_eam_3d.yaml)
  if(NOT EXISTS ${PREFIX}/${f})
    message(FATAL_ERROR "the install has no ${f}")
  endif()
endforeach()
execute_process(COMMAND ${PREFIX}/bin/seam --version RESULT_VARIABLE rc OUTPUT_VARIABLE version ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT version MATCHES "seam")
  message(FATAL_ERROR "${PREFIX}/bin/seam --version failed (exit ${rc}): ${version}${err}")
endif()
message(STATUS "installed: ${version}")
set(ENV{OMPI_ALLOW_RUN_AS_ROOT} 1)
set(ENV{OMPI_ALLOW_RUN_AS_ROOT_CONFIRM} 1)
execute_process(COMMAND ${LAUNCH} ${PREFIX}/bin/seam run ${PREFIX}/share/seam/inputs/md_cu_eam_3d.yaml
                        --set run.steps=20 --set output.thermo_every=10 --set output.fields_every=0
                        --set output.directory=${PREFIX}/run
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the installed seam could not run its example deck (exit ${rc}):\n${out}${err}")
endif()
file(STRINGS ${PREFIX}/run/thermo.csv rows)
list(LENGTH rows n)
if(NOT n EQUAL 4) # header + steps 0, 10, 20
  message(FATAL_ERROR "the installed seam's thermo.csv has ${n} lines, expected 4:\n${rows}")
endif()
message(STATUS "the installed seam ran share/seam/inputs/md_cu_eam_3d.yaml (20 steps)")
