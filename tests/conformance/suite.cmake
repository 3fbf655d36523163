# The ASL conformance suite: every case of ../shared/conformance/cases (and cases/lambda) through the engine
# with the virtual clock. `ctest -R conformance` fails when a pure case (JSONPath or JSONata) fails (unless listed with a
# reason in expected_failures.txt) or when fewer than 95% of the lambda cases pass (listed cases left out). JSONata cases run too
# (their pass count is printed per folder).
add_executable(sfn_conformance ${CMAKE_CURRENT_LIST_DIR}/runner.cpp ${CMAKE_CURRENT_LIST_DIR}/lambdas.cpp)
target_link_libraries(sfn_conformance PRIVATE sfn::engine sfn_warnings)
target_include_directories(sfn_conformance PRIVATE ${CMAKE_CURRENT_LIST_DIR})
target_compile_definitions(sfn_conformance PRIVATE SFN_CONFORMANCE_DEFAULT_CASES="${PROJECT_SOURCE_DIR}/../shared/conformance/cases")
add_test(NAME conformance
  COMMAND sfn_conformance
    --cases ${PROJECT_SOURCE_DIR}/../shared/conformance/cases
    --expected-failures ${CMAKE_CURRENT_LIST_DIR}/expected_failures.txt
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(conformance PROPERTIES LABELS conformance TIMEOUT 600)
