# Builds the core and jsonpath unit tests against only their own libraries, so they can be built
# and run while other components are mid-change. EXCLUDE_FROM_ALL and not registered with ctest:
# the regular sfn_core_tests / sfn_jsonpath_tests targets run the same sources.
foreach(folder core jsonpath)
  file(GLOB isolated_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/../${folder}/*_test.cpp
                                                ${CMAKE_CURRENT_LIST_DIR}/../${folder}/*_support.cpp)
  if(isolated_sources)
    add_executable(sfn_${folder}_isolated_tests EXCLUDE_FROM_ALL ${isolated_sources})
    target_link_libraries(sfn_${folder}_isolated_tests PRIVATE sfn::${folder} GTest::gtest GTest::gmock GTest::gtest_main sfn_warnings nlohmann_json::nlohmann_json)
    target_include_directories(sfn_${folder}_isolated_tests PRIVATE ${PROJECT_SOURCE_DIR}/src ${CMAKE_CURRENT_LIST_DIR}/../${folder})
    target_compile_definitions(sfn_${folder}_isolated_tests PRIVATE
      SFN_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
      SFN_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared"
      SFN_BINARY_DIR="${PROJECT_BINARY_DIR}")
  endif()
endforeach()
