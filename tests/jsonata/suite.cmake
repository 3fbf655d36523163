# The JSONata reference test suite (../shared/jsonata-testsuite): one runner, one ctest test.
add_executable(sfn_jsonata_testsuite ${CMAKE_CURRENT_LIST_DIR}/testsuite_runner.cpp)
target_link_libraries(sfn_jsonata_testsuite PRIVATE sfn_allocator sfn::jsonata sfn_warnings)
# Sanitized code runs several times slower: a case that must produce a result within its time limit gets ten
# times the limit there (cases that expect the timeout keep theirs).
if(SFN_SANITIZE OR SFN_FUZZ OR SFN_TSAN)
  target_compile_definitions(sfn_jsonata_testsuite PRIVATE SFN_RESULT_TIME_SCALE=10)
endif()
add_test(NAME jsonata.testsuite
         COMMAND sfn_jsonata_testsuite ${PROJECT_SOURCE_DIR}/../shared/jsonata-testsuite
                 ${CMAKE_CURRENT_LIST_DIR}/expected_failures.txt
         WORKING_DIRECTORY ${SFN_TEST_WORKDIR})
set_tests_properties(jsonata.testsuite PROPERTIES LABELS jsonata)

# Unit tests of the public API. They live in unit/ and link only sfn::jsonata, so they build without
# the rest of the library.
file(GLOB jsonata_unit_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/unit/*_test.cpp)
add_executable(sfn_jsonata_unit_tests ${jsonata_unit_sources})
target_link_libraries(sfn_jsonata_unit_tests PRIVATE sfn::jsonata GTest::gtest GTest::gtest_main sfn_warnings)
gtest_discover_tests(sfn_jsonata_unit_tests WORKING_DIRECTORY ${SFN_TEST_WORKDIR} DISCOVERY_TIMEOUT 60
  PROPERTIES LABELS jsonata)
target_compile_definitions(sfn_jsonata_unit_tests PRIVATE SFN_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared")
# White-box tests (the built-in table, the value accessors) read the private headers in src/.
target_include_directories(sfn_jsonata_unit_tests PRIVATE ${PROJECT_SOURCE_DIR}/src)
