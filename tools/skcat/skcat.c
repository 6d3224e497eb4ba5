/* SPDX-License-Identifier: MIT */
/*
 * skcat.c - a netcat-class tool built only on sockit's public API.
 *
 *   skcat [-4|-6] [-w SECS] [-q SECS] [-v] [TLS] HOST PORT
 *   skcat -l [-k] [-4|-6] [-w SECS] [-q SECS] [-v] [TLS] [HOST] PORT
 *
 * TLS (as ncat's --ssl): --tls speaks TLS; a client verifies the server as
 * HOST (system trust, or --tls-ca FILE; --tls-insecure: no verification),
 * a listener needs --tls-cert FILE [--tls-key FILE]; --tls-ca with -l asks
 * clients for a certificate and verifies it.  -v also reports the session.
 *
 * Copies stdin to the socket and the socket to stdout.  When stdin ends the
 * sending side is shut down; skcat exits when the peer closes (or, with -q,
 * at most SECS after stdin's end).  The OS-specific copy loop lives in
 * io_posix.c / io_win32.c (skcat_io.h); this file has no OS code.
 *
 * Exit status: 0 ok, 1 connection failed or timed out, 2 usage error.
 */
#include "skcat_io.h"

#include <sockit.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
    fprintf(stderr,
            "usage: skcat [-4|-6] [-w SECS] [-q SECS] [-v] HOST PORT\n"
            "       skcat -l [-k] [-4|-6] [-w SECS] [-q SECS] [-v] [HOST] PORT\n"
            "  -4, -6   IPv4 only, IPv6 only (default: both)\n"
            "  -l       listen (HOST default \"*\"; PORT 0 picks one, see -v)\n"
            "  -k       with -l: accept another client after one leaves\n"
            "  -w SECS  connect timeout, and exit 1 after SECS without data\n"
            "  -q SECS  after end of stdin, wait at most SECS for the peer\n"
            "  -v       report addresses and statistics on stderr\n"
            "  --tls            TLS (client: verify HOST; -l: needs a cert)\n"
            "  --tls-ca FILE    trust these PEM certificates (-l: require\n"
            "                   and verify client certificates)\n"
            "  --tls-cert FILE  certificate (and key) PEM; --tls-key FILE\n"
            "  --tls-insecure   client: no verification\n");
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

/* TLS settings (all NULL / 0: plain). */
struct skcat_tls {
    int on, insecure;
    const char *ca, *cert, *key;
};

/* make_tls_ctx: the context of the settings for mode, or NULL (reported). */
static sk_tls_ctx *make_tls_ctx(const struct skcat_tls *t, int mode)
{
    sk_tls_ctx *ctx = NULL;
    int r = sk_tls_ctx_new(&ctx, mode);
    if (r == SK_OK && t->ca != NULL)
        r = sk_tls_ctx_set_ca_file(ctx, t->ca, NULL);
    if (r == SK_OK && t->cert != NULL)
        r = sk_tls_ctx_set_cert_file(ctx, t->cert, t->key);
    if (r == SK_OK && mode == SK_TLS_CLIENT && t->insecure)
        r = sk_tls_ctx_set_verify(ctx, SK_TLS_VERIFY_NONE);
    if (r == SK_OK && mode == SK_TLS_SERVER && t->ca != NULL)
        r = sk_tls_ctx_set_verify(ctx, SK_TLS_VERIFY_PEER);
    if (r != SK_OK) {
        fprintf(stderr, "skcat: TLS: %s\n", sk_strerror(r));
        sk_tls_ctx_free(ctx);
        return NULL;
    }
    return ctx;
}

/* tls_fail: report a failed handshake with the TLS library's words. */
static void tls_fail(sk_sock *c, int r)
{
    const char *msg = NULL;
    if (sk_tls_get(c, SK_TLS_ERROR_MESSAGE, &msg) != SK_OK)
        msg = "";
    fprintf(stderr, "skcat: TLS handshake: %s (%s)%s%s\n", sk_strerror(r),
            sk_errname(r), msg[0] != '\0' ? ": " : "", msg);
}

static void print_tls(sk_sock *c)
{
    const char *v = NULL, *cipher = NULL, *peer = NULL;
    if (sk_tls_get(c, SK_TLS_VERSION, &v) == SK_OK &&
        sk_tls_get(c, SK_TLS_CIPHER, &cipher) == SK_OK)
        fprintf(stderr, "skcat: %s %s", v, cipher);
    if (sk_tls_get(c, SK_TLS_PEER_SUBJECT, &peer) == SK_OK)
        fprintf(stderr, ", peer \"%s\"", peer);
    fprintf(stderr, "\n");
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

/* make_master: a TCP master of the chosen family (0, 4 or 6). */
static int make_master(int family, sk_sock **out)
{
    if (family == 4)
        return sk_tcp4(out);
    if (family == 6)
        return sk_tcp6(out);
    return sk_tcp(out);
}

/* set_idle: after connect/accept, -w bounds each wait of a send or receive;
 * the total limit (used for connect) is lifted. */
static int set_idle(sk_sock *c, const struct skcat_opts *o)
{
    int r = sk_settimeout(c, -1.0, 't');

    if (r == SK_OK)
        r = sk_settimeout(c, o->idle, 'b');
    return r;
}

static int run_client(int family, const char *host, int port,
                      const struct skcat_opts *o, const struct skcat_tls *t)
{
    sk_tls_ctx *ctx = NULL;
    sk_sock *c = NULL;
    int r, rc;

    if (t->on && (ctx = make_tls_ctx(t, SK_TLS_CLIENT)) == NULL)
        return 1;
    if ((r = make_master(family, &c)) != SK_OK ||
        (r = sk_settimeout(c, o->idle, 't')) != SK_OK ||
        (r = sk_connect(c, host, port)) != SK_OK ||
        (r = set_idle(c, o)) != SK_OK) {
        fprintf(stderr, "skcat: connect to %s port %d: %s\n", host, port,
                sk_strerror(r));
        sk_free(c);
        sk_tls_ctx_free(ctx);
        return 1;
    }
    if (o->verbose)
        print_ends("connected", c);
    if (ctx != NULL) {
        r = sk_tls_start(c, ctx, host);
        sk_tls_ctx_free(ctx); /* c keeps it */
        if (r != SK_OK) {
            tls_fail(c, r);
            sk_free(c);
            return 1;
        }
        if (o->verbose)
            print_tls(c);
    }
    rc = skcat_pump(c, o);
    if (o->verbose)
        print_stats(c);
    sk_free(c);
    return rc;
}

static int run_server(int family, const char *host, int port, int keep,
                      const struct skcat_opts *o, const struct skcat_tls *t)
{
    sk_sock *srv = NULL, *c = NULL;
    sk_tls_ctx *ctx = NULL;
    sk_name here;
    int r, rc = 0;

    if (t->on && (ctx = make_tls_ctx(t, SK_TLS_SERVER)) == NULL)
        return 1;
    r = make_master(family, &srv);
    if (r == SK_OK && ctx != NULL) /* accepted clients speak TLS */
        r = sk_tls_listen(srv, ctx);
    sk_tls_ctx_free(ctx); /* the listener keeps it */
    if (r != SK_OK ||
        (r = sk_setoption(srv, SK_OPT_REUSEADDR, 1)) != SK_OK ||
        (r = sk_bind(srv, host, port)) != SK_OK ||
        (r = sk_listen(srv, keep ? 16 : 1)) != SK_OK) {
        fprintf(stderr, "skcat: listen on %s port %d: %s\n", host, port,
                sk_strerror(r));
        sk_free(srv);
        return 1;
    }
    if (o->verbose && sk_getsockname(srv, &here) == SK_OK) {
        fprintf(stderr, "skcat: listening on %s %d (%s)\n", here.addr,
                here.port, here.family);
        fflush(stderr);
    }
    do {
        if ((r = sk_accept(srv, &c, NULL)) != SK_OK ||
            (r = set_idle(c, o)) != SK_OK) {
            fprintf(stderr, "skcat: accept: %s\n", sk_strerror(r));
            sk_free(c);
            c = NULL;
            rc = 1;
            break;
        }
        if (o->verbose)
            print_ends("accepted", c);
        if (t->on) {
            r = sk_tls_handshake(c);
            if (r != SK_OK) {
                tls_fail(c, r);
                sk_free(c);
                c = NULL;
                rc = 1;
                continue; /* -k: the next client */
            }
            if (o->verbose)
                print_tls(c);
        }
        rc = skcat_pump(c, o);
        if (o->verbose)
            print_stats(c);
        sk_free(c);
        c = NULL;
    } while (keep);
    sk_free(srv);
    return rc;
}

int main(int argc, char **argv)
{
    struct skcat_opts o;
    struct skcat_tls t;
    int listen_mode = 0, keep = 0, family = 0, port, i;
    const char *host;
    const char *pos[2];
    int npos = 0;

    o.idle = -1.0;
    o.quit = -1.0;
    o.verbose = 0;
    memset(&t, 0, sizeof t);
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];

        if (strncmp(a, "--tls", 5) == 0) {
            const char **dst = strcmp(a, "--tls-ca") == 0     ? &t.ca
                               : strcmp(a, "--tls-cert") == 0 ? &t.cert
                               : strcmp(a, "--tls-key") == 0  ? &t.key
                                                              : NULL;
            t.on = 1;
            if (dst != NULL) {
                if (i + 1 >= argc) {
                    fprintf(stderr, "skcat: %s needs a file\n", a);
                    usage();
                    return 2;
                }
                *dst = argv[++i];
            } else if (strcmp(a, "--tls-insecure") == 0) {
                t.insecure = 1;
            } else if (strcmp(a, "--tls") != 0) {
                fprintf(stderr, "skcat: unknown option %s\n", a);
                usage();
                return 2;
            }
            continue;
        }

        if (a[0] != '-' || a[1] == '\0') {
            if (npos == 2) {
                usage();
                return 2;
            }
            pos[npos++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            for (i++; i < argc; i++) {
                if (npos == 2) {
                    usage();
                    return 2;
                }
                pos[npos++] = argv[i];
            }
            break;
        }
        for (a++; *a != '\0'; a++) {
            switch (*a) {
            case '4': family = 4; break;
            case '6': family = 6; break;
            case 'l': listen_mode = 1; break;
            case 'k': keep = 1; break;
            case 'v': o.verbose = 1; break;
            case 'h': usage(); return 0;
            case 'w':
            case 'q': {
                const char *v = a[1] != '\0' ? a + 1
                                : (i + 1 < argc ? argv[++i] : NULL);
                double *dst = *a == 'w' ? &o.idle : &o.quit;

                if (v == NULL || parse_secs(v, dst) != 0) {
                    fprintf(stderr, "skcat: -%c needs seconds\n", *a);
                    usage();
                    return 2;
                }
                a += strlen(a) - 1; /* the rest of this argument is used */
                break;
            }
            default:
                fprintf(stderr, "skcat: unknown option -%c\n", *a);
                usage();
                return 2;
            }
        }
    }
    if (keep && !listen_mode) {
        fprintf(stderr, "skcat: -k needs -l\n");
        usage();
        return 2;
    }
    if (listen_mode ? npos < 1 : npos != 2) {
        usage();
        return 2;
    }
    host = npos == 2 ? pos[0] : "*";
    if (parse_port(pos[npos - 1], listen_mode ? 0 : 1, &port) != 0) {
        fprintf(stderr, "skcat: bad port '%s'\n", pos[npos - 1]);
        usage();
        return 2;
    }
    if (t.on && sk_tls_provider() == NULL) {
        fprintf(stderr, "skcat: this sockit was built without TLS\n");
        return 2;
    }
    if (t.on && listen_mode && t.cert == NULL) {
        fprintf(stderr, "skcat: --tls with -l needs --tls-cert\n");
        usage();
        return 2;
    }
    if (listen_mode)
        return run_server(family, host, port, keep, &o, &t);
    return run_client(family, host, port, &o, &t);
}
