# Installs the main build into a fresh prefix, then configures, builds and runs the consumer
# project against it. Variables: SFN_BUILD_DIR, CONSUMER_DIR, WORK_DIR, GENERATOR, CXX_COMPILER.
foreach(var SFN_BUILD_DIR CONSUMER_DIR WORK_DIR GENERATOR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_packaging_test.cmake needs -D${var}=...")
  endif()
endforeach()

function(run step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${step} failed (${rc}):\n${out}\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
run("install" ${CMAKE_COMMAND} --install ${SFN_BUILD_DIR} --prefix ${prefix})
run("configure consumer" ${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${WORK_DIR}/build -G ${GENERATOR}
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_BUILD_TYPE=Release)
run("build consumer" ${CMAKE_COMMAND} --build ${WORK_DIR}/build)
run("run consumer" ${WORK_DIR}/build/consumer)
file(READ ${CONSUMER_DIR}/expected_output.txt expected)
if(NOT last_output STREQUAL expected)
  message(FATAL_ERROR "consumer output differs.\nexpected:\n${expected}\ngot:\n${last_output}")
endif()
message(STATUS "find_package(sfn) consumer built against ${prefix} and printed the expected ASL")
