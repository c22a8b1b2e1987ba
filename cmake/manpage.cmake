# cmake/manpage.cmake — kaohe.1.gz from docs/kaohe.1.scd: the line @COMMANDS@ is replaced by
# `kaohe help --scdoc` (the commands and options from the command line's own table), then
# scdoc and gzip -n (no timestamp, so the page is reproducible).
#   cmake -DKAOHE=bin -DSCDOC=scdoc -DIN=kaohe.1.scd -DOUT=kaohe.1 -P manpage.cmake
execute_process(COMMAND ${KAOHE} help --scdoc OUTPUT_VARIABLE commands RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "kaohe help --scdoc failed (${rc})")
endif()
file(READ ${IN} page)
string(REPLACE "@COMMANDS@\n" "${commands}" page "${page}")
file(WRITE ${OUT}.scd "${page}")
execute_process(COMMAND ${SCDOC} INPUT_FILE ${OUT}.scd OUTPUT_FILE ${OUT} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "scdoc failed on ${OUT}.scd (${rc})")
endif()
execute_process(COMMAND gzip -9nf ${OUT} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gzip ${OUT} failed (${rc})")
endif()
