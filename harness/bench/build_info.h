// build_info.h - what the build tells the program about itself (CMake passes these as compile
// definitions of the `posenc` command); "unknown" when built some other way.
#ifndef POSENC_BENCH_BUILD_INFO_H
#define POSENC_BENCH_BUILD_INFO_H

#ifndef POSENC_COMPILER
#define POSENC_COMPILER "unknown"  // "GNU 12.2.0"
#endif
#ifndef POSENC_C_FLAGS
#define POSENC_C_FLAGS "unknown"   // the library's flags, as reports state them
#endif
#ifndef POSENC_TARGET_ARCH
#define POSENC_TARGET_ARCH "unknown"  // CMAKE_SYSTEM_PROCESSOR
#endif
#ifndef POSENC_BENCHMARK_VERSION
#define POSENC_BENCHMARK_VERSION "unknown"  // Google Benchmark's, from its CMake package
#endif
#ifndef POSENC_SOURCE_DIR
#define POSENC_SOURCE_DIR "."  // the source tree, for its git state
#endif

#endif
