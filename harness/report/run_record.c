/* run_record.c - the names run.json gives the values of its closed sets (run_record.h): one table
 * per set, which the writer writes from and the reader parses with. */
#include "run_record.h"

#include <stdio.h>
#include <string.h>

typedef struct name_set {
    const char *what;          /* for the reader's message: "is not <what>" */
    const char *const *names;  /* indexed by the enum's value */
    int count;
} name_set;

static const char *const status_names[] = {"ok", "skipped", "error"};
static const char *const encoding_names[] = {"sinusoidal", "learned", "rotary", "alibi"};
static const char *const op_names[] = {"encode", "apply", "scores", "plan"};
static const char *const angle_mode_names[] = {"exact", "fp32", "bf16", "fp16"};
static const char *const dtype_names[] = {"f32", "bf16", "f16"};

#define SET(what, names) {what, names, (int)(sizeof names / sizeof names[0])}

static const name_set sets[RUN_N_NAME_SETS] = {
    [RUN_SET_STATUS] = SET("a case status", status_names),
    [RUN_SET_ENCODING] = SET("an encoding", encoding_names),
    [RUN_SET_OP] = SET("an op", op_names),
    [RUN_SET_ANGLE_MODE] = SET("an angle mode", angle_mode_names),
    [RUN_SET_DTYPE] = SET("an element type", dtype_names),
};

/* The enums' last values close their tables. */
_Static_assert(sizeof status_names / sizeof *status_names == RUN_STATUS_ERROR + 1, "status");
_Static_assert(sizeof encoding_names / sizeof *encoding_names == RUN_ENCODING_ALIBI + 1, "enc");
_Static_assert(sizeof op_names / sizeof *op_names == RUN_OP_PLAN + 1, "op");
_Static_assert(sizeof angle_mode_names / sizeof *angle_mode_names == RUN_ANGLE_FP16 + 1, "mode");
_Static_assert(sizeof dtype_names / sizeof *dtype_names == RUN_DTYPE_F16 + 1, "dtype");

const char *run_name(run_name_set set, int value)
{
    if ((unsigned)set >= RUN_N_NAME_SETS || value < 0 || value >= sets[set].count)
        return "?";
    return sets[set].names[value];
}

int run_name_parse(run_name_set set, const char *name, int *value, char *why, size_t why_size)
{
    if ((unsigned)set >= RUN_N_NAME_SETS)
        return -1;
    const name_set *t = &sets[set];
    for (int i = 0; i < t->count; i++)
        if (!strcmp(name, t->names[i])) {
            *value = i;
            return 0;
        }
    if (!why || !why_size)
        return -1;
    /* "\"f64\" is not an element type (f32, bf16 or f16)" */
    int n = snprintf(why, why_size, "\"%s\" is not %s (", name, t->what);
    for (int i = 0; i < t->count && n >= 0 && (size_t)n < why_size; i++)
        n += snprintf(why + n, why_size - (size_t)n, "%s%s", t->names[i],
                      i + 2 < t->count ? ", " : i + 1 < t->count ? " or " : ")");
    return -1;
}

run_encoding run_encoding_of(posenc_kind kind)
{
    switch (kind) {
    case POSENC_SINUSOIDAL:
        return RUN_ENCODING_SINUSOIDAL;
    case POSENC_LEARNED:
        return RUN_ENCODING_LEARNED;
    case POSENC_ALIBI:
        return RUN_ENCODING_ALIBI;
    default:
        return RUN_ENCODING_ROTARY;
    }
}

/* The record's angle modes and element types are the library's, value for value. */
_Static_assert((int)RUN_ANGLE_EXACT == (int)POSENC_ANGLE_EXACT &&
                   (int)RUN_ANGLE_FP32 == (int)POSENC_ANGLE_FP32 &&
                   (int)RUN_ANGLE_BF16 == (int)POSENC_ANGLE_BF16 &&
                   (int)RUN_ANGLE_FP16 == (int)POSENC_ANGLE_FP16,
               "angle modes");
_Static_assert((int)RUN_DTYPE_F32 == (int)POSENC_DTYPE_F32 &&
                   (int)RUN_DTYPE_BF16 == (int)POSENC_DTYPE_BF16 &&
                   (int)RUN_DTYPE_F16 == (int)POSENC_DTYPE_F16,
               "element types");

run_angle_mode run_angle_mode_of(posenc_angle_mode mode) { return (run_angle_mode)mode; }

run_dtype run_dtype_of(posenc_dtype dtype) { return (run_dtype)dtype; }
