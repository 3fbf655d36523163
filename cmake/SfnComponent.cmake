# Our own warning flags; never pushed onto consumers.
add_library(sfn_warnings INTERFACE)
target_compile_options(sfn_warnings INTERFACE -Wall -Wextra -Wpedantic)
if(SFN_FUZZ AND NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "SFN_FUZZ needs clang (libFuzzer), e.g. -DCMAKE_CXX_COMPILER=clang++-14")
endif()
if(SFN_TSAN AND (SFN_SANITIZE OR SFN_FUZZ))
  message(FATAL_ERROR "SFN_TSAN cannot be combined with SFN_SANITIZE or SFN_FUZZ (separate build trees)")
endif()
if(SFN_SANITIZE OR SFN_FUZZ)
  target_compile_options(sfn_warnings INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer)
  target_link_options(sfn_warnings INTERFACE -fsanitize=address,undefined)
endif()
if(SFN_FUZZ)
  # Coverage instrumentation for every library and test; only the fuzz targets link libFuzzer's main
  # (-fsanitize=fuzzer, added in fuzz/CMakeLists.txt).
  target_compile_options(sfn_warnings INTERFACE -fsanitize=fuzzer-no-link)
  target_link_options(sfn_warnings INTERFACE -fsanitize=fuzzer-no-link)
endif()
if(SFN_TSAN)
  target_compile_options(sfn_warnings INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
  target_link_options(sfn_warnings INTERFACE -fsanitize=thread)
endif()

set(SFN_COMPONENTS "" CACHE INTERNAL "")

# sfn_component(NAME name [PUBLIC deps...] [PRIVATE deps...])
# Builds the static library sfn_<name> (alias sfn::<name>) from every .cpp in src/<name>/.
# Public headers live in include/sfn/<name>/; private headers in src/<name>/.
function(sfn_component name)
  cmake_parse_arguments(ARG "" "" "PUBLIC;PRIVATE" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/${name}/*.cpp)
  set(target sfn_${name})
  if(NOT sources)
    # A component whose sources have not landed yet: headers only.
    add_library(${target} INTERFACE)
    add_library(sfn::${name} ALIAS ${target})
    set_target_properties(${target} PROPERTIES EXPORT_NAME ${name})
    target_include_directories(${target} INTERFACE $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include> $<INSTALL_INTERFACE:include>)
    target_link_libraries(${target} INTERFACE ${ARG_PUBLIC})
    set(SFN_COMPONENTS ${SFN_COMPONENTS} ${target} CACHE INTERNAL "")
    return()
  endif()
  add_library(${target} STATIC ${sources})
  add_library(sfn::${name} ALIAS ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${name})
  target_include_directories(${target}
    PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include> $<INSTALL_INTERFACE:include>
    PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_compile_features(${target} PUBLIC cxx_std_20)
  target_link_libraries(${target} PUBLIC ${ARG_PUBLIC} PRIVATE ${ARG_PRIVATE} $<BUILD_INTERFACE:sfn_warnings>)
  target_precompile_headers(${target} PRIVATE <nlohmann/json.hpp> <string> <vector> <memory> <optional>)
  set(SFN_COMPONENTS ${SFN_COMPONENTS} ${target} CACHE INTERNAL "")
endfunction()
