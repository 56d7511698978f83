/* json_check.h - the tests' JSON: documents read with jansson (harness/util/json_doc.h) under a
 * CHECK, and files held to the committed schemas (results/ *.schema.json) by
 * validate_json.py, which runs python3-jsonschema (Draft 2020-12). ctest passes the interpreter
 * and the script in POSENC_PYTHON and POSENC_VALIDATE_JSON (harness/tests/CMakeLists.txt);
 * without them, or without jsonschema, the validation is skipped and says why (the program then
 * ends as skipped, tests_skip_part in check.h), never passed. */
#ifndef POSENC_TESTS_JSON_CHECK_H
#define POSENC_TESTS_JSON_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "check.h"
#include "json_doc.h"

/* The document at path, or NULL after a failed CHECK with jansson's message. */
static inline json_t *tests_json_load(const char *path)
{
    char why[512];
    json_t *v = json_doc_load(path, why, sizeof why);
    CHECK(v != NULL, "%s", why);
    return v;
}

/* Write doc to path (jansson's dump, members in the document's order); 0 or a failed CHECK. */
static inline int tests_json_write(const json_t *doc, const char *path)
{
    int rc = json_dump_file(doc, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    CHECK(rc == 0, "cannot write %s", path);
    return rc;
}

/* Run validate_json.py on path against schema with the given option ("" or
 * "--expect-invalid=/ptr"). 1 when it came out as expected, 0 after a failed CHECK (the
 * validator's lines are on stderr), -1 when no validation could run: that part is skipped. */
static inline int tests_schema_run(const char *schema, const char *path, const char *option)
{
    const char *python = getenv("POSENC_PYTHON"), *script = getenv("POSENC_VALIDATE_JSON");
    const char *missing = getenv("POSENC_VALIDATE_JSON_MISSING");
    if (missing && *missing) {
        tests_skip_part("schema validation: python3-jsonschema was not found when the build "
                        "was configured (scripts/setup installs it)");
        return -1;
    }
    if (!python || !*python || !script || !*script) {
        tests_skip_part("schema validation: POSENC_PYTHON and POSENC_VALIDATE_JSON are not set "
                        "(ctest sets them)");
        return -1;
    }
    const char *args[] = {python, script, option, schema, path};
    char cmd[8192];
    size_t o = 0;
    for (size_t i = 0; i < 5; i++) {
        /* single-quoted for the shell; build and temporary paths hold no quote */
        if (strchr(args[i], '\'')) {
            CHECK(0, "a quote in '%s'", args[i]);
            return 0;
        }
        if (!*args[i])
            continue;
        int w = snprintf(cmd + o, sizeof cmd - o, "%s'%s'", o ? " " : "", args[i]);
        if (w < 0 || (size_t)w >= sizeof cmd - o) {
            CHECK(0, "command too long");
            return 0;
        }
        o += (size_t)w;
    }
    fflush(stdout);
    fflush(stderr);
    int status = system(cmd);
    int rc = status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (rc == TESTS_SKIP_CODE) {
        tests_skip_part("schema validation: python3-jsonschema is not available (the "
                        "validator's message above says why)");
        return -1;
    }
    CHECK(rc == 0, "%s against %s%s%s: validate_json.py exit %d", path, schema, *option ? " " : "",
          option, rc);
    return rc == 0;
}

/* The file at path is valid against the schema (1), or a failed CHECK (0), or -1: skipped. */
static inline int tests_schema_valid(const char *schema, const char *path)
{
    return tests_schema_run(schema, path, "");
}

/* The schema rejects the file at path, at the JSON pointer `at` when it is not NULL. */
static inline int tests_schema_rejects(const char *schema, const char *path, const char *at)
{
    char option[512];
    snprintf(option, sizeof option, "--expect-invalid%s%s", at ? "=" : "", at ? at : "");
    return tests_schema_run(schema, path, option);
}

#endif
