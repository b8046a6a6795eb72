# ctest: the library's dynamic symbol table exports the gf_* API and nothing else (no cudart, no
# libstdc++), so it cannot clash with another copy of them in the same process.
# usage: cmake -DLIB=<path> -DNM=<nm> -P exports_check.cmake
execute_process(COMMAND "${NM}" -D --defined-only "${LIB}" OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nm failed on ${LIB}")
endif()
string(REGEX MATCHALL "[^\n]+" lines "${out}")
set(count 0)
foreach(line IN LISTS lines)
  string(REGEX REPLACE "^[0-9a-fA-F]* *[A-Za-z] +" "" name "${line}")
  if(NOT name MATCHES "^gf_")
    message(SEND_ERROR "unexpected exported symbol: ${line}")
  endif()
  math(EXPR count "${count} + 1")
endforeach()
message(STATUS "${count} exported symbols, all gf_*")
