/* SPDX-License-Identifier: MIT */
/*
 * udp.c - datagram objects: the UDP constructors, fixing and dropping a
 * peer, sending and receiving one datagram, and multicast membership.
 * Family-agnostic on purpose: destinations come only from sk__addrs_for
 * and senders are named by sk__plat_addrname, so UNIX-domain datagram
 * objects (path as host, port 0) share every call here.
 */
#include "sockit_int.h"

#include <stdlib.h>
#include <string.h>

SK_API int sk_udp4(sk_sock **out)
{
    return sk__new(out, SK__AF_INET, SK__DGRAM, 0);
}

SK_API int sk_udp6(sk_sock **out)
{
    return sk__new(out, SK__AF_INET6, SK__DGRAM, 0);
}

SK_API int sk_udp(sk_sock **out)
{
    return sk__new(out, SK__AF_UNSPEC, SK__DGRAM, 1);
}

/* A live datagram object, with or without a peer. */
int sk__udp_check(const sk_sock *s)
{
    int r = sk__check(s);
    if (r != 0)
        return r;
    if (s->type != SK__DGRAM ||
        (s->role != SK_ROLE_UNCONNECTED && s->role != SK_ROLE_CONNECTED))
        return SK_EWRONGROLE;
    return 0;
}

/* A destination: a host (not "*", which names no one) and a port 1..65535;
 * for UNIX-domain objects a path and port 0. */
static int udp_check_dest(const sk_sock *s, const char *host, int port)
{
    int r = sk__check_host(host);
    if (r != 0)
        return r;
    if (s->family == SK__AF_UNIX)
        return port == 0 ? 0 : SK_EINVAL;
    if (port < 1 || port > 65535 || strcmp(host, "*") == 0)
        return SK_EINVAL;
    return 0;
}

/* The family s's socket has, or will have when a dual-stack object makes
 * one: IPv6 (v6only off) where the host has it, else IPv4. */
static int udp_family(const sk_sock *s)
{
    if (s->fd != SK_FD_INVALID || !s->dual)
        return s->family;
    return sk__plat_has_ipv6() ? SK__AF_INET6 : SK__AF_INET;
}

/* Whether s's socket, of family, reaches IPv4 through IPv4-mapped
 * addresses: a dual-stack IPv6 socket, unless the system refused to make
 * it one (SK__DUAL_V6ONLY in s->dual, see sk__make_socket). */
static int udp_maps_v4(const sk_sock *s, int family)
{
    return s->dual && !(s->dual & SK__DUAL_V6ONLY) && family == SK__AF_INET6;
}

/* The lookup filter for a socket of family: a dual-stack IPv6 socket
 * reaches IPv4 addresses too. */
static int udp_filter(const sk_sock *s, int family)
{
    return udp_maps_v4(s, family) ? SK__AF_UNSPEC : family;
}

/* What host:port names for a socket of family, in resolver order; IPv4
 * addresses become IPv4-mapped IPv6 ones for a dual-stack IPv6 socket. */
static int udp_dests(sk_sock *s, int family, const char *host, int port,
                     sk__addr **list, size_t *count)
{
    size_t i;
    int r = sk__addrs_for(s, host, port, udp_filter(s, family), 0, list,
                          count);
    if (r != 0 || !udp_maps_v4(s, family))
        return r;
    for (i = 0; i < *count; i++) {
        sk__addr m;
        if ((*list)[i].family == SK__AF_INET &&
            sk__plat_v4mapped(&(*list)[i], &m) == 0)
            (*list)[i] = m;
    }
    return 0;
}

/* Give a dual-stack object its socket of family, if it has none yet. */
static int udp_ensure_socket(sk_sock *s, int family)
{
    sk_fd_t fd = SK_FD_INVALID;
    int r;
    if (s->fd != SK_FD_INVALID)
        return 0;
    r = sk__make_socket(s, family, &fd);
    if (r != 0)
        return r;
    sk__udp_forget(s); /* what it named was for another socket */
    s->fd = fd;
    s->family = (unsigned char)family;
    return 0;
}

/* A dual-stack object learns whether its IPv6 socket really reaches IPv4
 * only when it makes it (SK__DUAL_V6ONLY): make it before the lookup whose
 * filter depends on that.  *made: 1 when this made the socket, which
 * udp_undo_socket drops again if the lookup fails (a failed lookup leaves
 * a dual-stack object without a socket, as it found it). */
static int udp_dual_socket(sk_sock *s, int family, int *made)
{
    int r;
    *made = 0;
    if (!s->dual || family != SK__AF_INET6 || s->fd != SK_FD_INVALID)
        return 0;
    r = udp_ensure_socket(s, family);
    *made = r == 0;
    return r;
}

static void udp_undo_socket(sk_sock *s, int made)
{
    if (!made)
        return;
    sk__udp_forget(s);
    sk__plat_close(s->fd);
    s->fd = SK_FD_INVALID;
    s->family = SK__AF_UNSPEC; /* no socket, no family yet */
}

/* What host:port names for s (*list, *count; the caller frees *list),
 * and s's socket made if it had none: a dual-stack object makes it before
 * the lookup (udp_dual_socket) and drops it again if the lookup fails. */
static int udp_resolve_dest(sk_sock *s, const char *host, int port,
                            sk__addr **list, size_t *count)
{
    int made = 0, family = udp_family(s);
    int r = udp_dual_socket(s, family, &made);
    if (r == 0) {
        r = udp_dests(s, family, host, port, list, count);
        if (r != 0)
            udp_undo_socket(s, made);
    }
    if (r == 0)
        r = udp_ensure_socket(s, family);
    return r;
}

/* The local name of s's socket (IP families only). */
static int udp_local(sk_sock *s, sk_name *n)
{
    sk__addr a;
    int sys = 0, r;
    if (s->family == SK__AF_UNIX || s->fd == SK_FD_INVALID)
        return SK_EUNSUPPORTED;
    r = sk__plat_sockname(s->fd, &a, &sys);
    return r != 0 ? r : sk__plat_addrname(&a, n);
}

/* Bind s's socket again to addr (numeric text) and port. */
static int udp_rebind(sk_sock *s, const char *addr, int port)
{
    sk__addr *list = NULL;
    size_t count = 0;
    int r = sk__addrs_for(s, addr, port, s->family, 1, &list, &count);
    if (r == 0)
        r = sk__plat_bind(s->fd, &list[0], &s->sys);
    sk__free(list);
    return r;
}

/* Drop the peer of a connected object, keeping its local port: Linux
 * releases a port that it picked (at a port-0 bind or implicitly) when a
 * datagram socket disconnects, so it is bound again to the same port, on
 * the address the socket still has.  Should that port be taken in
 * between, the object is left without a peer and unbound. */
static int udp_drop_peer(sk_sock *s)
{
    sk_name before, after;
    int had, r;
    had = udp_local(s, &before) == 0 && before.port != 0;
    r = sk__plat_disconnect(s->fd, &s->sys);
    if (r != 0)
        return r;
    s->role = SK_ROLE_UNCONNECTED;
    if (!had || udp_local(s, &after) != 0 || after.port != 0)
        return 0;
    r = udp_rebind(s, after.addr, before.port);
    if (r != 0)
        s->bound = 0;
    return r;
}

/* One connect of a datagram socket (immediate for UDP; the wait is there
 * for any family whose connect might not be). */
static int udp_connect(sk_sock *s, const sk__addr *a, const sk__tm *tm)
{
    int r = sk__plat_connect_start(s->fd, a, &s->sys);
    while (r == SK_EINPROGRESS || r == SK_EWOULDBLOCK)
        r = sk__plat_wait_connect(s->fd, sk__tm_left(tm), &s->sys);
    return r;
}

SK_API int sk_setpeername(sk_sock *s, const char *host, int port)
{
    sk__addr *list = NULL;
    size_t count = 0, i;
    sk__tm tm;
    int family, made = 0, r = sk__udp_check(s);
    if (r != 0)
        return r;
    if ((r = sk__check_host(host)) != 0)
        return r;
    if (strcmp(host, "*") == 0) {
        if (s->role != SK_ROLE_CONNECTED)
            return 0;
        return udp_drop_peer(s);
    }
    if ((r = udp_check_dest(s, host, port)) != 0)
        return r;
    family = udp_family(s);
    r = udp_dual_socket(s, family, &made);
    if (r == 0)
        r = udp_dests(s, family, host, port, &list, &count);
    if (r != 0) {
        udp_undo_socket(s, made);
        return r;
    }
    /* A new peer: drop the old one first.  Reconnecting in place keeps the
     * old source address on Linux, which is wrong when the new peer is of
     * the other family on a dual-stack socket. */
    if (s->role == SK_ROLE_CONNECTED)
        r = udp_drop_peer(s);
    if (r == 0)
        r = udp_ensure_socket(s, family);
    if (r == 0) {
        sk__tm_start(&tm, s);
        r = SK_EHOSTNOTFOUND;
        for (i = 0; i < count; i++) {
            r = udp_connect(s, &list[i], &tm);
            if (r == 0)
                break;
        }
    }
    sk__free(list);
    if (r != 0)
        return r;
    s->role = SK_ROLE_CONNECTED;
    s->bound = 1; /* the system binds a datagram socket it connects */
    return 0;
}

/* Send one datagram to `to` (NULL: the peer), waiting for room within tm
 * (NULL: a deadline that starts at the first wait). */
SK__NOINLINE int sk__udp_send(sk_sock *s, const void *data, size_t len,
                                 const sk__addr *to, const sk__tm *tm)
{
    static const char none = 0; /* a valid pointer for an empty datagram */
    sk__tm mine;
    if (data == NULL)
        data = &none;
    for (;;) {
        size_t sent = 0;
        int r = sk__plat_sendto(s->fd, data, len, to, &sent, &s->sys);
        s->nsent += sent;
        if (r == 0) {
            s->bound = 1; /* the system binds a socket that sends */
            return sent == len ? 0 : SK_EMSGSIZE; /* never cut */
        }
        if (r != SK_EWOULDBLOCK)
            return r;
        if (tm == NULL) {
            sk__tm_start(&mine, s);
            tm = &mine;
        }
        r = sk__wait(s, SK__WAIT_WRITE, tm);
        if (r != 0)
            return r;
    }
}

/* Whether host is numeric text (digits and dots, or hex digits, dots and
 * colons with at least one colon, no zone): it then names the same
 * address for ever, and what it named may be remembered. */
static int udp_numeric(const char *host)
{
    size_t i;
    int colon = 0, other = 0;
    for (i = 0; host[i] != '\0'; i++) {
        char ch = host[i];
        if (i >= SK__UDP_HOSTMAX - 1)
            return 0;
        if (ch == ':')
            colon = 1;
        else if ((ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F'))
            other = 1;
        else if (!((ch >= '0' && ch <= '9') || ch == '.'))
            return 0;
    }
    return i > 0 && (colon || !other);
}

/* s->extra->udp, made if needed (NULL when there is no memory for it:
 * nothing is remembered then). */
static sk__udpc *udp_memory(sk_sock *s)
{
    if (sk__need_extra(s) != 0)
        return NULL;
    if (s->extra->udp == NULL) {
        s->extra->udp = (sk__udpc *)sk__calloc(1, sizeof *s->extra->udp);
        if (s->extra->udp != NULL)
            s->extra->udp->port = -1; /* no destination remembered */
    }
    return s->extra->udp;
}

int *sk__udp_gso(sk_sock *s)
{
    sk__udpc *c = s->family == SK__AF_UNIX ? NULL : udp_memory(s);
    return c != NULL ? &c->gso : NULL;
}

void sk__udp_forget(sk_sock *s)
{
    if (s->extra != NULL && s->extra->udp != NULL) {
        sk__free(s->extra->udp);
        s->extra->udp = NULL;
    }
}

/* Remember that host:port names the one address a for s's socket. */
static void udp_remember_dest(sk_sock *s, const char *host, int port,
                              const sk__addr *a)
{
    sk__udpc *c;
    if (s->family == SK__AF_UNIX || !udp_numeric(host) ||
        (c = udp_memory(s)) == NULL)
        return;
    strcpy(c->host, host); /* shorter than SK__UDP_HOSTMAX: udp_numeric */
    c->port = port;
    c->fd = s->fd;
    c->to = *a;
}

void sk__udp_name(sk_sock *s, const sk__addr *a, sk_name *from)
{
    sk__udpc *c = s->extra != NULL ? s->extra->udp : NULL;
    if (c != NULL && a->len == c->from.len && a->len != 0 &&
        memcmp(a->sa.bytes, c->from.sa.bytes, a->len) == 0) {
        *from = c->name; /* the sender of the last datagram again */
        return;
    }
    if (sk__plat_addrname(a, from) != 0) {
        memset(from, 0, sizeof *from); /* an unnamed sender */
        if (s->family == SK__AF_UNIX) /* no address at all */
            memcpy(from->family, "unix", 5);
        return;
    }
    if (s->family == SK__AF_UNIX || (c = udp_memory(s)) == NULL)
        return;
    c->from.family = a->family;
    c->from.len = a->len;
    memcpy(c->from.sa.bytes, a->sa.bytes, a->len);
    c->name = *from;
}

/* sk_sendto to a host that s does not remember: look it up and try its
 * addresses in order (waiting within tm; NULL: a deadline that starts
 * after the lookup); a numeric host with one address is remembered. */
int sk__udp_sendto_lookup(sk_sock *s, const void *data, size_t len,
                          const char *host, int port, const sk__tm *tm)
{
    sk__addr *list = NULL;
    size_t count = 0, i;
    sk__tm mine;
    int r;
    if ((r = udp_check_dest(s, host, port)) != 0)
        return r;
    if (s->role == SK_ROLE_CONNECTED)
        return SK_EISCONN;
    r = udp_resolve_dest(s, host, port, &list, &count);
    if (r == 0) {
        if (count == 1)
            udp_remember_dest(s, host, port, &list[0]);
        if (tm == NULL) {
            sk__tm_start(&mine, s);
            tm = &mine;
        }
        r = SK_EHOSTNOTFOUND;
        /* Nothing went out when an address fails, so the next one may be
         * tried without sending the datagram twice. */
        for (i = 0; i < count; i++) {
            r = sk__udp_send(s, data, len, &list[i], tm);
            if (r == 0 || r == SK_ETIMEOUT || r == SK_EMSGSIZE)
                break;
        }
    }
    sk__free(list);
    return r;
}

/* sk_sendto but for its common case: the checks, an empty datagram, a
 * host to look up. */
static SK__NOINLINE int sendto_any(sk_sock *s, const void *data, size_t len,
                                   const char *host, int port)
{
    const sk__addr *to = NULL;
    int r = sk__udp_check(s);
    if (r != 0)
        return r;
    if (data == NULL && len > 0)
        return SK_EINVAL;
    if (host == NULL) {
        if (s->role != SK_ROLE_CONNECTED)
            return SK_ENOTCONN;
    } else if (s->role == SK_ROLE_CONNECTED ||
               (to = sk__udp_known(s, host, port)) == NULL) {
        return sk__udp_sendto_lookup(s, data, len, host, port, NULL);
    }
    return sk__udp_send(s, data, len, to, NULL);
}

/* What sk_sendto does after a first send that failed (k -1:
 * sk__plat_dgram_fail says why) or took less than the datagram (k >= 0):
 * wait and send again when it would block. */
static SK__NOINLINE int sendto_more(sk_sock *s, const void *data, size_t len,
                                    const sk__addr *to, ptrdiff_t k)
{
    sk__tm tm;
    int sys = 0, r;
    if (k >= 0) {
        s->nsent += (size_t)k;
        return SK_EMSGSIZE; /* (never cut) */
    }
    r = sk__plat_dgram_fail(&sys);
    sk__sys_set(s, sys);
    if (r != SK_EWOULDBLOCK)
        return r;
    sk__tm_start(&tm, s);
    r = sk__wait(s, SK__WAIT_WRITE, &tm);
    return r != 0 ? r : sk__udp_send(s, data, len, to, &tm);
}

/* The common case first, one test of each condition: a datagram of 1 ..
 * SK__DGRAM1_MAX bytes to the peer of a connected object, or to a host an
 * unconnected object remembers, taken whole by one system call; anything
 * else is sendto_any's (the checks, lookups) or sendto_more's. */
SK_API int sk_sendto(sk_sock *s, const void *data, size_t len,
                     const char *host, int port)
{
    const sk__addr *to = NULL;
    ptrdiff_t k;
    if (s == NULL || data == NULL || len - 1 >= SK__DGRAM1_MAX)
        return sendto_any(s, data, len, host, port);
    /* (both roles are datagram roles: the type needs no test) */
    if (host == NULL) {
        if (s->role != SK_ROLE_CONNECTED)
            return sendto_any(s, data, len, host, port);
    } else if (s->role != SK_ROLE_UNCONNECTED ||
               (to = sk__udp_known(s, host, port)) == NULL) {
        return sendto_any(s, data, len, host, port);
    }
    k = sk__plat_sendto1(s->fd, data, len, to);
    if ((size_t)k != len)
        return sendto_more(s, data, len, to, k);
    s->nsent += len;
    s->bound = 1; /* the system binds a socket that sends */
    return 0;
}

/* Is s bound (so that a datagram could arrive)?  Asks the system when
 * sockit did not see a bind (a handle from sk_setfd). */
int sk__udp_bound(sk_sock *s)
{
    sk__addr a;
    sk_name n;
    int sys = 0;
    if (s->bound)
        return 1;
    if (s->fd == SK_FD_INVALID)
        return 0;
    if (s->family == SK__AF_UNIX)
        return 1; /* the system answers for UNIX-domain sockets */
    if (sk__plat_sockname(s->fd, &a, &sys) != 0 ||
        sk__plat_addrname(&a, &n) != 0)
        return 0;
    return n.port != 0;
}

/* ICMP errors that an earlier datagram met: on an object without a peer
 * they say nothing about this receive. */
int sk__udp_icmp(int r)
{
    return r == SK_ECONNREFUSED || r == SK_EHOSTUNREACH ||
           r == SK_ENETUNREACH;
}

/* A failed sk_recvfrom / sk_recvfromaddr: nothing received, no sender. */
static int udp_recv_fail(int r, size_t *got, size_t *size, sk_name *from,
                         sk__addr *fa)
{
    if (got != NULL)
        *got = 0;
    if (size != NULL)
        *size = 0;
    if (from != NULL)
        memset(from, 0, sizeof *from);
    if (fa != NULL)
        memset(fa, 0, sizeof *fa);
    return r;
}

/* sk_recvfrom's (from: the sender's name) and sk_recvfromaddr's (fa: the
 * sender's address) general case: the checks that failed or a bind to ask
 * the system about, waits, and errors (r: the first receive's result, or
 * 1 when none was made). */
static SK__NOINLINE int udp_recv_slow(sk_sock *s, void *buf, size_t cap,
                                      size_t *got, size_t *size,
                                      sk_name *from, sk__addr *fa, int r)
{
    sk__addr a;
    sk__tm tm;
    size_t full = 0;
    if (r == 1) {
        r = sk__udp_check(s);
        if (r == 0 && ((buf == NULL && cap > 0) || got == NULL))
            r = SK_EINVAL;
        if (r == 0 && !sk__udp_bound(s))
            r = SK_ENOTCONN;
        if (r != 0)
            return udp_recv_fail(r, got, size, from, fa);
        r = 1; /* not tried yet */
    }
    if (fa == NULL && from != NULL)
        fa = &a; /* the sender, to be named */
    sk__tm_start(&tm, s);
    for (;;) {
        if (r == SK_EWOULDBLOCK)
            r = sk__wait(s, SK__WAIT_READ, &tm);
        else if (r == 1 ||
                 (sk__udp_icmp(r) && s->role == SK_ROLE_UNCONNECTED))
            r = 0; /* (an ICMP error was consumed by the system: the next
                      call differs) */
        if (r != 0)
            return udp_recv_fail(r, got, size, from, fa != &a ? fa : NULL);
        r = sk__plat_recvfrom(s->fd, buf, cap, got, &full, fa, &s->sys);
        if (r == 0 || r == SK_ETRUNCATED) {
            s->nrecv += *got;
            if (size != NULL)
                *size = full;
            if (from != NULL)
                sk__udp_name(s, fa, from);
            return r;
        }
    }
}

/* What sk_recvfrom (from: name the sender a) and sk_recvfromaddr (fa: the
 * caller's sender, a itself, already complete) do after a first receive
 * that failed (k -1: sk__plat_dgram_fail says why) or brought a datagram
 * longer than cap (k > cap: cut). */
static SK__NOINLINE int recvfrom_more(sk_sock *s, void *buf, size_t cap,
                                      size_t *got, size_t *size,
                                      sk_name *from, sk__addr *a,
                                      sk__addr *fa, ptrdiff_t k)
{
    int sys = 0, r;
    if (k >= 0) {
        *got = cap;
        s->nrecv += cap;
        if (size != NULL)
            *size = k == SK__DGRAM_CUT ? 0 : (size_t)k;
        if (from != NULL)
            sk__udp_name_new(s, a, from);
        return SK_ETRUNCATED;
    }
    r = sk__plat_dgram_fail(&sys);
    sk__sys_set(s, sys);
    return udp_recv_slow(s, buf, cap, got, size, from, fa, r);
}

SK__NOINLINE void sk__udp_name_new(sk_sock *s, sk__addr *a, sk_name *from)
{
    sk__plat_from_family(a);
    sk__udp_name(s, a, from);
}

/* The common case first, one test of each condition: a bound datagram
 * object (both roles are datagram roles: the type needs no test), room
 * for 1 .. SK__DGRAM1_MAX bytes, one system call that brings
 * a datagram that fits; anything else is udp_recv_slow's (the checks,
 * waits) or recvfrom_more's. */
SK_API int sk_recvfrom(sk_sock *s, void *buf, size_t cap, size_t *got,
                       size_t *size, sk_name *from)
{
    sk__addr a;
    ptrdiff_t k;
    if (s == NULL || buf == NULL || cap - 1 >= SK__DGRAM1_MAX ||
        got == NULL || !s->bound ||
        (s->role != SK_ROLE_UNCONNECTED && s->role != SK_ROLE_CONNECTED))
        return udp_recv_slow(s, buf, cap, got, size, from, NULL, 1);
    k = sk__plat_recvfrom1(s->fd, buf, cap, from != NULL ? &a : NULL);
    if ((size_t)k > cap) /* (-1 too) */
        return recvfrom_more(s, buf, cap, got, size, from, &a, NULL, k);
    *got = (size_t)k;
    s->nrecv += (size_t)k;
    if (size != NULL)
        *size = (size_t)k;
    if (from != NULL)
        sk__udp_name_quick(s, &a, from);
    return 0;
}

/* sk_recvfrom with the sender in binary form, the common case first as
 * there: the sender goes straight into the caller's sk_addr (its family
 * completed by the backend), and nothing is named. */
SK_API int sk_recvfromaddr(sk_sock *s, void *buf, size_t cap, size_t *got,
                           size_t *size, sk_addr *from)
{
    ptrdiff_t k;
    if (s == NULL || buf == NULL || cap - 1 >= SK__DGRAM1_MAX ||
        got == NULL || from == NULL || !s->bound ||
        (s->role != SK_ROLE_UNCONNECTED && s->role != SK_ROLE_CONNECTED))
        return udp_recv_slow(s, buf, cap, got, size, NULL, from, 1);
    k = sk__plat_recvfroma(s->fd, buf, cap, from);
    if ((size_t)k > cap) /* (-1 too) */
        return recvfrom_more(s, buf, cap, got, size, NULL, from, from, k);
    *got = (size_t)k;
    s->nrecv += (size_t)k;
    if (size != NULL)
        *size = (size_t)k;
    return 0;
}

/* Whether a could be an address sockit made: a family it knows and a
 * length that fits (the system checks the rest). */
static int udp_addr_ok(const sk__addr *a)
{
    return a->len > 0 && a->len <= sizeof a->sa.bytes &&
           (a->family == SK__AF_INET || a->family == SK__AF_INET6 ||
            a->family == SK__AF_UNIX);
}

/* sk_sendtoaddr but for its common case: the checks, an empty datagram, a
 * socket still to make, an IPv4 address for a dual-stack IPv6 socket. */
SK__NOINLINE int sk__udp_sendtoaddr_any(sk_sock *s, const void *data,
                                        size_t len, const sk__addr *to,
                                        const sk__tm *tm)
{
    sk__addr m;
    int family, made = 0, r = sk__udp_check(s);
    if (r != 0)
        return r;
    if ((data == NULL && len > 0) || to == NULL || !udp_addr_ok(to))
        return SK_EINVAL;
    if (s->role == SK_ROLE_CONNECTED)
        return SK_EISCONN;
    family = udp_family(s);
    if (to->family != family &&
        (to->family != SK__AF_INET || family != SK__AF_INET6 || !s->dual))
        return SK_EFAMILY;
    r = udp_dual_socket(s, family, &made);
    if (r == 0 && to->family != family) { /* IPv4 for a dual-stack socket */
        if (!udp_maps_v4(s, family))
            r = SK_EFAMILY; /* an IPv6-only socket after all */
        else if (sk__plat_v4mapped(to, &m) != 0)
            r = SK_EINVAL;
        else
            to = &m;
        if (r != 0)
            udp_undo_socket(s, made);
    }
    if (r == 0)
        r = udp_ensure_socket(s, family);
    return r != 0 ? r : sk__udp_send(s, data, len, to, tm);
}

/* The common case first, one test of each condition: a datagram of 1 ..
 * SK__DGRAM1_MAX bytes from an object without a peer that has its socket,
 * to an address of the socket's family (sk__udp_addr_direct), taken whole
 * by one system call. */
SK_API int sk_sendtoaddr(sk_sock *s, const void *data, size_t len,
                         const sk_addr *to)
{
    ptrdiff_t k;
    if (s == NULL || data == NULL || len - 1 >= SK__DGRAM1_MAX ||
        to == NULL || s->role != SK_ROLE_UNCONNECTED ||
        !sk__udp_addr_direct(s, to))
        return sk__udp_sendtoaddr_any(s, data, len, to, NULL);
    k = sk__plat_sendto1(s->fd, data, len, to);
    if ((size_t)k != len)
        return sendto_more(s, data, len, to, k);
    s->nsent += len;
    s->bound = 1; /* the system binds a socket that sends */
    return 0;
}

SK_API int sk_toaddr(sk_sock *s, const char *host, int port, sk_addr *out)
{
    sk__addr *list = NULL;
    size_t count = 0;
    int r;
    if (out != NULL)
        memset(out, 0, sizeof *out);
    if ((r = sk__udp_check(s)) != 0)
        return r;
    if (out == NULL)
        return SK_EINVAL;
    if ((r = udp_check_dest(s, host, port)) != 0)
        return r;
    r = udp_resolve_dest(s, host, port, &list, &count);
    if (r == 0 && count == 0)
        r = SK_EHOSTNOTFOUND;
    if (r == 0)
        *out = list[0];
    sk__free(list);
    return r;
}

/* A multicast interface named as text (sk_joingroupif, sk_setmulticastif):
 * NULL, "" or "*" is the system's choice (*ifindex 0); decimal digits an
 * interface index (*ifindex); a numeric IPv4 address the interface that
 * has it (*ifaddr, *byaddr 1).  Returns 0, SK_EINVAL (anything else: a
 * name, an index above INT_MAX), SK_EUNSUPPORTED (an IPv6 address: IPv6
 * names its interfaces by index). */
static int udp_iface(sk_sock *s, const char *iface, int *ifindex,
                     sk__addr *ifaddr, int *byaddr)
{
    sk__addr *list = NULL;
    size_t count = 0, i, digits = 0, dots = 0;
    long v = 0;
    int r;
    *ifindex = 0;
    *byaddr = 0;
    if (iface == NULL || iface[0] == '\0' || strcmp(iface, "*") == 0)
        return 0;
    if ((r = sk__check_host(iface)) != 0)
        return r;
    if (strchr(iface, ':') != NULL)
        return SK_EUNSUPPORTED; /* an IPv6 address */
    for (i = 0; iface[i] != '\0'; i++) {
        if (iface[i] >= '0' && iface[i] <= '9')
            digits++;
        else if (iface[i] == '.')
            dots++;
        else
            return SK_EINVAL; /* a name: not looked up */
    }
    if (dots == 0) { /* an index */
        if (digits > 9)
            return SK_EINVAL;
        for (i = 0; iface[i] != '\0'; i++)
            v = v * 10 + (iface[i] - '0');
        *ifindex = (int)v;
        return 0;
    }
    /* digits and dots: numeric, so no resolver is asked */
    r = sk__plat_resolve(iface, 0, SK__AF_INET, 0, &list, &count, &s->sys);
    if (r != 0 || count == 0) {
        sk__free(list);
        return SK_EINVAL;
    }
    *ifaddr = list[0];
    *byaddr = 1;
    sk__free(list);
    return 0;
}

static int udp_membership(sk_sock *s, int join, const char *group,
                          int ifindex, const sk__addr *ifaddr)
{
    sk__addr *list = NULL;
    size_t count = 0, i;
    int family, made = 0, r = sk__udp_check(s);
    if (r != 0)
        return r;
    if ((r = sk__check_host(group)) != 0)
        return r;
    if (ifindex < 0 || strcmp(group, "*") == 0)
        return SK_EINVAL;
    if (s->family == SK__AF_UNIX)
        return SK_EUNSUPPORTED;
    family = udp_family(s);
    /* No mapping: an IPv4 group on a dual-stack socket is joined at the
     * IPv4 level of the same socket. */
    r = udp_dual_socket(s, family, &made);
    if (r == 0) {
        r = sk__addrs_for(s, group, 0, udp_filter(s, family), 0, &list,
                          &count);
        if (r != 0)
            udp_undo_socket(s, made);
    }
    if (r == 0)
        r = udp_ensure_socket(s, family);
    if (r == 0) {
        r = SK_EHOSTNOTFOUND;
        for (i = 0; i < count; i++) {
            if (ifaddr == NULL)
                r = sk__plat_membership(s->fd, join, &list[i], ifindex,
                                        &s->sys);
            else if (list[i].family == SK__AF_INET)
                r = sk__plat_membership4(s->fd, join, &list[i], ifaddr,
                                         &s->sys);
            else
                r = SK_EINVAL; /* an IPv4 interface for an IPv6 group */
            if (r == 0)
                break;
        }
    }
    sk__free(list);
    return r;
}

SK_API int sk_joingroup(sk_sock *s, const char *group, int ifindex)
{
    return udp_membership(s, 1, group, ifindex, NULL);
}

/* sk_joingroupif / sk_leavegroupif: the interface as text. */
static int udp_membership_if(sk_sock *s, int join, const char *group,
                             const char *iface)
{
    sk__addr a;
    int ifindex, byaddr, r = sk__udp_check(s);
    if (r != 0)
        return r;
    if ((r = sk__check_host(group)) != 0)
        return r;
    r = udp_iface(s, iface, &ifindex, &a, &byaddr);
    if (r != 0)
        return r;
    return udp_membership(s, join, group, ifindex, byaddr ? &a : NULL);
}

SK_API int sk_joingroupif(sk_sock *s, const char *group, const char *iface)
{
    return udp_membership_if(s, 1, group, iface);
}

SK_API int sk_leavegroupif(sk_sock *s, const char *group, const char *iface)
{
    return udp_membership_if(s, 0, group, iface);
}

SK_API int sk_setmulticastif(sk_sock *s, const char *iface)
{
    sk__addr a;
    int ifindex, byaddr, r = sk__udp_check(s);
    if (r != 0)
        return r;
    if (s->family == SK__AF_UNIX)
        return SK_EUNSUPPORTED;
    r = udp_iface(s, iface, &ifindex, &a, &byaddr);
    if (r != 0)
        return r;
    if (!byaddr)
        return sk_setoption(s, SK_OPT_MULTICAST_IF, ifindex);
    r = udp_ensure_socket(s, udp_family(s));
    return r != 0 ? r : sk__plat_mcastif4(s->fd, &a, &s->sys);
}

SK_API int sk_leavegroup(sk_sock *s, const char *group, int ifindex)
{
    return udp_membership(s, 0, group, ifindex, NULL);
}
