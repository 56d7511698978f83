# posenc/implementations.py - the registry and dispatch information: implementations, CPU features.
import ctypes
from dataclasses import dataclass

from . import _cdefs as c
from ._library import library, text
from .errors import ArgumentError, check


@dataclass(frozen=True)
class Implementation:
    """One (encoding, backend) pair of the registry (posenc_impl's data members)."""
    name: str
    description: str
    kind: str
    cpu_features: frozenset
    algorithm: str
    flags: frozenset
    max_err_u: float
    max_pos: int
    supported: bool

    def __str__(self):
        return self.name


def _kind_value(kind):
    if isinstance(kind, str) and kind in c.KIND:
        return c.KIND[kind]
    raise ArgumentError(f"kind {kind!r}: expected one of {', '.join(c.KIND)}")


def _feature_names(bits):
    lib = library()
    names = []
    for i in range(64):
        if bits >> i & 1:
            n = lib.posenc_cpu_feature_name(1 << i)
            names.append(text(n) if n else f"bit{i}")
    return frozenset(names)


def _from_pointer(p):
    """An Implementation from a posenc_impl pointer, or None for NULL."""
    if not p:
        return None
    lib = library()
    d = p.contents
    return Implementation(
        name=text(d.name), description=text(d.description), kind=c.name_of(c.KIND, d.kind),
        cpu_features=_feature_names(d.cpu_features), algorithm=text(d.algorithm),
        flags=frozenset(k for k, v in c.IMPL_FLAGS.items() if d.flags & v),
        max_err_u=d.max_err_u, max_pos=d.max_pos,
        supported=bool(lib.posenc_impl_supported(p)))


def implementations(kind=None):
    """Every compiled-in implementation, in registry order (best first within a kind);
    only those of `kind` ("rotary", ...) when given."""
    lib = library()
    want = None if kind is None else _kind_value(kind)
    out = []
    for i in range(lib.posenc_impl_count()):
        p = lib.posenc_impl_at(i)
        if p and (want is None or p.contents.kind == want):
            out.append(_from_pointer(p))
    return out


def find(name):
    """The implementation called `name` ("rotary/avx2"), or None."""
    return _from_pointer(library().posenc_impl_find(name.encode()))


def best(kind):
    """What dispatch picks for `kind` on this CPU (POSENC_IMPL and POSENC_DISABLE_CPU_FEATURES
    included). An invalid environment raises its error (posenc_check_environment)."""
    lib = library()
    p = lib.posenc_impl_best(_kind_value(kind))
    if not p:
        check_environment()
    return _from_pointer(p)


def _impl_pointer(impl):
    """The library's descriptor for an Implementation, a name or None (dispatch)."""
    if impl is None:
        return None
    name = impl.name if isinstance(impl, Implementation) else impl
    if not isinstance(name, str):
        raise ArgumentError(f"impl must be a name or an Implementation, not {type(impl).__name__}")
    p = library().posenc_impl_find(name.encode())
    if not p:
        from .errors import NotFoundError
        raise NotFoundError(f"no implementation called {name!r} (posenc.implementations() lists "
                            "them)")
    return p


def check_environment():
    """Check POSENC_IMPL, POSENC_DISABLE_CPU_FEATURES and POSENC_STREAM_THRESHOLD; raise the
    library's error when one is invalid."""
    check(library().posenc_check_environment(), "posenc_check_environment")


def cpu_features():
    """Names of this CPU's features, less those POSENC_DISABLE_CPU_FEATURES hides."""
    return _feature_names(library().posenc_cpu_features())


def cpu_features_detected():
    """Names of this CPU's features as detected."""
    return _feature_names(library().posenc_cpu_features_detected())


def stream_threshold():
    """(bytes, source): the output size from which encode streams, and where it came from."""
    src = ctypes.c_char_p()
    n = library().posenc_stream_threshold(ctypes.byref(src))
    return n, text(src.value)
