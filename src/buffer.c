/*
 * buffer.c - the receive engine: LuaSocket's patterns (all, line, N bytes)
 * plus "some", appended to a caller-owned sk_buf whose earlier contents are
 * the prefix.  Whatever arrives before an error stays appended, so nothing
 * read is ever lost.  Large reads bypass the internal buffer.
 */
#include "sockit_int.h"

#include <stdlib.h>
#include <string.h>

#define SK__DIRECT_CHUNK ((size_t)65536) /* growth step for direct reads */

SK_API void sk_buf_free(sk_buf *b)
{
    if (b == NULL)
        return;
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* Make room for extra more bytes, growing geometrically; checks overflow. */
SK_API int sk_buf_reserve(sk_buf *b, size_t extra)
{
    size_t need, cap;
    char *p;
    if (b == NULL || b->len > b->cap)
        return SK_EINVAL;
    /* No object may exceed PTRDIFF_MAX bytes: larger requests fail here
     * rather than reaching the allocator. */
    if (b->len > (size_t)PTRDIFF_MAX || extra > (size_t)PTRDIFF_MAX - b->len)
        return SK_ENORESOURCES;
    need = b->len + extra;
    if (need <= b->cap)
        return 0;
    cap = b->cap < 64 ? 64 : b->cap;
    while (cap < need)
        cap = (cap > (size_t)PTRDIFF_MAX / 2) ? need : cap * 2;
    p = (char *)realloc(b->data, cap);
    if (p == NULL)
        return SK_ENORESOURCES;
    b->data = p;
    b->cap = cap;
    return 0;
}

/* Move up to cap buffered bytes into dst; returns the count. */
size_t sk__take(sk_sock *s, char *dst, size_t cap)
{
    size_t n = s->rlast - s->rfirst;
    if (n > cap)
        n = cap;
    if (n > 0) {
        memcpy(dst, s->rbuf + s->rfirst, n);
        s->rfirst += n;
    }
    return n;
}

/* Append what is buffered (at most max) to b. */
static int take_into(sk_sock *s, sk_buf *b, size_t max)
{
    size_t n = s->rlast - s->rfirst;
    int r;
    if (n > max)
        n = max;
    if (n == 0)
        return 0;
    r = sk_buf_reserve(b, n);
    if (r != 0)
        return r;
    b->len += sk__take(s, b->data + b->len, n);
    return 0;
}

/* Read straight into b: at least one byte, at most max. */
static int read_direct(sk_sock *s, sk_buf *b, size_t max, const sk__tm *tm)
{
    size_t want = max < SK__DIRECT_CHUNK ? max : SK__DIRECT_CHUNK;
    size_t got = 0;
    int r;
    if (b->cap - b->len < want) {
        r = sk_buf_reserve(b, want);
        if (r != 0)
            return r;
    }
    /* Use all the room there is, within max: fewer system calls. */
    want = b->cap - b->len;
    if (want > max)
        want = max;
    r = sk__recv_some(s, b->data + b->len, want, &got, tm);
    b->len += got;
    return r;
}

/* SK_BYTES (n bytes) and SK_ALL (n = SIZE_MAX, until closed). */
static int receive_count(sk_sock *s, sk_buf *b, size_t n, int all,
                         const sk__tm *tm)
{
    size_t start = b->len;
    int r = take_into(s, b, n);
    while (r == 0 && b->len - start < n) {
        size_t left = n - (b->len - start);
        if (left >= SK__RBUF_SIZE || all)
            r = read_direct(s, b, left, tm);
        else {
            /* Small remainder: read ahead into the buffer, take what is
             * ours, keep the rest for the next call. */
            r = sk__fill(s, tm);
            if (r == 0)
                r = take_into(s, b, left);
        }
    }
    /* LuaSocket's "*a": the close ends the pattern, unless nothing at all
     * came before it. */
    if (all && r == SK_ECLOSED && b->len > start)
        return 0;
    return r;
}

int sk__line_take(const char *p, size_t avail, sk_buf *b, size_t *count,
                  size_t max, size_t *used)
{
    const char *lf = (const char *)memchr(p, '\n', avail);
    size_t span = lf ? (size_t)(lf - p) : avail;
    size_t i;
    int r = sk_buf_reserve(b, span);
    *used = 0;
    if (r != 0)
        return r;
    for (i = 0; i < span; i++) {
        if (p[i] == '\r')
            continue;
        if (*count == max) {
            *used = i; /* the rest waits for the next call */
            return SK_ETOOLONG;
        }
        b->data[b->len++] = p[i];
        (*count)++;
    }
    *used = lf ? span + 1 : span; /* with the LF itself */
    return lf ? 1 : 0;
}

/* SK_LINE: drop every CR, stop after LF, stop at the line limit. */
static int receive_line(sk_sock *s, sk_buf *b, const sk__tm *tm)
{
    size_t count = 0; /* bytes of this line appended so far */
    for (;;) {
        while (s->rfirst < s->rlast) {
            size_t used = 0;
            int r = sk__line_take(s->rbuf + s->rfirst, s->rlast - s->rfirst,
                                  b, &count, s->linemax, &used);
            s->rfirst += used;
            if (r != 0)
                return r == 1 ? 0 : r;
        }
        {
            int r = sk__fill(s, tm);
            if (r != 0)
                return r;
        }
    }
}

/* SK_SOME: buffered bytes if any, else one read; at most n (0: any). */
static int receive_some(sk_sock *s, sk_buf *b, size_t n, const sk__tm *tm)
{
    size_t max = n ? n : SIZE_MAX;
    if (s->rfirst < s->rlast)
        return take_into(s, b, max);
    return read_direct(s, b, max, tm);
}

int sk__receive(sk_sock *s, sk_buf *buf, int pattern, size_t n,
                const sk__tm *tm)
{
    switch (pattern) {
    case SK_ALL:
        return receive_count(s, buf, SIZE_MAX, 1, tm);
    case SK_LINE:
        return receive_line(s, buf, tm);
    case SK_BYTES:
        return receive_count(s, buf, n, 0, tm);
    case SK_SOME:
        return receive_some(s, buf, n, tm);
    default:
        return SK_EINVAL;
    }
}
