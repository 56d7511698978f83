# posenc/halfbits.py - element types of NumPy arrays for each posenc dtype, and bf16 bit helpers.
"""NumPy has float32 and float16 but no bfloat16. posenc passes bfloat16 data as its 16 bits,
so a bf16 plan reads and writes uint16 arrays holding bfloat16 bit patterns (an array whose
dtype is named "bfloat16", such as ml_dtypes.bfloat16, is taken as a uint16 view of itself).
f32_to_bf16 and bf16_to_f32 convert, with posenc's rules."""
import numpy as np

# posenc dtype name -> the NumPy dtype of arrays of it
NUMPY_DTYPE = {"f32": np.dtype(np.float32), "bf16": np.dtype(np.uint16),
               "f16": np.dtype(np.float16)}


def f32_to_bf16(x):
    """float32 values (any array-like; other floats are first rounded to float32) as bfloat16
    bits in a uint16 array of the same shape: rounded to nearest even, +-inf beyond the range,
    subnormals kept, every NaN the canonical quiet NaN 0x7fc0 (posenc's rule)."""
    f = np.asarray(x, dtype=np.float32)
    u = f.view(np.uint32) if f.ndim else f.reshape(1).view(np.uint32)
    u = u.astype(np.uint64)
    rounded = (u + 0x7FFF + ((u >> 16) & 1)) >> 16
    out = np.where(np.isnan(f.reshape(u.shape)), np.uint64(0x7FC0), rounded).astype(np.uint16)
    return out.reshape(f.shape)


def bf16_to_f32(bits):
    """bfloat16 bits (a uint16 array-like) as float32 values, exactly (the bits shifted into
    the top half of a float)."""
    b = np.asarray(bits)
    if b.dtype.name == "bfloat16":
        b = b.view(np.uint16)
    if b.dtype != np.uint16:
        raise TypeError(f"bf16_to_f32: bits must be uint16, not {b.dtype}")
    return (b.astype(np.uint32) << np.uint32(16)).view(np.float32)


def as_plan_array(a, dtype_name):
    """The array itself, reinterpreted as its plan's NumPy type where that is a view
    (bfloat16 arrays of ml_dtypes as uint16); None when its type does not fit the plan."""
    want = NUMPY_DTYPE[dtype_name]
    if a.dtype == want:
        return a
    if dtype_name == "bf16" and a.dtype.name == "bfloat16" and a.dtype.itemsize == 2:
        return a.view(np.uint16)
    return None
