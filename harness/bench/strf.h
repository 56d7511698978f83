// strf.h - printf into a std::string, for benchmark names and report cells.
#ifndef POSENC_BENCH_STRF_H
#define POSENC_BENCH_STRF_H

#include <cstdarg>
#include <cstdio>
#include <string>

namespace posenc_bench {

std::string strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
inline std::string strf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char buf[512];
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return std::string();
    if ((size_t)n < sizeof buf)
        return std::string(buf, (size_t)n);
    std::string s((size_t)n, '\0');
    va_start(ap, fmt);
    vsnprintf(&s[0], (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

}  // namespace posenc_bench

#endif
