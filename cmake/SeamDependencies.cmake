# Third-party libraries, found by their standard CMake packages (config files or CMake's Find modules),
# so that a cluster's module-loaded MPI, HDF5 and deal.II are found through CMAKE_PREFIX_PATH,
# <Package>_DIR or <Package>_ROOT, with no install path written here. On Debian 12 every one of them is
# found as installed (scripts/lib/setup.sh installs the packages).
#
# SEAM_STRICT_PORTABLE=ON: standard packages only. A missing package stops the configure with a message
# naming it; there is no fallback on pkg-config or on a hand-made target. OFF (the default) allows two
# fallbacks for old installations: CLI11 without a CMake config (its header found on the include path)
# and muparser without one (pkg-config).
option(SEAM_STRICT_PORTABLE "Find dependencies by their standard CMake packages only (no pkg-config, no fallbacks)" OFF)

# seam_require(PACKAGE HINT): a FATAL_ERROR naming the package and how to point CMake at it.
function(seam_require package hint)
  message(FATAL_ERROR
    "seam: ${package} was not found by its CMake package (find_package(${package})).\n"
    "  ${hint}\n"
    "  Point CMake at its installation with -D${package}_DIR=<dir with its CMake config> or "
    "-DCMAKE_PREFIX_PATH=<install prefix> (on a cluster: load its module first).")
endfunction()

# MPI_DETERMINE_LIBRARY_VERSION: MPI_CXX_LIBRARY_VERSION_STRING names the implementation (the tests'
# launcher flags depend on it).
set(MPI_DETERMINE_LIBRARY_VERSION TRUE)
find_package(MPI REQUIRED COMPONENTS C CXX)

find_package(yaml-cpp QUIET)
if(NOT yaml-cpp_FOUND)
  seam_require(yaml-cpp "yaml-cpp >= 0.6 (Debian: libyaml-cpp-dev).")
endif()
if(TARGET yaml-cpp::yaml-cpp)
  set(SEAM_YAML_TARGET yaml-cpp::yaml-cpp)
else()
  set(SEAM_YAML_TARGET yaml-cpp) # yaml-cpp < 0.8 exports the target without a namespace
endif()

find_package(fmt QUIET)
if(NOT fmt_FOUND)
  seam_require(fmt "{fmt} >= 8 (Debian: libfmt-dev).")
endif()

find_package(CLI11 QUIET)
if(NOT TARGET CLI11::CLI11)
  if(SEAM_STRICT_PORTABLE)
    seam_require(CLI11 "CLI11 >= 2.0, header-only (Debian: libcli11-dev); its install ships CLI11Config.cmake.")
  endif()
  find_path(CLI11_INCLUDE_DIR CLI/CLI.hpp)
  if(NOT CLI11_INCLUDE_DIR)
    seam_require(CLI11 "CLI11 >= 2.0, header-only (Debian: libcli11-dev).")
  endif()
  add_library(CLI11::CLI11 INTERFACE IMPORTED)
  target_include_directories(CLI11::CLI11 INTERFACE ${CLI11_INCLUDE_DIR})
endif()

# muparser (expressions in decks): its CMake config exports muparser::muparser (muparser >= 2.3).
find_package(muparser QUIET)
if(TARGET muparser::muparser)
  set(SEAM_MUPARSER_TARGET muparser::muparser)
elseif(NOT SEAM_STRICT_PORTABLE)
  find_package(PkgConfig QUIET)
  if(PkgConfig_FOUND)
    pkg_check_modules(MUPARSER IMPORTED_TARGET muparser)
  endif()
  if(NOT TARGET PkgConfig::MUPARSER)
    seam_require(muparser "muparser >= 2.3 (Debian: libmuparser-dev).")
  endif()
  set(SEAM_MUPARSER_TARGET PkgConfig::MUPARSER)
else()
  seam_require(muparser "muparser >= 2.3 with its CMake config (muparserConfig.cmake; Debian: libmuparser-dev).")
endif()

# HDF5 must be the MPI-parallel build (seam writes with MPI-IO), the same one deal.II links. CMake's
# FindHDF5 uses HDF5's own CMake config when there is one (a source build of HDF5), otherwise its
# compiler wrapper: HDF5_PREFER_PARALLEL makes it try h5pcc before h5cc (Debian installs both). Set
# HDF5_ROOT, HDF5_DIR or HDF5_C_COMPILER_EXECUTABLE to choose an installation.
if(NOT DEFINED HDF5_PREFER_PARALLEL)
  set(HDF5_PREFER_PARALLEL ON)
endif()
find_package(HDF5 COMPONENTS C)
if(NOT HDF5_FOUND)
  seam_require(HDF5 "An MPI-parallel HDF5 >= 1.10 (Debian: libhdf5-openmpi-dev); CMake finds it through "
                    "its CMake config (-DHDF5_DIR=...), -DHDF5_ROOT=<prefix> or its h5pcc wrapper on PATH.")
endif()
if(NOT HDF5_IS_PARALLEL)
  message(FATAL_ERROR
    "seam: the HDF5 found (${HDF5_VERSION}: ${HDF5_C_INCLUDE_DIRS}) is a serial build; seam needs the MPI-parallel "
    "one (HDF5_IS_PARALLEL is false).\n"
    "  Point CMake at a parallel HDF5: -DHDF5_ROOT=<prefix> or -DHDF5_C_COMPILER_EXECUTABLE=<path>/h5pcc "
    "(Debian: libhdf5-openmpi-dev provides h5pcc).")
endif()
if(TARGET HDF5::HDF5)
  set(SEAM_HDF5_TARGET HDF5::HDF5)
else() # CMake < 3.19 defines no target
  add_library(seam_hdf5 INTERFACE)
  target_include_directories(seam_hdf5 SYSTEM INTERFACE ${HDF5_C_INCLUDE_DIRS})
  target_compile_definitions(seam_hdf5 INTERFACE ${HDF5_C_DEFINITIONS})
  target_link_libraries(seam_hdf5 INTERFACE ${HDF5_C_LIBRARIES})
  set(SEAM_HDF5_TARGET seam_hdf5)
endif()
message(STATUS "seam: parallel HDF5 ${HDF5_VERSION} (${HDF5_C_INCLUDE_DIRS})")

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
  if(SEAM_SANITIZE)
    # deal.II 9.4's FEEvaluation on a plain vector with several components binds a reference to the null
    # pointer it keeps for components > 0 (matrix_free/fe_evaluation.h, get_vector_data): UB in its
    # header, instantiated in our translation units. The null check is recoverable here so that
    # scripts/ubsan.supp can suppress that report (UBSan ignores suppressions for unrecoverable checks);
    # UBSAN_OPTIONS=halt_on_error=1 (scripts/test --sanitize) keeps every other report fatal.
    target_compile_options(${target} PUBLIC -fsanitize-recover=null)
  endif()
endfunction()
