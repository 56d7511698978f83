# posenc/__init__.py - the Python binding of libposenc: plans and kernels on NumPy arrays.
"""posenc: positional-encoding kernels (sinusoidal, learned, rotary/RoPE and its scaled variants,
ALiBi) from libposenc, called through ctypes on NumPy arrays.

    import numpy as np, posenc
    with posenc.Plan("rotary", 128, base=500000.0) as plan:
        q = np.random.rand(16, 32, 128).astype(np.float32)   # tokens x heads x head_dim
        plan.apply(np.arange(16), q)                          # rotated in place

Arrays: float32 for f32 plans, float16 for f16 plans, and uint16 holding bfloat16 bits for bf16
plans (f32_to_bf16 and bf16_to_f32 convert). Errors: posenc.Error and its subclasses, with the
library's code and message. The library is found through POSENC_LIBRARY, next to the package,
or ctypes.util.find_library("posenc") (posenc._library says how).
"""
from ._library import LibraryNotFound, library_path
from .errors import (Error, NullError, ArgumentError, DimError, PositionError,
                     SizeOverflowError, NoMemoryError, UnsupportedError, NotFoundError,
                     KindError, FileIOError, FormatError, DTypeError, ShapeError, LayoutError)
from .halfbits import f32_to_bf16, bf16_to_f32
from .implementations import (Implementation, implementations, find, best, check_environment,
                              cpu_features, cpu_features_detected, stream_threshold)
from .plan import Plan, Scaling, MRope, Alibi
from .weights import Weights

__version__ = "0.1.0"

__all__ = [
    "Plan", "Scaling", "MRope", "Alibi", "Weights", "Implementation", "implementations",
    "find", "best", "check_environment", "cpu_features", "cpu_features_detected",
    "stream_threshold", "f32_to_bf16", "bf16_to_f32", "library_path", "LibraryNotFound",
    "Error", "NullError", "ArgumentError", "DimError", "PositionError", "SizeOverflowError",
    "NoMemoryError", "UnsupportedError", "NotFoundError", "KindError", "FileIOError",
    "FormatError", "DTypeError", "ShapeError", "LayoutError",
]
