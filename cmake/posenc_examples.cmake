# posenc_examples.cmake - ctest tests of what a program using posenc sees: the examples
# (examples/) built against this build's library and run, in every stage of scripts/test
# (sanitizers, aarch64 under qemu), and README.md's marked code blocks held equal to the example
# files they show (scripts/check-snippets). scripts/check-consumers builds the same examples the
# way a user does, against an installed and moved tree, with CMake and with pkg-config.

add_executable(example_gqa_rotate examples/gqa_rotate/gqa_rotate.c)
target_link_libraries(example_gqa_rotate PRIVATE posenc::posenc_static)
if(MATH_LIBRARY)
  target_link_libraries(example_gqa_rotate PRIVATE ${MATH_LIBRARY})
endif()
add_test(NAME example_gqa_rotate COMMAND example_gqa_rotate)

add_executable(example_learned_table examples/learned_table/learned_table.cpp)
target_link_libraries(example_learned_table PRIVATE posenc::posenc_static)
add_test(NAME example_learned_table COMMAND example_learned_table)

if(POSENC_PYTHON)
  add_test(NAME readme_snippets
    COMMAND ${POSENC_PYTHON} ${PROJECT_SOURCE_DIR}/scripts/check-snippets
      ${PROJECT_SOURCE_DIR}/README.md)
else()
  add_test(NAME readme_snippets
    COMMAND sh -c "echo 'readme_snippets: skipped: no Python 3 (POSENC_PYTHON) to run scripts/check-snippets'; exit 77")
  set_tests_properties(readme_snippets PROPERTIES SKIP_RETURN_CODE 77)
endif()
