# Third-party libraries, all from Debian 12 packages (scripts/setup installs them).
find_package(MPI REQUIRED COMPONENTS C CXX)
find_package(yaml-cpp REQUIRED)
find_package(fmt REQUIRED)
find_package(CLI11 QUIET)
find_package(PkgConfig REQUIRED)
# The MPI-parallel HDF5 build (libhdf5-openmpi-dev), the same one deal.II is linked against.
pkg_check_modules(HDF5_MPI REQUIRED IMPORTED_TARGET hdf5-openmpi)
pkg_check_modules(MUPARSER REQUIRED IMPORTED_TARGET muparser)

if(NOT TARGET CLI11::CLI11)
  find_path(CLI11_INCLUDE_DIR CLI/CLI.hpp REQUIRED)
  add_library(CLI11::CLI11 INTERFACE IMPORTED)
  target_include_directories(CLI11::CLI11 INTERFACE ${CLI11_INCLUDE_DIR})
endif()

if(TARGET yaml-cpp::yaml-cpp)
  set(SEAM_YAML_TARGET yaml-cpp::yaml-cpp)
else()
  set(SEAM_YAML_TARGET yaml-cpp)
endif()

# deal.II for one target, with keyword link signatures (DEAL_II_SETUP_TARGET uses the plain one, which
# cannot be mixed with PUBLIC/PRIVATE). Flags of the Release flavour unless CMAKE_BUILD_TYPE is Debug.
function(seam_use_dealii target)
  if(CMAKE_BUILD_TYPE STREQUAL "Debug" AND DEAL_II_BUILD_TYPE MATCHES "Debug")
    set(_build DEBUG)
  else()
    set(_build RELEASE)
  endif()
  if(NOT DEAL_II_TARGET_CONFIG_INCLUDED)
    include(${DEAL_II_TARGET_CONFIG})
    set(DEAL_II_TARGET_CONFIG_INCLUDED TRUE PARENT_SCOPE)
  endif()
  target_include_directories(${target} SYSTEM PUBLIC ${DEAL_II_INCLUDE_DIRS})
  set(_flags "${DEAL_II_CXX_FLAGS} ${DEAL_II_CXX_FLAGS_${_build}}")
  separate_arguments(_flags)
  # Debug info in every deal.II translation unit doubles their compile time; Debug builds add it back.
  list(FILTER _flags EXCLUDE REGEX "^-g$|^-ffile-prefix-map")
  target_compile_options(${target} PUBLIC $<$<COMPILE_LANGUAGE:CXX>:${_flags}>)
  target_compile_definitions(${target} PUBLIC ${DEAL_II_USER_DEFINITIONS} ${DEAL_II_USER_DEFINITIONS_${_build}})
  target_link_libraries(${target} PUBLIC ${DEAL_II_TARGET_${_build}})
endfunction()
