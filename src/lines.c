/* SPDX-License-Identifier: MIT */
/*
 * lines.c - sk_receiveline: each line handed out as a view into the
 * object's receive buffer, with no copy.  The line rule (every CR dropped,
 * the line limit) is SK_LINE's own, buffer.c's sk__line_append applied in
 * place; a partial line waits at the front of the buffer (sk__fill_more)
 * so that every line is contiguous there.
 */
#include "sockit_int.h"
#include "scan.h"

#include <string.h>

/* How sk__lines_view ends: after it an LF, the peer's close, or the end
 * of a full buffer. */
enum { SK__LV_LF, SK__LV_CLOSED, SK__LV_FULL };

/* Hand out the span buffered bytes at rfirst as the line view: CRs dropped
 * in place, at most the line limit kept (else SK_ETOOLONG, consuming only
 * what the view holds).  how: what follows them (SK__LV_*), which decides
 * what is consumed, whether the view is NUL-terminated (there is room for
 * that byte: the LF's place, or a byte before rlast < SK__RBUF_SIZE) and
 * what the call returns. */
static int sk__lines_view(sk_sock *s, size_t span, int how,
                          const char **line, size_t *len)
{
    char *p = s->rbuf + s->rfirst;
    const char *cr = sk__line_first_cr(s, s->rfirst + span);
    size_t used = 0;
    sk_buf b;
    int r;
    b.data = p;
    b.len = 0;
    b.cap = span; /* no growth: the kept bytes never outnumber span */
    r = sk__line_append(&b, p, span, cr, s->linemax, &used);
    *line = p;
    *len = b.len;
    if (r != 0) { /* SK_ETOOLONG: the rest of the line stays */
        s->rfirst = (uint16_t)(s->rfirst + used);
        return r;
    }
    s->rfirst = (uint16_t)(s->rfirst + span + (how == SK__LV_LF));
    if (how == SK__LV_FULL)
        return SK_ETOOLONG;
    p[b.len] = '\0';
    return how == SK__LV_LF ? 0 : SK_ECLOSED;
}

/* Everything but a whole line already buffered with at most a CR before
 * its LF, within the limit: the checks' failures, lines with CRs inside,
 * over the limit, or not yet (all) here. */
static SK__NOINLINE int sk__lines_slow(sk_sock *s, const char **line,
                                       size_t *len)
{
    size_t seen = 0; /* the unread bytes known to hold no LF */
    sk__tm tm;
    int r = sk__check_role(s, SK_ROLE_CLIENT);
    if (line != NULL)
        *line = NULL;
    if (len != NULL)
        *len = 0;
    if (r != 0)
        return r;
    if (line == NULL || len == NULL)
        return SK_EINVAL;
    sk__tm_start(&tm, s);
    for (;;) {
        size_t avail = (size_t)(s->rlast - s->rfirst);
        if (avail > seen) {
            const char *p = s->rbuf + s->rfirst;
            const char *lf =
                (const char *)memchr(p + seen, '\n', avail - seen);
            if (lf != NULL)
                return sk__lines_view(s, (size_t)(lf - p), SK__LV_LF, line,
                                      len);
            seen = avail;
            /* Over the limit already, as SK_LINE would find. */
            if (avail > s->linemax &&
                sk__line_kept(p, avail, sk__line_first_cr(s, s->rlast)) >
                    s->linemax)
                return sk__lines_view(s, avail, SK__LV_FULL, line, len);
            /* A view cannot outgrow the buffer. */
            if (s->rfirst == 0 && avail == SK__RBUF_SIZE)
                return sk__lines_view(s, avail, SK__LV_FULL, line, len);
        }
        r = sk__fill_more(s, &tm); /* seen stays true: bytes only move */
        if (r != 0)
            break;
    }
    if (r == SK_ECLOSED && s->rfirst < s->rlast)
        return sk__lines_view(s, (size_t)(s->rlast - s->rfirst),
                              SK__LV_CLOSED, line, len);
    if (s->rfirst < s->rlast)
        s->linewait = 1; /* not dirty until more arrive */
    else
        sk__rbuf_release(s);
    return r;
}

/* The fast path's line of n bytes before its LF when the buffer is not
 * known to be free of CRs there: look (once per buffer fill for text
 * without CRs, once per line for CR LF text); a CR right before the LF is
 * dropped here, any other CR and an over-long line go to sk__lines_slow.
 * *line is set already. */
static SK__NOINLINE int sk__lines_cr(sk_sock *s, const char **line,
                                     size_t *len, size_t n)
{
    size_t end = s->rfirst + n;
    const char *cr = sk__line_first_cr(s, end);
    if (cr == NULL || (n > 0 && cr == s->rbuf + end - 1)) {
        if (cr != NULL)
            n--; /* CR LF */
        if (n <= s->linemax) {
            s->rbuf[s->rfirst + n] = '\0';
            s->rfirst = (uint16_t)(end + 1);
            *len = n;
            return 0;
        }
    }
    return sk__lines_slow(s, line, len);
}

/* The fast path: a whole line buffered, with no CR or just one before its
 * LF, within the limit; the rest (and every check's failure) goes to
 * sk__lines_slow.  rscan says when the buffer is known to hold no CR
 * (sk__lines_cr looks once per buffer fill), so that such lines are looked
 * at once.  The search is inline (scan.h) and calls nothing, so that the
 * common case saves no register; a buffer holding fewer than
 * SK__LF_REACH bytes (too few for its last step) takes the slow path, and
 * so does an empty one (rfirst == rlast: no LF found; rbuf is not NULL
 * when rlast is not 0). */
SK_API int sk_receiveline(sk_sock *s, const char **line, size_t *len)
{
    size_t first, end;
    char *b;
    if (s == NULL || s->role != SK_ROLE_CLIENT)
        goto slow;
    if (line == NULL)
        goto slow;
    if (len == NULL || s->rlast < SK__LF_REACH)
        goto slow;
    first = s->rfirst;
    b = s->rbuf;
    end = sk__lf_index(b, first, s->rlast);
    if (end == SK__LF_NONE)
        goto slow;
    *line = b + first;
    if (s->rscan < end)
        return sk__lines_cr(s, line, len, end - first);
    if (end - first > s->linemax)
        goto slow;
    b[end] = '\0'; /* our buffer; the LF is taken */
    s->rfirst = (uint16_t)(end + 1);
    *len = end - first;
    return 0;
slow:
    return sk__lines_slow(s, line, len);
}
