# quickstart.py - the Python binding in a few lines: q of a Llama 3.1 layer rotated in place at
# long positions, exact angles, and checked against the same rotation in float64.
"""Rotates q (16 tokens x 32 heads x 128) with Llama 3.1's scaling at positions from 100,000
and checks every pair against a float64 rotation by posenc's own cos/sin: exit 0 when all are
within the documented 8u * max(|a|, |b|), 1 otherwise."""
import sys

try:
    import numpy as np
except ImportError:
    print("SKIPPED: this example needs NumPy")
    sys.exit(77)
import posenc

# snippet-begin: readme
llama31 = posenc.Scaling("llama3", factor=8.0, low_freq_factor=1.0, high_freq_factor=4.0,
                         original_max_positions=8192)
with posenc.Plan("rotary", 128, base=500000.0, scaling=llama31) as plan:  # exact angles
    q = np.random.default_rng(0).standard_normal((16, 32, 128)).astype(np.float32)
    q0 = q.copy()
    positions = np.arange(100000, 100016)
    plan.apply(positions, q)              # tokens x heads x head_dim, in place
    cos_sin = plan.encode(positions)      # (16, 128): 64 cos, then 64 sin per position
# snippet-end: readme

# the half-split rotation of each pair (a, b) = (x[i], x[i + 64]) in float64
c, s = cos_sin[:, None, :64].astype(np.float64), cos_sin[:, None, 64:].astype(np.float64)
a, b = q0[..., :64].astype(np.float64), q0[..., 64:].astype(np.float64)
want = np.concatenate([a * c - b * s, a * s + b * c], axis=-1)
scale = np.maximum(np.abs(a), np.abs(b))
err = np.abs(q - want) / np.concatenate([scale, scale], axis=-1).clip(min=1e-30)
worst = err.max() / 2.0**-24
print(f"worst pair error {worst:.2f}u of 8u (positions {positions[0]}..{positions[-1]})")
sys.exit(0 if worst <= 8 else 1)
