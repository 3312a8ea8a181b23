# Helpers so every lib/, tools/ and tests/ folder is declared the same way.

# kk_library(NAME SOURCES... DEPS ...): a static library under lib/<area>.
function(kk_library name)
  cmake_parse_arguments(A "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${A_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/lib)
  target_link_libraries(${name} PUBLIC ${A_DEPS} PRIVATE kk_warnings)
endfunction()

# kk_unity_alone(FILES...): compiled on their own in a unity build (KK_UNITY). For a file
# whose file-local helpers share names with a sibling's by design (one handler table per
# event channel), or whose private Impl holds file-local types. Call it in the folder that
# declares the target.
function(kk_unity_alone)
  set_source_files_properties(${ARGN} PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
endfunction()

# kk_tool(NAME DEPS...): tools/NAME.cpp, skipped while the file does not exist yet.
function(kk_tool name)
  set(src ${PROJECT_SOURCE_DIR}/tools/${name}.cpp)
  if(NOT EXISTS ${src})
    return()
  endif()
  foreach(dep ${ARGN})  # skip tools whose library is not part of this build (KK_AREAS)
    if(NOT TARGET ${dep})
      return()
    endif()
  endforeach()
  add_executable(${name} ${src})
  target_link_libraries(${name} PRIVATE ${ARGN} kk_warnings)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bin)
  install(TARGETS ${name} RUNTIME DESTINATION bin)
endfunction()

# The shared corpus the conformance tests read (they skip when it is absent); a git worktree
# elsewhere points it at the corpus with -DKK_CORPUS_DIR=/work/shared/corpus.
set(KK_CORPUS_DIR "${PROJECT_SOURCE_DIR}/../shared/corpus" CACHE PATH "test corpus folder")

# kk_test(NAME SOURCES... DEPS ...): a doctest binary registered with ctest.
function(kk_test name)
  cmake_parse_arguments(A "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${A_SOURCES})
  target_link_libraries(${name} PRIVATE ${A_DEPS} kk_test_main kk_warnings)
  target_compile_definitions(${name} PRIVATE
    KK_TEST_DATA="${PROJECT_SOURCE_DIR}/tests/data"
    KK_CORPUS="${KK_CORPUS_DIR}"
    KK_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    KK_BIN_DIR="${PROJECT_BINARY_DIR}/bin")
  add_test(NAME ${name} COMMAND ${name})
  if(A_LABELS)
    set_tests_properties(${name} PROPERTIES LABELS "${A_LABELS}")
  endif()
endfunction()

# kk_fuzzer(NAME SOURCE DEPS...): a fuzz target. KK_FUZZ (preset fuzz, clang): a libFuzzer
# binary. KK_FUZZ_STANDALONE (preset sanitize): the harness with tests/fuzz/standalone_main.cpp,
# which runs it once on each file given (CI's smoke run over the seeds, ctest fuzz_smoke_*).
function(kk_fuzzer name src)
  if(KK_FUZZ)
    add_executable(${name} ${src})
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  elseif(KK_FUZZ_STANDALONE)
    add_executable(${name} ${src})
    target_link_libraries(${name} PRIVATE kk_fuzz_standalone_main)
  else()
    return()
  endif()
  target_link_libraries(${name} PRIVATE ${ARGN} kk_warnings)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/fuzz)
endfunction()
