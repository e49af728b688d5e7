# The SEAM_FUZZ configuration (included by the top-level CMakeLists.txt, which returns after it): the
# libraries the deck loader needs and tests/fuzz/deck_fuzzer, instrumented for libFuzzer with
# AddressSanitizer and UndefinedBehaviorSanitizer. libFuzzer ships with clang (Debian: clang,
# libclang-rt-14-dev); the Debian yaml-cpp and fmt, built with GCC against libstdc++, link with clang++.
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "seam: SEAM_FUZZ needs clang (libFuzzer is part of clang's runtime); configure with "
                      "-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ (Debian: clang libclang-rt-14-dev), "
                      "or run scripts/fuzz")
endif()

set(CMAKE_CXX_STANDARD 17)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
set(CMAKE_RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin)
set(CMAKE_ARCHIVE_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/lib)

list(APPEND CMAKE_MODULE_PATH ${CMAKE_CURRENT_SOURCE_DIR}/cmake)
include(SeamDependencies)
include(SeamVersion)
add_library(seam_warnings INTERFACE)
target_compile_options(seam_warnings INTERFACE -Wall -Wextra -Wno-unused-parameter -Wno-missing-braces)

# Coverage instrumentation (fuzzer-no-link) and the sanitizers in every library; libFuzzer's main only in
# the fuzzer. -fno-sanitize-recover: undefined behaviour is a crash the fuzzer records, not a warning.
add_compile_options(-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined
                    -fno-sanitize-recover=undefined)
add_link_options(-fsanitize=address,undefined)

# The deck schema takes its potential, fix and coupling styles from md and coupling (seam_md and
# seam_coupling_core, both deal.II-free). src/coupling also declares the FE side, seam_coupling, which needs
# deal.II: it is never built here (EXCLUDE_FROM_ALL, and nothing the fuzzer links depends on it), so its
# seam_use_dealii() call is made a no-op.
function(seam_use_dealii target)
endfunction()
add_subdirectory(src/base)
add_subdirectory(src/parallel)
add_subdirectory(src/config)
add_subdirectory(src/md EXCLUDE_FROM_ALL)
add_subdirectory(src/coupling EXCLUDE_FROM_ALL)
add_subdirectory(tests/fuzz)
