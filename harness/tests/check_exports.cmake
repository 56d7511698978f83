# check_exports.cmake - the shared library exports exactly the functions posenc.h marks POSENC_API.
#
#   cmake -DNM=nm -DLIB=libposenc.so -DHEADER=posenc.h -P check_exports.cmake
#
# Reads the dynamic symbol table (nm -D --defined-only) and the header's declarations; fails
# naming every exported symbol the header does not declare (an internal helper leaking out) and
# every declared function the library does not export.
foreach(v NM LIB HEADER)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "check_exports: -D${v}=... is required")
  endif()
endforeach()

execute_process(COMMAND ${NM} -D --defined-only ${LIB}
  OUTPUT_VARIABLE nm_out ERROR_VARIABLE nm_err RESULT_VARIABLE nm_rc)
if(NOT nm_rc EQUAL 0)
  message(FATAL_ERROR "check_exports: '${NM} -D --defined-only ${LIB}' failed (${nm_rc}): ${nm_err}")
endif()

# Text (T), data (D, B, R) and weak symbols; the ELF bookkeeping symbols (_init, _fini, ...) are the
# toolchain's, not the library's.
set(exported)
string(REPLACE "\n" ";" nm_lines "${nm_out}")
foreach(line IN LISTS nm_lines)
  if(line MATCHES "^[0-9a-fA-F]* +[TDBRWV] +([A-Za-z_][A-Za-z0-9_]*)$")
    set(sym ${CMAKE_MATCH_1})
    if(NOT sym MATCHES "^(_init|_fini|_edata|_end|__bss_start)$")
      list(APPEND exported ${sym})
    endif()
  endif()
endforeach()

file(READ ${HEADER} header)
string(REGEX MATCHALL "POSENC_API[^(;]*[ *](posenc_[a-z0-9_]+)\\(" decls "${header}")
set(declared)
foreach(d IN LISTS decls)
  string(REGEX REPLACE ".*[ *](posenc_[a-z0-9_]+)\\($" "\\1" name "${d}")
  list(APPEND declared ${name})
endforeach()

list(LENGTH declared n_declared)
list(LENGTH exported n_exported)
if(n_declared EQUAL 0)
  message(FATAL_ERROR "check_exports: found no POSENC_API declaration in ${HEADER}")
endif()

set(extra ${exported})
list(REMOVE_ITEM extra ${declared})
set(missing ${declared})
if(exported)
  list(REMOVE_ITEM missing ${exported})
endif()
if(extra OR missing)
  message(FATAL_ERROR "check_exports: ${LIB} exports ${n_exported} symbols, posenc.h declares "
    "${n_declared} functions.\n  exported but not in the API: ${extra}\n"
    "  declared but not exported: ${missing}")
endif()
message(STATUS "check_exports: ${n_exported} symbols exported, exactly the ${n_declared} "
  "POSENC_API functions of posenc.h")
