/* SPDX-License-Identifier: MIT */
/*
 * skcat.c - a netcat-class tool built only on sockit's public API.
 *
 * Copies stdin to the socket and the socket to stdout, each direction to
 * its own end (netcat's rule, see usage()).  This file parses the command
 * line and makes the connection; the OS-specific copy loops live in
 * io_posix.c / io_win32.c (skcat_io.h).  It has no OS code.
 */
#include "skcat_io.h"

#include <sockit.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SKCAT_OK 0
#define SKCAT_FAIL 1  /* the connection or the transfer failed */
#define SKCAT_USAGE 2 /* bad command line */

static void usage(FILE *f)
{
    fprintf(f,
        "usage: skcat [options] HOST PORT       connect\n"
        "       skcat -l [options] [HOST] PORT  listen (HOST default \"*\")\n"
        "       skcat -U [-l] [options] PATH    UNIX-domain stream socket\n"
        "options:\n"
        "  -4, -6   IPv4 only, IPv6 only (default: both)\n"
        "  -l       listen for one client (PORT 0 picks one, see -v)\n"
        "  -k       with -l: serve clients one after another, for ever\n"
        "  -u       UDP: each read of stdin is one datagram; a listener\n"
        "           answers the first sender; runs until -q or -w ends it\n"
        "  -U       UNIX-domain stream socket at PATH\n"
        "  -z       connect and close at once: exit 0 when the port is open\n"
        "  -p PORT  connect from this source port (with -l: the port)\n"
        "  -n       numeric addresses only: never ask a resolver\n"
        "  -N       accepted for netcat-openbsd habits (skcat always shuts\n"
        "           its sending side down at the end of stdin)\n"
        "  -w SECS  connect timeout, and exit 1 after SECS without data\n"
        "  -q SECS  after the end of stdin, wait at most SECS for the peer\n"
        "  -v       report addresses and statistics on stderr\n"
        "  -h, --help  this text\n"
        "Each direction ends on its own: the end of stdin shuts down the\n"
        "sending side; the peer's end of stream ends only the receiving.\n"
        "skcat exits when both are over, or as -q and -w say.\n"
        "Exit status:\n"
        "  0  every byte read from stdin was sent to the peer and the\n"
        "     peer's stream ended cleanly (or the -q wait ran out); -z:\n"
        "     the port is open\n"
        "  1  anything else, with a message: connect or listen failed,\n"
        "     a send or receive failed (bytes not delivered), -w timed out,\n"
        "     reading stdin or writing stdout failed; -z: not open\n"
        "  2  bad command line\n");
}

/* parse_secs: a non-negative finite number of seconds. */
static int parse_secs(const char *s, double *out)
{
    char *end;
    double v;

    errno = 0;
    v = strtod(s, &end);
    if (end == s || *end != '\0' || errno != 0 || !(v >= 0.0) || v > 1e9)
        return -1;
    *out = v;
    return 0;
}

/* parse_port: an integer in lo..65535. */
static int parse_port(const char *s, int lo, int *out)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || errno != 0 || v < lo || v > 65535)
        return -1;
    *out = (int)v;
    return 0;
}

void skcat_progress(uint64_t to_socket, uint64_t from_socket, double secs,
                    int done)
{
    double mib = (double)(to_socket + from_socket) / 1048576.0;

    fprintf(stderr, "\rskcat: sent %.1f MiB, received %.1f MiB, %.1f MiB/s   %s",
            (double)to_socket / 1048576.0, (double)from_socket / 1048576.0,
            secs > 0.0 ? mib / secs : 0.0, done ? "\n" : "");
    fflush(stderr);
}

static void print_ends(const char *what, const sk_sock *c)
{
    sk_name local, peer;

    if (sk_getsockname(c, &local) == SK_OK &&
        sk_getpeername(c, &peer) == SK_OK)
        fprintf(stderr, "skcat: %s %s %d -> %s %d (%s)\n", what, local.addr,
                local.port, peer.addr, peer.port, peer.family);
}

static void print_stats(const sk_sock *c)
{
    uint64_t rx = 0, tx = 0;
    double age = 0.0;

    if (sk_getstats(c, &rx, &tx, &age) == SK_OK)
        fprintf(stderr,
                "skcat: received %llu bytes, sent %llu bytes in %.3f s\n",
                (unsigned long long)rx, (unsigned long long)tx, age);
}

struct cmd {
    struct skcat_opts o;
    int listen, keep, family, udp, unixd, zero, numeric;
    int sport;        /* -p, 0: none */
    const char *host; /* or the path (-U) */
    int port;
};

/* make_object: the object the command needs (not yet bound). */
static int make_object(const struct cmd *m, sk_sock **out)
{
    if (m->unixd)
        return sk_unix(out);
    if (m->udp)
        return m->family == 4 ? sk_udp4(out)
             : m->family == 6 ? sk_udp6(out) : sk_udp(out);
    return m->family == 4 ? sk_tcp4(out)
         : m->family == 6 ? sk_tcp6(out) : sk_tcp(out);
}

/* check_host: -n (a numeric address, or "*" to listen) and -4/-6 against
 * the family of a literal address: said plainly, not as "host not found".
 * Returns 0 or SKCAT_FAIL (reported). */
static int check_host(const struct cmd *m)
{
    sk_addrlist l = {NULL, 0, NULL};
    int r, fam;

    if (m->unixd || strcmp(m->host, "*") == 0)
        return 0;
    r = sk_getaddrinfo(m->host, NULL, SK_AF_UNSPEC, 0, SK_LOOKUP_NUMERICHOST,
                       &l);
    if (r != SK_OK || l.count == 0) {
        sk_addrlist_free(&l);
        if (m->numeric) {
            fprintf(stderr, "skcat: -n: '%s' is not a numeric address\n",
                    m->host);
            return SKCAT_FAIL;
        }
        return 0; /* a name: the lookup says what it finds */
    }
    fam = l.items[0].family;
    sk_addrlist_free(&l);
    if (m->family != 0 && fam != m->family) {
        fprintf(stderr, "skcat: %s is an IPv%d address, but -%d asks for "
                "IPv%d\n", m->host, fam, m->family, m->family);
        return SKCAT_FAIL;
    }
    return 0;
}

/* source_family: -p binds before connecting, so the object's family must
 * be the peer's: that of the host's first address (4 or 6). */
static int source_family(const struct cmd *m, int *family)
{
    sk_addrlist l = {NULL, 0, NULL};
    int r = sk_getaddrinfo(m->host, NULL, SK_AF_UNSPEC, 0,
                           m->numeric ? SK_LOOKUP_NUMERICHOST : 0, &l);

    if (r == SK_OK && l.count > 0)
        *family = l.items[0].family;
    sk_addrlist_free(&l);
    return r;
}

static int run_client(const struct cmd *m0)
{
    struct cmd mc = *m0;
    const struct cmd *m = &mc;
    sk_sock *c = NULL;
    const char *what = "connect to";
    int r, rc;

    if (mc.sport != 0 && mc.family == 0 && !mc.unixd &&
        (r = source_family(&mc, &mc.family)) != SK_OK)
        goto fail;
    if ((r = make_object(m, &c)) != SK_OK)
        goto fail;
    if (m->sport != 0 && (r = sk_bind(c, "*", m->sport)) != SK_OK) {
        what = "bind source port for";
        goto fail;
    }
    if (m->udp) {
        if ((r = sk_settimeout(c, m->o.idle, 'b')) != SK_OK ||
            (r = sk_setpeername(c, m->host, m->port)) != SK_OK)
            goto fail;
        if (m->o.verbose)
            print_ends("sending", c);
        rc = skcat_pump_dgram(c, &m->o);
    } else {
        if ((r = sk_settimeout(c, m->o.idle, 't')) != SK_OK ||
            (r = sk_connect(c, m->host, m->port)) != SK_OK)
            goto fail;
        if (m->o.verbose || m->zero)
            print_ends(m->zero ? "open:" : "connected", c);
        if (m->zero) {
            sk_free(c);
            return SKCAT_OK;
        }
        /* -w then bounds each wait, not the whole transfer */
        if ((r = sk_settimeout(c, -1.0, 't')) != SK_OK ||
            (r = sk_settimeout(c, m->o.idle, 'b')) != SK_OK)
            goto fail;
        rc = skcat_pump(c, &m->o);
    }
    if (m->o.verbose)
        print_stats(c);
    sk_free(c);
    return rc;
fail:
    if (m->unixd)
        fprintf(stderr, "skcat: %s %s: %s\n", what, m->host, sk_strerror(r));
    else
        fprintf(stderr, "skcat: %s %s port %d: %s\n", what, m->host, m->port,
                sk_strerror(r));
    sk_free(c);
    return SKCAT_FAIL;
}

/* serve_dgram: wait for the first datagram on the bound object c, answer
 * its sender from then on. */
static int serve_dgram(const struct cmd *m, sk_sock *c)
{
    static char first[65536];
    sk_name from;
    size_t got = 0;
    int r;

    if ((r = sk_settimeout(c, m->o.idle, 'b')) != SK_OK ||
        ((r = sk_recvfrom(c, first, sizeof first, &got, NULL, &from)) !=
             SK_OK &&
         r != SK_ETRUNCATED)) {
        fprintf(stderr, "skcat: receive: %s\n", sk_strerror(r));
        return SKCAT_FAIL;
    }
    if (fwrite(first, 1, got, stdout) != got || fflush(stdout) != 0) {
        fprintf(stderr, "skcat: write to stdout failed\n");
        return SKCAT_FAIL;
    }
    if ((r = sk_setpeername(c, from.addr, from.port)) != SK_OK) {
        fprintf(stderr, "skcat: answer %s port %d: %s\n", from.addr,
                from.port, sk_strerror(r));
        return SKCAT_FAIL;
    }
    if (m->o.verbose)
        print_ends("answering", c);
    return skcat_pump_dgram(c, &m->o);
}

static int run_server(const struct cmd *m)
{
    sk_sock *srv = NULL, *c = NULL;
    sk_name here;
    int r, rc = SKCAT_OK;

    if ((r = make_object(m, &srv)) != SK_OK ||
        (!m->unixd && !m->udp &&
         (r = sk_setoption(srv, SK_OPT_REUSEADDR, 1)) != SK_OK) ||
        (r = sk_bind(srv, m->host, m->unixd ? 0 : m->port)) != SK_OK ||
        (!m->udp && (r = sk_listen(srv, m->keep ? 16 : 1)) != SK_OK)) {
        if (m->unixd)
            fprintf(stderr, "skcat: listen on %s: %s\n", m->host,
                    sk_strerror(r));
        else
            fprintf(stderr, "skcat: listen on %s port %d: %s\n", m->host,
                    m->port, sk_strerror(r));
        sk_free(srv);
        return SKCAT_FAIL;
    }
    if (m->o.verbose && sk_getsockname(srv, &here) == SK_OK) {
        fprintf(stderr, "skcat: listening on %s %d (%s)\n", here.addr,
                here.port, here.family);
        fflush(stderr);
    }
    if (m->udp) {
        rc = serve_dgram(m, srv);
        sk_free(srv);
        return rc;
    }
    do {
        int one;

        if ((r = sk_accept(srv, &c, NULL)) != SK_OK ||
            (r = sk_settimeout(c, m->o.idle, 'b')) != SK_OK) {
            fprintf(stderr, "skcat: accept: %s\n", sk_strerror(r));
            sk_free(c);
            c = NULL;
            rc = SKCAT_FAIL;
            break;
        }
        if (m->o.verbose)
            print_ends("accepted", c);
        one = skcat_pump(c, &m->o);
        if (one != SKCAT_OK)
            rc = one; /* -k goes on serving; the status remembers it */
        if (m->o.verbose)
            print_stats(c);
        fflush(stderr);
        sk_free(c);
        c = NULL;
    } while (m->keep);
    sk_free(srv);
    return rc;
}

/* bad: a usage error: the message, then the usage text. */
static int bad(const char *msg, const char *arg)
{
    if (msg != NULL)
        fprintf(stderr, "skcat: %s%s\n", msg, arg != NULL ? arg : "");
    usage(stderr);
    return SKCAT_USAGE;
}

int main(int argc, char **argv)
{
    struct cmd m;
    const char *pos[2];
    int npos = 0, i, need;

    memset(&m, 0, sizeof m);
    m.o.idle = -1.0;
    m.o.quit = -1.0;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];

        if (a[0] != '-' || a[1] == '\0') {
            if (npos == 2)
                return bad("too many arguments", NULL);
            pos[npos++] = a;
            continue;
        }
        if (strcmp(a, "--help") == 0) {
            usage(stdout);
            return SKCAT_OK;
        }
        if (strcmp(a, "--") == 0) {
            for (i++; i < argc; i++) {
                if (npos == 2)
                    return bad("too many arguments", NULL);
                pos[npos++] = argv[i];
            }
            break;
        }
        if (a[1] == '-')
            return bad("unknown option ", a);
        for (a++; *a != '\0'; a++) {
            switch (*a) {
            case '4': m.family = 4; break;
            case '6': m.family = 6; break;
            case 'l': m.listen = 1; break;
            case 'k': m.keep = 1; break;
            case 'v': m.o.verbose = 1; break;
            case 'u': m.udp = 1; break;
            case 'U': m.unixd = 1; break;
            case 'z': m.zero = 1; break;
            case 'n': m.numeric = 1; break;
            case 'N': break; /* always so */
            case 'h': usage(stdout); return SKCAT_OK;
            case 'w':
            case 'q':
            case 'p': {
                const char *v = a[1] != '\0' ? a + 1
                                : (i + 1 < argc ? argv[++i] : NULL);
                char opt[3] = {'-', *a, '\0'};

                if (*a == 'p') {
                    if (v == NULL || parse_port(v, 1, &m.sport) != 0)
                        return bad(opt, " needs a port 1..65535");
                } else if (v == NULL ||
                           parse_secs(v, *a == 'w' ? &m.o.idle
                                                   : &m.o.quit) != 0) {
                    return bad(opt, " needs seconds");
                }
                a += strlen(a) - 1; /* the rest of this argument is used */
                break;
            }
            default: {
                char opt[3] = {'-', *a, '\0'};
                return bad("unknown option ", opt);
            }
            }
        }
    }
    if (m.keep && !m.listen)
        return bad("-k needs -l", NULL);
    if (m.keep && m.udp)
        return bad("-k does not go with -u", NULL);
    if (m.zero && (m.listen || m.udp))
        return bad("-z goes only with a TCP or UNIX-domain connect", NULL);
    if (m.unixd && (m.udp || m.family != 0 || m.sport != 0))
        return bad("-U does not go with -u, -4, -6 or -p", NULL);
    if (m.unixd) {
        if (npos != 1)
            return bad(npos == 0 ? "-U needs a PATH" : "-U takes one PATH",
                       NULL);
        m.host = pos[0];
    } else if (m.listen) {
        /* skcat -l [HOST] PORT, or netcat's -l -p PORT [HOST] */
        need = m.sport != 0 ? 0 : 1;
        if (npos < need || npos > need + 1)
            return bad(npos < need ? "-l needs a PORT" : "too many arguments",
                       NULL);
        m.host = npos > need ? pos[0] : "*";
        if (m.sport != 0)
            m.port = m.sport;
        else if (parse_port(pos[npos - 1], 0, &m.port) != 0)
            return bad("bad port ", pos[npos - 1]);
        m.sport = 0;
    } else {
        if (npos != 2)
            return bad("need HOST and PORT", NULL);
        m.host = pos[0];
        if (parse_port(pos[1], 1, &m.port) != 0)
            return bad("bad port ", pos[1]);
    }
    if (check_host(&m) != 0)
        return SKCAT_FAIL;
    return m.listen ? run_server(&m) : run_client(&m);
}
