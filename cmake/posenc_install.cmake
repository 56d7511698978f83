# posenc_install.cmake - what `cmake --install` puts under a prefix: posenc.h, libposenc.so and
# libposenc.a, the CMake package (find_package(posenc CONFIG)), posenc.pc and the posenc command.
#
# The installed tree is relocatable: the CMake package and posenc.pc find everything relative to
# their own location, so the tree works after `cmake --install build --prefix DIR` (whatever
# CMAKE_INSTALL_PREFIX was at configure time) and after DIR is moved or copied elsewhere.
# scripts/check-consumers proves it on the examples (examples/).

include(CMakePackageConfigHelpers)

set(POSENC_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/posenc)
set(POSENC_PKGCONFIG_DIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

install(FILES impls/include/posenc.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# Two export sets, so that a program which links only libposenc.so does not need SLEEF's
# development library (libsleef.so) where it builds: posencConfig.cmake reads the static one only
# when it can resolve the archive's own link needs.
install(TARGETS posenc_shared EXPORT posenc-shared-targets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS posenc_static EXPORT posenc-static-targets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
foreach(form shared static)
  install(EXPORT posenc-${form}-targets NAMESPACE posenc:: DESTINATION ${POSENC_CMAKE_DIR})
endforeach()
install(TARGETS posenc_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# ---- the CMake package ----------------------------------------------------------------------
get_filename_component(POSENC_SLEEF_LIBDIR "${SLEEF_LIBRARY}" DIRECTORY)
configure_package_config_file(cmake/posencConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/posencConfig.cmake
  INSTALL_DESTINATION ${POSENC_CMAKE_DIR})
# SameMinorVersion: while the major version is 0, a minor release may change the API and the
# ABI (semantic versioning's rule for 0.y.z), so find_package(posenc 0.1) accepts 0.1.z only,
# where 0.1.z fixes bugs without changing either. SameMajorVersion would let a program built
# for 0.1 take 0.2 unchecked; ExactVersion would refuse bug-fix releases. From 1.0 on the rule
# is meant to become SameMajorVersion. The soname follows the same rule (CMakeLists.txt).
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/posencConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/posencConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/posencConfigVersion.cmake DESTINATION ${POSENC_CMAKE_DIR})

# ---- pkg-config -----------------------------------------------------------------------------
# prefix is ${pcfiledir} (the folder pkg-config read posenc.pc from) and the way up from
# <libdir>/pkgconfig to the prefix: ../.. for lib, ../../.. for Debian's lib/x86_64-linux-gnu.
# Only a libdir or includedir given as an absolute path keeps an absolute prefix (and such a
# tree cannot move). A posenc.pc copied or linked into another folder must be given that
# folder's way up; pkg-config's --define-variable=prefix=DIR overrides it.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}" OR IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(POSENC_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(POSENC_PC_LIBDIR "${CMAKE_INSTALL_FULL_LIBDIR}")
  set(POSENC_PC_INCLUDEDIR "${CMAKE_INSTALL_FULL_INCLUDEDIR}")
else()
  file(RELATIVE_PATH _posenc_up /posenc/${POSENC_PKGCONFIG_DIR} /posenc)
  string(REGEX REPLACE "/$" "" _posenc_up "${_posenc_up}")
  set(POSENC_PC_PREFIX "\${pcfiledir}/${_posenc_up}")
  set(POSENC_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
  set(POSENC_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
# What libposenc.a needs of its own, for `pkg-config --static`: SLEEF (through its own sleef.pc
# where the distribution has one, else by name) and libm. The library calls no pthread function
# (its per-thread error message is _Thread_local), so it needs no -pthread.
find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND)
  pkg_check_modules(POSENC_PC_SLEEF QUIET sleef)
endif()
if(POSENC_PC_SLEEF_FOUND)
  set(POSENC_PC_REQUIRES_PRIVATE "Requires.private: sleef")
  set(POSENC_PC_LIBS_PRIVATE "-lm")
else()
  set(POSENC_PC_REQUIRES_PRIVATE "")
  set(POSENC_PC_LIBS_PRIVATE "-lsleef -lm")
endif()
configure_file(cmake/posenc.pc.in ${CMAKE_CURRENT_BINARY_DIR}/posenc.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/posenc.pc DESTINATION ${POSENC_PKGCONFIG_DIR})
