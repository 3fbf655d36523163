# End-to-end tests of the sfn command-line tool.
add_test(NAME cli.lifecycle_on_embedded_service
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/lifecycle_test.sh $<TARGET_FILE:sfn_cli> ${PROJECT_SOURCE_DIR}/../shared)
set_tests_properties(cli.lifecycle_on_embedded_service PROPERTIES LABELS cli TIMEOUT 120)
# Record a run (command handlers and an HTTP Task against a loopback server), replay it offline.
find_package(Python3 COMPONENTS Interpreter)
if(Python3_FOUND)
  add_test(NAME cli.record_replay COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/record_replay_test.py
           $<TARGET_FILE:sfn_cli> WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(cli.record_replay PROPERTIES LABELS cli TIMEOUT 120)
endif()
# The HTTP Task with an EventBridge connection held by moto_server.
if(Python3_FOUND)
  add_test(NAME cli.http_connection COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/http_connection_test.py
           $<TARGET_FILE:sfn_cli> WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(cli.http_connection PROPERTIES LABELS cli TIMEOUT 120)
endif()
if(Python3_FOUND)
  # The real workflows of ../shared/realworld: validate, format losslessly, draw (End included).
  add_test(NAME cli.realworld COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/realworld_test.py
           $<TARGET_FILE:sfn_cli> ${PROJECT_SOURCE_DIR}/../shared/realworld)
  set_tests_properties(cli.realworld PROPERTIES LABELS cli TIMEOUT 300)
endif()
if(Python3_FOUND)
  # The Distributed Map cases of ../shared/conformance-integrations over moto_server's S3 and over --s3-dir.
  add_test(NAME cli.distributed_map COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/distributed_map_test.py
           $<TARGET_FILE:sfn_cli> WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(cli.distributed_map PROPERTIES LABELS "cli;distributed_map" TIMEOUT 300)
  # --integrations aws on `sfn run` and `sfn serve` against moto_server behind the SigV4-verifying proxy.
  add_test(NAME cli.integrations_aws COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/integrations_aws_test.py
           $<TARGET_FILE:sfn_cli> WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(cli.integrations_aws PROPERTIES LABELS "cli;integrations" TIMEOUT 300)
endif()
# The sfn tool allocates through mimalloc when the build found it (its start-up message names it).
if(SFN_USES_MIMALLOC)
  add_test(NAME cli.allocator COMMAND ${CMAKE_COMMAND} -E env MIMALLOC_VERBOSE=1 $<TARGET_FILE:sfn_cli> --version)
  set_tests_properties(cli.allocator PROPERTIES LABELS cli TIMEOUT 30 PASS_REGULAR_EXPRESSION "mimalloc: process init")
endif()
