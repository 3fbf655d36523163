# The web console in headless Chromium (Debian's chromium and python3-websocket: scripts/install-deps.sh --test).
# Screenshots of every page are kept under the build tree (console-artefacts/).
find_package(Python3 COMPONENTS Interpreter)
find_program(SFN_CHROMIUM NAMES chromium chromium-browser)
if(Python3_FOUND AND SFN_CHROMIUM)
  add_test(NAME console.browser
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/console_test.py $<TARGET_FILE:sfn_cli>
                   ${PROJECT_BINARY_DIR}/console-artefacts
           WORKING_DIRECTORY ${SFN_TEST_WORKDIR})
  set_tests_properties(console.browser PROPERTIES LABELS "console" TIMEOUT 600)
  add_test(NAME console.links
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/links_test.py $<TARGET_FILE:sfn_cli>
           WORKING_DIRECTORY ${SFN_TEST_WORKDIR})
  set_tests_properties(console.links PROPERTIES LABELS "console" TIMEOUT 300)
endif()
