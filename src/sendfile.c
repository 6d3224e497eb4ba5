/* SPDX-License-Identifier: MIT */
/*
 * sendfile.c - sk_sendfile: a byte range of a file through a client.  The
 * loop asks the backend for zero-copy steps (sendfile, TransmitFile) and
 * waits for room between them; for short ranges, and for files the
 * zero-copy call refuses before any byte went out, over TLS, and to a
 * peer on this host, it reads the file into a buffer and sends that with
 * the ordinary send loop.
 */
#include "sockit_int.h"

#include <stdlib.h>
#include <string.h>

/* Most bytes asked of one zero-copy step (a backend may take fewer). */
#define SK__SF_STEP ((size_t)1 << 20)
/* The read-and-send loop's buffer. */
#define SK__SF_BUFSIZE ((size_t)64 * 1024)
/* Ranges shorter than this are read and sent: below a page, setting up a
 * zero-copy transfer costs more than copying (httpd has the same rule). */
#define SK__SF_SMALL 4096

/* Whether s's peer is on this host: a UNIX-domain socket, a loopback peer
 * (127.0.0.0/8, ::1; IPv4-mapped counts as IPv4), or a peer whose address
 * is the socket's own.  There the zero-copy send costs the receiving end
 * more than it saves the sender (Linux, loopback TCP: the sink's CPU time
 * doubles on page-cache fragments; read and send measured level with raw
 * read + send and sendfile 20 % more CPU in all, bench/RESULTS.md), so the
 * read-and-send loop is cheaper for the host.  1 on this host, 0 remote,
 * -1 unknown (a name could not be read). */
static int sk__sf_judge_peer(sk_sock *s)
{
    static const unsigned char lo6[16] = {0, 0, 0, 0, 0, 0, 0, 0,
                                          0, 0, 0, 0, 0, 0, 0, 1};
    unsigned char peer[16], me[16];
    sk__addr a;
    int sys = 0, n;
#if defined(SOCKIT_TEST_HOOKS)
    if (sk__test_sendfile_local() >= 0) /* the tests choose the path */
        return sk__test_sendfile_local();
#endif
    if (s->family == SK__AF_UNIX)
        return 1;
    if (sk__plat_peername(s->fd, &a, &sys) != 0)
        return -1;
    n = sk__addr_ip(&a, peer);
    if ((n == 4 && peer[0] == 127) ||
        (n == 16 && memcmp(peer, lo6, sizeof lo6) == 0))
        return 1;
    if (n == 0 || sk__plat_sockname(s->fd, &a, &sys) != 0)
        return -1;
    return sk__addr_ip(&a, me) == n && memcmp(peer, me, (size_t)n) == 0;
}

/* sk__sf_judge_peer's answer, judged once per socket: kept in s->shut
 * (SK__SHUT_PEER_*) until the socket changes (sk__peer_forget); an
 * unknown answer counts as remote and is asked again next time. */
static int sk__sf_local_peer(sk_sock *s)
{
    int local;
    if (s->shut & SK__SHUT_PEER_KNOWN)
        return (s->shut & SK__SHUT_PEER_LOCAL) != 0;
    local = sk__sf_judge_peer(s);
    if (local < 0)
        return 0;
    s->shut = (unsigned char)(s->shut | SK__SHUT_PEER_KNOWN |
                              (local ? SK__SHUT_PEER_LOCAL : 0));
    return local;
}

/* How long an asynchronous zero-copy step may wait: what the deadline
 * leaves, or nothing in non-blocking mode (whose waits return at once). */
static int64_t sk__sf_step_ms(const sk_sock *s, const sk__tm *tm)
{
    return sk__nonblock(s) ? 0 : sk__tm_left(tm);
}

/* One read-and-send step of up to want bytes at pos: *moved receives the
 * bytes sent, *eof is set when the file had nothing more. */
static int sk__sf_copy_step(sk_sock *s, int file, uint64_t pos, size_t want,
                            char *buf, const sk__tm *tm, size_t *moved,
                            int *eof)
{
    size_t got = 0;
    int sys = 0, r;
    *moved = 0;
    if (want > SK__SF_BUFSIZE)
        want = SK__SF_BUFSIZE;
    r = sk__plat_pread(file, buf, want, pos, &got, &sys);
    if (r != 0) {
        sk__sys_set(s, sys);
        return r;
    }
    if (got == 0) {
        *eof = 1;
        return 0;
    }
    return sk__send_all(s, buf, got, moved, tm); /* counts the stats */
}

SK_API int sk_sendfile(sk_sock *s, int file, uint64_t offset, int64_t length,
                       uint64_t *sent)
{
    const uint64_t max = (uint64_t)INT64_MAX;
    uint64_t done = 0, left;
    char *buf = NULL;
    int r, copy, eof = 0;
    sk__tm tm;

    if (sent != NULL)
        *sent = 0;
    r = sk__check_role(s, SK_ROLE_CLIENT);
    if (r != 0)
        return r;
    if (s->type != SK__STREAM)
        return SK_EWRONGROLE;
    if (file < 0 || length < -1 || offset > max ||
        (length > 0 && (uint64_t)length > max - offset))
        return SK_EINVAL;
    if (length == 0)
        return 0;
    /* Over TLS the bytes must be encrypted: always read and send. */
    copy = (length > 0 && length < SK__SF_SMALL) || s->tls;

    sk__tm_start(&tm, s);
    r = sk__ensure_connected(s, &tm);
    if (r == 0 && !copy && sk__sf_local_peer(s))
        copy = 1; /* cheaper for this host: see sk__sf_local_peer */
    while (r == 0 && !eof) {
        uint64_t pos = offset + done;
        size_t want, n = 0;
        /* Through the end of the file: as far as file offsets go. */
        left = length >= 0 ? (uint64_t)length - done : max - pos;
        if (left == 0)
            break;
        want = left < SK__SF_STEP ? (size_t)left : SK__SF_STEP;
        if (copy) {
            if (buf == NULL) {
                buf = (char *)sk__malloc(SK__SF_BUFSIZE);
                if (buf == NULL) {
                    r = SK_ENORESOURCES;
                    break;
                }
            }
            r = sk__sf_copy_step(s, file, pos, want, buf, &tm, &n, &eof);
            done += n;
            continue;
        }
        {
            int sys = 0;
            r = sk__plat_sendfile(s->fd, file, pos, want,
                                  sk__sf_step_ms(s, &tm), &n, &sys);
            done += n;
            s->nsent += n;
            if (r == 0 && n == 0)
                eof = 1;
            else if (r == SK_EUNSUPPORTED) {
                /* Nothing went out in this step: this file (or system) has
                 * no zero-copy path; go on with read and send. */
                copy = 1;
                r = 0;
            } else if (r == SK_EWOULDBLOCK)
                r = sk__wait(s, SK__WAIT_WRITE, &tm);
            else if (r != 0)
                sk__sys_set(s, sys);
        }
    }
    sk__free(buf);
    if (sent != NULL)
        *sent = done;
    return r;
}
