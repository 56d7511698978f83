/* html_check.h - what the tests of the HTML reports check of a page's syntax: every element
 * closed in order, no stray '<', every '&' starting an entity. */
#ifndef POSENC_TESTS_HTML_CHECK_H
#define POSENC_TESTS_HTML_CHECK_H

#include <stdio.h>
#include <string.h>

/* Elements that never have a closing tag in HTML. */
static inline int html_is_void(const char *name)
{
    static const char *const v[] = {"meta", "br", "hr", "img", "input", "link", "wbr", "col",
                                    "source", "area", "base", "embed", "param", "track"};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        if (!strcmp(name, v[i]))
            return 1;
    return 0;
}

/* Every element closed in order (HTML's void elements and <x/> aside), no stray '<', and every
 * '&' starting an entity. Returns 1, or 0 with the reason in why. */
static inline int html_well_formed(const char *doc, char *why, size_t why_n)
{
    char stack[256][32];
    int depth = 0;
    const char *p = doc;
    while (*p) {
        if (*p == '&') {
            const char *q = p + 1;
            if (*q == '#')
                q++;
            while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9'))
                q++;
            if (*q != ';' || q == p + 1) {
                snprintf(why, why_n, "bare '&' at \"%.40s\"", p);
                return 0;
            }
            p = q + 1;
            continue;
        }
        if (*p != '<') {
            p++;
            continue;
        }
        if (!strncmp(p, "<!--", 4)) {
            const char *end = strstr(p, "-->");
            if (!end) {
                snprintf(why, why_n, "unclosed comment");
                return 0;
            }
            p = end + 3;
            continue;
        }
        if (p[1] == '!') {
            p = strchr(p, '>');
            if (!p) {
                snprintf(why, why_n, "unclosed declaration");
                return 0;
            }
            p++;
            continue;
        }
        int closing = p[1] == '/';
        const char *n0 = p + 1 + closing, *n1 = n0;
        while ((*n1 >= 'a' && *n1 <= 'z') || (*n1 >= 'A' && *n1 <= 'Z') ||
               (*n1 >= '0' && *n1 <= '9') || *n1 == '-')
            n1++;
        if (n1 == n0 || n1 - n0 >= 32) {
            snprintf(why, why_n, "stray '<' at \"%.40s\"", p);
            return 0;
        }
        char name[32];
        memcpy(name, n0, (size_t)(n1 - n0));
        name[n1 - n0] = '\0';
        /* the end of the tag, quoted attribute values may hold '>' */
        const char *q = n1;
        char quote = 0;
        for (; *q && (quote || *q != '>'); q++)
            if (quote && *q == quote)
                quote = 0;
            else if (!quote && (*q == '"' || *q == '\''))
                quote = *q;
        if (!*q) {
            snprintf(why, why_n, "unterminated tag <%s", name);
            return 0;
        }
        int self_closing = q[-1] == '/';
        p = q + 1;
        if (closing) {
            if (!depth || strcmp(stack[depth - 1], name)) {
                snprintf(why, why_n, "</%s> closes <%s>", name, depth ? stack[depth - 1] : "");
                return 0;
            }
            depth--;
        } else if (!self_closing && !html_is_void(name)) {
            if (depth == 256) {
                snprintf(why, why_n, "nesting deeper than 256");
                return 0;
            }
            snprintf(stack[depth++], 32, "%s", name);
            if (!strcmp(name, "style")) {
                /* raw text up to its end tag */
                const char *end = strstr(p, "</style>");
                if (!end) {
                    snprintf(why, why_n, "unclosed <style>");
                    return 0;
                }
                p = end;
            }
        }
    }
    if (depth) {
        snprintf(why, why_n, "<%s> never closed", stack[depth - 1]);
        return 0;
    }
    return 1;
}

#endif
