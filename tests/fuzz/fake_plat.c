/* SPDX-License-Identifier: MIT */
/*
 * fake_plat.c - the scripted in-memory backend of sockit's fuzz targets:
 * every function of src/plat.h, over the script in `fake` (see
 * fake_plat.h).  Nothing here calls the OS: no sockets, no resolver, no
 * clock; it is linked with the shared sources (src/ without posix/ and
 * win32/) instead of a real backend.
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
    int i;
    FAKE_CHECK(fd != NULL);
    FAKE_CHECK(type == SK__STREAM); /* the fuzzers make TCP objects only */
    FAKE_CHECK(family == SK__AF_INET || family == SK__AF_INET6);
    if (family == SK__AF_INET6 && !fake.has_ipv6) {
        if (sys != NULL)
            *sys = 97; /* EAFNOSUPPORT, for show */
        return SK_EFAMILY;
    }
    for (i = 0; i < FAKE_MAX_FDS; i++) {
        if (!fake.fds[i].open) {
            memset(&fake.fds[i], 0, sizeof fake.fds[i]);
            fake.fds[i].open = 1;
            fake.fds[i].family = family;
            fake.nopen++;
            *fd = (sk_fd_t)(FAKE_FD_BASE + i);
            return 0;
        }
    }
    if (sys != NULL)
        *sys = 24; /* EMFILE */
    return SK_ENORESOURCES;
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
    fake.fds[i].open = 0;
    fake.nopen--;
}

/* ---- addresses --------------------------------------------------------- */

/* Layout of a fake sk__addr: sa.bytes[0..1] the port (big-endian), then 4
 * or 16 address bytes. */
static void make_addr(sk__addr *a, int family, const unsigned char *ip,
                      int port)
{
    size_t n = family == SK__AF_INET ? 4 : 16;
    memset(a, 0, sizeof *a);
    a->family = family;
    a->len = (unsigned)(2 + n);
    a->sa.bytes[0] = (unsigned char)((unsigned)port >> 8);
    a->sa.bytes[1] = (unsigned char)((unsigned)port & 0xff);
    memcpy(a->sa.bytes + 2, ip, n);
}

static int parse_ipv4(const char *s, unsigned char out[4])
{
    int part;
    for (part = 0; part < 4; part++) {
        unsigned v = 0;
        int digits = 0;
        while (*s >= '0' && *s <= '9') {
            v = v * 10 + (unsigned)(*s - '0');
            if (++digits > 3 || v > 255)
                return 0;
            s++;
        }
        if (digits == 0)
            return 0;
        out[part] = (unsigned char)v;
        if (part < 3) {
            if (*s != '.')
                return 0;
            s++;
        }
    }
    return *s == '\0';
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Numeric IPv6 with one optional "::" (no embedded IPv4, no zone). */
static int parse_ipv6(const char *s, unsigned char out[16])
{
    unsigned groups[8];
    int n = 0, gap = -1, i;
    if (s[0] == ':' && s[1] == ':') {
        gap = 0;
        s += 2;
    }
    while (*s != '\0') {
        unsigned v = 0;
        int digits = 0, h;
        if (n == 8)
            return 0;
        while ((h = hexval(*s)) >= 0) {
            v = v * 16 + (unsigned)h;
            if (++digits > 4)
                return 0;
            s++;
        }
        if (digits == 0)
            return 0;
        groups[n++] = v;
        if (*s == '\0')
            break;
        if (*s != ':')
            return 0;
        s++;
        if (*s == ':') {
            if (gap >= 0)
                return 0;
            gap = n;
            s++;
        } else if (*s == '\0') {
            return 0; /* trailing single colon */
        }
    }
    if (gap < 0 ? n != 8 : n > 7)
        return 0;
    memset(out, 0, 16);
    for (i = 0; i < n; i++) {
        int at = (gap < 0 || i < gap) ? i : 8 - (n - i);
        out[2 * at] = (unsigned char)(groups[i] >> 8);
        out[2 * at + 1] = (unsigned char)(groups[i] & 0xff);
    }
    return 1;
}

int sk__plat_resolve(const char *host, int port, int family, int passive,
                     sk__addr **list, size_t *count, int *sys)
{
    static const unsigned char any[16] = {0};
    unsigned char ip[16];
    sk__addr *out;
    size_t n = 0;
    FAKE_CHECK(list != NULL && count != NULL);
    FAKE_CHECK(port >= 0 && port <= 65535);
    FAKE_CHECK(family == SK__AF_UNSPEC || family == SK__AF_INET ||
               family == SK__AF_INET6);
    *list = NULL;
    *count = 0;
    out = (sk__addr *)malloc(2 * sizeof *out);
    if (out == NULL)
        return SK_ENORESOURCES;
    if (host == NULL) {
        FAKE_CHECK(passive);
        if (family != SK__AF_INET && fake.has_ipv6)
            make_addr(&out[n++], SK__AF_INET6, any, port);
        if (family != SK__AF_INET6)
            make_addr(&out[n++], SK__AF_INET, any, port);
    } else {
        size_t len = strlen(host);
        FAKE_CHECK(len > 0 && len <= 255);
        if (parse_ipv4(host, ip) && family != SK__AF_INET6)
            make_addr(&out[n++], SK__AF_INET, ip, port);
        else if (parse_ipv6(host, ip) && family != SK__AF_INET)
            make_addr(&out[n++], SK__AF_INET6, ip, port);
    }
    if (n == 0) {
        free(out);
        if (sys != NULL)
            *sys = -2; /* EAI_NONAME, for show */
        return SK_EHOSTNOTFOUND;
    }
    *list = out;
    *count = n;
    return 0;
}

int sk__plat_addrname(const sk__addr *a, sk_name *out)
{
    const unsigned char *b;
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0,
                                             0, 0, 0, 0, 0xff, 0xff};
    FAKE_CHECK(a != NULL && out != NULL);
    b = a->sa.bytes;
    memset(out, 0, sizeof *out);
    if (a->family == SK__AF_INET && a->len == 6) {
        sprintf(out->addr, "%u.%u.%u.%u", b[2], b[3], b[4], b[5]);
        strcpy(out->family, "inet");
    } else if (a->family == SK__AF_INET6 && a->len == 18) {
        if (memcmp(b + 2, mapped, 12) == 0) {
            sprintf(out->addr, "%u.%u.%u.%u", b[14], b[15], b[16], b[17]);
            strcpy(out->family, "inet");
        } else {
            int i, pos = 0;
            for (i = 0; i < 8; i++)
                pos += sprintf(out->addr + pos, i ? ":%x" : "%x",
                               (unsigned)(b[2 + 2 * i] << 8 | b[3 + 2 * i]));
            strcpy(out->family, "inet6");
        }
    } else {
        return SK_EINVAL;
    }
    out->port = b[0] << 8 | b[1];
    return 0;
}

/* ---- address lookup ---------------------------------------------------- */

/* Numeric hosts only (names: SK_EHOSTNOTFOUND), no canonical name, a
 * numeric service only (names: SK_ENOSERVICE); one entry per type. */
int sk__plat_lookup(const char *host, const char *service, int family,
                    int type, int flags, sk__lookup_ent **list,
                    size_t *count, char **canon, int *sys)
{
    static const unsigned char any[16] = {0};
    static const unsigned char lo6[16] = {0, 0, 0, 0, 0, 0, 0, 0,
                                          0, 0, 0, 0, 0, 0, 0, 1};
    static const unsigned char lo4[4] = {127, 0, 0, 1};
    unsigned char ip[16];
    sk__addr a[2];
    size_t na = 0, i;
    int port = 0, t, k = 0;
    FAKE_CHECK(list != NULL && count != NULL && canon != NULL);
    FAKE_CHECK(fake.started > 0);
    FAKE_CHECK(host != NULL || service != NULL);
    FAKE_CHECK(family == SK__AF_UNSPEC || family == SK__AF_INET ||
               family == SK__AF_INET6);
    FAKE_CHECK(type == 0 || type == SK__STREAM || type == SK__DGRAM);
    *list = NULL;
    *count = 0;
    *canon = NULL;
    (void)sys;
    if (service != NULL) {
        if (!(flags & SK__LOOKUP_NUMERICSERV))
            return SK_ENOSERVICE;
        port = atoi(service);
        FAKE_CHECK(port >= 0 && port <= 65535);
    }
    if (host == NULL) {
        int passive = (flags & SK_LOOKUP_PASSIVE) != 0;
        if (family != SK__AF_INET6)
            make_addr(&a[na++], SK__AF_INET, passive ? any : lo4, port);
        if (family != SK__AF_INET && fake.has_ipv6)
            make_addr(&a[na++], SK__AF_INET6, passive ? any : lo6, port);
    } else if (parse_ipv4(host, ip)) {
        if (family != SK__AF_INET6)
            make_addr(&a[na++], SK__AF_INET, ip, port);
    } else if (parse_ipv6(host, ip)) {
        if (family != SK__AF_INET)
            make_addr(&a[na++], SK__AF_INET6, ip, port);
    }
    if (na == 0)
        return SK_EHOSTNOTFOUND;
    *list = (sk__lookup_ent *)calloc(2 * na, sizeof **list);
    if (*list == NULL)
        return SK_ENORESOURCES;
    for (i = 0; i < na; i++)
        for (t = SK__STREAM; t <= SK__DGRAM; t++)
            if (type == 0 || type == t) {
                (*list)[k].addr = a[i];
                (*list)[k++].type = t;
            }
    *count = (size_t)k;
    return 0;
}

/* No names at all. */
int sk__plat_reverse(const sk__addr *a, char *name, int *sys)
{
    FAKE_CHECK(a != NULL && name != NULL);
    FAKE_CHECK(fake.started > 0);
    (void)sys;
    name[0] = '\0';
    return SK_EHOSTNOTFOUND;
}

int sk__plat_hostname(char *name, int *sys)
{
    FAKE_CHECK(name != NULL);
    FAKE_CHECK(fake.started > 0);
    (void)sys;
    strcpy(name, "fakehost");
    return 0;
}

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
        make_addr(&fake.fds[i].local, a->family,
                  a->family == SK__AF_INET ? lo4 : lo6, 40000 + i);
        fake.fds[i].bound = 1;
    }
}

int sk__plat_connect_start(sk_fd_t fd, const sk__addr *a, int *sys)
{
    int i = slot(fd);
    FAKE_CHECK(a != NULL && a->family == fake.fds[i].family);
    FAKE_CHECK(!fake.fds[i].connected && !fake.fds[i].listening);
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
    return SK_EWOULDBLOCK; /* nobody ever connects to a fake server */
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
        make_addr(a, fake.fds[i].family, any, 0);
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

/* ---- UNIX-domain sockets ------------------------------------------------ */
/* The fuzzers make TCP objects only: no UNIX object ever asks. */

int sk__plat_unix_addr(const char *path, sk__addr *out, int *sys)
{
    (void)path;
    (void)out;
    (void)sys;
    return SK_EUNSUPPORTED;
}

int sk__plat_unix_keep(const char *path, char **out)
{
    (void)path;
    *out = NULL;
    return SK_EUNSUPPORTED;
}

void sk__plat_unix_remove(const char *path)
{
    (void)path;
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
/* The fuzzers make stream objects only (sk__plat_socket checks it), so no
 * datagram call can reach these. */

int sk__plat_sendto(sk_fd_t fd, const void *buf, size_t len,
                    const sk__addr *to, size_t *sent, int *sys)
{
    (void)fd;
    (void)buf;
    (void)len;
    (void)to;
    (void)sys;
    *sent = 0;
    return SK_EUNSUPPORTED;
}

int sk__plat_recvfrom(sk_fd_t fd, void *buf, size_t len, size_t *got,
                      size_t *size, sk__addr *from, int *sys)
{
    *size = 0;
    (void)fd;
    (void)buf;
    (void)len;
    (void)from;
    (void)sys;
    *got = 0;
    return SK_EUNSUPPORTED;
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
    (void)fd;
    (void)sys;
    return SK_EUNSUPPORTED;
}

int sk__plat_membership(sk_fd_t fd, int join, const sk__addr *group,
                        int ifindex, int *sys)
{
    (void)fd;
    (void)join;
    (void)group;
    (void)ifindex;
    (void)sys;
    return SK_EUNSUPPORTED;
}

int sk__plat_v4mapped(const sk__addr *in, sk__addr *out)
{
    (void)in;
    (void)out;
    return SK_EINVAL;
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
/* The fuzzers never make a loop: no poller or wake-up channel here, so
 * sk_loop_new fails with SK_EUNSUPPORTED.  The mutex is a plain flag that
 * catches a lock taken twice. */

int sk__plat_poller_new(const char *name, sk__poller **out, int *sys)
{
    (void)name;
    (void)sys;
    FAKE_CHECK(out != NULL);
    *out = NULL;
    return SK_EUNSUPPORTED;
}

int sk__plat_waker_new(sk__waker **out, sk_fd_t *fd, int *sys)
{
    (void)sys;
    FAKE_CHECK(out != NULL && fd != NULL);
    *out = NULL;
    *fd = SK_FD_INVALID;
    return SK_EUNSUPPORTED;
}

int sk__plat_waker_signal(sk__waker *w, int *sys)
{
    (void)w;
    (void)sys;
    FAKE_CHECK(!"sk__plat_waker_signal without a waker");
    return SK_EUNSUPPORTED;
}

void sk__plat_waker_drain(sk__waker *w)
{
    (void)w;
    FAKE_CHECK(!"sk__plat_waker_drain without a waker");
}

void sk__plat_waker_free(sk__waker *w)
{
    FAKE_CHECK(w == NULL);
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

/* No threads in the fake backend: the fuzzers never connect through
 * sk_conn, and a lookup that cannot start fails cleanly. */
int sk__plat_thread_start(sk__thread_fn fn, void *arg, int *sys)
{
    (void)fn;
    (void)arg;
    (void)sys;
    return SK_EUNSUPPORTED;
}
