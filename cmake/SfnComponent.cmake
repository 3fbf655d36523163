# Our own warning flags; never pushed onto consumers.
add_library(sfn_warnings INTERFACE)
target_compile_options(sfn_warnings INTERFACE -Wall -Wextra -Wpedantic)
if(SFN_SANITIZE)
  target_compile_options(sfn_warnings INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer)
  target_link_options(sfn_warnings INTERFACE -fsanitize=address,undefined)
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
