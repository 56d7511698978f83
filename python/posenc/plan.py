# posenc/plan.py - plans (posenc_plan) and their encode, apply and alibi_apply on NumPy arrays.
import ctypes
from dataclasses import dataclass, field
from typing import Optional, Sequence

import numpy as np

from . import _arrays
from . import _cdefs as c
from ._library import library
from ._owner import Owner, query
from .errors import ArgumentError, DimError, KindError, ShapeError, check
from .implementations import _from_pointer, _impl_pointer
from .weights import Weights

_I32 = (-2**31, 2**31 - 1)
_I64 = (-2**63, 2**63 - 1)


def _enum(table, value, what):
    """A C enum value from its name; an int is passed through for the library to judge."""
    if isinstance(value, str):
        if value in table:
            return table[value]
        raise ArgumentError(f"{what} {value!r}: expected one of {', '.join(table)}")
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        if not _I32[0] <= value <= _I32[1]:
            raise ArgumentError(f"{what} {value}: out of the C enum's range")
        return int(value)
    raise ArgumentError(f"{what} {value!r}: expected one of {', '.join(table)}")


def _int(value, what, bounds=_I64, err=ArgumentError):
    """An integer field, refused when ctypes would wrap it around."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise err(f"{what} {value!r}: an integer is needed")
    if not bounds[0] <= value <= bounds[1]:
        raise err(f"{what} {value}: does not fit in the C field "
                  f"({bounds[0]} .. {bounds[1]})")
    return int(value)


def _float(value, what):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ArgumentError(f"{what} {value!r}: a number is needed")
    return float(value)


@dataclass
class Scaling:
    """RoPE scaling (posenc_scaling): type "none", "linear", "ntk", "dynamic", "yarn",
    "llama3" or "longrope", and that type's fields as posenc.h names and bounds them (0 means
    the documented default). short_factor and long_factor (longrope) are sequences of
    rotary_dim / 2 numbers each."""
    type: str = "none"
    factor: float = 0.0
    original_max_positions: int = 0
    seq_len: int = 0
    attention_factor: float = 0.0
    beta_fast: float = 0.0
    beta_slow: float = 0.0
    mscale: float = 0.0
    mscale_all_dim: float = 0.0
    no_truncate: bool = False
    low_freq_factor: float = 0.0
    high_freq_factor: float = 0.0
    short_factor: Optional[Sequence[float]] = None
    long_factor: Optional[Sequence[float]] = None


@dataclass
class MRope:
    """Multi-axis RoPE (posenc_mrope): layout "sections" (Qwen2-VL) or "interleaved"
    (Qwen3-VL), and the three sections, summing to rotary_dim / 2."""
    layout: str = "sections"
    section: Sequence[int] = (0, 0, 0)


@dataclass
class Alibi:
    """ALiBi's slopes and form (posenc_alibi): bias_max (0 means 8), form "causal", "full" or
    "key_only"."""
    bias_max: float = 0.0
    form: str = "causal"


def _fill_scaling(dst, s, n, keep):
    if s is None:
        return
    if not isinstance(s, Scaling):
        raise ArgumentError(f"scaling must be a posenc.Scaling, not {type(s).__name__}")
    dst.type = _enum(c.SCALING, s.type, "scaling.type")
    for f in ("factor", "attention_factor", "beta_fast", "beta_slow", "mscale",
              "mscale_all_dim", "low_freq_factor", "high_freq_factor"):
        setattr(dst, f, _float(getattr(s, f), "scaling." + f))
    dst.original_max_positions = _int(s.original_max_positions, "scaling.original_max_positions")
    dst.seq_len = _int(s.seq_len, "scaling.seq_len")
    dst.no_truncate = 1 if s.no_truncate else 0
    for f in ("short_factor", "long_factor"):
        v = getattr(s, f)
        if v is None:
            continue
        a = np.ascontiguousarray(v, dtype=np.float64)
        # The library reads rotary_dim / 2 doubles through the pointer: the length must match.
        if a.ndim != 1 or a.shape[0] != n // 2:
            raise ShapeError(f"scaling.{f}: {a.shape[0] if a.ndim == 1 else a.shape} values; "
                             f"expected rotary_dim / 2 = {n // 2}")
        keep.append(a)
        setattr(dst, f, a.ctypes.data_as(ctypes.POINTER(ctypes.c_double)))


def _params_dict(p):
    """posenc_params as a dict of Python values (enum names where posenc.h names them)."""
    s = p.scaling
    n = p.rotary_dim if p.kind == c.KIND["rotary"] else p.dim

    def factors(ptr):
        return [ptr[i] for i in range(n // 2)] if ptr else None

    return {
        "kind": c.name_of(c.KIND, p.kind), "dim": p.dim, "rotary_dim": p.rotary_dim,
        "base": p.base, "pairing": c.name_of(c.PAIRING, p.pairing),
        "angle_mode": c.name_of(c.ANGLE, p.angle_mode),
        "scaling": Scaling(
            type=c.name_of(c.SCALING, s.type), factor=s.factor,
            original_max_positions=s.original_max_positions, seq_len=s.seq_len,
            attention_factor=s.attention_factor, beta_fast=s.beta_fast,
            beta_slow=s.beta_slow, mscale=s.mscale, mscale_all_dim=s.mscale_all_dim,
            no_truncate=bool(s.no_truncate), low_freq_factor=s.low_freq_factor,
            high_freq_factor=s.high_freq_factor, short_factor=factors(s.short_factor),
            long_factor=factors(s.long_factor)),
        "max_positions": p.max_positions,
        "mrope": MRope(layout=c.name_of(c.MROPE, p.mrope.layout),
                       section=tuple(p.mrope.section)),
        "dtype": c.name_of(c.DTYPE, p.dtype),
        "alibi": Alibi(bias_max=p.alibi.bias_max, form=c.name_of(c.ALIBI_FORM, p.alibi.form)),
    }


class Plan(Owner):
    """A posenc plan: one encoding's parameters, checked and prepared by posenc_plan_create.

    Plan(kind, dim, ...) with kind "sinusoidal", "learned", "rotary" or "alibi"; keywords as
    posenc_params names them (enums by name: pairing "default"/"interleaved"/"half",
    angle_mode "exact"/"fp32"/"bf16"/"fp16", dtype "f32"/"bf16"/"f16"); impl an
    implementation name or posenc.Implementation (None: dispatch). Free it with close() or a
    `with` block; a plan dropped unclosed is freed when collected. Immutable: one plan may be
    used from several threads."""

    def __init__(self, kind, dim, *, rotary_dim=0, base=0.0, pairing="default",
                 angle_mode="exact", scaling=None, mrope=None, alibi=None, weights=None,
                 max_positions=0, dtype="f32", impl=None):
        self._handle = None
        self._weights = None
        lib = library()
        kind_v = _enum(c.KIND, kind, "kind")
        dim = _int(dim, "dim", _I32, DimError)
        p = lib.posenc_params_default(kind_v, dim)
        p.kind = kind_v
        p.dim = dim
        p.rotary_dim = _int(rotary_dim, "rotary_dim", _I32, DimError)
        p.base = _float(base, "base")
        p.pairing = _enum(c.PAIRING, pairing, "pairing")
        p.angle_mode = _enum(c.ANGLE, angle_mode, "angle_mode")
        p.dtype = _enum(c.DTYPE, dtype, "dtype")
        p.max_positions = _int(max_positions, "max_positions")
        keep = []
        _fill_scaling(p.scaling, scaling, p.rotary_dim or p.dim, keep)
        if mrope is not None:
            if not isinstance(mrope, MRope):
                raise ArgumentError(f"mrope must be a posenc.MRope, not {type(mrope).__name__}")
            p.mrope.layout = _enum(c.MROPE, mrope.layout, "mrope.layout")
            sec = list(mrope.section)
            if len(sec) != 3:
                raise ArgumentError(f"mrope.section {mrope.section!r}: three sections are needed")
            for i, v in enumerate(sec):
                p.mrope.section[i] = _int(v, f"mrope.section[{i}]", _I32)
        if alibi is not None:
            if not isinstance(alibi, Alibi):
                raise ArgumentError(f"alibi must be a posenc.Alibi, not {type(alibi).__name__}")
            p.alibi.bias_max = _float(alibi.bias_max, "alibi.bias_max")
            p.alibi.form = _enum(c.ALIBI_FORM, alibi.form, "alibi.form")
        if weights is not None:
            if not isinstance(weights, Weights):
                raise ArgumentError(f"weights must be a posenc.Weights, not "
                                    f"{type(weights).__name__}")
            p.weights = weights._live()
        impl_p = _impl_pointer(impl)
        out = ctypes.c_void_p()
        check(lib.posenc_plan_create(impl_p, ctypes.byref(p), ctypes.byref(out)),
              "posenc_plan_create")
        self._handle = out.value
        if weights is not None:
            weights._acquire()
            self._weights = weights
        pp = lib.posenc_plan_params(self._handle).contents
        self._kind = c.name_of(c.KIND, pp.kind)
        self._dtype = c.name_of(c.DTYPE, pp.dtype)
        self._dim = pp.dim
        self._heads = pp.dim
        self._axes = 3 if pp.mrope.layout != c.MROPE["none"] else 1
        self._row = lib.posenc_plan_row_size(self._handle)

    # ---- lifetime ----
    def close(self):
        """Free the plan (posenc_plan_destroy); later calls raise posenc.ArgumentError."""
        h, self._handle = self._handle, None
        if h is not None:
            library().posenc_plan_destroy(h)
            if self._weights is not None:
                self._weights._release()
                self._weights = None

    @property
    def closed(self):
        return self._handle is None

    def _live(self):
        if self._handle is None:
            raise ArgumentError("the plan is closed")
        return self._handle

    # ---- what the plan is ----
    @property
    def impl(self):
        """The implementation the plan runs (posenc.Implementation)."""
        return _from_pointer(library().posenc_plan_impl(self._live()))

    @property
    def params(self):
        """The parameters with the library's defaults filled in, as a dict."""
        return _params_dict(library().posenc_plan_params(self._live()).contents)

    @property
    def kind(self):
        return self._kind

    @property
    def dtype(self):
        """"f32", "bf16" or "f16": the type of the data (NumPy float32, uint16 bits, float16)."""
        return self._dtype

    @property
    def dim(self):
        return self._dim

    @property
    def row_size(self):
        return self._row

    attention_factor = query("posenc_plan_attention_factor",
                             "The factor on every cos and sin (yarn, longrope; else 1).")
    table_bytes = query("posenc_plan_table_bytes", "Bytes of tables the plan holds.")
    max_pos = query("posenc_plan_max_pos", "Positions accepted: 0 <= p < max_pos.")

    def __repr__(self):
        if self.closed:
            return "<posenc.Plan closed>"
        return (f"<posenc.Plan {self.impl.name} dim={self._dim} dtype={self._dtype} "
                f"angle_mode={self.params['angle_mode']}>")

    # ---- the kernels ----
    def encode(self, positions, out=None):
        """What each position contributes (posenc_encode): an array (n, row_size) of the
        plan's dtype, row t for position t (M-RoPE: positions (3, n), axis-major). `out`, when
        given, is a C-contiguous array of that shape and type, written and returned."""
        h = self._live()
        pos, n = _arrays.positions(positions, self._axes)
        arr = _arrays.encode_out(out, n, self._row, self._dtype)
        check(library().posenc_encode(h, _ptr64(pos), n, arr.ctypes.data if n else None),
              "posenc_encode")
        return out if out is not None else arr

    def apply(self, positions, x):
        """Apply the encoding to x in place and return x (posenc_apply). x is (tokens, dim)
        or (tokens, heads, dim) of the plan's dtype, its last axis contiguous; tokens and
        heads may have any strides (a view into a larger buffer), which become the layout."""
        h = self._live()
        if self._kind == "alibi":
            raise KindError("apply: an alibi plan works on attention scores: use alibi_apply",
                            function=None)
        pos, n = _arrays.positions(positions, self._axes)
        v, lay, tokens = _arrays.apply_layout(x, self._dtype, self._dim)
        if n != tokens:
            raise ShapeError(f"x has {tokens} tokens but {n} positions were given")
        if v.size == 0:
            return x
        check(library().posenc_apply(h, _ptr64(pos), n, v.ctypes.data, ctypes.byref(lay)),
              "posenc_apply")
        return x

    def alibi_apply(self, q_positions, k_positions, scores, first_head=0):
        """Add ALiBi's biases to attention scores in place and return them
        (posenc_alibi_apply). scores is (heads, n_q, n_k) of the plan's dtype, the keys axis
        contiguous, heads and rows at any strides; they are the plan's heads first_head ..
        first_head + heads - 1."""
        h = self._live()
        if self._kind != "alibi":
            raise KindError(f"alibi_apply: a {self._kind} plan; only alibi plans act on scores")
        qp, nq = _arrays.positions(q_positions, 1, "q_positions")
        kp, nk = _arrays.positions(k_positions, 1, "k_positions")
        v, lay = _arrays.score_layout(scores, self._dtype, self._heads, first_head)
        if v.shape[1] != nq or v.shape[2] != nk:
            raise ShapeError(f"scores: shape {scores.shape}; {nq} query and {nk} key positions "
                             f"need (heads, {nq}, {nk})")
        if v.size == 0:
            return scores
        check(library().posenc_alibi_apply(h, _ptr64(qp), nq, _ptr64(kp), nk, v.ctypes.data,
                                           ctypes.byref(lay)), "posenc_alibi_apply")
        return scores


def _ptr64(a):
    return a.ctypes.data_as(ctypes.POINTER(ctypes.c_int64)) if a.size else None
