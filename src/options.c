/* SPDX-License-Identifier: MIT */
/*
 * options.c - the option table (enum <-> LuaSocket name <-> kind of value),
 * sk_setoption / sk_getoption and their by-name forms (LuaSocket's names,
 * and nixio's level + name pairs mapped onto those), and the replay of
 * remembered options onto a socket when a master makes a new one.  The
 * backend only maps an enum to its OS call (sk__plat_setopt/getopt).
 */
#include "sockit_int.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* The public kinds (enum sk_optkind), shorter. */
#define SK__BOOL SK_OPTKIND_BOOL
#define SK__COUNT SK_OPTKIND_COUNT
#define SK__SECS SK_OPTKIND_SECONDS
#define SK__BYTES SK_OPTKIND_BYTES
#define SK__LINGER SK_OPTKIND_LINGER
#define SK__TTL SK_OPTKIND_TTL
#define SK__IFINDEX SK_OPTKIND_IFINDEX
#define SK__ERROR SK_OPTKIND_ERROR

static const struct {
    const char *name;
    int kind;
} opt_table[SK_OPT_COUNT] = {
    {"keepalive", SK__BOOL},           {"linger", SK__LINGER},
    {"reuseaddr", SK__BOOL},           {"reuseport", SK__BOOL},
    {"tcp-nodelay", SK__BOOL},         {"tcp-keepidle", SK__SECS},
    {"tcp-keepcnt", SK__COUNT},        {"tcp-keepintvl", SK__SECS},
    {"tcp-defer-accept", SK__SECS},    {"tcp-fastopen", SK__COUNT},
    {"tcp-fastopen-connect", SK__BOOL}, {"ipv6-v6only", SK__BOOL},
    {"sndbuf", SK__BYTES},             {"rcvbuf", SK__BYTES},
    {"broadcast", SK__BOOL},           {"ip-multicast-ttl", SK__TTL},
    {"ip-multicast-loop", SK__BOOL},   {"ip-multicast-if", SK__IFINDEX},
    {"tcp-cork", SK__BOOL},            {"error", SK__ERROR},
};

SK_API int sk_optionid(const char *name)
{
    int i;
    if (name == NULL)
        return SK_EINVAL;
    for (i = 0; i < SK_OPT_COUNT; i++)
        if (strcmp(opt_table[i].name, name) == 0)
            return i;
    return SK_EINVAL;
}

SK_API const char *sk_optionname(int option)
{
    if (option < 0 || option >= SK_OPT_COUNT)
        return NULL;
    return opt_table[option].name;
}

/* The values sk_setoption takes for a kind: booleans 0/1, linger >= -1,
 * a TTL 0..255, the other numbers >= 0; none for a read-only option. */
static void opt_range(int kind, int *min, int *max)
{
    *min = kind == SK__LINGER ? -1 : 0;
    *max = kind == SK__BOOL ? 1 : kind == SK__TTL ? 255 : INT_MAX;
    if (kind == SK__ERROR) { /* empty: not settable */
        *min = 1;
        *max = 0;
    }
}

/* Validate option and value (see opt_range). */
int sk__opt_check(int option, int value)
{
    int min, max;
    if (option < 0 || option >= SK_OPT_COUNT)
        return SK_EINVAL;
    opt_range(opt_table[option].kind, &min, &max);
    return (value >= min && value <= max) ? 0 : SK_EINVAL;
}

/* Options that only mean something on an IPv6 socket. */
static int only_ipv6(int option)
{
    return option == SK_OPT_IPV6_V6ONLY;
}

/* TCP's own options. */
static int tcp_only(int option)
{
    return (option >= SK_OPT_TCP_NODELAY &&
            option <= SK_OPT_TCP_FASTOPEN_CONNECT) ||
           option == SK_OPT_TCP_CORK;
}

/* Options of datagram sockets only. */
static int datagram_only(int option)
{
    return option >= SK_OPT_BROADCAST && option <= SK_OPT_MULTICAST_IF;
}

/* Options that do not belong to this kind of object: unsupported on every
 * OS, whatever each system would say (some accept them and do nothing,
 * some accept the set and refuse the get).  Streams have no broadcast or
 * multicast; datagram objects no linger or TCP options; UNIX-domain
 * objects none of TCP's, IPv6's or IP multicast's. */
static int opt_foreign(const sk_sock *s, int option)
{
    if (s->type == SK__DGRAM && (tcp_only(option) || option == SK_OPT_LINGER))
        return 1;
    if (s->type == SK__STREAM && datagram_only(option))
        return 1;
    return s->family == SK__AF_UNIX &&
           (tcp_only(option) || only_ipv6(option) || datagram_only(option));
}

SK_API int sk_optioninfo(int option, sk_optinfo *out)
{
    int objects = 0;
    if (out == NULL || option < 0 || option >= SK_OPT_COUNT)
        return SK_EINVAL;
    out->name = opt_table[option].name;
    out->kind = opt_table[option].kind;
    opt_range(out->kind, &out->min, &out->max);
    out->readonly = out->kind == SK__ERROR;
    /* The objects opt_foreign leaves it to. */
    if (!datagram_only(option))
        objects |= SK_OPTFOR_TCP;
    if (!tcp_only(option) && option != SK_OPT_LINGER)
        objects |= SK_OPTFOR_UDP;
    if (!tcp_only(option) && !only_ipv6(option) && !datagram_only(option)) {
        if (objects & SK_OPTFOR_TCP)
            objects |= SK_OPTFOR_UNIXSTREAM;
        if (objects & SK_OPTFOR_UDP)
            objects |= SK_OPTFOR_UNIXDGRAM;
    }
    out->objects = objects;
    return 0;
}

int sk__need_extra(sk_sock *s)
{
    if (s->extra == NULL) {
        s->extra = (sk__extra *)sk__calloc(1, sizeof *s->extra);
        if (s->extra == NULL)
            return SK_ENORESOURCES;
    }
    return 0;
}

/* 1 when s remembers a value for option (then in *value). */
static int remembered(const sk_sock *s, int option, int *value)
{
    if (s->extra == NULL || !(s->extra->optset & (1u << option)))
        return 0;
    *value = s->extra->optval[option];
    return 1;
}

/* Replay every remembered option onto a new socket of family. */
int sk__opt_apply_all(sk_sock *s, sk_fd_t fd, int family)
{
    int i;
    for (i = 0; i < SK_OPT_COUNT && s->extra != NULL; i++) {
        int r, value;
        if (!remembered(s, i, &value))
            continue;
        if (only_ipv6(i) && family != SK__AF_INET6)
            continue;
        r = sk__plat_setopt(fd, i, value, &s->sys);
        if (r != 0)
            return r;
    }
    return 0;
}

/* A dual-stack master has no socket yet: check that the OS takes the
 * option on a throw-away socket, so that an unsupported option fails now
 * and not at bind or connect. */
static int probe(sk_sock *s, int option, int value)
{
    sk_fd_t fd;
    /* The socket it will get: IPv6 where the host has it, else IPv4
     * (tried in that order rather than asked with one more socket). */
    int r = sk__plat_socket(SK__AF_INET6, s->type, &fd, &s->sys);
    if (r == SK_EFAMILY)
        r = sk__plat_socket(SK__AF_INET, s->type, &fd, &s->sys);
    if (r != 0)
        return r;
    r = sk__plat_setopt(fd, option, value, &s->sys);
    sk__plat_close(fd);
    return r;
}

SK_API int sk_setoption(sk_sock *s, int option, int value)
{
    int r = sk__check(s);
    if (r != 0)
        return r;
    r = sk__opt_check(option, value);
    if (r != 0)
        return r;
    if (opt_foreign(s, option))
        return SK_EUNSUPPORTED;
    /* Room to remember the value first, so that a set that took effect
     * is never reported as failed. */
    r = sk__need_extra(s);
    if (r != 0)
        return r;
    if (s->fd == SK_FD_INVALID)
        r = probe(s, option, value);
    else
        r = sk__plat_setopt(s->fd, option, value, &s->sys);
    if (r != 0)
        return r;
    s->extra->optset |= 1u << option;
    s->extra->optval[option] = value;
    return 0;
}

SK_API int sk_getoption(sk_sock *s, int option, int *value)
{
    int r = sk__check(s);
    if (r != 0)
        return r;
    if (value == NULL || option < 0 || option >= SK_OPT_COUNT)
        return SK_EINVAL;
    if (opt_foreign(s, option))
        return SK_EUNSUPPORTED;
    if (option == SK_OPT_ERROR) { /* no socket: nothing pending */
        *value = 0;
        return s->fd == SK_FD_INVALID
                   ? 0
                   : sk__plat_sockerror(s->fd, value, &s->sys);
    }
    if (s->fd != SK_FD_INVALID) {
        r = sk__plat_getopt(s->fd, option, value, &s->sys);
        if (r != SK__EREMEMBERED)
            return r;
        if (!remembered(s, option, value))
            *value = 0;
        return 0;
    }
    return remembered(s, option, value) ? 0 : SK_EWRONGROLE;
}

/* The object first, then the name: the order of every call. */
SK_API int sk_setoptname(sk_sock *s, const char *name, int value)
{
    int id, r = sk__check(s);
    if (r != 0)
        return r;
    id = sk_optionid(name);
    return id < 0 ? id : sk_setoption(s, id, value);
}

SK_API int sk_getoptname(sk_sock *s, const char *name, int *value)
{
    int id, r = sk__check(s);
    if (r != 0)
        return r;
    id = sk_optionid(name);
    return id < 0 ? id : sk_getoption(s, id, value);
}

/* nixio's (level, name) pairs, each naming a LuaSocket option of opt_table
 * (looked up by name, so a row whose option this build lacks answers
 * SK_EINVAL like any unknown name).  "ip" and "ipv6" share the multicast
 * options: they act on the socket's own family. */
static const struct {
    const char *level;
    const char *name;
    const char *option;
} nixio_table[] = {
    {"socket", "keepalive", "keepalive"},
    {"socket", "reuseaddr", "reuseaddr"},
    {"socket", "reuseport", "reuseport"},
    {"socket", "sndbuf", "sndbuf"},
    {"socket", "rcvbuf", "rcvbuf"},
    {"socket", "linger", "linger"},
    {"socket", "broadcast", "broadcast"},
    {"socket", "error", "error"},
    {"tcp", "nodelay", "tcp-nodelay"},
    {"tcp", "cork", "tcp-cork"},
    {"tcp", "keepidle", "tcp-keepidle"},
    {"tcp", "keepcnt", "tcp-keepcnt"},
    {"tcp", "keepintvl", "tcp-keepintvl"},
    {"tcp", "defer_accept", "tcp-defer-accept"},
    {"tcp", "fastopen", "tcp-fastopen"},
    {"tcp", "fastopen_connect", "tcp-fastopen-connect"},
    {"ip", "multicast_ttl", "ip-multicast-ttl"},
    {"ip", "multicast_loop", "ip-multicast-loop"},
    {"ip", "multicast_if", "ip-multicast-if"},
    {"ipv6", "v6only", "ipv6-v6only"},
    {"ipv6", "multicast_hops", "ip-multicast-ttl"},
    {"ipv6", "multicast_loop", "ip-multicast-loop"},
    {"ipv6", "multicast_if", "ip-multicast-if"},
};

/* The enum sk_option for a nixio level and name, or SK_EINVAL. */
static int nixio_option(const char *level, const char *name)
{
    size_t i;
    if (level == NULL || name == NULL)
        return SK_EINVAL;
    for (i = 0; i < sizeof nixio_table / sizeof nixio_table[0]; i++)
        if (strcmp(nixio_table[i].level, level) == 0 &&
            strcmp(nixio_table[i].name, name) == 0)
            return sk_optionid(nixio_table[i].option);
    return SK_EINVAL;
}

SK_API int sk_setsockopt(sk_sock *s, const char *level, const char *name,
                         int value)
{
    int id, r = sk__check(s);
    if (r != 0)
        return r;
    id = nixio_option(level, name);
    return id < 0 ? id : sk_setoption(s, id, value);
}

SK_API int sk_getsockopt(sk_sock *s, const char *level, const char *name,
                         int *value)
{
    int id, r = sk__check(s);
    if (r != 0)
        return r;
    id = nixio_option(level, name);
    return id < 0 ? id : sk_getoption(s, id, value);
}
