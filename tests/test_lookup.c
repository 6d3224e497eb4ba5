/* SPDX-License-Identifier: MIT */
/*
 * test_lookup.c - sk_getaddrinfo, sk_getnameinfo, sk_gethostname and
 * sk_addrlist_free: names, literals, services, families, types, flags,
 * reverse lookup, the host name, and every bad input.
 *
 * Nothing here may reach a DNS server (the machine's resolver is not on
 * loopback): the only names looked up are "localhost" with family UNSPEC
 * or INET (the hosts file answers), numeric literals, and
 * "nonexistent..invalid" (an empty label: the resolver rejects it without
 * a query); the only reverse lookup is of 127.0.0.1.  Never "localhost"
 * with an IPv6-only filter, never another reverse lookup.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Index of the first entry with this address text, or -1. */
static int find_addr(const sk_addrlist *l, const char *addr)
{
    size_t i;
    for (i = 0; i < l->count; i++)
        if (strcmp(l->items[i].addr, addr) == 0)
            return (int)i;
    return -1;
}

/* Number of entries of this type. */
static size_t count_type(const sk_addrlist *l, int type)
{
    size_t i, n = 0;
    for (i = 0; i < l->count; i++)
        n += l->items[i].type == type;
    return n;
}

/* What every successful list must be: entries present, each of a known
 * family and type with a port in range and family matching the text, and
 * no two entries equal. */
static void check_list(const sk_addrlist *l, int port)
{
    size_t i, j;
    assert_non_null(l->items);
    assert_true(l->count > 0);
    for (i = 0; i < l->count; i++) {
        const sk_addrinfo *e = &l->items[i];
        assert_true(e->family == SK_AF_INET || e->family == SK_AF_INET6);
        assert_true(e->type == SK_STREAM || e->type == SK_DGRAM);
        assert_int_equal(e->port, port);
        assert_true(e->addr[0] != '\0');
        assert_true(strlen(e->addr) < SK_ADDRSTRLEN);
        /* IPv6 text has a colon, IPv4 (also a mapped address) has none */
        assert_int_equal(strchr(e->addr, ':') != NULL,
                         e->family == SK_AF_INET6);
        for (j = 0; j < i; j++)
            assert_false(l->items[j].family == e->family &&
                         l->items[j].type == e->type &&
                         l->items[j].port == e->port &&
                         strcmp(l->items[j].addr, e->addr) == 0);
    }
}

static void assert_empty(const sk_addrlist *l)
{
    assert_null(l->items);
    assert_int_equal(l->count, 0);
    assert_null(l->canonname);
}

/* Running on Windows (or Wine)? */
static int on_windows(void)
{
#if defined(_WIN32)
    return 1;
#else
    return 0;
#endif
}

/* ---- names from the hosts file ------------------------------------------ */

/* "localhost", both families: 127.0.0.1, or ::1 where the hosts file has
 * it. */
static void t_localhost_unspec(void **state)
{
    sk_addrlist l = {NULL, 0, NULL};
    int v4, v6;
    (void)state;
    sup_assert_rc(sk_getaddrinfo("localhost", NULL, SK_AF_UNSPEC, 0, 0, &l),
                  0);
    check_list(&l, 0);
    assert_null(l.canonname);
    v4 = find_addr(&l, "127.0.0.1");
    v6 = find_addr(&l, "::1");
    assert_true(v4 >= 0 || v6 >= 0);
    print_message("localhost: %u entries, 127.0.0.1 %s, ::1 %s\n",
                  (unsigned)l.count, v4 >= 0 ? "yes" : "no",
                  v6 >= 0 ? "yes" : "no");
    sk_addrlist_free(&l);
    assert_empty(&l);
}

/* "localhost", IPv4 only: 127.0.0.1 and nothing of IPv6. */
static void t_localhost_inet(void **state)
{
    sk_addrlist l = {NULL, 0, NULL};
    size_t i;
    (void)state;
    sup_assert_rc(sk_getaddrinfo("localhost", "80", SK_AF_INET, SK_STREAM, 0,
                                 &l),
                  0);
    check_list(&l, 80);
    for (i = 0; i < l.count; i++) {
        assert_int_equal(l.items[i].family, SK_AF_INET);
        assert_int_equal(l.items[i].type, SK_STREAM);
    }
    assert_true(find_addr(&l, "127.0.0.1") >= 0);
    sk_addrlist_free(&l);
}

/* The canonical name of "localhost": present and non-empty. */
static void t_localhost_canonname(void **state)
{
    sk_addrlist l = {NULL, 0, NULL};
    (void)state;
    sup_assert_rc(sk_getaddrinfo("localhost", NULL, SK_AF_INET, 0,
                                 SK_LOOKUP_CANONNAME, &l),
                  0);
    check_list(&l, 0);
    assert_non_null(l.canonname);
    assert_true(l.canonname[0] != '\0');
    print_message("canonical name of localhost: \"%s\"\n", l.canonname);
    sk_addrlist_free(&l);
    assert_empty(&l);
}

/* ---- numeric literals --------------------------------------------------- */

/* A literal gives exactly itself, once per type: one stream and one
 * datagram entry with type 0 (raw answers left out), with or without
 * SK_LOOKUP_NUMERICHOST; its canonical name is the text itself. */
static void check_literal(const char *lit, int family)
{
    static const int flags[3] = {0, SK_LOOKUP_NUMERICHOST,
                                 SK_LOOKUP_NUMERICHOST | SK_LOOKUP_CANONNAME};
    int i;
    for (i = 0; i < 3; i++) {
        sk_addrlist l = {NULL, 0, NULL};
        sup_assert_rc(sk_getaddrinfo(lit, NULL, SK_AF_UNSPEC, 0, flags[i],
                                     &l),
                      0);
        check_list(&l, 0);
        assert_int_equal(l.count, 2);
        assert_int_equal(count_type(&l, SK_STREAM), 1);
        assert_int_equal(count_type(&l, SK_DGRAM), 1);
        assert_string_equal(l.items[0].addr, lit);
        assert_string_equal(l.items[1].addr, lit);
        assert_int_equal(l.items[0].family, family);
        assert_int_equal(l.items[1].family, family);
        if (flags[i] & SK_LOOKUP_CANONNAME)
            assert_string_equal(l.canonname, lit);
        else
            assert_null(l.canonname);
        sk_addrlist_free(&l);

        /* and with its own family as the filter */
        sup_assert_rc(sk_getaddrinfo(lit, "7", family, SK_STREAM, flags[i],
                                     &l),
                      0);
        check_list(&l, 7);
        assert_int_equal(l.count, 1);
        assert_string_equal(l.items[0].addr, lit);
        sk_addrlist_free(&l);
    }
}

static void t_literal_ipv4(void **state)
{
    (void)state;
    check_literal("127.0.0.1", SK_AF_INET);
}

static void t_literal_ipv6(void **state)
{
    (void)state;
    check_literal("::1", SK_AF_INET6);
}

/* An IPv4-mapped IPv6 literal is listed as IPv4, as sk_name shows it. */
static void t_literal_mapped(void **state)
{
    sk_addrlist l = {NULL, 0, NULL};
    (void)state;
    sup_assert_rc(sk_getaddrinfo("::ffff:127.0.0.1", "9", SK_AF_UNSPEC,
                                 SK_DGRAM, SK_LOOKUP_NUMERICHOST, &l),
                  0);
    check_list(&l, 9);
    assert_int_equal(l.count, 1);
    assert_int_equal(l.items[0].family, SK_AF_INET);
    assert_string_equal(l.items[0].addr, "127.0.0.1");
    assert_int_equal(l.items[0].type, SK_DGRAM);
    sk_addrlist_free(&l);
}

/* A family filter that excludes the literal: no address in that family. */
static void t_family_excludes_literal(void **state)
{
    sk_addrlist l = {(sk_addrinfo *)&l, 3, (char *)&l}; /* overwritten */
    (void)state;
    sup_assert_rc(sk_getaddrinfo("::1", NULL, SK_AF_INET, 0, 0, &l),
                  SK_EHOSTNOTFOUND);
    assert_empty(&l);
    sup_assert_rc(sk_getaddrinfo("::1", "80", SK_AF_INET, SK_STREAM,
                                 SK_LOOKUP_NUMERICHOST, &l),
                  SK_EHOSTNOTFOUND);
    assert_empty(&l);
    sup_assert_rc(sk_getaddrinfo("127.0.0.1", NULL, SK_AF_INET6, 0, 0, &l),
                  SK_EHOSTNOTFOUND);
    assert_empty(&l);
    sup_assert_rc(sk_getaddrinfo("127.0.0.1", NULL, SK_AF_INET6, 0,
                                 SK_LOOKUP_NUMERICHOST, &l),
                  SK_EHOSTNOTFOUND);
    assert_empty(&l);
}

/* SK_LOOKUP_NUMERICHOST with a name: no resolver, host not found. */
static void t_numerichost_name(void **state)
{
    sk_addrlist l = {NULL, 0, NULL};
    (void)state;
    sup_assert_rc(sk_getaddrinfo("localhost", NULL, SK_AF_UNSPEC, 0,
                                 SK_LOOKUP_NUMERICHOST, &l),
                  SK_EHOSTNOTFOUND);
    assert_empty(&l);
    sup_assert_rc(sk_getaddrinfo("localhost", "80", SK_AF_INET, SK_STREAM,
                                 SK_LOOKUP_NUMERICHOST | SK_LOOKUP_CANONNAME,
                                 &l),
                  SK_EHOSTNOTFOUND);
    assert_empty(&l);
}

/* ---- services ----------------------------------------------------------- */

static void expect_port(const char *service, int port)
{
    sk_addrlist l = {NULL, 0, NULL};
    sup_assert_rc(sk_getaddrinfo("127.0.0.1", service, SK_AF_INET, SK_STREAM,
                                 0, &l),
                  0);
    check_list(&l, port);
    assert_int_equal(l.count, 1);
    assert_string_equal(l.items[0].addr, "127.0.0.1");
    sk_addrlist_free(&l);
}

static void t_service_numbers(void **state)
{
    (void)state;
    expect_port("80", 80);
    expect_port("0", 0);
    expect_port("1", 1);
    expect_port("65535", 65535);
    expect_port("00080", 80);   /* leading zeros: still a number */
    expect_port("0000000000000000000080", 80);
}

/* 1 when the system's services database is a file that lists http on
 * 80/tcp (POSIX: /etc/services); 0 when there is no such file or line. */
static int services_has_http(void)
{
    char line[512];
    int found = 0;
    FILE *f = fopen("/etc/services", "r");
    if (f == NULL)
        return 0;
    while (!found && fgets(line, sizeof line, f) != NULL) {
        unsigned port = 0;
        char name[64], proto[16];
        if (sscanf(line, "%63s %u/%15s", name, &port, proto) == 3 &&
            strcmp(name, "http") == 0 && port == 80 &&
            strcmp(proto, "tcp") == 0)
            found = 1;
    }
    fclose(f);
    return found;
}

/* A service name: "http" is 80 where the services database has it, and
 * SK_ENOSERVICE where it does not; an unknown name is SK_ENOSERVICE. */
static void t_service_names(void **state)
{
    sk_addrlist l = {NULL, 0, NULL};
    int r;
    (void)state;
    r = sk_getaddrinfo("127.0.0.1", "http", SK_AF_INET, SK_STREAM, 0, &l);
    if (on_windows()) {
        /* Wine reads the host's /etc/services; Windows its own file. */
        assert_true(r == 0 || r == SK_ENOSERVICE);
        print_message("Windows/Wine: \"http\" gives %s\n", sk_errname(r));
    } else if (services_has_http()) {
        sup_assert_rc(r, 0);
    } else {
        print_message("no http line in /etc/services: SK_ENOSERVICE "
                      "expected\n");
        sup_assert_rc(r, SK_ENOSERVICE);
    }
    if (r == 0) {
        check_list(&l, 80);
        assert_int_equal(l.count, 1);
        assert_int_equal(l.items[0].type, SK_STREAM);
    } else {
        assert_empty(&l);
    }
    sk_addrlist_free(&l);

    sup_assert_rc(sk_getaddrinfo("127.0.0.1", "no-such-service-xyz",
                                 SK_AF_UNSPEC, 0, 0, &l),
                  SK_ENOSERVICE);
    assert_empty(&l);
    sup_assert_rc(sk_getaddrinfo("127.0.0.1", "no-such-service-xyz",
                                 SK_AF_INET, SK_STREAM,
                                 SK_LOOKUP_NUMERICHOST, &l),
                  SK_ENOSERVICE);
    assert_empty(&l);
    /* not digits only: a name, and no such name */
    sup_assert_rc(sk_getaddrinfo("127.0.0.1", "80x", SK_AF_INET, SK_STREAM,
                                 0, &l),
                  SK_ENOSERVICE);
    sup_assert_rc(sk_getaddrinfo("127.0.0.1", "-1", SK_AF_INET, SK_STREAM,
                                 0, &l),
                  SK_ENOSERVICE);
    assert_empty(&l);
}

/* ---- passive and loopback NULL hosts ------------------------------------ */

static void t_null_host(void **state)
{
    sk_addrlist l = {NULL, 0, NULL};
    size_t i;
    (void)state;
    /* passive: the any-address of each family asked */
    sup_assert_rc(sk_getaddrinfo(NULL, "80", SK_AF_UNSPEC, SK_STREAM,
                                 SK_LOOKUP_PASSIVE, &l),
                  0);
    check_list(&l, 80);
    for (i = 0; i < l.count; i++)
        assert_true(strcmp(l.items[i].addr, "0.0.0.0") == 0 ||
                    strcmp(l.items[i].addr, "::") == 0);
    print_message("passive any-addresses: %u (IPv4 %s, IPv6 %s)\n",
                  (unsigned)l.count,
                  find_addr(&l, "0.0.0.0") >= 0 ? "yes" : "no",
                  find_addr(&l, "::") >= 0 ? "yes" : "no");
    sk_addrlist_free(&l);

    sup_assert_rc(sk_getaddrinfo(NULL, "0", SK_AF_INET, 0,
                                 SK_LOOKUP_PASSIVE, &l),
                  0);
    check_list(&l, 0);
    assert_int_equal(l.count, 2); /* one stream, one datagram */
    assert_string_equal(l.items[0].addr, "0.0.0.0");
    assert_string_equal(l.items[1].addr, "0.0.0.0");
    sk_addrlist_free(&l);

    sup_assert_rc(sk_getaddrinfo(NULL, "443", SK_AF_INET6, SK_DGRAM,
                                 SK_LOOKUP_PASSIVE, &l),
                  0);
    check_list(&l, 443);
    assert_int_equal(l.count, 1);
    assert_string_equal(l.items[0].addr, "::");
    assert_int_equal(l.items[0].family, SK_AF_INET6);
    sk_addrlist_free(&l);

    /* not passive: the loopback addresses */
    sup_assert_rc(sk_getaddrinfo(NULL, "80", SK_AF_UNSPEC, SK_STREAM, 0, &l),
                  0);
    check_list(&l, 80);
    for (i = 0; i < l.count; i++)
        assert_true(strcmp(l.items[i].addr, "127.0.0.1") == 0 ||
                    strcmp(l.items[i].addr, "::1") == 0);
    sk_addrlist_free(&l);
    sup_assert_rc(sk_getaddrinfo(NULL, "80", SK_AF_INET, SK_STREAM, 0, &l),
                  0);
    assert_int_equal(l.count, 1);
    assert_string_equal(l.items[0].addr, "127.0.0.1");
    sk_addrlist_free(&l);
}

/* ---- type filter -------------------------------------------------------- */

static void t_type_filter(void **state)
{
    sk_addrlist l = {NULL, 0, NULL};
    size_t i;
    (void)state;
    sup_assert_rc(sk_getaddrinfo("localhost", "53", SK_AF_UNSPEC, SK_DGRAM,
                                 0, &l),
                  0);
    check_list(&l, 53);
    for (i = 0; i < l.count; i++)
        assert_int_equal(l.items[i].type, SK_DGRAM);
    sk_addrlist_free(&l);

    sup_assert_rc(sk_getaddrinfo("localhost", "53", SK_AF_UNSPEC, SK_STREAM,
                                 0, &l),
                  0);
    check_list(&l, 53);
    for (i = 0; i < l.count; i++)
        assert_int_equal(l.items[i].type, SK_STREAM);
    sk_addrlist_free(&l);

    /* type 0: both, every address once per type */
    sup_assert_rc(sk_getaddrinfo("localhost", "53", SK_AF_INET, 0, 0, &l), 0);
    check_list(&l, 53);
    assert_true(count_type(&l, SK_STREAM) > 0);
    assert_int_equal(count_type(&l, SK_STREAM), count_type(&l, SK_DGRAM));
    sk_addrlist_free(&l);
}

/* ---- a name that does not exist ----------------------------------------- */

/* An empty label: rejected by the resolver itself, no query sent. */
static void t_nonexistent(void **state)
{
    sk_addrlist l = {NULL, 0, NULL};
    (void)state;
    sup_assert_rc(sk_getaddrinfo("nonexistent..invalid", NULL, SK_AF_UNSPEC,
                                 0, 0, &l),
                  SK_EHOSTNOTFOUND);
    assert_empty(&l);
    sup_assert_rc(sk_getaddrinfo("nonexistent..invalid", "80", SK_AF_INET,
                                 SK_STREAM, SK_LOOKUP_CANONNAME, &l),
                  SK_EHOSTNOTFOUND);
    assert_empty(&l);
}

/* ---- reverse lookup ----------------------------------------------------- */

static void t_reverse_loopback(void **state)
{
    char name[SK_NAMESTRLEN], small[SK_NAMESTRLEN];
    size_t len;
    (void)state;
    sup_assert_rc(sk_getnameinfo("127.0.0.1", name, sizeof name), 0);
    len = strlen(name);
    assert_true(len > 0);
    assert_string_not_equal(name, "127.0.0.1");
    print_message("127.0.0.1 is \"%s\"\n", name);

    /* exactly enough room, then one byte less: an error, never cut */
    memset(small, 'x', sizeof small);
    sup_assert_rc(sk_getnameinfo("127.0.0.1", small, len + 1), 0);
    assert_string_equal(small, name);
    memset(small, 'x', sizeof small);
    sup_assert_rc(sk_getnameinfo("127.0.0.1", small, len), SK_ENORESOURCES);
    assert_int_equal(small[0], '\0');
    memset(small, 'x', sizeof small);
    sup_assert_rc(sk_getnameinfo("127.0.0.1", small, 1), SK_ENORESOURCES);
    assert_int_equal(small[0], '\0');
}

static void t_reverse_bad(void **state)
{
    char name[64], big[200];
    (void)state;
    memset(big, '1', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    memset(name, 'x', sizeof name);
    sup_assert_rc(sk_getnameinfo("localhost", name, sizeof name), SK_EINVAL);
    assert_int_equal(name[0], '\0');
    sup_assert_rc(sk_getnameinfo("nonexistent..invalid", name, sizeof name),
                  SK_EINVAL);
    sup_assert_rc(sk_getnameinfo("1.2.3.4.5", name, sizeof name), SK_EINVAL);
    sup_assert_rc(sk_getnameinfo("127.0.0.1:80", name, sizeof name),
                  SK_EINVAL);
    sup_assert_rc(sk_getnameinfo("::1::2", name, sizeof name), SK_EINVAL);
    sup_assert_rc(sk_getnameinfo("", name, sizeof name), SK_EINVAL);
    sup_assert_rc(sk_getnameinfo(big, name, sizeof name), SK_EINVAL);
    sup_assert_rc(sk_getnameinfo(NULL, name, sizeof name), SK_EINVAL);
    sup_assert_rc(sk_getnameinfo("127.0.0.1", NULL, sizeof name), SK_EINVAL);
    sup_assert_rc(sk_getnameinfo("127.0.0.1", name, 0), SK_EINVAL);
}

/* ---- host name ---------------------------------------------------------- */

static void t_hostname(void **state)
{
    char name[SK_NAMESTRLEN], small[SK_NAMESTRLEN];
    size_t len;
    (void)state;
    sup_assert_rc(sk_gethostname(name, sizeof name), 0);
    len = strlen(name);
    assert_true(len > 0);
    print_message("host name: \"%s\"\n", name);

    memset(small, 'x', sizeof small);
    sup_assert_rc(sk_gethostname(small, len + 1), 0);
    assert_string_equal(small, name);
    memset(small, 'x', sizeof small);
    sup_assert_rc(sk_gethostname(small, len), SK_ENORESOURCES);
    assert_int_equal(small[0], '\0');
    memset(small, 'x', sizeof small);
    sup_assert_rc(sk_gethostname(small, 1), SK_ENORESOURCES);
    assert_int_equal(small[0], '\0');

    sup_assert_rc(sk_gethostname(NULL, sizeof name), SK_EINVAL);
    sup_assert_rc(sk_gethostname(name, 0), SK_EINVAL);
}

/* ---- bad input ---------------------------------------------------------- */

/* Each bad call returns want and leaves *out empty, whatever it held. */
static void expect_bad(const char *host, const char *service, int family,
                       int type, int flags, int want)
{
    sk_addrlist l;
    l.items = (sk_addrinfo *)&l; /* garbage: must be overwritten */
    l.count = 42;
    l.canonname = (char *)&l;
    sup_assert_rc(sk_getaddrinfo(host, service, family, type, flags, &l),
                  want);
    assert_empty(&l);
}

static void t_bad_input(void **state)
{
    char host256[257], host1000[1001], serv256[257];
    (void)state;
    memset(host256, 'a', 256);
    host256[256] = '\0';
    memset(host1000, 'a', 1000);
    host1000[1000] = '\0';
    memset(serv256, 's', 256);
    serv256[256] = '\0';

    sup_assert_rc(sk_getaddrinfo("127.0.0.1", "80", SK_AF_INET, SK_STREAM,
                                 0, NULL),
                  SK_EINVAL);
    expect_bad(NULL, NULL, SK_AF_UNSPEC, 0, 0, SK_EINVAL);
    expect_bad(NULL, NULL, SK_AF_UNSPEC, 0, SK_LOOKUP_PASSIVE, SK_EINVAL);
    expect_bad("", "80", SK_AF_UNSPEC, 0, 0, SK_EINVAL);
    expect_bad(host256, "80", SK_AF_UNSPEC, 0, 0, SK_EINVAL);
    expect_bad(host1000, NULL, SK_AF_INET, 0, 0, SK_EINVAL);
    expect_bad("127.0.0.1", "", SK_AF_UNSPEC, 0, 0, SK_EINVAL);
    expect_bad("127.0.0.1", "65536", SK_AF_UNSPEC, 0, 0, SK_EINVAL);
    expect_bad("127.0.0.1", "99999999999999999999999", SK_AF_UNSPEC, 0, 0,
               SK_EINVAL);
    expect_bad("127.0.0.1", serv256, SK_AF_UNSPEC, 0, 0, SK_EINVAL);
    expect_bad("127.0.0.1", "80", SK_AF_UNIX, 0, 0, SK_EFAMILY);
    expect_bad("127.0.0.1", "80", 2, 0, 0, SK_EINVAL);
    expect_bad("127.0.0.1", "80", 10, 0, 0, SK_EINVAL);
    expect_bad("127.0.0.1", "80", -1, 0, 0, SK_EINVAL);
    expect_bad("127.0.0.1", "80", SK_AF_UNSPEC, 3, 0, SK_EINVAL);
    expect_bad("127.0.0.1", "80", SK_AF_UNSPEC, -1, 0, SK_EINVAL);
    expect_bad("127.0.0.1", "80", SK_AF_UNSPEC, 0, 8, SK_EINVAL);
    expect_bad("127.0.0.1", "80", SK_AF_UNSPEC, 0, -1, SK_EINVAL);
    expect_bad("127.0.0.1", "80", SK_AF_UNSPEC, 0, 0x100, SK_EINVAL);
    expect_bad(NULL, "80", SK_AF_UNSPEC, 0, SK_LOOKUP_CANONNAME, SK_EINVAL);
}

/* ---- freeing ------------------------------------------------------------ */

static void t_free(void **state)
{
    sk_addrlist l = {NULL, 0, NULL};
    (void)state;
    sk_addrlist_free(NULL);
    sk_addrlist_free(&l); /* empty */
    assert_empty(&l);
    sup_assert_rc(sk_getaddrinfo("127.0.0.1", NULL, SK_AF_UNSPEC, 0,
                                 SK_LOOKUP_CANONNAME, &l),
                  0);
    sk_addrlist_free(&l);
    assert_empty(&l);
    sk_addrlist_free(&l); /* again: still empty, nothing freed twice */
    assert_empty(&l);
}

/* A looked-up address is usable: bind to it and read it back. */
static void t_lookup_then_bind(void **state)
{
    sk_addrlist l = {NULL, 0, NULL};
    sk_sock *m = NULL;
    sk_name n;
    (void)state;
    sup_assert_rc(sk_getaddrinfo("localhost", "0", SK_AF_INET, SK_STREAM, 0,
                                 &l),
                  0);
    sup_assert_rc(sk_tcp4(&m), 0);
    sup_assert_rc(sk_bind(m, l.items[0].addr, l.items[0].port), 0);
    sup_assert_rc(sk_getsockname(m, &n), 0);
    assert_string_equal(n.addr, l.items[0].addr);
    sk_free(m);
    sk_addrlist_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_localhost_unspec),
        cmocka_unit_test(t_localhost_inet),
        cmocka_unit_test(t_localhost_canonname),
        cmocka_unit_test(t_literal_ipv4),
        cmocka_unit_test(t_literal_ipv6),
        cmocka_unit_test(t_literal_mapped),
        cmocka_unit_test(t_family_excludes_literal),
        cmocka_unit_test(t_numerichost_name),
        cmocka_unit_test(t_service_numbers),
        cmocka_unit_test(t_service_names),
        cmocka_unit_test(t_null_host),
        cmocka_unit_test(t_type_filter),
        cmocka_unit_test(t_nonexistent),
        cmocka_unit_test(t_reverse_loopback),
        cmocka_unit_test(t_reverse_bad),
        cmocka_unit_test(t_hostname),
        cmocka_unit_test(t_bad_input),
        cmocka_unit_test(t_free),
        cmocka_unit_test(t_lookup_then_bind),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
