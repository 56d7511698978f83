/* csv_strict.h - a strict RFC 4180 reader for the tests that check results.csv: every record
 * ends with CRLF, a quote appears only around a whole field and doubled inside one, no bare CR or
 * LF outside quotes. Stricter than the RFC's "should", so a writer that passes here loads in any
 * CSV parser. */
#ifndef POSENC_TEST_CSV_STRICT_H
#define POSENC_TEST_CSV_STRICT_H

#include <stdlib.h>
#include <string.h>

/* Called for each field: its record and field numbers (from 0), its unescaped text (NUL-ended,
 * valid only during the call) and length. */
typedef void (*csv_field_fn)(size_t row, size_t col, const char *text, size_t len, void *ctx);

/* Reads s[0 .. n). Returns NULL, or what was wrong; *rows gets the records read. */
static inline const char *csv_strict_read(const char *s, size_t n, csv_field_fn on_field,
                                          void *ctx, size_t *rows)
{
    size_t i = 0, r = 0;
    const char *err = NULL;
    char *out = malloc(n + 1);
    if (!out)
        return "out of memory";
    while (i < n && !err) {
        for (size_t f = 0;; f++) { /* one field of record r */
            size_t k = 0;
            if (i < n && s[i] == '"') {
                for (i++;; i++) {
                    if (i >= n) {
                        err = "unterminated quoted field";
                        break;
                    }
                    if (s[i] == '"') {
                        if (i + 1 < n && s[i + 1] == '"')
                            i++;
                        else
                            break;
                    }
                    out[k++] = s[i];
                }
                if (err)
                    break;
                i++;
            } else {
                for (; i < n && s[i] != ',' && s[i] != '\r'; i++) {
                    if (s[i] == '"' || s[i] == '\n') {
                        err = "quote or LF in an unquoted field";
                        break;
                    }
                    out[k++] = s[i];
                }
                if (err)
                    break;
            }
            out[k] = '\0';
            on_field(r, f, out, k, ctx);
            if (i < n && s[i] == ',') {
                i++;
                continue;
            }
            if (i + 1 < n && s[i] == '\r' && s[i + 1] == '\n') {
                i += 2;
                break;
            }
            err = i >= n ? "the last record does not end with CRLF"
                         : "a field followed by something other than ',' or CRLF";
            break;
        }
        r++;
    }
    free(out);
    *rows = r;
    return err;
}

#endif
