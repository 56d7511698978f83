# posenc/weights.py - learned tables (posenc_weights): loaded from files or copied from arrays.
import ctypes
import os

import numpy as np

from ._library import library
from ._owner import Owner, query
from .errors import ArgumentError, DTypeError, ShapeError, check


class Weights(Owner):
    """A learned table W (rows x dim, float32) owned by the library.

    Made by Weights.load_npy(path), Weights.load_safetensors(path, name) (the library's own
    loaders, with their checks) or Weights.from_array(a). Plans made from it keep it alive:
    close() (or leaving a `with` block) frees the table once no open plan uses it."""

    def __init__(self, _handle):
        self._handle = _handle
        self._users = 0
        self._closing = False

    @classmethod
    def load_npy(cls, path):
        out = ctypes.c_void_p()
        check(library().posenc_weights_load_npy(os.fsencode(path), ctypes.byref(out)),
              "posenc_weights_load_npy")
        return cls(out.value)

    @classmethod
    def load_safetensors(cls, path, name):
        if not isinstance(name, str):
            raise ArgumentError(f"tensor name must be a str, not {type(name).__name__}")
        out = ctypes.c_void_p()
        check(library().posenc_weights_load_safetensors(os.fsencode(path), name.encode(),
                                                        ctypes.byref(out)),
              "posenc_weights_load_safetensors")
        return cls(out.value)

    @classmethod
    def from_array(cls, a):
        """A copy of a 2-D float32 array (rows, dim); any strides (it is made contiguous)."""
        a = np.asarray(a)
        if a.dtype != np.float32:
            raise DTypeError(f"weights: dtype {a.dtype}, expected float32 (convert with "
                             ".astype(np.float32) if that rounding is wanted)")
        if a.ndim != 2:
            raise ShapeError(f"weights: shape {a.shape}, expected (rows, dim)")
        a = np.ascontiguousarray(a)
        out = ctypes.c_void_p()
        check(library().posenc_weights_from_array(a.shape[0], a.shape[1], a.ctypes.data,
                                                  ctypes.byref(out)),
              "posenc_weights_from_array")
        return cls(out.value)

    def _live(self):
        if self._handle is None or self._closing:
            raise ArgumentError("these weights are closed")
        return self._handle

    rows = query("posenc_weights_rows", "Rows of W: the positions a plan accepts.")
    dim = query("posenc_weights_dim", "Columns of W: the model dim.")

    @property
    def shape(self):
        return (self.rows, self.dim)

    def to_numpy(self):
        """A copy of the table as a float32 array (rows, dim)."""
        h = self._live()
        lib = library()
        rows, dim = lib.posenc_weights_rows(h), lib.posenc_weights_dim(h)
        buf = (ctypes.c_float * (rows * dim)).from_address(lib.posenc_weights_data(h))
        return np.frombuffer(buf, dtype=np.float32).reshape(rows, dim).copy()

    def _acquire(self):
        h = self._live()
        self._users += 1
        return h

    def _release(self):
        self._users -= 1
        if self._closing and self._users == 0:
            self._free()

    def _free(self):
        if self._handle is not None:
            library().posenc_weights_free(self._handle)
            self._handle = None

    def close(self):
        """Free the table now, or when the last plan made from it is closed (plans hold a
        reference, so none uses it when the weights are collected)."""
        self._closing = True
        if self._users == 0:
            self._free()

    @property
    def closed(self):
        return self._handle is None or self._closing

    def __repr__(self):
        if self.closed:
            return "<posenc.Weights closed>"
        return f"<posenc.Weights {self.rows} x {self.dim}>"
