/* run_record.h - run.json in code: its schema name and version, the closed sets of names it
 * uses (case status, encoding, op, angle mode, element type) as enums with one name table each,
 * one run of `posenc bench` in memory (the machine, the build, every case with its speed and its
 * implementation's accuracy, and the accuracy sweeps), and the reader and writer of the file.
 * The bench fills the record; the writers (run.json, results.csv, summary.md, report.html),
 * `posenc merge` and `posenc compare` read it. Field meanings are those of run.json, documented
 * in results/README.md, whose JSON Schema is results/run.schema.json. A double that does not
 * apply is NaN (null in JSON).
 */
#ifndef POSENC_RUN_RECORD_H
#define POSENC_RUN_RECORD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "posenc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* run.json's "schema" and "schema_version"; results/README.md documents each version. */
#define RUN_SCHEMA_NAME "posenc-run"
#define RUN_SCHEMA_VERSION 7

/* The oldest schema_version run_read accepts. Later versions only added fields and values
 * (results/README.md), so older records still read, with those fields absent; newer versions
 * are refused because this reader cannot know what they changed. A command that needs the
 * newer fields checks run_read_result.schema_version itself. */
#define RUN_READ_MIN_SCHEMA_VERSION 1

/* ---- the closed sets of names ---------------------------------------------------------------
 * Each is written and read through one table (run_record.c): the writer writes the name, the
 * reader takes a name back and refuses one it does not know. Every name is valid in every
 * schema version the reader takes (a version added names, never removed one). */

typedef enum run_status {
    RUN_STATUS_OK,          /* "ok": timed */
    RUN_STATUS_SKIPPED,     /* "skipped": not run (a feature missing, the filter, threads) */
    RUN_STATUS_ERROR        /* "error": the kernel failed */
} run_status;

typedef enum run_encoding {  /* posenc_kind_name's names */
    RUN_ENCODING_SINUSOIDAL, /* "sinusoidal" */
    RUN_ENCODING_LEARNED,    /* "learned" */
    RUN_ENCODING_ROTARY,     /* "rotary" */
    RUN_ENCODING_ALIBI       /* "alibi" (version 4) */
} run_encoding;

typedef enum run_op {
    RUN_OP_ENCODE,           /* "encode": rows of the encoding written */
    RUN_OP_APPLY,            /* "apply": x in place */
    RUN_OP_SCORES,           /* "scores": the alibi bias added to scores (version 4) */
    RUN_OP_PLAN              /* "plan": a plan made and destroyed (version 4) */
} run_op;

typedef enum run_angle_mode { /* posenc_angle_mode's values */
    RUN_ANGLE_EXACT,         /* "exact" */
    RUN_ANGLE_FP32,          /* "fp32" */
    RUN_ANGLE_BF16,          /* "bf16" (version 5) */
    RUN_ANGLE_FP16           /* "fp16" (version 5) */
} run_angle_mode;

typedef enum run_dtype {     /* posenc_dtype's values, posenc_dtype_name's names */
    RUN_DTYPE_F32,           /* "f32": every case and record before version 6 */
    RUN_DTYPE_BF16,          /* "bf16" */
    RUN_DTYPE_F16            /* "f16" */
} run_dtype;

/* The sets, for the generic name functions below. */
typedef enum run_name_set {
    RUN_SET_STATUS,
    RUN_SET_ENCODING,
    RUN_SET_OP,
    RUN_SET_ANGLE_MODE,
    RUN_SET_DTYPE,
    RUN_N_NAME_SETS
} run_name_set;

/* The name of value in set ("ok", "rotary", ...); "?" for a value outside the set. */
const char *run_name(run_name_set set, int value);

/* The value whose name is name, into *value. Returns 0, or -1 with one line in why (no
 * newline; why may be NULL): "\"fp64\" is not an element type (f32, bf16 or f16)". */
int run_name_parse(run_name_set set, const char *name, int *value, char *why, size_t why_size);

static inline const char *run_status_name(run_status v) { return run_name(RUN_SET_STATUS, (int)v); }
static inline const char *run_encoding_name(run_encoding v)
{
    return run_name(RUN_SET_ENCODING, (int)v);
}
static inline const char *run_op_name(run_op v) { return run_name(RUN_SET_OP, (int)v); }
static inline const char *run_angle_mode_name(run_angle_mode v)
{
    return run_name(RUN_SET_ANGLE_MODE, (int)v);
}
static inline const char *run_dtype_name(run_dtype v) { return run_name(RUN_SET_DTYPE, (int)v); }

/* The library's values as the record's. */
run_encoding run_encoding_of(posenc_kind kind);
run_angle_mode run_angle_mode_of(posenc_angle_mode mode);
run_dtype run_dtype_of(posenc_dtype dtype);

/* ---- the record ------------------------------------------------------------------------------ */

#define RUN_N_DECADES 10 /* [0, 10), [10, 100), ..., [1e9, 2^31) */

/* The common designs timed beside posenc's implementations (posenc.h, POSENC_IMPL_DESIGN) are
 * named "<encoding>/recipe-<design>", a name run.json keeps: the writers mark them "design" by
 * it (test_designs holds the registry to the convention). They run in fp32 angles, their only
 * mode, whatever the run's angle_mode says of the others. */
static inline int run_impl_is_design(const char *implementation)
{
    const char *slash = strchr(implementation, '/');
    return slash && !strncmp(slash + 1, "recipe-", 7);
}

typedef struct run_decade {
    int64_t lo, hi;     /* positions lo <= p < hi */
    uint64_t count;     /* values checked; 0: none in this decade */
    double max_err_u;   /* max |error| in u = 2^-24 */
    double max_ulp;     /* max |error| in ulps of the true value (SLEEF's convention) */
    double mean_err_u;
} run_decade;

/* The oracle sweep of one implementation in one angle mode (harness/accuracy/sweep.h). */
typedef struct run_accuracy {
    char implementation[48];   /* "rotary/avx2" */
    run_encoding encoding;
    run_angle_mode angle_mode; /* learned: exact */
    run_dtype dtype;           /* the data's element type */
    double bound_u;            /* documented bound (exact mode); NaN in the recipe modes and for
                                  sinusoidal and rotary 16-bit data (bound_type_ulp) */
    uint64_t values_checked;
    double max_err_u, max_ulp, mean_err_u;
    int64_t worst_position;    /* where max_err_u was found */
    int32_t worst_index;       /* frequency index there */
    char worst_value[8];       /* "sin", "cos" */
    double apply_max_err_u;    /* rotary apply, per pair relative to max(|a|,|b|); else NaN */
    double apply_bound_u;      /* its bound; NaN when not applicable */
    int within_bound;          /* 1 yes, 0 no, -1 no bound (fp32 mode) */
    int bit_exact;             /* learned: 1 every value equals W[p] bit for bit, 0 not; other
                                  encodings: -1 */
    /* 16-bit data (sinusoidal, rotary): errors in ulps of the type beyond the float32 bound's
       share (error_units.h, err_type_ulps); NaN for float32 records */
    double max_err_type_ulp;       /* encode's values */
    double apply_max_err_type_ulp; /* apply's outputs */
    double bound_type_ulp;         /* 0.5 in exact mode; NaN otherwise */
    run_decade decades[RUN_N_DECADES];
} run_accuracy;

/* The variant a case runs (rotary and alibi): run.json's case "variant". Strings "" and numbers
 * NaN (integers 0) where a field does not apply are null there; a case whose name is "" has no
 * variant (sinusoidal, learned): null. */
typedef struct run_variant {
    char name[32];             /* "rope", "llama3", "yarn", "longrope-short", "longrope-long",
                                  "dynamic", "ntk", "linear", "mrope", "alibi-causal", ... */
    char model_key[48];        /* the models file's entry the case was made from */
    char scaling[16];          /* rotary: "none", "linear", "ntk", "dynamic", "yarn", "llama3",
                                  "longrope" */
    double factor;
    int64_t original_max_positions;
    int64_t seq_len;
    double attention_factor;   /* rotary: the factor multiplying cos and sin (1 without) */
    char longrope_factors[8];  /* "short", "long" */
    char mrope[16];            /* "sections", "interleaved" */
    int32_t mrope_section[3];
    char alibi_form[16];       /* "causal", "full", "key-only" */
    double alibi_bias_max;
} run_variant;

/* A variant's oracle sweep (run.json's top-level "variant_accuracy"): the accuracy of one
 * implementation on one model's variant, with its frequencies and attention factor. */
typedef struct run_variant_accuracy {
    char model[32];            /* as the cases say it: "Llama-3.1-8B" */
    char variant[32];          /* run_variant.name */
    char model_key[48];
    double attention_factor;   /* NaN for alibi */
    run_accuracy acc;
} run_variant_accuracy;

typedef struct run_case {
    char id[192];              /* Google Benchmark's name, e.g. rotary_apply/llama-3-8b/T=512/
                                  impl=rotary/avx2 */
    char group[96];            /* the id without "/impl=...": cases of one shape share it */
    run_encoding encoding;
    run_op op;
    run_dtype dtype;           /* the element type of x, of the encoded rows or of the scores:
                                  records before version 6 are float32 */
    char model[32];            /* "Llama-3-8B", "Transformer-base", ... */
    char shape[64];            /* "T=512", "decode@131071", "seq=4096" */
    char implementation[48];
    int threads;               /* threads the call was split over (posenc bench --threads): 1,
                                  or N, with "/threads=N" ending the group; records before
                                  version 7 are of 1 (run_case_threads) */
    int dispatched;            /* 1: the case timed whatever dispatch picks for the encoding
                                  (id ".../impl=dispatch"; POSENC_IMPL and the CPU decide),
                                  `implementation` names what it was */
    run_status status;
    char reason[192];          /* why skipped or failed; "" when ok */
    /* the shape */
    int64_t tokens, heads, kv_heads, head_dim, rotary_dim, first_position, last_position;
    int64_t keys;              /* scores: key columns per query row; 0 otherwise (null) */
    int64_t axes;              /* positions per token: 3 with M-RoPE, else 1 */
    run_variant variant;
    char pairing[16];          /* "half", "interleaved" */
    double base;
    uint64_t elements;         /* elements of x (apply) or of the encoded rows (encode) */
    uint64_t bytes;            /* bytes moved per call (read + written) */
    uint64_t table_bytes;      /* memory the implementation's plan holds (table backend) */
    /* speed per call, ns: the thread's CPU time on 1 thread, the wall-clock time of the whole
       call on N threads */
    int repetitions;
    double times_ns[32];       /* each repetition's time, first `repetitions` entries */
    double median_ns, min_ns, mean_ns, stddev_ns;
    double ns_per_element, elements_per_second, bytes_per_second;
    char mempass_id[64];       /* the same-run memory pass over the same bytes */
    double mempass_median_ns;
    double ratio_to_mempass;   /* median / mempass median */
    double wall_median_ns;     /* the median of the repetitions' wall-clock time per call (on
                                  N threads: median_ns); NaN when not measured */
    double mempass_wall_median_ns; /* the same of the memory pass */
    double speedup_over_scalar; /* scalar's median on this shape / this median */
    /* instructions retired by one call, counted around the kernel only (posenc bench
       --instructions); 0 / NaN / "" when not counted, instructions_note saying why */
    uint64_t instructions;
    double instructions_per_element;
    char instructions_source[16]; /* "perf" (perf_event_open), "callgrind" (valgrind) */
    char instructions_impl[48];   /* the implementation whose call was counted: this case's,
                                     or one that stands in for it (an avx512 kernel counted
                                     through its avx2 instantiation under valgrind) */
    char instructions_note[192];  /* why not counted, or what a stand-in count covers */
    /* attention context (rotary prefill): Q.K^T of one head group with cblas_sgemm */
    double sgemm_median_ns;    /* one group */
    double score_median_ns;    /* all groups of the layer: sgemm_median_ns * kv_heads */
    double encoding_fraction;  /* median_ns / score_median_ns */
    const run_accuracy *accuracy; /* this implementation, exact mode; NULL if not swept */
} run_case;

typedef struct run_cache {
    int level;
    char type[16];             /* "Data", "Instruction", "Unified" */
    uint64_t size_bytes;
    int shared_by;             /* logical CPUs sharing it */
} run_cache;

typedef struct run_record {
    /* the run */
    char id[160];              /* the run folder's name */
    char started_utc[32];      /* 2026-11-30T10:25:10Z */
    char command[512];
    int quick;
    char suite[16];            /* "models", "targets" */
    run_angle_mode angle_mode; /* the angle mode the kernels were timed in */
    int threads;               /* the most threads a call was split over (posenc bench
                                  --threads): 1 unless the run has cases on more */
    /* the machine */
    char host[64];
    char kind[96];             /* the machine kind, "x86_64-authenticamd-f25-m17-avx512" */
    char cpu_model[128];       /* the brand string: for people, not the kind */
    char arch[32];
    /* the CPU's identity (harness/machine.h); "" and -1 when unknown or of another arch */
    char cpu_vendor[16];       /* x86 cpuid vendor: "AuthenticAMD" */
    int cpu_family, cpu_model_number, cpu_stepping;          /* x86 display values */
    int cpu_implementer, cpu_variant, cpu_part, cpu_revision; /* AArch64 MIDR fields */
    int emulated;
    int cores;                 /* online logical CPUs */
    double mhz;                /* as Google Benchmark read it; NaN if unknown */
    char governor[32];         /* cpufreq scaling governor, "" when unreadable */
    char cpu_features[256];    /* usable, space-separated */
    char cpu_features_detected[256];
    int n_caches;
    run_cache caches[8];
    double load_avg[3];
    /* the build */
    char posenc_version[16];
    char compiler[64];
    char flags[256];
    char git_revision[48];
    int git_dirty;             /* 1 dirty, 0 clean, -1 unknown */
    char benchmark_version[32];
    char sleef_version[32];
    char openblas_version[128];
    char mpfr_version[32];
    /* results */
    size_t n_cases;
    run_case *cases;
    size_t n_accuracy;
    run_accuracy *accuracy;
    size_t n_variant_accuracy;
    run_variant_accuracy *variant_accuracy;
    /* `posenc analyze` run beside the bench (harness/analyze/analysis.h), which summary.md and
       report.html show in a section of their own; NULL when there is none. Not in run.json:
       analysis.json holds it. The caller owns it. */
    const struct analysis_record *analysis;
} run_record;

/* The top-level accuracy record of (implementation, angle mode, dtype), or NULL. */
static inline const run_accuracy *run_find_accuracy(const run_record *r, const char *impl,
                                                    run_angle_mode mode, run_dtype dtype)
{
    for (size_t k = 0; k < r->n_accuracy; k++) {
        const run_accuracy *a = &r->accuracy[k];
        if (!strcmp(a->implementation, impl) && a->angle_mode == mode && a->dtype == dtype)
            return a;
    }
    return NULL;
}

/* The CPU's identity as reports show it: "AuthenticAMD family 25 model 17 stepping 1",
 * "implementer 0x41 variant 0x3 part 0xd0c revision 1", or "unknown". */
static inline void run_cpu_id_text(const run_record *r, char *buf, size_t size)
{
    if (r->cpu_vendor[0] || r->cpu_family >= 0)
        snprintf(buf, size, "%s family %d model %d stepping %d",
                 r->cpu_vendor[0] ? r->cpu_vendor : "unknown vendor", r->cpu_family,
                 r->cpu_model_number, r->cpu_stepping);
    else if (r->cpu_implementer >= 0)
        snprintf(buf, size, "implementer 0x%x variant 0x%x part 0x%x revision %d",
                 r->cpu_implementer, r->cpu_variant, r->cpu_part, r->cpu_revision);
    else
        snprintf(buf, size, "unknown");
}

/* Threads the case's call was split over: 1 for a record without the field. */
static inline int run_case_threads(const run_case *c)
{
    return c->threads > 1 ? c->threads : 1;
}

/* The case of the same group (without "/threads=N"), implementation and dispatch on one thread:
 * what the scaling of c is measured against; NULL when the run has none. */
static inline const run_case *run_case_one_thread(const run_record *r, const run_case *c)
{
    size_t n = strlen(c->group);
    const char *slash = strrchr(c->group, '/');
    if (run_case_threads(c) > 1 && slash && !strncmp(slash, "/threads=", 9))
        n = (size_t)(slash - c->group);
    for (size_t i = 0; i < r->n_cases; i++) {
        const run_case *o = &r->cases[i];
        if (run_case_threads(o) == 1 && strlen(o->group) == n && !strncmp(o->group, c->group, n) &&
            !strcmp(o->implementation, c->implementation) && o->dispatched == c->dispatched)
            return o;
    }
    return NULL;
}

/* The group the case shares with the cases of the same shape on the other element types: its
 * group without the "/<dtype>" a bf16 or f16 case's group ends in ("rotary_apply/llama-3-8b/
 * T=512" for ".../T=512/bf16"), the group itself for a float32 case. */
static inline void run_case_base_group(const run_case *c, char *buf, size_t size)
{
    const char *d = run_dtype_name(c->dtype);
    size_t n = strlen(c->group), k = strlen(d);
    if (c->dtype != RUN_DTYPE_F32 && n > k + 1 && c->group[n - k - 1] == '/' &&
        !strcmp(c->group + n - k, d))
        n -= k + 1;
    snprintf(buf, size, "%.*s", (int)n, c->group);
}

/* 1 when some timed case of the run carries an instruction count or the reason it has none
 * (a run of posenc bench --instructions): the reports then show what each count covers. */
static inline int run_has_instruction_info(const run_record *r)
{
    for (size_t i = 0; i < r->n_cases; i++)
        if (r->cases[i].status == RUN_STATUS_OK &&
            (r->cases[i].instructions_source[0] || r->cases[i].instructions_note[0]))
            return 1;
    return 0;
}

/* ---- reading and writing run.json ------------------------------------------------------------ */

typedef struct run_read_result {
    run_record run;     /* owns its cases and accuracy arrays */
    int schema_version; /* as the file states, RUN_READ_MIN_SCHEMA_VERSION..RUN_SCHEMA_VERSION */
    char *file;         /* the run.json read: the argument, or the argument's run.json */
} run_read_result;

/* run_read.c: read the run at path, a folder holding run.json or a run.json file, for
 * `posenc merge`, `posenc compare` and the tests.
 *
 * Fills out->run with the run (id, started_utc, command, quick, suite, angle_mode), the machine
 * (host, kind, cpu_model, arch, the cpu_id fields, emulated, cores, mhz, cpu_features and
 * cpu_features_detected as space-separated words), the build (posenc_version, compiler, flags,
 * git_revision, git_dirty), every case (id, group, encoding, op, dtype, model, implementation,
 * dispatched, threads, status, reason, shape name, elements, bytes, and from speed: repetitions,
 * times_ns, median_ns, ns_per_element, mempass_median_ns, ratio_to_mempass,
 * speedup_over_scalar, instructions_per_element, instructions_source, instructions_impl,
 * instructions_note) and the top-level accuracy records (everything but the worst position and
 * the decades). A null number is NaN, a null string "", a null boolean -1 where the model has a
 * third state, a null cpu_id number -1. Status, encoding, op, angle mode and dtype are taken by
 * their names (run_name_parse): a name outside the set is refused. Version 1 records have no
 * "dispatched" (a case whose id ends in "/impl=dispatch" is the dispatch case) and no
 * instruction counts (NaN, ""); versions 1 and 2 have no machine kind and no cpu_id ("", -1),
 * and their counts are of the case's own implementation (instructions_impl is set to it).
 * Before version 6 a case has no "dtype" and accuracy records have none either: both are
 * float32 (RUN_DTYPE_F32, the type-ulp figures NaN). Before version 7 a case has no "threads":
 * it ran on one thread (1); a count below 1 is refused. A case's `accuracy` points at the
 * top-level record its inlined one repeats (same implementation, angle mode and dtype), NULL
 * when that is null.
 * Fields not listed are left NaN (numbers) or zero. Strings longer than the model's fields are
 * cut, as the writer cuts them; counts above 2^63 are the nearest double, at most 2^64 - 1.
 * Integers are taken by value, as JSON Schema counts them (2 and 2.0 alike).
 *
 * Returns 0, or -1 with one line in why (no newline) naming the file and what is wrong: a path
 * that does not exist, a folder without run.json, text that is not JSON (jansson's message with
 * the line and column, harness/util/json_doc.h), a "schema" other than RUN_SCHEMA_NAME, a
 * schema_version outside the range above, a field missing or of the wrong type (with its JSON
 * pointer), a name outside its set, times_ns not matching repetitions, an inlined case accuracy
 * without its top-level record. *out is then empty, and run_read_free on it is harmless. */
int run_read(const char *path, run_read_result *out, char *why, size_t why_size);

/* Release what run_read allocated in r and empty it. */
void run_read_free(run_read_result *r);

/* write_json.c: write the record to path as run.json (schema_version RUN_SCHEMA_VERSION). NaN
 * and infinite doubles become null, and so does every speed field of a case whose status is not
 * ok; strings are written as valid UTF-8 (a byte sequence that is not UTF-8, such as a
 * multi-byte character cut by a fixed-size field, becomes U+FFFD). Returns 0, or -1 after one
 * line on stderr naming the path and the system's reason; path is then left as it was (absent,
 * or its previous content). */
int report_write_json(const run_record *r, const char *path);

#ifdef __cplusplus
}
#endif

#endif
