/* SPDX-License-Identifier: MIT */
/*
 * addr.c - what a host (or path) and port name for one object: the list of
 * native addresses that bind, connect and the datagram calls try in order.
 * For a UNIX-domain object the host is a path (or "@name") and the port 0.
 * And the text of one such address (sk_addrname).
 */
#include "sockit_int.h"

#include <stdlib.h>
#include <string.h>

/* A UNIX-domain object's one address: the path, port 0. */
static int addr_unix_list(sk_sock *s, const char *path, int port,
                          sk__addr **list, size_t *count)
{
    sk__addr *a;
    int r;
    if (path == NULL || port != 0 || strcmp(path, "*") == 0)
        return SK_EINVAL; /* "*" and ports mean nothing here */
    a = (sk__addr *)sk__calloc(1, sizeof *a);
    if (a == NULL)
        return SK_ENORESOURCES;
    r = sk__plat_unix_addr(path, a, &s->sys);
    if (r != 0) {
        sk__free(a);
        return r;
    }
    *list = a;
    *count = 1;
    return 0;
}

int sk__addr_ip(const sk__addr *a, unsigned char ip[16])
{
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0,
                                             0, 0, 0, 0, 0xff, 0xff};
    const unsigned char *in6 = a->sa.bytes + SK__SA_IN6_AT;
    if (a->family == SK__AF_INET) {
        memcpy(ip, a->sa.bytes + SK__SA_IN4_AT, 4);
        return 4;
    }
    if (a->family != SK__AF_INET6)
        return 0;
    if (memcmp(in6, mapped, sizeof mapped) == 0) {
        memcpy(ip, in6 + 12, 4);
        return 4;
    }
    memcpy(ip, in6, 16);
    return 16;
}

int sk__addrs_for(sk_sock *s, const char *host, int port, int family,
                  int passive, sk__addr **list, size_t *count)
{
    *list = NULL;
    *count = 0;
    if (s->family == SK__AF_UNIX)
        return addr_unix_list(s, host, port, list, count);
    return sk__plat_resolve(host, port, family, passive, list, count,
                            &s->sys);
}

SK_API int sk_addrname(const sk_addr *a, sk_name *out)
{
    sk__addr c;
    int r;
    if (out != NULL)
        memset(out, 0, sizeof *out);
    if (a == NULL || out == NULL || a->len == 0 ||
        a->len > sizeof a->sa.bytes ||
        (a->family != SK__AF_INET && a->family != SK__AF_INET6 &&
         a->family != SK__AF_UNIX))
        return SK_EINVAL;
    /* The family the native struct says must be the one recorded. */
    c = *a;
    sk__plat_from_family(&c);
    if (c.family != a->family || c.len != a->len)
        return SK_EINVAL;
    r = sk__plat_addrname(&c, out);
    if (r != 0) {
        memset(out, 0, sizeof *out);
        return SK_EINVAL;
    }
    return 0;
}
