# posenc/_library.py - finds libposenc.so and declares the C functions the package calls.
"""Loading libposenc.

The shared library is looked for, in this order:

1. the path in the environment variable POSENC_LIBRARY (a file; nothing else is tried when it
   is set, so a wrong path is an error rather than a silent fallback);
2. next to the installed package: libposenc.so* in the package folder itself, then in the
   library folder of the installation prefix the package sits under (<prefix>/lib and
   <prefix>/lib/<multiarch> for <prefix>/lib/pythonX.Y/site-packages/posenc);
3. ctypes.util.find_library("posenc"): the dynamic linker's search (ldconfig's cache,
   LD_LIBRARY_PATH).
"""
import ctypes
import ctypes.util
import glob
import os
import sysconfig

from . import _cdefs as c

ENV_VAR = "POSENC_LIBRARY"

_lib = None
_path = None


class LibraryNotFound(OSError):
    """libposenc.so could not be found or loaded; the message says where it was looked for."""


def _next_to_package():
    here = os.path.dirname(os.path.abspath(__file__))
    dirs = [here]
    # <prefix>/lib/pythonX.Y/site-packages/posenc -> <prefix>/lib (Debian: python3/dist-packages)
    site = os.path.dirname(here)
    if os.path.basename(site) in ("site-packages", "dist-packages"):
        libdir = os.path.dirname(os.path.dirname(site))
        dirs.append(libdir)
        multiarch = sysconfig.get_config_var("MULTIARCH")
        if multiarch:
            dirs.append(os.path.join(libdir, multiarch))
    for d in dirs:
        p = os.path.join(d, "libposenc.so")
        if os.path.isfile(p):
            return p, dirs
        found = sorted(glob.glob(os.path.join(d, "libposenc.so.*")))
        if found:
            return found[0], dirs
    return None, dirs


def _declare(lib):
    """Argument and result types of every function used, so that ctypes converts and checks."""
    P = ctypes.POINTER
    i64p = P(ctypes.c_int64)
    sigs = {
        "posenc_strerror": (ctypes.c_char_p, [ctypes.c_int]),
        "posenc_last_error": (ctypes.c_char_p, []),
        "posenc_kind_name": (ctypes.c_char_p, [ctypes.c_int]),
        "posenc_dtype_name": (ctypes.c_char_p, [ctypes.c_int]),
        "posenc_params_default": (c.Params, [ctypes.c_int, ctypes.c_int32]),
        "posenc_weights_load_npy": (ctypes.c_int, [ctypes.c_char_p, P(ctypes.c_void_p)]),
        "posenc_weights_load_safetensors": (ctypes.c_int, [ctypes.c_char_p, ctypes.c_char_p,
                                                           P(ctypes.c_void_p)]),
        "posenc_weights_from_array": (ctypes.c_int, [ctypes.c_int64, ctypes.c_int32,
                                                     ctypes.c_void_p, P(ctypes.c_void_p)]),
        "posenc_weights_rows": (ctypes.c_int64, [ctypes.c_void_p]),
        "posenc_weights_dim": (ctypes.c_int32, [ctypes.c_void_p]),
        "posenc_weights_data": (ctypes.c_void_p, [ctypes.c_void_p]),
        "posenc_weights_free": (None, [ctypes.c_void_p]),
        "posenc_cpu_features": (ctypes.c_uint64, []),
        "posenc_cpu_features_detected": (ctypes.c_uint64, []),
        "posenc_cpu_feature_name": (ctypes.c_char_p, [ctypes.c_uint64]),
        "posenc_stream_threshold": (ctypes.c_size_t, [P(ctypes.c_char_p)]),
        "posenc_impl_count": (ctypes.c_size_t, []),
        "posenc_impl_at": (P(c.Impl), [ctypes.c_size_t]),
        "posenc_impl_find": (P(c.Impl), [ctypes.c_char_p]),
        "posenc_impl_supported": (ctypes.c_int, [P(c.Impl)]),
        "posenc_impl_best": (P(c.Impl), [ctypes.c_int]),
        "posenc_check_environment": (ctypes.c_int, []),
        "posenc_plan_create": (ctypes.c_int, [P(c.Impl), P(c.Params), P(ctypes.c_void_p)]),
        "posenc_plan_destroy": (None, [ctypes.c_void_p]),
        "posenc_plan_impl": (P(c.Impl), [ctypes.c_void_p]),
        "posenc_plan_params": (P(c.Params), [ctypes.c_void_p]),
        "posenc_plan_row_size": (ctypes.c_size_t, [ctypes.c_void_p]),
        "posenc_plan_attention_factor": (ctypes.c_double, [ctypes.c_void_p]),
        "posenc_plan_table_bytes": (ctypes.c_size_t, [ctypes.c_void_p]),
        "posenc_plan_max_pos": (ctypes.c_int64, [ctypes.c_void_p]),
        "posenc_encode": (ctypes.c_int, [ctypes.c_void_p, i64p, ctypes.c_size_t,
                                         ctypes.c_void_p]),
        "posenc_apply": (ctypes.c_int, [ctypes.c_void_p, i64p, ctypes.c_size_t, ctypes.c_void_p,
                                        P(c.Layout)]),
        "posenc_alibi_apply": (ctypes.c_int, [ctypes.c_void_p, i64p, ctypes.c_size_t, i64p,
                                              ctypes.c_size_t, ctypes.c_void_p,
                                              P(c.ScoreLayout)]),
    }
    for name, (res, args) in sigs.items():
        fn = getattr(lib, name)
        fn.restype = res
        fn.argtypes = args


def _load(path, where):
    """The library at `path` with its functions declared; LibraryNotFound when it does not
    load (another architecture, a missing dependency, an older library without a function)."""
    try:
        lib = ctypes.CDLL(path)
        _declare(lib)
    except (OSError, AttributeError) as e:
        raise LibraryNotFound(f"{where} {path!r} could not be loaded: {e}") from None
    return lib


def library():
    """The loaded library (ctypes.CDLL), loading it on first use."""
    global _lib, _path
    if _lib is not None:
        return _lib
    tried = []
    env = os.environ.get(ENV_VAR)
    if env:
        if not os.path.isfile(env):
            raise LibraryNotFound(f"{ENV_VAR}={env!r} is not a file (unset it to search the "
                                  "package folder and the linker's path)")
        _lib, _path = _load(env, ENV_VAR), env
        return _lib
    tried.append(f"${ENV_VAR} (not set)")
    path, dirs = _next_to_package()
    if path:
        _lib, _path = _load(path, "the library next to the package,"), path
        return _lib
    tried.append("next to the package: " + ", ".join(dirs))
    name = ctypes.util.find_library("posenc")
    if name:
        _lib, _path = _load(name, 'ctypes.util.find_library("posenc") found'), name
        return _lib
    tried.append('ctypes.util.find_library("posenc") (nothing)')
    raise LibraryNotFound("libposenc.so not found; looked at " + "; ".join(tried) +
                          f". Set {ENV_VAR} to the library's path (for a build tree: "
                          "build/libposenc.so).")


def library_path():
    """Where the loaded library came from (a path, or the name find_library gave)."""
    library()
    return _path


def text(b):
    return b.decode("utf-8", "replace") if b is not None else None
