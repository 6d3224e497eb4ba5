/* SPDX-License-Identifier: MIT */
/*
 * lookup.c - address lookup: sk_getaddrinfo's argument checks and its
 * caller-owned list (numeric texts from the backend's formatter, equal
 * entries dropped), reverse lookup and the local host name.  The resolver
 * calls themselves live in the backends (plat.h, "address lookup"), each
 * inside one sk__plat_startup / sk__plat_cleanup pair: no process state.
 */
#include "sockit_int.h"

#include <stdlib.h>
#include <string.h>

#define SK__LOOKUP_KNOWN                                                    \
    (SK_LOOKUP_CANONNAME | SK_LOOKUP_PASSIVE | SK_LOOKUP_NUMERICHOST)

/* Check service and say how to pass it on: NULL stays NULL; a string of
 * digits is a port 0..65535, passed as canonical decimal in buf (glibc
 * would wrap 65536 to 0, and reads "080" as 80 where others may not);
 * anything else is a service name of at most SK__HOST_MAX bytes. */
static int lookup_service(const char *service, char *buf, const char **use,
                          int *numeric)
{
    size_t i;
    unsigned long port = 0;
    *use = service;
    *numeric = 0;
    if (service == NULL)
        return 0;
    if (service[0] == '\0')
        return SK_EINVAL;
    for (i = 0; service[i] >= '0' && service[i] <= '9'; i++) {
        port = port * 10 + (unsigned long)(service[i] - '0');
        if (port > 65535)
            return SK_EINVAL; /* also stops before any overflow */
    }
    if (service[i] == '\0') {
        /* five digits at most once leading zeros are gone */
        char tmp[8];
        size_t n = 0;
        do {
            tmp[n++] = (char)('0' + port % 10);
            port /= 10;
        } while (port != 0);
        for (i = 0; i < n; i++)
            buf[i] = tmp[n - 1 - i];
        buf[n] = '\0';
        *use = buf;
        *numeric = 1;
        return 0;
    }
    for (i = 0; service[i] != '\0'; i++)
        if (i >= SK__HOST_MAX)
            return SK_EINVAL;
    return 0;
}

/* A malloc'd copy of s, or NULL. */
static char *lookup_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = (char *)sk__malloc(n);
    if (p != NULL)
        memcpy(p, s, n);
    return p;
}

/* Format the backend's answers into out->items in their order, leaving
 * out every entry equal (family, type, text, port) to an earlier one. */
static int lookup_fill(sk_addrlist *out, const sk__lookup_ent *ents,
                       size_t n)
{
    size_t i, j, k = 0;
    if (n > (size_t)-1 / sizeof *out->items)
        return SK_ENORESOURCES;
    out->items = (sk_addrinfo *)sk__calloc(n ? n : 1, sizeof *out->items);
    if (out->items == NULL)
        return SK_ENORESOURCES;
    for (i = 0; i < n; i++) {
        sk_name nm;
        sk_addrinfo *e = &out->items[k];
        if (sk__plat_addrname(&ents[i].addr, &nm) != 0)
            continue;
        e->family = strcmp(nm.family, "inet6") == 0 ? SK_AF_INET6
                                                     : SK_AF_INET;
        e->type = ents[i].type;
        e->port = nm.port;
        memcpy(e->addr, nm.addr, sizeof e->addr);
        for (j = 0; j < k; j++)
            if (out->items[j].family == e->family &&
                out->items[j].type == e->type &&
                out->items[j].port == e->port &&
                strcmp(out->items[j].addr, e->addr) == 0)
                break;
        if (j == k)
            k++;
    }
    out->count = k;
    return k == 0 ? SK_EHOSTNOTFOUND : 0;
}

SK_API void sk_addrlist_free(sk_addrlist *list)
{
    if (list == NULL)
        return;
    sk__free(list->items);
    sk__free(list->canonname);
    list->items = NULL;
    list->count = 0;
    list->canonname = NULL;
}

SK_API int sk_getaddrinfo(const char *host, const char *service, int family,
                          int type, int flags, sk_addrlist *out)
{
    sk__lookup_ent *ents = NULL;
    size_t n = 0;
    char *canon = NULL;
    char portbuf[8];
    const char *svc;
    int numeric, r, sys = 0;

    if (out == NULL)
        return SK_EINVAL;
    out->items = NULL;
    out->count = 0;
    out->canonname = NULL;
    if (host == NULL && service == NULL)
        return SK_EINVAL;
    if (host != NULL && sk__check_host(host) != 0)
        return SK_EINVAL;
    if (family == SK_AF_UNIX)
        return SK_EFAMILY;
    if (family != SK_AF_UNSPEC && family != SK_AF_INET &&
        family != SK_AF_INET6)
        return SK_EINVAL;
    if (type != 0 && type != SK_STREAM && type != SK_DGRAM)
        return SK_EINVAL;
    if ((flags & ~SK__LOOKUP_KNOWN) != 0)
        return SK_EINVAL;
    if ((flags & SK_LOOKUP_CANONNAME) && host == NULL)
        return SK_EINVAL;
    r = lookup_service(service, portbuf, &svc, &numeric);
    if (r != 0)
        return r;
    if (numeric)
        flags |= SK__LOOKUP_NUMERICSERV;

    r = sk__plat_startup(&sys);
    if (r != 0)
        return r;
    r = sk__plat_lookup(host, svc, family, type, flags, &ents, &n, &canon,
                        &sys);
    sk__plat_cleanup();
    if (r == 0)
        r = lookup_fill(out, ents, n);
    if (r == 0 && (flags & SK_LOOKUP_CANONNAME)) {
        if (canon == NULL || canon[0] == '\0') {
            sk__free(canon);
            canon = lookup_strdup(host);
            if (canon == NULL)
                r = SK_ENORESOURCES;
        }
        out->canonname = canon;
        canon = NULL;
    }
    sk__free(canon);
    sk__free(ents);
    if (r != 0)
        sk_addrlist_free(out);
    return r;
}

/* Copy a name the backend found into the caller's cap bytes, or fail
 * without truncating. */
static int lookup_give(const char *found, char *name, size_t cap)
{
    size_t len = strlen(found);
    if (len >= cap)
        return SK_ENORESOURCES;
    memcpy(name, found, len + 1);
    return 0;
}

SK_API int sk_getnameinfo(const char *addr, char *name, size_t cap)
{
    char found[SK_NAMESTRLEN];
    sk__lookup_ent *ents = NULL;
    size_t n = 0, i;
    char *canon = NULL;
    sk_name text;
    int r, sys = 0;

    if (name == NULL || cap == 0)
        return SK_EINVAL;
    name[0] = '\0';
    if (addr == NULL || addr[0] == '\0')
        return SK_EINVAL;
    for (i = 0; addr[i] != '\0'; i++)
        if (i + 1 >= SK_ADDRSTRLEN)
            return SK_EINVAL;

    r = sk__plat_startup(&sys);
    if (r != 0)
        return r;
    /* Parse the text without any resolver: only a numeric address passes. */
    r = sk__plat_lookup(addr, NULL, SK__AF_UNSPEC, SK__STREAM,
                        SK_LOOKUP_NUMERICHOST, &ents, &n, &canon, &sys);
    if (r == SK_EHOSTNOTFOUND || r == SK_EFAMILY)
        r = SK_EINVAL;
    if (r == 0)
        r = sk__plat_reverse(&ents[0].addr, found, &sys);
    sk__plat_cleanup();
    /* Belt and braces: the numeric form is no name, whatever the resolver
     * says. */
    if (r == 0 && (strcmp(found, addr) == 0 ||
                   (sk__plat_addrname(&ents[0].addr, &text) == 0 &&
                    strcmp(found, text.addr) == 0)))
        r = SK_EHOSTNOTFOUND;
    sk__free(ents);
    sk__free(canon);
    if (r == 0)
        r = lookup_give(found, name, cap);
    return r;
}

SK_API int sk_gethostname(char *name, size_t cap)
{
    char found[SK_NAMESTRLEN];
    int r, sys = 0;
    if (name == NULL || cap == 0)
        return SK_EINVAL;
    name[0] = '\0';
    r = sk__plat_startup(&sys);
    if (r != 0)
        return r;
    r = sk__plat_hostname(found, &sys);
    sk__plat_cleanup();
    if (r == 0)
        r = lookup_give(found, name, cap);
    return r;
}
