/* SPDX-License-Identifier: MIT */
/*
 * buffer.c - the receive engine: LuaSocket's patterns (all, line, N bytes)
 * plus "some", appended to a caller-owned sk_buf whose earlier contents are
 * the prefix.  Whatever arrives before an error stays appended, so nothing
 * read is ever lost.  Large reads bypass the internal buffer.
 */
#include "sockit_int.h"
#include "scan.h"

#include <stdlib.h>
#include <string.h>

#define SK__DIRECT_CHUNK ((size_t)65536) /* growth step for direct reads */

SK_API void sk_buf_free(sk_buf *b)
{
    if (b == NULL)
        return;
    sk__free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

SK_API void sk_buf_reset(sk_buf *b)
{
    if (b == NULL)
        return;
    b->len = 0;
    if (b->data != NULL && b->cap > 0)
        b->data[0] = '\0';
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
    p = (char *)sk__realloc(b->data, cap);
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
        s->rfirst += (uint16_t)n; /* n <= rlast - rfirst */
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

/* Read straight into b: at least one byte, at most max; with ahead > max,
 * up to ahead bytes when b has the room already, and what comes past max
 * is kept in the receive buffer for the next call (read-ahead without
 * allocating anything while no more than max arrives). */
static int read_direct(sk_sock *s, sk_buf *b, size_t max, size_t ahead,
                       const sk__tm *tm)
{
    size_t want = max < SK__DIRECT_CHUNK ? max : SK__DIRECT_CHUNK;
    size_t got = 0;
    int r;
    if (b->cap - b->len < want) {
        r = sk_buf_reserve(b, want);
        if (r != 0)
            return r;
    }
    /* Use all the room there is, within the limit: fewer system calls. */
    want = b->cap - b->len;
    if (want > (ahead > max ? ahead : max))
        want = ahead > max ? ahead : max;
    r = sk__recv_some(s, b->data + b->len, want, &got, tm);
    if (got > max) {
        /* Keep what is not ours; should that fail for want of memory,
         * hand it over rather than lose it. */
        int k = sk__stash(s, b->data + b->len + max, got - max);
        if (k != 0) {
            b->len += got;
            return k;
        }
        got = max;
    }
    b->len += got;
    return r;
}

/* SK_BYTES (n bytes), SK_ALL (n = SIZE_MAX, until closed) and SK_SOME
 * (one step: what is buffered if anything is, else one read; at most n). */
static int receive_count(sk_sock *s, sk_buf *b, size_t n, int pattern,
                         const sk__tm *tm)
{
    size_t start = b->len;
    int r = 0;
    if (s->rfirst < s->rlast) {
        r = take_into(s, b, n);
        if (pattern == SK_SOME)
            return r;
    }
    while (r == 0 && b->len - start < n) {
        size_t left = n - (b->len - start);
        /* SK_BYTES reads ahead up to a buffer's worth. */
        r = read_direct(s, b, left,
                        pattern == SK_BYTES ? SK__RBUF_SIZE : left, tm);
        if (pattern == SK_SOME)
            break;
    }
    /* LuaSocket's "*a": the close ends the pattern, unless nothing at all
     * came before it. */
    if (pattern == SK_ALL && r == SK_ECLOSED && b->len > start)
        return 0;
    return r;
}

/* Append the span bytes at p (buffered bytes without an LF) to b as line
 * bytes: every CR dropped, at most room bytes kept (room: what the line
 * limit still allows).  cr is the first CR among them, NULL when there is
 * none.  The runs between CRs are moved with memmove (b->data may be p
 * itself: sk_receiveline compacts in place) and the next CR found with
 * memchr.  *used receives how many bytes of p were consumed: all of
 * them, or on SK_ETOOLONG those before the first byte over the limit
 * (which waits for the next call). */
int sk__line_append(sk_buf *b, const char *p, size_t span, const char *cr,
                    size_t room, size_t *used)
{
    size_t i = 0, need = span < room ? span : room;
    *used = 0;
    if (b->cap - b->len < need) {
        int r = sk_buf_reserve(b, need);
        if (r != 0)
            return r;
    }
    for (;;) {
        size_t end = cr != NULL ? (size_t)(cr - p) : span, n = end - i;
        if (n > room) { /* byte i + room is a line byte over the limit */
            if (room > 0)
                memmove(b->data + b->len, p + i, room);
            b->len += room;
            *used = i + room;
            return SK_ETOOLONG;
        }
        if (n > 0) {
            memmove(b->data + b->len, p + i, n);
            b->len += n;
            room -= n;
        }
        if (cr == NULL) {
            *used = span;
            return 0;
        }
        i = end + 1; /* past the CR */
        cr = i < span ? (const char *)memchr(p + i, '\r', span - i) : NULL;
    }
}

size_t sk__line_kept(const char *p, size_t span, const char *cr)
{
    size_t crs = 0;
    while (cr != NULL) {
        size_t i = (size_t)(cr - p) + 1;
        crs++;
        cr = i < span ? (const char *)memchr(p + i, '\r', span - i) : NULL;
    }
    return span - crs;
}

/* The first CR in the buffered bytes before offset end, or NULL.  rscan
 * remembers how far the buffer is known to hold no CR (a stale value at or
 * before rfirst means nothing is known), so that lines without CRs cost one
 * memchr for CRs per buffer fill, not one per line. */
const char *sk__line_first_cr(sk_sock *s, size_t end)
{
    if (s->rscan < end) {
        size_t from = s->rscan > s->rfirst ? s->rscan : s->rfirst;
        const char *cr = (const char *)memchr(s->rbuf + from, '\r',
                                              s->rlast - from);
        s->rscan = cr != NULL ? (uint16_t)(cr - s->rbuf) : s->rlast;
    }
    return s->rscan < end ? s->rbuf + s->rscan : NULL;
}

/* One line's bytes from p (avail bytes) appended to b by SK_LINE's rule:
 * every CR dropped, stop after LF, at most max - *count bytes kept.  For
 * readers that keep their own buffer (sk_conn_read_line).  *used receives
 * the bytes of p consumed (with the LF).  Returns 1 when the line ended,
 * 0 when p ran out first, SK_ETOOLONG or SK_ENORESOURCES. */
int sk__line_take(const char *p, size_t avail, sk_buf *b, size_t *count,
                  size_t max, size_t *used)
{
    const char *lf = (const char *)memchr(p, '\n', avail);
    size_t span = lf != NULL ? (size_t)(lf - p) : avail, len0 = b->len;
    const char *cr = (const char *)memchr(p, '\r', span);
    int r = sk__line_append(b, p, span, cr, max - *count, used);
    *count += b->len - len0;
    if (r != 0)
        return r;
    if (lf == NULL)
        return 0;
    *used = span + 1; /* with the LF itself */
    return 1;
}

/* SK_LINE: drop every CR, stop after LF, stop at the line limit. */
static int receive_line(sk_sock *s, sk_buf *b, const sk__tm *tm)
{
    size_t count = 0; /* bytes of this line appended so far */
    for (;;) {
        if (s->rfirst < s->rlast) {
            const char *p = s->rbuf + s->rfirst;
            const char *lf = (const char *)memchr(p, '\n',
                                                  s->rlast - s->rfirst);
            size_t span = lf != NULL ? (size_t)(lf - p)
                                     : (size_t)(s->rlast - s->rfirst);
            const char *cr = sk__line_first_cr(s, s->rfirst + span);
            size_t len0 = b->len, used;
            int r = sk__line_append(b, p, span, cr, s->linemax - count,
                                    &used);
            count += b->len - len0;
            s->rfirst += (uint16_t)used;
            if (r != 0)
                return r;
            if (lf != NULL) {
                s->rfirst++; /* the LF itself */
                return 0;
            }
        }
        {
            int r = sk__fill(s, tm);
            if (r != 0)
                return r;
        }
    }
}

SK__NOINLINE int sk__receive(sk_sock *s, sk_buf *buf, int pattern, size_t n)
{
    sk__tm tm;
    int r;
    sk__tm_start(&tm, s);
    if (pattern == SK_LINE)
        r = receive_line(s, buf, &tm);
    else
        r = receive_count(s, buf, n, pattern, &tm);
    sk__rbuf_release(s);
    return r;
}

/* How much SK_BYTES's first read asks for, n bytes wanted and room bytes
 * free in the caller's buffer (room > n): all the room, reading ahead up
 * to a receive buffer's worth (as read_direct does). */
static size_t bytes_want(size_t room, size_t n)
{
    return room < SK__RBUF_SIZE ? room : n > SK__RBUF_SIZE ? n : SK__RBUF_SIZE;
}

/* SK_BYTES's common case (nothing buffered, room for the n bytes in b)
 * once its first read was made or skipped: r and got are what
 * sk__plat_recv said (sys its OS code), or r 0 and got 0 when no read was
 * made (a connect to settle, TLS).  Finishes as sk__recv_some would, then
 * keeps what came past n and leaves the rest to the general reader; the
 * deadline starts here.  Returns what sk_receive returns. */
static SK__NOINLINE int bytes_rest(sk_sock *s, sk_buf *b, size_t n,
                                   size_t got, int r, int sys)
{
    sk__tm tm;
    sk__tm_start(&tm, s);
    if (r == 0 && got > 0) {
        s->nrecv += got;
    } else {
        sk__sys_set(s, sys);
        if (r == 0 || r == SK_EWOULDBLOCK)
            r = sk__recv_wait(s, b->data + b->len,
                              bytes_want(b->cap - b->len, n), &got, r, &tm);
    }
    if (r == 0 && got == n) {
        b->len += n;
        sk__rbuf_release(s); /* (one sk_receiveline may have left) */
        return sk__buf_nul(b, 0);
    }
    if (got > n) { /* read ahead: keep what is not ours (as read_direct) */
        int k = sk__stash(s, b->data + b->len + n, got - n);
        if (k != 0) {
            b->len += got;
            return sk__buf_nul(b, k);
        }
        b->len += n;
        return sk__buf_nul(b, 0);
    }
    b->len += got;
    if (r == 0)
        r = receive_count(s, b, n - got, SK_BYTES, &tm);
    sk__rbuf_release(s);
    return sk__buf_nul(b, r);
}

int sk__buf_nul_slow(sk_buf *b, int r)
{
    int k;
    if (r != 0 && b->data == NULL)
        return r; /* an error never allocates just for the NUL */
    k = sk_buf_reserve(b, 1);
    if (k != 0)
        return r != 0 ? r : k;
    b->data[b->len] = '\0';
    return r;
}

/* bytes_rest after receive_bytes's read: k bytes (not n), or k 0 (the end
 * of the stream) or -1 (sk__plat_recv_fail says why). */
static SK__NOINLINE int bytes_first(sk_sock *s, sk_buf *b, size_t n,
                                    ptrdiff_t k)
{
    int sys = 0, r = k > 0 ? 0 : k == 0 ? SK_ECLOSED : sk__plat_recv_fail(&sys);
    return bytes_rest(s, b, n, k > 0 ? (size_t)k : 0, r, sys);
}

/* sk_receive but for its common case: the checks, and every pattern. */
static SK__NOINLINE int receive_any(sk_sock *s, sk_buf *buf, int pattern,
                                    size_t n)
{
    int r;
    /* One test for the common case: a client, and a usable buffer. */
    if (s == NULL || s->role != SK_ROLE_CLIENT || buf == NULL ||
        buf->len > buf->cap || (buf->data == NULL && buf->cap)) {
        r = sk__check_role(s, SK_ROLE_CLIENT);
        if (buf == NULL || buf->len > buf->cap ||
            (buf->data == NULL && buf->cap))
            return r != 0 ? r : SK_EINVAL;
        return sk__buf_nul(buf, r); /* a usable buffer: terminated too */
    }
    if (pattern == SK_BYTES && n > 0 && s->rfirst == s->rlast &&
        buf->cap - buf->len > n) /* room for the NUL too */
        return bytes_rest(s, buf, n, 0, 0, 0);
    if (pattern < SK_ALL || pattern > SK_SOME)
        r = SK_EINVAL;
    else if (pattern == SK_BYTES && n == 0)
        r = 0;
    else /* SK_ALL has no count, SK_SOME's 0 means no limit. */
        r = sk__receive(s, buf, pattern,
                        (pattern == SK_ALL || (pattern == SK_SOME && n == 0))
                            ? SIZE_MAX
                            : n);
    return sk__buf_nul(buf, r);
}

/* The copy of the last buffered line (n bytes at p, to dst), after which
 * the receive buffer goes: a call of its own, so that line_copy keeps
 * nothing live across its memcpy. */
static SK__NOINLINE int line_copy_last(sk_sock *s, char *dst, const char *p,
                                       size_t n)
{
    memcpy(dst, p, n);
    sk__rbuf_free(s);
    return 0;
}

/* The end of SK_LINE's common case: the line of n bytes at p (CRs
 * dropped already), its LF at offset end, copied into b (checked) when it
 * fits the line limit and b's room with its NUL; else receive_any. */
SK__INLINE int line_copy(sk_sock *s, sk_buf *b, const char *p, size_t n,
                         size_t end)
{
    size_t len = b->len;
    if (n > s->linemax || b->cap - len <= n) /* room for the NUL too */
        return receive_any(s, b, SK_LINE, 0);
    b->len = len + n;
    b->data[len + n] = '\0';
    s->rfirst = (uint16_t)(end + 1);
    if (s->rfirst == s->rlast) /* the last buffered line */
        return line_copy_last(s, b->data + len, p, n);
    memcpy(b->data + len, p, n); /* nothing is live after it */
    return 0;
}

/* SK_LINE's common case when the buffer is not known to be free of CRs
 * before the line's LF (at offset end): look (once per buffer fill for
 * text without CRs, once per line for CR LF text); a CR right before the
 * LF is dropped, any other CR goes to receive_any. */
static SK__NOINLINE int line_cr(sk_sock *s, sk_buf *b, size_t end)
{
    const char *p = s->rbuf + s->rfirst;
    size_t n = end - s->rfirst;
    const char *cr = sk__line_first_cr(s, end);
    if (cr != NULL) {
        if (cr != s->rbuf + end - 1)
            return receive_any(s, b, SK_LINE, 0);
        n--; /* CR LF */
    }
    return line_copy(s, b, p, n, end);
}

/* SK_LINE's common case: a whole line buffered, ending in LF or CR LF with
 * no other CR, within the line limit and b's room (with its NUL): copied,
 * terminated, taken (the receive buffer given back after its last line).
 * rscan says when the buffer is known to hold no CR (line_cr looks once
 * per buffer fill), so that such lines are looked at once.  The search is
 * inline (scan.h); a buffer of fewer than SK__LF_REACH bytes, an empty
 * one, anything else and the checks' failures are receive_any's.  b's
 * fields are read after the search, so that fewer values live across it
 * (no register saved). */
static SK__NOINLINE int receive_line_quick(sk_sock *s, sk_buf *b)
{
    size_t end;
    if (s == NULL || s->role != SK_ROLE_CLIENT ||
        s->rlast < SK__LF_REACH || b == NULL)
        return receive_any(s, b, SK_LINE, 0);
    end = sk__lf_index(s->rbuf, s->rfirst, s->rlast);
    if (end == SK__LF_NONE || b->data == NULL || b->len >= b->cap)
        return receive_any(s, b, SK_LINE, 0);
    if (s->rscan < end)
        return line_cr(s, b, end);
    return line_copy(s, b, s->rbuf + s->rfirst, end - s->rfirst, end);
}

/* SK_BYTES's common case, one test of each condition: SK_BYTES from a plain
 * connected client with nothing buffered, into a buffer with room for the
 * n bytes and the NUL (its data then not NULL), met by one read of exactly
 * n bytes: counted, terminated, done.  Anything else is receive_any's (the
 * checks) or bytes_rest's (a read that brought more, less, or nothing). */
static SK__NOINLINE int receive_bytes(sk_sock *s, sk_buf *buf, size_t n)
{
    size_t len;
    ptrdiff_t k;
    if (s == NULL || buf == NULL || n == 0 || s->role != SK_ROLE_CLIENT ||
        buf->data == NULL || (len = buf->len) >= buf->cap ||
        buf->cap - len <= n || s->rfirst != s->rlast)
        return receive_any(s, buf, SK_BYTES, n);
    if (s->connecting | s->tls) /* (checked: no read made yet) */
        return bytes_rest(s, buf, n, 0, 0, 0);
    k = sk__plat_recv1(s->fd, buf->data + len, bytes_want(buf->cap - len, n));
    if (k <= 0 || (size_t)k != n)
        return bytes_first(s, buf, n, k);
    s->nrecv += n;
    buf->data[buf->len += n] = '\0';
    if (s->rbuf != NULL) /* (one sk_receiveline may have left it) */
        sk__rbuf_free(s);
    return 0;
}

/* Each pattern's common case in a function of its own (receive_bytes,
 * receive_line_quick), reached by a jump: no frame here. */
SK_API int sk_receive(sk_sock *s, sk_buf *buf, int pattern, size_t n)
{
    if (pattern == SK_BYTES)
        return receive_bytes(s, buf, n);
    if (pattern == SK_LINE)
        return receive_line_quick(s, buf);
    return receive_any(s, buf, pattern, n);
}
