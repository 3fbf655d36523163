# A 20-second soak of `sfn serve` (bench/server/soak.sh with the soak program of bench/server): fails on any
# unexpected error, a server that dies, or RSS growing more than 128 MB after an 8 s warm-up. The server keeps
# every execution record in memory (about 4 KB each; a short run adds some 20-40 MB), so the limit is generous:
# it catches leaks per request, not that retention.
if(SFN_BUILD_BENCH)
  add_test(NAME soak.short
           COMMAND bash ${PROJECT_SOURCE_DIR}/bench/server/soak.sh --sfn $<TARGET_FILE:sfn_cli>
                   --soak $<TARGET_FILE:sfn_server_soak> --seconds 20 --connections 4 --sample-seconds 2
                   --warmup-seconds 8 --max-growth-mb 128
           WORKING_DIRECTORY ${SFN_TEST_WORKDIR})
  set_tests_properties(soak.short PROPERTIES LABELS soak TIMEOUT 180)
endif()
