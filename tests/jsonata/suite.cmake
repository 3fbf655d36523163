# The JSONata reference test suite (../shared/jsonata-testsuite): one runner, one ctest test.
add_executable(sfn_jsonata_testsuite ${CMAKE_CURRENT_LIST_DIR}/testsuite_runner.cpp)
target_link_libraries(sfn_jsonata_testsuite PRIVATE sfn::jsonata sfn_warnings)
add_test(NAME jsonata.testsuite
         COMMAND sfn_jsonata_testsuite ${PROJECT_SOURCE_DIR}/../shared/jsonata-testsuite
                 ${CMAKE_CURRENT_LIST_DIR}/expected_failures.txt
         WORKING_DIRECTORY ${SFN_TEST_WORKDIR})
set_tests_properties(jsonata.testsuite PROPERTIES LABELS jsonata)
