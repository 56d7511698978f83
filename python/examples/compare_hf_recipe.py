# compare_hf_recipe.py - the fp32 RoPE recipe of Hugging Face against posenc's exact angles.
"""Prints, per position, how far the fp32 recipe's cos/sin drift from posenc's exact mode (within
4u = 2.4e-7 of the true values at every position below 2^31), and checks that posenc's fp32
angle mode is that recipe bit for bit. Needs NumPy only: the recipe is written in NumPy
float32, operation by operation as transformers' LlamaRotaryEmbedding does in torch, with
powf, sin and cos correctly rounded (through float64; torch's own are within an ulp)."""
import sys

try:
    import numpy as np
except ImportError:
    print("SKIPPED: this example needs NumPy")
    sys.exit(77)
import posenc

head_dim, base = 128, 500000.0                      # Llama 3
exact = posenc.Plan("rotary", head_dim, base=base)  # angle_mode="exact" is the default
fp32 = posenc.Plan("rotary", head_dim, base=base, angle_mode="fp32")

# HF: inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2).float() / dim)), all float32
e = np.arange(0, head_dim, 2, dtype=np.float32) / np.float32(head_dim)
powf = (np.float64(np.float32(base)) ** e.astype(np.float64)).astype(np.float32)
inv_freq = np.float32(1.0) / powf

print(f"{'positions':>22} {'fp32 recipe error':>18} {'posenc fp32 = recipe':>21}")
for p0 in (0, 10**3, 10**4, 10**5, 10**6, 10**7, 10**8, 10**9, 2**31 - 64):
    pos = np.arange(p0, p0 + 64)
    freqs = pos.astype(np.float32)[:, None] * inv_freq      # float32 product, as torch
    angle = freqs.astype(np.float64)
    recipe = np.concatenate([np.cos(angle), np.sin(angle)], axis=1).astype(np.float32)
    err = np.abs(recipe.astype(np.float64) - exact.encode(pos)).max()
    same = np.array_equal(fp32.encode(pos), recipe)
    print(f"{p0:>10} .. {p0 + 63:<10} {err:>18.2e} {'yes' if same else 'NO':>21}")
    if not same:
        sys.exit(1)

exact.close()
fp32.close()
