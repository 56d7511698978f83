/* schema_check.h - checks a parsed JSON document against a JSON Schema (draft 2020-12 syntax,
 * the subset results/run.schema.json uses), reporting the first failure as a JSON pointer and a
 * reason. Tests use it on the run.json the writers produce; `posenc compare` on its inputs.
 *
 * The subset: type (a name or an array of names; "integer" is any number without a fraction),
 * properties, required, additionalProperties (true, false or a schema), items (one schema for
 * every item), enum, const, minimum, maximum, minItems, maxItems, and boolean schemas. $schema,
 * $id, $comment, title and description are annotations and are ignored. Any other keyword makes
 * the schema unsupported rather than silently unchecked: a schema that says more than this
 * checker enforces is refused before any document is judged by it. */
#ifndef POSENC_SCHEMA_CHECK_H
#define POSENC_SCHEMA_CHECK_H

#include <stdio.h>

#include "json_read.h"

typedef enum schema_result {
    SCHEMA_VALID = 0,
    SCHEMA_INVALID = 1,     /* the document breaks the schema: pointer and reason say how */
    SCHEMA_BAD_SCHEMA = 2,  /* the schema is malformed or uses a keyword outside the subset;
                               pointer is then a location in the schema */
    SCHEMA_BAD_INPUT = 3    /* schema_check_files: a file could not be read or parsed */
} schema_result;

typedef struct schema_error {
    char pointer[512];      /* RFC 6901 pointer of the failing value, "" for the root; "..."
                               at the end when it was too long to keep whole */
    char reason[384];       /* one line: "expected number or null, found string" */
} schema_error;

/* Check `instance` against `schema` (both trees from json_read). The schema is checked first
 * as a whole, so a bad keyword is found even where the document has nothing for it to judge.
 * err may be NULL. Returns SCHEMA_VALID, SCHEMA_INVALID or SCHEMA_BAD_SCHEMA. */
schema_result schema_check(const jread_value *schema, const jread_value *instance,
                           schema_error *err);

/* Parse the two files and check the document against the schema; SCHEMA_BAD_INPUT when either
 * cannot be read or parsed (reason: the parser's message, which names the file). */
schema_result schema_check_files(const char *schema_path, const char *json_path,
                                 schema_error *err);

/* One line for stderr, naming the document: "run.json: /cases/3/speed/median_ns: expected
 * number or null, found string" (SCHEMA_BAD_SCHEMA: "schema <pointer>: ..."). */
void schema_error_print(FILE *f, const char *json_name, schema_result r, const schema_error *err);

#endif
