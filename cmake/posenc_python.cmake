# posenc_python.cmake - the Python interpreter the tests run (the Python binding's tests and the
# JSON Schema validation of every JSON file the harness writes).
#
# Debian's python3-numpy and python3-jsonschema install into /usr/bin/python3's site-packages, so
# that interpreter is preferred over whatever `python3` comes first on PATH (a pyenv or venv one
# usually lacks them). -DPOSENC_PYTHON=/path/to/python3 chooses another.
#
#   POSENC_PYTHON               the interpreter, or empty when none was found
#   posenc_python_has(MOD VAR)  VAR is TRUE when POSENC_PYTHON can `import MOD`

if(NOT DEFINED POSENC_PYTHON)
  find_program(_posenc_python NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
  if(NOT _posenc_python)
    find_program(_posenc_python NAMES python3)
  endif()
  set(POSENC_PYTHON "${_posenc_python}" CACHE FILEPATH "Python 3 interpreter the tests run")
  unset(_posenc_python CACHE)
endif()

function(posenc_python_has module out)
  set(${out} FALSE PARENT_SCOPE)
  if(NOT POSENC_PYTHON)
    return()
  endif()
  # the answer belongs to this interpreter: another -DPOSENC_PYTHON asks again
  string(MD5 which "${POSENC_PYTHON}")
  string(MAKE_C_IDENTIFIER "POSENC_PYTHON_HAS_${module}_${which}" cache_var)
  if(NOT DEFINED ${cache_var})
    execute_process(COMMAND ${POSENC_PYTHON} -c "import ${module}"
                    RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
    if(rc EQUAL 0)
      set(${cache_var} TRUE CACHE INTERNAL "")
    else()
      set(${cache_var} FALSE CACHE INTERNAL "")
    endif()
  endif()
  set(${out} ${${cache_var}} PARENT_SCOPE)
endfunction()
