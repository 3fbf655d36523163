# End-to-end tests of the sfn command-line tool.
add_test(NAME cli.lifecycle_on_embedded_service
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/lifecycle_test.sh $<TARGET_FILE:sfn_cli> ${PROJECT_SOURCE_DIR}/../shared)
set_tests_properties(cli.lifecycle_on_embedded_service PROPERTIES LABELS cli TIMEOUT 120)
