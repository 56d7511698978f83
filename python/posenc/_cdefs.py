# posenc/_cdefs.py - the C types of posenc.h as ctypes structures, and its enums by name.
import ctypes

from ctypes import c_int, c_int32, c_int64, c_uint, c_uint64, c_double, c_size_t, c_char_p
from ctypes import c_void_p, POINTER

# Enums are C ints; each maps the Python-side name to the value of posenc.h.
KIND = {"sinusoidal": 1, "learned": 2, "rotary": 3, "alibi": 4}
PAIRING = {"default": 0, "interleaved": 1, "half": 2}
DTYPE = {"f32": 0, "bf16": 1, "f16": 2}
ANGLE = {"exact": 0, "fp32": 1, "bf16": 2, "fp16": 3}
SCALING = {"none": 0, "linear": 1, "ntk": 2, "dynamic": 3, "yarn": 4, "llama3": 5,
           "longrope": 6}
MROPE = {"none": 0, "sections": 1, "interleaved": 2}
ALIBI_FORM = {"causal": 0, "full": 1, "key_only": 2}

IMPL_EXPLICIT_ONLY = 1 << 0
IMPL_APPROX_SINCOS = 1 << 1
IMPL_TABLE_BOUNDED = 1 << 2
IMPL_DESIGN = 1 << 3
IMPL_FLAGS = {"explicit_only": IMPL_EXPLICIT_ONLY, "approx_sincos": IMPL_APPROX_SINCOS,
              "table_bounded": IMPL_TABLE_BOUNDED, "design": IMPL_DESIGN}

ERRORS = {
    -1: "NULL", -2: "ARGUMENT", -3: "DIM", -4: "POSITION", -5: "OVERFLOW", -6: "NOMEM",
    -7: "UNSUPPORTED", -8: "NOT_FOUND", -9: "KIND", -10: "IO", -11: "FORMAT", -12: "DTYPE",
    -13: "SHAPE", -14: "LAYOUT",
}
CODE = {v: k for k, v in ERRORS.items()}


class Scaling(ctypes.Structure):
    _fields_ = [
        ("type", c_int),
        ("factor", c_double),
        ("original_max_positions", c_int64),
        ("seq_len", c_int64),
        ("attention_factor", c_double),
        ("beta_fast", c_double),
        ("beta_slow", c_double),
        ("mscale", c_double),
        ("mscale_all_dim", c_double),
        ("no_truncate", c_int),
        ("low_freq_factor", c_double),
        ("high_freq_factor", c_double),
        ("short_factor", POINTER(c_double)),
        ("long_factor", POINTER(c_double)),
    ]


class MRope(ctypes.Structure):
    _fields_ = [("layout", c_int), ("section", c_int32 * 3)]


class Alibi(ctypes.Structure):
    _fields_ = [("bias_max", c_double), ("form", c_int)]


class Params(ctypes.Structure):
    _fields_ = [
        ("kind", c_int),
        ("dim", c_int32),
        ("rotary_dim", c_int32),
        ("base", c_double),
        ("pairing", c_int),
        ("angle_mode", c_int),
        ("scaling", Scaling),
        ("weights", c_void_p),
        ("max_positions", c_int64),
        ("mrope", MRope),
        ("dtype", c_int),
        ("alibi", Alibi),
    ]


class Layout(ctypes.Structure):
    _fields_ = [("n_heads", c_size_t), ("head_stride", c_size_t), ("token_stride", c_size_t)]


class ScoreLayout(ctypes.Structure):
    _fields_ = [("first_head", c_size_t), ("n_heads", c_size_t), ("row_stride", c_size_t),
                ("head_stride", c_size_t)]


class Impl(ctypes.Structure):
    # The leading data members of posenc_impl; the package never reads the function pointers
    # that follow, and only ever holds pointers to the library's own descriptors.
    _fields_ = [
        ("name", c_char_p),
        ("description", c_char_p),
        ("kind", c_int),
        ("cpu_features", c_uint64),
        ("algorithm", c_char_p),
        ("flags", c_uint),
        ("max_err_u", c_double),
        ("max_pos", c_int64),
    ]


def name_of(table, value):
    """The Python-side name of an enum value, or the number itself when it has none."""
    for k, v in table.items():
        if v == value:
            return k
    return value
