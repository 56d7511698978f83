/* posenc.h - the one interface of libposenc: positional-encoding kernels (sinusoidal, learned,
 * rotary) behind interchangeable backends, chosen at run time for the CPU.
 *
 * Quick use:
 *     posenc_params p = posenc_params_default(POSENC_ROTARY, 128);
 *     posenc_plan *plan;
 *     if (posenc_plan_create(NULL, &p, &plan) != POSENC_OK) ...   // NULL: best for this CPU
 *     posenc_apply(plan, positions, n_tokens, q, &q_layout);       // q rotated in place
 *     posenc_plan_destroy(plan);
 *
 * Conventions shared by every function below:
 * - Every entry point returns POSENC_OK (0) or a negative posenc_error. posenc_strerror() names
 *   the code; posenc_last_error() gives the detailed message of the calling thread's last failure.
 * - All input is validated before anything is written: a call that fails leaves every output
 *   buffer exactly as it was.
 * - Accuracy is stated in units u = 2^-24 (half an ULP of 1.0f). "exact" angle mode keeps every
 *   position 0 <= p < 2^31 as accurate as position 0; "fp32" angle mode reproduces the common
 *   fp32 recipe (and its error, about 6e-2 at p = 1e6); "bf16" and "fp16" the half-precision
 *   recipes of autocast and of fp16 caches (POSENC_ANGLE_BF16, POSENC_ANGLE_FP16).
 * - Special values. Positions are integers and every accepted parameter gives finite
 *   frequencies, so encode writes no inf or NaN (a learned encode copies W's bits as stored;
 *   fp16 angle mode bounds the positions so that its angles stay finite).
 *   apply computes each float it changes with the float operations of its formula, rounded to
 *   nearest: a rotated pair is (a*c - b*s, a*s + b*c), an absolute encoding x + PE (x + W[p]).
 *   Infinities, signed zeros and subnormals in x (or W) give what IEEE 754 gives for those
 *   operations (a = inf, b = 0 at c = 1, s = 0 gives (inf, NaN): inf * 0 is NaN; a result
 *   beyond the float range overflows to +-inf). Every NaN apply computes is written as the
 *   quiet NaN 0x7fc00000 (positive, no payload), whatever NaNs went in: IEEE leaves a NaN's
 *   sign and payload to the machine (x86 and AArch64 differ), and this rule makes every backend
 *   give the same bits on every input. Floats apply does not compute (past rotary_dim, between
 *   heads and tokens) keep their bits, NaN payloads included. All of this assumes the default
 *   floating-point environment (round to nearest, subnormals not flushed to zero).
 * - Plans are immutable after creation: one plan may be used from many threads at once. No
 *   call writes to a plan (posenc_encode, posenc_apply and posenc_alibi_apply read it through a
 *   const pointer and keep their scratch, the 16-bit staging buffers and alibi's biases, on
 *   the stack or in memory of their own call); the only state calls share is the CPU feature
 *   word, detected once and published atomically, and posenc_last_error's per-thread message.
 *   The library starts no threads: a caller splits a call's tokens over its own threads (each
 *   its tokens' positions and rows; README.md, "Threads"), and any split gives exactly the
 *   bits of one call over all the tokens.
 */
#ifndef POSENC_H
#define POSENC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define POSENC_VERSION_MAJOR 0
#define POSENC_VERSION_MINOR 1
#define POSENC_VERSION_PATCH 0

/* Marks the functions libposenc exports. The library is compiled with hidden visibility, so its
 * shared object exports these and nothing else: its internal helpers (a JSON scanner, file
 * readers, the backends' descriptors) cannot clash with a program's own symbols. */
#if defined(__GNUC__) && __GNUC__ >= 4
#define POSENC_API __attribute__((visibility("default")))
#else
#define POSENC_API
#endif

/* ---- errors ------------------------------------------------------------------------------- */

typedef enum posenc_error {
    POSENC_OK = 0,
    POSENC_ERR_NULL = -1,        /* a required pointer argument is NULL */
    POSENC_ERR_ARGUMENT = -2,    /* an enum or parameter value is out of its domain */
    POSENC_ERR_DIM = -3,         /* dim / rotary_dim zero, odd where pairs are needed, or too big */
    POSENC_ERR_POSITION = -4,    /* a position is negative or >= the plan's position limit */
    POSENC_ERR_OVERFLOW = -5,    /* a count whose byte size does not fit in size_t */
    POSENC_ERR_NOMEM = -6,       /* an allocation failed */
    POSENC_ERR_UNSUPPORTED = -7, /* this CPU lacks the implementation's instruction set */
    POSENC_ERR_NOT_FOUND = -8,   /* no implementation (or tensor) of that name */
    POSENC_ERR_KIND = -9,        /* implementation and parameters are for different encodings */
    POSENC_ERR_IO = -10,         /* a file could not be opened or read */
    POSENC_ERR_FORMAT = -11,     /* a file is truncated or corrupt (magic, header, offsets) */
    POSENC_ERR_DTYPE = -12,      /* a tensor's element type is not one posenc can load */
    POSENC_ERR_SHAPE = -13,      /* a tensor's shape is not (rows, dim) or does not fit the plan */
    POSENC_ERR_LAYOUT = -14      /* strides of a posenc_layout make heads or tokens overlap */
} posenc_error;

/* Name of an error code, a static string ("invalid dimension", ...); never NULL. */
POSENC_API const char *posenc_strerror(int code);

/* Detailed message of the calling thread's last failed call (for instance which byte of a file
 * was wrong), or "" when there was none. Valid until the thread's next posenc call. */
POSENC_API const char *posenc_last_error(void);

/* ---- parameters --------------------------------------------------------------------------- */

typedef enum posenc_kind {
    POSENC_SINUSOIDAL = 1, /* x += PE(p), PE from "Attention Is All You Need" */
    POSENC_LEARNED = 2,    /* x += W[p], W a trained (max_pos x dim) table: BERT, GPT-2 */
    POSENC_ROTARY = 3,     /* x = R(p) x on pairs of each head: RoPE (GPT-J, NeoX, Llama) */
    POSENC_ALIBI = 4       /* attention scores of head h: s += -m_h (i - j) for query position i
                              and key position j (ALiBi: BLOOM, MPT); posenc_alibi_apply */
} posenc_kind;

/* "sinusoidal", "learned", "rotary", "alibi" (the prefix of implementation names), or
 * "unknown". */
POSENC_API const char *posenc_kind_name(posenc_kind kind);

/* Which elements form the (sin, cos) or rotation pairs; frequency index i in [0, n/2). */
typedef enum posenc_pairing {
    POSENC_PAIR_DEFAULT = 0,     /* sinusoidal: INTERLEAVED; rotary: HALF */
    POSENC_PAIR_INTERLEAVED = 1, /* sinusoidal: PE[2i]=sin, PE[2i+1]=cos (Vaswani, PyTorch
                                    tutorial). rotary: pairs (2i, 2i+1) (GPT-J) */
    POSENC_PAIR_HALF = 2         /* sinusoidal: PE[i]=sin, PE[i+d/2]=cos (tensor2tensor,
                                    fairseq). rotary: pairs (i, i+r/2) (NeoX, Llama, HF) */
} posenc_pairing;

/* The element type of the data encode writes and apply reads and writes (ALiBi: the scores).
 * Arithmetic is float32 inside whatever the type: each value read is widened exactly, the same
 * float operations as for float data give the same float results, and each result written is
 * rounded to the type, to nearest even; a result beyond the type's range becomes +-inf,
 * subnormal results are kept (never flushed), and a NaN result is written as the type's
 * canonical quiet NaN (0x7fc0 bf16, 0x7e00 fp16: positive, no payload), posenc's special value
 * rule in 16 bits. Values apply does not compute (past rotary_dim, between heads and tokens)
 * are not converted: they keep their bits, NaN payloads included. 16-bit data is passed as
 * uint16_t bits (2-byte aligned); every stride and count is in elements of the type. */
typedef enum posenc_dtype {
    POSENC_DTYPE_F32 = 0,  /* float */
    POSENC_DTYPE_BF16 = 1, /* bfloat16: the top 16 bits of a float (vLLM, TensorRT-LLM) */
    POSENC_DTYPE_F16 = 2   /* IEEE binary16 (llama.cpp's f16 K cache) */
} posenc_dtype;

/* "f32", "bf16", "f16", or "unknown". */
POSENC_API const char *posenc_dtype_name(posenc_dtype dtype);

typedef enum posenc_angle_mode {
    POSENC_ANGLE_EXACT = 0, /* default: phase p*w formed exactly in fixed point (64-bit turns),
                               accurate for every p < 2^31 */
    POSENC_ANGLE_FP32 = 1,  /* the common recipe, to show what it costs. In float operations,
                               each rounded to nearest even, n as for posenc_params.base:
                                 b = (float)base, e = (float)(2i) / (float)n,
                                 inv_freq = 1.0f / CR_powf(b, e),
                               then the scaling type's step from HF's code (scalars HF computes
                               in Python are doubles here too, each operation correctly
                               rounded, then rounded to float where torch does):
                                 LINEAR: inv_freq = inv_freq / (float)factor;
                                 NTK, DYNAMIC: b = (float)base' with base' the double
                                   base * x^(n / (n - 2)) (the seq_len passed as an integer);
                                 YARN: pos = CR_powf(b, e), ex = 1.0f / pos,
                                   in = 1.0f / ((float)factor * pos), r = clamp(((float)i -
                                   (float)low) / (float)(high - low), 0, 1), f = 1.0f - r,
                                   inv_freq = in * (1.0f - f) + ex * f;
                                 LLAMA3: wl = (1.0f / inv_freq) * (float)(2 pi) (torch's
                                   reciprocal-then-multiply), compared with (float)(L0 / lff)
                                   and (float)(L0 / hff); long: inv_freq / (float)factor;
                                   between: t = ((1.0f / wl) * (float)L0 - (float)lff) /
                                   (float)(hff - lff), inv_freq = ((1.0f - t) * inv_freq) /
                                   (float)factor + t * inv_freq;
                                 LONGROPE: inv_freq = 1.0f / ((float)f_i * CR_powf(b, e));
                                 angle = (float)p * inv_freq   ((float)p rounds above 2^24),
                               then sin and cos of that float angle, correctly rounded (computed
                               in double: exact unless the true value lies within about 2^-52,
                               relative, of a midpoint between floats; none is known), each
                               times (float)attention_factor when it is not 1. CR_powf is
                               a correctly rounded powf, the same bits on every machine; a C
                               library's powf may differ by an ulp (glibc's in 42 of 66,306
                               (base, n, i) surveyed). For base > FLT_MAX, b is inf: inv_freq is
                               1 for i = 0 and 0 for i > 0 (powf(inf, 0) = 1, 1 / inf = 0). */
    POSENC_ANGLE_BF16 = 2,  /* the fp32 recipe's angle rounded to bfloat16 before sin and cos, as
                               under autocast (transformers #29285), to show what it costs:
                                 inv_freq as POSENC_ANGLE_FP32 (every scaling type),
                                 angle = RNE_bf16((float)p * inv_freq),
                               then sin and cos of that float angle correctly rounded, times
                               (float)attention_factor, as in fp32 mode. RNE_bf16 rounds a
                               float to 8 significant bits, to nearest even (a float's top 16
                               bits). Every position below 2^31 is accepted. Sinusoidal and
                               rotary only: an alibi plan (no angles) fails with ARGUMENT. */
    POSENC_ANGLE_FP16 = 3   /* inv_freq and the angle in float16, as in the gpt-neox bug (#1003,
                               transformers #25681: |cos error| up to 0.78 at 2048 tokens):
                                 inv_h = RNE_fp16(inv_freq)   (inv_freq as POSENC_ANGLE_FP32),
                                 p_h = RNE_fp16((float)p),
                                 angle = RNE_fp16(p_h * inv_h)   (the float product of two
                                   float16 values is exact, so this is the float16 multiply),
                               then sin and cos as in fp32 mode. RNE_fp16 rounds a float to
                               IEEE binary16, to nearest even, subnormals kept (multiples of
                               2^-24 below 2^-14; an inv_freq at or below 2^-25 becomes 0, whose
                               angle is 0: cos 1, sin 0), values at or above 65520 to inf.
                               encode writes no inf or NaN, so a plan in this mode accepts only
                               positions whose every angle is finite: posenc_plan_max_pos is
                               the smallest position with an infinite p_h or angle, 65520 when
                               every inv_h <= 1 (every scaling type but longrope with a factor
                               below 1), and positions from there on fail with POSITION. A plan
                               whose inv_h is inf (inv_freq >= 65520: longrope factors below
                               1/65520), where even position 0 has no finite angle, fails with
                               ARGUMENT. Sinusoidal and rotary only, as bf16. Both half modes
                               are measured lane by lane in scalar code on every backend: they
                               exist to show their error, never as fast paths. */
} posenc_angle_mode;

/* RoPE scaling for long context. Each type changes only the frequencies w_i (i < n/2, n the
 * rotary_dim) and an attention factor that multiplies every cos and sin (in encode and apply);
 * the definitions are those of Hugging Face transformers' modeling_rope_utils. Below, L0 is
 * original_max_positions, w_i = base^(-2i/n) the unscaled frequency and lambda_i = 2 pi / w_i
 * its wavelength. Exact angle mode evaluates each definition in real arithmetic from the
 * parameters as given (doubles); fp32 angle mode follows the HF code operation by operation
 * (POSENC_ANGLE_FP32). Sinusoidal encodings accept NONE and LINEAR only. */
typedef enum posenc_scaling_type {
    POSENC_SCALING_NONE = 0,
    POSENC_SCALING_LINEAR = 1, /* position interpolation: w_i / factor */
    POSENC_SCALING_NTK = 2,    /* static NTK-aware: base' = base * factor^(n / (n - 2)) (NTK
                                  and DYNAMIC need n > 2, else DIM) */
    POSENC_SCALING_DYNAMIC = 3,/* dynamic NTK: base' = base * (factor L / L0 - (factor - 1))
                                  ^(n / (n - 2)) for the sequence length L = seq_len when it
                                  exceeds L0, base unchanged otherwise. The frequencies depend on
                                  L: make one plan per length (plan creation is cheap: the bench
                                  times it) */
    POSENC_SCALING_YARN = 4,   /* YaRN: w_i ((1 - r_i) + r_i / factor), r_i = clamp((i - low) /
                                  (high - low), 0, 1), where low and high are HF's float64
                                  correction dims of beta_fast and beta_slow,
                                  n ln(L0 / (beta 2 pi)) / (2 ln base), floored and ceiled
                                  (unless no_truncate) and clipped to [0, n - 1] (high + 0.001
                                  when they are equal). Attention factor: attention_factor if
                                  set; else with mscale and mscale_all_dim both nonzero
                                  (DeepSeek) g(factor, mscale) / g(factor, mscale_all_dim),
                                  g(s, m) = 0.1 m ln s + 1 (1 for s <= 1); else g(factor, 1) */
    POSENC_SCALING_LLAMA3 = 5, /* Llama 3.1: lambda_i < L0 / high_freq_factor: w_i;
                                  lambda_i > L0 / low_freq_factor: w_i / factor; between, with
                                  t = (L0 / lambda_i - low_freq_factor) / (high_freq_factor -
                                  low_freq_factor): (1 - t) w_i / factor + t w_i */
    POSENC_SCALING_LONGROPE = 6/* LongRoPE (Phi-3): w_i / f_i with f = long_factor when seq_len
                                  > L0, else short_factor. Attention factor: attention_factor if
                                  set, else sqrt(1 + ln(factor) / ln(L0)) (1 for factor <= 1),
                                  where factor is the context extension max / original (HF
                                  derives it so when the config has both) */
} posenc_scaling_type;

typedef struct posenc_scaling {
    posenc_scaling_type type; /* one of posenc_scaling_type, else ARGUMENT */
    /* LINEAR, NTK, DYNAMIC, YARN, LLAMA3, LONGROPE: 1 <= factor <= 1e9 (LONGROPE: 0 also,
       meaning 1). HF's current yarn code replaces the factor by max_position_embeddings /
       original_max_position_embeddings when a config names the latter: pass that ratio. */
    double factor;
    int64_t original_max_positions; /* L0: DYNAMIC, YARN, LLAMA3, LONGROPE; 1 .. 2^31 */
    int64_t seq_len;          /* DYNAMIC, LONGROPE: the sequence length the frequencies are for
                                 (HF: the largest position + 1); 0 means L0. 0 .. 2^31 */
    double attention_factor;  /* YARN, LONGROPE: 0 derives it (above); else 0 < a <= 1e3 */
    double beta_fast;         /* YARN: 0 means 32 */
    double beta_slow;         /* YARN: 0 means 1; 0 < beta_slow <= beta_fast <= 1e6 */
    double mscale;            /* YARN (DeepSeek): 0 unless given; 0 .. 1e3 */
    double mscale_all_dim;    /* YARN (DeepSeek): 0 unless given; 0 .. 1e3 */
    int no_truncate;          /* YARN: nonzero is HF's truncate = False (keeps low and high
                                 fractional; gpt-oss) */
    double low_freq_factor;   /* LLAMA3: 1e-6 <= low_freq_factor < high_freq_factor <= 1e6 */
    double high_freq_factor;
    const double *short_factor; /* LONGROPE: rotary_dim / 2 factors each, 1e-6 .. 1e9 (NaN and */
    const double *long_factor;  /* inf: ARGUMENT; a NULL list: NULL), copied into the plan
                                   (posenc_plan_params points at the copy) */
} posenc_scaling;

/* Multi-axis RoPE (M-RoPE, Qwen2-VL and Qwen3-VL): each frequency takes its angle from one of
 * three position axes (temporal, height, width). A plan with M-RoPE reads 3 positions per token,
 * axis-major as HF and vLLM hold them: pos[a * n + t] is axis a of token t (n tokens). Text
 * tokens carry the same value on every axis, and then give exactly the bits of plain RoPE. */
typedef enum posenc_mrope_layout {
    POSENC_MROPE_NONE = 0,
    POSENC_MROPE_SECTIONS = 1,   /* Qwen2-VL: frequencies [0, s0) temporal, [s0, s0 + s1)
                                    height, the last s2 width (mrope_section [16, 24, 24]) */
    POSENC_MROPE_INTERLEAVED = 2 /* Qwen3-VL: frequency i is height when i % 3 == 1 and
                                    i < 3 s1, width when i % 3 == 2 and i < 3 s2, else temporal
                                    (mrope_section [24, 20, 20]) */
} posenc_mrope_layout;

typedef struct posenc_mrope {
    posenc_mrope_layout layout; /* one of posenc_mrope_layout, else ARGUMENT; anything but
                                   NONE on another kind than rotary: ARGUMENT */
    int32_t section[3];         /* each >= 0, summing to rotary_dim / 2, else ARGUMENT */
} posenc_mrope;

/* ALiBi's bias. Slopes m_h = 2^(-b h / H), h = 1..H, for H heads and b = bias_max (8 in the
 * paper and BLOOM; MPT's alibi_bias_max). When H is not a power of two, with P the largest power
 * of two below H: the P slopes of 2^(-b h / P), then 2^(-b h / (2P)) for h = 1, 3, 5, .. until
 * there are H (BLOOM's rule; MPT's gives the same slopes in the same order). The plan holds each
 * exact slope to about 2^-100 relative (computed with IEEE double operations only: the same on
 * every machine). */
typedef enum posenc_alibi_form {
    POSENC_ALIBI_CAUSAL = 0,   /* key j <= query i: s += -m (i - j); j > i: s = -inf (the causal
                                  mask, written in the same pass) */
    POSENC_ALIBI_FULL = 1,     /* s += -m |i - j| for every pair (bidirectional, MPT's full) */
    POSENC_ALIBI_KEY_ONLY = 2  /* s += m j for every pair, no mask: BLOOM's form. It differs
                                  from -m (i - j) by m i, a constant per query row, so softmax
                                  over keys gives the same attention */
} posenc_alibi_form;

typedef struct posenc_alibi {
    double bias_max;        /* b above: 0 means 8; else 0 < b <= 1e3 */
    posenc_alibi_form form; /* one of posenc_alibi_form, else ARGUMENT */
} posenc_alibi;

/* A learned table W (rows x dim, row-major float32), owned by posenc. Immutable once made. */
typedef struct posenc_weights posenc_weights;

/* The ranges below are exactly those posenc_plan_create accepts; a value outside fails with the
 * code named (DIM or ARGUMENT) before anything is allocated. */
typedef struct posenc_params {
    posenc_kind kind;
    int32_t dim;        /* sinusoidal, learned: model dim. rotary: head_dim. alibi: the number
                           of heads H. 1 .. 65536, and even for sinusoidal (pairs of sin and
                           cos); learned: W's dim. DIM */
    int32_t rotary_dim; /* rotary only: dims rotated, even, 2 .. dim (DIM); the rest of each
                           head passes through unchanged (partial rotary). 0 means dim (so an
                           odd dim needs an explicit rotary_dim). Ignored by the other kinds. */
    double base;        /* frequency base: w_i = base^(-2i/n), n = dim (sinusoidal) or
                           rotary_dim (rotary). 1 < base <= 1e300, else ARGUMENT (NaN and inf
                           included). 0 means 10000. fp32 mode uses (float)base: see
                           POSENC_ANGLE_FP32 for bases beyond FLT_MAX. */
    posenc_pairing pairing;       /* one of posenc_pairing, else ARGUMENT */
    posenc_angle_mode angle_mode; /* one of posenc_angle_mode, else ARGUMENT (alibi: exact
                                     biases are -m d correctly rounded; fp32 is MPT's recipe;
                                     bf16 and fp16, recipes of an angle, are ARGUMENT) */
    posenc_scaling scaling; /* rotary (every type) and sinusoidal (NONE, LINEAR) */
    const posenc_weights *weights; /* learned only; must outlive every plan made from it */
    int64_t max_positions; /* positions the plan must accept: 0 means the implementation's own
                              limit (2^31 for computed encodings, rows of W for learned ones); a
                              table implementation holds max_positions rows (0 there means
                              POSENC_TABLE_DEFAULT_POSITIONS). Otherwise 1 .. 2^31 (else
                              ARGUMENT); the plan's limit is the smaller of this and the
                              implementation's. */
    posenc_mrope mrope;     /* rotary only: multi-axis positions; zeroed means one axis */
    posenc_dtype dtype;     /* element type of the data (posenc_dtype), else ARGUMENT; a
                               learned table W stays float32 */
    posenc_alibi alibi;     /* alibi only */
} posenc_params;

/* Rows of a table implementation's plan ("rotary/table") when max_positions is 0. */
#define POSENC_TABLE_DEFAULT_POSITIONS 8192

/* Parameters with every default filled in: base 10000, default pairing, exact angles, no
 * scaling, rotary_dim = dim, max_positions 0. */
POSENC_API posenc_params posenc_params_default(posenc_kind kind, int32_t dim);

/* ---- learned weights ---------------------------------------------------------------------- */

/* Load W from a NumPy .npy file (format 1.0, 2.0 or 3.0): a file loads exactly when
 * numpy.load would give a little-endian float32, C-order array of shape (rows, dim) from it.
 * So every descr numpy reads as that is taken ('<f4'; '=f4', '|f4', 'f4', 'f', 'float32' and
 * 'single' on a little-endian host), bytes after the array are ignored, a header over 10000
 * bytes is refused (numpy's default max_header_size), Python 2's 3L is read in 1.0 and 2.0
 * headers only, and a key given twice takes its last value. Python literal spellings no numpy
 * writer produces (escapes, comments, hex or '+'-signed integers) are refused; load_npy.c
 * lists each choice and why. Only regular files are read. Errors: NULL; IO (cannot open or
 * read, or not a regular file: a directory, FIFO, socket or device); FORMAT (bad magic,
 * version, header length or dictionary, a NUL byte in the header, data shorter than the shape
 * says); DTYPE (anything but little-endian float32, or Fortran order); SHAPE (not 2-D, a zero
 * extent, dim > 65536); OVERFLOW (the table's byte size does not fit in size_t); NOMEM.
 * *out is untouched on error. */
POSENC_API int posenc_weights_load_npy(const char *path, posenc_weights **out);

/* Load W from the tensor called `name` in a .safetensors file. F32 is taken as is; F16 and
 * BF16 are converted to float32 exactly. The whole file is checked first, by the format's rules
 * as the reference reader (huggingface safetensors) applies them: FORMAT for a header size over
 * 100,000,000 bytes or past the end of the file, a header that does not start with '{' or is
 * not strict JSON (trailing spaces allowed), any entry that is not {"dtype": a safetensors
 * dtype name, "shape": integers >= 0, "data_offsets": [begin, end]} with end - begin its byte
 * size (members beyond these three are ignored, as the reference ignores them), a byte size
 * over 2^64 or not a whole number of bytes, a tensor name given twice, "__metadata__" that is
 * neither null nor an object of strings (or has a key twice), and tensors that, in order of
 * offset, do not cover the data buffer from its first byte to the end of the file with no gap
 * or overlap. Then NOT_FOUND when no tensor has that name ("__metadata__" is not one), DTYPE
 * when its dtype is not F32, F16 or BF16, SHAPE when it is not [rows, dim] with rows >= 1 and
 * 1 <= dim <= 65536, OVERFLOW when the float32 table does not fit in size_t. NULL, IO and
 * NOMEM as for posenc_weights_load_npy. *out is untouched on error. */
POSENC_API int posenc_weights_load_safetensors(const char *path, const char *name,
                                               posenc_weights **out);

/* Copy W from memory (rows x dim, row-major). Errors: NULL, SHAPE, OVERFLOW, NOMEM. */
POSENC_API int posenc_weights_from_array(int64_t rows, int32_t dim, const float *data,
                                         posenc_weights **out);

POSENC_API int64_t posenc_weights_rows(const posenc_weights *w);     /* 0 for NULL */
POSENC_API int32_t posenc_weights_dim(const posenc_weights *w);      /* 0 for NULL */
POSENC_API const float *posenc_weights_data(const posenc_weights *w); /* NULL for NULL */
POSENC_API void posenc_weights_free(posenc_weights *w);               /* NULL is a no-op */

/* ---- CPU features ------------------------------------------------------------------------- */

enum {
    POSENC_CPU_SSE41 = 1u << 0,
    POSENC_CPU_AVX = 1u << 1, /* only when XCR0 says the OS saves YMM state */
    POSENC_CPU_AVX2 = 1u << 2,
    POSENC_CPU_FMA = 1u << 3,
    POSENC_CPU_F16C = 1u << 4,
    POSENC_CPU_AVX512F = 1u << 5, /* AVX-512 bits only when XCR0 enables opmask and ZMM state */
    POSENC_CPU_AVX512BW = 1u << 6,
    POSENC_CPU_AVX512DQ = 1u << 7,
    POSENC_CPU_AVX512VL = 1u << 8,
    POSENC_CPU_AVX512BF16 = 1u << 9,
    POSENC_CPU_NEON = 1u << 16, /* AArch64 ASIMD */
    POSENC_CPU_FP16 = 1u << 17, /* AArch64 half-precision arithmetic */
    POSENC_CPU_SVE = 1u << 18
};

/* Features of this CPU, less those hidden by POSENC_DISABLE_CPU_FEATURES (names as
 * posenc_cpu_feature_name gives them, separated by commas or spaces, e.g. "avx512f,avx2";
 * "avx512" hides every AVX-512 bit, "all" hides all). An unknown name hides nothing more here,
 * but fails posenc_check_environment and every posenc_plan_create. Detected once; thread-safe. */
POSENC_API uint64_t posenc_cpu_features(void);

/* Features as detected, ignoring POSENC_DISABLE_CPU_FEATURES. */
POSENC_API uint64_t posenc_cpu_features_detected(void);

/* Lower-case name of one feature bit ("avx2", "neon"), or NULL for an unknown bit. */
POSENC_API const char *posenc_cpu_feature_name(uint64_t bit);

/* Streaming stores. An encode whose output is at least this many bytes is written with
 * streaming (non-temporal) stores, which go around the caches: such an output cannot stay in
 * the last-level cache anyway, and an ordinary store would first read every line it fills. The
 * bits written are the same either way; only the kind of store changes. By default this holds
 * for the encodes that copy rows (learned); those that compute them (sinusoidal, rotary) stream
 * only when POSENC_STREAM_THRESHOLD is set, since where their arithmetic is the bound (Zen 4:
 * 512-bit operations in two halves) streamed stores made them slower, not faster. Backends without
 * streaming stores (NEON, portable C, scalar) always store as usual, and aligned vectors are
 * streamed while the unaligned head and tail of a row take ordinary stores. A plan takes the
 * threshold when it is created and keeps it.
 * The threshold is POSENC_STREAM_THRESHOLD when that is set (a byte count: digits, then
 * optionally k, m, g or t for KiB, MiB, GiB, TiB; "0" streams every output, "1t" none in
 * practice), else the size of the last-level cache (x86: the CPU's deterministic cache leaf,
 * elsewhere Linux's /sys/devices/system/cpu/cpu0/cache), else 32 MiB. A malformed value fails
 * posenc_check_environment and every posenc_plan_create with ARGUMENT.
 * *source, when source is not NULL, says where the value came from: "POSENC_STREAM_THRESHOLD",
 * "cpuid", "sysfs" or "default" (a static string). Thread-safe. */
POSENC_API size_t posenc_stream_threshold(const char **source);

/* ---- implementations and the registry ----------------------------------------------------- */

typedef struct posenc_plan posenc_plan;

typedef struct posenc_layout {
    size_t n_heads;      /* heads per token; 0 means 1 */
    size_t head_stride;  /* elements from one head to the next; 0 means dim */
    size_t token_stride; /* elements from one token to the next; 0 means n_heads * head_stride */
} posenc_layout;

/* Where posenc_alibi_apply finds the scores: head h (of the plan's heads first_head ..
 * first_head + n_heads - 1), query row q, key column k is at
 * scores[(h - first_head) * head_stride + q * row_stride + k]. */
typedef struct posenc_score_layout {
    size_t first_head;  /* the first of the plan's heads these scores belong to (a shard of a
                           tensor-parallel layer); first_head < H and first_head + n_heads <= H,
                           else LAYOUT */
    size_t n_heads;     /* 0 means H - first_head */
    size_t row_stride;  /* elements from one query row to the next; 0 means n_k, else >= n_k
                           (checked when n_q > 1) */
    size_t head_stride; /* elements from one head to the next; 0 means n_q * row_stride, else at
                           least that and at least the (n_q - 1) * row_stride + n_k floats of
                           one head: heads must not overlap (checked when n_heads > 1) */
} posenc_score_layout;

/* posenc_impl.flags */
enum {
    /* Never chosen by posenc_impl_best: used only when named (posenc_impl_find, POSENC_IMPL),
       because it trades something a caller must opt into (a position limit set by a table,
       another library's accuracy, or a common design's recipe: POSENC_IMPL_DESIGN). */
    POSENC_IMPL_EXPLICIT_ONLY = 1u << 0,
    /* sin and cos come from another library's approximation (SLEEF) rather than posenc's own
       algorithms: in fp32 angle mode the angle is the recipe's, but values may differ from the
       correctly rounded recipe by up to max_err_u. */
    POSENC_IMPL_APPROX_SINCOS = 1u << 1,
    /* Positions are bounded by a table built when the plan is made: its memory and build time
       grow with posenc_params.max_positions times the row size. */
    POSENC_IMPL_TABLE_BOUNDED = 1u << 2,
    /* A common design timed beside posenc's own to show what one gets otherwise, not one of
       posenc's algorithms; also explicit-only. Both are the fp32 recipe, so their plans need
       angle_mode POSENC_ANGLE_FP32 (another mode fails with ARGUMENT), and max_err_u is 0:
       no bound is stated, their error is the recipe's, growing with the position.
       "rotary/recipe-cache": a float32 cos/sin cache as PyTorch/HF and vLLM's CPU kernel hold
       one, built when the plan is made for max_positions rows (POSENC_IMPL_TABLE_BOUNDED, its
       bytes in posenc_plan_table_bytes): row p holds sin and cos of the float angle
       (float)p * inv_freq correctly rounded, exactly the fp32 recipe's values
       (POSENC_ANGLE_FP32, every scaling type and M-RoPE). "rotary/recipe-recurrence": ggml's
       CPU RoPE: per token theta = (float)p, then for each frequency i in order cosf(theta) and
       sinf(theta) of the C library and theta *= theta_scale, with theta_scale =
       powf((float)base, -2.0f / (float)rotary_dim) in float; M-RoPE keeps one theta per axis
       (as ggml); any scaling type but NONE fails with ARGUMENT. Both rotate with the table
       backend's vector kernels, on float32, bf16 and fp16 data, with posenc's special value
       rule. */
    POSENC_IMPL_DESIGN = 1u << 3
};

/* An implementation: one (encoding, backend) pair. Data only; entries live in the registry. */
typedef struct posenc_impl {
    const char *name;        /* "rotary/scalar": bench names, reports, POSENC_IMPL */
    const char *description; /* one line: ISA, algorithm */
    posenc_kind kind;
    uint64_t cpu_features;   /* POSENC_CPU_* bits required; 0 runs everywhere */
    const char *algorithm;   /* implementations of one kind with the same algorithm return the
                                same bits for the same input, e.g. "poly32" for scalar, avx2,
                                avx512 and neon */
    unsigned flags;          /* POSENC_IMPL_* */
    double max_err_u;        /* documented bound B in u = 2^-24, exact angle mode: absolute
                                for PE and cos/sin values (alibi: 0, each bias correctly
                                rounded and each score s + bias rounded once, so the results
                                are the MPFR oracle's bits); for rotary apply, per rotated pair
                                (a, b) with finite results, each output within
                                B u max(|a|, |b|) + 2^-149 of the exact rotation (relative to
                                the pair; the 2^-149, the smallest subnormal and the spacing of
                                floats below 2^-125, is the rounding of products that fall in
                                the subnormal range, which no relative bound can cover). With an
                                attention factor a != 1 (yarn, longrope) the values are a cos
                                and a sin: the bound is B a u plus half an ulp of the value
                                (B a u max(|a|, |b|) + 2^-149 per rotated pair). 0 means
                                bit-exact (learned) or correctly rounded (alibi), and no
                                bound at all for a design (POSENC_IMPL_DESIGN) */
    int64_t max_pos;         /* positions must satisfy 0 <= p < max_pos; a plan may accept
                                fewer (posenc_plan_max_pos) */
    int (*prepare)(posenc_plan *plan);    /* backend tables; may be NULL */
    int (*encode)(const posenc_plan *plan, const int64_t *pos, size_t n, float *out);
    int (*apply)(const posenc_plan *plan, const int64_t *pos, size_t n_tokens, float *x,
                 const posenc_layout *layout);
    void (*release)(posenc_plan *plan);   /* undoes prepare; may be NULL */
    /* score-side encodings (alibi): posenc_alibi_apply's kernel, called with validated
       arguments and a resolved layout; NULL for the other kinds */
    int (*scores)(const posenc_plan *plan, const int64_t *q_pos, size_t n_q,
                  const int64_t *k_pos, size_t n_k, void *scores,
                  const struct posenc_score_layout *layout);
    /* 16-bit data read and written natively: bit 1u << d for each 16-bit posenc_dtype d that
       encode16 and apply16 take (float32 always goes through encode/apply), and scores too
       (alibi: on scores of the plan's dtype). They are called as encode, apply and scores are,
       on data of the plan's dtype (uint16_t elements), and give exactly the bits of the staged
       path: the float kernel on the widened data, each result rounded once. A dtype whose bit
       is clear (0: every 16-bit dtype), or an encode16 / apply16 left NULL, is staged by the
       library through encode/apply/scores and a float buffer. */
    unsigned dtypes;
    int (*encode16)(const posenc_plan *plan, const int64_t *pos, size_t n, void *out);
    int (*apply16)(const posenc_plan *plan, const int64_t *pos, size_t n_tokens, void *x,
                   const posenc_layout *layout);
} posenc_impl;

/* Number of compiled-in implementations, and the i-th (best first within a kind), or NULL. */
POSENC_API size_t posenc_impl_count(void);
POSENC_API const posenc_impl *posenc_impl_at(size_t i);

/* The implementation called `name` ("rotary/scalar"), or NULL. */
POSENC_API const posenc_impl *posenc_impl_find(const char *name);

/* 1 if this CPU (after POSENC_DISABLE_CPU_FEATURES) can run `impl`, else 0. */
POSENC_API int posenc_impl_supported(const posenc_impl *impl);

/* The best supported implementation of `kind` that is not POSENC_IMPL_EXPLICIT_ONLY: the first
 * this CPU runs in the dispatch order, which is the same for every kind:
 *     Dispatch order: avx512, avx2, neon, scalar
 * (backends not built for this architecture are absent; scalar runs everywhere).
 * POSENC_IMPL in the environment forces a choice: a list of implementation names
 * ("rotary/avx2") or backend names ("scalar": that backend for each kind that has one),
 * separated by commas or spaces; a kind it does not name is dispatched as usual.
 * NULL for an unknown kind, and when the environment is invalid (posenc_check_environment). */
POSENC_API const posenc_impl *posenc_impl_best(posenc_kind kind);

/* Check POSENC_IMPL, POSENC_DISABLE_CPU_FEATURES and POSENC_STREAM_THRESHOLD; posenc_plan_create
 * makes the same check. Errors: ARGUMENT (an unknown feature name; POSENC_IMPL naming two
 * implementations of one kind; a threshold that is not a byte count), NOT_FOUND (a POSENC_IMPL entry that is neither an implementation nor a backend),
 * UNSUPPORTED (POSENC_IMPL forces an implementation this CPU cannot run, or whose features are
 * hidden). posenc_last_error() names the variable and the bad name. */
POSENC_API int posenc_check_environment(void);

/* ---- plans -------------------------------------------------------------------------------- */

/* Validate `params` and build a plan for `impl` (NULL: posenc_impl_best(params->kind)):
 * frequencies, tables, a reference to learned weights. Errors: NULL, KIND, ARGUMENT (bad enum,
 * base, scaling or max_positions), DIM, SHAPE (learned weights whose dim differs), UNSUPPORTED,
 * NOMEM (also a table larger than this machine's physical memory, refused before allocating),
 * and those of posenc_check_environment.
 * *out is set only on success. */
POSENC_API int posenc_plan_create(const posenc_impl *impl, const posenc_params *params,
                                  posenc_plan **out);

/* Free a plan; NULL is a no-op. */
POSENC_API void posenc_plan_destroy(posenc_plan *plan);

POSENC_API const posenc_impl *posenc_plan_impl(const posenc_plan *plan);
/* The parameters with defaults filled in. */
POSENC_API const posenc_params *posenc_plan_params(const posenc_plan *plan);

/* Floats per encoded row: dim (sinusoidal, learned), rotary_dim (rotary: rotary_dim/2 cos
 * values then rotary_dim/2 sin values, frequency i at index i, each times the attention factor)
 * or H (alibi: one bias per head). 0 for NULL. */
POSENC_API size_t posenc_plan_row_size(const posenc_plan *plan);

/* The factor every cos and sin of a rotary plan is multiplied by (HF's attention_scaling):
 * derived from yarn's or longrope's parameters (posenc_scaling_type), or as given; 1 for the
 * other scaling types and kinds; 0 for NULL. A rotation with it scales each pair by it, so
 * applying a plan to the same buffer again and again grows (or shrinks) the data geometrically. */
POSENC_API double posenc_plan_attention_factor(const posenc_plan *plan);

/* Bytes of tables the plan holds beyond its fixed size (frequency and lookup tables; for a table
 * implementation max_positions x row size x 4 bytes of values, plus the frequencies). */
POSENC_API size_t posenc_plan_table_bytes(const posenc_plan *plan);

/* Positions accepted by the plan: 0 <= p < posenc_plan_max_pos(plan). 2^31 for computed
 * encodings, rows of W for learned ones, the rows of the table for table implementations
 * (max_positions, by default POSENC_TABLE_DEFAULT_POSITIONS); in POSENC_ANGLE_FP16 mode at most
 * the first position whose float16 angle is not finite (65520 unless an inverse frequency
 * exceeds 1); lowered to params.max_positions when that is set. Positions at or past the limit fail with POSENC_ERR_POSITION. */
POSENC_API int64_t posenc_plan_max_pos(const posenc_plan *plan);

/* ---- the kernels -------------------------------------------------------------------------- */

/* Write what each position contributes: n rows of posenc_plan_row_size(plan) elements of the
 * plan's dtype (posenc_dtype: float values rounded to it), row t for position pos[t]. Sinusoidal: the PE row; learned: W[pos[t]]; rotary: cos then sin of each
 * frequency (times the attention factor); alibi: the bias -m_h pos[t] of each head. With
 * M-RoPE, pos holds 3 n positions, axis-major (posenc_mrope). n = 0 is a no-op (pos and out
 * may then be NULL).
 * Errors: NULL, POSITION, OVERFLOW (n * row size in bytes). Accuracy: impl->max_err_u. */
POSENC_API int posenc_encode(const posenc_plan *plan, const int64_t *pos, size_t n, void *out);

/* Apply the encoding in place to x, which holds n_tokens tokens of layout->n_heads heads of dim
 * elements of the plan's dtype (NULL layout: one contiguous head per token; bf16 and fp16 as
 * posenc_dtype says: widened, the float formulas below, rounded back once). Token t has position pos[t].
 * Sinusoidal and learned: x += PE(pos[t]) on each head. Rotary: each pair (a, b) of the first
 * rotary_dim floats of each head becomes (a cos - b sin, a sin + b cos), cos and sin as encode
 * writes them (attention factor included); the rest is unchanged. With M-RoPE, pos holds 3
 * n_tokens positions, axis-major (posenc_mrope).
 * Errors: NULL, POSITION, OVERFLOW, LAYOUT (head_stride < dim, or heads overlapping tokens),
 * KIND (an alibi plan: posenc_alibi_apply).
 * Accuracy: sinusoidal and learned add in float, rounded once: the same bits as adding
 * posenc_encode's row to x. Rotary: per pair, within B u max(|a|, |b|) + 2^-149 of the exact
 * rotation, B = impl->max_err_u (see posenc_impl.max_err_u). inf and NaN inputs, and which NaN
 * comes out: "Special values" at the top of this file. With bf16 or fp16 data, add half an ulp
 * of the result's type (the final rounding) to these bounds. */
POSENC_API int posenc_apply(const posenc_plan *plan, const int64_t *pos, size_t n_tokens,
                            void *x, const posenc_layout *layout);

/* ALiBi: add each head's bias to attention scores in place. scores holds n_heads matrices of
 * n_q query rows by n_k key columns of the plan's dtype (layout; NULL: every head of the plan,
 * contiguous); query row q has position q_pos[q], key column k position k_pos[k]. The bias of
 * head h is -m_h (q_pos - k_pos) with the plan's form (posenc_alibi_form): causal rows also write -inf
 * where k_pos > q_pos (whatever the score was, a NaN included), key-only adds m_h k_pos. Each
 * score becomes s + bias, rounded once, with the bias in exact mode the correctly rounded
 * -m_h d (d = |q_pos - k_pos| < 2^31, m_h real; key-only m_h k_pos) and in fp32 mode MPT's
 * recipe: m_h = 1.0f / CR_powf(2, (float)h * (float)(b / P2)) (P2 the power of two at or above
 * H, slopes reordered as posenc_alibi says), bias = -((float)d * m_h) (key only:
 * (float)k_pos * m_h). Correctly rounded means: a double product decides, or a double-double
 * one (about 2^-100 relative) when the double is too near a midpoint between floats; only a
 * true value within about 2^-100 of a midpoint could round wrongly, and none is known (a slope
 * is a power of two, whose exact ties go to even, or irrational). The bias of distance 0 is
 * -0.0, so s + bias is s there, -0.0 included; +-inf scores stay +-inf (biases are finite); NaN
 * sums are written as 0x7fc00000 ("Special values"). Scores outside the n_heads x n_q x n_k
 * (padding between rows and heads) keep their bits.
 * n_q or n_k = 0 is a no-op. Errors, checked in this order before anything is written: NULL
 * (plan); KIND (a plan of another kind); NULL (q_pos, k_pos, scores); LAYOUT (as
 * posenc_score_layout says: heads beyond H, a row_stride below n_k, a head_stride below
 * n_q * row_stride); OVERFLOW (the span of the scores in bytes does not fit in size_t);
 * POSITION (a position outside [0, posenc_plan_max_pos)); NOMEM (the call's scratch biases, at
 * most 2 (n_q + n_k) + 4096 + n_k floats). posenc_encode of an ALiBi plan writes, for each
 * position d, the row of the H biases -m_h d (h = 1..H) of that distance (in fp32 mode
 * -((float)d * m_h)), whatever the form; posenc_apply fails with KIND. */
POSENC_API int posenc_alibi_apply(const posenc_plan *plan, const int64_t *q_pos, size_t n_q,
                                  const int64_t *k_pos, size_t n_k, void *scores,
                                  const posenc_score_layout *layout);

#ifdef __cplusplus
}
#endif

#endif /* POSENC_H */
