// mempass_isa.h - the memory passes of one instruction set, included by mempass.cc once per ISA.
//
// The includer defines MP_NS (the namespace of this ISA's passes), MP_ATTR (its target
// attribute) and, for an ISA with explicit vectors, MP_VEC with MP_LOAD, MP_STORE, MP_STREAM,
// MP_XOR, MP_AND and MP_SET1 (aligned loads and stores of one vector). It defines in MP_NS the
// tables `plain` and, with MP_VEC, `vec` and `nt` (mempass.cc: PassFns), and undefines those
// macros, so the next ISA starts clean.

namespace MP_NS {

// ---- kPlain: the loops the compiler vectorizes (mempass.cc is compiled -O3) ---------------------

MP_ATTR void plain_write(word *x, size_t m, uint32_t v)
{
    word *__restrict p = static_cast<word *>(__builtin_assume_aligned(x, 64));
    POSENC_MEMPASS_UNROLL
    for (size_t i = 0; i < m; i++)
        p[i] = v;
}

MP_ATTR void plain_rw(word *x, size_t m, uint32_t mask)
{
    word *__restrict p = static_cast<word *>(__builtin_assume_aligned(x, 64));
    POSENC_MEMPASS_UNROLL
    for (size_t i = 0; i < m; i++)
        p[i] ^= mask;
}

// r = 2 (16-bit x): each word of x takes one float32's bits from each half of w, two streams.
MP_ATTR void plain_rw_r32(word *x, size_t m, const word *w, size_t r, uint32_t mask)
{
    word *__restrict p = static_cast<word *>(__builtin_assume_aligned(x, 64));
    const word *__restrict lo = static_cast<const word *>(__builtin_assume_aligned(w, 64));
    const word *__restrict hi = w + m;
    if (r == 1) {
        POSENC_MEMPASS_UNROLL
        for (size_t i = 0; i < m; i++)
            p[i] ^= lo[i] & mask;
        return;
    }
    POSENC_MEMPASS_UNROLL
    for (size_t i = 0; i < m; i++)
        p[i] ^= (lo[i] ^ hi[i]) & mask;
}

const PassFns plain = {plain_write, plain_rw, plain_rw_r32};

#ifdef MP_VEC

// ---- kVector and kStreaming: explicit vectors, four per iteration -------------------------------
// The store is ordinary or non-temporal (NT); non-temporal stores are weakly ordered, so the pass
// ends with a fence and is complete when the timer stops. w (r = 2) is read as one stream, two
// vectors of w per vector of x.

#define MP_PUT(NT, p, v)                                                                       \
    do {                                                                                       \
        if (NT)                                                                                \
            MP_STREAM(p, v);                                                                   \
        else                                                                                   \
            MP_STORE(p, v);                                                                    \
    } while (0)

constexpr size_t kLanes = sizeof(MP_VEC) / sizeof(uint32_t);

template <bool NT> MP_ATTR void vec_write(word *x, size_t m, uint32_t v)
{
    const MP_VEC k = MP_SET1(v);
    size_t i = 0;
    for (; i + 4 * kLanes <= m; i += 4 * kLanes)
        for (size_t j = 0; j < 4; j++)
            MP_PUT(NT, x + i + j * kLanes, k);
    for (; i < m; i++)
        x[i] = v;
    if (NT)
        _mm_sfence();
}

template <bool NT> MP_ATTR void vec_rw(word *x, size_t m, uint32_t mask)
{
    const MP_VEC k = MP_SET1(mask);
    size_t i = 0;
    for (; i + 4 * kLanes <= m; i += 4 * kLanes) {
        MP_VEC v[4];
        for (size_t j = 0; j < 4; j++)
            v[j] = MP_XOR(MP_LOAD(x + i + j * kLanes), k);
        for (size_t j = 0; j < 4; j++)
            MP_PUT(NT, x + i + j * kLanes, v[j]);
    }
    for (; i < m; i++)
        x[i] ^= mask;
    if (NT)
        _mm_sfence();
}

template <bool NT>
MP_ATTR void vec_rw_r32(word *x, size_t m, const word *w, size_t r, uint32_t mask)
{
    const MP_VEC k = MP_SET1(mask);
    size_t i = 0;
    for (; i + 4 * kLanes <= m; i += 4 * kLanes) {
        MP_VEC v[4];
        for (size_t j = 0; j < 4; j++) {
            const word *wj = w + r * (i + j * kLanes);
            const MP_VEC b = r == 1 ? MP_LOAD(wj) : MP_XOR(MP_LOAD(wj), MP_LOAD(wj + kLanes));
            v[j] = MP_XOR(MP_LOAD(x + i + j * kLanes), MP_AND(b, k));
        }
        for (size_t j = 0; j < 4; j++)
            MP_PUT(NT, x + i + j * kLanes, v[j]);
    }
    for (; i < m; i++)
        x[i] ^= (r == 1 ? w[i] : w[2 * i] ^ w[2 * i + 1]) & mask;
    if (NT)
        _mm_sfence();
}

#undef MP_PUT

const PassFns vec = {vec_write<false>, vec_rw<false>, vec_rw_r32<false>};
const PassFns nt = {vec_write<true>, vec_rw<true>, vec_rw_r32<true>};

#endif  // MP_VEC

}  // namespace MP_NS

#undef MP_NS
#undef MP_ATTR
#undef MP_VEC
#undef MP_LOAD
#undef MP_STORE
#undef MP_STREAM
#undef MP_XOR
#undef MP_AND
#undef MP_SET1
