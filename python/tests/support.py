# python/tests/support.py - what the binding's tests share: the skip convention and reference math.
import os
import sys
import unittest

SKIP = 77  # ctest's SKIP_RETURN_CODE for the project's tests


def skip_unless(module, why):
    """Exit with 77 (skipped, with the reason on stdout) when `module` cannot be imported."""
    try:
        __import__(module)
    except ImportError as e:
        print(f"SKIPPED: {why} ({e})")
        sys.exit(SKIP)


def run(module_name):
    """unittest.main for a test file: exit 0 when every test passed, 1 otherwise."""
    prog = unittest.main(module=module_name, exit=False, verbosity=2)
    sys.exit(0 if prog.result.wasSuccessful() else 1)


U = 2.0 ** -24  # posenc's unit of error

# ---- high-precision reference (decimal: independent of posenc, numpy and libm) ----------------
from decimal import Decimal, localcontext  # noqa: E402

_PI = Decimal("3.14159265358979323846264338327950288419716939937510582097494459")


def ref_sincos(p, i, n, base, prec=45):
    """sin and cos of p * base^(-2i/n) to about 1e-35, as Python floats (correctly rounded to
    double except in astronomically rare cases)."""
    with localcontext() as ctx:
        ctx.prec = prec
        w = (-(Decimal(2 * i) / Decimal(n)) * Decimal(base).ln()).exp()
        a = Decimal(p) * w
        two_pi = 2 * _PI
        k = (a / two_pi).to_integral_value()
        r = a - k * two_pi
        r2 = r * r
        # Taylor series of sin and cos on |r| <= pi
        s, term, j = r, r, 1
        while True:
            term = -term * r2 / ((2 * j) * (2 * j + 1))
            if abs(term) < Decimal(10) ** -(prec - 2):
                break
            s += term
            j += 1
        co, term, j = Decimal(1), Decimal(1), 1
        while True:
            term = -term * r2 / ((2 * j - 1) * (2 * j))
            if abs(term) < Decimal(10) ** -(prec - 2):
                break
            co += term
            j += 1
        return float(s), float(co)


def library_env():
    """The environment a child interpreter needs to import posenc the way this one did."""
    env = dict(os.environ)
    return env
