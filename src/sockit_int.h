/* SPDX-License-Identifier: MIT */
/*
 * sockit_int.h - the private object layout and the helpers shared by
 * sockit's files in src/.  Nothing here is public; nothing here includes a
 * system socket header (that is the backends' business, see plat.h).
 *
 * The layers of src/, bottom-up; each uses only the ones below it:
 *   backends     src/posix/, src/win32/: the OS calls
 *   contract     plat.h (backend calls), this file (object layout)
 *   objects      roles, receive engine, options, select, udp, unix, time
 *                (tcp.c, client.c, object.c, io.c, buffer.c, lines.c,
 *                options.c, select.c, udp.c, unix.c, state.c, ...)
 *   loop         sk_loop, timers, watches, sk_selector (loop.c, timer.c,
 *                watch.c, selector.c)
 *   connections  sk_conn, sk_server, async lookup (conn*.c, server.c)
 * A lower layer learns about a higher one only through a pointer the
 * higher one installs: an object tells its watcher about its socket
 * through the sk__note hook below (installed by watch.c), never by
 * calling the loop layer by name.
 */
#ifndef SK_INT_H
#define SK_INT_H

#include "plat.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h> /* (sk__udp_known, sk__udp_name_quick) */

#define SK__RBUF_SIZE 16384             /* receive buffer, made on first use */
#define SK__LINE_LIMIT ((size_t)1 << 20) /* default line limit: 1 MiB */
#define SK__HOST_MAX 255                /* longest host name accepted */

/* Per-call deadline state: block bounds each wait, total the whole call. */
typedef struct sk__tm {
    int64_t block_ms; /* -1: none */
    int64_t total_ms; /* -1: none */
    int64_t start_us; /* when the call began */
} sk__tm;

/* What an object may need beside its socket, made on first need so that an
 * accepted client carries none of it: the options set on it (a master
 * replays them onto each new socket it makes; some are answered from here)
 * and the UNIX-domain path it bound. */
struct sk__tls;
struct sk__udpc;
typedef struct sk__extra {
    char *upath;       /* UNIX-domain path this object bound, or NULL */
    struct sk__udpc *udp; /* a datagram object's conversions (udp.c) */
    struct sk__tls *tls;  /* the TLS session of a client (s->tls) */
    sk_tls_ctx *tlslisten; /* a listener's context for accepted clients */
    sk_tls_ctx *conntls;  /* sk_conn_settls: the context of an sk_conn's
                             connections (kept on its object: the sk_conn
                             has no room), or NULL */
    char *conntlshost;    /* ... and the host they verify, or NULL */
    uint32_t optset;   /* bit per enum sk_option: remembered value valid */
    int optval[SK_OPT_COUNT];
} sk__extra;

/* The object's one way up (see the layers above): a higher layer that
 * follows an object's socket installs a note on it (s->note) and the
 * object calls it through sk__notify:
 * - SK__NOTE_FILLED: bytes were read into the receive buffer (they are
 *   readable without the system's help);
 * - SK__NOTE_SETFD: the object's socket is about to be replaced by fd
 *   (SK_FD_INVALID: none for now), while the old handle is still open;
 * - SK__NOTE_CLOSING: the object is being closed, its socket still open;
 *   the note must uninstall itself (s->note = NULL). */
enum { SK__NOTE_FILLED = 1, SK__NOTE_SETFD = 2, SK__NOTE_CLOSING = 3 };
typedef struct sk__note sk__note;
struct sk__note {
    void (*fn)(sk__note *note, sk_sock *s, int what, sk_fd_t fd);
};

/* An object, kept small: every accepted client has one (104 bytes on 64-bit
 * POSIX; the receive buffer and sk__extra only while needed).  The receive
 * buffer's offsets are 16-bit: */
typedef char sk__rbuf_fits_16_bits[SK__RBUF_SIZE <= 65535 ? 1 : -1];
/* 104 bytes (64-bit POSIX): with glibc's 8-byte header a 112-byte block
 * (issue 17: an idle connection watched by a selector below libuv's 270
 * bytes).  A field more needs a reason. */

struct sk_sock {
    /* What a transfer on a loop's connection reads and writes, first
     * (40 bytes: with thousands of busy connections each round trip
     * fetches one or two cache lines of the object) */
    sk_fd_t fd;
    unsigned char role;      /* enum sk_role */
    unsigned char family;    /* SK__AF_* of fd, or the constructor's (0:
                                dual) */
    unsigned char type;      /* SK__STREAM or SK__DGRAM */
    unsigned char shut;      /* bit 1: receiving shut down, bit 2: sending
                                (written only by sk_shutdown); bits 4
                                and 8: SK__SHUT_PEER_* (sk_sendfile) */
    unsigned char linewait;  /* receive side: see sk__buffered */
    unsigned char tls;       /* s->extra->tls is a TLS session: see tls.c */
    unsigned char dual;      /* non-zero: made by sk_tcp() / sk_udp(),
                                socket created lazily; with
                                SK__DUAL_V6ONLY: the system refused to turn
                                IPV6_V6ONLY off (OpenBSD), its IPv6 socket
                                is IPv6-only (sk__make_socket) */
    unsigned char bound;     /* sk_bind succeeded */
    unsigned char connecting; /* a client whose connect may still be
                                 pending */
    unsigned char life;      /* SK__LIFE_STARTED: sk__plat_startup
                                succeeded (pair with cleanup);
                                SK__LIFE_ADOPTED: fd came from sk_setfd;
                                SK__LIFE_NONBLOCK: sk_setblocking(s, 0),
                                waits return at once (sk__nonblock);
                                SK__LIFE_ROLE_MASK: the role before
                                sk_close (sk_lastrole) */
    uint16_t rfirst;         /* first unread byte in rbuf */
    uint16_t rlast;          /* one past the last unread byte */
    uint16_t rscan;          /* rbuf holds no CR from rfirst up to here */
    int sys;                 /* raw OS code of the last failure; written
                                with sk__sys_set where one thread may send
                                while another receives (see below) */
    uint64_t nrecv;          /* bytes received from the OS */
    uint64_t nsent;          /* bytes sent to the OS */
    /* the rest */
    int64_t block_ms;        /* settimeout 'b', -1 none (sk__timeout_ms) */
    int64_t total_ms;        /* settimeout 't', -1 none */
    size_t linemax;          /* SK_LINE limit */
    int64_t birth_us;        /* for the age in getstats */
    char *rbuf;              /* SK__RBUF_SIZE bytes while bytes are
                                buffered */
    sk__extra *extra;        /* NULL until needed */
    sk__note *note;          /* who watches this object (a loop's watch),
                                or NULL: see sk__notify */
    void *data;              /* the caller's (sk_setuserdata) */
};

#define SK__LIFE_STARTED 1
#define SK__LIFE_ADOPTED 2
#define SK__LIFE_ROLE_SHIFT 2 /* enum sk_role (0..5) fits 3 bits */
#define SK__LIFE_ROLE_MASK (7u << SK__LIFE_ROLE_SHIFT)
#define SK__LIFE_NONBLOCK 0x20
#define SK__DUAL_V6ONLY 2 /* in s->dual (see there) */
/* In s->shut, the sending side's byte, beside its bits 1 and 2: whether
 * sk_sendfile has judged the peer of this socket (SK__SHUT_PEER_KNOWN) and
 * found it on this host (SK__SHUT_PEER_LOCAL); forgotten whenever the
 * socket changes (sk__peer_forget). */
#define SK__SHUT_PEER_KNOWN 4
#define SK__SHUT_PEER_LOCAL 8
#define sk__peer_forget(s)                                                  \
    ((s)->shut = (unsigned char)((s)->shut &                                \
                                 ~(SK__SHUT_PEER_KNOWN | SK__SHUT_PEER_LOCAL)))

/* Non-blocking mode (sk_setblocking): 1 or 0. */
#define sk__nonblock(s) (((s)->life & SK__LIFE_NONBLOCK) != 0)
#define sk__set_nonblock(s, on)                                             \
    ((s)->life = (unsigned char)(((s)->life & ~SK__LIFE_NONBLOCK) |         \
                                 ((on) ? SK__LIFE_NONBLOCK : 0)))

/* One thread may send while another receives on the same client (see
 * docs/thread-safety.md): the two sides touch disjoint fields (sending:
 * nsent, the shut byte; receiving: the receive buffer, rfirst..rscan,
 * linewait, nrecv), never bits of one byte, and both may record a failure in
 * sys, so that one is stored and loaded as a relaxed atomic: the last
 * failure wins, as with one thread.  Other compilers get a volatile int,
 * which every supported ABI stores and loads whole. */
#if defined(__GNUC__) && !defined(__TINYC__)
#  define SK__SYS_STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)
#  define SK__SYS_LOAD(p) __atomic_load_n((p), __ATOMIC_RELAXED)
#else
#  define SK__SYS_STORE(p, v) (*(volatile int *)(p) = (v))
#  define SK__SYS_LOAD(p) (*(const volatile int *)(p))
#endif

/* (SK__INLINE and SK__NOINLINE: see plat.h.) */

/* Record a failure's OS code (0: the backend left none: keep the last). */
SK__INLINE void sk__sys_set(sk_sock *s, int sys)
{
    if (sys != 0)
        SK__SYS_STORE(&s->sys, sys);
}

/* Tell the object's note (if any) what happened: see sk__note. */
SK__INLINE void sk__notify(sk_sock *s, int what, sk_fd_t fd)
{
    if (s->note != NULL)
        s->note->fn(s->note, s, what, fd);
}

/* timeout.c (sk__tm_start here): start a call's deadline state. */
SK__INLINE void sk__tm_start(sk__tm *tm, const sk_sock *s)
{
    tm->block_ms = s->block_ms;
    tm->total_ms = s->total_ms;
    tm->start_us = (tm->total_ms >= 0) ? sk__plat_now_us() : 0;
}
/* A deadline of ms from now (negative: none) and no block timeout, for a
 * wait that is retried after an interruption (sk_select,
 * sk_selector_wait): sk__tm_left then says what is left of ms. */
SK__INLINE void sk__tm_start_ms(sk__tm *tm, int64_t ms)
{
    tm->block_ms = -1;
    tm->total_ms = ms;
    tm->start_us = ms > 0 ? sk__plat_now_us() : 0;
}
/* Milliseconds the next wait may take: -1 forever, 0 when time is up. */
int64_t sk__tm_left(const sk__tm *tm);
/* 1 when the total timeout has run out. */
int sk__tm_expired(const sk__tm *tm);
/* The longest finite timeout any call accepts, in seconds (about 31 years):
 * its microseconds stay far from int64_t's limit. */
#define SK__TIMEOUT_MAX_S 1e9
/* The API's one timeout rule: seconds to *ms (-1: no limit).  Returns 0, or
 * SK_EINVAL for NaN and finite values above SK__TIMEOUT_MAX_S. */
int sk__timeout_ms(double seconds, int64_t *ms);

/* tls.c: the stream layer.  s->tls set: s->extra->tls is a TLS session,
 * and the transfers below go through it instead of the socket (see
 * tls_int.h for the providers). */
int sk__tls_recv(sk_sock *s, char *dst, size_t cap, size_t *got,
                 const sk__tm *tm);
int sk__tls_send(sk_sock *s, const char *data, size_t len, size_t *sent,
                 const sk__tm *tm);
/* sk_sendv over TLS: the n buffers in order, small ones gathered so that
 * a record carries as many bytes as fit (not a record per buffer); *sent
 * receives the bytes TLS took, also on error. */
int sk__tls_sendv(sk_sock *s, const sk_iovec *iov, size_t n, size_t *sent,
                  const sk__tm *tm);
/* 1 when the TLS session holds decrypted bytes (s->tls set). */
int sk__tls_pending(const sk_sock *s);
/* sk_close: send close_notify (one try), free the session and drop a
 * listener's context.  s->extra is not NULL. */
void sk__tls_drop(sk_sock *s);
/* sk_shutdown (sending side): send close_notify within tm. */
int sk__tls_shutdown(sk_sock *s, const sk__tm *tm);
/* sk_accept: the new client c of a TLS listener s starts TLS (handshake
 * pending).  Returns 0 or an error (c is then to be freed). */
int sk__tls_accepted(const sk_sock *s, sk_sock *c);
/* sk_conn_settls: 0 when ctx is a client context usable with host (then
 * a reference is taken for the caller), or SK_EINVAL / SK_EUNSUPPORTED.
 * sk__tls_ctx_release drops it. */
int sk__tls_ctx_take(sk_tls_ctx *ctx, const char *host);
void sk__tls_ctx_release(sk_tls_ctx *ctx);
/* What s's unfinished TLS handshake waits for: SK_READABLE or
 * SK_WRITABLE (the connections' watch interest while ENCRYPTING). */
int sk__tls_want(const sk_sock *s);

/* io.c: transfers with timeouts, counted in the stats */
int sk__wait(sk_sock *s, int events, const sk__tm *tm);
int sk__ensure_connected(sk_sock *s, const sk__tm *tm);

/* The slow halves of sk__send_all and sk__recv_some (io.c): a connect to
 * settle first, or waits for readiness between system calls.  done bytes
 * were sent already; r is SK_EWOULDBLOCK when the attempt before found
 * no room (or nothing to read), 0 when no attempt was made (a connect may
 * be pending).  tm NULL: the deadline starts here, at the call's first
 * wait (what came before was one non-blocking attempt). */
int sk__send_rest(sk_sock *s, const char *data, size_t len, size_t done,
                  int r, size_t *sent, const sk__tm *tm);
int sk__recv_wait(sk_sock *s, char *dst, size_t cap, size_t *got, int r,
                  const sk__tm *tm);

/* Send all len bytes, waiting for room within tm (NULL: a deadline that
 * starts at the first wait); *sent receives the count (also on error).
 * Inline: on every send's path, whose common case is one system call and
 * one test. */
SK__INLINE int sk__send_all(sk_sock *s, const char *data, size_t len,
                            size_t *sent, const sk__tm *tm)
{
    size_t n = 0;
    int r = 0;
    if (!(s->connecting | s->tls) && len > 0) { /* else: sk__send_rest */
        int sys = 0;
        r = sk__plat_send(s->fd, data, len, &n, &sys);
        s->nsent += n;
        if (r == 0 && n == len) {
            *sent = n;
            return 0;
        }
        sk__sys_set(s, sys);
        if (r != 0 && r != SK_EWOULDBLOCK) {
            *sent = n;
            return r;
        }
    }
    return sk__send_rest(s, data, len, n, r, sent, tm);
}

/* One successful read of at least one byte straight into dst, waiting as
 * needed within tm (NULL as for sk__send_all).  Inline: on every
 * receive's path, whose common case is one system call and one test. */
SK__INLINE int sk__recv_some(sk_sock *s, char *dst, size_t cap, size_t *got,
                             const sk__tm *tm)
{
    int r = 0;
    if (!(s->connecting | s->tls)) { /* else: sk__recv_wait */
        int sys = 0;
        r = sk__plat_recv(s->fd, dst, cap, got, &sys);
        if (r == 0) {
            s->nrecv += *got;
            return 0;
        }
        sk__sys_set(s, sys);
        if (r != SK_EWOULDBLOCK)
            return r;
    }
    return sk__recv_wait(s, dst, cap, got, r, tm);
}

/* Refill the empty receive buffer (made if needed) with one read. */
int sk__fill(sk_sock *s, const sk__tm *tm);
/* Put n bytes read ahead (at most SK__RBUF_SIZE) into the empty receive
 * buffer.  Returns 0 or SK_ENORESOURCES. */
int sk__stash(sk_sock *s, const char *p, size_t n);
/* Free the receive buffer (and forget what it held). */
void sk__rbuf_free(sk_sock *s);
/* Give the receive buffer back when it holds nothing: at the end of every
 * call that takes from it, so that an idle object holds no buffer. */
SK__INLINE void sk__rbuf_release(sk_sock *s)
{
    if (s->rfirst == s->rlast && s->rbuf != NULL)
        sk__rbuf_free(s);
}

/* buffer.c: the receive engine */
/* sk_receive after its checks: the call's deadline starts here, and the
 * receive buffer is given back if the call leaves it empty (out of line,
 * so that sk_receive's quick path for buffered lines stays small). */
SK__NOINLINE int sk__receive(sk_sock *s, sk_buf *buf, int pattern, size_t n);
size_t sk__take(sk_sock *s, char *dst, size_t cap);

/* buffer.c: end b's bytes with a NUL (not counted in len) and return r;
 * when there is no memory for it, r if r is an error, else
 * SK_ENORESOURCES.  After an error (r != 0) a buffer without memory
 * (data NULL) is left so: no allocation the caller might not free. */
int sk__buf_nul_slow(sk_buf *b, int r);
SK__INLINE int sk__buf_nul(sk_buf *b, int r)
{
    if (b->len < b->cap) {
        b->data[b->len] = '\0';
        return r;
    }
    return sk__buf_nul_slow(b, r);
}

/* options.c */
int sk__opt_check(int option, int value);
int sk__opt_apply_all(sk_sock *s, sk_fd_t fd, int family);
/* s->extra, made if needed.  Returns 0 or SK_ENORESOURCES. */
int sk__need_extra(sk_sock *s);

/* 1 when calls on s may wait without limit (blocking mode, no timeout):
 * its socket of family is then one the OS blocks on (sk__plat_socket_ex),
 * so that a receive that has to wait is one system call.  UNIX-domain
 * sockets stay non-blocking: Linux would queue a blocking connect on a
 * full backlog instead of refusing it. */
SK__INLINE int sk__os_blocking(const sk_sock *s, int family)
{
    return family != SK__AF_UNIX && !sk__nonblock(s) && s->block_ms < 0 &&
           s->total_ms < 0;
}

/* object.c: after s's timeouts or mode changed (was: sk__os_blocking
 * before), make its socket match: a socket sockit made is always blocking
 * exactly when sk__os_blocking says so. */
void sk__sync_blocking(sk_sock *s, int was);

/* tcp.c: objects and their sockets (the checks every call makes first
 * are here): 0, SK_EINVAL (NULL), SK_ECLOSED, SK_EWRONGROLE. */
SK__INLINE int sk__check(const sk_sock *s)
{
    if (s == NULL)
        return SK_EINVAL;
    return s->role == SK_ROLE_CLOSED ? SK_ECLOSED : 0;
}

SK__INLINE int sk__check_role(const sk_sock *s, int role)
{
    if (s == NULL)
        return SK_EINVAL;
    if (s->role == role)
        return 0;
    return s->role == SK_ROLE_CLOSED ? SK_ECLOSED : SK_EWRONGROLE;
}
/* A new object of family and type (SK__STREAM starts as a master,
 * SK__DGRAM as unconnected); dual: no socket until one is needed. */
int sk__new(sk_sock **out, int family, int type, int dual);
/* tcp.c: sk_accept in two steps, for a descriptor accepted elsewhere (the
 * loop's poller: sk_server in completion mode).  sk__accept_object: a
 * new object for a client of listener s in *out (no socket yet): 0 or
 * SK_ENORESOURCES (the descriptor, not handed over yet, stays the
 * caller's).  sk__accept_adopt: c (from sk__accept_object) takes fd,
 * accepted from s, and s's timeouts, mode, line limit and TLS, as
 * sk_accept's clients do; nonblocking 1: fd was accepted non-blocking
 * (made blocking when c's mode wants it).  0, or an error: then c is
 * freed and fd closed with it. */
int sk__accept_object(const sk_sock *s, sk_sock **out);
int sk__accept_adopt(sk_sock *s, sk_sock *c, sk_fd_t fd, int nonblocking);
/* A socket of family and s's type with sockit's defaults and s's
 * remembered options, in *fd (s->fd untouched). */
int sk__make_socket(sk_sock *s, int family, sk_fd_t *fd);
/* The family filter s's constructor implies for lookups. */
int sk__want_family(const sk_sock *s);
/* Host names: non-NULL, non-empty, at most SK__HOST_MAX bytes. */
int sk__check_host(const char *host);

/* addr.c: what a host (or path) and port mean for an object: its
 * addresses in resolver order, in a malloc'd *list (free with sk__free()). */
int sk__addrs_for(sk_sock *s, const char *host, int port, int family,
                  int passive, sk__addr **list, size_t *count);
/* addr.c: the IP address of a (its bytes, network order) in ip: returns 4
 * for IPv4 (an IPv4-mapped IPv6 address too: its last four bytes), 16 for
 * IPv6, 0 for anything else (ip untouched).  Binary, for comparisons. */
int sk__addr_ip(const sk__addr *a, unsigned char ip[16]);

/* ---- datagrams (UDP) ---------------------------------------------------- */

/* udp.c: what a datagram object remembers so that the common case makes
 * no text conversion: the last numeric destination of a send (the text
 * and port given, the address they name for the socket it was made for)
 * and the last sender a receive named (its address, its name).  Made on
 * first need, in s->extra->udp; dropped with the object or its socket
 * (sk_setfd).  A numeric host always names the same address, so the
 * remembered one is what a new lookup would give. */
#define SK__UDP_HOSTMAX 48 /* numeric IPv6 text is at most 45 bytes */
typedef struct sk__udpc {
    char host[SK__UDP_HOSTMAX]; /* "" : nothing remembered */
    int port;
    sk_fd_t fd;                 /* the socket host:port was resolved for
                                   (forgotten whenever s's socket is made
                                   or replaced) */
    sk__addr to;                /* what host:port names */
    sk__addr from;              /* the last sender (len 0: none) */
    sk_name name;               /* ... and its name */
    int gso;                    /* sk__plat_sendmany's gso for the socket
                                   (0: not known yet) */
} sk__udpc;
/* A live datagram object (with or without a peer): 0, SK_EINVAL,
 * SK_ECLOSED, SK_EWRONGROLE. */
int sk__udp_check(const sk_sock *s);
/* Whether s is bound (a datagram could arrive); asks the system about a
 * socket from sk_setfd. */
int sk__udp_bound(sk_sock *s);
/* 1 for the ICMP errors an earlier datagram met (SK_ECONNREFUSED,
 * SK_EHOSTUNREACH, SK_ENETUNREACH): an object without a peer skips them. */
int sk__udp_icmp(int r);
/* Send one datagram to `to` (NULL: the peer), whole, waiting for room
 * within tm (NULL: a deadline from the first wait). */
int sk__udp_send(sk_sock *s, const void *data, size_t len,
                 const sk__addr *to, const sk__tm *tm);
/* sk_sendto's general case for a host: check it, look it up, try its
 * addresses in order (tm as for sk__udp_send, started after the lookup
 * when NULL). */
int sk__udp_sendto_lookup(sk_sock *s, const void *data, size_t len,
                          const char *host, int port, const sk__tm *tm);
/* Forget what s remembers (its socket changes). */
void sk__udp_forget(sk_sock *s);
/* Where s keeps sk__plat_sendmany's gso for its socket, or NULL (a
 * UNIX-domain object, or no memory: runs are then never cut by the
 * system).  Ask again after anything that may replace the socket. */
int *sk__udp_gso(sk_sock *s);
/* The one address a datagram to host:port goes to when s remembers it (a
 * numeric host it looked up last), or NULL: the general path (a lookup,
 * or the error it finds).  Inline: every sk_sendto to a host asks. */
SK__INLINE const sk__addr *sk__udp_known(const sk_sock *s, const char *host,
                                         int port)
{
    const sk__udpc *c = s->extra != NULL ? s->extra->udp : NULL;
    if (c == NULL || c->port != port || c->fd != s->fd ||
        c->host[0] == '\0' || strcmp(c->host, host) != 0)
        return NULL;
    return &c->to;
}
/* sk_sendtoaddr's general case (also sk_sendmanyaddr's, for an address
 * that is not sk__udp_addr_direct): the checks, a socket to make, an IPv4
 * address to map for a dual-stack socket; then sk__udp_send (tm as it
 * takes it). */
int sk__udp_sendtoaddr_any(sk_sock *s, const void *data, size_t len,
                           const sk__addr *to, const sk__tm *tm);
/* Whether an unconnected object s can send to `to` as it is: s has its
 * socket, `to` is of its family and of a length that fits (the system
 * checks the rest). */
SK__INLINE int sk__udp_addr_direct(const sk_sock *s, const sk__addr *to)
{
    return to->family == s->family && s->family != SK__AF_UNSPEC &&
           to->len - 1 < sizeof to->sa.bytes;
}
/* The name of sender a into from, through what s remembers; an unnamed
 * sender gives a zeroed name ("unix" on a UNIX-domain object). */
void sk__udp_name(sk_sock *s, const sk__addr *a, sk_name *from);
/* sk__udp_name for a sender named by sk__plat_recvfrom1 or
 * sk__plat_recvmany (its family not known yet: sk__plat_from_family). */
void sk__udp_name_new(sk_sock *s, sk__addr *a, sk_name *from);
/* Name sender a (as sk__udp_name_new takes it) in *from: the sender of the
 * last datagram again (IPv4: a 16-byte compare and a copy) inline, any
 * other through sk__udp_name_new. */
SK__INLINE void sk__udp_name_quick(sk_sock *s, sk__addr *a, sk_name *from)
{
    const sk__udpc *c = s->extra != NULL ? s->extra->udp : NULL;
    if (c != NULL && a->len == 16 && c->from.len == 16 &&
        memcmp(a->sa.bytes, c->from.sa.bytes, 16) == 0)
        *from = c->name;
    else
        sk__udp_name_new(s, a, from);
}

/* ---- UNIX-domain sockets ------------------------------------------------ */

/* unix.c: the filesystem path a UNIX object binds is removed when the
 * object is closed.  sk_bind calls sk__unix_bind_begin before binding
 * host (*keep: the path to remember, NULL when there is nothing to
 * remember) and sk__unix_bind_end with keep and the bind's result. */
int sk__unix_bind_begin(sk_sock *s, const char *host, char **keep);
void sk__unix_bind_end(sk_sock *s, char *keep, int r);
/* Remove the path s bound (if any) and forget it. */
void sk__unix_close(sk_sock *s);

/* ---- address lookup ----------------------------------------------------- */

/* ---- sending files and gathered buffers --------------------------------- */

/* ---- state queries and blocking mode ------------------------------------ */
/* Non-blocking mode (sk__nonblock, set by sk_setblocking in state.c): sk__wait
 * returns SK_EWOULDBLOCK at once instead of waiting, so every transfer loop
 * that waits through it hands back its partial progress; the connect paths
 * (try_connect in tcp.c, sk__ensure_connected) never wait either.  s->shut is
 * set by sk_shutdown and read by sk_getstate. */

/* ---- event loop --------------------------------------------------------- */
/* (sk_loop, sk_timer, sk_watch: loop.c runs the loop and its post queue,
 * timer.c keeps the timers in a binary heap, watch.c the watches.) */

/* watch.c: an object's watch (NULL if none), found through the note the
 * watch installed on it. */
sk_watch *sk__watch_of(const sk_sock *s);

#define SK__NOHEAP ((size_t)-1) /* sk_timer.heap of a stopped timer */

struct sk_timer {
    sk_loop *loop;
    sk_timer *prev, *next; /* the loop's list of every timer */
    size_t heap;           /* index in loop->heap, SK__NOHEAP: stopped */
    int64_t due_us;        /* deadline on sk__plat_now_us's clock */
    uint64_t seq;          /* start order: ties and "started meanwhile" */
    int64_t repeat_us;     /* period, 0 for a one-shot timer */
    sk_timer_cb cb;
    void *ud;
};

struct sk_watch {
    /* What only registering, the dirty list and the object's note use,
     * first */
    sk__pollreg reg;         /* registered with the poller while reg.ptr
                                is not NULL (it is then the watch) */
    sk_watch *dprev, *dnext; /* the dirty list; dnext: the loop's graveyard
                                while dead */
    sk__note note;           /* installed on sock (sock->note) */
    /* What a dispatch reads, last (SK__WCH_HOT): its owner's own hot
     * fields follow in the same block (an sk_conn's, a selector member's),
     * so that with thousands of busy watches a callback touches one or
     * two cache lines of the block, which the dispatch fetches ahead
     * (issue 17: fan-in at 10,000 clients).  Small on purpose: every
     * watched object has one. */
    sk_watch_cb cb;
    void *ud;
    unsigned seen;           /* loop->dispatch_seq of its last callback */
    unsigned char events;    /* interest: SK_READABLE | SK_WRITABLE */
    unsigned char revents;   /* readiness gathered this iteration (a
                                backend that reports a watch in several
                                entries); a selector member's while it is
                                queued (selector.c) */
    unsigned char dead;      /* SK__WCH_* bits: freed during dispatch
                                (memory kept); embedded; started */
    unsigned char on_dirty;  /* on the loop's dirty list */
    sk_sock *sock;           /* NULL once the object was closed */
    sk_loop *loop;
};

/* Where a watch's hot fields start (the dispatch fetches the 64 bytes from
 * there ahead of the callback: the watch's and its owner's). */
#define SK__WCH_HOT(w) ((const char *)&(w)->cb)

/* 88 bytes on 64-bit POSIX (it was 104 and 112): a field more needs a
 * reason (issue 17).  A watch of its own (sk_watch_new, a selector's
 * member) has its links in the loop's list of such watches, which
 * sk_loop_free frees, before it in its block (watch.c: sk__wlinks); an
 * embedded watch has none (its owner frees it before the loop). */
typedef char sk__watch_fits_88[sizeof(void *) != 8 || sizeof(sk_fd_t) != 4 ||
                                       sizeof(struct sk_watch) <= 88
                                   ? 1
                                   : -1];

/* In w->dead: the watch was freed during a dispatch (its memory is kept
 * until the dispatch ends, and it gets no callback); it is embedded at
 * the start of a larger block (sk__watch_embed_init); an embedded watch
 * is started (counted in its loop's watches, its note on its object). */
#define SK__WCH_DEAD 1
#define SK__WCH_EMBEDDED 2
#define SK__WCH_STARTED 4

/* watch.c: a watch embedded as the first member of a larger block (an
 * sk_conn: issue 17, one block instead of two), so that it costs no
 * allocation, no header and none of the fields its owner has already:
 * - sk__watch_embed_init sets up w (zeroed) for loop, s and cb, stopped
 *   (its ud is the owner's to use: the callback receives it);
 * - sk__watch_embed_start: as sk_watch_new (0, SK_ECLOSED, SK_EINVAL when
 *   s has a watch, SK_ENORESOURCES), no interest yet; 0 when started;
 * - sk__watch_embed_stop: as sk_watch_free, but w's memory, loop, object
 *   and ud stay (it can start again); sk_watch_free(w) does this too;
 * - sk__watch_embed_free: stop, then free the block w starts, at once or,
 *   during a dispatch, when it ends (the block may be among its entries).
 * An object closed under a started embedded watch stops its events but
 * keeps w->sock (the owner's). */
void sk__watch_embed_init(sk_watch *w, sk_loop *loop, sk_sock *s,
                          sk_watch_cb cb);
/* watch.c: sk_watch_set without its check of events, which may also hold
 * SK__WAIT_RECV (completion mode: plat.h, sk__poller_io; only where the
 * loop's poller has io).  Its callback then also receives the poller's
 * SK__WAIT_RECV and SK__WAIT_SENT entries: events is the entry's, ud the
 * entry (const sk__pollout *), not the watch's ud. */
int sk__watch_set(sk_watch *w, int events);
int sk__watch_embed_start(sk_watch *w);
void sk__watch_embed_stop(sk_watch *w);
void sk__watch_embed_free(sk_watch *w);

/* watch.c: sk_watch_new with extra bytes after the watch in the same
 * block (aligned for pointers; zeroed; freed with the watch). */
int sk__watch_make(sk_loop *loop, sk_sock *s, sk_watch_cb cb, void *ud,
                   size_t extra, sk_watch **out);

typedef struct sk__post {
    sk_post_cb fn;
    sk_post_cb drop;      /* NULL, or called instead of fn by sk_loop_free */
    void *ud;
    struct sk__post *next;
} sk__post;

/* loop.c: queue p (made with sk__malloc, sizeof *p; the loop frees it
 * once run or dropped) to run fn(ud) on the loop's thread, or drop(ud)
 * instead when the loop is freed first.  Needs no memory, so it cannot
 * fail for lack of it: a post whose failure must not be lost reserves its
 * entry beforehand.  Returns 0, or SK_ESYSTEM when the wake-up could not
 * be signalled (the post is queued all the same). */
int sk__loop_post_entry(sk_loop *loop, sk__post *p, sk_post_cb fn,
                        sk_post_cb drop, void *ud);
/* loop.c: sk_loop_post with a drop function: when the loop is freed before
 * fn(ud) ran, sk_loop_free calls drop(ud) instead (to release what ud
 * holds).  Returns as sk_loop_post. */
int sk__loop_post_drop(sk_loop *loop, sk_post_cb fn, sk_post_cb drop,
                       void *ud);
/* loop.c: sk_loop_new on the best backend for readiness alone (what
 * sk_selector_new takes: epoll on Linux, where a loop's default is
 * io_uring; plat.h's sk__plat_poller_new).  Returns as sk_loop_new. */
int sk__loop_new_ready(sk_loop **out);

struct sk_loop {
    sk__poller *poller;
    int started;          /* sk__plat_startup succeeded */
    int64_t now_us;       /* after the last wait */
    int running;          /* inside sk_loop_run */
    int stop;             /* sk_loop_stop was called */
    /* timers (timer.c) */
    sk_timer **heap;
    size_t nheap, heapcap;
    uint64_t seq;
    sk_timer *timers;
    size_t ntimers;
    /* watches (watch.c) */
    sk_watch *watches;    /* the watches of their own (not embedded), in a
                             list whose links precede each (watch.c) */
    size_t nwatch;        /* watches made (the poller has room for them
                             all and the waker: ops->reserve) */
    size_t nlive;         /* watches registered with the poller */
    sk_watch *dirty;      /* may hold buffered bytes */
    sk_watch *ready;      /* gathered for this iteration's dispatch */
    sk_watch *graveyard;  /* freed while dispatching (linked by dnext) */
    int dispatching;
    int batched; /* dispatching a wait of several completions: the writes
                    of connections in completion mode queue, to go out
                    together with the next wait (conn.c) */
    unsigned dispatch_seq; /* +1 at every dispatch (sk_watch.seen) */
    sk__pollout *evs;
    size_t evcap;
    /* shared with other threads: post queue and wake-up, under mu */
    sk__mutex *mu;
    sk__post *post_head, *post_tail;
    int wake_pending;     /* the channel is signalled, not yet drained */
    sk__waker *waker;
    sk__pollreg wake_reg; /* ptr is wake_watch */
    sk_watch wake_watch;  /* the waker's watch in the dispatch (loop.c):
                             its callback takes the posts, which run after
                             the watches' callbacks */
    sk__post *taken;      /* the posts it took (this iteration's) */
    struct sk__hset *hsets; /* conn.c: the connections' handler sets */
    struct sk__connq *conn_spare; /* conn.c: an idle connection's queues
                             (their buffers kept), handed to the next
                             connection that reads or queues (see
                             conn_q_idle) */
    struct sk__connq *conn_pool; /* conn.c: more such spares, small ones
                             (conn_q_spare), npool of them */
    size_t npool;
    sk_selector *selector; /* the selector this hidden loop serves, or
                              NULL (selector.c) */
};

/* timer.c, for loop.c */
/* The first deadline, or -1 when no timer is started. */
int64_t sk__timers_next(const sk_loop *loop);
/* Run the callbacks of the timers due at now_us that were started before
 * this call. */
void sk__timers_run(sk_loop *loop, int64_t now_us);
void sk__timers_release(sk_loop *loop);

/* watch.c, for loop.c */
/* 1 when a watch with SK_READABLE interest holds buffered bytes (drops
 * watches that no longer do from the dirty list). */
int sk__watches_dirty_ready(sk_loop *loop);
/* Run the callbacks of the n poller entries in loop->evs (the waker's
 * taken out), then those of the watches holding buffered bytes (gathered
 * into loop->evs, which callbacks must not grow). */
void sk__watches_dispatch(sk_loop *loop, size_t n);
void sk__watches_release(sk_loop *loop);

/* ---- event-driven connections ------------------------------------------- */

/* buffer.c: the line rule of SK_LINE over bytes p[0..avail): append them
 * to b up to the first LF, dropping every CR, while the line (*count bytes
 * appended so far) stays within max.  *used receives the bytes consumed
 * (the LF included).  Returns 1 when the LF was reached, 0 when the bytes
 * ran out first, SK_ETOOLONG when the line reached max before its LF
 * (*used stops there), SK_ENORESOURCES. */
int sk__line_take(const char *p, size_t avail, sk_buf *b, size_t *count,
                  size_t max, size_t *used);

/* conn_lookup.c: a host lookup on a worker thread.  done(ud, rc, list,
 * count) runs on the loop's thread (through sk_loop_post) unless the
 * lookup was cancelled first; it owns list (free with sk__free()), the
 * addresses in resolver (or hook) order with port set.  The request is
 * reference-counted (the connection's reference, the worker's): whichever
 * lets go last frees it, so neither a cancel nor a late worker touches
 * freed memory.  sk__lookup_start returns 0 or an error (nothing started).
 * sk__lookup_cancel (loop thread) drops the connection's reference: done
 * will not run. */
typedef struct sk__lookup sk__lookup;
typedef void (*sk__lookup_done)(void *ud, int rc, sk__addr *list,
                                size_t count);
int sk__lookup_start(sk_loop *loop, const char *host, int port,
                     sk_conn_resolver fn, void *fnud, sk__lookup_done done,
                     void *ud, sk__lookup **out);
void sk__lookup_cancel(sk__lookup *l);
/* The addresses of a numeric host (port set), without any resolver:
 * SK_EHOSTNOTFOUND when host is a name.  Needs sk__plat_startup. */
int sk__lookup_numeric(const char *host, int port, sk__addr **list,
                       size_t *count);

/* One connection attempt of sk_conn_connect (conn_connect.c). */
typedef struct sk__attempt {
    struct sk_conn *c;
    sk_sock *s;  /* its object: its own, or c->s for a bound connection */
    sk_watch *w; /* writable: the connect settled */
} sk__attempt;

typedef struct sk__conn_cx sk__conn_cx;

/* A loop's copy of one set of connection handlers, shared by every
 * connection of the loop that was given the same set (a server hands the
 * same handlers to each connection it accepts): c->h points at h.  refs
 * counts those connections; the last to let go frees it (conn.c), and
 * sk_loop_free frees what is left. */
typedef struct sk__hset {
    sk_conn_handlers h;
    struct sk__hset *next; /* the loop's list (loop->hsets) */
    size_t refs;
} sk__hset;

/* What a connection has beside its established state, made on first need
 * (the first sk_conn_setresolver, sk_conn_settimeout or
 * sk_conn_setreadlimit that changes a setting, a connect or loop-side
 * bind, CLOSING's wait for the peer): an idle accepted connection has
 * none.  sk__conn_cfg_of gives the defaults when there is none. */
typedef struct sk__conn_cfg {
    sk_conn_resolver resolver;
    void *resolver_ud;
    double t_connect, t_delay, t_linger; /* sk_conn_settimeout */
    sk_timer *tm_close;  /* CLOSING: waiting for the peer's close */
    size_t readlimit;    /* sk_conn_setreadlimit (c->limited: not 0) */
    struct sk__conn_cx *cx; /* connect-time state: only while connecting
                               or binding from the loop (conn_connect.c) */
} sk__conn_cfg;

struct sk_conn {
    /* Its watch first (one block: the watch is freed with the
     * connection), which also holds the connection's loop (w.loop), its
     * sk_sock object (w.sock: kept for the connection's whole life:
     * options, line limit, stats; its socket is the current connection's,
     * or the bound one) and the user's pointer (w.ud, which conn_io, the
     * watch's callback, does not need: the connection is the block).
     * The watch is started while CONNECTED, ENCRYPTING or CLOSING (a
     * bound connection's object has an attempt's watch while it
     * connects). */
    sk_watch w;
    /* What every round trip reads (conn_io, sk_conn_read, sk_conn_write)
     * right after the watch's own hot fields, which end the watch: one
     * 64-byte span of the block (SK__WCH_HOT), fetched ahead by the
     * dispatch. */
    const sk_conn_handlers *h; /* a shared sk__hset's, or all NULL */
    struct sk__connq *q; /* the read and write queues: NULL while nothing
                            is unread, queued or unreported (see
                            sk__connq) */
    uint16_t depth;      /* lifetime: handlers may free the connection
                            (nested handler calls: the stack ends far
                            below 65,536) */
    int8_t rerr;         /* a receive or send error still to handle (SK_E*
                            codes are -1..-34) */
    unsigned char state; /* enum sk_conn_state */
    unsigned freed : 1;  /* ... and sk_conn_free was called */
    unsigned eof : 1;    /* the peer's end of stream was read */
    unsigned eof_done : 1; /* ... and handled */
    unsigned shut : 1;   /* our sending side is shut (CLOSING, flushed) */
    unsigned bw : 1;     /* h->bytes_written is set (sk_conn_write's common
                            case tests this bit) */
    unsigned limited : 1; /* a read limit is set (cfg->readlimit) */
    unsigned interest : 2; /* what the watch is set to */
    /* the rest */
    int8_t code;         /* last error (SK_E*; its enum sk_conn_error is
                            sk_conn_errcode(code)) */
    uint16_t epoch;      /* +1 at every state change (a handler would have
                            to make 65,536 of them for one to go unseen) */
    sk__conn_cfg *cfg;   /* NULL: every setting is its default, and
                            nothing else was needed (see sk__conn_cfg) */
};

/* The connection's watch while started, or NULL. */
#define SK__CONN_W(c)                                                       \
    (((c)->w.dead & SK__WCH_STARTED) ? &(c)->w : (sk_watch *)NULL)

/* A connection with its watch in 120 bytes on 64-bit POSIX systems (issue
 * 17: with glibc's header a 128-byte block; the connection was 256, then
 * 136, 72 and 56 bytes beside a 104-byte watch, then 136 with its watch,
 * which lost the loop's list links since): the handlers are shared;
 * the settings, the read limit, the close timer and the connect-time
 * state are a separate block that an idle accepted connection does not
 * have, and so are the queues (sk__connq); the watch holds the loop, the
 * object and the user's pointer; the flags are bits.  A field more needs
 * a reason.  (Windows' compilers start the bits in a word of their own.) */
typedef char sk__conn_fits_120[sizeof(void *) != 8 || sizeof(sk_fd_t) != 4 ||
                                       sizeof(struct sk_conn) <= 120
                                   ? 1
                                   : -1];

/* A connection's read and write queues, made (or taken from the loop's
 * spare, loop->conn_spare) when bytes arrive or must wait to be sent,
 * handed back to the spare once nothing is unread, queued or unreported
 * (conn_q_idle in conn.c): an idle connection holds none, and a busy
 * one allocates none per round trip.  Freed with its buffers by conn.c
 * (conn_q_free) and by sk_loop_free (the spare). */
typedef struct sk__connq {
    sk_buf rb;           /* received: unread bytes are rb.data[rfirst..] */
    size_t rfirst;
    sk_buf wb;           /* queued: unsent bytes are wb.data[wfirst..] */
    size_t wfirst;
    size_t unreported;   /* sent, not yet told to bytes_written */
    size_t inflight;     /* completion mode: bytes wb.data[wfirst..] of the
                            send in flight (0: none); they stay in place */
    char *held;          /* ... and, when wb grew meanwhile, the block they
                            are in (freed when the send is over) */
    struct sk__connq *next; /* in the loop's pool (loop->conn_pool) */
} sk__connq;

/* conn_ring.c: a connection's sends in completion mode (the loop's poller
 * has io, plat.h).  sk__conn_ring_send hands c's queued bytes to the
 * poller as one send unless one is in flight: 0, or SK_ENORESOURCES (not
 * handed: send otherwise).  sk__conn_ring_room makes room for len more
 * bytes in q's write queue without moving the bytes of a send in flight:
 * 0 or SK_ENORESOURCES.  sk__conn_ring_sent: the send in flight is over
 * (its held block goes). */
int sk__conn_ring_send(sk_conn *c);
int sk__conn_ring_room(sk__connq *q, size_t len);
void sk__conn_ring_sent(sk__connq *q);

/* conn.c: c's settings (the defaults when none was changed); c->cfg,
 * made if needed (from the defaults), or NULL when there is no memory. */
const sk__conn_cfg *sk__conn_cfg_of(const sk_conn *c);
sk__conn_cfg *sk__conn_cfg_need(sk_conn *c);
/* c's connect-time block, or NULL. */
#define SK__CX(c) ((c)->cfg != NULL ? (c)->cfg->cx : (sk__conn_cx *)NULL)

/* What a connection needs only while it connects (or binds from the
 * loop): made by sk_conn_connect and sk_conn_bind_async, freed when that
 * settles, so that an established connection carries none of it. */
struct sk__conn_cx {
    sk__lookup *lookup;
    sk__addr *addrs;     /* the addresses to try, Happy Eyeballs order */
    size_t naddrs, next; /* how many, the next to start */
    sk__attempt *att;    /* attempts in flight: natt of them */
    size_t natt;
    int last_fail;       /* SK_E* code of the latest failed attempt
                            (SK_ENORESOURCES, once seen, stays) */
    int bound;           /* the connect started from BOUND */
    sk__addr local;      /* a bound connection's local address */
    sk_timer *tm_next;   /* Happy Eyeballs: start the next attempt */
    sk_timer *tm_limit;  /* connect timeout */
    sk_timer *tm_defer;  /* a numeric host's result, from the loop */
    sk_timer *tm_bind;   /* sk_conn_bind_async */
    int bind_port;
    sk_conn_bind_cb bind_cb;
    void *bind_ud;
    sk_tls_ctx *tls;     /* sk_conn_settls: TLS client context, or NULL */
    char *tlshost;       /* ... and the host it verifies (or NULL) */
    int accepted;        /* tm_limit bounds the handshake of a connection a
                            TLS listener accepted (sk__conn_accept_limit) */
};

/* conn.c: the connection's machinery for conn_connect.c and server.c.
 * The emitters call a handler and return 1 when the caller must stop at
 * once: the connection was freed in the handler (never touch it again) or
 * its state changed there. */
int sk__conn_set_state(sk_conn *c, int state);
int sk__conn_emit_error(sk_conn *c, int code);
int sk__conn_emit_simple(sk_conn *c,
                         void (*fn)(sk_conn *c, void *ud));
/* Keep c allocated across a call that may free it (a handler, a callback):
 * sk__conn_release returns 1 when c was freed meanwhile (it is then gone
 * once the outermost hold is released: never touch it again). */
void sk__conn_hold(sk_conn *c);
int sk__conn_release(sk_conn *c);
/* Start (making it first when needed) one of c's timers: cb(t, c) after
 * `after` seconds.  Returns 0 or the loop's error. */
int sk__conn_timer(sk_conn *c, sk_timer **t, double after, sk_timer_cb cb);
/* Forget what c queued and did not report yet (and with unread, what it
 * did not read): the connection ended or a new one begins. */
void sk__conn_q_clear(sk_conn *c, int unread);
/* Record code (SK_E*) as the connection's last error. */
void sk__conn_record(sk_conn *c, int code);
/* Install c->s's socket (connected) as the connection: watch it and go
 * CONNECTED (emitting state_changed and connected).  Returns as the
 * emitters; an error (no memory for the watch) is handled inside. */
int sk__conn_established(sk_conn *c);
/* Close c->s's socket (abortive: linger 0) and make c->s a socket-less
 * dual-stack master again. */
void sk__conn_drop_socket(sk_conn *c, int abortive);
/* conn_connect.c: c->cx, made if needed (0 or SK_ENORESOURCES); its end
 * (the connect and any loop-side bind settled: nothing left in it), and
 * its end whatever it holds (sk_conn_free). */
int sk__conn_cx_need(sk_conn *c);
void sk__conn_cx_done(sk_conn *c);
void sk__conn_cx_free(sk_conn *c);
/* A new connection around an accepted client s (owned from now on),
 * CONNECTED without any handler call. */
int sk__conn_accepted(sk_loop *loop, sk_sock *s, sk_conn **out);

/* conn_connect.c: connecting and binding. */
/* Cancel the lookup, the attempts and the connect timers (no handler). */
void sk__conn_stop_connect(sk_conn *c);
/* sk_conn_settimeout('c') while a connection a TLS listener accepted is
 * ENCRYPTING: its handshake is bounded by c->t_connect from now on (none:
 * unbounded again).  Returns 0 or SK_ENORESOURCES. */
int sk__conn_accept_limit(sk_conn *c);
/* sk_conn_bind's work (no argument checks); handlers may run. */
int sk__conn_bind(sk_conn *c, int port);

/* ---- selector ----------------------------------------------------------- */
/* (sk_selector, selector.c: an sk_loop whose watches queue their readiness
 * for sk_selector_wait instead of calling back into the caller.) */

/* The callback of every selector member's watch (watch.c compares it to
 * recognise them). */
/* loop.c: grow *evs (capacity *evcap) to hold a wait's entries for nlive
 * registrations of poller (NULL: none yet); on no memory the old array stays (the rest waits).
 * Returns 0, or SK_ENORESOURCES when there is no array at all: the loop
 * and the selector make theirs when they are made, so that no wait ever
 * finds it empty. */
int sk__pollout_reserve(sk__pollout **evs, size_t *evcap, size_t nlive,
                        const sk__poller *poller);
void sk__selector_ready(sk_watch *w, int events, void *ud);
/* watch.c calls this for a selector member's watch when its object is
 * closed, after the watch went inert: the member is dropped and the watch
 * freed. */
void sk__selector_closing(sk_watch *w);

/* ---- line views (sk_receiveline) --------------------------------------- */

/* s->linewait (the receive side's own byte, not a bit of shut: another
 * thread may shut the sending side meanwhile): the buffered bytes are the
 * start of a line that sk_receiveline found incomplete and waits to
 * complete.  Set when it gives up waiting; cleared whenever bytes are read
 * into the buffer (io.c: sk__fill, sk__stash, sk__fill_more) or the buffer
 * goes. */
/* 1 when s holds buffered bytes worth a wake-up (sk_dirty, sk_select, the
 * loop): not while linewait says they only wait for more, so that a select
 * loop does not spin on them. */
SK__INLINE int sk__buffered(const sk_sock *s)
{
    if (s->tls) /* decrypted bytes held by TLS count too */
        return (s->rfirst < s->rlast && !s->linewait) || sk__tls_pending(s);
    return s->rfirst < s->rlast && !s->linewait;
}
/* buffer.c: append the span bytes at p (no LF among them) to b as line
 * bytes, every CR dropped, at most room kept; cr: the first CR among them
 * or NULL.  b->data may be p itself (compaction in place).  *used: the
 * bytes of p consumed.  Returns 0, SK_ETOOLONG (over room: *used stops
 * before the first byte over), SK_ENORESOURCES. */
int sk__line_append(sk_buf *b, const char *p, size_t span, const char *cr,
                    size_t room, size_t *used);
/* buffer.c: the bytes of [p, p + span) that a line keeps: those that are
 * not CR (cr: the first CR among them, or NULL). */
size_t sk__line_kept(const char *p, size_t span, const char *cr);
/* buffer.c: the first CR among the buffered bytes before offset end, or
 * NULL; remembers in s->rscan how far the buffer is known CR-free. */
const char *sk__line_first_cr(sk_sock *s, size_t end);
/* io.c: keep the unread bytes, moved to the front of the receive buffer
 * (made if needed), and read more after them (one successful read, within
 * tm).  Clears linewait. */
int sk__fill_more(sk_sock *s, const sk__tm *tm);

#endif /* SK_INT_H */
