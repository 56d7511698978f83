# cmake/toolchain-aarch64-linux-gnu.cmake: cross build for AArch64 Linux on a Debian x86-64 host.
#
#   cmake -S . -B build-aarch64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-aarch64-linux-gnu.cmake
#
# Needs Debian's gcc-aarch64-linux-gnu, g++-aarch64-linux-gnu, qemu-user and the arm64 (multiarch)
# -dev packages of the libraries linked, as scripts/setup installs them.
# Tests (ctest) and any executable run at configure time go through qemu-aarch64.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(POSENC_CROSS_TRIPLE aarch64-linux-gnu)
set(CMAKE_C_COMPILER ${POSENC_CROSS_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${POSENC_CROSS_TRIPLE}-g++)
set(CMAKE_LIBRARY_ARCHITECTURE ${POSENC_CROSS_TRIPLE})

# Debian multiarch: the target's libraries are in the host's /usr/lib/aarch64-linux-gnu (the arm64
# -dev packages), its headers in /usr/include and /usr/include/aarch64-linux-gnu, and the cross
# compiler's own C library (libc, libm, libpthread) in /usr/aarch64-linux-gnu/lib. Programs (cmake's
# helpers, pkg-config) come from the host; libraries, headers and package configs only from these
# roots. With CMAKE_LIBRARY_ARCHITECTURE set, library searches take lib/aarch64-linux-gnu and never
# lib/x86_64-linux-gnu, so an x86-64 library cannot be picked up.
set(CMAKE_FIND_ROOT_PATH /usr/${POSENC_CROSS_TRIPLE} /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config (FindPkgConfig) reads the target's .pc files, not the host's.
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/${POSENC_CROSS_TRIPLE}/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")

# Run target executables (ctest, try_run) under user-mode emulation. With Debian's libc6:arm64
# installed (scripts/setup installs it with the arm64 libraries) the loader and C library come from
# /lib/aarch64-linux-gnu, both from that one package, so qemu needs no -L. Do not point -L at
# /usr/aarch64-linux-gnu then: qemu would take the loader from libc6-arm64-cross but the loader
# would still find libc.so.6 of libc6:arm64, a different glibc build, and programs that start
# threads (OpenBLAS does at load time) hang. -L is only the fallback without libc6:arm64.
find_program(POSENC_QEMU_AARCH64 NAMES qemu-aarch64 qemu-aarch64-static)
if(NOT POSENC_QEMU_AARCH64)
  message(WARNING "qemu-aarch64 not found: tests of this build cannot run here (scripts/setup installs qemu-user)")
elseif(EXISTS /lib/ld-linux-aarch64.so.1)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${POSENC_QEMU_AARCH64}")
else()
  set(CMAKE_CROSSCOMPILING_EMULATOR "${POSENC_QEMU_AARCH64};-L;/usr/${POSENC_CROSS_TRIPLE}")
endif()
