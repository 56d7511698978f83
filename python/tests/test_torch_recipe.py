# python/tests/test_torch_recipe.py - posenc's fp32 angle mode against PyTorch/HF RoPE.
"""The recipe of transformers' LlamaRotaryEmbedding and apply_rotary_pos_emb, in PyTorch float32
on the CPU:

    inv_freq = 1.0 / (base ** (torch.arange(0, d, 2, dtype=torch.int64).float() / d))
    freqs = (inv_freq[None, :, None] @ position_ids[:, None, :].float()).transpose(1, 2)
    emb = torch.cat((freqs, freqs), dim=-1); cos, sin = emb.cos(), emb.sin()
    q_embed = q * cos + rotate_half(q) * sin

posenc's fp32 angle mode is that recipe with correctly rounded sin and cos. What is checked:
- the angles are the same floats: posenc's cos/sin equal the correctly rounded cos/sin of
  torch's own freqs, bit for bit (so inv_freq and the product agree);
- torch's sin and cos differ from correctly rounded values by at most 1 ulp, and wherever
  torch and posenc differ posenc's value is the correctly rounded one (PyTorch's CPU kernels
  evaluate sin and cos with SLEEF's 1-ulp vector functions, Sleef_*f8_u10 on AVX2): each
  difference is counted and sized, none is hidden by a tolerance;
- the rotation itself is the same float operations: HF's q * cos + rotate_half(q) * sin with
  posenc's cos and sin gives posenc_apply's bits; with torch's own cos and sin, the outputs
  differ only where a cos or sin did, and by how much is printed.
Skipped (77) when PyTorch is not installed."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import support  # noqa: E402

support.skip_unless("numpy", "needs NumPy (Debian: python3-numpy)")
support.skip_unless("torch", "needs PyTorch (Debian: python3-torch), which is optional")
import numpy as np  # noqa: E402
import torch  # noqa: E402

import posenc  # noqa: E402

MODELS = [("Llama-2-7B", 128, 10000.0), ("Llama-3-8B", 128, 500000.0), ("Qwen2-7B", 128, 1e6),
          ("Pythia (rotary 32)", 32, 10000.0)]
SHORT = np.arange(0, 4096)
LONG = np.concatenate([[131071, 10**6, 2**24 + 1, 10**9, 2**31 - 1],
                       np.random.default_rng(7).integers(2**17, 2**31, 2043)])


def hf_cos_sin(pos, d, base):
    """cos, sin (tokens, d) and freqs (tokens, d/2), as HF computes them, in torch float32."""
    inv_freq = 1.0 / (base ** (torch.arange(0, d, 2, dtype=torch.int64).float() / d))
    position_ids = torch.from_numpy(pos)[None, :]
    inv_freq_expanded = inv_freq[None, :, None].float().expand(1, -1, 1)
    freqs = (inv_freq_expanded.float() @ position_ids[:, None, :].float()).transpose(1, 2)
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos()[0], emb.sin()[0], freqs[0]


def rotate_half(x):
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def hf_apply(q, cos, sin):
    return q * cos[:, None, :] + rotate_half(q) * sin[:, None, :]


def ulp_distance(a, b):
    """|a - b| in ulps of float32 (ordered integer distance), elementwise."""
    def ordered(x):
        i = np.ascontiguousarray(x, dtype=np.float32).view(np.int32).astype(np.int64)
        return np.where(i < 0, -(i & 0x7FFFFFFF), i)
    return np.abs(ordered(a) - ordered(b))


def hf_inv_freq_and_pow(d, base):
    e = torch.arange(0, d, 2, dtype=torch.int64).float() / d
    pw = base ** e
    return (1.0 / pw).numpy(), pw.numpy(), e.numpy()


class TestTorchRecipe(unittest.TestCase):
    report = []

    def check(self, label, d, base, pos):
        h = d // 2
        cos_t, sin_t, freqs = hf_cos_sin(pos, d, base)
        cos_t, sin_t = cos_t.numpy(), sin_t.numpy()
        self.assertTrue(np.array_equal(cos_t[:, h:], cos_t[:, :h]))
        tc, ts = cos_t[:, :h], sin_t[:, :h]
        f64 = freqs.numpy().astype(np.float64)

        # inv_freq: posenc's fp32 mode takes a correctly rounded powf; torch's pow may be an
        # ulp off. Each such frequency is found, and must be torch's pow rounding the wrong way.
        inv_t, pw_t, e = hf_inv_freq_and_pow(d, base)
        true_pw = np.float64(np.float32(base)) ** e.astype(np.float64)
        pw_cr = true_pw.astype(np.float32)
        off = np.flatnonzero(pw_t != pw_cr)
        for i in off:
            self.assertEqual(int(ulp_distance(pw_t[i:i + 1], pw_cr[i:i + 1])[0]), 1, (label, i))
            self.assertGreater(abs(pw_t[i] - true_pw[i]), abs(pw_cr[i] - true_pw[i]), (label, i))
        self.assertTrue(np.array_equal(np.flatnonzero(inv_t != np.float32(1) / pw_cr), off))
        same = np.setdiff1d(np.arange(h), off)

        with posenc.Plan("rotary", d, base=base, angle_mode="fp32") as p:
            row = p.encode(pos)
            c_p, s_p = row[:, :h], row[:, h:]
            # where inv_freq agrees the angles are the same floats: posenc's values are the
            # correctly rounded cos/sin of torch's own freqs
            c_cr, s_cr = np.cos(f64).astype(np.float32), np.sin(f64).astype(np.float32)
            self.assertTrue(np.array_equal(c_p[:, same].view(np.uint32),
                                           c_cr[:, same].view(np.uint32)), label)
            self.assertTrue(np.array_equal(s_p[:, same].view(np.uint32),
                                           s_cr[:, same].view(np.uint32)), label)
            # torch's sin and cos of its own angles: within 1 ulp of correctly rounded, and the
            # farther from the true value wherever they differ
            uc, us = ulp_distance(tc, c_cr), ulp_distance(ts, s_cr)
            self.assertLessEqual(int(max(uc.max(), us.max())), 1, label)
            for t, cr, exact in ((tc, c_cr, np.cos(f64)), (ts, s_cr, np.sin(f64))):
                diff = t != cr
                self.assertTrue(np.all(np.abs(cr[diff] - exact[diff]) <=
                                       np.abs(t[diff] - exact[diff])), label)
            # the rotation: the same float operations
            q = torch.from_numpy(
                np.random.default_rng(len(pos)).uniform(-4, 4, (len(pos), 4, d))
                .astype(np.float32))
            mine = p.apply(pos, q.numpy().copy())
            with_posenc_cs = hf_apply(q, torch.from_numpy(np.concatenate([c_p, c_p], 1)),
                                      torch.from_numpy(np.concatenate([s_p, s_p], 1))).numpy()
            self.assertTrue(np.array_equal(mine.view(np.uint32),
                                           with_posenc_cs.view(np.uint32)), label)
        hf = hf_apply(q, torch.from_numpy(cos_t), torch.from_numpy(sin_t)).numpy()
        qa = q.numpy()
        scale = np.maximum(np.abs(qa[..., :h]), np.abs(qa[..., h:]))
        scale = np.concatenate([scale, scale], -1).astype(np.float64)
        rel = np.abs(hf.astype(np.float64) - mine) / scale / support.U
        moved = hf != mine
        cols = np.concatenate([same, same + h])
        # a rotated value moves only where its cos or sin did
        cs_moved = (tc != c_p) | (ts != s_p)
        self.assertFalse(np.any(moved & ~np.concatenate([cs_moved, cs_moved], 1)[:, None, :]))
        # where only torch's sin/cos rounding differs, HF's output against posenc's: each is
        # its own cos and sin applied with 3 roundings, each within u sqrt(2) M of the products
        # and u sqrt(2) M of the result (M = max(|a|, |b|), |c| + |s| <= sqrt(2)), and the
        # inputs differ by at most an ulp of c and of s (u each for values in [0.5, 1)):
        # |HF - posenc| <= (2 + 4 sqrt(2)) u M = 7.66 u M
        self.assertLessEqual(rel[..., cols].max(), 2 + 4 * np.sqrt(2), label)
        n = uc.size
        frac = 100.0 * ((uc > 0).sum() + (us > 0).sum()) / (2 * n)
        worst_off = (max(np.abs(tc[:, off] - c_p[:, off]).max(),
                         np.abs(ts[:, off] - s_p[:, off]).max()) if off.size else 0.0)
        self.report.append(
            f"{label:<26} {len(pos):>5} {int((uc > 0).sum()):>6} {int((us > 0).sum()):>6} "
            f"{n:>7} {frac:>6.2f}% {rel[..., cols].max():>5.2f}u  "
            f"{','.join(map(str, off)) or '-':>5} {worst_off:>8.2e} "
            f"{int(moved.sum()):>7}/{moved.size}")

    def test_short_positions(self):
        for label, d, base in MODELS:
            self.check(f"{label} p<4096", d, base, SHORT)

    def test_long_positions(self):
        for label, d, base in MODELS:
            self.check(f"{label} p>=2^17", d, base, LONG)

    @classmethod
    def tearDownClass(cls):
        cap = next((ln.split(":", 1)[1].strip() for ln in torch.__config__.show().splitlines()
                    if "CPU capability usage" in ln), "?")
        print(f"\nPyTorch {torch.__version__} (CPU capability {cap}) against posenc "
              f"{posenc.best('rotary').name}, fp32 angle mode. cos!=, sin!=: torch's values "
              "that are not the correctly rounded cos/sin of its own angle (all 1 ulp, "
              "torch's the farther from the true value); rot: worst rotated output over those, "
              "in u max(|a|,|b|); pow!=: frequencies whose inv_freq torch's pow rounds the "
              "other way (1 ulp), and the largest cos/sin difference that causes; rotated: "
              "outputs of HF's rotation that differ from posenc_apply's")
        print(f"{'case':<26} {'tok':>5} {'cos!=':>6} {'sin!=':>6} {'values':>7} {'frac':>7} "
              f"{'rot':>6}  {'pow!=':>5} {'its diff':>8} {'rotated'}")
        for line in sorted(cls.report):
            print(line)


if __name__ == "__main__":
    support.run(__name__)
