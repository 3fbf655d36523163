# The ASL conformance suite: every case of ../shared/conformance/cases (and cases/lambda) through the engine
# with the virtual clock. `ctest -R conformance` fails when a pure case (JSONPath or JSONata) fails (unless listed with a
# reason in expected_failures.txt) or when fewer than 95% of the lambda cases pass (listed cases left out). JSONata cases run too
# (their pass count is printed per folder).
add_library(sfn_conformance_compare_lib STATIC ${CMAKE_CURRENT_LIST_DIR}/compare.cpp)
target_link_libraries(sfn_conformance_compare_lib PUBLIC nlohmann_json::nlohmann_json PRIVATE sfn_warnings)
target_compile_features(sfn_conformance_compare_lib PUBLIC cxx_std_20)
target_include_directories(sfn_conformance_compare_lib PUBLIC ${CMAKE_CURRENT_LIST_DIR})
add_executable(sfn_conformance ${CMAKE_CURRENT_LIST_DIR}/runner.cpp ${CMAKE_CURRENT_LIST_DIR}/lambdas.cpp)
target_link_libraries(sfn_conformance PRIVATE sfn_allocator sfn::engine sfn_conformance_compare_lib sfn_warnings)
target_include_directories(sfn_conformance PRIVATE ${CMAKE_CURRENT_LIST_DIR})
target_compile_definitions(sfn_conformance PRIVATE SFN_CONFORMANCE_DEFAULT_CASES="${PROJECT_SOURCE_DIR}/../shared/conformance/cases")
add_test(NAME conformance
  COMMAND sfn_conformance
    --cases ${PROJECT_SOURCE_DIR}/../shared/conformance/cases
    --expected-failures ${CMAKE_CURRENT_LIST_DIR}/expected_failures.txt
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(conformance PROPERTIES LABELS conformance TIMEOUT 600)

# The integration corpus (../shared/conformance-integrations): every case against moto_server through
# `sfn serve --integrations aws`, compared by sfn_conformance_compare (the same comparison as above); side effects
# checked with boto3. Fails on a case that fails unlisted in integrations/expected_failures.txt.
add_executable(sfn_conformance_compare ${CMAKE_CURRENT_LIST_DIR}/compare_tool.cpp)
target_link_libraries(sfn_conformance_compare PRIVATE sfn_conformance_compare_lib sfn_warnings)
find_package(Python3 COMPONENTS Interpreter)
if(Python3_FOUND)
  add_test(NAME conformance.integrations
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/integrations/runner.py
      --sfn $<TARGET_FILE:sfn_cli> --compare $<TARGET_FILE:sfn_conformance_compare>
      --cases ${PROJECT_SOURCE_DIR}/../shared/conformance-integrations
      --expected-failures ${CMAKE_CURRENT_LIST_DIR}/integrations/expected_failures.txt
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(conformance.integrations PROPERTIES LABELS "conformance;conformance-integrations" TIMEOUT 300)
endif()

# The real workflows of ../shared/realworld with --integrations aws (bench/integrations/realworld.py): which are
# fully handled and which run to completion against moto_server must stay what realworld_figures.json records.
if(Python3_FOUND)
  add_test(NAME realworld.integrations
    COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/bench/integrations/realworld.py
      --sfn $<TARGET_FILE:sfn_cli> --folder ${PROJECT_SOURCE_DIR}/../shared/realworld
      --check ${PROJECT_SOURCE_DIR}/bench/integrations/realworld_figures.json
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(realworld.integrations PROPERTIES LABELS "realworld;conformance-integrations" TIMEOUT 300)
endif()
