/* SPDX-License-Identifier: MIT */
/*
 * scan.h - the line readers' search for '\n', inline: sixteen bytes a step
 * with SSE2 where the compiler targets it (every x86-64), else eight bytes
 * a step in a uint64_t (SWAR), then bytes.  A call to memchr cost more
 * than the search itself for a typical line of a few dozen bytes (its
 * call, its own checks, and the registers its caller saves around it).
 * Depends on nothing of sockit's, so that a test can check it alone.
 */
#ifndef SK_SCAN_H
#define SK_SCAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "plat.h" /* SK__INLINE */

#if defined(__SSE2__) || defined(_M_X64) || defined(_M_AMD64) ||            \
    (defined(_M_IX86_FP) && _M_IX86_FP >= 2)
#  define SK__SCAN_SSE2 1
#  include <emmintrin.h>
#  if defined(_MSC_VER)
#    include <intrin.h>
#  endif
#else
#  define SK__SCAN_SSE2 0
#endif

/* The eight bytes at p as a number whose lowest byte is p[0], whatever the
 * byte order: memcpy (one load) where the target is known little-endian,
 * else assembled (GCC and Clang make that one byte-reversed load). */
SK__INLINE uint64_t sk__scan_le64(const char *p)
{
#if (defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) &&         \
     __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__) ||                          \
    defined(_WIN32) || defined(__x86_64__) || defined(__i386__)
    uint64_t w;
    memcpy(&w, p, sizeof w);
    return w;
#else
    const unsigned char *u = (const unsigned char *)p;
    return (uint64_t)u[0] | (uint64_t)u[1] << 8 | (uint64_t)u[2] << 16 |
           (uint64_t)u[3] << 24 | (uint64_t)u[4] << 32 |
           (uint64_t)u[5] << 40 | (uint64_t)u[6] << 48 |
           (uint64_t)u[7] << 56;
#endif
}

/* The bytes of w (lowest first) equal to '\n', as 0x80 in their byte: the
 * lowest such mark is exact (a borrow only carries towards higher bytes,
 * so a mark above the first LF may be false); 0 when there is none. */
SK__INLINE uint64_t sk__scan_lf_marks(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101u;
    uint64_t x = w ^ (ones * '\n'); /* an LF's byte is 0 now */
    return (x - ones) & ~x & (ones * 0x80);
}

/* The index of the lowest marked byte of m (not 0). */
SK__INLINE size_t sk__scan_low_byte(uint64_t m)
{
#if defined(__GNUC__) || defined(__clang__)
    return (unsigned)__builtin_ctzll(m) >> 3;
#else
    /* The lowest mark alone, shifted to bit 8k, times bytes 7..0: byte 7
     * of the product is k. */
    return (size_t)((((m & (~m + 1)) >> 7) * 0x0001020304050607u) >> 56);
#endif
}

/* sk__lf_index's b[0..n) holds at least this many bytes. */
#define SK__LF_REACH 16
/* sk__lf_index's answer when b[i..n) holds no '\n'. */
#define SK__LF_NONE ((size_t)-1)

/* The offset of the first '\n' in b[i..n), or SK__LF_NONE when there is none
 * (i <= n, n >= 8, b[0..n) initialized); eight bytes a step, the last step
 * reading the eight before n (those before i shifted out). */
SK__INLINE size_t sk__lf_index_swar(const char *b, size_t i, size_t n)
{
    uint64_t m;
    size_t k;
    for (; n - i >= 8; i += 8) {
        m = sk__scan_lf_marks(sk__scan_le64(b + i));
        if (m != 0)
            return i + sk__scan_low_byte(m);
    }
    if (i == n)
        return SK__LF_NONE;
    /* The k bytes before i shifted out: the zero bytes shifted in (marked
     * too) come after n. */
    k = 8 - (n - i);
    m = sk__scan_lf_marks(sk__scan_le64(b + n - 8) >> (k * 8));
    if (m == 0)
        return SK__LF_NONE;
    k = i + sk__scan_low_byte(m);
    return k < n ? k : SK__LF_NONE;
}

#if SK__SCAN_SSE2
/* The index of the lowest set bit of m (not 0). */
SK__INLINE size_t sk__scan_low_bit(unsigned m)
{
#  if defined(_MSC_VER)
    unsigned long i;
    _BitScanForward(&i, m);
    return (size_t)i;
#  elif defined(__GNUC__) || defined(__clang__)
    return (unsigned)__builtin_ctz(m);
#  else
    size_t i = 0;
    while ((m & 1u) == 0) {
        m >>= 1;
        i++;
    }
    return i;
#  endif
}

/* The bytes of the sixteen at p equal to '\n', one bit each (bit 0: p[0]). */
SK__INLINE unsigned sk__scan_lf16(const char *p)
{
    return (unsigned)_mm_movemask_epi8(
        _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)p),
                       _mm_set1_epi8('\n')));
}
#endif

/* The offset of the first '\n' in b[i..n), or SK__LF_NONE when there is none
 * (i <= n).  b[0..n) must be initialized and n at least SK__LF_REACH: the
 * last step reads the sixteen bytes before n, those before i shifted out.
 * The line readers call it when their buffer holds that many (it fills
 * from its start), else they use memchr. */
SK__INLINE size_t sk__lf_index(const char *b, size_t i, size_t n)
{
#if SK__SCAN_SSE2
    size_t last = n - 16; /* the last whole step's start */
    unsigned m;
    for (; i <= last; i += 16) {
        m = sk__scan_lf16(b + i);
        if (m != 0)
            return i + sk__scan_low_bit(m);
    }
    /* The n - i bytes left (0..15) end the sixteen at last, the i - last
     * before them shifted out (all 16 when none are left: m is 0). */
    m = sk__scan_lf16(b + last) >> (i - last);
    return m != 0 ? i + sk__scan_low_bit(m) : SK__LF_NONE;
#else
    return sk__lf_index_swar(b, i, n);
#endif
}

#endif /* SK_SCAN_H */
