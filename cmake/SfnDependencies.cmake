# Third-party libraries, all from Debian 12 packages (see scripts/install-deps.sh).
find_package(Threads REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(CURL REQUIRED)
find_package(ZLIB REQUIRED)      # gzip-compressed botocore service models
find_package(LibXml2 REQUIRED)   # XML responses of the query, ec2 and rest-xml AWS protocols
find_package(SQLite3 REQUIRED)
find_package(fmt REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(CLI11 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(PCRE2 REQUIRED IMPORTED_TARGET libpcre2-8)

# cpp-httplib ships as a compiled library on Debian (no CMake config file).
find_path(HTTPLIB_INCLUDE_DIR httplib.h REQUIRED)
find_library(HTTPLIB_LIBRARY cpp-httplib REQUIRED)
if(NOT TARGET httplib::httplib)
  add_library(httplib::httplib UNKNOWN IMPORTED)
  set_target_properties(httplib::httplib PROPERTIES
    IMPORTED_LOCATION ${HTTPLIB_LIBRARY}
    INTERFACE_INCLUDE_DIRECTORIES ${HTTPLIB_INCLUDE_DIR}
    INTERFACE_COMPILE_DEFINITIONS CPPHTTPLIB_OPENSSL_SUPPORT)
  target_link_libraries(httplib::httplib INTERFACE OpenSSL::SSL OpenSSL::Crypto Threads::Threads)
endif()

# The executables this project builds (the sfn tool, benches, tests) allocate through mimalloc when it is there
# (Debian's libmimalloc-dev): the engine builds and frees many small values and history events, often on one
# thread and freed on another, which glibc's malloc does markedly slower (bench/engine/README.md). Libraries
# never link it: a program that uses sfn as a library keeps its own allocator. Off under the sanitizers, which
# bring their own.
option(SFN_MIMALLOC "Link the project's executables with mimalloc when it is installed" ON)
add_library(sfn_allocator INTERFACE)
set(SFN_USES_MIMALLOC OFF)
if(SFN_MIMALLOC AND NOT (SFN_SANITIZE OR SFN_TSAN OR SFN_FUZZ))
  find_package(mimalloc 2.0 QUIET)
  if(TARGET mimalloc)
    # -Wl,--no-as-needed: nothing calls mimalloc by name, the override works only if the library is loaded.
    target_link_options(sfn_allocator INTERFACE -Wl,--no-as-needed)
    target_link_libraries(sfn_allocator INTERFACE mimalloc)
    set(SFN_USES_MIMALLOC ON)
    message(STATUS "sfn: executables allocate with mimalloc ${mimalloc_VERSION}")
  else()
    message(STATUS "sfn: mimalloc not found (apt-get install libmimalloc-dev): executables use the system malloc")
  endif()
endif()
