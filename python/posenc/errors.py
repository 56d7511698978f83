# posenc/errors.py - the exceptions: one posenc.Error subclass per error code of posenc.h.
"""Every failure is a posenc.Error carrying the library's code.

Library failures carry the code the C function returned, posenc_strerror()'s name of it and
posenc_last_error()'s detailed message. Checks the package makes itself before calling the
library (dtypes, shapes, strides, writability) raise the same classes with the code the
library would have used and a message of their own; nothing has been written when any of them
is raised. Each class also derives from the closest built-in exception (ValueError, TypeError,
LookupError, MemoryError, OSError), so ordinary handlers catch them too.
"""
from . import _cdefs as c


class Error(Exception):
    """A posenc error. code: the negative posenc_error value; name: posenc_strerror(code);
    detail: posenc_last_error()'s text (or the package's own message); function: the C
    function that failed, or None when the package refused the call before making it."""

    code = 0

    def __init__(self, detail, code=None, name=None, function=None):
        if code is not None:
            self.code = code
        if name is None:
            from ._library import library, text
            name = text(library().posenc_strerror(self.code))
        self.name = name
        self.detail = detail
        self.function = function
        where = function if function else "posenc"
        super().__init__(f"{where}: {self.name}: {detail}" if detail else f"{where}: {self.name}")


class NullError(Error, ValueError):
    code = c.CODE["NULL"]


class ArgumentError(Error, ValueError):
    code = c.CODE["ARGUMENT"]


class DimError(Error, ValueError):
    code = c.CODE["DIM"]


class PositionError(Error, ValueError):
    code = c.CODE["POSITION"]


class SizeOverflowError(Error, OverflowError):
    code = c.CODE["OVERFLOW"]


class NoMemoryError(Error, MemoryError):
    code = c.CODE["NOMEM"]


class UnsupportedError(Error, RuntimeError):
    code = c.CODE["UNSUPPORTED"]


class NotFoundError(Error, LookupError):
    code = c.CODE["NOT_FOUND"]


class KindError(Error, ValueError):
    code = c.CODE["KIND"]


class FileIOError(Error, OSError):
    code = c.CODE["IO"]


class FormatError(Error, ValueError):
    code = c.CODE["FORMAT"]


class DTypeError(Error, TypeError):
    code = c.CODE["DTYPE"]


class ShapeError(Error, ValueError):
    code = c.CODE["SHAPE"]


class LayoutError(Error, ValueError):
    code = c.CODE["LAYOUT"]


BY_CODE = {cls.code: cls for cls in (NullError, ArgumentError, DimError, PositionError,
                                     SizeOverflowError, NoMemoryError, UnsupportedError,
                                     NotFoundError, KindError, FileIOError, FormatError,
                                     DTypeError, ShapeError, LayoutError)}


def check(rc, function):
    """Raise the exception of a nonzero return code of `function`, with the library's texts."""
    if rc == 0:
        return
    from ._library import library, text
    lib = library()
    name = text(lib.posenc_strerror(rc))
    detail = text(lib.posenc_last_error())
    cls = BY_CODE.get(rc, Error)
    raise cls(detail, code=rc, name=name, function=function)
