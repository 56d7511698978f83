# python/tests/test_binding.py - the binding against the library and independent references.
"""Run by ctest (python/CMakeLists.txt) with POSENC_LIBRARY set to the built libposenc.so and
PYTHONPATH to python/. Exits 77 when NumPy is missing."""
import json
import os
import struct
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import support  # noqa: E402

support.skip_unless("numpy", "the binding needs NumPy (Debian: python3-numpy)")
import numpy as np  # noqa: E402
from numpy.lib.stride_tricks import as_strided  # noqa: E402

import posenc  # noqa: E402
from posenc._library import library, text  # noqa: E402

U = support.U
RNG = np.random.default_rng(20261206)


# ---- NumPy references ------------------------------------------------------------------------
def freqs64(n, base):
    return base ** (-np.arange(0, n, 2, dtype=np.float64) / n)


def recipe_inv_freq(base, n):
    """The fp32 recipe's inv_freq in float32 NumPy: 1.0f / powf((float)base, (float)2i / (float)n),
    powf correctly rounded (a double power rounded once to float)."""
    b = np.float32(base)
    e = np.arange(0, n, 2).astype(np.float32) / np.float32(n)
    pw = (np.float64(b) ** e.astype(np.float64)).astype(np.float32)
    return np.float32(1.0) / pw


def cr_cos_sin(angle32):
    """cos and sin of float32 angles, correctly rounded to float32 (through double)."""
    a = angle32.astype(np.float64)
    return np.cos(a).astype(np.float32), np.sin(a).astype(np.float32)


def rotate_half32(x, cos, sin):
    """posenc's rotation in float32 NumPy on half-split pairs: (a c - b s, a s + b c)."""
    r = cos.shape[-1] * 2
    a, b = x[..., : r // 2], x[..., r // 2: r]
    out = x.copy()
    out[..., : r // 2] = a * cos - b * sin
    out[..., r // 2: r] = a * sin + b * cos
    return out


def bits(a):
    a = np.ascontiguousarray(a)
    return a.view({4: np.uint32, 2: np.uint16}[a.dtype.itemsize])


class PosencCase(unittest.TestCase):
    def assertSameBits(self, a, b, msg=None):
        self.assertEqual(a.shape, b.shape, msg)
        diff = np.flatnonzero(bits(a) != bits(b))
        if diff.size:
            i = diff[0]
            self.fail(f"{diff.size} elements differ, first at {i}: {a.reshape(-1)[i]!r} vs "
                      f"{b.reshape(-1)[i]!r}" + (f" ({msg})" if msg else ""))

    def assertPosencError(self, cls, function, fn, *args, **kw):
        """fn raises cls with its code, posenc_strerror's name and posenc_last_error's text
        (function: the C function, or None for a check the package makes first)."""
        with self.assertRaises(cls) as cm:
            fn(*args, **kw)
        e = cm.exception
        if function is not None:
            last = text(library().posenc_last_error())
            self.assertEqual(e.detail, last)
        self.assertTrue(e.detail, "the exception carries a message")
        self.assertEqual(e.code, cls.code)
        self.assertEqual(e.name, text(library().posenc_strerror(cls.code)))
        self.assertEqual(e.function, function)
        self.assertIn(e.detail, str(e))
        return e


# ---- the library and the registry ------------------------------------------------------------
class TestLibrary(PosencCase):
    def test_found_through_environment(self):
        self.assertEqual(posenc.library_path(), os.environ["POSENC_LIBRARY"])

    def child(self, code, **env):
        e = dict(os.environ)
        for k, v in env.items():
            if v is None:
                e.pop(k, None)
            else:
                e[k] = v
        return subprocess.run([sys.executable, "-c", code], env=e, capture_output=True,
                              text=True, timeout=120)

    def test_not_found_says_where_it_looked(self):
        r = self.child("import posenc\ntry:\n posenc.implementations()\n"
                       "except posenc.LibraryNotFound as e: print('NF', e)",
                       POSENC_LIBRARY="/nonexistent/libposenc.so")
        self.assertIn("NF POSENC_LIBRARY='/nonexistent/libposenc.so' is not a file", r.stdout,
                      r.stderr)
        # a file that is not a library
        r = self.child("import posenc\ntry:\n posenc.implementations()\n"
                       "except posenc.LibraryNotFound as e: print('NF', e)",
                       POSENC_LIBRARY=os.path.abspath(__file__))
        self.assertIn(f"NF POSENC_LIBRARY {os.path.abspath(__file__)!r} could not be loaded",
                      r.stdout, r.stderr)
        # nothing set, nothing next to the package, and the linker's path made empty
        r = self.child("import posenc, ctypes.util\nctypes.util.find_library = lambda n: None\n"
                       "try:\n posenc.implementations()\n"
                       "except posenc.LibraryNotFound as e: print('NF', e)",
                       POSENC_LIBRARY=None)
        self.assertIn("NF libposenc.so not found", r.stdout, r.stderr)
        for where in ("$POSENC_LIBRARY (not set)", "next to the package",
                      'ctypes.util.find_library("posenc")'):
            self.assertIn(where, r.stdout)

    def test_found_next_to_the_package(self):
        """Without POSENC_LIBRARY: the package folder, then <prefix>/lib of an installed one."""
        import shutil
        pkg = os.path.dirname(posenc.__file__)
        lib = os.environ["POSENC_LIBRARY"]
        with tempfile.TemporaryDirectory() as tmp:
            inside = os.path.join(tmp, "a")
            shutil.copytree(pkg, os.path.join(inside, "posenc"))
            shutil.copy(lib, os.path.join(inside, "posenc", "libposenc.so"))
            site = os.path.join(tmp, "prefix", "lib", "python3", "dist-packages")
            shutil.copytree(pkg, os.path.join(site, "posenc"))
            shutil.copy(lib, os.path.join(tmp, "prefix", "lib", "libposenc.so.0"))
            for where, want in ((inside, os.path.join(inside, "posenc", "libposenc.so")),
                                (site, os.path.join(tmp, "prefix", "lib", "libposenc.so.0"))):
                r = self.child("import posenc\nprint(posenc.library_path())\n"
                               "print(posenc.best('rotary').name)",
                               POSENC_LIBRARY=None, PYTHONPATH=where)
                self.assertEqual(r.stdout.splitlines(), [want, posenc.best("rotary").name],
                                 r.stderr)

    def test_registry(self):
        impls = posenc.implementations()
        lib = library()
        self.assertEqual(len(impls), lib.posenc_impl_count())
        for i, im in enumerate(impls):
            self.assertEqual(im.name, text(lib.posenc_impl_at(i).contents.name))
            self.assertEqual(posenc.find(im.name), im)
            self.assertTrue(im.name.startswith(im.kind + "/"))
        self.assertIsNone(posenc.find("rotary/none"))
        for kind in ("sinusoidal", "learned", "rotary", "alibi"):
            b = posenc.best(kind)
            self.assertTrue(b.supported)
            self.assertNotIn("explicit_only", b.flags)
            self.assertEqual(b, next(i for i in posenc.implementations(kind)
                                     if i.supported and "explicit_only" not in i.flags))
        self.assertTrue(posenc.cpu_features() <= posenc.cpu_features_detected())
        n, src = posenc.stream_threshold()
        self.assertGreater(n, 0)
        self.assertIn(src, ("POSENC_STREAM_THRESHOLD", "cpuid", "sysfs", "default"))

    def test_dispatch_environment(self):
        code = ("import posenc\ntry:\n print(posenc.best('rotary').name)\n"
                " print(sorted(posenc.cpu_features()))\n"
                " posenc.check_environment()\n"
                "except posenc.Error as e: print(type(e).__name__, e.code, e)\n")
        r = self.child(code, POSENC_DISABLE_CPU_FEATURES="all")
        self.assertEqual(r.stdout.splitlines()[:2], ["rotary/scalar", "[]"], r.stderr)
        r = self.child(code, POSENC_IMPL="rotary/nonesuch")
        self.assertIn("NotFoundError -8", r.stdout, r.stderr)
        self.assertIn("rotary/nonesuch", r.stdout)
        r = self.child(code, POSENC_DISABLE_CPU_FEATURES="nonesuch")
        self.assertIn("ArgumentError -2", r.stdout, r.stderr)
        # a forced implementation whose features are hidden (any vector one built here)
        vec = [i.name for i in posenc.implementations("rotary") if i.cpu_features]
        if not vec:
            self.skipTest("no vector implementation built: UNSUPPORTED cannot be provoked")
        r = self.child(f"import posenc\ntry:\n posenc.Plan('rotary', 64, impl='{vec[0]}')\n"
                       "except posenc.Error as e: print(type(e).__name__, e.code, e)",
                       POSENC_DISABLE_CPU_FEATURES="all")
        self.assertIn("UnsupportedError -7 posenc_plan_create:", r.stdout, r.stderr)


# ---- parameters reach the library as given ---------------------------------------------------
class TestParams(PosencCase):
    def test_round_trip(self):
        short = np.linspace(1.0, 2.0, 32)
        long_ = np.linspace(3.0, 9.0, 32)
        s = posenc.Scaling("longrope", factor=32.0, original_max_positions=4096, seq_len=9000,
                           attention_factor=1.25, short_factor=short, long_factor=long_)
        with posenc.Plan("rotary", 80, rotary_dim=64, base=12345.0, pairing="interleaved",
                         angle_mode="fp32", scaling=s, max_positions=777, dtype="bf16",
                         mrope=posenc.MRope("interleaved", (12, 10, 10))) as p:
            q = p.params
            self.assertEqual((q["kind"], q["dim"], q["rotary_dim"], q["base"], q["pairing"],
                              q["angle_mode"], q["max_positions"], q["dtype"]),
                             ("rotary", 80, 64, 12345.0, "interleaved", "fp32", 777, "bf16"))
            self.assertEqual(q["mrope"], posenc.MRope("interleaved", (12, 10, 10)))
            sc = q["scaling"]
            self.assertEqual((sc.type, sc.factor, sc.original_max_positions, sc.seq_len,
                              sc.attention_factor), ("longrope", 32.0, 4096, 9000, 1.25))
            self.assertEqual(sc.short_factor, list(short))
            self.assertEqual(sc.long_factor, list(long_))
            self.assertEqual(p.attention_factor, 1.25)
            self.assertEqual(p.max_pos, 777)
            self.assertEqual(p.row_size, 64)
            self.assertEqual(p.dtype, "bf16")
        y = posenc.Scaling("yarn", factor=40.0, original_max_positions=4096, beta_fast=16.0,
                           beta_slow=2.0, mscale=0.707, mscale_all_dim=0.5, no_truncate=True)
        with posenc.Plan("rotary", 64, scaling=y) as p:
            sc = p.params["scaling"]
            self.assertEqual((sc.type, sc.factor, sc.beta_fast, sc.beta_slow, sc.mscale,
                              sc.mscale_all_dim, sc.no_truncate),
                             ("yarn", 40.0, 16.0, 2.0, 0.707, 0.5, True))
            g = lambda s, m: 0.1 * m * np.log(s) + 1.0  # noqa: E731
            self.assertAlmostEqual(p.attention_factor, g(40, 0.707) / g(40, 0.5), places=14)
        l3 = posenc.Scaling("llama3", factor=8.0, low_freq_factor=1.0, high_freq_factor=4.0,
                            original_max_positions=8192)
        with posenc.Plan("rotary", 128, scaling=l3, impl="rotary/scalar") as p:
            sc = p.params["scaling"]
            self.assertEqual((sc.low_freq_factor, sc.high_freq_factor), (1.0, 4.0))
            self.assertEqual(p.impl.name, "rotary/scalar")
        with posenc.Plan("alibi", 12, alibi=posenc.Alibi(4.0, "key_only"), dtype="f16") as p:
            self.assertEqual(p.params["alibi"], posenc.Alibi(4.0, "key_only"))
            self.assertEqual(p.row_size, 12)
        with posenc.Plan("sinusoidal", 64, pairing="half", base=0) as p:
            self.assertEqual((p.params["base"], p.params["pairing"]), (10000.0, "half"))


# ---- computed encodings against independent references ---------------------------------------
class TestSinusoidal(PosencCase):
    def test_exact_against_float64(self):
        d, base = 64, 10000.0
        pos = np.concatenate([np.arange(0, 64), RNG.integers(0, 10**6, 200)])
        w = freqs64(d, base)
        ang = pos[:, None].astype(np.float64) * w
        for pairing in ("interleaved", "half"):
            with posenc.Plan("sinusoidal", d, pairing=pairing) as p:
                pe = p.encode(pos).astype(np.float64)
                bound = p.impl.max_err_u * U + 1e-9   # float64 angles at 1e6: ~1e-10
                if pairing == "interleaved":
                    s, c = pe[:, 0::2], pe[:, 1::2]
                else:
                    s, c = pe[:, : d // 2], pe[:, d // 2:]
                self.assertLess(np.abs(s - np.sin(ang)).max(), bound)
                self.assertLess(np.abs(c - np.cos(ang)).max(), bound)
                # apply adds the encoded row, rounded once in float32
                x = RNG.standard_normal((len(pos), 2, d)).astype(np.float32)
                want = x + p.encode(pos)[:, None, :]
                self.assertSameBits(p.apply(pos, x.copy()), want)

    def test_exact_at_long_positions(self):
        d, base = 16, 10000.0
        pos = np.array([2**31 - 1, 2**31 - 2, 1234567890, 10**9 + 7])
        with posenc.Plan("sinusoidal", d) as p:
            pe = p.encode(pos)
            bound = p.impl.max_err_u * U
            for r, pp in enumerate(pos):
                for i in range(d // 2):
                    s, c = support.ref_sincos(int(pp), i, d, base)
                    self.assertLessEqual(abs(pe[r, 2 * i] - s), bound, (pp, i))
                    self.assertLessEqual(abs(pe[r, 2 * i + 1] - c), bound, (pp, i))


class TestRotary(PosencCase):
    def test_exact_encode_at_long_positions(self):
        """cos/sin rows within 4u of a 45-digit reference up to 2^31 - 1."""
        n, base = 32, 500000.0
        pos = np.array([0, 1, 4095, 131071, 10**6, 2**24 + 1, 999999937, 2**31 - 1])
        with posenc.Plan("rotary", n, base=base) as p:
            row = p.encode(pos)
            worst = 0.0
            for r, pp in enumerate(pos):
                for i in range(n // 2):
                    s, c = support.ref_sincos(int(pp), i, n, base)
                    worst = max(worst, abs(row[r, i] - c), abs(row[r, n // 2 + i] - s))
            self.assertLessEqual(worst, 4 * U)

    def test_exact_apply_against_float64(self):
        """Rotated pairs within 8u max(|a|, |b|) of a float64 rotation, at positions below 2^24
        where the float64 angle's own error (at most 2^24 2^-52) is added to the bound."""
        for n, base in ((128, 10000.0), (64, 1e6)):
            pos = np.concatenate([np.arange(8), RNG.integers(0, 2**24, 56)])
            x = RNG.uniform(-2, 2, (len(pos), 4, n)).astype(np.float32)
            with posenc.Plan("rotary", n, base=base) as p:
                y = p.apply(pos, x.copy()).astype(np.float64)
                bound_u = p.impl.max_err_u
            ang = pos[:, None, None].astype(np.float64) * freqs64(n, base)
            a, b = x[..., : n // 2].astype(np.float64), x[..., n // 2:].astype(np.float64)
            ra, rb = a * np.cos(ang) - b * np.sin(ang), a * np.sin(ang) + b * np.cos(ang)
            scale = np.maximum(np.abs(a), np.abs(b))
            ref_err = 2**24 * 2.0**-52 * scale   # the float64 angle's own error at 2^24
            tol = bound_u * U * scale + 2.0**-149 + ref_err
            self.assertTrue(np.all(np.abs(y[..., : n // 2] - ra) <= tol))
            self.assertTrue(np.all(np.abs(y[..., n // 2:] - rb) <= tol))

    def test_apply_is_encode_rotation(self):
        """apply equals the rotation by encode's cos/sin in float32 NumPy, bit for bit, on
        strided views (q and k of a fused qkv buffer, GQA head counts); v and padding keep
        their bits."""
        T, hq, hk, d = 9, 6, 2, 64
        buf = RNG.standard_normal((T, hq + 2 * hk + 1, d)).astype(np.float32)
        orig = buf.copy()
        q, k = buf[:, :hq, :], buf[:, hq: hq + hk, :]
        pos = RNG.integers(0, 2**31, T)
        with posenc.Plan("rotary", d, base=1e6) as p:
            row = p.encode(pos)
            cos, sin = row[:, None, : d // 2], row[:, None, d // 2:]
            p.apply(pos, q)
            p.apply(pos, k)
        self.assertSameBits(buf[:, :hq], rotate_half32(orig[:, :hq], cos, sin))
        self.assertSameBits(buf[:, hq: hq + hk], rotate_half32(orig[:, hq: hq + hk], cos, sin))
        self.assertSameBits(buf[:, hq + hk:], orig[:, hq + hk:])

    def test_partial_interleaved(self):
        d, r = 256, 64   # GPT-J
        pos = np.arange(5) * 1000
        x = RNG.standard_normal((5, d)).astype(np.float32)
        with posenc.Plan("rotary", d, rotary_dim=r, pairing="interleaved") as p:
            row = p.encode(pos)
            y = p.apply(pos, x.copy())
        c, s = row[:, : r // 2], row[:, r // 2:]
        a, b = x[:, 0:r:2], x[:, 1:r:2]
        self.assertSameBits(y[:, 0:r:2], a * c - b * s)
        self.assertSameBits(y[:, 1:r:2], a * s + b * c)
        self.assertSameBits(y[:, r:], x[:, r:])

    def test_fp32_mode_is_the_float32_recipe(self):
        for n, base in ((128, 10000.0), (128, 500000.0), (64, 1e6)):
            pos = np.concatenate([np.arange(16), [4095, 131071, 10**6, 2**24 + 3, 2**31 - 1]])
            with posenc.Plan("rotary", n, base=base, angle_mode="fp32") as p:
                row = p.encode(pos)
            ang = pos.astype(np.float32)[:, None] * recipe_inv_freq(base, n)
            c, s = cr_cos_sin(ang)
            self.assertSameBits(row, np.concatenate([c, s], axis=1), (n, base))

    def test_half_angle_modes(self):
        n, base = 64, 10000.0
        pos = np.array([0, 1, 2, 100, 2047, 2048, 65519])
        inv = recipe_inv_freq(base, n)
        ang32 = pos.astype(np.float32)[:, None] * inv
        with posenc.Plan("rotary", n, angle_mode="bf16") as p:
            ang = posenc.bf16_to_f32(posenc.f32_to_bf16(ang32))
            self.assertSameBits(p.encode(pos), np.concatenate(cr_cos_sin(ang), axis=1))
        with posenc.Plan("rotary", n, angle_mode="fp16") as p:
            self.assertEqual(p.max_pos, 65520)
            ph = pos.astype(np.float32).astype(np.float16).astype(np.float32)
            ang = (ph[:, None] * inv.astype(np.float16).astype(np.float32)).astype(np.float16)
            self.assertSameBits(p.encode(pos),
                                np.concatenate(cr_cos_sin(ang.astype(np.float32)), axis=1))
            self.assertPosencError(posenc.PositionError, "posenc_encode", p.encode, [65520])

    def test_variants_exact(self):
        """Each scaling type's frequencies from HF's definitions in float64; the encoded rows
        within 4u times the attention factor."""
        n, base = 64, 10000.0
        w = freqs64(n, base)
        lam = 2 * np.pi / w
        pos = np.array([0, 3, 1000, 77777, 500000])
        L0 = 4096
        cases = []
        cases.append((posenc.Scaling("linear", factor=4.0), w / 4, 1.0))
        cases.append((posenc.Scaling("ntk", factor=4.0),
                      freqs64(n, base * 4.0 ** (n / (n - 2))), 1.0))
        L = 10000
        cases.append((posenc.Scaling("dynamic", factor=2.0, original_max_positions=L0,
                                     seq_len=L),
                      freqs64(n, base * (2.0 * L / L0 - 1.0) ** (n / (n - 2))), 1.0))
        lo, hi = L0 / 1.0, L0 / 4.0
        t = (L0 / lam - 1.0) / (4.0 - 1.0)
        l3 = np.where(lam < hi, w, np.where(lam > lo, w / 8, (1 - t) * w / 8 + t * w))
        cases.append((posenc.Scaling("llama3", factor=8.0, low_freq_factor=1.0,
                                     high_freq_factor=4.0, original_max_positions=L0), l3, 1.0))
        fs = np.linspace(1.0, 5.0, n // 2)
        fl = np.linspace(2.0, 40.0, n // 2)
        att = np.sqrt(1 + np.log(16.0) / np.log(L0))
        cases.append((posenc.Scaling("longrope", factor=16.0, original_max_positions=L0,
                                     seq_len=L0 + 1, short_factor=fs, long_factor=fl),
                      w / fl, att))
        cases.append((posenc.Scaling("longrope", factor=16.0, original_max_positions=L0,
                                     seq_len=100, short_factor=fs, long_factor=fl), w / fs, att))

        def corr(beta):
            return n * np.log(L0 / (beta * 2 * np.pi)) / (2 * np.log(base))
        low = max(np.floor(corr(32.0)), 0)
        high = min(np.ceil(corr(1.0)), n - 1)
        r = np.clip((np.arange(n // 2) - low) / (high - low), 0, 1)
        cases.append((posenc.Scaling("yarn", factor=4.0, original_max_positions=L0),
                      w * ((1 - r) + r / 4.0),
                      0.1 * np.log(4.0) + 1))
        for sc, wv, att in cases:
            with posenc.Plan("rotary", n, base=base, scaling=sc) as p:
                self.assertAlmostEqual(p.attention_factor, att, places=12, msg=sc.type)
                row = p.encode(pos).astype(np.float64)
            ang = pos[:, None] * wv
            err = max(np.abs(row[:, : n // 2] - att * np.cos(ang)).max(),
                      np.abs(row[:, n // 2:] - att * np.sin(ang)).max())
            self.assertLessEqual(err, 4 * U * att + 1e-9, sc)

    def test_mrope(self):
        n = 128
        sec = (16, 24, 24)
        t = 5
        axes = RNG.integers(0, 10**6, (3, t))
        with posenc.Plan("rotary", n, mrope=posenc.MRope("sections", sec)) as m, \
                posenc.Plan("rotary", n) as plain:
            # a text token: the same value on every axis gives plain RoPE's bits
            same = np.tile(axes[0], (3, 1))
            self.assertSameBits(m.encode(same), plain.encode(axes[0]))
            self.assertSameBits(m.encode(same.reshape(-1)), plain.encode(axes[0]))
            row = m.encode(axes)
            owner = np.repeat([0, 1, 2], sec)
            for a in range(3):
                ref = plain.encode(axes[a])
                cols = np.flatnonzero(owner == a)
                self.assertSameBits(row[:, cols], ref[:, cols])
                self.assertSameBits(row[:, n // 2 + cols], ref[:, n // 2 + cols])
            x = RNG.standard_normal((t, 2, n)).astype(np.float32)
            self.assertSameBits(m.apply(axes, x.copy()),
                                rotate_half32(x, row[:, None, : n // 2], row[:, None, n // 2:]))
            self.assertPosencError(posenc.ShapeError, None, m.encode, [1, 2])


class TestHalfTypes(PosencCase):
    def test_bf16_helpers(self):
        f = np.array([1.0, -2.5, 1 + 2**-8, 1 + 3 * 2**-8, 1 + 2**-9, 3.4e38, np.inf, -0.0,
                      1e-40, np.nan, -np.nan], dtype=np.float32)
        b = posenc.f32_to_bf16(f)
        want = [0x3F80, 0xC020, 0x3F80, 0x3F82, 0x3F80, 0x7F80, 0x7F80, 0x8000, 0x0001,
                0x7FC0, 0x7FC0]
        self.assertEqual(list(b), want)
        self.assertSameBits(posenc.bf16_to_f32(b[:4]), np.array([1.0, -2.5, 1.0, 1 + 2**-6],
                                                               np.float32))
        every = np.arange(65536, dtype=np.uint16)
        finite = every[np.isfinite(posenc.bf16_to_f32(every))]
        self.assertSameBits(posenc.f32_to_bf16(posenc.bf16_to_f32(finite)), finite)

    def test_16bit_data_is_the_float_path_rounded_once(self):
        T, H, d = 7, 3, 64
        pos = RNG.integers(0, 2**31, T)
        x32 = RNG.uniform(-3, 3, (T, H, d)).astype(np.float32)
        xb = posenc.f32_to_bf16(x32)
        xh = x32.astype(np.float16)
        for kind in ("rotary", "sinusoidal"):
            with posenc.Plan(kind, d) as p32, posenc.Plan(kind, d, dtype="bf16") as pb, \
                    posenc.Plan(kind, d, dtype="f16") as ph:
                self.assertSameBits(pb.encode(pos), posenc.f32_to_bf16(p32.encode(pos)))
                self.assertSameBits(ph.encode(pos), p32.encode(pos).astype(np.float16))
                yb = pb.apply(pos, xb.copy())
                self.assertEqual(yb.dtype, np.uint16)
                self.assertSameBits(yb, posenc.f32_to_bf16(
                    p32.apply(pos, posenc.bf16_to_f32(xb).copy())))
                yh = ph.apply(pos, xh.copy())
                self.assertSameBits(yh, p32.apply(pos, xh.astype(np.float32)).astype(np.float16))


class TestAlibi(PosencCase):
    def slopes(self, H, b=8.0):
        P = 1 << (H.bit_length() - 1)
        m = [2.0 ** (-b * h / P) for h in range(1, P + 1)]
        if P < H:
            m += [2.0 ** (-b * h / (2 * P)) for h in range(1, 2 * P, 2)][: H - P]
        return np.array(m)

    def test_forms_against_float64(self):
        for H in (8, 12):
            m = self.slopes(H)
            qp = np.array([0, 5, 6, 1000, 2**31 - 1])
            kp = np.array([0, 1, 6, 7, 999, 2**31 - 2])
            d = qp[:, None] - kp[None, :]
            s0 = RNG.standard_normal((H, len(qp), len(kp))).astype(np.float32)
            for form in ("causal", "full", "key_only"):
                with posenc.Plan("alibi", H, alibi=posenc.Alibi(form=form)) as p:
                    s = p.alibi_apply(qp, kp, s0.copy())
                if form == "key_only":
                    bias = (m[:, None, None] * kp[None, None, :]).astype(np.float32)
                else:
                    bias = (-m[:, None, None] * np.abs(d)[None]).astype(np.float32)
                want = s0 + np.broadcast_to(bias, s0.shape)
                if form == "causal":
                    want = np.where(d[None] < 0, np.float32(-np.inf), want)
                self.assertSameBits(s, want, (H, form))
            with posenc.Plan("alibi", H) as p:
                self.assertSameBits(p.encode(np.arange(4)),
                                    -(np.arange(4)[:, None] * m[None, :]).astype(np.float32))

    def test_fp32_mpt_recipe_and_shards(self):
        H, b = 16, 8.0
        q = np.arange(0, 40, 3)
        k = np.arange(0, 41, 2)
        hs = np.arange(1, H + 1, dtype=np.float32)
        pw = (2.0 ** (hs * np.float32(b / H)).astype(np.float64)).astype(np.float32)
        m = np.float32(1.0) / pw
        full = np.zeros((H, len(q), len(k)), np.float32)
        with posenc.Plan("alibi", H, angle_mode="fp32", alibi=posenc.Alibi(form="full")) as p:
            p.alibi_apply(q, k, full)
            dist = np.abs(q[:, None] - k[None, :]).astype(np.float32)
            self.assertSameBits(full, np.float32(0) + -(dist[None] * m[:, None, None]))
            # heads 4..9 into a padded buffer: the same values, padding kept
            pad = np.full((6, len(q) + 1, len(k) + 3), 7.0, np.float32)
            view = pad[:, : len(q), 1: len(k) + 1]
            view[...] = 0
            p.alibi_apply(q, k, view, first_head=4)
            self.assertSameBits(view, full[4:10])
            self.assertTrue(np.all(pad[:, len(q):, :] == 7) and np.all(pad[:, :, 0] == 7))
            self.assertPosencError(posenc.LayoutError, None, p.alibi_apply, q, k, view,
                                   first_head=11)
            self.assertPosencError(posenc.KindError, None, p.apply, q, full)


class TestLearned(PosencCase):
    def write_safetensors(self, path, tensors, extra=b""):
        header, data, off = {}, b"", 0
        for name, (dtype, arr) in tensors.items():
            raw = arr.tobytes()
            header[name] = {"dtype": dtype, "shape": list(arr.shape),
                            "data_offsets": [off, off + len(raw)]}
            data += raw
            off += len(raw)
        h = json.dumps(header).encode()
        with open(path, "wb") as f:
            f.write(struct.pack("<Q", len(h)) + h + data + extra)

    def test_loaders_and_kernels(self):
        W = RNG.standard_normal((50, 24)).astype(np.float32)
        with tempfile.TemporaryDirectory() as tmp:
            npy = os.path.join(tmp, "wpe.npy")
            np.save(npy, W)
            st = os.path.join(tmp, "model.safetensors")
            self.write_safetensors(st, {"wpe.weight": ("F32", W),
                                        "h16": ("F16", W.astype(np.float16)),
                                        "b16": ("BF16", posenc.f32_to_bf16(W))})
            tables = [posenc.Weights.load_npy(npy), posenc.Weights.from_array(W[:, :]),
                      posenc.Weights.load_safetensors(st, "wpe.weight")]
            for w in tables:
                self.assertEqual(w.shape, W.shape)
                self.assertSameBits(w.to_numpy(), W)
            with posenc.Weights.load_safetensors(st, "h16") as w:
                self.assertSameBits(w.to_numpy(), W.astype(np.float16).astype(np.float32))
            with posenc.Weights.load_safetensors(st, "b16") as w:
                self.assertSameBits(w.to_numpy(), posenc.bf16_to_f32(posenc.f32_to_bf16(W)))
            pos = np.array([0, 49, 7, 7, 20])
            x = RNG.standard_normal((5, 2, 24)).astype(np.float32)
            for w in tables:
                with posenc.Plan("learned", 24, weights=w) as p:
                    self.assertEqual(p.max_pos, 50)
                    self.assertSameBits(p.encode(pos), W[pos])
                    self.assertSameBits(p.apply(pos, x.copy()), x + W[pos][:, None, :])
                    self.assertPosencError(posenc.PositionError, "posenc_apply", p.apply,
                                           [0, 1, 2, 3, 50], x.copy())
                w.close()

            # the loaders' errors
            bad = os.path.join(tmp, "f64.npy")
            np.save(bad, W.astype(np.float64))
            self.assertPosencError(posenc.DTypeError, "posenc_weights_load_npy",
                                   posenc.Weights.load_npy, bad)
            np.save(bad, W[0])
            self.assertPosencError(posenc.ShapeError, "posenc_weights_load_npy",
                                   posenc.Weights.load_npy, bad)
            with open(npy, "rb") as f:
                whole = f.read()
            with open(bad, "wb") as f:
                f.write(whole[:-5])
            self.assertPosencError(posenc.FormatError, "posenc_weights_load_npy",
                                   posenc.Weights.load_npy, bad)
            e = self.assertPosencError(posenc.FileIOError, "posenc_weights_load_npy",
                                       posenc.Weights.load_npy, tmp)
            self.assertIsInstance(e, OSError)
            self.assertPosencError(posenc.NotFoundError, "posenc_weights_load_safetensors",
                                   posenc.Weights.load_safetensors, st, "nonesuch")
            self.write_safetensors(bad, {"w": ("F32", W)}, extra=b"xx")
            self.assertPosencError(posenc.FormatError, "posenc_weights_load_safetensors",
                                   posenc.Weights.load_safetensors, bad, "w")
            self.write_safetensors(bad, {"w": ("I32", W.view(np.int32))})
            self.assertPosencError(posenc.DTypeError, "posenc_weights_load_safetensors",
                                   posenc.Weights.load_safetensors, bad, "w")

    def test_weights_outlive_their_plans(self):
        W = RNG.standard_normal((8, 4)).astype(np.float32)
        w = posenc.Weights.from_array(W)
        p = posenc.Plan("learned", 4, weights=w)
        w.close()                          # deferred: the plan still reads the table
        self.assertTrue(w.closed)
        self.assertSameBits(p.encode([3]), W[3:4])
        self.assertPosencError(posenc.ArgumentError, None, posenc.Plan, "learned", 4, weights=w)
        p.close()
        self.assertIsNone(w._handle)
        del p
        self.assertEqual(repr(w), "<posenc.Weights closed>")


# ---- refused input: the right exception, nothing written -------------------------------------
class TestErrors(PosencCase):
    def setUp(self):
        self.plan = posenc.Plan("rotary", 32)
        self.x = RNG.standard_normal((4, 2, 32)).astype(np.float32)
        self.keep = self.x.copy()

    def tearDown(self):
        self.plan.close()
        # whatever was refused, x kept its bits
        self.assertSameBits(self.x, self.keep)

    def test_python_side_checks(self):
        p, x, pos = self.plan, self.x, [0, 1, 2, 3]
        E = self.assertPosencError
        E(posenc.DTypeError, None, p.apply, pos, x.astype(np.float64))
        E(posenc.DTypeError, None, p.apply, pos, x.astype(np.float16))
        E(posenc.DTypeError, None, p.apply, [0.0, 1.0, 2.0, 3.0], x)
        E(posenc.ShapeError, None, p.apply, pos[:3], x)
        E(posenc.ShapeError, None, p.apply, np.array([pos]), x)
        E(posenc.ShapeError, None, p.apply, pos, x[..., :16])
        E(posenc.ShapeError, None, p.apply, pos, x.reshape(4, 64))
        E(posenc.LayoutError, None, p.apply, pos, np.zeros((4, 2, 64), np.float32)[:, :, ::2])
        E(posenc.LayoutError, None, p.apply, pos, np.asfortranarray(x))
        E(posenc.LayoutError, None, p.apply, pos, x[::-1])
        ro = x.copy()
        ro.flags.writeable = False
        E(posenc.ArgumentError, None, p.apply, pos, ro)
        E(posenc.ArgumentError, None, p.apply, pos, x.tolist())
        bc = np.broadcast_to(x[:1], x.shape)
        E(posenc.ArgumentError, None, p.apply, pos, bc)
        # a writable view with stride 0 on an axis of several tokens
        z = as_strided(x, shape=(4, 2, 32), strides=(0, 128, 4))
        E(posenc.LayoutError, None, p.apply, pos, z)
        E(posenc.PositionError, None, p.encode, np.array([2**63], dtype=np.uint64))
        E(posenc.ShapeError, None, p.encode, [0, 1], out=np.empty((2, 31), np.float32))
        E(posenc.LayoutError, None, p.encode, [0, 1], out=np.empty((32, 2), np.float32).T)
        E(posenc.KindError, None, p.alibi_apply, [0], [0], np.zeros((1, 1, 1), np.float32))
        E(posenc.DimError, None, posenc.Plan, "rotary", 2**32 + 64)
        E(posenc.ArgumentError, None, posenc.Plan, "rotary", 64, pairing="sideways")
        E(posenc.ArgumentError, None, posenc.Plan, "spiral", 64)
        E(posenc.ArgumentError, None, posenc.Plan, "rotary", 64, max_positions=2**64)
        E(posenc.ArgumentError, None, posenc.Plan, "rotary", 64, base="big")
        E(posenc.ShapeError, None, posenc.Plan, "rotary", 64,
          scaling=posenc.Scaling("longrope", factor=2.0, original_max_positions=8,
                                 short_factor=[1.0] * 31, long_factor=[1.0] * 32))
        E(posenc.NotFoundError, None, posenc.Plan, "rotary", 64, impl="rotary/nonesuch")
        q = posenc.Plan("rotary", 32)
        q.close()
        q.close()
        E(posenc.ArgumentError, None, q.apply, pos, x)
        self.assertEqual(repr(q), "<posenc.Plan closed>")

    def test_library_errors(self):
        p, x, pos = self.plan, self.x, [0, 1, 2, 3]
        E = self.assertPosencError
        E(posenc.PositionError, "posenc_apply", p.apply, [0, 1, -1, 3], x)
        E(posenc.PositionError, "posenc_apply", p.apply, [0, 1, 2**31, 3], x)
        # heads overlapping the next token: the library's layout check
        ov = as_strided(x, shape=(3, 2, 32), strides=(32 * 4, 32 * 4, 4))
        E(posenc.LayoutError, "posenc_apply", p.apply, pos[:3], ov)
        E(posenc.DimError, "posenc_plan_create", posenc.Plan, "sinusoidal", 63)
        E(posenc.DimError, "posenc_plan_create", posenc.Plan, "rotary", 64, rotary_dim=66)
        E(posenc.ArgumentError, "posenc_plan_create", posenc.Plan, "rotary", 64, base=1.0)
        E(posenc.ArgumentError, "posenc_plan_create", posenc.Plan, "rotary", 64, pairing=7)
        E(posenc.ArgumentError, "posenc_plan_create", posenc.Plan, "alibi", 8, angle_mode="bf16")
        E(posenc.ArgumentError, "posenc_plan_create", posenc.Plan, "rotary", 64,
          scaling=posenc.Scaling("linear", factor=0.5))
        E(posenc.ArgumentError, "posenc_plan_create", posenc.Plan, "rotary", 64,
          mrope=posenc.MRope("sections", (10, 10, 10)))
        E(posenc.NullError, "posenc_plan_create", posenc.Plan, "rotary", 64,
          scaling=posenc.Scaling("longrope", factor=2.0, original_max_positions=8))
        E(posenc.NullError, "posenc_plan_create", posenc.Plan, "learned", 64)
        E(posenc.KindError, "posenc_plan_create", posenc.Plan, "rotary", 64,
          impl="sinusoidal/scalar")
        E(posenc.NoMemoryError, "posenc_plan_create", posenc.Plan, "rotary", 65536,
          impl="rotary/table", max_positions=2**31)
        with posenc.Plan("alibi", 8) as a:
            big = np.zeros(4, np.float32)
            huge = as_strided(big, shape=(8, 1, 1), strides=(2**62, 4, 4))
            E(posenc.SizeOverflowError, "posenc_alibi_apply", a.alibi_apply, [0], [0], huge)
            E(posenc.PositionError, "posenc_alibi_apply", a.alibi_apply, [0], [-5],
              np.zeros((8, 1, 1), np.float32))

    def test_empty_calls(self):
        self.assertEqual(self.plan.encode([]).shape, (0, 32))
        e = self.x[:0]
        self.assertIs(self.plan.apply([], e), e)
        h0 = self.x[:, :0]                  # no heads: nothing to do, nothing written
        self.assertIs(self.plan.apply([0, 1, 2, 3], h0), h0)
        with posenc.Plan("alibi", 4) as a:
            s = np.zeros((0, 2, 2), np.float32)
            self.assertIs(a.alibi_apply([0, 1], [0, 1], s), s)

    def test_random_input_raises_only_posenc_errors(self):
        """Random parameters, arrays, strides and positions: each call succeeds or raises a
        posenc.Error; nothing else escapes and nothing crashes."""
        rng = np.random.default_rng(99)
        kinds = ["sinusoidal", "rotary", "alibi", "learned", 0, 5]
        dtypes = [np.float32, np.float16, np.uint16, np.float64, np.int32]
        made = errors = 0
        for _ in range(400):
            kind = kinds[rng.integers(len(kinds))]
            dim = int(rng.choice([-1, 0, 1, 2, 3, 8, 64, 65537]))
            kw = dict(rotary_dim=int(rng.choice([0, 0, 1, 4, 70])),
                      base=float(rng.choice([0, 0.5, 1e4, np.inf, np.nan])),
                      angle_mode=["exact", "fp32", "bf16", "fp16", 9][rng.integers(5)],
                      dtype=["f32", "bf16", "f16"][rng.integers(3)],
                      max_positions=int(rng.choice([0, 0, 5, -1])))
            if rng.random() < 0.3:
                kw["scaling"] = posenc.Scaling(
                    ["linear", "ntk", "dynamic", "yarn", "llama3", 17][rng.integers(6)],
                    factor=float(rng.choice([0, 1, 4, -1])),
                    original_max_positions=int(rng.choice([0, 16, 4096])))
            try:
                plan = posenc.Plan(kind, dim, **kw)
            except posenc.Error:
                errors += 1
                continue
            made += 1
            with plan:
                for _ in range(5):
                    shape = tuple(int(v) for v in rng.integers(0, 5, rng.integers(1, 4)))
                    if len(shape) and rng.random() < 0.7:
                        shape = shape[:-1] + (plan.dim,)
                    a = np.zeros(tuple(v * 2 for v in shape), dtypes[rng.integers(5)])
                    a = a[tuple(slice(None, None, int(rng.integers(1, 3))) for _ in shape)]
                    a = a[tuple(slice(0, v) for v in shape)]
                    pos = rng.integers(-2, 10, int(rng.integers(0, 6)))
                    try:
                        if plan.kind == "alibi":
                            plan.alibi_apply(pos, pos[::-1], a)
                        else:
                            plan.apply(pos, a)
                            plan.encode(pos)
                    except posenc.Error:
                        errors += 1
        self.assertGreater(made, 10)
        self.assertGreater(errors, 100)

    def test_many_plans_freed(self):
        import gc
        for _ in range(2000):
            posenc.Plan("rotary", 64, impl="rotary/table", max_positions=64)
        gc.collect()


if __name__ == "__main__":
    support.run(__name__)
