# sfn_embed_assets(TARGET DIR): compiles every file under DIR into TARGET as a table of byte arrays
# (server::detail::console_assets(), declared in src/server/detail_console_assets.hpp), so the binary needs no
# files at run time. The generated .cpp is rebuilt whenever a file in DIR changes.
set(_sfn_embed_script ${CMAKE_CURRENT_LIST_DIR}/embed_assets.cmake)

function(sfn_embed_assets target dir)
  file(GLOB_RECURSE assets CONFIGURE_DEPENDS ${dir}/*)
  set(output ${CMAKE_CURRENT_BINARY_DIR}/${target}_assets.cpp)
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DDIR=${dir} -DOUTPUT=${output} -P ${_sfn_embed_script}
    DEPENDS ${assets} ${_sfn_embed_script}
    COMMENT "Embedding the files of ${dir}"
    VERBATIM)
  target_sources(${target} PRIVATE ${output})
endfunction()
