# Packaging: install this build into a temporary prefix and build a separate project that does
# find_package(sfn) and links sfn::sfn (tests/packaging/CMakeLists.txt).
if(SFN_INSTALL)
  add_test(NAME packaging.find_package_consumer
    COMMAND ${CMAKE_COMMAND}
      -DSFN_BUILD_DIR=${PROJECT_BINARY_DIR}
      -DCONSUMER_DIR=${CMAKE_CURRENT_LIST_DIR}
      -DWORK_DIR=${PROJECT_BINARY_DIR}/packaging-test
      -DGENERATOR=${CMAKE_GENERATOR}
      -DCXX_COMPILER=${CMAKE_CXX_COMPILER}
      -P ${CMAKE_CURRENT_LIST_DIR}/run_packaging_test.cmake)
  set_tests_properties(packaging.find_package_consumer PROPERTIES LABELS packaging TIMEOUT 1800)
endif()
