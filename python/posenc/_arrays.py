# posenc/_arrays.py - checks NumPy arguments and turns their shapes and strides into posenc layouts.
"""Everything here runs before the library is called, so a refused argument has written nothing.
Strides are read from the arrays themselves: a view into a larger buffer (q of a fused qkv
projection, a shard of score heads) is passed as the layout the library takes, with no copy."""
import numpy as np

from . import _cdefs as c
from .errors import ArgumentError, DTypeError, LayoutError, PositionError, ShapeError
from .halfbits import NUMPY_DTYPE, as_plan_array

INT64_MAX = 2**63 - 1


def positions(pos, n_axes, what="positions"):
    """(int64 C-contiguous array, tokens): 1-D positions, or for n_axes 3 axis-major ones given
    as (3, n) or as 3 n values in a row."""
    a = np.asarray(pos)
    if a.size == 0 and a.dtype.kind == "f":
        a = a.astype(np.int64)           # [] reads as float64
    if a.dtype.kind not in "iu":
        raise DTypeError(f"{what}: dtype {a.dtype}; positions must be integers")
    if n_axes == 1:
        if a.ndim != 1:
            raise ShapeError(f"{what}: shape {a.shape}; expected one position per token (1-D)")
        n = a.shape[0]
    else:
        if a.ndim == 2 and a.shape[0] == n_axes:
            n = a.shape[1]
        elif a.ndim == 1 and a.shape[0] % n_axes == 0:
            n = a.shape[0] // n_axes
        else:
            raise ShapeError(f"{what}: shape {a.shape}; an M-RoPE plan takes {n_axes} positions "
                             f"per token, axis-major: ({n_axes}, n) or {n_axes} n values")
    if a.dtype.kind == "u" and a.size and int(a.max()) > INT64_MAX:
        raise PositionError(f"{what}: {int(a.max())} does not fit in int64")
    return np.ascontiguousarray(a, dtype=np.int64).reshape(-1), n


def _element_strides(a, what):
    item = a.dtype.itemsize
    out = []
    for ax, s in enumerate(a.strides):
        if s < 0 or s % item:
            raise LayoutError(f"{what}: stride {s} bytes on axis {ax} is not a non-negative "
                              f"multiple of the element size ({item} bytes)")
        out.append(s // item)
    return out


def _writable(a, dtype_name, what):
    if not isinstance(a, np.ndarray):
        raise ArgumentError(f"{what}: a numpy.ndarray is needed (it is changed in place), "
                            f"not {type(a).__name__}")
    v = as_plan_array(a, dtype_name)
    if v is None:
        raise DTypeError(f"{what}: dtype {a.dtype}; the plan's dtype {dtype_name} needs "
                         f"{NUMPY_DTYPE[dtype_name]} arrays"
                         + (" (bfloat16 bits; posenc.f32_to_bf16 makes them)"
                            if dtype_name == "bf16" else ""))
    if not a.flags.writeable:
        raise ArgumentError(f"{what}: the array is read-only")
    return v


def _axis_stride(size, stride, ax, what):
    """A stride for the library, where 0 means its default: used only for an axis of one."""
    if size <= 1:
        return 0
    if stride == 0:
        raise LayoutError(f"{what}: axis {ax} has {size} elements at stride 0 (a broadcast "
                          "view): its elements would overlap")
    return stride


def apply_layout(x, dtype_name, dim, what="x"):
    """(array, Layout, tokens) for posenc_apply: x is (tokens, dim) or (tokens, heads, dim)."""
    v = _writable(x, dtype_name, what)
    if v.ndim not in (2, 3):
        raise ShapeError(f"{what}: shape {x.shape}; expected (tokens, dim) or "
                         "(tokens, heads, dim)")
    if v.shape[-1] != dim:
        raise ShapeError(f"{what}: shape {x.shape}; its last axis must be the plan's dim, {dim}")
    tokens = v.shape[0]
    heads = v.shape[1] if v.ndim == 3 else 1
    lay = c.Layout()
    if v.size == 0:
        return v, lay, tokens            # nothing to do: the library is not called
    st = _element_strides(v, what)
    if v.shape[-1] > 1 and st[-1] != 1:
        raise LayoutError(f"{what}: the last axis must be contiguous (stride {st[-1]} elements); "
                          "tokens and heads may have any strides")
    lay.n_heads = heads
    lay.head_stride = _axis_stride(heads, st[1], 1, what) if v.ndim == 3 else 0
    lay.token_stride = _axis_stride(tokens, st[0], 0, what)
    return v, lay, tokens


def score_layout(s, dtype_name, heads_in_plan, first_head, what="scores"):
    """(array, ScoreLayout) for posenc_alibi_apply: s is (heads, n_q, n_k)."""
    v = _writable(s, dtype_name, what)
    if v.ndim != 3:
        raise ShapeError(f"{what}: shape {s.shape}; expected (heads, queries, keys)")
    if not isinstance(first_head, (int, np.integer)) or first_head < 0:
        raise ArgumentError(f"first_head {first_head!r}: a non-negative integer is needed")
    if first_head + v.shape[0] > heads_in_plan:
        raise LayoutError(f"{what}: heads {first_head} .. {first_head + v.shape[0] - 1} of a "
                          f"plan of {heads_in_plan} heads")
    lay = c.ScoreLayout()
    if v.size == 0:
        return v, lay                    # nothing to do: the library is not called
    st = _element_strides(v, what)
    if v.shape[2] > 1 and st[2] != 1:
        raise LayoutError(f"{what}: the keys axis must be contiguous (stride {st[2]} elements)")
    lay.first_head = int(first_head)
    lay.n_heads = v.shape[0]
    lay.head_stride = _axis_stride(v.shape[0], st[0], 0, what)
    lay.row_stride = _axis_stride(v.shape[1], st[1], 1, what)
    return v, lay


def encode_out(out, n, row, dtype_name):
    """The array encode writes: `out` checked ((n, row), C-contiguous), or a new one."""
    if out is None:
        return np.empty((n, row), dtype=NUMPY_DTYPE[dtype_name])
    v = _writable(out, dtype_name, "out")
    if v.shape != (n, row):
        raise ShapeError(f"out: shape {out.shape}; expected ({n}, {row}): one row of the plan's "
                         "row size per token")
    if not v.flags.c_contiguous:
        raise LayoutError("out: must be C-contiguous (encode writes whole rows)")
    return v
