# The local service's end-to-end tests with real clients (each starts `sfn serve --port 0` and stops it).
find_package(Python3 COMPONENTS Interpreter)
set(_sfn_serve_tests ${CMAKE_CURRENT_LIST_DIR})
if(Python3_FOUND)
  foreach(_t boto3 sigv4 restart conformance_http test_state validate_definition nested http_task endpoint_credentials
             map_run)
    add_test(NAME server.${_t} COMMAND ${Python3_EXECUTABLE} ${_sfn_serve_tests}/${_t}_test.py $<TARGET_FILE:sfn_cli>
             WORKING_DIRECTORY ${SFN_TEST_WORKDIR})
    set_tests_properties(server.${_t} PROPERTIES LABELS server TIMEOUT 300)
  endforeach()
  # kill -9 rounds, read-only and full disks, two servers on one file; HTTP and input limits of `sfn serve`.
  foreach(_t fault limits)
    add_test(NAME server.${_t} COMMAND ${Python3_EXECUTABLE} ${_sfn_serve_tests}/${_t}_test.py $<TARGET_FILE:sfn_cli>
             WORKING_DIRECTORY ${SFN_TEST_WORKDIR})
    # fault: 100 kill -9 rounds of durable executions (about 25 s in Release, several times that under ASan)
    set_tests_properties(server.${_t} PROPERTIES LABELS "server;${_t}" TIMEOUT 600)
  endforeach()
endif()
find_program(SFN_AWS_CLI aws)
if(SFN_AWS_CLI)
  add_test(NAME server.awscli COMMAND bash ${_sfn_serve_tests}/awscli_test.sh $<TARGET_FILE:sfn_cli>
           WORKING_DIRECTORY ${SFN_TEST_WORKDIR})
  set_tests_properties(server.awscli PROPERTIES LABELS server TIMEOUT 300)
endif()
find_program(SFN_NODE node)
if(SFN_NODE AND EXISTS ${PROJECT_SOURCE_DIR}/tests/node/package.json)
  add_test(NAME server.node_sdk COMMAND ${SFN_NODE} ${PROJECT_SOURCE_DIR}/tests/node/sdk_test.mjs $<TARGET_FILE:sfn_cli>
           WORKING_DIRECTORY ${SFN_TEST_WORKDIR})
  set_tests_properties(server.node_sdk PROPERTIES LABELS server TIMEOUT 300)
endif()
