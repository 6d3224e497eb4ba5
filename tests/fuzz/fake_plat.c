/* SPDX-License-Identifier: MIT */
/*
 * fake_plat.c - the scripted in-memory backend of sockit's fuzz targets:
 * every function of src/plat.h, over the script in `fake` (see
 * fake_plat.h).  Nothing here calls the OS: no sockets, no resolver, no
 * clock; it is linked with the shared sources (src/ without posix/ and
 * win32/) and fake_addr.c (the POSIX backend's address code) instead of a
 * real backend.
 * Plain C99.
 */
#include "fake_plat.h"
#include "sockit_int.h" /* sk__opt_check */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fake_state fake;

#define FAKE_FD_BASE 100

void fake_fail(const char *what, const char *file, int line)
{
    fprintf(stderr, "fake backend: check failed: %s (%s:%d)\n", what, file,
            line);
    fflush(stderr);
    abort();
}

void fake_reset(void)
{
    memset(&fake, 0, sizeof fake);
    fake.recv_end = SK_ECLOSED;
    fake.send_step = (size_t)-1;
    fake.send_limit = (uint64_t)-1;
    fake.send_end = SK_ECLOSED;
    fake.has_ipv6 = 1;
    fake.now_us = (int64_t)1000000000; /* an arbitrary origin */
}

void fake_finish(void)
{
    FAKE_CHECK(fake.nopen == 0);
    FAKE_CHECK(fake.started == 0);
}

int fake_known_code(int code)
{
    switch (code) {
    case 0:
#define FAKE_CASE(name, value, text) case name:
        SK_ERRORS(FAKE_CASE)
#undef FAKE_CASE
        return 1;
    default:
        return 0;
    }
}

/* The slot of an open fake descriptor (aborts for any other value). */
static int slot(sk_fd_t fd)
{
    size_t i;
    FAKE_CHECK(fd != SK_FD_INVALID);
    FAKE_CHECK(fd >= (sk_fd_t)FAKE_FD_BASE &&
               fd < (sk_fd_t)(FAKE_FD_BASE + FAKE_MAX_FDS));
    i = (size_t)(fd - (sk_fd_t)FAKE_FD_BASE);
    FAKE_CHECK(fake.fds[i].open);
    return (int)i;
}

static void tick(void)
{
    fake.now_us += 137; /* every look at the clock moves it a little */
}

/* The next decision byte of loop mode (0 when the script is over). */
static unsigned script8(void)
{
    return fake.script != NULL ? rd8(fake.script) : 0;
}

unsigned char fake_pattern(uint64_t p)
{
    static const char text[] = "GET / HTTP/1.0\r\nHost: x\r\n\r\nok\n"
                               "\n\r\nan unusually long line of text "
                               "without an end for a while\r\r\n";
    return (unsigned char)text[p % (sizeof text - 1)];
}

/* A new fake descriptor of family and type in *fd, or SK_ENORESOURCES. */
static int fd_open(int family, int type, sk_fd_t *fd, int *sys)
{
    int i;
    for (i = 0; i < FAKE_MAX_FDS; i++) {
        if (!fake.fds[i].open) {
            unsigned gen = fake.fds[i].gen + 1;
            memset(&fake.fds[i], 0, sizeof fake.fds[i]);
            fake.fds[i].gen = gen;
            fake.fds[i].open = 1;
            fake.fds[i].family = family;
            fake.fds[i].type = type;
            fake.nopen++;
            *fd = (sk_fd_t)(FAKE_FD_BASE + i);
            return 0;
        }
    }
    if (sys != NULL)
        *sys = 24; /* EMFILE */
    return SK_ENORESOURCES;
}

/* ---- lifetime ---------------------------------------------------------- */

int sk__plat_startup(int *sys)
{
    (void)sys;
    fake.started++;
    return 0;
}

void sk__plat_cleanup(void)
{
    FAKE_CHECK(fake.started > 0);
    fake.started--;
}

int sk__plat_socket(int family, int type, sk_fd_t *fd, int *sys)
{
    FAKE_CHECK(fd != NULL);
    FAKE_CHECK(type == SK__STREAM || type == SK__DGRAM);
    FAKE_CHECK(family == SK__AF_INET || family == SK__AF_INET6 ||
               family == SK__AF_UNIX);
    if (family == SK__AF_INET6 && !fake.has_ipv6) {
        if (sys != NULL)
            *sys = 97; /* EAFNOSUPPORT, for show */
        return SK_EFAMILY;
    }
    return fd_open(family, type, fd, sys);
}

/* The fake never blocks: blocking is only a hint (see plat.h). */
int sk__plat_socket_ex(int family, int type, int blocking, sk_fd_t *fd,
                       int *sys)
{
    (void)blocking;
    return sk__plat_socket(family, type, fd, sys);
}

int sk__plat_set_blocking(sk_fd_t fd, int blocking, int mine, int *sys)
{
    (void)slot(fd);
    (void)blocking;
    (void)mine;
    (void)sys;
    return 0;
}

void sk__plat_close(sk_fd_t fd)
{
    int i = slot(fd); /* a double close aborts here */
    FAKE_CHECK(!fake.fds[i].waker);
    fake.fds[i].open = 0;
    fake.nopen--;
}

/* ---- addresses --------------------------------------------------------- */
/* Parsing and formatting are the real POSIX backend's (fake_addr.c); a
 * fake socket's own addresses are built with fake_make_addr. */

/* ---- connection set-up ------------------------------------------------- */

int sk__plat_bind(sk_fd_t fd, const sk__addr *a, int *sys)
{
    int i = slot(fd);
    FAKE_CHECK(a != NULL);
    if (a->family != fake.fds[i].family || fake.fds[i].bound) {
        if (sys != NULL)
            *sys = 22; /* EINVAL */
        return SK_EINVAL;
    }
    fake.fds[i].bound = 1;
    fake.fds[i].local = *a;
    return 0;
}

int sk__plat_listen(sk_fd_t fd, int backlog, int *sys)
{
    int i = slot(fd);
    (void)sys;
    FAKE_CHECK(backlog >= 0);
    fake.fds[i].listening = 1;
    return 0;
}

static void connected(int i, const sk__addr *a)
{
    static const unsigned char lo4[4] = {127, 0, 0, 1};
    static const unsigned char lo6[16] = {0, 0, 0, 0, 0, 0, 0, 0,
                                          0, 0, 0, 0, 0, 0, 0, 1};
    fake.fds[i].connected = 1;
    fake.fds[i].peer = *a;
    if (!fake.fds[i].bound) {
        fake_make_addr(&fake.fds[i].local, a->family,
                       a->family == SK__AF_INET ? lo4 : lo6, 40000 + i);
        fake.fds[i].bound = 1;
    }
}

int sk__plat_connect_start(sk_fd_t fd, const sk__addr *a, int *sys)
{
    int i = slot(fd);
    FAKE_CHECK(a != NULL && a->family == fake.fds[i].family);
    FAKE_CHECK(!fake.fds[i].listening);
    if (fake.fds[i].type == SK__DGRAM) {
        connected(i, a); /* a datagram peer is only remembered */
        return 0;
    }
    FAKE_CHECK(!fake.fds[i].connected && !fake.fds[i].connecting);
    if (fake.loop_mode) {
        /* at once, refused at once, or settled later by a wait */
        unsigned k = script8();
        if (k % 4 == 1) {
            connected(i, a);
            return 0;
        }
        if (k % 4 == 2)
            return SK_ENETUNREACH;
        fake.fds[i].connecting = 1;
        fake.fds[i].peer = *a;
        return SK_EINPROGRESS;
    }
    switch (fake.connect_mode) {
    case FAKE_CONN_NOW:
        connected(i, a);
        return 0;
    case FAKE_CONN_UNREACH:
        if (sys != NULL)
            *sys = 101; /* ENETUNREACH */
        return SK_ENETUNREACH;
    case FAKE_CONN_LATE:
        fake.connect_timeouts_left = 1;
        break;
    case FAKE_CONN_LATER:
        fake.connect_timeouts_left = 2;
        break;
    default:
        break;
    }
    fake.fds[i].peer = *a; /* remembered for the wait */
    return SK_EINPROGRESS;
}

int sk__plat_wait_connect(sk_fd_t fd, int64_t ms, int *sys)
{
    int i = slot(fd);
    FAKE_CHECK(ms >= -1);
    tick();
    if (fake.loop_mode) {
        FAKE_CHECK(ms == 0); /* from a loop callback: never waits */
        if (fake.fds[i].connected)
            return 0;
        FAKE_CHECK(fake.fds[i].connecting);
        if (fake.fds[i].settle == 0)
            return SK_EWOULDBLOCK; /* not yet */
        fake.fds[i].connecting = 0;
        if (fake.fds[i].settle < 0) {
            if (sys != NULL)
                *sys = 111;
            return fake.fds[i].settle;
        }
        connected(i, &fake.fds[i].peer);
        return 0;
    }
    if (fake.connect_timeouts_left > 0) {
        fake.connect_timeouts_left--;
        if (ms > 0)
            fake.now_us += ms * 1000;
        return SK_ETIMEOUT;
    }
    if (fake.connect_mode == FAKE_CONN_REFUSED) {
        if (sys != NULL)
            *sys = 111; /* ECONNREFUSED */
        return SK_ECONNREFUSED;
    }
    if (!fake.fds[i].connected)
        connected(i, &fake.fds[i].peer);
    return 0;
}

int sk__plat_accept(sk_fd_t fd, sk_fd_t *out, sk__addr *peer, int *sys)
{
    int i = slot(fd);
    (void)peer;
    (void)sys;
    FAKE_CHECK(out != NULL && fake.fds[i].listening);
    if (fake.fds[i].pending == 0)
        return SK_EWOULDBLOCK;
    if (fake.accept_fail) {
        fake.accept_fail = 0;
        if (sys != NULL)
            *sys = 24; /* EMFILE */
        return SK_ENORESOURCES; /* the client stays queued */
    }
    {
        static const unsigned char peer4[4] = {10, 0, 0, 7};
        static const unsigned char peer6[16] = {0x20, 1, 0xd, 0xb8};
        sk__addr p;
        int r, k;
        r = fd_open(fake.fds[i].family, SK__STREAM, out, sys);
        if (r != 0)
            return r;
        fake.fds[i].pending--;
        k = (int)(*out - (sk_fd_t)FAKE_FD_BASE);
        fake_make_addr(&p, fake.fds[i].family,
                       fake.fds[i].family == SK__AF_INET ? peer4 : peer6,
                       30000 + k);
        fake.fds[k].bound = 1;
        fake.fds[k].local = fake.fds[i].local;
        fake.fds[k].connected = 1;
        fake.fds[k].peer = p;
        if (peer != NULL)
            *peer = p;
        return 0;
    }
}

/* ---- data -------------------------------------------------------------- */

int sk__plat_accept_ex(sk_fd_t fd, int blocking, sk_fd_t *out, sk__addr *peer,
                       int *sys)
{
    (void)blocking;
    return sk__plat_accept(fd, out, peer, sys);
}

int sk__plat_send(sk_fd_t fd, const void *buf, size_t len, size_t *sent,
                  int *sys)
{
    size_t n;
    (void)slot(fd);
    (void)sys;
    FAKE_CHECK(sent != NULL && buf != NULL && len > 0);
    *sent = 0;
    if (fake.loop_mode) {
        int i = slot(fd);
        FAKE_CHECK(fake.fds[i].connected);
        if (fake.fds[i].rx_end == SK_ECONNRESET)
            return SK_ECONNRESET;
        if (fake.fds[i].tx_block)
            return SK_EWOULDBLOCK;
        n = len < fake.send_step ? len : fake.send_step;
        fake.fds[i].tx_total += n;
        fake.accepted += n;
        *sent = n;
        return 0;
    }
    if (fake.accepted >= fake.send_limit)
        return fake.send_end == SK_ETIMEOUT ? SK_EWOULDBLOCK : fake.send_end;
    fake.send_calls++;
    if (fake.send_block_every != 0 &&
        fake.send_calls % fake.send_block_every == 0)
        return SK_EWOULDBLOCK;
    n = len;
    if (n > fake.send_step)
        n = fake.send_step;
    if ((uint64_t)n > fake.send_limit - fake.accepted)
        n = (size_t)(fake.send_limit - fake.accepted);
    if (fake.capture != NULL) {
        FAKE_CHECK(fake.capture_len + n <= fake.capture_cap);
        memcpy(fake.capture + fake.capture_len, buf, n);
        fake.capture_len += n;
    }
    fake.accepted += n;
    *sent = n;
    return 0;
}

int sk__plat_recv(sk_fd_t fd, void *buf, size_t len, size_t *got, int *sys)
{
    const fake_ev *e;
    size_t n;
    (void)slot(fd);
    (void)sys;
    FAKE_CHECK(buf != NULL && got != NULL && len > 0);
    *got = 0;
    if (fake.loop_mode) {
        int i = slot(fd);
        size_t k;
        FAKE_CHECK(fake.fds[i].connected);
        if (fake.fds[i].rx_pending == 0)
            return fake.fds[i].rx_end != 0 ? fake.fds[i].rx_end
                                           : SK_EWOULDBLOCK;
        n = len;
        if ((uint64_t)n > fake.fds[i].rx_pending)
            n = (size_t)fake.fds[i].rx_pending;
        for (k = 0; k < n; k++)
            ((unsigned char *)buf)[k] = fake_pattern(fake.fds[i].rx_pos + k);
        fake.fds[i].rx_pos += n;
        fake.fds[i].rx_pending -= n;
        fake.delivered += n;
        fake.recv_ok++;
        *got = n;
        return 0;
    }
    if (fake.iev == fake.nev)
        return fake.recv_end == SK_ETIMEOUT ? SK_EWOULDBLOCK : fake.recv_end;
    e = &fake.ev[fake.iev];
    if (e->kind != FAKE_DATA)
        return SK_EWOULDBLOCK;
    n = e->len - fake.ioff;
    if (n > len)
        n = len;
    memcpy(buf, fake.stream + e->off + fake.ioff, n);
    fake.ioff += n;
    if (fake.ioff == e->len) {
        fake.iev++;
        fake.ioff = 0;
    }
    fake.delivered += n;
    fake.recv_ok++;
    *got = n;
    return 0;
}

/* sk__plat_send1 / sk__plat_recv1 through the two above: a failure's
 * code waits here for sk__plat_send_fail / sk__plat_recv_fail (the fake
 * runs on one thread). */
static int fake_fail_r, fake_fail_sys;

/* One call's result as the ...1 calls give it: the count, or -1 with the
 * code kept for the _fail call. */
static ptrdiff_t fake_one_result(int r, size_t n, int sys)
{
    if (r == 0)
        return (ptrdiff_t)n;
    fake_fail_r = r;
    fake_fail_sys = sys;
    return -1;
}

ptrdiff_t sk__plat_send1(sk_fd_t fd, const void *buf, size_t len)
{
    size_t n = 0;
    int sys = 0, r = sk__plat_send(fd, buf, len, &n, &sys);
    return fake_one_result(r, n, sys);
}

ptrdiff_t sk__plat_recv1(sk_fd_t fd, void *buf, size_t len)
{
    size_t n = 0;
    int sys = 0, r = sk__plat_recv(fd, buf, len, &n, &sys);
    return fake_one_result(r, n, sys);
}

int sk__plat_send_fail(int *sys)
{
    if (fake_fail_sys != 0)
        *sys = fake_fail_sys;
    return fake_fail_r;
}

int sk__plat_recv_fail(int *sys)
{
    return sk__plat_send_fail(sys);
}

int sk__plat_wait(sk_fd_t fd, int events, int64_t ms, int *sys)
{
    (void)slot(fd);
    (void)sys;
    FAKE_CHECK(ms >= -1);
    FAKE_CHECK(events == SK__WAIT_READ || events == SK__WAIT_WRITE);
    tick();
    if (events == SK__WAIT_WRITE) {
        if (fake.accepted >= fake.send_limit && fake.send_end == SK_ETIMEOUT) {
            if (ms > 0)
                fake.now_us += ms * 1000;
            return SK_ETIMEOUT;
        }
        return 0;
    }
    if (fake.iev == fake.nev) {
        if (fake.recv_end == SK_ETIMEOUT) {
            if (ms > 0)
                fake.now_us += ms * 1000;
            return SK_ETIMEOUT;
        }
        return 0;
    }
    switch (fake.ev[fake.iev].kind) {
    case FAKE_BLOCK:
        fake.iev++;
        return 0;
    case FAKE_INTR:
        fake.iev++;
        return SK_EWOULDBLOCK;
    case FAKE_STALL:
        fake.iev++;
        fake.stalls++;
        if (ms > 0)
            fake.now_us += ms * 1000;
        return SK_ETIMEOUT;
    default:
        return 0;
    }
}

int sk__plat_poll(sk__pollent *ents, size_t n, int64_t ms, size_t *ready,
                  int *sys)
{
    size_t i;
    (void)sys;
    FAKE_CHECK(ready != NULL && (ents != NULL || n == 0));
    FAKE_CHECK(ms >= -1);
    tick();
    for (i = 0; i < n; i++) {
        if (ents[i].events != 0)
            (void)slot(ents[i].fd);
        ents[i].revents = 0;
    }
    *ready = 0; /* nothing ever becomes ready */
    return 0;
}

int sk__plat_shutdown(sk_fd_t fd, int how, int *sys)
{
    int i = slot(fd);
    (void)sys;
    FAKE_CHECK(how >= SK_SHUT_RECEIVE && how <= SK_SHUT_BOTH);
    return fake.fds[i].connected ? 0 : SK_ENOTCONN;
}

/* ---- names and options ------------------------------------------------- */

int sk__plat_sockname(sk_fd_t fd, sk__addr *a, int *sys)
{
    static const unsigned char any[16] = {0};
    int i = slot(fd);
    (void)sys;
    FAKE_CHECK(a != NULL);
    if (fake.fds[i].bound)
        *a = fake.fds[i].local;
    else
        fake_make_addr(a, fake.fds[i].family, any, 0);
    return 0;
}

int sk__plat_peername(sk_fd_t fd, sk__addr *a, int *sys)
{
    int i = slot(fd);
    (void)sys;
    FAKE_CHECK(a != NULL);
    if (!fake.fds[i].connected)
        return SK_ENOTCONN;
    *a = fake.fds[i].peer;
    return 0;
}

int sk__plat_family(sk_fd_t fd, int *family, int *sys)
{
    int i = slot(fd);
    (void)sys;
    FAKE_CHECK(family != NULL);
    *family = fake.fds[i].family;
    return 0;
}

int sk__plat_setopt(sk_fd_t fd, int option, int value, int *sys)
{
    int i = slot(fd);
    /* The shared code validates before it asks the backend. */
    FAKE_CHECK(sk__opt_check(option, value) == 0);
    if (option == SK_OPT_IPV6_V6ONLY && fake.fds[i].family != SK__AF_INET6) {
        if (sys != NULL)
            *sys = 92; /* ENOPROTOOPT */
        return SK_EUNSUPPORTED;
    }
    if (option == SK_OPT_TCP_DEFER_ACCEPT && fake.fds[i].family == SK__AF_INET6)
        return SK_EUNSUPPORTED; /* pretend one OS lacks one option */
    fake.fds[i].opt[option] = value;
    return 0;
}

int sk__plat_getopt(sk_fd_t fd, int option, int *value, int *sys)
{
    int i = slot(fd);
    (void)sys;
    FAKE_CHECK(value != NULL && option >= 0 && option < SK_OPT_COUNT);
    if (option == SK_OPT_TCP_FASTOPEN_CONNECT)
        return SK__EREMEMBERED;
    if (option == SK_OPT_IPV6_V6ONLY && fake.fds[i].family != SK__AF_INET6)
        return SK_EUNSUPPORTED;
    *value = fake.fds[i].opt[option];
    return 0;
}

int sk__plat_sockerror(sk_fd_t fd, int *code, int *sys)
{
    (void)slot(fd);
    (void)sys;
    *code = 0; /* the fake's sockets never hold a pending error */
    return 0;
}

/* ---- time -------------------------------------------------------------- */

int64_t sk__plat_now_us(void)
{
    tick();
    return fake.now_us;
}

int64_t sk__plat_wall_us(void)
{
    tick();
    return fake.now_us;
}

void sk__plat_sleep_us(int64_t us)
{
    fake.now_us += us; /* time passes, nothing waits */
}

int sk__plat_has_ipv6(void)
{
    return fake.has_ipv6;
}

size_t fake_recv_avail(int *code)
{
    size_t i, n = 0;
    for (i = fake.iev; i < fake.nev; i++) {
        if (fake.ev[i].kind == FAKE_STALL) {
            *code = SK_ETIMEOUT;
            return n;
        }
        if (fake.ev[i].kind == FAKE_DATA)
            n += fake.ev[i].len - (i == fake.iev ? fake.ioff : 0);
    }
    *code = fake.recv_end;
    return n;
}

/* ---- datagrams ----------------------------------------------------------- */
/* Every datagram goes out whole; nothing ever arrives (recvfrom follows
 * recv_end: SK_ETIMEOUT says SK_EWOULDBLOCK, and the wait times out). */

int sk__plat_sendto(sk_fd_t fd, const void *buf, size_t len,
                    const sk__addr *to, size_t *sent, int *sys)
{
    int i = slot(fd);
    (void)sys;
    FAKE_CHECK(sent != NULL && (buf != NULL || len == 0));
    FAKE_CHECK(fake.fds[i].type == SK__DGRAM);
    *sent = 0;
    if (to == NULL) {
        FAKE_CHECK(fake.fds[i].connected);
    } else {
        FAKE_CHECK(to->family == fake.fds[i].family);
        FAKE_CHECK(!fake.fds[i].connected);
    }
    if (!fake.fds[i].bound && fake.fds[i].family != SK__AF_UNIX) {
        static const unsigned char any[16] = {0};
        fake_make_addr(&fake.fds[i].local, fake.fds[i].family, any,
                       50000 + i);
        fake.fds[i].bound = 1;
    }
    fake.datagrams++;
    *sent = len;
    return 0;
}

int sk__plat_recvfrom(sk_fd_t fd, void *buf, size_t len, size_t *got,
                      size_t *size, sk__addr *from, int *sys)
{
    int i = slot(fd);
    *size = 0;
    (void)sys;
    FAKE_CHECK((buf != NULL || len == 0) && got != NULL);
    FAKE_CHECK(fake.fds[i].type == SK__DGRAM);
    (void)from;
    *got = 0;
    return fake.recv_end == SK_ETIMEOUT ? SK_EWOULDBLOCK : fake.recv_end;
}

/* sk__plat_sendto1 / sk__plat_recvfrom1 through the two above (the
 * failure waits in fake_fail_r for sk__plat_dgram_fail). */
ptrdiff_t sk__plat_sendto1(sk_fd_t fd, const void *buf, size_t len,
                           const sk__addr *to)
{
    size_t n = 0;
    int sys = 0, r;
    FAKE_CHECK(buf != NULL && len >= 1 && len <= SK__DGRAM1_MAX);
    r = sk__plat_sendto(fd, buf, len, to, &n, &sys);
    if (r == 0)
        return (ptrdiff_t)n;
    fake_fail_r = r;
    fake_fail_sys = sys;
    return -1;
}

ptrdiff_t sk__plat_recvfrom1(sk_fd_t fd, void *buf, size_t len,
                             sk__addr *from)
{
    size_t got = 0, size = 0;
    int sys = 0, r;
    FAKE_CHECK(buf != NULL && len >= 1 && len <= SK__DGRAM1_MAX);
    if (from != NULL) {
        from->len = 0; /* (the fake names no sender) */
        from->family = SK__AF_UNSPEC;
    }
    r = sk__plat_recvfrom(fd, buf, len, &got, &size, from, &sys);
    if (r == 0)
        return (ptrdiff_t)got;
    if (r == SK_ETRUNCATED)
        return size > len ? (ptrdiff_t)size : SK__DGRAM_CUT;
    fake_fail_r = r;
    fake_fail_sys = sys;
    return -1;
}

void sk__plat_from_family(sk__addr *from)
{
    /* (sk__plat_recvfrom above named it whole, or left len 0) */
    FAKE_CHECK(from->len <= sizeof from->sa.bytes);
    if (from->len == 0)
        from->family = SK__AF_UNSPEC;
}

ptrdiff_t sk__plat_recvfroma(sk_fd_t fd, void *buf, size_t len,
                             sk__addr *from)
{
    ptrdiff_t n;
    FAKE_CHECK(from != NULL);
    n = sk__plat_recvfrom1(fd, buf, len, from);
    if (n >= 0)
        sk__plat_from_family(from);
    return n;
}

int sk__plat_dgram_fail(int *sys)
{
    return sk__plat_send_fail(sys);
}

/* The batch calls as a backend without a batch system call makes them
 * (udpeach.c); nothing ever arrives, so nothing is ready. */
int sk__plat_dgram_ready(sk_fd_t fd)
{
    (void)slot(fd);
    return 0;
}

int sk__plat_sendmany(sk_fd_t fd, const sk_dgram *d,
                      const sk__addr *const *to, size_t n, int *gso,
                      size_t *done, int *sys)
{
    FAKE_CHECK(d != NULL && to != NULL && n >= 1 && n <= SK__BATCH &&
               done != NULL);
    FAKE_CHECK(gso == NULL || (*gso >= -1 && *gso <= 1));
    if (gso != NULL)
        *gso = -1;
    return sk__udp_sendeach(fd, d, to, n, done, sys);
}

int sk__plat_recvmany(sk_fd_t fd, sk_dgram *d, sk__addr *from, size_t n,
                      int all, int wait, size_t *done, int *sys)
{
    FAKE_CHECK(d != NULL && from != NULL && n >= 1 && n <= SK__BATCH &&
               done != NULL);
    FAKE_CHECK(wait == 0 || wait == 1);
    FAKE_CHECK(all == 0 || all == 1);
    return sk__udp_recveach(fd, d, from, n, all, wait, done, sys);
}

int sk__plat_membership4(sk_fd_t fd, int join, const sk__addr *group,
                         const sk__addr *ifaddr, int *sys)
{
    (void)fd;
    (void)join;
    (void)group;
    (void)ifaddr;
    (void)sys;
    return SK_EUNSUPPORTED;
}

int sk__plat_mcastif4(sk_fd_t fd, const sk__addr *ifaddr, int *sys)
{
    (void)fd;
    (void)ifaddr;
    (void)sys;
    return SK_EUNSUPPORTED;
}

int sk__plat_disconnect(sk_fd_t fd, int *sys)
{
    int i = slot(fd);
    (void)sys;
    FAKE_CHECK(fake.fds[i].type == SK__DGRAM);
    fake.fds[i].connected = 0;
    return 0;
}

int sk__plat_membership(sk_fd_t fd, int join, const sk__addr *group,
                        int ifindex, int *sys)
{
    int i = slot(fd);
    (void)sys;
    FAKE_CHECK(fake.fds[i].type == SK__DGRAM);
    FAKE_CHECK(join == 0 || join == 1);
    FAKE_CHECK(group != NULL && ifindex >= 0);
    FAKE_CHECK(group->family == SK__AF_INET ||
               group->family == SK__AF_INET6);
    return join ? 0 : SK_EADDRNOTAVAIL;
}

/* ---- sending files and gathered buffers -------------------------------- */

/* The fuzzers never send files: no zero-copy call and no readable file. */
int sk__plat_sendfile(sk_fd_t fd, int file, uint64_t offset, size_t len,
                      int64_t ms, size_t *sent, int *sys)
{
    (void)slot(fd);
    (void)file;
    (void)offset;
    (void)ms;
    (void)sys;
    FAKE_CHECK(sent != NULL && len > 0 && ms >= -1);
    *sent = 0;
    return SK_EUNSUPPORTED;
}

int sk__plat_pread(int file, void *buf, size_t len, uint64_t offset,
                   size_t *got, int *sys)
{
    (void)file;
    (void)offset;
    (void)sys;
    FAKE_CHECK(buf != NULL && got != NULL && len > 0);
    *got = 0;
    return SK_EUNSUPPORTED;
}

/* A gathered send that takes only the first piece with bytes: a partial
 * send by the send script's rules, which the shared code must resume. */
int sk__plat_sendv(sk_fd_t fd, const sk_iovec *iov, size_t n, size_t skip,
                   size_t *sent, int *sys)
{
    size_t i;
    FAKE_CHECK(sent != NULL && iov != NULL && n > 0 && skip < iov[0].len);
    *sent = 0;
    for (i = 0; i < n; i++) {
        size_t off = i == 0 ? skip : 0;
        if (iov[i].len > off)
            return sk__plat_send(fd, (const char *)iov[i].data + off,
                                 iov[i].len - off, sent, sys);
    }
    FAKE_CHECK(!"sk__plat_sendv without a byte to send");
    return SK_EINVAL;
}

/* ---- event loop ---------------------------------------------------------- */
/* Loop mode only: a poller over the fake descriptors whose readiness the
 * script drives (see fake_plat.h), and a wake-up channel that is a fake
 * descriptor of its own (so that a leaked channel is a leaked descriptor).
 * The mutex is a plain flag that catches a lock taken twice. */

#define FAKE_MAX_REGS (2 * FAKE_MAX_FDS)

typedef struct fake_poller {
    sk__poller base;
    struct {
        int used;
        sk_fd_t fd;
        unsigned gen; /* the descriptor's generation when registered */
        int events;
        void *ptr;
    } regs[FAKE_MAX_REGS];
} fake_poller;

static const sk__poller_ops fake_poller_ops;

static int reg_live(const fake_poller *p, size_t k)
{
    int i;
    if (!p->regs[k].used)
        return 0;
    i = (int)(p->regs[k].fd - (sk_fd_t)FAKE_FD_BASE);
    return fake.fds[i].open && fake.fds[i].gen == p->regs[k].gen;
}

static int fp_add(sk__poller *bp, sk__pollreg *r, int *sys)
{
    fake_poller *p = (fake_poller *)bp;
    size_t k, free_k = FAKE_MAX_REGS;
    int i = slot(r->fd);
    (void)sys;
    FAKE_CHECK(r->events != 0 &&
               (r->events & ~(SK__WAIT_READ | SK__WAIT_WRITE)) == 0);
    for (k = 0; k < FAKE_MAX_REGS; k++) {
        if (reg_live(p, k) && p->regs[k].fd == r->fd)
            return SK_EINVAL; /* registered twice (epoll: EEXIST) */
        if (!p->regs[k].used && free_k == FAKE_MAX_REGS)
            free_k = k;
    }
    if (free_k == FAKE_MAX_REGS)
        return SK_ENORESOURCES;
    p->regs[free_k].used = 1;
    p->regs[free_k].fd = r->fd;
    p->regs[free_k].gen = fake.fds[i].gen;
    p->regs[free_k].events = r->events;
    p->regs[free_k].ptr = r->ptr;
    r->slot = free_k;
    return 0;
}

static int fp_mod(sk__poller *bp, sk__pollreg *r, int *sys)
{
    fake_poller *p = (fake_poller *)bp;
    (void)sys;
    (void)slot(r->fd);
    FAKE_CHECK(r->slot < FAKE_MAX_REGS && p->regs[r->slot].used);
    FAKE_CHECK(p->regs[r->slot].fd == r->fd);
    FAKE_CHECK(r->events != 0 &&
               (r->events & ~(SK__WAIT_READ | SK__WAIT_WRITE)) == 0);
    if (!reg_live(p, r->slot))
        return fp_add(bp, r, sys); /* closed and reused behind our back */
    p->regs[r->slot].events = r->events;
    p->regs[r->slot].ptr = r->ptr;
    return 0;
}

static void fp_del(sk__poller *bp, sk__pollreg *r, int stale)
{
    fake_poller *p = (fake_poller *)bp;
    FAKE_CHECK(r->slot < FAKE_MAX_REGS && p->regs[r->slot].used);
    FAKE_CHECK(p->regs[r->slot].fd == r->fd);
    /* Not stale: the registered descriptor is still the same socket. */
    if (!stale)
        FAKE_CHECK(reg_live(p, r->slot));
    p->regs[r->slot].used = 0;
}

/* One decision of the script: something happens to a registered
 * descriptor, or time passes (returns 1). */
static int fp_happen(fake_poller *p, int64_t ms)
{
    unsigned k = script8(), pick, n = 0, i;
    size_t j, chosen = FAKE_MAX_REGS;
#if defined(FUZZ_CONN_TRACE)
    fprintf(stderr, "wait ms %ld: action %u\n", (long)ms, k);
#endif
    if (k % 8 == 0) {
        if (ms > 0)
            fake.now_us += ms * 1000; /* the wait timed out */
        return 1;
    }
    pick = script8();
    for (j = 0; j < FAKE_MAX_REGS; j++)
        if (reg_live(p, j))
            n++;
    if (n == 0)
        return 0;
    pick %= n;
    for (j = 0; j < FAKE_MAX_REGS && chosen == FAKE_MAX_REGS; j++)
        if (reg_live(p, j) && pick-- == 0)
            chosen = j;
    i = (unsigned)(p->regs[chosen].fd - (sk_fd_t)FAKE_FD_BASE);
    if (fake.fds[i].waker)
        return 0;
    switch (k % 8) {
    case 1: /* bytes arrive */
        if (fake.fds[i].connected && fake.fds[i].rx_end == 0)
            fake.fds[i].rx_pending += 1 + script8() * (1 + (k >> 3));
        break;
    case 2: /* the peer closes */
        if (fake.fds[i].connected && fake.fds[i].rx_end == 0)
            fake.fds[i].rx_end = SK_ECLOSED;
        break;
    case 3: /* a reset */
        if (fake.fds[i].connected)
            fake.fds[i].rx_end = SK_ECONNRESET;
        break;
    case 4: /* a connect settles */
        if (fake.fds[i].connecting && fake.fds[i].settle == 0)
            fake.fds[i].settle = (k >> 3) % 3 == 0 ? SK_ECONNREFUSED
                               : (k >> 3) % 3 == 1 ? SK_EHOSTUNREACH
                                                   : 1;
        break;
    case 5: /* the send buffer fills up or drains */
        fake.fds[i].tx_block = !fake.fds[i].tx_block;
        break;
    case 6: /* a client arrives (the next accept may fail) */
        if (fake.fds[i].listening) {
            fake.fds[i].pending++;
            fake.accept_fail = (k >> 3) % 4 == 0;
        }
        break;
    default: /* several clients at once */
        if (fake.fds[i].listening)
            fake.fds[i].pending += 1 + (k >> 3) % 8;
        break;
    }
    return 0;
}

static int fp_wait(sk__poller *bp, int64_t ms, sk__pollout *out, size_t cap,
                   size_t *n, int *sys)
{
    fake_poller *p = (fake_poller *)bp;
    size_t j;
    (void)sys;
    FAKE_CHECK(ms >= -1 && out != NULL && cap > 0 && n != NULL);
    *n = 0;
    tick();
    fake.waits++;
    if (fp_happen(p, ms))
        return 0; /* time passed: nothing to report */
    for (j = 0; j < FAKE_MAX_REGS && *n < cap; j++) {
        int i, ev = 0, want;
        if (!reg_live(p, j))
            continue;
        i = (int)(p->regs[j].fd - (sk_fd_t)FAKE_FD_BASE);
        want = p->regs[j].events;
        if (fake.fds[i].waker) {
            ev = fake.fds[i].signalled ? SK__WAIT_READ : 0;
        } else if (fake.fds[i].listening) {
            ev = fake.fds[i].pending > 0 ? SK__WAIT_READ : 0;
        } else if (fake.fds[i].connecting) {
            if (fake.fds[i].settle != 0)
                ev = SK__WAIT_WRITE |
                     (fake.fds[i].settle < 0 ? SK__WAIT_ERROR : 0);
        } else if (fake.fds[i].connected) {
            if (fake.fds[i].rx_pending > 0 || fake.fds[i].rx_end != 0)
                ev |= SK__WAIT_READ;
            if (!fake.fds[i].tx_block || fake.fds[i].rx_end == SK_ECONNRESET)
                ev |= SK__WAIT_WRITE;
            if (fake.fds[i].rx_end == SK_ECONNRESET)
                ev |= SK__WAIT_ERROR;
        }
        ev &= want | SK__WAIT_ERROR;
        if (ev != 0) {
            out[*n].ptr = p->regs[j].ptr;
            out[*n].events = ev;
            (*n)++;
        }
    }
    if (*n == 0 && ms > 0)
        fake.now_us += ms * 1000; /* nothing came within ms */
    return 0;
}

static void fp_free(sk__poller *bp)
{
    free(bp);
}

static const sk__poller_ops fake_poller_ops = {
    "fake", fp_add, fp_mod, fp_del, fp_wait, fp_free,
    NULL /* reserve: fp_add needs no memory */};

int sk__plat_poller_new(const char *name, int ready, sk__poller **out,
                        int *sys)
{
    fake_poller *p;
    (void)ready;
    (void)sys;
    FAKE_CHECK(out != NULL);
    *out = NULL;
    if (!fake.loop_mode || (name != NULL && strcmp(name, "fake") != 0))
        return SK_EUNSUPPORTED;
    p = (fake_poller *)calloc(1, sizeof *p);
    if (p == NULL)
        return SK_ENORESOURCES;
    p->base.ops = &fake_poller_ops;
    p->base.unique = 1;
    *out = &p->base;
    return 0;
}

struct sk__waker {
    sk_fd_t fd;
};

int sk__plat_waker_new(sk__waker **out, sk_fd_t *fd, int *sys)
{
    sk__waker *w;
    int r;
    FAKE_CHECK(out != NULL && fd != NULL);
    *out = NULL;
    *fd = SK_FD_INVALID;
    if (!fake.loop_mode)
        return SK_EUNSUPPORTED;
    w = (sk__waker *)calloc(1, sizeof *w);
    if (w == NULL)
        return SK_ENORESOURCES;
    r = fd_open(SK__AF_UNIX, SK__DGRAM, &w->fd, sys);
    if (r != 0) {
        free(w);
        return r;
    }
    fake.fds[w->fd - (sk_fd_t)FAKE_FD_BASE].waker = 1;
    *out = w;
    *fd = w->fd;
    return 0;
}

int sk__plat_waker_signal(sk__waker *w, int *sys)
{
    (void)sys;
    FAKE_CHECK(w != NULL);
    fake.fds[slot(w->fd)].signalled = 1;
    return 0;
}

void sk__plat_waker_drain(sk__waker *w)
{
    FAKE_CHECK(w != NULL);
    fake.fds[slot(w->fd)].signalled = 0;
}

void sk__plat_waker_free(sk__waker *w)
{
    int i;
    if (w == NULL)
        return;
    i = slot(w->fd);
    fake.fds[i].open = 0;
    fake.nopen--;
    free(w);
}

struct sk__mutex {
    int locked;
};

int sk__plat_mutex_new(sk__mutex **out)
{
    sk__mutex *m = (sk__mutex *)calloc(1, sizeof *m);
    FAKE_CHECK(out != NULL);
    *out = m;
    return m == NULL ? SK_ENORESOURCES : 0;
}

void sk__plat_mutex_lock(sk__mutex *m)
{
    FAKE_CHECK(m != NULL && !m->locked);
    m->locked = 1;
}

void sk__plat_mutex_unlock(sk__mutex *m)
{
    FAKE_CHECK(m != NULL && m->locked);
    m->locked = 0;
}

void sk__plat_mutex_free(sk__mutex *m)
{
    FAKE_CHECK(m == NULL || !m->locked);
    free(m);
}

/* ---- event-driven connections -------------------------------------------- */

/* No threads in the fake backend: in loop mode the "thread" runs at once,
 * inside this call (a lookup is answered before sk_conn_connect returns,
 * through the loop's post queue), unless thread_fail asks for a failure;
 * outside loop mode a lookup cannot start and fails cleanly. */
int sk__plat_thread_start(sk__thread_fn fn, void *arg, int *sys)
{
    (void)sys;
    FAKE_CHECK(fn != NULL);
    if (!fake.loop_mode)
        return SK_EUNSUPPORTED;
    if (fake.thread_fail) {
        fake.thread_fail = 0;
        return SK_ENORESOURCES;
    }
    fake.threads++;
    fn(arg);
    return 0;
}
