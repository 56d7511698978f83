/* utf8.h - one UTF-8 sequence decoded by RFC 3629's rules, for the report writers that keep what
 * they write valid UTF-8 (JSON, CSV). */
#ifndef POSENC_UTF8_H
#define POSENC_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decode one UTF-8 sequence at s[0, n): returns its length (1..4) with the code point in *cp,
 * or 0 when the bytes there are not a valid sequence (truncated, overlong, an encoded
 * surrogate, above U+10FFFF, a stray continuation byte). n must be at least 1. */
static inline int utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned c0 = s[0];
    if (c0 < 0x80) {
        *cp = c0;
        return 1;
    }
    if (c0 < 0xC2 || c0 > 0xF4) /* continuation byte, overlong 2-byte lead, beyond U+10FFFF */
        return 0;
    int len = c0 < 0xE0 ? 2 : c0 < 0xF0 ? 3 : 4;
    if (n < (size_t)len)
        return 0;
    uint32_t v = c0 & (0x7Fu >> len);
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = v << 6 | (s[i] & 0x3Fu);
    }
    if ((len == 3 && v < 0x800) || (len == 4 && v < 0x10000) || v > 0x10FFFF ||
        (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

#endif
