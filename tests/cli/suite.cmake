# End-to-end tests of the sfn command-line tool.
add_test(NAME cli.lifecycle_on_embedded_service
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/lifecycle_test.sh $<TARGET_FILE:sfn_cli> ${PROJECT_SOURCE_DIR}/../shared)
set_tests_properties(cli.lifecycle_on_embedded_service PROPERTIES LABELS cli TIMEOUT 120)
find_package(Python3 COMPONENTS Interpreter)
if(Python3_FOUND)
  # The real workflows of ../shared/realworld: validate, format losslessly, draw (End included).
  add_test(NAME cli.realworld COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/realworld_test.py
           $<TARGET_FILE:sfn_cli> ${PROJECT_SOURCE_DIR}/../shared/realworld)
  set_tests_properties(cli.realworld PROPERTIES LABELS cli TIMEOUT 300)
endif()
