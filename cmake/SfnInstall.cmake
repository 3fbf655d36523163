include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/sfn DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS ${SFN_COMPONENTS} sfn_all sfn_warnings EXPORT sfnTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS sfn_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

set(config_dir ${CMAKE_INSTALL_LIBDIR}/cmake/sfn)
install(EXPORT sfnTargets NAMESPACE sfn:: DESTINATION ${config_dir})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/sfn-config.cmake.in
  ${PROJECT_BINARY_DIR}/sfn-config.cmake INSTALL_DESTINATION ${config_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/sfn-config-version.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/sfn-config.cmake ${PROJECT_BINARY_DIR}/sfn-config-version.cmake
  ${PROJECT_SOURCE_DIR}/cmake/SfnDependencies.cmake DESTINATION ${config_dir})
