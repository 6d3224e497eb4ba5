/* SPDX-License-Identifier: MIT */
/*
 * udp.c (POSIX) - datagrams: one sendto / recvmsg (truncation seen in
 * msg_flags), dropping a peer, multicast membership, IPv4-mapped
 * addresses, and the datagram options (broadcast, multicast TTL, loop and
 * interface) with their IPv4 / IPv6 spellings.
 */
#include "posix_int.h"

#if SK_OS_POSIX
#include <limits.h>
#include <string.h>
#include <sys/uio.h>
#if defined(__linux__)
#  include <netinet/udp.h> /* UDP_SEGMENT */
#endif

/* struct ip_mreqn names an interface by index for IPv4 (a struct, so no
 * macro to test: known by the systems that take it).  Linux takes it for
 * IP_MULTICAST_IF and IP_ADD_MEMBERSHIP (ip(7)); so does FreeBSD
 * (sys/netinet/in_mcast.c: inp_setmoptions and inp_join_group tell it from
 * a plain in_addr / ip_mreq by its size; ip(4)).  Without it, IPv4's
 * outgoing interface goes by IP_MULTICAST_IFINDEX (macOS) or by address. */
#if defined(__linux__) || defined(__FreeBSD__)
#  define SK_HAVE_IP_MREQN 1
#endif

/* The value of IP_MULTICAST_TTL and IP_MULTICAST_LOOP: a u_char, as the
 * BSD socket API has it.  OpenBSD takes nothing else (its ip_setmoptions,
 * sys/netinet/ip_output.c, answers EINVAL unless the length is 1); Linux
 * (ip_sockglue.c takes an int or a char), FreeBSD, NetBSD and macOS take
 * either.  IPv6's options are ints everywhere (RFC 3493). */
typedef unsigned char sk__mcast_byte;

/* The SK__AF_* of a native sockaddr family. */
static int udp_native_family(int af)
{
    switch (af) {
    case AF_INET:
        return SK__AF_INET;
    case AF_INET6:
        return SK__AF_INET6;
#if defined(AF_UNIX)
    case AF_UNIX:
        return SK__AF_UNIX;
#endif
    default:
        return SK__AF_UNSPEC;
    }
}

/* The rest of sk__plat_sendto after a failed send: EINTR retried. */
static SK__NOINLINE int udp_sendto_again(sk_fd_t fd, const void *buf,
                                         size_t len, const sk__addr *to,
                                         size_t *sent, int *sys)
{
    ssize_t n;
    while (errno == EINTR) {
        if (to != NULL)
            n = sendto(fd, buf, len, SK_SEND_FLAGS,
                       (const struct sockaddr *)to->sa.bytes,
                       (socklen_t)to->len);
        else
            n = send(fd, buf, len, SK_SEND_FLAGS);
        if (n >= 0) {
            *sent = (size_t)n;
            return 0;
        }
    }
    return sk__posix_fail(sys);
}

int sk__plat_sendto(sk_fd_t fd, const void *buf, size_t len,
                    const sk__addr *to, size_t *sent, int *sys)
{
    ssize_t n;
    *sent = 0;
    if (len > (size_t)SSIZE_MAX) { /* never cut a datagram */
        if (sys != NULL)
            *sys = EMSGSIZE;
        return SK_EMSGSIZE;
    }
    if (to != NULL)
        n = sendto(fd, buf, len, SK_SEND_FLAGS,
                   (const struct sockaddr *)to->sa.bytes, (socklen_t)to->len);
    else
        n = send(fd, buf, len, SK_SEND_FLAGS);
    if (n < 0)
        return udp_sendto_again(fd, buf, len, to, sent, sys);
    *sent = (size_t)n;
    return 0;
}

ptrdiff_t sk__plat_sendto1(sk_fd_t fd, const void *buf, size_t len,
                           const sk__addr *to)
{
    if (to == NULL)
        return send(fd, buf, len, SK_SEND_FLAGS);
    return sendto(fd, buf, len, SK_SEND_FLAGS,
                  (const struct sockaddr *)to->sa.bytes, (socklen_t)to->len);
}

int sk__plat_dgram_fail(int *sys)
{
    return sk__posix_fail(sys);
}

/* A sender's length and family, from what the system wrote (nl bytes). */
static void udp_from(sk__addr *from, socklen_t nl)
{
    if ((size_t)nl > sizeof from->sa.bytes)
        nl = (socklen_t)sizeof from->sa.bytes;
    from->len = (unsigned)nl;
    from->family =
        nl > 0 ? udp_native_family(
                     ((const struct sockaddr *)from->sa.bytes)->sa_family)
               : SK__AF_UNSPEC;
}

void sk__plat_from_family(sk__addr *from)
{
    udp_from(from, (socklen_t)from->len);
}

/* Linux's MSG_TRUNC makes a receive return a datagram's full length (UDP;
 * UNIX datagrams since 3.4); elsewhere recvmsg's msg_flags say only that
 * a datagram was cut. */
#if defined(__linux__) && defined(MSG_TRUNC)
/* Linux: recvfrom with MSG_TRUNC returns the datagram's full length, so
 * truncation shows without a msghdr, and the sender goes straight into
 * from: no copy, nothing to clear (the common case of every receive). */
/* The failure of a receive (EINTR retried by the caller). */
static SK__NOINLINE int posix_udp_recv_fail(size_t *got, size_t *size,
                                      sk__addr *from, int *sys)
{
    *got = 0;
    *size = 0;
    if (from != NULL) {
        from->len = 0;
        from->family = SK__AF_UNSPEC;
    }
    return sk__posix_fail(sys);
}

int sk__plat_recvfrom(sk_fd_t fd, void *buf, size_t len, size_t *got,
                      size_t *size, sk__addr *from, int *sys)
{
    socklen_t nl = (socklen_t)sizeof from->sa.bytes;
    ssize_t n;
    char none;
    if (len > (size_t)SSIZE_MAX)
        len = (size_t)SSIZE_MAX;
    for (;;) {
        if (from != NULL)
            n = recvfrom(fd, len > 0 ? buf : &none, len, MSG_TRUNC,
                         (struct sockaddr *)from->sa.bytes, &nl);
        else
            n = recv(fd, len > 0 ? buf : &none, len, MSG_TRUNC);
        if (n >= 0)
            break;
        if (errno != EINTR)
            return posix_udp_recv_fail(got, size, from, sys);
    }
    *size = (size_t)n;
    if (from != NULL)
        udp_from(from, nl);
    if ((size_t)n > len) {
        *got = len;
        if (sys != NULL)
            *sys = EMSGSIZE;
        return SK_ETRUNCATED; /* the OS dropped the rest */
    }
    *got = (size_t)n;
    return 0;
}

/* The system writes the sender's length straight into from->len. */
typedef char sk__socklen_is_unsigned[sizeof(socklen_t) == sizeof(unsigned)
                                         ? 1
                                         : -1];

ptrdiff_t sk__plat_recvfrom1(sk_fd_t fd, void *buf, size_t len,
                             sk__addr *from)
{
    if (from == NULL)
        return recv(fd, buf, len, MSG_TRUNC);
    from->len = (unsigned)sizeof from->sa.bytes;
    return recvfrom(fd, buf, len, MSG_TRUNC,
                    (struct sockaddr *)from->sa.bytes,
                    (socklen_t *)&from->len);
}
#else
int sk__plat_recvfrom(sk_fd_t fd, void *buf, size_t len, size_t *got,
                      size_t *size, sk__addr *from, int *sys)
{
    struct sockaddr_storage ss;
    struct msghdr msg;
    struct iovec iov;
    ssize_t n;
    char none;
    *got = 0;
    *size = 0;
    if (len > (size_t)SSIZE_MAX)
        len = (size_t)SSIZE_MAX;
    memset(&ss, 0, sizeof ss);
    memset(&msg, 0, sizeof msg);
    iov.iov_base = len > 0 ? buf : &none; /* never NULL */
    iov.iov_len = len;
    msg.msg_name = &ss;
    msg.msg_namelen = (socklen_t)sizeof ss;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    if (from != NULL) {
        from->len = 0;
        from->family = SK__AF_UNSPEC;
    }
    do {
        n = recvmsg(fd, &msg, 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return sk__posix_fail(sys);
    *got = (size_t)n < len ? (size_t)n : len;
    *size = (size_t)n;
    if (from != NULL) {
        size_t nl = (size_t)msg.msg_namelen;
        if (nl > sizeof ss)
            nl = sizeof ss;
        if (nl > 0) {
            memcpy(from->sa.bytes, &ss, nl);
            from->len = (unsigned)nl;
            from->family = udp_native_family(ss.ss_family);
        }
    }
    if (msg.msg_flags & MSG_TRUNC) {
        *size = 0; /* unknown here */
        if (sys != NULL)
            *sys = EMSGSIZE;
        return SK_ETRUNCATED; /* the OS dropped the rest */
    }
    return 0;
}

ptrdiff_t sk__plat_recvfrom1(sk_fd_t fd, void *buf, size_t len,
                             sk__addr *from)
{
    struct msghdr msg;
    struct iovec iov;
    ssize_t n;
    memset(&msg, 0, sizeof msg);
    iov.iov_base = buf;
    iov.iov_len = len;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    if (from != NULL) {
        msg.msg_name = from->sa.bytes;
        msg.msg_namelen = (socklen_t)sizeof from->sa.bytes;
    }
    n = recvmsg(fd, &msg, 0);
    if (n < 0)
        return -1;
    if (from != NULL)
        from->len = (unsigned)msg.msg_namelen;
    if (msg.msg_flags & MSG_TRUNC)
        return SK__DGRAM_CUT; /* cut; its length is not told here */
    return n;
}
#endif

/* An IPv4 sender (the common case) is completed without udp_from's
 * table. */
ptrdiff_t sk__plat_recvfroma(sk_fd_t fd, void *buf, size_t len,
                             sk__addr *from)
{
#if defined(__linux__) && defined(MSG_TRUNC)
    ptrdiff_t n;
    from->len = (unsigned)sizeof from->sa.bytes;
    n = recvfrom(fd, buf, len, MSG_TRUNC, (struct sockaddr *)from->sa.bytes,
                 (socklen_t *)&from->len);
#else
    ptrdiff_t n = sk__plat_recvfrom1(fd, buf, len, from);
#endif
    if (n < 0)
        return -1;
    if (from->len == sizeof(struct sockaddr_in) &&
        ((const struct sockaddr *)from->sa.bytes)->sa_family == AF_INET)
        from->family = SK__AF_INET;
    else
        udp_from(from, (socklen_t)from->len);
    return n;
}

int sk__plat_dgram_ready(sk_fd_t fd)
{
    struct pollfd p;
    int r;
    p.fd = fd;
    p.events = POLLIN;
    p.revents = 0;
    do {
        r = poll(&p, 1, 0);
    } while (r < 0 && errno == EINTR);
    return r > 0;
}

#if defined(__linux__) && defined(MSG_WAITFORONE)
/* Linux: sendmmsg and recvmmsg, one system call per batch. */

/* One message of a batch: its one buffer, no name, no control data (the
 * fields set one by one: cheaper than clearing the whole array). */
static void udp_mmsg_init(struct mmsghdr *m, struct iovec *iov)
{
    m->msg_hdr.msg_name = NULL;
    m->msg_hdr.msg_namelen = 0;
    m->msg_hdr.msg_iov = iov;
    m->msg_hdr.msg_iovlen = 1;
    m->msg_hdr.msg_control = NULL;
    m->msg_hdr.msg_controllen = 0;
    m->msg_hdr.msg_flags = 0;
    m->msg_len = 0;
}

/* One message of a receive batch: d's buffer (its room at most
 * SSIZE_MAX), no name yet. */
static void udp_mmsg_recv_init(struct mmsghdr *m, struct iovec *iov,
                               const sk_dgram *d)
{
    iov->iov_base = d->data;
    iov->iov_len = d->len > (size_t)SSIZE_MAX ? (size_t)SSIZE_MAX : d->len;
    udp_mmsg_init(m, iov);
}

#if defined(UDP_SEGMENT) && defined(SOL_UDP)
/* UDP GSO (Linux 4.18): a run of datagrams of one length to one
 * destination goes out as one message that the system cuts into them
 * (UDP_SEGMENT): the stack is crossed once for the run, not once per
 * datagram.  A run holds at most SK__BATCH datagrams and UDP_GSO_BYTES in
 * all (a message's payload stays below 64 KiB). */
#  define SK_HAVE_UDP_GSO 1
#  define UDP_GSO_BYTES 65000

/* Whether the control message is honoured: a run of two 1-byte datagrams
 * that a socket sends to itself on 127.0.0.1 arrives as two.  An emulator
 * that passes UDP_SEGMENT's value on unconverted (qemu-user across byte
 * orders) or drops it delivers one datagram of both bytes instead. */
static int udp_gso_works(void)
{
    struct sockaddr_in me;
    socklen_t ml = (socklen_t)sizeof me;
    union {
        char b[CMSG_SPACE(sizeof(uint16_t))];
        size_t align_;
    } cm;
    struct msghdr m;
    struct iovec iov;
    struct cmsghdr *c;
    struct pollfd p;
    uint16_t one = 1;
    char two[2] = {'a', 'b'}, in[4];
    int ok = 0, t = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (t < 0)
        return 0;
    memset(&me, 0, sizeof me);
    me.sin_family = AF_INET;
    me.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    memset(&m, 0, sizeof m);
    memset(&cm, 0, sizeof cm);
    iov.iov_base = two;
    iov.iov_len = sizeof two;
    m.msg_name = &me;
    m.msg_namelen = ml;
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = cm.b;
    m.msg_controllen = sizeof cm.b;
    c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_UDP;
    c->cmsg_type = UDP_SEGMENT;
    c->cmsg_len = CMSG_LEN(sizeof one);
    memcpy(CMSG_DATA(c), &one, sizeof one);
    p.fd = t;
    p.events = POLLIN;
    p.revents = 0;
    if (bind(t, (struct sockaddr *)&me, ml) == 0 &&
        getsockname(t, (struct sockaddr *)&me, &ml) == 0 &&
        sendmsg(t, &m, SK_SEND_FLAGS) == (ssize_t)sizeof two &&
        poll(&p, 1, 100) == 1 && recv(t, in, sizeof in, MSG_DONTWAIT) == 1)
        ok = 1;
    close(t);
    return ok;
}

/* 1 when the system cuts runs on fd (a UDP socket on Linux 4.18 or later
 * answers UDP_SEGMENT, and udp_gso_works), else -1. */
static int udp_gso_probe(sk_fd_t fd)
{
    int v = 0;
    socklen_t l = (socklen_t)sizeof v;
    if (getsockopt(fd, SOL_UDP, UDP_SEGMENT, &v, &l) != 0)
        return -1;
    return udp_gso_works() ? 1 : -1;
}

/* How many datagrams from d[i] (of n) make one run: the same len (1 ..
 * UDP_GSO_BYTES / 2), the same destination, UDP_GSO_BYTES in all; 1 when
 * d[i] starts none. */
static size_t udp_run(const sk_dgram *d, const sk__addr *const *to, size_t i,
                      size_t n)
{
    size_t j = i + 1, len = d[i].len;
    if (len == 0 || len > UDP_GSO_BYTES / 2)
        return 1;
    while (j < n && d[j].len == len && to[j] == to[i] &&
           (j - i + 1) * len <= UDP_GSO_BYTES)
        j++;
    return j - i;
}
#endif

int sk__plat_sendmany(sk_fd_t fd, const sk_dgram *d,
                      const sk__addr *const *to, size_t n, int *gso,
                      size_t *done, int *sys)
{
    struct mmsghdr mm[SK__BATCH];
    struct iovec iov[SK__BATCH];
    unsigned char count[SK__BATCH]; /* datagrams per message */
#if defined(SK_HAVE_UDP_GSO)
    union { /* (aligned as a struct cmsghdr) */
        char b[CMSG_SPACE(sizeof(uint16_t))];
        size_t align_;
        void *alignp_;
    } cm[SK__BATCH / 2];
    size_t nc = 0;
#endif
    size_t i = 0, k, nm = 0;
    int r;
    *done = 0;
#if !defined(SK_HAVE_UDP_GSO)
    if (gso != NULL)
        *gso = -1;
#endif
    while (i < n) {
        size_t run = 1;
        if (d[i].len > (size_t)SSIZE_MAX) /* never cut a datagram */
            break;
#if defined(SK_HAVE_UDP_GSO)
        if (gso != NULL && *gso >= 0 && (run = udp_run(d, to, i, n)) > 1 &&
            *gso == 0 && (*gso = udp_gso_probe(fd)) < 0)
            run = 1;
#endif
        for (k = i; k < i + run; k++) {
            iov[k].iov_base = d[k].data;
            iov[k].iov_len = d[k].len;
        }
        udp_mmsg_init(&mm[nm], &iov[i]);
        mm[nm].msg_hdr.msg_iovlen = run;
        if (to[i] != NULL) {
            mm[nm].msg_hdr.msg_name = (void *)to[i]->sa.bytes;
            mm[nm].msg_hdr.msg_namelen = (socklen_t)to[i]->len;
        }
#if defined(SK_HAVE_UDP_GSO)
        if (run > 1) { /* the system cuts it every len bytes */
            struct cmsghdr *c;
            uint16_t size = (uint16_t)d[i].len;
            memset(&cm[nc], 0, sizeof cm[nc]);
            mm[nm].msg_hdr.msg_control = cm[nc].b;
            mm[nm].msg_hdr.msg_controllen = sizeof cm[nc].b;
            c = CMSG_FIRSTHDR(&mm[nm].msg_hdr);
            c->cmsg_level = SOL_UDP;
            c->cmsg_type = UDP_SEGMENT;
            c->cmsg_len = CMSG_LEN(sizeof size);
            memcpy(CMSG_DATA(c), &size, sizeof size);
            nc++;
        }
#endif
        count[nm++] = (unsigned char)run;
        i += run;
    }
    if (nm == 0) {
        if (sys != NULL)
            *sys = EMSGSIZE;
        return SK_EMSGSIZE;
    }
    do {
        r = sendmmsg(fd, mm, (unsigned)nm, SK_SEND_FLAGS);
    } while (r < 0 && errno == EINTR);
#if defined(SK_HAVE_UDP_GSO)
    /* A run the system would not cut (EIO: no checksum offload on the
     * route, or IPsec; EINVAL: a datagram longer than the route's MTU):
     * the batch again as single datagrams; after EIO, never again. */
    if (r < 0 && nc > 0 && (errno == EIO || errno == EINVAL)) {
        if (errno == EIO)
            *gso = -1;
        return sk__plat_sendmany(fd, d, to, n, NULL, done, sys);
    }
#endif
    if (r < 0)
        return sk__posix_fail(sys);
    for (k = 0; k < (size_t)r; k++)
        *done += count[k];
    return r > 0 ? 0 : SK_EWOULDBLOCK;
}

int sk__plat_recvmany(sk_fd_t fd, sk_dgram *d, sk__addr *from, size_t n,
                      int all, int wait, size_t *done, int *sys)
{
    struct mmsghdr mm[SK__BATCH];
    struct iovec iov[SK__BATCH];
    size_t i;
    int r;
    *done = 0;
    /* (two loops: no test of all per slot) */
    if (!all) {
        for (i = 0; i < n; i++) {
            udp_mmsg_recv_init(&mm[i], &iov[i], &d[i]);
            if (d[i].from != NULL) {
                mm[i].msg_hdr.msg_name = from[i].sa.bytes;
                mm[i].msg_hdr.msg_namelen =
                    (socklen_t)sizeof from[i].sa.bytes;
            }
        }
    } else {
        for (i = 0; i < n; i++) {
            udp_mmsg_recv_init(&mm[i], &iov[i], &d[i]);
            mm[i].msg_hdr.msg_name = from[i].sa.bytes;
            mm[i].msg_hdr.msg_namelen = (socklen_t)sizeof from[i].sa.bytes;
        }
    }
    do {
        r = recvmmsg(fd, mm, (unsigned)n,
                     MSG_TRUNC | (wait ? MSG_WAITFORONE : MSG_DONTWAIT), NULL);
    } while (r < 0 && errno == EINTR);
    if (r < 0)
        return sk__posix_fail(sys);
    for (i = 0; i < (size_t)r; i++) {
        size_t full = (size_t)mm[i].msg_len;
        d[i].size = full;
        if (full <= iov[i].iov_len &&
            !(mm[i].msg_hdr.msg_flags & MSG_TRUNC)) {
            d[i].got = full;
            d[i].status = 0;
        } else { /* the rest is gone */
            d[i].got = full < iov[i].iov_len ? full : iov[i].iov_len;
            d[i].status = SK_ETRUNCATED;
        }
        from[i].len = (unsigned)mm[i].msg_hdr.msg_namelen;
    }
    if (all)
        for (i = 0; i < (size_t)r; i++)
            udp_from(&from[i], mm[i].msg_hdr.msg_namelen);
    *done = (size_t)r;
    return r > 0 ? 0 : SK_EWOULDBLOCK;
}
#else
/* Elsewhere: one system call per datagram (udpeach.c). */
int sk__plat_sendmany(sk_fd_t fd, const sk_dgram *d,
                      const sk__addr *const *to, size_t n, int *gso,
                      size_t *done, int *sys)
{
    if (gso != NULL)
        *gso = -1;
    return sk__udp_sendeach(fd, d, to, n, done, sys);
}

int sk__plat_recvmany(sk_fd_t fd, sk_dgram *d, sk__addr *from, size_t n,
                      int all, int wait, size_t *done, int *sys)
{
    return sk__udp_recveach(fd, d, from, n, all, wait, done, sys);
}
#endif

int sk__plat_disconnect(sk_fd_t fd, int *sys)
{
    struct sockaddr_storage ss;
    int r;
    memset(&ss, 0, sizeof ss);
    ss.ss_family = AF_UNSPEC;
    do {
        r = connect(fd, (const struct sockaddr *)&ss,
                    (socklen_t)sizeof(struct sockaddr));
    } while (r != 0 && errno == EINTR);
    /* The BSDs dissolve the association and still say EAFNOSUPPORT (or
     * EINVAL): the peer is gone all the same. */
    if (r != 0 && errno != EAFNOSUPPORT && errno != EINVAL)
        return sk__posix_fail(sys);
    return 0;
}

int sk__plat_v4mapped(const sk__addr *in, sk__addr *out)
{
    struct sockaddr_in sin;
    struct sockaddr_in6 sin6;
    if (in->family != SK__AF_INET || in->len < sizeof sin)
        return SK_EINVAL;
    memcpy(&sin, in->sa.bytes, sizeof sin);
    memset(&sin6, 0, sizeof sin6);
#if defined(SIN6_LEN)
    sin6.sin6_len = sizeof sin6;
#endif
    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = sin.sin_port;
    sin6.sin6_addr.s6_addr[10] = 0xff;
    sin6.sin6_addr.s6_addr[11] = 0xff;
    memcpy(&sin6.sin6_addr.s6_addr[12], &sin.sin_addr, 4);
    memset(out, 0, sizeof *out);
    memcpy(out->sa.bytes, &sin6, sizeof sin6);
    out->len = (unsigned)sizeof sin6;
    out->family = SK__AF_INET6;
    return 0;
}

/* A failed membership or interface call: "no such interface" is an
 * address that is not available. */
static int udp_mcast_fail(int *sys)
{
    int e = errno;
    if (sys != NULL)
        *sys = e;
    if (e == ENODEV || e == ENXIO)
        return SK_EADDRNOTAVAIL;
    return sk__posix_err(e);
}

#if defined(MCAST_JOIN_GROUP) && defined(MCAST_LEAVE_GROUP)
/* The protocol-independent call: one struct for both families. */
int sk__plat_membership(sk_fd_t fd, int join, const sk__addr *group,
                        int ifindex, int *sys)
{
    struct group_req gr;
    int level = group->family == SK__AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP;
    if ((group->family != SK__AF_INET && group->family != SK__AF_INET6) ||
        group->len > sizeof gr.gr_group)
        return SK_EINVAL;
    memset(&gr, 0, sizeof gr);
    gr.gr_interface = (unsigned)ifindex;
    memcpy(&gr.gr_group, group->sa.bytes, group->len);
    if (setsockopt(fd, level, join ? MCAST_JOIN_GROUP : MCAST_LEAVE_GROUP,
                   &gr, (socklen_t)sizeof gr) != 0)
        return udp_mcast_fail(sys);
    return 0;
}
#else
/* The older per-family calls. */
int sk__plat_membership(sk_fd_t fd, int join, const sk__addr *group,
                        int ifindex, int *sys)
{
    int r;
    if (group->family == SK__AF_INET) {
        struct sockaddr_in sin;
#  if defined(SK_HAVE_IP_MREQN)
        struct ip_mreqn m;
        memset(&m, 0, sizeof m);
        m.imr_ifindex = ifindex;
#  else
        struct ip_mreq m;
        memset(&m, 0, sizeof m);
        if (ifindex != 0)
            return SK_EUNSUPPORTED; /* no way to name it by index */
        m.imr_interface.s_addr = htonl(INADDR_ANY);
#  endif
        memcpy(&sin, group->sa.bytes, sizeof sin);
        m.imr_multiaddr = sin.sin_addr;
        r = setsockopt(fd, IPPROTO_IP,
                       join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP, &m,
                       (socklen_t)sizeof m);
    } else if (group->family == SK__AF_INET6) {
        struct sockaddr_in6 sin6;
        struct ipv6_mreq m;
        memset(&m, 0, sizeof m);
        memcpy(&sin6, group->sa.bytes, sizeof sin6);
        m.ipv6mr_multiaddr = sin6.sin6_addr;
        m.ipv6mr_interface = (unsigned)ifindex;
#  if defined(IPV6_JOIN_GROUP)
        r = setsockopt(fd, IPPROTO_IPV6,
                       join ? IPV6_JOIN_GROUP : IPV6_LEAVE_GROUP, &m,
                       (socklen_t)sizeof m);
#  else
        r = setsockopt(fd, IPPROTO_IPV6,
                       join ? IPV6_ADD_MEMBERSHIP : IPV6_DROP_MEMBERSHIP, &m,
                       (socklen_t)sizeof m);
#  endif
    } else {
        return SK_EINVAL;
    }
    return r == 0 ? 0 : udp_mcast_fail(sys);
}
#endif

/* The in_addr of an SK__AF_INET address. */
static struct in_addr udp_in4(const sk__addr *a)
{
    struct sockaddr_in sin;
    memcpy(&sin, a->sa.bytes, sizeof sin);
    return sin.sin_addr;
}

int sk__plat_membership4(sk_fd_t fd, int join, const sk__addr *group,
                         const sk__addr *ifaddr, int *sys)
{
    struct ip_mreq m;
    if (group->family != SK__AF_INET || ifaddr->family != SK__AF_INET)
        return SK_EINVAL;
    memset(&m, 0, sizeof m);
    m.imr_multiaddr = udp_in4(group);
    m.imr_interface = udp_in4(ifaddr);
    if (setsockopt(fd, IPPROTO_IP,
                   join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP, &m,
                   (socklen_t)sizeof m) != 0)
        return udp_mcast_fail(sys);
    return 0;
}

int sk__plat_mcastif4(sk_fd_t fd, const sk__addr *ifaddr, int *sys)
{
    struct in_addr a;
    if (ifaddr->family != SK__AF_INET)
        return SK_EINVAL;
    a = udp_in4(ifaddr);
    if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &a, (socklen_t)sizeof a) !=
        0) {
        int e = errno;
        if (sys != NULL)
            *sys = e;
        if (e == ENOPROTOOPT || e == EOPNOTSUPP)
            return SK_EUNSUPPORTED;
        if (e == ENODEV || e == ENXIO || e == EINVAL)
            return SK_EADDRNOTAVAIL; /* not an address of this host */
        return sk__posix_err(e);
    }
    return 0;
}

/* ---- options ----------------------------------------------------------- */

int sk__posix_dgram_option(int option)
{
    return option == SK_OPT_BROADCAST || option == SK_OPT_MULTICAST_TTL ||
           option == SK_OPT_MULTICAST_LOOP || option == SK_OPT_MULTICAST_IF;
}

/* AF_INET or AF_INET6 for an IP socket; 0 (with *r set) otherwise. */
static int udp_sock_af(int fd, int *r, int *sys)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    memset(&ss, 0, sizeof ss);
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0) {
        *r = sk__posix_fail(sys);
        return 0;
    }
    if (ss.ss_family == AF_INET || ss.ss_family == AF_INET6)
        return ss.ss_family;
    *r = SK_EUNSUPPORTED; /* no IP options on this family */
    return 0;
}

/* An option refused by name or for this socket is unsupported (sockit
 * checked the value already). */
static int udp_opt_fail(int *sys)
{
    int e = errno;
    if (sys != NULL)
        *sys = e;
    if (e == ENOPROTOOPT || e == EOPNOTSUPP || e == EINVAL)
        return SK_EUNSUPPORTED;
    if (e == ENODEV || e == ENXIO)
        return SK_EADDRNOTAVAIL; /* no interface with that index */
    return sk__posix_err(e);
}

/* IPv4 outgoing multicast interface by index. */
static int udp_set_if4(int fd, int ifindex)
{
#if defined(SK_HAVE_IP_MREQN)
    struct ip_mreqn m;
    memset(&m, 0, sizeof m);
    m.imr_ifindex = ifindex;
    return setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &m,
                      (socklen_t)sizeof m);
#elif defined(IP_MULTICAST_IFINDEX)
    unsigned v = (unsigned)ifindex;
    return setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IFINDEX, &v,
                      (socklen_t)sizeof v);
#else
    struct in_addr a;
    if (ifindex != 0) {
        errno = EOPNOTSUPP; /* no way to name it by index */
        return -1;
    }
    a.s_addr = htonl(INADDR_ANY);
    return setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &a,
                      (socklen_t)sizeof a);
#endif
}

/* One IP-level setting of an option for family af. */
static int udp_set_one(int fd, int af, int option, int value)
{
    int v4 = af == AF_INET;
    sk__mcast_byte b = (sk__mcast_byte)value; /* sockit checked 0..255 */
    switch (option) {
    case SK_OPT_MULTICAST_TTL:
        return v4 ? setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &b,
                               (socklen_t)sizeof b)
                  : setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS,
                               &value, (socklen_t)sizeof value);
    case SK_OPT_MULTICAST_LOOP:
        if (v4)
            return setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &b,
                              (socklen_t)sizeof b);
        {
            unsigned u = (unsigned)value;
            return setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &u,
                              (socklen_t)sizeof u);
        }
    default: /* SK_OPT_MULTICAST_IF */
        if (v4)
            return udp_set_if4(fd, value);
        {
            unsigned u = (unsigned)value;
            return setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &u,
                              (socklen_t)sizeof u);
        }
    }
}

int sk__posix_dgram_setopt(int fd, int option, int value, int *sys)
{
    int r = 0, af;
    if (option == SK_OPT_BROADCAST) {
        if (setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &value,
                       (socklen_t)sizeof value) != 0)
            return udp_opt_fail(sys);
        return 0;
    }
    af = udp_sock_af(fd, &r, sys);
    if (af == 0)
        return r;
    if (udp_set_one(fd, af, option, value) != 0)
        return udp_opt_fail(sys);
    /* An IPv6 socket may also send to IPv4 (dual-stack: IPv4-mapped
     * destinations), which follows the IPv4 setting: make it too where the
     * system allows (best effort; the IPv6 one is what is read back). */
    if (af == AF_INET6)
        (void)udp_set_one(fd, AF_INET, option, value);
    return 0;
}

int sk__posix_dgram_getopt(int fd, int option, int *value, int *sys)
{
    int r = 0, af, level, name, v = 0;
    socklen_t len = sizeof v;
    if (option == SK_OPT_BROADCAST) {
        level = SOL_SOCKET;
        name = SO_BROADCAST;
    } else {
        af = udp_sock_af(fd, &r, sys);
        if (af == 0)
            return r;
        switch (option) {
        case SK_OPT_MULTICAST_TTL:
            level = af == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
            name = af == AF_INET ? IP_MULTICAST_TTL : IPV6_MULTICAST_HOPS;
            break;
        case SK_OPT_MULTICAST_LOOP:
            level = af == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
            name = af == AF_INET ? IP_MULTICAST_LOOP : IPV6_MULTICAST_LOOP;
            break;
        default: /* SK_OPT_MULTICAST_IF */
#if defined(IP_MULTICAST_IFINDEX)
            level = af == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
            name = af == AF_INET ? IP_MULTICAST_IFINDEX : IPV6_MULTICAST_IF;
#else
            /* IPv4 reads back an address, not the index that was set. */
            if (af == AF_INET)
                return SK__EREMEMBERED;
            level = IPPROTO_IPV6;
            name = IPV6_MULTICAST_IF;
#endif
            break;
        }
    }
    if (getsockopt(fd, level, name, &v, &len) != 0)
        return udp_opt_fail(sys);
    if (len == 1) /* the BSDs answer the IPv4 TTL and loop in a byte */
        v = (int)*(const unsigned char *)&v;
    if (option == SK_OPT_BROADCAST || option == SK_OPT_MULTICAST_LOOP)
        v = v != 0;
    *value = v;
    return 0;
}
#endif
