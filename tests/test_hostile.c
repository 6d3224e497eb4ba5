/* SPDX-License-Identifier: MIT */
/*
 * test_hostile.c - hostile input, table-driven, over every public function
 * of sockit.h: NULL objects, buffers and out-pointers; negative, oversize
 * and extreme lengths, slices, ports and host names; unknown options and
 * bad option values; bad timeout modes and NaN; bad shutdown directions;
 * every role-restricted call in every wrong role; every call after close.
 * Each row asserts the error its header contract documents, exactly.
 *
 * The list of public functions (SK_PUBLIC_FUNCS) was enumerated from
 * sockit.h: SK_API_COUNT prototypes.  A compile-time check ties the list to
 * that count, and t_table_covers_api checks at run time that every
 * function has rows (and, when it takes an object, a NULL-object row and an
 * after-close row).  Adding a function to the header means adding it here.
 */
#include "support.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the public API, as enumerated from sockit.h --------------------- */

#define SK_API_COUNT 152 /* `grep -c '^SK_API' include/sockit.h` */

/* X(name, takes_object) */
#define SK_PUBLIC_FUNCS(X)                                                  \
    X(sk_strerror, 0) X(sk_errname, 0) X(sk_tcp4, 0) X(sk_tcp6, 0)          \
    X(sk_tcp, 0) X(sk_close, 1) X(sk_free, 1) X(sk_role, 1)                 \
    X(sk_syserror, 1) X(sk_bind, 1) X(sk_listen, 1) X(sk_connect, 1)        \
    X(sk_accept, 1) X(sk_send, 1) X(sk_buf_reserve, 0) X(sk_buf_free, 0)    \
    X(sk_receive, 1) X(sk_read, 1) X(sk_setlinelimit, 1)                    \
    X(sk_getlinelimit, 1) X(sk_dirty, 1) X(sk_settimeout, 1)                \
    X(sk_gettimeout, 1) X(sk_optionid, 0) X(sk_optionname, 0)               \
    X(sk_setoption, 1) X(sk_getoption, 1) X(sk_setoptname, 1)               \
    X(sk_getoptname, 1) X(sk_getsockname, 1) X(sk_getpeername, 1)           \
    X(sk_shutdown, 1) X(sk_getfd, 1) X(sk_setfd, 1) X(sk_getstats, 1)       \
    X(sk_setstats, 1) X(sk_select, 1)                                       \
    X(sk_getstate, 1) X(sk_setblocking, 1) X(sk_setsockopt, 1)              \
    X(sk_getsockopt, 1)                                                     \
    X(sk_udp4, 0) X(sk_udp6, 0) X(sk_udp, 0) X(sk_setpeername, 1)           \
    X(sk_sendto, 1) X(sk_recvfrom, 1) X(sk_joingroup, 1)                    \
    X(sk_leavegroup, 1) X(sk_sendmany, 1) X(sk_recvmany, 1)                 \
    X(sk_recvfromaddr, 1) X(sk_sendtoaddr, 1) X(sk_toaddr, 1)               \
    X(sk_addrname, 0) X(sk_sendmanyaddr, 1) X(sk_recvmanyaddr, 1)           \
    /* UNIX-domain sockets */                                               \
    X(sk_unix, 0) X(sk_unixdgram, 0)                                        \
    /* address lookup */                                                    \
    X(sk_getaddrinfo, 0) X(sk_addrlist_free, 0) X(sk_getnameinfo, 0)        \
    X(sk_gethostname, 0)                                                    \
    /* sending files and gathered buffers */                                \
    X(sk_sendfile, 1) X(sk_sendv, 1)                                        \
    /* event loop (the loop, timer and watch calls take no sk_sock) */      \
    X(sk_loop_new, 0) X(sk_loop_new_backend, 0) X(sk_loop_free, 0)          \
    X(sk_loop_backend, 0) X(sk_loop_run, 0) X(sk_loop_stop, 0)              \
    X(sk_loop_wake, 0) X(sk_loop_post, 0) X(sk_loop_now, 0)                 \
    X(sk_timer_new, 0) X(sk_timer_start, 0) X(sk_timer_stop, 0)             \
    X(sk_timer_free, 0) X(sk_watch_new, 1) X(sk_watch_set, 1)               \
    X(sk_watch_free, 0)                                                     \
    /* event-driven connections (the object is an sk_conn or sk_server; \
     * "after close" is a connection aborted after it was established, a \
     * server after sk_server_close) */                                    \
    X(sk_conn_errstr, 0) X(sk_conn_errcode, 0) X(sk_conn_new, 0)            \
    X(sk_conn_free, 1) X(sk_conn_sethandlers, 1) X(sk_conn_setresolver, 1)  \
    X(sk_conn_settimeout, 1) X(sk_conn_gettimeout, 1)                       \
    X(sk_conn_setreadlimit, 1) X(sk_conn_connect, 1) X(sk_conn_bind, 1)     \
    X(sk_conn_bind_async, 1) X(sk_conn_disconnect, 1) X(sk_conn_abort, 1)   \
    X(sk_conn_write, 1) X(sk_conn_read, 1) X(sk_conn_read_line, 1)          \
    X(sk_conn_read_all, 1) X(sk_conn_state, 1) X(sk_conn_error, 1)          \
    X(sk_conn_valid, 1) X(sk_conn_bytes_available, 1)                       \
    X(sk_conn_bytes_to_write, 1) X(sk_conn_local, 1) X(sk_conn_remote, 1)   \
    X(sk_conn_sock, 1) X(sk_server_new, 0) X(sk_server_listen, 1)           \
    X(sk_server_sock, 1) X(sk_server_close, 1) X(sk_server_free, 1)       \
    X(sk_server_getstats, 1)                                              \
    /* selector (sk_selector; the object of add / set / remove is the    \
     * sk_sock member) */                                                 \
    X(sk_selector_new, 0) X(sk_selector_new_backend, 0)                   \
    X(sk_selector_free, 0) X(sk_selector_backend, 0)                      \
    X(sk_selector_add, 1) X(sk_selector_set, 1) X(sk_selector_remove, 1)  \
    X(sk_selector_wait, 0)                                                \
    /* line views */                                                        \
    X(sk_receiveline, 1)                                                    \
    /* API 0.4: roles, user data, options, clocks */                        \
    X(sk_lastrole, 1) X(sk_setuserdata, 1) X(sk_getuserdata, 1)             \
    X(sk_optioninfo, 0) X(sk_gettime, 0) X(sk_monotime, 0) X(sk_sleep, 0)  \
    X(sk_write, 1) X(sk_readn, 1) X(sk_buf_reset, 0)                       \
    X(sk_joingroupif, 1) X(sk_leavegroupif, 1) X(sk_setmulticastif, 1) \
    /* TLS (contexts take no sk_sock) */                                    \
    X(sk_tls_provider, 0) X(sk_tls_ctx_new, 0) X(sk_tls_ctx_free, 0)        \
    X(sk_tls_ctx_set_verify, 0) X(sk_tls_ctx_set_ca_file, 0)                \
    X(sk_tls_ctx_set_ca_pem, 0) X(sk_tls_ctx_set_cert_file, 0)              \
    X(sk_tls_ctx_set_cert_pem, 0) X(sk_tls_ctx_set_alpn, 0)                 \
    X(sk_tls_ctx_set_min_version, 0) X(sk_tls_start, 1)                     \
    X(sk_tls_handshake, 1) X(sk_tls_listen, 1) X(sk_tls_get, 1)             \
    X(sk_tls_verified, 1) X(sk_tls_resumed, 1)                              \
    X(sk_conn_settls, 1)

enum api_fn {
#define FN_ENUM(name, obj) F_##name,
    SK_PUBLIC_FUNCS(FN_ENUM)
#undef FN_ENUM
    F_COUNT
};

/* Compile-time: the list has exactly the count found in the header. */
typedef char api_list_matches_header[(F_COUNT == SK_API_COUNT) ? 1 : -1];

typedef void (*any_fn)(void);
static const struct api_info {
    const char *name;
    int takes_object;
    any_fn addr; /* proves the name is a declared function */
} api[F_COUNT] = {
#define FN_INFO(name, obj) {#name, obj, (any_fn)name},
    SK_PUBLIC_FUNCS(FN_INFO)
#undef FN_INFO
};

/* ---- the fixture every row runs against ------------------------------- */

typedef struct fx {
    sk_sock *m4;     /* fresh sk_tcp4 master */
    sk_sock *md;     /* fresh dual-stack master (no socket yet) */
    sk_sock *bound;  /* sk_tcp4 master bound to 127.0.0.1:0 */
    sk_sock *srv;    /* listening server */
    sk_sock *cli;    /* connected client (sk_connect) */
    sk_sock *acc;    /* accepted client (sk_accept) */
    sk_sock *closed; /* the current after-close object */
    int port;        /* srv's port */
    sk_buf buf;      /* a valid empty buffer */
    sk_buf nodata;   /* data NULL with cap > 0 */
    sk_buf overlen;  /* len > cap */
    char store[16];
    char dst[16];
    char host255[256]; /* 255 bytes: allowed */
    char host256[257]; /* 256 bytes: too long */
    char host1000[1001];
    /* datagrams (UDP) */
    sk_sock *u4;     /* sk_udp4 bound to 127.0.0.1:0, no peer, timeout 0 */
    sk_sock *uc;     /* sk_udp4 whose peer is u4 */
    sk_sock *ud;     /* dual-stack sk_udp, no socket yet */
    int uport;       /* u4's port */
    size_t scratch;  /* a count nobody reads */
} fx;

static int str_is(const char *got, const char *want)
{
    return got != NULL && strcmp(got, want) == 0;
}

/* Rows for functions that return nothing: run them, report 0. */
static int free_null(void)
{
    sk_free(NULL);
    return 0;
}
static int free_closed(fx *f)
{
    sk_free(f->closed);
    f->closed = NULL;
    return 0;
}
static int buf_free_null(void)
{
    sk_buf_free(NULL);
    return 0;
}

/* sk_select over only the closed object (skipped). */
static int select_closed(fx *f, double timeout)
{
    sk_sock *ready[2];
    sk_sock *recvt[1];
    size_t nr = 9, nw = 9;
    recvt[0] = f->closed;
    return sk_select(recvt, 1, recvt, 1, timeout, ready, &nr, ready + 1,
                     &nw);
}

static int select_rows(fx *f, int which)
{
    sk_sock *ready[2] = {NULL, NULL};
    sk_sock *recvt[1];
    size_t nr = 9, nw = 9;
    int r;
    recvt[0] = f->acc;
    switch (which) {
    case 0: /* NULL recvt with a count */
        return sk_select(NULL, 1, NULL, 0, 0, ready, &nr, NULL, &nw);
    case 1: /* NULL readable with a count */
        return sk_select(recvt, 1, NULL, 0, 0, NULL, &nr, NULL, &nw);
    case 2: /* NULL sendt with a count */
        return sk_select(NULL, 0, NULL, 1, 0, NULL, &nr, ready, &nw);
    case 3: /* NULL nreadable */
        return sk_select(recvt, 1, NULL, 0, 0, ready, NULL, NULL, &nw);
    case 4: /* NULL nwritable with a count */
        return sk_select(NULL, 0, recvt, 1, 0, NULL, NULL, ready, NULL);
    case 9: /* empty send set: its arrays and count may all be NULL */
        r = sk_select(recvt, 1, NULL, 0, 0, ready, &nr, NULL, NULL);
        return r == 0 || r == SK_ETIMEOUT;
    case 10: /* empty receive set likewise */
        r = sk_select(NULL, 0, recvt, 1, 0, NULL, NULL, ready, &nw);
        return r == 0 && nw == 1 && ready[0] == f->acc;
    case 5: /* NaN timeout */
        return sk_select(recvt, 1, NULL, 0, NAN, ready, &nr, NULL, &nw);
    case 6: /* nothing to wait for, no timeout */
        return sk_select(NULL, 0, NULL, 0, -1, NULL, &nr, NULL, &nw);
    case 7: /* only NULL entries, no timeout */
        recvt[0] = NULL;
        return sk_select(recvt, 1, NULL, 0, -1, ready, &nr, NULL, &nw);
    case 20: /* the timeout rule (sk_settimeout): the entry is writable */
        return sk_select(NULL, 0, recvt, 1, HUGE_VAL, NULL, &nr, ready, &nw);
    case 21:
        return sk_select(NULL, 0, recvt, 1, -HUGE_VAL, NULL, &nr, ready,
                         &nw);
    case 22:
        return sk_select(NULL, 0, recvt, 1, 35.0 * 86400.0, NULL, &nr, ready,
                         &nw);
    case 23:
        return sk_select(NULL, 0, recvt, 1, 1e9 + 1, NULL, &nr, ready, &nw);
    case 24:
        return sk_select(NULL, 0, recvt, 1, 1e300, NULL, &nr, ready, &nw);
    default: /* counts whose sum overflows: never allocated */
        return sk_select(recvt, SIZE_MAX, recvt, SIZE_MAX, 0, ready, &nr,
                         ready, &nw);
    }
}

/* sk_settimeout on the master f->md under the timeout rule: its result,
 * or 12345 when a success does not read back as want; the master's
 * timeouts are put back to none afterwards. */
static int settm_row(fx *f, double v, char mode, double want)
{
    double b0 = -1, t0 = -1, b = 0, t = 0;
    int r;
    if (sk_gettimeout(f->md, &b0, &t0) != 0)
        return 12345;
    r = sk_settimeout(f->md, v, mode);
    if (r == 0 && (sk_gettimeout(f->md, &b, &t) != 0 ||
                   (mode == 'b' ? b : t) != want))
        r = 12345;
    (void)sk_settimeout(f->md, b0, 'b');
    (void)sk_settimeout(f->md, t0, 't');
    return r;
}

/* Receive into a temporary buffer, then release it. */
static int recv_tmp(sk_sock *s, int pattern, size_t n)
{
    sk_buf b = {NULL, 0, 0};
    int r = sk_receive(s, &b, pattern, n);
    sk_buf_free(&b);
    return r;
}

/* API 0.4 helpers. */
static int getoptname_tmp(sk_sock *s, const char *name)
{
    int v = 0;
    return sk_getoptname(s, name, &v);
}
static int getopt_is(sk_sock *s, int option, int want_rc, int want)
{
    int v = 12345, r = sk_getoption(s, option, &v);
    return r == want_rc && v == want;
}
static int linelimit_is(sk_sock *s, size_t max)
{
    size_t got = 0;
    int ok = sk_setlinelimit(s, max) == 0 &&
             sk_getlinelimit(s, &got) == 0 && got == max;
    (void)sk_setlinelimit(s, (size_t)1 << 20);
    return ok;
}
static int lastrole_closed(fx *f)
{
    int r = sk_lastrole(f->closed);
    return r >= SK_ROLE_MASTER && r <= SK_ROLE_CONNECTED &&
           r != SK_ROLE_CLOSED && sk_role(f->closed) == SK_ROLE_CLOSED;
}
static int optinfo_rc(int option)
{
    sk_optinfo info;
    return sk_optioninfo(option, &info);
}
static int monotime_order(void)
{
    double a = sk_monotime(), b = sk_monotime();
    return a >= 0 && b >= a;
}

/* sk_buf_reserve on a buffer whose len exceeds its cap. */
static int reserve_overlen(fx *f)
{
    return sk_buf_reserve(&f->overlen, 1);
}

#define OBJ 1    /* an after-close row: run once per closed object kind */
#define NUL 2    /* a NULL-object row */
#define ALT 4    /* want2 is also accepted (see the row) */
#define TLS 8    /* needs a TLS context: SK_EUNSUPPORTED in a build
                    without TLS (sk_tls_provider() NULL) */

typedef struct row {
    enum api_fn fn;
    const char *what;
    int flags;
    int want;
    int want2;
    int (*run)(fx *f);
} row;

/* ROW(id, function, what, flags, want, expression): one table row; the
 * expression sees the fixture as f. */
#define HOSTILE_ROWS(R)                                                     \
    /* -- errors and names: any int is fine -------------------------- */ \
    R(strerror_min, sk_strerror, "INT_MIN", 0, 1,                         \
      str_is(sk_strerror(INT_MIN), "unknown error"))                      \
    R(strerror_max, sk_strerror, "INT_MAX", 0, 1,                         \
      str_is(sk_strerror(INT_MAX), "unknown error"))                      \
    R(strerror_below, sk_strerror, "SK_ERROR_MIN - 1", 0, 1,              \
      str_is(sk_strerror(SK_ERROR_MIN - 1), "unknown error"))             \
    R(strerror_pos, sk_strerror, "1", 0, 1,                               \
      str_is(sk_strerror(1), "unknown error"))                            \
    R(errname_min, sk_errname, "INT_MIN", 0, 1,                           \
      str_is(sk_errname(INT_MIN), "SK_EUNKNOWN"))                         \
    R(errname_max, sk_errname, "INT_MAX", 0, 1,                           \
      str_is(sk_errname(INT_MAX), "SK_EUNKNOWN"))                         \
    R(errname_below, sk_errname, "SK_ERROR_MIN - 1", 0, 1,                \
      str_is(sk_errname(SK_ERROR_MIN - 1), "SK_EUNKNOWN"))                \
    /* -- constructors ------------------------------------------------ */ \
    R(tcp4_null, sk_tcp4, "NULL out", 0, SK_EINVAL, sk_tcp4(NULL))        \
    R(tcp6_null, sk_tcp6, "NULL out", 0, SK_EINVAL, sk_tcp6(NULL))        \
    R(tcp_null, sk_tcp, "NULL out", 0, SK_EINVAL, sk_tcp(NULL))           \
    /* -- close, free, role, syserror --------------------------------- */ \
    R(close_null, sk_close, "NULL", NUL, SK_EINVAL, sk_close(NULL))       \
    R(close_closed, sk_close, "closed (idempotent)", OBJ, 0,              \
      sk_close(f->closed))                                                \
    R(free_null, sk_free, "NULL (no-op)", NUL, 0, free_null())            \
    R(free_closed, sk_free, "closed", OBJ, 0, free_closed(f))             \
    R(role_null, sk_role, "NULL", NUL, SK_EINVAL, sk_role(NULL))          \
    R(lastrole_null, sk_lastrole, "NULL", NUL, SK_EINVAL,                 \
      sk_lastrole(NULL))                                                  \
    R(lastrole_closed, sk_lastrole, "closed: the role before, not CLOSED",\
      OBJ, 1, lastrole_closed(f))                                         \
    R(lastrole_srv, sk_lastrole, "a server: its role", 0, SK_ROLE_SERVER, \
      sk_lastrole(f->srv))                                                \
    R(setud_null, sk_setuserdata, "NULL", NUL, SK_EINVAL,                 \
      sk_setuserdata(NULL, f))                                            \
    R(setud_closed, sk_setuserdata, "closed: kept", OBJ, 1,               \
      sk_setuserdata(f->closed, f) == 0 &&                                \
          sk_getuserdata(f->closed) == (void *)f)                         \
    R(getud_null, sk_getuserdata, "NULL", NUL, 1,                         \
      sk_getuserdata(NULL) == NULL)                                       \
    R(getud_closed, sk_getuserdata, "closed, never set: NULL", OBJ, 1,    \
      sk_getuserdata(f->closed) == NULL)                                  \
    R(getud_acc, sk_getuserdata, "accepted client: NULL", 0, 1,           \
      sk_getuserdata(f->acc) == NULL)                                     \
    R(role_closed, sk_role, "closed", OBJ, SK_ROLE_CLOSED,                \
      sk_role(f->closed))                                                 \
    R(syserror_null, sk_syserror, "NULL", NUL, 0, sk_syserror(NULL))      \
    R(syserror_closed, sk_syserror, "closed: an int, no crash", OBJ, 1,   \
      sk_syserror(f->closed) == sk_syserror(f->closed))                   \
    /* -- bind --------------------------------------------------------- */\
    R(bind_null, sk_bind, "NULL object", NUL, SK_EINVAL,                  \
      sk_bind(NULL, "127.0.0.1", 0))                                      \
    R(bind_closed, sk_bind, "closed", OBJ, SK_ECLOSED,                    \
      sk_bind(f->closed, "127.0.0.1", 0))                                 \
    R(bind_nullhost, sk_bind, "NULL host", 0, SK_EINVAL,                  \
      sk_bind(f->m4, NULL, 0))                                            \
    R(bind_empty, sk_bind, "empty host", 0, SK_EINVAL,                    \
      sk_bind(f->m4, "", 0))                                              \
    R(bind_256, sk_bind, "256-byte host", 0, SK_EINVAL,                   \
      sk_bind(f->m4, f->host256, 0))                                      \
    R(bind_1000, sk_bind, "1000-byte host", 0, SK_EINVAL,                 \
      sk_bind(f->m4, f->host1000, 0))                                     \
    R(bind_256_dual, sk_bind, "256-byte host, dual-stack", 0, SK_EINVAL,  \
      sk_bind(f->md, f->host256, 0))                                      \
    R(bind_255, sk_bind, "255-byte host: allowed, not found", ALT,        \
      SK_EHOSTNOTFOUND, sk_bind(f->m4, f->host255, 0))                    \
    R(bind_m1, sk_bind, "port -1", 0, SK_EINVAL,                          \
      sk_bind(f->m4, "127.0.0.1", -1))                                    \
    R(bind_65536, sk_bind, "port 65536", 0, SK_EINVAL,                    \
      sk_bind(f->m4, "127.0.0.1", 65536))                                 \
    R(bind_intmin, sk_bind, "port INT_MIN", 0, SK_EINVAL,                 \
      sk_bind(f->m4, "127.0.0.1", INT_MIN))                               \
    R(bind_intmax, sk_bind, "port INT_MAX", 0, SK_EINVAL,                 \
      sk_bind(f->m4, "127.0.0.1", INT_MAX))                               \
    R(bind_dual_intmin, sk_bind, "dual-stack, port INT_MIN", 0,           \
      SK_EINVAL, sk_bind(f->md, "*", INT_MIN))                            \
    R(bind_dual_intmax, sk_bind, "dual-stack, port INT_MAX", 0,           \
      SK_EINVAL, sk_bind(f->md, "*", INT_MAX))                            \
    R(bind_bound, sk_bind, "already bound", 0, SK_EWRONGROLE,             \
      sk_bind(f->bound, "127.0.0.1", 0))                                  \
    R(bind_server, sk_bind, "on a server", 0, SK_EWRONGROLE,              \
      sk_bind(f->srv, "127.0.0.1", 0))                                    \
    R(bind_client, sk_bind, "on a client", 0, SK_EWRONGROLE,              \
      sk_bind(f->cli, "127.0.0.1", 0))                                    \
    R(bind_accepted, sk_bind, "on an accepted client", 0, SK_EWRONGROLE,  \
      sk_bind(f->acc, "127.0.0.1", 0))                                    \
    /* -- listen ------------------------------------------------------- */\
    R(listen_null, sk_listen, "NULL object", NUL, SK_EINVAL,              \
      sk_listen(NULL, 1))                                                 \
    R(listen_closed, sk_listen, "closed", OBJ, SK_ECLOSED,                \
      sk_listen(f->closed, 1))                                            \
    R(listen_server, sk_listen, "on a server", 0, SK_EWRONGROLE,          \
      sk_listen(f->srv, 1))                                               \
    R(listen_client, sk_listen, "on a client", 0, SK_EWRONGROLE,          \
      sk_listen(f->cli, 1))                                               \
    R(listen_accepted, sk_listen, "on an accepted client", 0,             \
      SK_EWRONGROLE, sk_listen(f->acc, 1))                                \
    R(listen_intmin, sk_listen, "backlog INT_MIN (passed as 0)", 0, 0,    \
      sk_listen(f->bound, INT_MIN))                                       \
    R(listen_intmax, sk_listen, "backlog INT_MAX", 0, 0,                  \
      sk_listen(f->bound, INT_MAX))                                       \
    /* -- connect ------------------------------------------------------ */\
    R(connect_null, sk_connect, "NULL object", NUL, SK_EINVAL,            \
      sk_connect(NULL, "127.0.0.1", f->port))                             \
    R(connect_closed, sk_connect, "closed", OBJ, SK_ECLOSED,              \
      sk_connect(f->closed, "127.0.0.1", f->port))                        \
    R(connect_nullhost, sk_connect, "NULL host", 0, SK_EINVAL,            \
      sk_connect(f->m4, NULL, f->port))                                   \
    R(connect_empty, sk_connect, "empty host", 0, SK_EINVAL,              \
      sk_connect(f->m4, "", f->port))                                     \
    R(connect_star, sk_connect, "host \"*\" names no one", 0, SK_EINVAL,  \
      sk_connect(f->md, "*", f->port))                                    \
    R(connect_256, sk_connect, "256-byte host", 0, SK_EINVAL,             \
      sk_connect(f->m4, f->host256, f->port))                             \
    R(connect_256_dual, sk_connect, "256-byte host, dual-stack", 0,       \
      SK_EINVAL, sk_connect(f->md, f->host256, f->port))                  \
    R(connect_1000, sk_connect, "1000-byte host", 0, SK_EINVAL,           \
      sk_connect(f->m4, f->host1000, f->port))                            \
    R(connect_255, sk_connect, "255-byte host: allowed, not found", ALT,  \
      SK_EHOSTNOTFOUND, sk_connect(f->m4, f->host255, f->port))           \
    R(connect_0, sk_connect, "port 0", 0, SK_EINVAL,                      \
      sk_connect(f->m4, "127.0.0.1", 0))                                  \
    R(connect_m1, sk_connect, "port -1", 0, SK_EINVAL,                    \
      sk_connect(f->m4, "127.0.0.1", -1))                                 \
    R(connect_65536, sk_connect, "port 65536", 0, SK_EINVAL,              \
      sk_connect(f->m4, "127.0.0.1", 65536))                              \
    R(connect_intmin, sk_connect, "port INT_MIN", 0, SK_EINVAL,           \
      sk_connect(f->m4, "127.0.0.1", INT_MIN))                            \
    R(connect_intmax, sk_connect, "port INT_MAX", 0, SK_EINVAL,           \
      sk_connect(f->m4, "127.0.0.1", INT_MAX))                            \
    R(connect_dual_0, sk_connect, "dual-stack, port 0", 0, SK_EINVAL,     \
      sk_connect(f->md, "127.0.0.1", 0))                                  \
    R(connect_dual_intmin, sk_connect, "dual-stack, port INT_MIN", 0,     \
      SK_EINVAL, sk_connect(f->md, "127.0.0.1", INT_MIN))                 \
    R(connect_server, sk_connect, "on a server", 0, SK_EWRONGROLE,        \
      sk_connect(f->srv, "127.0.0.1", f->port))                           \
    R(connect_client, sk_connect, "on a client", 0, SK_EWRONGROLE,        \
      sk_connect(f->cli, "127.0.0.1", f->port))                           \
    R(connect_accepted, sk_connect, "on an accepted client", 0,           \
      SK_EWRONGROLE, sk_connect(f->acc, "127.0.0.1", f->port))            \
    /* -- accept ------------------------------------------------------- */\
    R(accept_null, sk_accept, "NULL object", NUL, SK_EINVAL,              \
      accept_on(NULL))                                  \
    R(accept_closed, sk_accept, "closed", OBJ, SK_ECLOSED,                \
      accept_on(f->closed))                                 \
    R(accept_nullout, sk_accept, "NULL client out", 0, SK_EINVAL,         \
      sk_accept(f->srv, NULL, NULL))                                      \
    R(accept_master, sk_accept, "on a master", 0, SK_EWRONGROLE,          \
      accept_on(f->m4))                                                   \
    R(accept_dual, sk_accept, "on a dual-stack master", 0, SK_EWRONGROLE, \
      accept_on(f->md))                                                   \
    R(accept_bound, sk_accept, "on a bound master", 0, SK_EWRONGROLE,     \
      accept_on(f->bound))                                                \
    R(accept_client, sk_accept, "on a client", 0, SK_EWRONGROLE,          \
      accept_on(f->cli))                                                  \
    R(accept_accepted, sk_accept, "on an accepted client", 0,             \
      SK_EWRONGROLE, accept_on(f->acc))                                   \
    /* -- send --------------------------------------------------------- */\
    R(send_null, sk_send, "NULL object", NUL, SK_EINVAL,                  \
      sk_send(NULL, "abc", 3, 1, -1, NULL))                               \
    R(send_closed, sk_send, "closed", OBJ, SK_ECLOSED,                    \
      sk_send(f->closed, "abc", 3, 1, -1, NULL))                          \
    R(send_nulldata, sk_send, "NULL data, len 3", 0, SK_EINVAL,           \
      sk_send(f->cli, NULL, 3, 1, -1, NULL))                              \
    R(send_nulldata0, sk_send, "NULL data, len 0 (empty slice)", 0, 0,    \
      sk_send(f->cli, NULL, 0, 1, -1, NULL))                              \
    R(send_huge, sk_send, "len PTRDIFF_MAX + 1", 0, SK_EINVAL,            \
      sk_send(f->cli, f->store, (size_t)PTRDIFF_MAX + 1, 1, -1, NULL))    \
    R(send_sizemax, sk_send, "len SIZE_MAX", 0, SK_EINVAL,                \
      sk_send(f->cli, f->store, SIZE_MAX, 1, -1, NULL))                   \
    R(send_empty_slice, sk_send, "i PTRDIFF_MAX (empty slice)", 0, 0,     \
      sk_send(f->cli, "abc", 3, PTRDIFF_MAX, PTRDIFF_MAX, NULL))          \
    R(send_master, sk_send, "on a master", 0, SK_EWRONGROLE,              \
      sk_send(f->m4, "abc", 3, 1, -1, NULL))                              \
    R(send_dual, sk_send, "on a dual-stack master", 0, SK_EWRONGROLE,     \
      sk_send(f->md, "abc", 3, 1, -1, NULL))                              \
    R(send_bound, sk_send, "on a bound master", 0, SK_EWRONGROLE,         \
      sk_send(f->bound, "abc", 3, 1, -1, NULL))                           \
    R(send_server, sk_send, "on a server", 0, SK_EWRONGROLE,              \
      sk_send(f->srv, "abc", 3, 1, -1, NULL))                             \
    /* -- write ------------------------------------------------------- */ \
    R(write_null, sk_write, "NULL object", NUL, SK_EINVAL,                \
      write_rc(NULL, "abc", 3))                                           \
    R(write_closed, sk_write, "closed", OBJ, SK_ECLOSED,                  \
      write_rc(f->closed, "abc", 3))                                      \
    R(write_closed_nulldata, sk_write, "closed, NULL data: object first", \
      OBJ, SK_ECLOSED, write_rc(f->closed, NULL, 3))                      \
    R(write_nulldata, sk_write, "NULL data, len 3", 0, SK_EINVAL,         \
      write_rc(f->cli, NULL, 3))                                          \
    R(write_nulldata0, sk_write, "NULL data, len 0", 0, 0,                \
      write_rc(f->cli, NULL, 0))                                          \
    R(write_nullsent, sk_write, "NULL sent (allowed), len 0", 0, 0,       \
      sk_write(f->cli, "abc", 0, NULL))                                   \
    R(write_master, sk_write, "on a master", 0, SK_EWRONGROLE,            \
      write_rc(f->m4, "abc", 3))                                          \
    R(write_dual, sk_write, "on a dual-stack master", 0, SK_EWRONGROLE,   \
      write_rc(f->md, "abc", 3))                                          \
    R(write_server, sk_write, "on a server", 0, SK_EWRONGROLE,            \
      write_rc(f->srv, "abc", 3))                                         \
    R(write_udp, sk_write, "on a datagram object", 0, SK_EWRONGROLE,      \
      write_rc(f->u4, "abc", 3))                                          \
    /* -- readn ------------------------------------------------------- */ \
    R(readn_null, sk_readn, "NULL object", NUL, SK_EINVAL,                \
      readn_rc(f, NULL, 4))                                               \
    R(readn_closed, sk_readn, "closed", OBJ, SK_ECLOSED,                  \
      readn_rc(f, f->closed, 4))                                          \
    R(readn_nullgot, sk_readn, "NULL got", 0, SK_EINVAL,                  \
      sk_readn(f->acc, f->dst, 4, NULL))                                  \
    R(readn_nulldst, sk_readn, "NULL dst, n 4", 0, SK_EINVAL,             \
      sk_readn(f->acc, NULL, 4, &f->buf.len))                             \
    R(readn_zero, sk_readn, "n 0, NULL dst: 0 at once", 0, 0,             \
      readn_rc(f, f->acc, 0))                                             \
    R(readn_master, sk_readn, "on a master", 0, SK_EWRONGROLE,            \
      readn_rc(f, f->m4, 4))                                              \
    R(readn_server, sk_readn, "on a server", 0, SK_EWRONGROLE,            \
      readn_rc(f, f->srv, 4))                                             \
    R(readn_udp, sk_readn, "on a datagram object", 0, SK_EWRONGROLE,      \
      readn_rc(f, f->u4, 4))                                              \
    /* -- buffers ------------------------------------------------------ */\
    R(reserve_null, sk_buf_reserve, "NULL", 0, SK_EINVAL,                 \
      sk_buf_reserve(NULL, 1))                                            \
    R(reserve_overlen, sk_buf_reserve, "len > cap", 0, SK_EINVAL,         \
      reserve_overlen(f))                                                 \
    R(buf_free_null, sk_buf_free, "NULL (no-op)", 0, 0, buf_free_null())  \
    R(buf_reset_null, sk_buf_reset, "NULL (no-op)", 0, 1,                 \
      (sk_buf_reset(NULL), 1))                                            \
    R(buf_reset_keep, sk_buf_reset, "keeps memory, empty C string", 0, 1, \
      buf_reset_row())                                                    \
    /* -- receive ------------------------------------------------------ */\
    R(receive_null, sk_receive, "NULL object", NUL, SK_EINVAL,            \
      sk_receive(NULL, &f->buf, SK_LINE, 0))                              \
    R(receive_closed, sk_receive, "closed", OBJ, SK_ECLOSED,              \
      sk_receive(f->closed, &f->buf, SK_LINE, 0))                         \
    R(receive_nullbuf, sk_receive, "NULL buffer", 0, SK_EINVAL,           \
      sk_receive(f->acc, NULL, SK_SOME, 0))                               \
    R(receive_nodata, sk_receive, "data NULL, cap 8", 0, SK_EINVAL,       \
      sk_receive(f->acc, &f->nodata, SK_SOME, 0))                         \
    R(receive_overlen, sk_receive, "len > cap", 0, SK_EINVAL,             \
      sk_receive(f->acc, &f->overlen, SK_SOME, 0))                        \
    R(receive_pat_m1, sk_receive, "pattern -1", 0, SK_EINVAL,             \
      recv_tmp(f->acc, -1, 0))                                            \
    R(receive_pat_4, sk_receive, "pattern 4", 0, SK_EINVAL,               \
      recv_tmp(f->acc, SK_SOME + 1, 0))                                   \
    R(receive_pat_min, sk_receive, "pattern INT_MIN", 0, SK_EINVAL,       \
      recv_tmp(f->acc, INT_MIN, 0))                                       \
    R(receive_pat_max, sk_receive, "pattern INT_MAX", 0, SK_EINVAL,       \
      recv_tmp(f->acc, INT_MAX, 0))                                       \
    R(receive_bytes0, sk_receive, "SK_BYTES n 0 returns at once", 0, 0,   \
      recv_tmp(f->acc, SK_BYTES, 0))                                      \
    R(receive_master, sk_receive, "on a master", 0, SK_EWRONGROLE,        \
      recv_tmp(f->m4, SK_SOME, 0))                                        \
    R(receive_dual, sk_receive, "on a dual-stack master", 0,              \
      SK_EWRONGROLE, recv_tmp(f->md, SK_SOME, 0))                         \
    R(receive_bound, sk_receive, "on a bound master", 0, SK_EWRONGROLE,   \
      recv_tmp(f->bound, SK_SOME, 0))                                     \
    R(receive_server, sk_receive, "on a server", 0, SK_EWRONGROLE,        \
      recv_tmp(f->srv, SK_SOME, 0))                                       \
    /* -- read --------------------------------------------------------- */\
    R(read_null, sk_read, "NULL object", NUL, SK_EINVAL,                  \
      read_into(f, NULL, 4))                                              \
    R(read_closed, sk_read, "closed", OBJ, SK_ECLOSED,                    \
      read_into(f, f->closed, 4))                                         \
    R(read_nulldst, sk_read, "NULL dst", 0, SK_EINVAL,                    \
      sk_read(f->acc, NULL, 4, &f->buf.len))                              \
    R(read_nullgot, sk_read, "NULL got", 0, SK_EINVAL,                    \
      sk_read(f->acc, f->dst, 4, NULL))                                   \
    R(read_cap0, sk_read, "cap 0", 0, SK_EINVAL, read_into(f, f->acc, 0)) \
    R(read_master, sk_read, "on a master", 0, SK_EWRONGROLE,              \
      read_into(f, f->m4, 4))                                             \
    R(read_dual, sk_read, "on a dual-stack master", 0, SK_EWRONGROLE,     \
      read_into(f, f->md, 4))                                             \
    R(read_bound, sk_read, "on a bound master", 0, SK_EWRONGROLE,         \
      read_into(f, f->bound, 4))                                          \
    R(read_server, sk_read, "on a server", 0, SK_EWRONGROLE,              \
      read_into(f, f->srv, 4))                                            \
    /* -- line limit --------------------------------------------------- */\
    R(setll_null, sk_setlinelimit, "NULL", NUL, SK_EINVAL,                \
      sk_setlinelimit(NULL, 10))                                          \
    R(setll_closed, sk_setlinelimit, "closed", OBJ, SK_ECLOSED,           \
      sk_setlinelimit(f->closed, 10))                                     \
    R(setll_nolimit, sk_setlinelimit, "SK_LINE_NOLIMIT", 0, 1,            \
      linelimit_is(f->acc, SK_LINE_NOLIMIT))                              \
    R(setll_zero, sk_setlinelimit, "0", 0, SK_EINVAL,                     \
      sk_setlinelimit(f->acc, 0))                                         \
    R(setll_zero_srv, sk_setlinelimit, "0 on a server", 0, SK_EINVAL,     \
      sk_setlinelimit(f->srv, 0))                                         \
    R(getll_null, sk_getlinelimit, "NULL object", NUL, SK_EINVAL,         \
      sk_getlinelimit(NULL, &f->buf.len))                                 \
    R(getll_closed, sk_getlinelimit, "closed", OBJ, SK_ECLOSED,           \
      sk_getlinelimit(f->closed, &f->buf.len))                            \
    R(getll_nullout, sk_getlinelimit, "NULL out", 0, SK_EINVAL,           \
      sk_getlinelimit(f->acc, NULL))                                      \
    R(dirty_null, sk_dirty, "NULL", NUL, 0, sk_dirty(NULL))               \
    R(dirty_closed, sk_dirty, "closed", OBJ, 0, sk_dirty(f->closed))      \
    /* -- timeouts ----------------------------------------------------- */\
    R(settm_null, sk_settimeout, "NULL", NUL, SK_EINVAL,                  \
      sk_settimeout(NULL, 1, 'b'))                                        \
    R(settm_closed, sk_settimeout, "closed", OBJ, SK_ECLOSED,             \
      sk_settimeout(f->closed, 1, 'b'))                                   \
    R(settm_mode_x, sk_settimeout, "mode 'x'", 0, SK_EINVAL,              \
      sk_settimeout(f->acc, 1, 'x'))                                      \
    R(settm_mode_nul, sk_settimeout, "mode '\\0'", 0, SK_EINVAL,          \
      sk_settimeout(f->acc, 1, '\0'))                                     \
    R(settm_mode_B, sk_settimeout, "mode 'B'", 0, SK_EINVAL,              \
      sk_settimeout(f->acc, 1, 'B'))                                      \
    R(settm_mode_m1, sk_settimeout, "mode (char)-1", 0, SK_EINVAL,        \
      sk_settimeout(f->acc, 1, (char)-1))                                 \
    R(settm_nan_b, sk_settimeout, "NaN block", 0, SK_EINVAL,              \
      sk_settimeout(f->acc, NAN, 'b'))                                    \
    R(settm_nan_t, sk_settimeout, "NaN total", 0, SK_EINVAL,              \
      sk_settimeout(f->srv, NAN, 't'))                                    \
    R(settm_nan_m, sk_settimeout, "NaN on a master", 0, SK_EINVAL,        \
      sk_settimeout(f->md, -NAN, 'b'))                                    \
    R(settm_inf, sk_settimeout, "+inf: no limit", 0, 0,                   \
      settm_row(f, HUGE_VAL, 'b', -1))                                    \
    R(settm_neginf, sk_settimeout, "-inf: no limit", 0, 0,                \
      settm_row(f, -HUGE_VAL, 't', -1))                                   \
    R(settm_35d, sk_settimeout, "35 days: kept, no cap", 0, 0,            \
      settm_row(f, 35.0 * 86400.0, 'b', 35.0 * 86400.0))                  \
    R(settm_max, sk_settimeout, "1e9 s: kept", 0, 0,                      \
      settm_row(f, 1e9, 't', 1e9))                                        \
    R(settm_big, sk_settimeout, "1e9 + 1 s", 0, SK_EINVAL,                \
      settm_row(f, 1e9 + 1, 'b', 0))                                      \
    R(settm_huge, sk_settimeout, "1e300 s", 0, SK_EINVAL,                 \
      settm_row(f, 1e300, 't', 0))                                        \
    R(gettm_null, sk_gettimeout, "NULL object", NUL, SK_EINVAL,           \
      sk_gettimeout(NULL, NULL, NULL))                                    \
    R(gettm_closed, sk_gettimeout, "closed", OBJ, SK_ECLOSED,             \
      sk_gettimeout(f->closed, NULL, NULL))                               \
    R(gettm_nullouts, sk_gettimeout, "both outs NULL (allowed)", 0, 0,    \
      sk_gettimeout(f->acc, NULL, NULL))                                  \
    /* -- options ------------------------------------------------------ */\
    R(optid_null, sk_optionid, "NULL", 0, SK_EINVAL, sk_optionid(NULL))   \
    R(optid_empty, sk_optionid, "\"\"", 0, SK_EINVAL, sk_optionid(""))    \
    R(optid_case, sk_optionid, "\"KEEPALIVE\"", 0, SK_EINVAL,             \
      sk_optionid("KEEPALIVE"))                                           \
    R(optid_space, sk_optionid, "\"keepalive \"", 0, SK_EINVAL,           \
      sk_optionid("keepalive "))                                          \
    R(optid_prefix, sk_optionid, "\"keep\"", 0, SK_EINVAL,                \
      sk_optionid("keep"))                                                \
    R(optinfo_nullout, sk_optioninfo, "NULL out", 0, SK_EINVAL,           \
      sk_optioninfo(0, NULL))                                             \
    R(optinfo_count, sk_optioninfo, "SK_OPT_COUNT", 0, SK_EINVAL,         \
      optinfo_rc(SK_OPT_COUNT))                                           \
    R(optinfo_m1, sk_optioninfo, "-1", 0, SK_EINVAL, optinfo_rc(-1))      \
    R(optinfo_min, sk_optioninfo, "INT_MIN", 0, SK_EINVAL,                \
      optinfo_rc(INT_MIN))                                                \
    R(optinfo_max, sk_optioninfo, "INT_MAX", 0, SK_EINVAL,                \
      optinfo_rc(INT_MAX))                                                \
    R(optinfo_last, sk_optioninfo, "SK_OPT_COUNT - 1", 0, 0,              \
      optinfo_rc(SK_OPT_COUNT - 1))                                       \
    /* -- clocks and sleeping ----------------------------------------- */ \
    R(gettime_sane, sk_gettime, "after 2020, finite", 0, 1,               \
      sk_gettime() > 1.5e9 && sk_gettime() < 1e11)                        \
    R(monotime_order, sk_monotime, "never goes back", 0, 1,               \
      monotime_order())                                                   \
    R(sleep_nan, sk_sleep, "NaN", 0, SK_EINVAL, sk_sleep(NAN))            \
    R(sleep_inf, sk_sleep, "+infinity", 0, SK_EINVAL, sk_sleep(INFINITY)) \
    R(sleep_big, sk_sleep, "1e9 + 1 s", 0, SK_EINVAL, sk_sleep(1e9 + 1))  \
    R(sleep_dblmax, sk_sleep, "DBL_MAX", 0, SK_EINVAL, sk_sleep(DBL_MAX)) \
    R(sleep_neg, sk_sleep, "-1: at once", 0, 0, sk_sleep(-1))             \
    R(sleep_neginf, sk_sleep, "-infinity: at once", 0, 0,                 \
      sk_sleep(-INFINITY))                                                \
    R(sleep_zero, sk_sleep, "0: at once", 0, 0, sk_sleep(0))              \
    R(sleep_tiny, sk_sleep, "1e-300: at once", 0, 0, sk_sleep(1e-300))    \
    R(optname_count, sk_optionname, "SK_OPT_COUNT", 0, 1,                 \
      sk_optionname(SK_OPT_COUNT) == NULL)                                \
    R(optname_m1, sk_optionname, "-1", 0, 1, sk_optionname(-1) == NULL)   \
    R(optname_min, sk_optionname, "INT_MIN", 0, 1,                        \
      sk_optionname(INT_MIN) == NULL)                                     \
    R(optname_max, sk_optionname, "INT_MAX", 0, 1,                        \
      sk_optionname(INT_MAX) == NULL)                                     \
    R(setopt_null, sk_setoption, "NULL", NUL, SK_EINVAL,                  \
      sk_setoption(NULL, SK_OPT_KEEPALIVE, 1))                            \
    R(setopt_closed, sk_setoption, "closed", OBJ, SK_ECLOSED,             \
      sk_setoption(f->closed, SK_OPT_KEEPALIVE, 1))                       \
    R(setopt_count, sk_setoption, "SK_OPT_COUNT", 0, SK_EINVAL,           \
      sk_setoption(f->acc, SK_OPT_COUNT, 1))                              \
    R(setopt_m1, sk_setoption, "option -1", 0, SK_EINVAL,                 \
      sk_setoption(f->acc, -1, 1))                                        \
    R(setopt_min, sk_setoption, "option INT_MIN", 0, SK_EINVAL,           \
      sk_setoption(f->acc, INT_MIN, 1))                                   \
    R(setopt_max_dual, sk_setoption, "option INT_MAX, dual master", 0,    \
      SK_EINVAL, sk_setoption(f->md, INT_MAX, 1))                         \
    R(setopt_bool2, sk_setoption, "keepalive 2", 0, SK_EINVAL,            \
      sk_setoption(f->acc, SK_OPT_KEEPALIVE, 2))                          \
    R(setopt_boolm1, sk_setoption, "tcp-nodelay -1", 0, SK_EINVAL,        \
      sk_setoption(f->acc, SK_OPT_TCP_NODELAY, -1))                       \
    R(setopt_bool_dual, sk_setoption, "reuseaddr 2, dual master", 0,      \
      SK_EINVAL, sk_setoption(f->md, SK_OPT_REUSEADDR, 2))                \
    R(setopt_cnt, sk_setoption, "tcp-keepcnt -1", 0, SK_EINVAL,           \
      sk_setoption(f->acc, SK_OPT_TCP_KEEPCNT, -1))                       \
    R(setopt_idle, sk_setoption, "tcp-keepidle INT_MIN", 0, SK_EINVAL,    \
      sk_setoption(f->acc, SK_OPT_TCP_KEEPIDLE, INT_MIN))                 \
    R(setopt_sndbuf, sk_setoption, "sndbuf -1", 0, SK_EINVAL,             \
      sk_setoption(f->acc, SK_OPT_SNDBUF, -1))                            \
    R(setopt_linger, sk_setoption, "linger -2", 0, SK_EINVAL,             \
      sk_setoption(f->acc, SK_OPT_LINGER, -2))                            \
    R(setopt_lingermin, sk_setoption, "linger INT_MIN", 0, SK_EINVAL,     \
      sk_setoption(f->m4, SK_OPT_LINGER, INT_MIN))                        \
    R(getopt_null, sk_getoption, "NULL object", NUL, SK_EINVAL,           \
      sk_getoption(NULL, SK_OPT_KEEPALIVE, &f->port))                     \
    R(getopt_closed, sk_getoption, "closed", OBJ, SK_ECLOSED,             \
      sk_getoption(f->closed, SK_OPT_KEEPALIVE, &f->port))                \
    R(getopt_nullout, sk_getoption, "NULL out", 0, SK_EINVAL,             \
      sk_getoption(f->acc, SK_OPT_KEEPALIVE, NULL))                       \
    R(getopt_count, sk_getoption, "SK_OPT_COUNT", 0, SK_EINVAL,           \
      sk_getoption(f->acc, SK_OPT_COUNT, &f->port))                       \
    R(getopt_m1, sk_getoption, "option -1", 0, SK_EINVAL,                 \
      sk_getoption(f->acc, -1, &f->port))                                 \
    R(getopt_dual_unset, sk_getoption, "dual master, never set", 0,       \
      SK_EWRONGROLE, sk_getoption(f->md, SK_OPT_KEEPALIVE, &f->port))     \
    R(setoptn_null, sk_setoptname, "NULL object", NUL, SK_EINVAL,         \
      sk_setoptname(NULL, "keepalive", 1))                                \
    R(setoptn_closed, sk_setoptname, "closed", OBJ, SK_ECLOSED,           \
      sk_setoptname(f->closed, "keepalive", 1))                           \
    R(setoptn_closed_bad, sk_setoptname, "closed, unknown name: object "  \
      "first", OBJ, SK_ECLOSED, sk_setoptname(f->closed, "nope", 1))      \
    R(setoptn_closed_null, sk_setoptname, "closed, NULL name", OBJ,       \
      SK_ECLOSED, sk_setoptname(f->closed, NULL, 1))                      \
    R(getoptn_closed_bad, sk_getoptname, "closed, unknown name: object "  \
      "first", OBJ, SK_ECLOSED, getoptname_tmp(f->closed, "nope"))        \
    R(setoptn_error, sk_setoptname, "\"error\" is read-only", 0,          \
      SK_EINVAL, sk_setoptname(f->acc, "error", 0))                       \
    R(getoptn_error, sk_getoptname, "\"error\" on a client: 0, none",     \
      0, 0, getoptname_tmp(f->acc, "error"))                              \
    R(setopt_error, sk_setoption, "SK_OPT_ERROR is read-only", 0,         \
      SK_EINVAL, sk_setoption(f->acc, SK_OPT_ERROR, 0))                   \
    R(setopt_error_dual, sk_setoption, "SK_OPT_ERROR, dual master", 0,    \
      SK_EINVAL, sk_setoption(f->md, SK_OPT_ERROR, 0))                    \
    R(getopt_error_dual, sk_getoption, "SK_OPT_ERROR, no socket: 0", 0,   \
      1, getopt_is(f->md, SK_OPT_ERROR, 0, 0))                            \
    R(getopt_error_udp, sk_getoption, "SK_OPT_ERROR, UDP: 0", 0, 1,       \
      getopt_is(f->u4, SK_OPT_ERROR, 0, 0))                               \
    R(getopt_error_null, sk_getoption, "SK_OPT_ERROR, NULL value", 0,     \
      SK_EINVAL, sk_getoption(f->acc, SK_OPT_ERROR, NULL))                \
    R(setoptn_nullname, sk_setoptname, "NULL name", 0, SK_EINVAL,         \
      sk_setoptname(f->acc, NULL, 1))                                     \
    R(setoptn_unknown, sk_setoptname, "unknown name", 0, SK_EINVAL,       \
      sk_setoptname(f->acc, "no-such-option", 1))                         \
    R(setoptn_empty, sk_setoptname, "empty name", 0, SK_EINVAL,           \
      sk_setoptname(f->acc, "", 1))                                       \
    R(setoptn_bool2, sk_setoptname, "keepalive 2", 0, SK_EINVAL,          \
      sk_setoptname(f->acc, "keepalive", 2))                              \
    R(setoptn_linger, sk_setoptname, "linger -2", 0, SK_EINVAL,           \
      sk_setoptname(f->acc, "linger", -2))                                \
    R(setoptn_cnt, sk_setoptname, "tcp-keepcnt -1", 0, SK_EINVAL,         \
      sk_setoptname(f->acc, "tcp-keepcnt", -1))                           \
    R(getoptn_null, sk_getoptname, "NULL object", NUL, SK_EINVAL,         \
      sk_getoptname(NULL, "keepalive", &f->port))                         \
    R(getoptn_closed, sk_getoptname, "closed", OBJ, SK_ECLOSED,           \
      sk_getoptname(f->closed, "keepalive", &f->port))                    \
    R(getoptn_nullname, sk_getoptname, "NULL name", 0, SK_EINVAL,         \
      sk_getoptname(f->acc, NULL, &f->port))                              \
    R(getoptn_unknown, sk_getoptname, "unknown name", 0, SK_EINVAL,       \
      sk_getoptname(f->acc, "no-such-option", &f->port))                  \
    R(getoptn_nullout, sk_getoptname, "NULL out", 0, SK_EINVAL,           \
      sk_getoptname(f->acc, "keepalive", NULL))                           \
    /* -- names -------------------------------------------------------- */\
    R(sockname_null, sk_getsockname, "NULL object", NUL, SK_EINVAL,       \
      name_of(NULL, 0))                                                   \
    R(sockname_closed, sk_getsockname, "closed", OBJ, SK_ECLOSED,         \
      name_of(f->closed, 0))                                              \
    R(sockname_nullout, sk_getsockname, "NULL out", 0, SK_EINVAL,         \
      sk_getsockname(f->acc, NULL))                                       \
    R(sockname_master, sk_getsockname, "unbound master", 0, SK_ENOTCONN,  \
      name_of(f->m4, 0))                                                  \
    R(sockname_dual, sk_getsockname, "dual master, no socket", 0,         \
      SK_ENOTCONN, name_of(f->md, 0))                                     \
    R(peername_null, sk_getpeername, "NULL object", NUL, SK_EINVAL,       \
      name_of(NULL, 1))                                                   \
    R(peername_closed, sk_getpeername, "closed", OBJ, SK_ECLOSED,         \
      name_of(f->closed, 1))                                              \
    R(peername_nullout, sk_getpeername, "NULL out", 0, SK_EINVAL,         \
      sk_getpeername(f->acc, NULL))                                       \
    R(peername_master, sk_getpeername, "on a master", 0, SK_EWRONGROLE,   \
      name_of(f->m4, 1))                                                  \
    R(peername_dual, sk_getpeername, "on a dual master", 0,               \
      SK_EWRONGROLE, name_of(f->md, 1))                                   \
    R(peername_bound, sk_getpeername, "on a bound master", 0,             \
      SK_EWRONGROLE, name_of(f->bound, 1))                                \
    R(peername_server, sk_getpeername, "on a server", 0, SK_EWRONGROLE,   \
      name_of(f->srv, 1))                                                 \
    /* -- shutdown ----------------------------------------------------- */\
    R(shut_null, sk_shutdown, "NULL", NUL, SK_EINVAL,                     \
      sk_shutdown(NULL, SK_SHUT_BOTH))                                    \
    R(shut_closed, sk_shutdown, "closed", OBJ, SK_ECLOSED,                \
      sk_shutdown(f->closed, SK_SHUT_BOTH))                               \
    R(shut_3, sk_shutdown, "how 3", 0, SK_EINVAL, sk_shutdown(f->acc, 3)) \
    R(shut_m1, sk_shutdown, "how -1", 0, SK_EINVAL,                       \
      sk_shutdown(f->acc, -1))                                            \
    R(shut_min, sk_shutdown, "how INT_MIN", 0, SK_EINVAL,                 \
      sk_shutdown(f->cli, INT_MIN))                                       \
    R(shut_max, sk_shutdown, "how INT_MAX", 0, SK_EINVAL,                 \
      sk_shutdown(f->cli, INT_MAX))                                       \
    R(shut_master, sk_shutdown, "on a master", 0, SK_EWRONGROLE,          \
      sk_shutdown(f->m4, SK_SHUT_BOTH))                                   \
    R(shut_dual, sk_shutdown, "on a dual master", 0, SK_EWRONGROLE,       \
      sk_shutdown(f->md, SK_SHUT_BOTH))                                   \
    R(shut_bound, sk_shutdown, "on a bound master", 0, SK_EWRONGROLE,     \
      sk_shutdown(f->bound, SK_SHUT_BOTH))                                \
    R(shut_server, sk_shutdown, "on a server", 0, SK_EWRONGROLE,          \
      sk_shutdown(f->srv, SK_SHUT_BOTH))                                  \
    /* -- handles ------------------------------------------------------ */\
    R(getfd_null, sk_getfd, "NULL", NUL, 1,                               \
      sk_getfd(NULL) == SK_FD_INVALID)                                    \
    R(getfd_closed, sk_getfd, "closed", OBJ, 1,                           \
      sk_getfd(f->closed) == SK_FD_INVALID)                               \
    R(getfd_dual, sk_getfd, "dual master, no socket", 0, 1,               \
      sk_getfd(f->md) == SK_FD_INVALID)                                   \
    R(setfd_null, sk_setfd, "NULL", NUL, SK_EINVAL,                       \
      sk_setfd(NULL, SK_FD_INVALID))                                      \
    R(setfd_closed, sk_setfd, "closed", OBJ, SK_ECLOSED,                  \
      sk_setfd(f->closed, SK_FD_INVALID))                                 \
    /* -- statistics --------------------------------------------------- */\
    R(getstats_null, sk_getstats, "NULL object", NUL, SK_EINVAL,          \
      sk_getstats(NULL, NULL, NULL, NULL))                                \
    R(getstats_closed, sk_getstats, "closed", OBJ, SK_ECLOSED,            \
      sk_getstats(f->closed, NULL, NULL, NULL))                           \
    R(getstats_nullouts, sk_getstats, "all outs NULL (allowed)", 0, 0,    \
      sk_getstats(f->acc, NULL, NULL, NULL))                              \
    R(setstats_null, sk_setstats, "NULL", NUL, SK_EINVAL,                 \
      sk_setstats(NULL, 0, 0, 0))                                         \
    R(setstats_closed, sk_setstats, "closed", OBJ, SK_ECLOSED,            \
      sk_setstats(f->closed, 0, 0, 0))                                    \
    R(setstats_neg, sk_setstats, "age -1", 0, SK_EINVAL,                  \
      sk_setstats(f->acc, 0, 0, -1))                                      \
    R(setstats_tiny, sk_setstats, "age -1e-300", 0, SK_EINVAL,            \
      sk_setstats(f->acc, 0, 0, -1e-300))                                 \
    R(setstats_ninf, sk_setstats, "age -inf", 0, SK_EINVAL,               \
      sk_setstats(f->srv, 0, 0, -HUGE_VAL))                               \
    R(setstats_nan, sk_setstats, "age NaN", 0, SK_EINVAL,                 \
      sk_setstats(f->acc, 0, 0, NAN))                                     \
    R(setstats_nan_m, sk_setstats, "age NaN on a master", 0, SK_EINVAL,   \
      sk_setstats(f->m4, UINT64_MAX, UINT64_MAX, NAN))                    \
    /* -- select ------------------------------------------------------- */\
    R(select_closed_nowait, sk_select, "only closed entries, timeout 0",  \
      OBJ, SK_ETIMEOUT, select_closed(f, 0))                              \
    R(select_closed_forever, sk_select,                                   \
      "only closed entries, no timeout", OBJ, SK_EINVAL,                  \
      select_closed(f, -1))                                               \
    R(select_nullrecvt, sk_select, "NULL recvt, nrecv 1", NUL, SK_EINVAL, \
      select_rows(f, 0))                                                  \
    R(select_nullreadable, sk_select, "NULL readable, nrecv 1", 0,        \
      SK_EINVAL, select_rows(f, 1))                                       \
    R(select_nullsendt, sk_select, "NULL sendt, nsend 1", 0, SK_EINVAL,   \
      select_rows(f, 2))                                                  \
    R(select_nullnr, sk_select, "NULL nreadable", 0, SK_EINVAL,           \
      select_rows(f, 3))                                                  \
    R(select_nullnw, sk_select, "NULL nwritable, nsend 1", 0, SK_EINVAL,  \
      select_rows(f, 4))                                                  \
    R(select_nullnw0, sk_select, "NULL writable and nwritable, nsend 0",  \
      0, 1, select_rows(f, 9))                                            \
    R(select_nullnr0, sk_select, "NULL readable and nreadable, nrecv 0",  \
      0, 1, select_rows(f, 10))                                           \
    R(select_nan, sk_select, "NaN timeout", 0, SK_EINVAL,                 \
      select_rows(f, 5))                                                  \
    R(select_nothing, sk_select, "nothing, no timeout", 0, SK_EINVAL,     \
      select_rows(f, 6))                                                  \
    R(select_nullentries, sk_select, "only NULL entries, no timeout", 0,  \
      SK_EINVAL, select_rows(f, 7))                                       \
    R(select_overflow, sk_select, "nrecv + nsend overflow", 0,            \
      SK_ENORESOURCES, select_rows(f, 8))                                 \
    R(select_inf, sk_select, "+inf timeout, a writable entry", 0, 0,      \
      select_rows(f, 20))                                                  \
    R(select_neginf, sk_select, "-inf timeout, a writable entry", 0, 0,   \
      select_rows(f, 21))                                                 \
    R(select_35d, sk_select, "35-day timeout, a writable entry", 0, 0,    \
      select_rows(f, 22))                                                 \
    R(select_big, sk_select, "timeout 1e9 + 1 s", 0, SK_EINVAL,           \
      select_rows(f, 23))                                                 \
    R(select_huge, sk_select, "timeout 1e300 s", 0, SK_EINVAL,            \
      select_rows(f, 24))                                                 \
    /* -- state queries and blocking mode ------------------------------ */\
    R(getstate_null, sk_getstate, "NULL object", NUL, SK_EINVAL,          \
      state_rows(NULL, 0))                                                \
    R(getstate_nullout, sk_getstate, "NULL out", 0, SK_EINVAL,            \
      sk_getstate(f->acc, NULL))                                          \
    R(getstate_closed, sk_getstate, "closed: 0, closed 1, rest 0", OBJ,   \
      1, state_rows(f->closed, 1))                                        \
    R(getstate_dual, sk_getstate, "dual master: family unspec", 0, 1,     \
      state_rows(f->md, 2))                                               \
    R(setblk_null, sk_setblocking, "NULL", NUL, SK_EINVAL,                \
      sk_setblocking(NULL, 0))                                            \
    R(setblk_closed, sk_setblocking, "closed", OBJ, SK_ECLOSED,           \
      sk_setblocking(f->closed, 0))                                       \
    R(setblk_2, sk_setblocking, "2", 0, SK_EINVAL,                        \
      sk_setblocking(f->acc, 2))                                          \
    R(setblk_m1, sk_setblocking, "-1", 0, SK_EINVAL,                      \
      sk_setblocking(f->srv, -1))                                         \
    R(setblk_min, sk_setblocking, "INT_MIN", 0, SK_EINVAL,                \
      sk_setblocking(f->m4, INT_MIN))                                     \
    R(setblk_max, sk_setblocking, "INT_MAX, dual master", 0, SK_EINVAL,   \
      sk_setblocking(f->md, INT_MAX))                                     \
    R(setsopt_null, sk_setsockopt, "NULL object", NUL, SK_EINVAL,         \
      sk_setsockopt(NULL, "socket", "keepalive", 1))                      \
    R(setsopt_closed, sk_setsockopt, "closed", OBJ, SK_ECLOSED,           \
      sk_setsockopt(f->closed, "socket", "keepalive", 1))                 \
    R(setsopt_nulllevel, sk_setsockopt, "NULL level", 0, SK_EINVAL,       \
      sk_setsockopt(f->acc, NULL, "keepalive", 1))                        \
    R(setsopt_nullname, sk_setsockopt, "NULL name", 0, SK_EINVAL,         \
      sk_setsockopt(f->acc, "socket", NULL, 1))                           \
    R(setsopt_level, sk_setsockopt, "unknown level", 0, SK_EINVAL,        \
      sk_setsockopt(f->acc, "udp", "keepalive", 1))                       \
    R(setsopt_name, sk_setsockopt, "unknown name", 0, SK_EINVAL,          \
      sk_setsockopt(f->acc, "socket", "priority", 1))                     \
    R(setsopt_wrong, sk_setsockopt, "name of another level", 0,           \
      SK_EINVAL, sk_setsockopt(f->acc, "tcp", "keepalive", 1))            \
    R(setsopt_case, sk_setsockopt, "\"SOCKET\"", 0, SK_EINVAL,            \
      sk_setsockopt(f->acc, "SOCKET", "keepalive", 1))                    \
    R(setsopt_empty, sk_setsockopt, "empty level and name", 0, SK_EINVAL, \
      sk_setsockopt(f->md, "", "", 1))                                    \
    R(setsopt_bool2, sk_setsockopt, "keepalive 2", 0, SK_EINVAL,          \
      sk_setsockopt(f->acc, "socket", "keepalive", 2))                    \
    R(setsopt_linger, sk_setsockopt, "linger INT_MIN", 0, SK_EINVAL,      \
      sk_setsockopt(f->m4, "socket", "linger", INT_MIN))                  \
    R(getsopt_null, sk_getsockopt, "NULL object", NUL, SK_EINVAL,         \
      sk_getsockopt(NULL, "socket", "keepalive", &f->port))               \
    R(getsopt_closed, sk_getsockopt, "closed", OBJ, SK_ECLOSED,           \
      sk_getsockopt(f->closed, "socket", "keepalive", &f->port))          \
    R(getsopt_nullout, sk_getsockopt, "NULL out", 0, SK_EINVAL,           \
      sk_getsockopt(f->acc, "socket", "keepalive", NULL))                 \
    R(getsopt_nulllevel, sk_getsockopt, "NULL level", 0, SK_EINVAL,       \
      sk_getsockopt(f->acc, NULL, "keepalive", &f->port))                 \
    R(getsopt_nullname, sk_getsockopt, "NULL name", 0, SK_EINVAL,         \
      sk_getsockopt(f->acc, "tcp", NULL, &f->port))                       \
    R(getsopt_name, sk_getsockopt, "unknown name", 0, SK_EINVAL,          \
      sk_getsockopt(f->acc, "tcp", "keepalive", &f->port))                \
    R(getsopt_dual_unset, sk_getsockopt, "dual master, never set", 0,     \
      SK_EWRONGROLE, sk_getsockopt(f->md, "tcp", "nodelay", &f->port))  \
    /* -- datagrams (UDP) ---------------------------------------------- */\
    R(udp4_null, sk_udp4, "NULL out", 0, SK_EINVAL, sk_udp4(NULL))        \
    R(udp6_null, sk_udp6, "NULL out", 0, SK_EINVAL, sk_udp6(NULL))        \
    R(udp_null, sk_udp, "NULL out", 0, SK_EINVAL, sk_udp(NULL))           \
    R(peer_null, sk_setpeername, "NULL object", NUL, SK_EINVAL,           \
      sk_setpeername(NULL, "127.0.0.1", f->uport))                        \
    R(peer_closed, sk_setpeername, "closed", OBJ, SK_ECLOSED,             \
      sk_setpeername(f->closed, "127.0.0.1", f->uport))                   \
    R(peer_closed_any, sk_setpeername, "closed, \"*\"", OBJ, SK_ECLOSED,  \
      sk_setpeername(f->closed, "*", 0))                                  \
    R(peer_nullhost, sk_setpeername, "NULL host", 0, SK_EINVAL,           \
      sk_setpeername(f->u4, NULL, f->uport))                              \
    R(peer_empty, sk_setpeername, "empty host", 0, SK_EINVAL,             \
      sk_setpeername(f->u4, "", f->uport))                                \
    R(peer_256, sk_setpeername, "256-byte host", 0, SK_EINVAL,            \
      sk_setpeername(f->u4, f->host256, f->uport))                        \
    R(peer_1000_dual, sk_setpeername, "1000-byte host, dual-stack", 0,    \
      SK_EINVAL, sk_setpeername(f->ud, f->host1000, f->uport))            \
    R(peer_255, sk_setpeername, "255-byte host: allowed, not found", ALT, \
      SK_EHOSTNOTFOUND, sk_setpeername(f->u4, f->host255, f->uport))      \
    R(peer_0, sk_setpeername, "port 0", 0, SK_EINVAL,                     \
      sk_setpeername(f->u4, "127.0.0.1", 0))                              \
    R(peer_m1, sk_setpeername, "port -1", 0, SK_EINVAL,                   \
      sk_setpeername(f->u4, "127.0.0.1", -1))                             \
    R(peer_65536, sk_setpeername, "port 65536", 0, SK_EINVAL,             \
      sk_setpeername(f->uc, "127.0.0.1", 65536))                          \
    R(peer_intmin, sk_setpeername, "port INT_MIN", 0, SK_EINVAL,          \
      sk_setpeername(f->u4, "127.0.0.1", INT_MIN))                        \
    R(peer_intmax_dual, sk_setpeername, "dual-stack, port INT_MAX", 0,    \
      SK_EINVAL, sk_setpeername(f->ud, "127.0.0.1", INT_MAX))             \
    R(peer_any, sk_setpeername, "\"*\" without a peer: no-op", 0, 0,      \
      sk_setpeername(f->u4, "*", INT_MIN))                                \
    R(peer_any_dual, sk_setpeername, "\"*\", dual-stack, no socket", 0, 0, \
      sk_setpeername(f->ud, "*", 0))                                      \
    R(peer_master, sk_setpeername, "on a master", 0, SK_EWRONGROLE,       \
      sk_setpeername(f->m4, "127.0.0.1", f->uport))                       \
    R(peer_dual_master, sk_setpeername, "on a dual-stack master", 0,      \
      SK_EWRONGROLE, sk_setpeername(f->md, "*", 0))                       \
    R(peer_server, sk_setpeername, "on a server", 0, SK_EWRONGROLE,       \
      sk_setpeername(f->srv, "127.0.0.1", f->uport))                      \
    R(peer_client, sk_setpeername, "on a client", 0, SK_EWRONGROLE,       \
      sk_setpeername(f->cli, "*", 0))                                     \
    R(peer_accepted, sk_setpeername, "on an accepted client", 0,          \
      SK_EWRONGROLE, sk_setpeername(f->acc, "127.0.0.1", f->uport))       \
    R(sendto_null, sk_sendto, "NULL object", NUL, SK_EINVAL,              \
      sk_sendto(NULL, "a", 1, "127.0.0.1", f->uport))                     \
    R(sendto_closed, sk_sendto, "closed", OBJ, SK_ECLOSED,                \
      sk_sendto(f->closed, "a", 1, "127.0.0.1", f->uport))                \
    R(sendto_closed_peer, sk_sendto, "closed, host NULL", OBJ,            \
      SK_ECLOSED, sk_sendto(f->closed, "a", 1, NULL, 0))                  \
    R(sendto_nulldata, sk_sendto, "NULL data, len 3", 0, SK_EINVAL,       \
      sk_sendto(f->u4, NULL, 3, "127.0.0.1", f->uport))                   \
    R(sendto_nulldata0, sk_sendto, "NULL data, len 0 (empty datagram)",   \
      0, 0, sk_sendto(f->uc, NULL, 0, NULL, 0))                           \
    R(sendto_sizemax, sk_sendto, "len SIZE_MAX", 0, SK_EMSGSIZE,          \
      sk_sendto(f->uc, f->store, SIZE_MAX, NULL, 0))                      \
    R(sendto_huge, sk_sendto, "len PTRDIFF_MAX + 1", 0, SK_EMSGSIZE,      \
      sk_sendto(f->u4, f->store, (size_t)PTRDIFF_MAX + 1, "127.0.0.1",    \
                f->uport))                                                \
    R(sendto_port0, sk_sendto, "port 0", 0, SK_EINVAL,                    \
      sk_sendto(f->u4, "a", 1, "127.0.0.1", 0))                           \
    R(sendto_m1, sk_sendto, "port -1", 0, SK_EINVAL,                      \
      sk_sendto(f->u4, "a", 1, "127.0.0.1", -1))                          \
    R(sendto_65536, sk_sendto, "port 65536", 0, SK_EINVAL,                \
      sk_sendto(f->u4, "a", 1, "127.0.0.1", 65536))                       \
    R(sendto_intmax_dual, sk_sendto, "dual-stack, port INT_MAX", 0,       \
      SK_EINVAL, sk_sendto(f->ud, "a", 1, "127.0.0.1", INT_MAX))          \
    R(sendto_intmin, sk_sendto, "port INT_MIN", 0, SK_EINVAL,             \
      sk_sendto(f->u4, "a", 1, "127.0.0.1", INT_MIN))                     \
    R(sendto_empty, sk_sendto, "empty host", 0, SK_EINVAL,                \
      sk_sendto(f->u4, "a", 1, "", f->uport))                             \
    R(sendto_any, sk_sendto, "host \"*\"", 0, SK_EINVAL,                  \
      sk_sendto(f->u4, "a", 1, "*", f->uport))                            \
    R(sendto_256, sk_sendto, "256-byte host", 0, SK_EINVAL,               \
      sk_sendto(f->u4, "a", 1, f->host256, f->uport))                     \
    R(sendto_1000_dual, sk_sendto, "1000-byte host, dual-stack", 0,       \
      SK_EINVAL, sk_sendto(f->ud, "a", 1, f->host1000, f->uport))         \
    R(sendto_255, sk_sendto, "255-byte host: allowed, not found", ALT,    \
      SK_EHOSTNOTFOUND, sk_sendto(f->u4, "a", 1, f->host255, f->uport))   \
    R(sendto_nopeer, sk_sendto, "host NULL, no peer", 0, SK_ENOTCONN,     \
      sk_sendto(f->u4, "a", 1, NULL, 0))                                  \
    R(sendto_nopeer_dual, sk_sendto, "host NULL, dual-stack, no socket",  \
      0, SK_ENOTCONN, sk_sendto(f->ud, "a", 1, NULL, INT_MAX))            \
    R(sendto_isconn, sk_sendto, "host on an object with a peer", 0,       \
      SK_EISCONN, sk_sendto(f->uc, "a", 1, "127.0.0.1", f->uport))        \
    R(sendto_master, sk_sendto, "on a master", 0, SK_EWRONGROLE,          \
      sk_sendto(f->m4, "a", 1, "127.0.0.1", f->uport))                    \
    R(sendto_dual_master, sk_sendto, "on a dual-stack master", 0,         \
      SK_EWRONGROLE, sk_sendto(f->md, "a", 1, "127.0.0.1", f->uport))     \
    R(sendto_server, sk_sendto, "on a server", 0, SK_EWRONGROLE,          \
      sk_sendto(f->srv, "a", 1, NULL, 0))                                 \
    R(sendto_client, sk_sendto, "on a client", 0, SK_EWRONGROLE,          \
      sk_sendto(f->cli, "a", 1, NULL, 0))                                 \
    R(sendto_accepted, sk_sendto, "on an accepted client", 0,             \
      SK_EWRONGROLE, sk_sendto(f->acc, "a", 1, "127.0.0.1", f->uport))    \
    R(sendmany_null, sk_sendmany, "NULL object", NUL, SK_EINVAL,          \
      sendmany_row(NULL, 0, "127.0.0.1", f->uport))                       \
    R(sendmany_closed, sk_sendmany, "closed", OBJ, SK_ECLOSED,            \
      sendmany_row(f->closed, 0, "127.0.0.1", f->uport))                  \
    R(sendmany_nulld, sk_sendmany, "NULL d, n 1", 0, SK_EINVAL,           \
      sk_sendmany(f->u4, NULL, 1, NULL))                                  \
    R(sendmany_nulld_max, sk_sendmany, "NULL d, n SIZE_MAX", 0,           \
      SK_EINVAL, sk_sendmany(f->u4, NULL, SIZE_MAX, NULL))                \
    R(sendmany_nulld0, sk_sendmany, "NULL d, n 0 returns at once", 0, 0,  \
      sk_sendmany(f->u4, NULL, 0, NULL))                                  \
    R(sendmany_nulldata, sk_sendmany, "second datagram NULL data, len 1", \
      0, SK_EINVAL, sendmany_row(f->u4, 1, "127.0.0.1", f->uport))        \
    R(sendmany_sizemax, sk_sendmany, "len SIZE_MAX", 0, SK_EMSGSIZE,      \
      sendmany_row(f->uc, 2, NULL, 0))                                    \
    R(sendmany_port0, sk_sendmany, "port 0", 0, SK_EINVAL,                \
      sendmany_row(f->u4, 0, "127.0.0.1", 0))                             \
    R(sendmany_m1, sk_sendmany, "port -1", 0, SK_EINVAL,                  \
      sendmany_row(f->u4, 0, "127.0.0.1", -1))                            \
    R(sendmany_65536, sk_sendmany, "port 65536", 0, SK_EINVAL,            \
      sendmany_row(f->u4, 0, "127.0.0.1", 65536))                         \
    R(sendmany_intmin, sk_sendmany, "port INT_MIN", 0, SK_EINVAL,         \
      sendmany_row(f->u4, 0, "127.0.0.1", INT_MIN))                       \
    R(sendmany_empty, sk_sendmany, "empty host", 0, SK_EINVAL,            \
      sendmany_row(f->u4, 0, "", f->uport))                               \
    R(sendmany_any, sk_sendmany, "host \"*\"", 0, SK_EINVAL,              \
      sendmany_row(f->u4, 0, "*", f->uport))                              \
    R(sendmany_256, sk_sendmany, "256-byte host", 0, SK_EINVAL,           \
      sendmany_row(f->u4, 0, f->host256, f->uport))                       \
    R(sendmany_1000_dual, sk_sendmany, "1000-byte host, dual-stack", 0,   \
      SK_EINVAL, sendmany_row(f->ud, 0, f->host1000, f->uport))           \
    R(sendmany_nopeer, sk_sendmany, "host NULL, no peer", 0, SK_ENOTCONN, \
      sendmany_row(f->u4, 0, NULL, 0))                                    \
    R(sendmany_isconn, sk_sendmany, "host on an object with a peer", 0,   \
      SK_EISCONN, sendmany_row(f->uc, 0, "127.0.0.1", f->uport))          \
    R(sendmany_master, sk_sendmany, "on a master", 0, SK_EWRONGROLE,      \
      sendmany_row(f->m4, 0, "127.0.0.1", f->uport))                      \
    R(sendmany_server, sk_sendmany, "on a server", 0, SK_EWRONGROLE,      \
      sendmany_row(f->srv, 0, NULL, 0))                                   \
    R(sendmany_client, sk_sendmany, "on a client", 0, SK_EWRONGROLE,      \
      sendmany_row(f->cli, 0, NULL, 0))                                   \
    R(recvmany_null, sk_recvmany, "NULL object", NUL, SK_EINVAL,          \
      recvmany_row(NULL, 0))                                              \
    R(recvmany_closed, sk_recvmany, "closed", OBJ, SK_ECLOSED,            \
      recvmany_row(f->closed, 0))                                         \
    R(recvmany_nulld, sk_recvmany, "NULL d, n 1", 0, SK_EINVAL,           \
      sk_recvmany(f->u4, NULL, 1, &f->scratch))                           \
    R(recvmany_nulld_max, sk_recvmany, "NULL d, n SIZE_MAX", 0,           \
      SK_EINVAL, sk_recvmany(f->u4, NULL, SIZE_MAX, &f->scratch))         \
    R(recvmany_n0, sk_recvmany, "NULL d, n 0 returns at once", 0, 0,      \
      sk_recvmany(f->u4, NULL, 0, &f->scratch))                           \
    R(recvmany_nulldone, sk_recvmany, "NULL done", 0, SK_EINVAL,          \
      recvmany_row(f->u4, 2))                                             \
    R(recvmany_nulldata, sk_recvmany, "NULL data, len 4", 0, SK_EINVAL,   \
      recvmany_row(f->u4, 1))                                             \
    R(recvmany_none, sk_recvmany, "nothing there, timeout 0", 0,          \
      SK_ETIMEOUT, recvmany_row(f->u4, 0))                                \
    R(recvmany_unbound, sk_recvmany, "dual-stack, no socket", 0,          \
      SK_ENOTCONN, recvmany_row(f->ud, 0))                                \
    R(recvmany_master, sk_recvmany, "on a master", 0, SK_EWRONGROLE,      \
      recvmany_row(f->m4, 0))                                             \
    R(recvmany_client, sk_recvmany, "on a client", 0, SK_EWRONGROLE,      \
      recvmany_row(f->cli, 0))                                            \
    R(joinif_null, sk_joingroupif, "NULL object", NUL, SK_EINVAL,         \
      sk_joingroupif(NULL, "239.1.2.3", NULL))                            \
    R(joinif_closed, sk_joingroupif, "closed", OBJ, SK_ECLOSED,           \
      sk_joingroupif(f->closed, "239.1.2.3", NULL))                       \
    R(joinif_closed_bad, sk_joingroupif, "closed, bad iface: object "     \
      "first", OBJ, SK_ECLOSED, sk_joingroupif(f->closed, NULL, "x"))     \
    R(joinif_nullgroup, sk_joingroupif, "NULL group", 0, SK_EINVAL,       \
      sk_joingroupif(f->u4, NULL, NULL))                                  \
    R(joinif_256, sk_joingroupif, "256-byte group", 0, SK_EINVAL,         \
      sk_joingroupif(f->u4, f->host256, NULL))                            \
    R(joinif_iface256, sk_joingroupif, "256-byte iface", 0, SK_EINVAL,    \
      sk_joingroupif(f->u4, "239.1.2.3", f->host256))                     \
    R(joinif_name, sk_joingroupif, "iface a name", 0, SK_EINVAL,          \
      sk_joingroupif(f->u4, "239.1.2.3", "eth0"))                         \
    R(joinif_v6, sk_joingroupif, "iface an IPv6 address", 0,              \
      SK_EUNSUPPORTED, sk_joingroupif(f->u4, "239.1.2.3", "::1"))         \
    R(joinif_bigidx, sk_joingroupif, "index 10 digits", 0, SK_EINVAL,     \
      sk_joingroupif(f->u4, "239.1.2.3", "4294967296"))                   \
    R(joinif_client, sk_joingroupif, "on a client", 0, SK_EWRONGROLE,     \
      sk_joingroupif(f->cli, "239.1.2.3", NULL))                          \
    R(leaveif_null, sk_leavegroupif, "NULL object", NUL, SK_EINVAL,       \
      sk_leavegroupif(NULL, "239.1.2.3", NULL))                           \
    R(leaveif_closed, sk_leavegroupif, "closed", OBJ, SK_ECLOSED,         \
      sk_leavegroupif(f->closed, "239.1.2.3", NULL))                      \
    R(leaveif_name, sk_leavegroupif, "iface a name", 0, SK_EINVAL,        \
      sk_leavegroupif(f->u4, "239.1.2.3", "lo0"))                         \
    R(leaveif_server, sk_leavegroupif, "on a server", 0, SK_EWRONGROLE,   \
      sk_leavegroupif(f->srv, "239.1.2.3", NULL))                         \
    R(mcif_null, sk_setmulticastif, "NULL object", NUL, SK_EINVAL,        \
      sk_setmulticastif(NULL, NULL))                                      \
    R(mcif_closed, sk_setmulticastif, "closed", OBJ, SK_ECLOSED,          \
      sk_setmulticastif(f->closed, "x"))                                  \
    R(mcif_name, sk_setmulticastif, "a name", 0, SK_EINVAL,               \
      sk_setmulticastif(f->u4, "localhost"))                              \
    R(mcif_v6, sk_setmulticastif, "an IPv6 address", 0, SK_EUNSUPPORTED,  \
      sk_setmulticastif(f->u4, "::"))                                     \
    R(mcif_256, sk_setmulticastif, "256 bytes", 0, SK_EINVAL,             \
      sk_setmulticastif(f->u4, f->host256))                               \
    R(mcif_default, sk_setmulticastif, "NULL: the system's choice", 0, 0, \
      sk_setmulticastif(f->u4, NULL))                                     \
    R(mcif_client, sk_setmulticastif, "on a client", 0, SK_EWRONGROLE,    \
      sk_setmulticastif(f->cli, NULL))                                    \
    R(recvfrom_null, sk_recvfrom, "NULL object", NUL, SK_EINVAL,          \
      recvfrom_into(f, NULL, 4, 1))                                       \
    R(recvfrom_closed, sk_recvfrom, "closed", OBJ, SK_ECLOSED,            \
      recvfrom_into(f, f->closed, 4, 1))                                  \
    R(recvfrom_nullbuf, sk_recvfrom, "NULL buf, cap 4", 0, SK_EINVAL,     \
      sk_recvfrom(f->u4, NULL, 4, &f->buf.len, NULL, NULL))               \
    R(recvfrom_nullgot, sk_recvfrom, "NULL got", 0, SK_EINVAL,            \
      sk_recvfrom(f->u4, f->dst, 4, NULL, NULL, NULL))                    \
    R(recvfrom_cap0, sk_recvfrom, "cap 0 (allowed), nothing", 0,          \
      SK_ETIMEOUT, recvfrom_into(f, f->u4, 0, 1))                         \
    R(recvfrom_nobuf, sk_recvfrom, "NULL buf, cap 0 (allowed), nothing",  \
      0, SK_ETIMEOUT, recvfrom_nobuf(f))                                  \
    R(recvfrom_nullfrom, sk_recvfrom, "from NULL (allowed), nothing", 0,  \
      SK_ETIMEOUT, recvfrom_into(f, f->u4, 4, 0))                         \
    R(recvfrom_unbound, sk_recvfrom, "dual-stack, no socket", 0,          \
      SK_ENOTCONN, recvfrom_into(f, f->ud, 4, 1))                         \
    R(recvfrom_master, sk_recvfrom, "on a master", 0, SK_EWRONGROLE,      \
      recvfrom_into(f, f->m4, 4, 1))                                      \
    R(recvfrom_server, sk_recvfrom, "on a server", 0, SK_EWRONGROLE,      \
      recvfrom_into(f, f->srv, 4, 1))                                     \
    R(recvfrom_client, sk_recvfrom, "on a client", 0, SK_EWRONGROLE,      \
      recvfrom_into(f, f->cli, 4, 1))                                     \
    R(recvfrom_accepted, sk_recvfrom, "on an accepted client", 0,         \
      SK_EWRONGROLE, recvfrom_into(f, f->acc, 4, 1))                      \
    R(rfa_null, sk_recvfromaddr, "NULL object", NUL, SK_EINVAL,           \
      recvfromaddr_into(f, NULL, 4, 1))                                   \
    R(rfa_closed, sk_recvfromaddr, "closed", OBJ, SK_ECLOSED,             \
      recvfromaddr_into(f, f->closed, 4, 1))                              \
    R(rfa_nullbuf, sk_recvfromaddr, "NULL buf, cap 4", 0, SK_EINVAL,      \
      sk_recvfromaddr(f->u4, NULL, 4, &f->scratch, NULL, NULL))           \
    R(rfa_nullgot, sk_recvfromaddr, "NULL got", 0, SK_EINVAL,             \
      sk_recvfromaddr(f->u4, f->dst, 4, NULL, NULL, NULL))                \
    R(rfa_cap0, sk_recvfromaddr, "cap 0 (allowed), nothing", 0,           \
      SK_ETIMEOUT, recvfromaddr_into(f, f->u4, 0, 1))                     \
    R(rfa_nullfrom, sk_recvfromaddr, "from NULL (allowed), nothing", 0,   \
      SK_ETIMEOUT, recvfromaddr_into(f, f->u4, 4, 0))                     \
    R(rfa_unbound, sk_recvfromaddr, "dual-stack, no socket", 0,           \
      SK_ENOTCONN, recvfromaddr_into(f, f->ud, 4, 1))                     \
    R(rfa_master, sk_recvfromaddr, "on a master", 0, SK_EWRONGROLE,       \
      recvfromaddr_into(f, f->m4, 4, 1))                                  \
    R(rfa_server, sk_recvfromaddr, "on a server", 0, SK_EWRONGROLE,       \
      recvfromaddr_into(f, f->srv, 4, 1))                                 \
    R(rfa_client, sk_recvfromaddr, "on a client", 0, SK_EWRONGROLE,       \
      recvfromaddr_into(f, f->cli, 4, 1))                                 \
    R(sta_null, sk_sendtoaddr, "NULL object", NUL, SK_EINVAL,             \
      sendtoaddr_row(f, NULL, 0))                                         \
    R(sta_closed, sk_sendtoaddr, "closed", OBJ, SK_ECLOSED,               \
      sendtoaddr_row(f, f->closed, 0))                                    \
    R(sta_nullto, sk_sendtoaddr, "NULL to", 0, SK_EINVAL,                 \
      sk_sendtoaddr(f->u4, "a", 1, NULL))                                 \
    R(sta_zero, sk_sendtoaddr, "zeroed address", 0, SK_EINVAL,            \
      sendtoaddr_row(f, f->u4, 1))                                        \
    R(sta_ff, sk_sendtoaddr, "address of 0xff bytes", 0, SK_EINVAL,       \
      sendtoaddr_row(f, f->u4, 2))                                        \
    R(sta_len0, sk_sendtoaddr, "address with len 0", 0, SK_EINVAL,        \
      sendtoaddr_row(f, f->u4, 3))                                        \
    R(sta_lenbig, sk_sendtoaddr, "address with len UINT_MAX", 0,          \
      SK_EINVAL, sendtoaddr_row(f, f->u4, 4))                             \
    R(sta_nulldata, sk_sendtoaddr, "NULL data, len 3", 0, SK_EINVAL,      \
      sendtoaddr_row(f, f->u4, 5))                                        \
    R(sta_empty, sk_sendtoaddr, "NULL data, len 0 (empty datagram)", 0,   \
      0, sendtoaddr_row(f, f->u4, 6))                                     \
    R(sta_sizemax, sk_sendtoaddr, "len SIZE_MAX", 0, SK_EMSGSIZE,         \
      sendtoaddr_row(f, f->u4, 7))                                        \
    R(sta_isconn, sk_sendtoaddr, "on an object with a peer", 0,           \
      SK_EISCONN, sendtoaddr_row(f, f->uc, 0))                            \
    R(sta_master, sk_sendtoaddr, "on a master", 0, SK_EWRONGROLE,         \
      sendtoaddr_row(f, f->m4, 0))                                        \
    R(sta_client, sk_sendtoaddr, "on a client", 0, SK_EWRONGROLE,         \
      sendtoaddr_row(f, f->cli, 0))                                       \
    R(sma_null, sk_sendmanyaddr, "NULL object", NUL, SK_EINVAL,           \
      sendmanyaddr_row(f, NULL, 0))                                       \
    R(sma_closed, sk_sendmanyaddr, "closed", OBJ, SK_ECLOSED,             \
      sendmanyaddr_row(f, f->closed, 0))                                  \
    R(sma_nulld, sk_sendmanyaddr, "NULL d, n 1", 0, SK_EINVAL,            \
      sendmanyaddr_row(f, f->u4, 1))                                      \
    R(sma_nullto, sk_sendmanyaddr, "NULL to, n 1", 0, SK_EINVAL,          \
      sendmanyaddr_row(f, f->u4, 2))                                      \
    R(sma_n0, sk_sendmanyaddr, "NULL d and to, n 0 returns at once", 0,   \
      0, sk_sendmanyaddr(f->u4, NULL, NULL, 0, NULL))                     \
    R(sma_zero2, sk_sendmanyaddr, "second address zeroed", 0, SK_EINVAL,  \
      sendmanyaddr_row(f, f->u4, 3))                                      \
    R(sma_nulldata2, sk_sendmanyaddr, "second datagram NULL data, len 1", \
      0, SK_EINVAL, sendmanyaddr_row(f, f->u4, 4))                        \
    R(sma_sizemax, sk_sendmanyaddr, "len SIZE_MAX", 0, SK_EMSGSIZE,       \
      sendmanyaddr_row(f, f->u4, 5))                                      \
    R(sma_ok, sk_sendmanyaddr, "two to u4 (works)", 0, 0,                 \
      sendmanyaddr_row(f, f->u4, 6))                                      \
    R(sma_isconn, sk_sendmanyaddr, "on an object with a peer", 0,         \
      SK_EISCONN, sendmanyaddr_row(f, f->uc, 0))                          \
    R(sma_master, sk_sendmanyaddr, "on a master", 0, SK_EWRONGROLE,       \
      sendmanyaddr_row(f, f->m4, 0))                                      \
    R(sma_client, sk_sendmanyaddr, "on a client", 0, SK_EWRONGROLE,       \
      sendmanyaddr_row(f, f->cli, 0))                                     \
    R(rma_null, sk_recvmanyaddr, "NULL object", NUL, SK_EINVAL,           \
      recvmanyaddr_row(f, NULL, 0))                                       \
    R(rma_closed, sk_recvmanyaddr, "closed", OBJ, SK_ECLOSED,             \
      recvmanyaddr_row(f, f->closed, 0))                                  \
    R(rma_nulld, sk_recvmanyaddr, "NULL d, n 1", 0, SK_EINVAL,            \
      recvmanyaddr_row(f, f->u4, 1))                                      \
    R(rma_nullfrom, sk_recvmanyaddr, "NULL from, n 1", 0, SK_EINVAL,      \
      recvmanyaddr_row(f, f->u4, 2))                                      \
    R(rma_nulldone, sk_recvmanyaddr, "NULL done", 0, SK_EINVAL,           \
      sk_recvmanyaddr(f->u4, NULL, NULL, 0, NULL))                        \
    R(rma_n0, sk_recvmanyaddr, "NULL d and from, n 0 returns at once", 0, \
      0, sk_recvmanyaddr(f->u4, NULL, NULL, 0, &f->scratch))              \
    R(rma_nulldata, sk_recvmanyaddr, "NULL data, len 4", 0, SK_EINVAL,    \
      recvmanyaddr_row(f, f->u4, 3))                                      \
    R(rma_none, sk_recvmanyaddr, "nothing there, timeout 0", 0,           \
      SK_ETIMEOUT, recvmanyaddr_row(f, f->u4, 0))                         \
    R(rma_unbound, sk_recvmanyaddr, "dual-stack, no socket", 0,           \
      SK_ENOTCONN, recvmanyaddr_row(f, f->ud, 0))                         \
    R(rma_master, sk_recvmanyaddr, "on a master", 0, SK_EWRONGROLE,       \
      recvmanyaddr_row(f, f->m4, 0))                                      \
    R(rma_client, sk_recvmanyaddr, "on a client", 0, SK_EWRONGROLE,       \
      recvmanyaddr_row(f, f->cli, 0))                                     \
    R(toaddr_null, sk_toaddr, "NULL object", NUL, SK_EINVAL,              \
      toaddr_row(NULL, "127.0.0.1", f->uport))                            \
    R(toaddr_closed, sk_toaddr, "closed", OBJ, SK_ECLOSED,                \
      toaddr_row(f->closed, "127.0.0.1", f->uport))                       \
    R(toaddr_nullout, sk_toaddr, "NULL out", 0, SK_EINVAL,                \
      sk_toaddr(f->u4, "127.0.0.1", f->uport, NULL))                      \
    R(toaddr_nullhost, sk_toaddr, "NULL host", 0, SK_EINVAL,              \
      toaddr_row(f->u4, NULL, f->uport))                                  \
    R(toaddr_empty, sk_toaddr, "empty host", 0, SK_EINVAL,                \
      toaddr_row(f->u4, "", f->uport))                                    \
    R(toaddr_any, sk_toaddr, "host \"*\"", 0, SK_EINVAL,                  \
      toaddr_row(f->u4, "*", f->uport))                                   \
    R(toaddr_256, sk_toaddr, "256-byte host", 0, SK_EINVAL,               \
      toaddr_row(f->u4, f->host256, f->uport))                            \
    R(toaddr_port0, sk_toaddr, "port 0", 0, SK_EINVAL,                    \
      toaddr_row(f->u4, "127.0.0.1", 0))                                  \
    R(toaddr_65536, sk_toaddr, "port 65536", 0, SK_EINVAL,                \
      toaddr_row(f->u4, "127.0.0.1", 65536))                              \
    R(toaddr_intmin, sk_toaddr, "port INT_MIN", 0, SK_EINVAL,             \
      toaddr_row(f->u4, "127.0.0.1", INT_MIN))                            \
    R(toaddr_ok, sk_toaddr, "127.0.0.1 (works)", 0, 0,                    \
      toaddr_row(f->u4, "127.0.0.1", f->uport))                           \
    R(toaddr_master, sk_toaddr, "on a master", 0, SK_EWRONGROLE,          \
      toaddr_row(f->m4, "127.0.0.1", f->uport))                           \
    R(toaddr_client, sk_toaddr, "on a client", 0, SK_EWRONGROLE,          \
      toaddr_row(f->cli, "127.0.0.1", f->uport))                          \
    R(addrname_nulla, sk_addrname, "NULL address", 0, SK_EINVAL,          \
      addrname_row(f, 0))                                                 \
    R(addrname_nullout, sk_addrname, "NULL out", 0, SK_EINVAL,            \
      addrname_row(f, 1))                                                 \
    R(addrname_zero, sk_addrname, "zeroed address", 0, SK_EINVAL,         \
      addrname_row(f, 2))                                                 \
    R(addrname_ff, sk_addrname, "address of 0xff bytes", 0, SK_EINVAL,    \
      addrname_row(f, 3))                                                 \
    R(addrname_family, sk_addrname, "family not the native one", 0,       \
      SK_EINVAL, addrname_row(f, 4))                                      \
    R(addrname_ok, sk_addrname, "from sk_toaddr (works)", 0, 0,           \
      addrname_row(f, 5))                                                 \
    R(join_null, sk_joingroup, "NULL object", NUL, SK_EINVAL,             \
      sk_joingroup(NULL, "239.255.77.1", 0))                              \
    R(join_closed, sk_joingroup, "closed", OBJ, SK_ECLOSED,               \
      sk_joingroup(f->closed, "239.255.77.1", 0))                         \
    R(join_nullgroup, sk_joingroup, "NULL group", 0, SK_EINVAL,           \
      sk_joingroup(f->u4, NULL, 0))                                       \
    R(join_empty, sk_joingroup, "empty group", 0, SK_EINVAL,              \
      sk_joingroup(f->u4, "", 0))                                         \
    R(join_any, sk_joingroup, "group \"*\"", 0, SK_EINVAL,                \
      sk_joingroup(f->ud, "*", 0))                                        \
    R(join_256, sk_joingroup, "256-byte group", 0, SK_EINVAL,             \
      sk_joingroup(f->u4, f->host256, 0))                                 \
    R(join_m1, sk_joingroup, "ifindex -1", 0, SK_EINVAL,                  \
      sk_joingroup(f->u4, "239.255.77.1", -1))                            \
    R(join_intmin, sk_joingroup, "ifindex INT_MIN", 0, SK_EINVAL,         \
      sk_joingroup(f->ud, "239.255.77.1", INT_MIN))                       \
    R(join_master, sk_joingroup, "on a master", 0, SK_EWRONGROLE,         \
      sk_joingroup(f->m4, "239.255.77.1", 0))                             \
    R(join_server, sk_joingroup, "on a server", 0, SK_EWRONGROLE,         \
      sk_joingroup(f->srv, "239.255.77.1", 0))                            \
    R(join_client, sk_joingroup, "on a client", 0, SK_EWRONGROLE,         \
      sk_joingroup(f->cli, "239.255.77.1", 0))                            \
    R(leave_null, sk_leavegroup, "NULL object", NUL, SK_EINVAL,           \
      sk_leavegroup(NULL, "239.255.77.1", 0))                             \
    R(leave_closed, sk_leavegroup, "closed", OBJ, SK_ECLOSED,             \
      sk_leavegroup(f->closed, "239.255.77.1", 0))                        \
    R(leave_nullgroup, sk_leavegroup, "NULL group", 0, SK_EINVAL,         \
      sk_leavegroup(f->u4, NULL, 0))                                      \
    R(leave_1000, sk_leavegroup, "1000-byte group", 0, SK_EINVAL,         \
      sk_leavegroup(f->u4, f->host1000, 0))                               \
    R(leave_m1, sk_leavegroup, "ifindex -1", 0, SK_EINVAL,                \
      sk_leavegroup(f->uc, "239.255.77.1", -1))                           \
    R(leave_master, sk_leavegroup, "on a master", 0, SK_EWRONGROLE,       \
      sk_leavegroup(f->bound, "239.255.77.1", 0))                         \
    R(leave_accepted, sk_leavegroup, "on an accepted client", 0,          \
      SK_EWRONGROLE, sk_leavegroup(f->acc, "239.255.77.1", 0))            \
    /* the stream calls and bind on datagram objects */                   \
    R(send_udp, sk_send, "on a datagram object with a peer", 0,           \
      SK_EWRONGROLE, sk_send(f->uc, "abc", 3, 1, -1, NULL))               \
    R(receive_udp, sk_receive, "on a datagram object", 0, SK_EWRONGROLE,  \
      recv_tmp(f->u4, SK_SOME, 0))                                        \
    R(read_udp, sk_read, "on a datagram object", 0, SK_EWRONGROLE,        \
      read_into(f, f->uc, 4))                                             \
    R(listen_udp, sk_listen, "on a datagram object", 0, SK_EWRONGROLE,    \
      sk_listen(f->ud, 1))                                                \
    R(accept_udp, sk_accept, "on a datagram object", 0, SK_EWRONGROLE,    \
      accept_on(f->u4))                                                   \
    R(connect_udp, sk_connect, "on a datagram object", 0, SK_EWRONGROLE,  \
      sk_connect(f->ud, "127.0.0.1", f->uport))                           \
    R(shut_udp, sk_shutdown, "on a datagram object", 0, SK_EWRONGROLE,    \
      sk_shutdown(f->uc, SK_SHUT_BOTH))                                   \
    R(bind_udp_peer, sk_bind, "datagram object with a peer", 0,           \
      SK_EWRONGROLE, sk_bind(f->uc, "127.0.0.1", 0))                      \
    R(bind_udp_bound, sk_bind, "datagram object already bound", 0,        \
      SK_EWRONGROLE, sk_bind(f->u4, "127.0.0.1", 0))                      \
    R(peername_udp, sk_getpeername, "datagram object without a peer", 0,  \
      SK_ENOTCONN, name_of(f->u4, 1))                                     \
    R(sockname_udp_dual, sk_getsockname, "dual datagram, no socket", 0,   \
      SK_ENOTCONN, name_of(f->ud, 0))                                     \
    /* -- UNIX-domain sockets ------------------------------------------ */\
    R(unix_null, sk_unix, "NULL out", 0, SK_EINVAL, sk_unix(NULL))        \
    R(unixdgram_null, sk_unixdgram, "NULL out", 0, SK_EINVAL,             \
      sk_unixdgram(NULL))                                                 \
    /* -- address lookup (no name here reaches a DNS server) ----------- */\
    R(gai_nullout, sk_getaddrinfo, "NULL out", 0, SK_EINVAL,              \
      sk_getaddrinfo("127.0.0.1", "80", SK_AF_INET, SK_STREAM, 0, NULL))  \
    R(gai_bothnull, sk_getaddrinfo, "NULL host and service", 0,           \
      SK_EINVAL, gai_row(NULL, NULL, SK_AF_UNSPEC, 0, SK_LOOKUP_PASSIVE)) \
    R(gai_empty, sk_getaddrinfo, "empty host", 0, SK_EINVAL,              \
      gai_row("", "80", SK_AF_UNSPEC, 0, 0))                              \
    R(gai_256, sk_getaddrinfo, "256-byte host", 0, SK_EINVAL,             \
      gai_row(f->host256, "80", SK_AF_UNSPEC, 0, 0))                      \
    R(gai_1000, sk_getaddrinfo, "1000-byte host", 0, SK_EINVAL,           \
      gai_row(f->host1000, NULL, SK_AF_INET, 0, 0))                       \
    R(gai_255, sk_getaddrinfo, "255-byte host, numeric only: not found",  \
      0, SK_EHOSTNOTFOUND,                                                \
      gai_row(f->host255, "80", SK_AF_UNSPEC, 0, SK_LOOKUP_NUMERICHOST))  \
    R(gai_name_numeric, sk_getaddrinfo, "name with NUMERICHOST", 0,       \
      SK_EHOSTNOTFOUND,                                                   \
      gai_row("localhost", "80", SK_AF_INET, 0, SK_LOOKUP_NUMERICHOST))   \
    R(gai_emptyserv, sk_getaddrinfo, "empty service", 0, SK_EINVAL,       \
      gai_row("127.0.0.1", "", SK_AF_UNSPEC, 0, 0))                       \
    R(gai_65536, sk_getaddrinfo, "service 65536", 0, SK_EINVAL,           \
      gai_row("127.0.0.1", "65536", SK_AF_UNSPEC, 0, 0))                  \
    R(gai_hugeport, sk_getaddrinfo, "service 10^20", 0, SK_EINVAL,        \
      gai_row("127.0.0.1", "100000000000000000000", SK_AF_UNSPEC, 0, 0))  \
    R(gai_longserv, sk_getaddrinfo, "256-byte service name", 0,           \
      SK_EINVAL, gai_row("127.0.0.1", f->host256, SK_AF_UNSPEC, 0, 0))    \
    R(gai_noserv, sk_getaddrinfo, "unknown service name", 0,              \
      SK_ENOSERVICE, gai_row("127.0.0.1", "no-such-service-xyz",          \
                             SK_AF_UNSPEC, 0, SK_LOOKUP_NUMERICHOST))     \
    R(gai_unix, sk_getaddrinfo, "family SK_AF_UNIX", 0, SK_EFAMILY,       \
      gai_row("127.0.0.1", "80", SK_AF_UNIX, 0, 0))                       \
    R(gai_fam_min, sk_getaddrinfo, "family INT_MIN", 0, SK_EINVAL,        \
      gai_row("127.0.0.1", "80", INT_MIN, 0, 0))                          \
    R(gai_fam_max, sk_getaddrinfo, "family INT_MAX", 0, SK_EINVAL,        \
      gai_row("127.0.0.1", "80", INT_MAX, 0, 0))                          \
    R(gai_fam_native, sk_getaddrinfo, "family 10 (a native AF_ value)",   \
      0, SK_EINVAL, gai_row("127.0.0.1", "80", 10, 0, 0))                 \
    R(gai_type3, sk_getaddrinfo, "type 3", 0, SK_EINVAL,                  \
      gai_row("127.0.0.1", "80", SK_AF_UNSPEC, 3, 0))                     \
    R(gai_type_min, sk_getaddrinfo, "type INT_MIN", 0, SK_EINVAL,         \
      gai_row("127.0.0.1", "80", SK_AF_UNSPEC, INT_MIN, 0))               \
    R(gai_flag8, sk_getaddrinfo, "unknown flag 8", 0, SK_EINVAL,          \
      gai_row("127.0.0.1", "80", SK_AF_UNSPEC, 0, 8))                     \
    R(gai_flag_min, sk_getaddrinfo, "flags INT_MIN", 0, SK_EINVAL,        \
      gai_row("127.0.0.1", "80", SK_AF_UNSPEC, 0, INT_MIN))               \
    R(gai_flag_m1, sk_getaddrinfo, "flags -1", 0, SK_EINVAL,              \
      gai_row("127.0.0.1", "80", SK_AF_UNSPEC, 0, -1))                    \
    R(gai_canon_null, sk_getaddrinfo, "CANONNAME with NULL host", 0,      \
      SK_EINVAL, gai_row(NULL, "80", SK_AF_UNSPEC, 0,                     \
                         SK_LOOKUP_CANONNAME | SK_LOOKUP_PASSIVE))        \
    R(addrlist_free_null, sk_addrlist_free, "NULL (no-op)", 0, 0,         \
      addrlist_free_null())                                               \
    R(addrlist_free_twice, sk_addrlist_free, "empty, twice", 0, 0,        \
      addrlist_free_twice())                                              \
    R(gni_nulladdr, sk_getnameinfo, "NULL addr", 0, SK_EINVAL,            \
      gni_row(NULL, 64))                                                  \
    R(gni_nullname, sk_getnameinfo, "NULL name", 0, SK_EINVAL,            \
      sk_getnameinfo("127.0.0.1", NULL, 64))                              \
    R(gni_cap0, sk_getnameinfo, "cap 0", 0, SK_EINVAL,                    \
      gni_row("127.0.0.1", 0))                                            \
    R(gni_empty, sk_getnameinfo, "empty addr", 0, SK_EINVAL,              \
      gni_row("", 64))                                                    \
    R(gni_name, sk_getnameinfo, "a name, not numeric", 0, SK_EINVAL,      \
      gni_row("localhost", 64))                                           \
    R(gni_5parts, sk_getnameinfo, "1.2.3.4.5", 0, SK_EINVAL,              \
      gni_row("1.2.3.4.5", 64))                                           \
    R(gni_256, sk_getnameinfo, "256-byte addr", 0, SK_EINVAL,             \
      gni_row(f->host256, 64))                                            \
    R(gni_cap1, sk_getnameinfo, "127.0.0.1, cap 1", 0, SK_ENORESOURCES,   \
      gni_row("127.0.0.1", 1))                                            \
    R(ghn_null, sk_gethostname, "NULL name", 0, SK_EINVAL,                \
      sk_gethostname(NULL, 64))                                           \
    R(ghn_cap0, sk_gethostname, "cap 0", 0, SK_EINVAL, ghn_row(0))        \
    R(ghn_cap1, sk_gethostname, "cap 1", 0, SK_ENORESOURCES, ghn_row(1))    \
    /* -- sending files and gathered buffers (sendfile) ---------------- */\
    /* file 0 is never read: every row fails (or returns) first */        \
    R(sendfile_null, sk_sendfile, "NULL object", NUL, SK_EINVAL,          \
      sendfile_row(NULL, 0, 0, -1))                                       \
    R(sendfile_closed, sk_sendfile, "closed", OBJ, SK_ECLOSED,            \
      sendfile_row(f->closed, 0, 0, -1))                                  \
    R(sendfile_master, sk_sendfile, "on a master", 0, SK_EWRONGROLE,      \
      sendfile_row(f->m4, 0, 0, -1))                                      \
    R(sendfile_dual, sk_sendfile, "on a dual-stack master", 0,            \
      SK_EWRONGROLE, sendfile_row(f->md, 0, 0, -1))                       \
    R(sendfile_bound, sk_sendfile, "on a bound master", 0, SK_EWRONGROLE, \
      sendfile_row(f->bound, 0, 0, -1))                                   \
    R(sendfile_server, sk_sendfile, "on a server", 0, SK_EWRONGROLE,      \
      sendfile_row(f->srv, 0, 0, -1))                                     \
    R(sendfile_server_bad, sk_sendfile, "server, bad args: role first",   \
      0, SK_EWRONGROLE, sendfile_row(f->srv, -1, 0, -9))                  \
    R(sendfile_fd_m1, sk_sendfile, "file -1", 0, SK_EINVAL,               \
      sendfile_row(f->cli, -1, 0, -1))                                    \
    R(sendfile_fd_min, sk_sendfile, "file INT_MIN", 0, SK_EINVAL,         \
      sendfile_row(f->acc, INT_MIN, 0, 10))                               \
    R(sendfile_len_m2, sk_sendfile, "length -2", 0, SK_EINVAL,            \
      sendfile_row(f->cli, 0, 0, -2))                                     \
    R(sendfile_len_min, sk_sendfile, "length INT64_MIN", 0, SK_EINVAL,    \
      sendfile_row(f->cli, 0, 0, INT64_MIN))                              \
    R(sendfile_off_2p63, sk_sendfile, "offset 2^63", 0, SK_EINVAL,        \
      sendfile_row(f->cli, 0, (uint64_t)INT64_MAX + 1, -1))               \
    R(sendfile_off_max, sk_sendfile, "offset UINT64_MAX", 0, SK_EINVAL,   \
      sendfile_row(f->acc, 0, UINT64_MAX, 1))                             \
    R(sendfile_range_ovf, sk_sendfile, "offset 1 + length INT64_MAX", 0,  \
      SK_EINVAL, sendfile_row(f->cli, 0, 1, INT64_MAX))                   \
    R(sendfile_len0, sk_sendfile, "length 0 returns at once", 0, 0,       \
      sendfile_row(f->cli, 0, UINT64_C(1) << 62, 0))                      \
    /* -- sending files and gathered buffers (sendv) ------------------- */\
    R(sendv_null, sk_sendv, "NULL object", NUL, SK_EINVAL,                \
      sendv_row(NULL, 0))                                                 \
    R(sendv_closed, sk_sendv, "closed", OBJ, SK_ECLOSED,                  \
      sendv_row(f->closed, 0))                                            \
    R(sendv_master, sk_sendv, "on a master", 0, SK_EWRONGROLE,            \
      sendv_row(f->m4, 0))                                                \
    R(sendv_dual, sk_sendv, "on a dual-stack master", 0, SK_EWRONGROLE,   \
      sendv_row(f->md, 0))                                                \
    R(sendv_bound, sk_sendv, "on a bound master", 0, SK_EWRONGROLE,       \
      sendv_row(f->bound, 0))                                             \
    R(sendv_server, sk_sendv, "on a server", 0, SK_EWRONGROLE,            \
      sendv_row(f->srv, 0))                                               \
    R(sendv_nulliov, sk_sendv, "NULL iov, n 1", 0, SK_EINVAL,             \
      sk_sendv(f->cli, NULL, 1, NULL))                                    \
    R(sendv_nulliov_max, sk_sendv, "NULL iov, n SIZE_MAX", 0, SK_EINVAL,  \
      sk_sendv(f->acc, NULL, SIZE_MAX, NULL))                             \
    R(sendv_nulliov0, sk_sendv, "NULL iov, n 0 returns at once", 0, 0,    \
      sk_sendv(f->cli, NULL, 0, NULL))                                    \
    R(sendv_nulldata, sk_sendv, "NULL data, len 1", 0, SK_EINVAL,         \
      sendv_row(f->cli, 1))                                               \
    R(sendv_sum_ovf, sk_sendv, "lengths summing to SIZE_MAX + 1", 0,      \
      SK_EINVAL, sendv_row(f->cli, 2))                                    \
    R(sendv_len_max, sk_sendv, "len SIZE_MAX", 0, SK_EINVAL,              \
      sendv_row(f->acc, 3))                                               \
    /* -- event loop ---------------------------------------------------- */\
    R(loop_new_null, sk_loop_new, "NULL out", 0, SK_EINVAL,               \
      sk_loop_new(NULL))                                                  \
    R(loopb_null, sk_loop_new_backend, "NULL out", 0, SK_EINVAL,          \
      sk_loop_new_backend(NULL, "poll"))                                  \
    R(loopb_nullname, sk_loop_new_backend, "NULL backend", 0, SK_EINVAL,  \
      loopb_row(NULL))                                                    \
    R(loopb_empty, sk_loop_new_backend, "empty backend", 0, SK_EINVAL,    \
      loopb_row(""))                                                      \
    R(loopb_case, sk_loop_new_backend, "\"EPOLL\" (names are exact)", 0,  \
      SK_EINVAL, loopb_row("EPOLL"))                                      \
    R(loopb_long, sk_loop_new_backend, "256-byte name", 0, SK_EINVAL,     \
      loopb_row(f->host256))                                              \
    R(loopb_absent, sk_loop_new_backend, "a backend of another system",  \
      0, SK_EUNSUPPORTED, loopb_row(ABSENT_BACKEND))                      \
    R(loop_free_null, sk_loop_free, "NULL (no-op)", NUL, 0,               \
      loop_free_null())                                                   \
    R(loop_backend_null, sk_loop_backend, "NULL gives NULL", NUL, 1,      \
      sk_loop_backend(NULL) == NULL)                                      \
    R(loop_run_null, sk_loop_run, "NULL loop", NUL, SK_EINVAL,            \
      sk_loop_run(NULL, SK_RUN_NOWAIT))                                   \
    R(loop_run_mode3, sk_loop_run, "mode 3", 0, SK_EINVAL,                \
      loop_row(0, 3))                                                     \
    R(loop_run_modem1, sk_loop_run, "mode -1", 0, SK_EINVAL,              \
      loop_row(0, -1))                                                    \
    R(loop_run_intmin, sk_loop_run, "mode INT_MIN", 0, SK_EINVAL,         \
      loop_row(0, INT_MIN))                                               \
    R(loop_run_intmax, sk_loop_run, "mode INT_MAX", 0, SK_EINVAL,         \
      loop_row(0, INT_MAX))                                               \
    R(loop_stop_null, sk_loop_stop, "NULL", NUL, SK_EINVAL,               \
      sk_loop_stop(NULL))                                                 \
    R(loop_wake_null, sk_loop_wake, "NULL", NUL, SK_EINVAL,               \
      sk_loop_wake(NULL))                                                 \
    R(loop_post_null, sk_loop_post, "NULL loop", NUL, SK_EINVAL,          \
      sk_loop_post(NULL, post_noop, NULL))                                \
    R(loop_post_nullfn, sk_loop_post, "NULL fn", 0, SK_EINVAL,            \
      loop_row(1, 0))                                                     \
    R(loop_now_null, sk_loop_now, "NULL gives 0", NUL, 1,                 \
      sk_loop_now(NULL) == 0.0)                                           \
    R(timer_new_null, sk_timer_new, "NULL loop", NUL, SK_EINVAL,          \
      loop_row(2, 0))                                                     \
    R(timer_new_nullout, sk_timer_new, "NULL out", 0, SK_EINVAL,          \
      loop_row(3, 0))                                                     \
    R(timer_start_null, sk_timer_start, "NULL timer", NUL, SK_EINVAL,     \
      sk_timer_start(NULL, 0, 0, timer_noop, NULL))                       \
    R(timer_start_nullcb, sk_timer_start, "NULL cb", 0, SK_EINVAL,        \
      timer_row(0, 0, 1))                                                 \
    R(timer_start_neg, sk_timer_start, "after -1: no limit, stopped", 0,  \
      0, timer_row(-1, 0, 0))                                             \
    R(timer_start_tiny_neg, sk_timer_start, "after -1e-300: no limit", 0, \
      0, timer_row(-1e-300, 0, 0))                                        \
    R(timer_start_nan, sk_timer_start, "after NaN", 0, SK_EINVAL,         \
      timer_row(NAN, 0, 0))                                               \
    R(timer_start_inf, sk_timer_start, "after infinity: no limit", 0, 0,  \
      timer_row(HUGE_VAL, 0, 0))                                          \
    R(timer_start_huge, sk_timer_start, "after 1e300", 0, SK_EINVAL,      \
      timer_row(1e300, 0, 0))                                             \
    R(timer_start_35d, sk_timer_start, "after 35 days: allowed", 0, 0,    \
      timer_row(35.0 * 86400.0, 0, 0))                                    \
    R(timer_start_big, sk_timer_start, "after 1e9 + 1 s", 0, SK_EINVAL,   \
      timer_row(1e9 + 1, 0, 0))                                           \
    R(timer_start_max, sk_timer_start, "after 1e9 s: allowed", 0, 0,      \
      timer_row(1e9, 0, 0))                                               \
    R(timer_start_negzero, sk_timer_start, "after -0.0: allowed", 0, 0,   \
      timer_row(-0.0, 0, 0))                                              \
    R(timer_start_rneg, sk_timer_start, "repeat -1: no repeat", 0, 0,     \
      timer_row(0, -1, 0))                                                \
    R(timer_start_rbig, sk_timer_start, "repeat 1e9 + 1 s", 0, SK_EINVAL, \
      timer_row(0, 1e9 + 1, 0))                                           \
    R(timer_start_rnan, sk_timer_start, "repeat NaN", 0, SK_EINVAL,       \
      timer_row(0, NAN, 0))                                               \
    R(timer_start_rinf, sk_timer_start, "repeat infinity: no repeat", 0,  \
      0, timer_row(0, HUGE_VAL, 0))                                       \
    R(timer_start_rtiny, sk_timer_start, "repeat 1e-300: allowed", 0, 0,  \
      timer_row(1, 1e-300, 0))                                            \
    R(timer_stop_null, sk_timer_stop, "NULL", NUL, SK_EINVAL,             \
      sk_timer_stop(NULL))                                                \
    R(timer_free_null, sk_timer_free, "NULL (no-op)", NUL, 0,             \
      timer_free_null())                                                  \
    R(watch_new_nullsock, sk_watch_new, "NULL object", NUL, SK_EINVAL,    \
      watch_new_row(f, NULL, 0))                                          \
    R(watch_new_closed, sk_watch_new, "closed", OBJ, SK_ECLOSED,          \
      watch_new_row(f, f->closed, 0))                                     \
    R(watch_new_nullloop, sk_watch_new, "NULL loop", 0, SK_EINVAL,        \
      watch_new_row(f, f->cli, 1))                                        \
    R(watch_new_nullcb, sk_watch_new, "NULL cb", 0, SK_EINVAL,            \
      watch_new_row(f, f->cli, 2))                                        \
    R(watch_new_nullout, sk_watch_new, "NULL out", 0, SK_EINVAL,          \
      watch_new_row(f, f->cli, 3))                                        \
    R(watch_new_twice, sk_watch_new, "an object watched already", 0,      \
      SK_EINVAL, watch_new_row(f, f->cli, 4))                             \
    R(watch_new_dgram, sk_watch_new, "a datagram object: allowed", 0, 0,  \
      watch_new_row(f, f->u4, 0))                                         \
    R(watch_set_null, sk_watch_set, "NULL", NUL, SK_EINVAL,               \
      sk_watch_set(NULL, SK_READABLE))                                    \
    R(watch_set_closed, sk_watch_set, "object closed after sk_watch_new", \
      OBJ, SK_ECLOSED, watch_set_row(f, 0))                               \
    R(watch_set_closed0, sk_watch_set, "object closed, events 0", 0, 0,   \
      watch_set_row(f, 1))                                                \
    R(watch_set_errored, sk_watch_set, "SK_ERRORED as interest", 0,       \
      SK_EINVAL, watch_set_events(f->cli, SK_ERRORED))                    \
    R(watch_set_8, sk_watch_set, "events 8", 0, SK_EINVAL,                \
      watch_set_events(f->cli, 8))                                        \
    R(watch_set_m1, sk_watch_set, "events -1", 0, SK_EINVAL,              \
      watch_set_events(f->cli, -1))                                       \
    R(watch_set_intmin, sk_watch_set, "events INT_MIN", 0, SK_EINVAL,     \
      watch_set_events(f->cli, INT_MIN))                                  \
    R(watch_set_intmax, sk_watch_set, "events INT_MAX", 0, SK_EINVAL,     \
      watch_set_events(f->cli, INT_MAX))                                  \
    R(watch_set_nosocket, sk_watch_set, "dual-stack master, no socket",   \
      0, SK_EINVAL, watch_set_events(f->md, SK_READABLE))                 \
    R(watch_set_nosocket0, sk_watch_set, "dual-stack master, events 0",   \
      0, 0, watch_set_events(f->md, 0))                                   \
    R(watch_set_server, sk_watch_set, "a server: allowed", 0, 0,          \
      watch_set_events(f->srv, SK_READABLE | SK_WRITABLE))                \
    R(watch_free_null, sk_watch_free, "NULL (no-op)", NUL, 0,             \
      watch_free_null())                                                  \
    /* -- event-driven connections ------------------------------------ */\
    /* CF: a fresh sk_conn; CL: one in HOST_LOOKUP; CC: one connected and \
     * then aborted (the after-close object); SF / SC: a fresh server and \
     * a closed one.  Each row makes its own loop. */                     \
    R(cerrstr_min, sk_conn_errstr, "INT_MIN", 0, 1,                       \
      str_is(sk_conn_errstr(INT_MIN), "unknown error"))                   \
    R(cerrstr_max, sk_conn_errstr, "INT_MAX", 0, 1,                       \
      str_is(sk_conn_errstr(INT_MAX), "unknown error"))                   \
    R(cerrstr_gap, sk_conn_errstr, "3 (no such error)", 0, 1,             \
      str_is(sk_conn_errstr(3), "unknown error"))                         \
    R(cerrstr_m2, sk_conn_errstr, "-2", 0, 1,                             \
      str_is(sk_conn_errstr(-2), "unknown error"))                        \
    R(cerrstr_22, sk_conn_errstr, "22 (temporary)", 0, 1,                 \
      str_is(sk_conn_errstr(22), "temporary error"))                      \
    R(cerrcode_min, sk_conn_errcode, "INT_MIN", 0, SK_CONN_ERR_UNKNOWN,   \
      sk_conn_errcode(INT_MIN))                                           \
    R(cerrcode_max, sk_conn_errcode, "INT_MAX", 0, SK_CONN_ERR_UNKNOWN,   \
      sk_conn_errcode(INT_MAX))                                           \
    R(cerrcode_ok, sk_conn_errcode, "0", 0, SK_CONN_ERR_UNKNOWN,          \
      sk_conn_errcode(0))                                                 \
    R(cnew_nullloop, sk_conn_new, "NULL loop", 0, SK_EINVAL,              \
      cnew_row(0))                                                        \
    R(cnew_nullout, sk_conn_new, "NULL out", 0, SK_EINVAL, cnew_row(1))   \
    R(cfree_null, sk_conn_free, "NULL (no-op)", NUL, 0, cfree_null())     \
    R(cfree_closed, sk_conn_free, "closed", OBJ, 0, cx_free(CC))          \
    R(cfree_lookup, sk_conn_free, "in HOST_LOOKUP", 0, 0, cx_free(CL))    \
    R(chand_null, sk_conn_sethandlers, "NULL conn", NUL, SK_EINVAL,       \
      sk_conn_sethandlers(NULL, NULL, NULL))                              \
    R(chand_nullh, sk_conn_sethandlers, "NULL handlers: allowed", 0, 0,   \
      cx_handlers(CF))                                                    \
    R(chand_closed, sk_conn_sethandlers, "closed", OBJ, 0,                \
      cx_handlers(CC))                                                    \
    R(cres_null, sk_conn_setresolver, "NULL conn", NUL, SK_EINVAL,        \
      sk_conn_setresolver(NULL, NULL, NULL))                              \
    R(cres_nullfn, sk_conn_setresolver, "NULL fn: allowed", 0, 0,         \
      cx_resolver(CF))                                                    \
    R(cres_closed, sk_conn_setresolver, "closed", OBJ, 0,                 \
      cx_resolver(CC))                                                    \
    R(cset_null, sk_conn_settimeout, "NULL conn", NUL, SK_EINVAL,         \
      sk_conn_settimeout(NULL, 1, 'c'))                                   \
    R(cset_nan, sk_conn_settimeout, "NaN", 0, SK_EINVAL,                  \
      cx_settimeout(CF, NAN, 'c'))                                        \
    R(cset_inf, sk_conn_settimeout, "infinity: none", 0, 0,               \
      cx_settimeout(CF, HUGE_VAL, 'l'))                                   \
    R(cset_huge, sk_conn_settimeout, "1e300", 0, SK_EINVAL,               \
      cx_settimeout(CF, 1e300, 'l'))                                      \
    R(cset_35d, sk_conn_settimeout, "35 days: allowed", 0, 0,             \
      cx_settimeout(CF, 35.0 * 86400.0, 'c'))                             \
    R(cset_big, sk_conn_settimeout, "1e9 + 1 s", 0, SK_EINVAL,            \
      cx_settimeout(CF, 1e9 + 1, 'c'))                                    \
    R(cset_max, sk_conn_settimeout, "1e9 s: allowed", 0, 0,               \
      cx_settimeout(CF, 1e9, 'd'))                                        \
    R(cset_neginf, sk_conn_settimeout, "-infinity: none", 0, 0,           \
      cx_settimeout(CF, -HUGE_VAL, 'c'))                                  \
    R(cset_dneg, sk_conn_settimeout, "negative delay: none", 0, 0,        \
      cx_settimeout(CF, -0.5, 'd'))                                       \
    R(cset_mode, sk_conn_settimeout, "mode 'x'", 0, SK_EINVAL,            \
      cx_settimeout(CF, 1, 'x'))                                          \
    R(cset_mode0, sk_conn_settimeout, "mode '\\0'", 0, SK_EINVAL,          \
      cx_settimeout(CF, 1, '\0'))                                         \
    R(cset_closed, sk_conn_settimeout, "closed", OBJ, 0,                  \
      cx_settimeout(CC, 1, 'c'))                                          \
    R(cget_null, sk_conn_gettimeout, "NULL conn", NUL, SK_EINVAL,         \
      cx_gettimeout(-1, 'c', 1))                                          \
    R(cget_nullout, sk_conn_gettimeout, "NULL seconds", 0, SK_EINVAL,     \
      cx_gettimeout(CF, 'c', 0))                                          \
    R(cget_mode, sk_conn_gettimeout, "mode 'b'", 0, SK_EINVAL,            \
      cx_gettimeout(CF, 'b', 1))                                          \
    R(cget_closed, sk_conn_gettimeout, "closed", OBJ, 0,                  \
      cx_gettimeout(CC, 'l', 1))                                          \
    R(climit_null, sk_conn_setreadlimit, "NULL conn", NUL, SK_EINVAL,     \
      sk_conn_setreadlimit(NULL, 1))                                      \
    R(climit_max, sk_conn_setreadlimit, "SIZE_MAX: allowed", 0, 0,        \
      cx_readlimit(CF, SIZE_MAX))                                         \
    R(climit_closed, sk_conn_setreadlimit, "closed", OBJ, 0,              \
      cx_readlimit(CC, 0))                                                \
    R(cconn_null, sk_conn_connect, "NULL conn", NUL, SK_EINVAL,           \
      sk_conn_connect(NULL, "127.0.0.1", 80))                             \
    R(cconn_nullhost, sk_conn_connect, "NULL host", 0, SK_EINVAL,         \
      cx_connect(CF, NULL, 80))                                           \
    R(cconn_empty, sk_conn_connect, "empty host", 0, SK_EINVAL,           \
      cx_connect(CF, "", 80))                                             \
    R(cconn_star, sk_conn_connect, "host \"*\"", 0, SK_EINVAL,            \
      cx_connect(CF, "*", 80))                                            \
    R(cconn_256, sk_conn_connect, "256-byte host", 0, SK_EINVAL,          \
      cx_connect(CF, f->host256, 80))                                     \
    R(cconn_1000, sk_conn_connect, "1000-byte host", 0, SK_EINVAL,        \
      cx_connect(CF, f->host1000, 80))                                    \
    R(cconn_port0, sk_conn_connect, "port 0", 0, SK_EINVAL,               \
      cx_connect(CF, "127.0.0.1", 0))                                     \
    R(cconn_portm1, sk_conn_connect, "port -1", 0, SK_EINVAL,             \
      cx_connect(CF, "127.0.0.1", -1))                                    \
    R(cconn_port65536, sk_conn_connect, "port 65536", 0, SK_EINVAL,       \
      cx_connect(CF, "127.0.0.1", 65536))                                 \
    R(cconn_portmin, sk_conn_connect, "port INT_MIN", 0, SK_EINVAL,       \
      cx_connect(CF, "127.0.0.1", INT_MIN))                               \
    R(cconn_twice, sk_conn_connect, "in HOST_LOOKUP", 0, SK_EWRONGROLE,   \
      cx_connect(CL, "127.0.0.1", 80))                                    \
    R(cconn_closed, sk_conn_connect, "closed: allowed again", OBJ, 0,     \
      cx_connect(CC, "127.0.0.1", 80))                                    \
    R(cbind_null, sk_conn_bind, "NULL conn", NUL, SK_EINVAL,              \
      sk_conn_bind(NULL, 0))                                              \
    R(cbind_m1, sk_conn_bind, "port -1", 0, SK_EINVAL, cx_bind(CF, -1))   \
    R(cbind_65536, sk_conn_bind, "port 65536", 0, SK_EINVAL,              \
      cx_bind(CF, 65536))                                                 \
    R(cbind_max, sk_conn_bind, "port INT_MAX", 0, SK_EINVAL,              \
      cx_bind(CF, INT_MAX))                                               \
    R(cbind_lookup, sk_conn_bind, "in HOST_LOOKUP", 0, SK_EWRONGROLE,     \
      cx_bind(CL, 0))                                                     \
    R(cbind_closed, sk_conn_bind, "closed: allowed again", OBJ, 0,        \
      cx_bind(CC, 0))                                                     \
    R(cbasync_null, sk_conn_bind_async, "NULL conn", NUL, SK_EINVAL,      \
      sk_conn_bind_async(NULL, 0, cx_bind_cb, NULL))                      \
    R(cbasync_nullcb, sk_conn_bind_async, "NULL cb", 0, SK_EINVAL,        \
      cx_bind_async(CF, 0, 0))                                            \
    R(cbasync_m1, sk_conn_bind_async, "port -1", 0, SK_EINVAL,            \
      cx_bind_async(CF, -1, 1))                                           \
    R(cbasync_65536, sk_conn_bind_async, "port 65536", 0, SK_EINVAL,      \
      cx_bind_async(CF, 65536, 1))                                        \
    R(cbasync_twice, sk_conn_bind_async, "one pending already", 0,        \
      SK_EINPROGRESS, cx_bind_async(CF, 0, 2))                            \
    R(cbasync_closed, sk_conn_bind_async, "closed: allowed", OBJ, 0,      \
      cx_bind_async(CC, 0, 1))                                            \
    R(cdisc_null, sk_conn_disconnect, "NULL conn", NUL, SK_EINVAL,        \
      sk_conn_disconnect(NULL))                                           \
    R(cdisc_fresh, sk_conn_disconnect, "UNCONNECTED: nothing", 0, 0,      \
      cx_disconnect(CF))                                                  \
    R(cdisc_closed, sk_conn_disconnect, "closed", OBJ, 0,                 \
      cx_disconnect(CC))                                                  \
    R(cabort_null, sk_conn_abort, "NULL conn", NUL, SK_EINVAL,            \
      sk_conn_abort(NULL))                                                \
    R(cabort_closed, sk_conn_abort, "closed", OBJ, 0, cx_abort(CC))       \
    R(cwrite_null, sk_conn_write, "NULL conn", NUL, SK_EINVAL,            \
      sk_conn_write(NULL, "x", 1))                                        \
    R(cwrite_nulldata, sk_conn_write, "NULL data, len 1", 0, SK_EINVAL,   \
      cx_write(CL, 0, 1))                                                 \
    R(cwrite_nulldata0, sk_conn_write, "NULL data, len 0", 0, 0,          \
      cx_write(CL, 0, 0))                                                 \
    R(cwrite_sizemax, sk_conn_write, "len SIZE_MAX", 0, SK_ENORESOURCES,  \
      cx_write(CL, 1, SIZE_MAX))                                          \
    R(cwrite_fresh, sk_conn_write, "UNCONNECTED", 0, SK_EWRONGROLE,       \
      cx_write(CF, 1, 1))                                                 \
    R(cwrite_closed, sk_conn_write, "closed", OBJ, SK_EWRONGROLE,         \
      cx_write(CC, 1, 1))                                                 \
    R(cread_null, sk_conn_read, "NULL conn", NUL, SK_EINVAL,              \
      cx_read(-1, 1, 16, 1))                                              \
    R(cread_nulldst, sk_conn_read, "NULL dst", 0, SK_EINVAL,              \
      cx_read(CL, 0, 16, 1))                                              \
    R(cread_cap0, sk_conn_read, "cap 0", 0, SK_EINVAL,                    \
      cx_read(CL, 1, 0, 1))                                               \
    R(cread_nullgot, sk_conn_read, "NULL got", 0, SK_EINVAL,              \
      cx_read(CL, 1, 16, 0))                                              \
    R(cread_lookup, sk_conn_read, "in HOST_LOOKUP, nothing yet", 0,       \
      SK_EWOULDBLOCK, cx_read(CL, 1, SIZE_MAX, 1))                        \
    R(cread_fresh, sk_conn_read, "UNCONNECTED, nothing", 0, SK_ECLOSED,   \
      cx_read(CF, 1, 16, 1))                                              \
    R(cread_closed, sk_conn_read, "closed", OBJ, SK_ECLOSED,              \
      cx_read(CC, 1, 16, 1))                                              \
    R(cline_null, sk_conn_read_line, "NULL conn", NUL, SK_EINVAL,         \
      cx_readbuf(-1, 0, 0))                                               \
    R(cline_nullbuf, sk_conn_read_line, "NULL line", 0, SK_EINVAL,        \
      cx_readbuf(CL, 0, 1))                                               \
    R(cline_overlen, sk_conn_read_line, "len > cap", 0, SK_EINVAL,        \
      cx_readbuf(CL, 0, 2))                                               \
    R(cline_nodata, sk_conn_read_line, "NULL data, cap > 0", 0,           \
      SK_EINVAL, cx_readbuf(CL, 0, 3))                                    \
    R(cline_closed, sk_conn_read_line, "closed", OBJ, SK_ECLOSED,         \
      cx_readbuf(CC, 0, 0))                                               \
    R(call_null, sk_conn_read_all, "NULL conn", NUL, SK_EINVAL,           \
      cx_readbuf(-1, 1, 0))                                               \
    R(call_nullbuf, sk_conn_read_all, "NULL out", 0, SK_EINVAL,           \
      cx_readbuf(CL, 1, 1))                                               \
    R(call_overlen, sk_conn_read_all, "len > cap", 0, SK_EINVAL,          \
      cx_readbuf(CL, 1, 2))                                               \
    R(call_nodata, sk_conn_read_all, "NULL data, cap > 0", 0, SK_EINVAL,  \
      cx_readbuf(CL, 1, 3))                                               \
    R(call_lookup, sk_conn_read_all, "in HOST_LOOKUP", 0, SK_EWOULDBLOCK, \
      cx_readbuf(CL, 1, 0))                                               \
    R(call_closed, sk_conn_read_all, "closed", OBJ, SK_ECLOSED,           \
      cx_readbuf(CC, 1, 0))                                               \
    R(cstate_null, sk_conn_state, "NULL", NUL, SK_EINVAL,                 \
      sk_conn_state(NULL))                                                \
    R(cstate_closed, sk_conn_state, "closed: UNCONNECTED", OBJ,           \
      SK_CONN_UNCONNECTED, cx_query(CC, 0))                               \
    R(cstate_lookup, sk_conn_state, "in HOST_LOOKUP", 0,                  \
      SK_CONN_HOST_LOOKUP, cx_query(CL, 0))                               \
    R(cerror_null, sk_conn_error, "NULL conn", NUL, SK_EINVAL,            \
      sk_conn_error(NULL, NULL, NULL))                                    \
    R(cerror_nullouts, sk_conn_error, "NULL outputs: allowed", 0, 0,      \
      cx_query(CF, 1))                                                    \
    R(cerror_closed, sk_conn_error, "closed", OBJ, 0, cx_query(CC, 1))    \
    R(cvalid_null, sk_conn_valid, "NULL: 0", NUL, 0, sk_conn_valid(NULL)) \
    R(cvalid_closed, sk_conn_valid, "closed: 0", OBJ, 0, cx_query(CC, 2)) \
    R(cavail_null, sk_conn_bytes_available, "NULL conn", NUL, SK_EINVAL,  \
      cx_counts(-1, 0, 1))                                                \
    R(cavail_nullout, sk_conn_bytes_available, "NULL n", 0, SK_EINVAL,    \
      cx_counts(CF, 0, 0))                                                \
    R(cavail_closed, sk_conn_bytes_available, "closed: 0 bytes", OBJ, 0,  \
      cx_counts(CC, 0, 1))                                                \
    R(cto_null, sk_conn_bytes_to_write, "NULL conn", NUL, SK_EINVAL,      \
      cx_counts(-1, 1, 1))                                                \
    R(cto_nullout, sk_conn_bytes_to_write, "NULL n", 0, SK_EINVAL,        \
      cx_counts(CF, 1, 0))                                                \
    R(cto_closed, sk_conn_bytes_to_write, "closed: 0 bytes", OBJ, 0,      \
      cx_counts(CC, 1, 1))                                                \
    R(clocal_null, sk_conn_local, "NULL conn", NUL, SK_EINVAL,            \
      cx_name(-1, 0, 1))                                                  \
    R(clocal_nullout, sk_conn_local, "NULL out", 0, SK_EINVAL,            \
      cx_name(CF, 0, 0))                                                  \
    R(clocal_lookup, sk_conn_local, "in HOST_LOOKUP", 0, SK_ENOTCONN,     \
      cx_name(CL, 0, 1))                                                  \
    R(clocal_closed, sk_conn_local, "closed", OBJ, SK_ENOTCONN,           \
      cx_name(CC, 0, 1))                                                  \
    R(cremote_null, sk_conn_remote, "NULL conn", NUL, SK_EINVAL,          \
      cx_name(-1, 1, 1))                                                  \
    R(cremote_nullout, sk_conn_remote, "NULL out", 0, SK_EINVAL,          \
      cx_name(CF, 1, 0))                                                  \
    R(cremote_fresh, sk_conn_remote, "UNCONNECTED", 0, SK_ENOTCONN,       \
      cx_name(CF, 1, 1))                                                  \
    R(cremote_closed, sk_conn_remote, "closed", OBJ, SK_ENOTCONN,         \
      cx_name(CC, 1, 1))                                                  \
    R(csock_null, sk_conn_sock, "NULL conn", NUL, SK_EINVAL,              \
      cx_sock(-1, 1))                                                     \
    R(csock_nullout, sk_conn_sock, "NULL out", 0, SK_EINVAL,              \
      cx_sock(CF, 0))                                                     \
    R(csock_closed, sk_conn_sock, "closed: its object", OBJ, 0,           \
      cx_sock(CC, 1))                                                     \
    R(snew_nullloop, sk_server_new, "NULL loop", 0, SK_EINVAL,            \
      snew_row(0))                                                        \
    R(snew_nullout, sk_server_new, "NULL out", 0, SK_EINVAL, snew_row(1)) \
    R(slisten_null, sk_server_listen, "NULL server", NUL, SK_EINVAL,      \
      sk_server_listen(NULL, "127.0.0.1", 0, 4, cx_accept, NULL))         \
    R(slisten_nullcb, sk_server_listen, "NULL cb", 0, SK_EINVAL,          \
      cx_listen(SF, "127.0.0.1", 0, 0))                                   \
    R(slisten_nullhost, sk_server_listen, "NULL host", 0, SK_EINVAL,      \
      cx_listen(SF, NULL, 0, 1))                                          \
    R(slisten_empty, sk_server_listen, "empty host", 0, SK_EINVAL,        \
      cx_listen(SF, "", 0, 1))                                            \
    R(slisten_256, sk_server_listen, "256-byte host", 0, SK_EINVAL,       \
      cx_listen(SF, f->host256, 0, 1))                                    \
    R(slisten_m1, sk_server_listen, "port -1", 0, SK_EINVAL,              \
      cx_listen(SF, "127.0.0.1", -1, 1))                                  \
    R(slisten_65536, sk_server_listen, "port 65536", 0, SK_EINVAL,        \
      cx_listen(SF, "127.0.0.1", 65536, 1))                               \
    R(slisten_twice, sk_server_listen, "listening already", 0,            \
      SK_EWRONGROLE, cx_listen(SF, "127.0.0.1", 0, 2))                    \
    R(slisten_closed, sk_server_listen, "closed", OBJ, SK_ECLOSED,        \
      cx_listen(SC, "127.0.0.1", 0, 1))                                   \
    R(ssock_null, sk_server_sock, "NULL server", NUL, SK_EINVAL,          \
      cx_ssock(-1, 1))                                                    \
    R(ssock_nullout, sk_server_sock, "NULL out", 0, SK_EINVAL,            \
      cx_ssock(SF, 0))                                                    \
    R(ssock_closed, sk_server_sock, "closed", OBJ, SK_ECLOSED,            \
      cx_ssock(SC, 1))                                                    \
    R(sclose_null, sk_server_close, "NULL", NUL, SK_EINVAL,               \
      sk_server_close(NULL))                                              \
    R(sclose_closed, sk_server_close, "closed: 0 again", OBJ, 0,          \
      cx_sclose(SC))                                                      \
    R(sfree_null, sk_server_free, "NULL (no-op)", NUL, 0, sfree_null())   \
    R(sfree_closed, sk_server_free, "closed", OBJ, 0, cx_sfree(SC))       \
    R(sstats_null, sk_server_getstats, "NULL server", NUL, SK_EINVAL,     \
      cx_sstats(-1, 1))                                                   \
    R(sstats_nullout, sk_server_getstats, "NULL out", 0, SK_EINVAL,       \
      cx_sstats(SF, 0))                                                   \
    R(sstats_closed, sk_server_getstats, "closed: counts kept", OBJ, 0,   \
      cx_sstats(SC, 1))                                                   \
    /* -- selector ---------------------------------------------------- */ \
    R(sel_new_null, sk_selector_new, "NULL out", 0, SK_EINVAL,             \
      sk_selector_new(NULL))                                               \
    R(sel_new_ok, sk_selector_new, "valid", 0, 0,                          \
      sel_new_row(NULL))                                                   \
    R(sel_newb_nullout, sk_selector_new_backend, "NULL out", 0, SK_EINVAL, \
      sk_selector_new_backend(NULL, "poll"))                               \
    R(sel_newb_null, sk_selector_new_backend, "NULL backend", 0, SK_EINVAL, \
      sel_new_row(""))                                                     \
    R(sel_newb_bogus, sk_selector_new_backend, "unknown name", 0, SK_EINVAL, \
      sel_new_row("bogus"))                                                \
    R(sel_newb_case, sk_selector_new_backend, "\"Poll\" (names are exact)", 0, SK_EINVAL, \
      sel_new_row("Poll"))                                                 \
    R(sel_free_null, sk_selector_free, "NULL (no-op)", NUL, 0,             \
      sel_free_null())                                                     \
    R(sel_free_members, sk_selector_free, "with members (left open)", 0, 0, \
      sel_row(f, f->cli, 8, SK_READABLE))                                  \
    R(sel_backend_null, sk_selector_backend, "NULL", NUL, 1,               \
      sk_selector_backend(NULL) == NULL)                                   \
    R(sel_add_nullobj, sk_selector_add, "NULL object", NUL, SK_EINVAL,     \
      sel_row(f, NULL, 0, SK_READABLE))                                    \
    R(sel_add_closed, sk_selector_add, "closed", OBJ, SK_ECLOSED,          \
      sel_row(f, f->closed, 0, SK_READABLE))                               \
    R(sel_add_nullsel, sk_selector_add, "NULL selector", 0, SK_EINVAL,     \
      sel_row(f, f->cli, 1, SK_READABLE))                                  \
    R(sel_add_errored, sk_selector_add, "SK_ERRORED as interest", 0, SK_EINVAL, \
      sel_row(f, f->cli, 0, SK_ERRORED))                                   \
    R(sel_add_m1, sk_selector_add, "events -1", 0, SK_EINVAL,              \
      sel_row(f, f->cli, 0, -1))                                           \
    R(sel_add_intmin, sk_selector_add, "events INT_MIN", 0, SK_EINVAL,     \
      sel_row(f, f->cli, 0, INT_MIN))                                      \
    R(sel_add_twice, sk_selector_add, "a member already", 0, SK_EINVAL,    \
      sel_row(f, f->cli, 9, SK_READABLE))                                  \
    R(sel_add_nosocket, sk_selector_add, "dual-stack master, no socket", 0, SK_EINVAL, \
      sel_row(f, f->md, 0, SK_READABLE))                                   \
    R(sel_add_nosocket0, sk_selector_add, "dual-stack master, events 0", 0, 0, \
      sel_row(f, f->md, 0, 0))                                             \
    R(sel_add_server, sk_selector_add, "a server: allowed", 0, 0,          \
      sel_row(f, f->srv, 0, SK_READABLE | SK_WRITABLE))                    \
    R(sel_add_dgram, sk_selector_add, "a datagram object: allowed", 0, 0,  \
      sel_row(f, f->u4, 0, SK_READABLE))                                   \
    R(sel_set_nullobj, sk_selector_set, "NULL object", NUL, SK_EINVAL,     \
      sel_row(f, NULL, 2, SK_READABLE))                                    \
    R(sel_set_closed, sk_selector_set, "closed", OBJ, SK_ECLOSED,          \
      sel_row(f, f->closed, 3, SK_READABLE))                               \
    R(sel_set_nullsel, sk_selector_set, "NULL selector", 0, SK_EINVAL,     \
      sel_row(f, f->cli, 10, SK_READABLE))                                 \
    R(sel_set_nonmember, sk_selector_set, "not a member", 0, SK_EINVAL,    \
      sel_row(f, f->cli, 3, SK_READABLE))                                  \
    R(sel_set_closedmember, sk_selector_set, "member closed after sk_selector_add", 0, SK_ECLOSED, \
      sel_row(f, f->cli, 6, SK_READABLE))                                  \
    R(sel_set_intmax, sk_selector_set, "events INT_MAX", 0, SK_EINVAL,     \
      sel_row(f, f->cli, 2, INT_MAX))                                      \
    R(sel_set_ok, sk_selector_set, "both", 0, 0,                           \
      sel_row(f, f->cli, 2, SK_READABLE | SK_WRITABLE))                    \
    R(sel_set_pause, sk_selector_set, "0 (paused)", 0, 0,                  \
      sel_row(f, f->acc, 2, 0))                                            \
    R(sel_rm_nullobj, sk_selector_remove, "NULL object", NUL, SK_EINVAL,   \
      sel_row(f, NULL, 4, 0))                                              \
    R(sel_rm_closed, sk_selector_remove, "closed", OBJ, SK_ECLOSED,        \
      sel_row(f, f->closed, 5, 0))                                         \
    R(sel_rm_nullsel, sk_selector_remove, "NULL selector", 0, SK_EINVAL,   \
      sel_row(f, f->cli, 11, 0))                                           \
    R(sel_rm_nonmember, sk_selector_remove, "not a member", 0, SK_EINVAL,  \
      sel_row(f, f->cli, 5, 0))                                            \
    R(sel_rm_closedmember, sk_selector_remove, "member closed after sk_selector_add", 0, SK_ECLOSED, \
      sel_row(f, f->cli, 7, 0))                                            \
    R(sel_rm_ok, sk_selector_remove, "a member", 0, 0,                     \
      sel_row(f, f->cli, 4, SK_READABLE))                                  \
    R(sel_wait_nullsel, sk_selector_wait, "NULL selector", NUL, SK_EINVAL, \
      sel_wait_row(f, 0))                                                  \
    R(sel_wait_cap0, sk_selector_wait, "cap 0", 0, SK_EINVAL,              \
      sel_wait_row(f, 1))                                                  \
    R(sel_wait_nan, sk_selector_wait, "NaN timeout", 0, SK_EINVAL,         \
      sel_wait_row(f, 2))                                                  \
    R(sel_wait_nullready, sk_selector_wait, "NULL ready", 0, SK_EINVAL,    \
      sel_wait_row(f, 3))                                                  \
    R(sel_wait_nullevents, sk_selector_wait, "NULL events", 0, SK_EINVAL,  \
      sel_wait_row(f, 4))                                                  \
    R(sel_wait_nulln, sk_selector_wait, "NULL n", 0, SK_EINVAL,            \
      sel_wait_row(f, 5))                                                  \
    R(sel_wait_empty0, sk_selector_wait, "empty, timeout 0", 0, SK_ETIMEOUT, \
      sel_wait_row(f, 6))                                                  \
    R(sel_wait_emptyinf, sk_selector_wait, "empty, no timeout", 0, SK_EINVAL, \
      sel_wait_row(f, 7))                                                  \
    R(sel_wait_neginf, sk_selector_wait, "empty, timeout -HUGE_VAL", 0, SK_EINVAL, \
      sel_wait_row(f, 8))                                                  \
    R(sel_wait_closed, sk_selector_wait, "its member closed: gone", 0, SK_ETIMEOUT, \
      sel_wait_row(f, 9))                                                  \
    R(sel_wait_writable, sk_selector_wait, "a writable member", 0, 1,      \
      sel_wait_row(f, 10))                                                \
    R(sel_wait_inf, sk_selector_wait, "+inf: no limit", 0, 1,             \
      sel_wait_row(f, 11))                                                \
    R(sel_wait_35d, sk_selector_wait, "35 days: allowed", 0, 1,           \
      sel_wait_row(f, 12))                                                \
    R(sel_wait_big, sk_selector_wait, "1e9 + 1 s", 0, SK_EINVAL,          \
      sel_wait_row(f, 13))                                                \
    R(sel_wait_huge, sk_selector_wait, "1e300 s", 0, SK_EINVAL,           \
      sel_wait_row(f, 14))                                                \
    /* -- line views --------------------------------------------------- */\
    R(rline_null, sk_receiveline, "NULL object", NUL, SK_EINVAL,          \
      lines_on(NULL, 1, 1))                                               \
    R(rline_closed, sk_receiveline, "closed", OBJ, SK_ECLOSED,            \
      lines_on(f->closed, 1, 1))                                          \
    R(rline_nullline, sk_receiveline, "NULL line", 0, SK_EINVAL,          \
      lines_on(f->acc, 0, 1))                                             \
    R(rline_nulllen, sk_receiveline, "NULL len", 0, SK_EINVAL,            \
      lines_on(f->acc, 1, 0))                                             \
    R(rline_nullboth, sk_receiveline, "NULL line and len", 0, SK_EINVAL,  \
      lines_on(f->cli, 0, 0))                                             \
    R(rline_master, sk_receiveline, "on a master", 0, SK_EWRONGROLE,      \
      lines_on(f->m4, 1, 1))                                              \
    R(rline_dual, sk_receiveline, "on a dual-stack master", 0,            \
      SK_EWRONGROLE, lines_on(f->md, 1, 1))                               \
    R(rline_server, sk_receiveline, "on a server", 0, SK_EWRONGROLE,      \
      lines_on(f->srv, 1, 1))                                             \
    R(rline_udp, sk_receiveline, "on a datagram object", 0,               \
      SK_EWRONGROLE, lines_on(f->u4, 1, 1))                               \
    R(rline_udpconn, sk_receiveline, "on a connected datagram object", 0, \
      SK_EWRONGROLE, lines_on(f->uc, 1, 1))                               \
    /* -- TLS ---------------------------------------------------------- */\
    R(tls_provider, sk_tls_provider, "any build", 0, 1,                   \
      sk_tls_provider() == NULL || sk_tls_provider()[0] != '\0')          \
    R(tls_new_null, sk_tls_ctx_new, "NULL out", 0, SK_EINVAL,             \
      sk_tls_ctx_new(NULL, SK_TLS_CLIENT))                                \
    R(tls_new_mode0, sk_tls_ctx_new, "mode 0", TLS, SK_EINVAL,            \
      tls_new_mode(0))                                                    \
    R(tls_new_mode3, sk_tls_ctx_new, "mode 3", TLS, SK_EINVAL,            \
      tls_new_mode(3))                                                    \
    R(tls_new_modemin, sk_tls_ctx_new, "mode INT_MIN", TLS, SK_EINVAL,    \
      tls_new_mode(INT_MIN))                                              \
    R(tls_free_null, sk_tls_ctx_free, "NULL", 0, 0, tls_free_null())      \
    R(tls_verify_null, sk_tls_ctx_set_verify, "NULL context", 0,          \
      SK_EINVAL, sk_tls_ctx_set_verify(NULL, SK_TLS_VERIFY_PEER))         \
    R(tls_verify_bad, sk_tls_ctx_set_verify, "mode 7", TLS, SK_EINVAL,    \
      tls_ctx_row(SK_TLS_CLIENT, 0))                                      \
    R(tls_verify_opt, sk_tls_ctx_set_verify, "optional on a client", TLS, \
      SK_EINVAL, tls_ctx_row(SK_TLS_CLIENT, 1))                           \
    R(tls_verify_neg, sk_tls_ctx_set_verify, "mode -1", TLS, SK_EINVAL,   \
      tls_ctx_row(SK_TLS_SERVER, 2))                                      \
    R(tls_cafile_null, sk_tls_ctx_set_ca_file, "NULL context", 0,         \
      SK_EINVAL, sk_tls_ctx_set_ca_file(NULL, "ca.pem", NULL))            \
    R(tls_cafile_none, sk_tls_ctx_set_ca_file, "file and dir NULL", TLS,  \
      SK_EINVAL, tls_ctx_row(SK_TLS_CLIENT, 3))                           \
    R(tls_cafile_empty, sk_tls_ctx_set_ca_file, "file and dir empty",     \
      TLS, SK_EINVAL, tls_ctx_row(SK_TLS_CLIENT, 4))                      \
    R(tls_cafile_missing, sk_tls_ctx_set_ca_file, "missing file", TLS,    \
      SK_ETLSBADCERT, tls_ctx_row(SK_TLS_CLIENT, 5))                      \
    R(tls_capem_null, sk_tls_ctx_set_ca_pem, "NULL context", 0,           \
      SK_EINVAL, sk_tls_ctx_set_ca_pem(NULL, "x", 1))                     \
    R(tls_capem_nullpem, sk_tls_ctx_set_ca_pem, "NULL pem", TLS,          \
      SK_EINVAL, tls_ctx_row(SK_TLS_CLIENT, 6))                           \
    R(tls_capem_len0, sk_tls_ctx_set_ca_pem, "len 0", TLS, SK_EINVAL,     \
      tls_ctx_row(SK_TLS_CLIENT, 7))                                      \
    R(tls_capem_huge, sk_tls_ctx_set_ca_pem, "len SIZE_MAX", TLS,         \
      SK_EINVAL, tls_ctx_row(SK_TLS_CLIENT, 8))                           \
    R(tls_capem_junk, sk_tls_ctx_set_ca_pem, "not PEM", TLS,              \
      SK_ETLSBADCERT, tls_ctx_row(SK_TLS_CLIENT, 9))                      \
    R(tls_certfile_null, sk_tls_ctx_set_cert_file, "NULL context", 0,     \
      SK_EINVAL, sk_tls_ctx_set_cert_file(NULL, "c.pem", "k.pem"))        \
    R(tls_certfile_nullcert, sk_tls_ctx_set_cert_file, "NULL cert", TLS,  \
      SK_EINVAL, tls_ctx_row(SK_TLS_SERVER, 10))                          \
    R(tls_certfile_empty, sk_tls_ctx_set_cert_file, "empty cert", TLS,    \
      SK_EINVAL, tls_ctx_row(SK_TLS_SERVER, 11))                          \
    R(tls_certfile_missing, sk_tls_ctx_set_cert_file, "missing files",    \
      TLS, SK_ETLSBADCERT, tls_ctx_row(SK_TLS_SERVER, 12))                \
    R(tls_certpem_null, sk_tls_ctx_set_cert_pem, "NULL context", 0,       \
      SK_EINVAL, sk_tls_ctx_set_cert_pem(NULL, "c", 1, "k", 1))           \
    R(tls_certpem_nullcert, sk_tls_ctx_set_cert_pem, "NULL cert", TLS,    \
      SK_EINVAL, tls_ctx_row(SK_TLS_SERVER, 13))                          \
    R(tls_certpem_len0, sk_tls_ctx_set_cert_pem, "certlen 0", TLS,        \
      SK_EINVAL, tls_ctx_row(SK_TLS_SERVER, 14))                          \
    R(tls_certpem_huge, sk_tls_ctx_set_cert_pem, "certlen SIZE_MAX", TLS, \
      SK_EINVAL, tls_ctx_row(SK_TLS_SERVER, 15))                          \
    R(tls_certpem_keyhuge, sk_tls_ctx_set_cert_pem, "keylen SIZE_MAX",    \
      TLS, SK_EINVAL, tls_ctx_row(SK_TLS_SERVER, 16))                     \
    R(tls_certpem_nullkey, sk_tls_ctx_set_cert_pem,                       \
      "NULL key with keylen 5", TLS, SK_EINVAL,                           \
      tls_ctx_row(SK_TLS_SERVER, 17))                                     \
    R(tls_certpem_junk, sk_tls_ctx_set_cert_pem, "not PEM", TLS,          \
      SK_ETLSBADCERT, tls_ctx_row(SK_TLS_SERVER, 18))                     \
    R(tls_alpn_null, sk_tls_ctx_set_alpn, "NULL context", 0, SK_EINVAL,   \
      sk_tls_ctx_set_alpn(NULL, "h2"))                                    \
    R(tls_alpn_empty, sk_tls_ctx_set_alpn, "empty list", TLS, SK_EINVAL,  \
      tls_ctx_row(SK_TLS_CLIENT, 19))                                     \
    R(tls_alpn_emptyname, sk_tls_ctx_set_alpn, "empty name", TLS,         \
      SK_EINVAL, tls_ctx_row(SK_TLS_CLIENT, 20))                          \
    R(tls_alpn_comma, sk_tls_ctx_set_alpn, "trailing comma", TLS,         \
      SK_EINVAL, tls_ctx_row(SK_TLS_SERVER, 21))                          \
    R(tls_alpn_long, sk_tls_ctx_set_alpn, "256-byte name", TLS,           \
      SK_EINVAL, tls_ctx_row(SK_TLS_CLIENT, 22))                          \
    R(tls_minver_null, sk_tls_ctx_set_min_version, "NULL context", 0,     \
      SK_EINVAL, sk_tls_ctx_set_min_version(NULL, SK_TLS_1_2))            \
    R(tls_minver_11, sk_tls_ctx_set_min_version, "version 11", TLS,       \
      SK_EINVAL, tls_ctx_row(SK_TLS_CLIENT, 23))                          \
    R(tls_minver_min, sk_tls_ctx_set_min_version, "version INT_MIN", TLS, \
      SK_EINVAL, tls_ctx_row(SK_TLS_CLIENT, 24))                          \
    R(tls_start_null, sk_tls_start, "NULL object", NUL, SK_EINVAL,        \
      sk_tls_start(NULL, NULL, "localhost"))                              \
    R(tls_start_closed, sk_tls_start, "closed", OBJ, SK_ECLOSED,          \
      sk_tls_start(f->closed, NULL, "localhost"))                         \
    R(tls_start_nullctx, sk_tls_start, "NULL context", 0, SK_EINVAL,      \
      sk_tls_start(f->cli, NULL, "localhost"))                            \
    R(tls_start_master, sk_tls_start, "on a master", 0, SK_EWRONGROLE,    \
      sk_tls_start(f->m4, NULL, "localhost"))                             \
    R(tls_start_server, sk_tls_start, "on a server", 0, SK_EWRONGROLE,    \
      sk_tls_start(f->srv, NULL, "localhost"))                            \
    R(tls_start_udp, sk_tls_start, "on a datagram object", 0,             \
      SK_EWRONGROLE, sk_tls_start(f->uc, NULL, "localhost"))              \
    R(tls_start_nullhost, sk_tls_start, "verifying, NULL host", TLS,      \
      SK_EINVAL, tls_sock_row(f, 0))                                      \
    R(tls_start_emptyhost, sk_tls_start, "empty host", TLS, SK_EINVAL,    \
      tls_sock_row(f, 1))                                                 \
    R(tls_start_longhost, sk_tls_start, "256-byte host", TLS, SK_EINVAL,  \
      tls_sock_row(f, 2))                                                 \
    R(tls_start_twice, sk_tls_start, "twice", TLS, SK_EINVAL,             \
      tls_sock_row(f, 3))                                                 \
    R(tls_start_nocert, sk_tls_start, "server context, no certificate",   \
      TLS, SK_ETLSBADCERT, tls_sock_row(f, 4))                            \
    R(tls_hs_null, sk_tls_handshake, "NULL object", NUL, SK_EINVAL,       \
      sk_tls_handshake(NULL))                                             \
    R(tls_hs_closed, sk_tls_handshake, "closed", OBJ, SK_ECLOSED,         \
      sk_tls_handshake(f->closed))                                        \
    R(tls_hs_plain, sk_tls_handshake, "plain client", 0, SK_EWRONGROLE,   \
      sk_tls_handshake(f->acc))                                           \
    R(tls_hs_master, sk_tls_handshake, "on a master", 0, SK_EWRONGROLE,   \
      sk_tls_handshake(f->md))                                            \
    R(tls_listen_null, sk_tls_listen, "NULL object", NUL, SK_EINVAL,      \
      sk_tls_listen(NULL, NULL))                                          \
    R(tls_listen_closed, sk_tls_listen, "closed", OBJ, SK_ECLOSED,        \
      sk_tls_listen(f->closed, NULL))                                     \
    R(tls_listen_client, sk_tls_listen, "on a client", 0, SK_EWRONGROLE,  \
      sk_tls_listen(f->cli, NULL))                                        \
    R(tls_listen_udp, sk_tls_listen, "on a datagram object", 0,           \
      SK_EWRONGROLE, sk_tls_listen(f->u4, NULL))                          \
    R(tls_listen_off, sk_tls_listen, "NULL context (plain)", 0, 0,        \
      sk_tls_listen(f->srv, NULL))                                        \
    R(tls_listen_cctx, sk_tls_listen, "a client context", TLS, SK_EINVAL, \
      tls_sock_row(f, 5))                                                 \
    R(tls_listen_nocert, sk_tls_listen, "no certificate", TLS,            \
      SK_ETLSBADCERT, tls_sock_row(f, 6))                                 \
    R(tls_get_null, sk_tls_get, "NULL object", NUL, SK_EINVAL,            \
      tls_get_on(NULL, SK_TLS_VERSION, 1))                                \
    R(tls_get_closed, sk_tls_get, "closed", OBJ, SK_ECLOSED,              \
      tls_get_on(f->closed, SK_TLS_VERSION, 1))                           \
    R(tls_get_plain, sk_tls_get, "plain client", 0, SK_EWRONGROLE,        \
      tls_get_on(f->acc, SK_TLS_VERSION, 1))                              \
    R(tls_get_server, sk_tls_get, "on a server", 0, SK_EWRONGROLE,        \
      tls_get_on(f->srv, SK_TLS_VERSION, 1))                              \
    R(tls_get_item, sk_tls_get, "item 99", TLS, SK_EINVAL,                \
      tls_sock_row(f, 7))                                                 \
    R(tls_get_itemneg, sk_tls_get, "item -1", TLS, SK_EINVAL,             \
      tls_sock_row(f, 8))                                                 \
    R(tls_get_nullvalue, sk_tls_get, "NULL value", TLS, SK_EINVAL,        \
      tls_sock_row(f, 9))                                                 \
    R(tls_get_early, sk_tls_get, "before the handshake", TLS,             \
      SK_EINPROGRESS, tls_sock_row(f, 10))                                \
    R(tls_verified_null, sk_tls_verified, "NULL object", NUL, SK_EINVAL,  \
      sk_tls_verified(NULL))                                              \
    R(tls_verified_closed, sk_tls_verified, "closed", OBJ, SK_ECLOSED,    \
      sk_tls_verified(f->closed))                                         \
    R(tls_verified_plain, sk_tls_verified, "plain client", 0,             \
      SK_EWRONGROLE, sk_tls_verified(f->cli))                             \
    R(tls_verified_early, sk_tls_verified, "before the handshake", TLS,   \
      SK_EINPROGRESS, tls_sock_row(f, 11))                                \
    R(tls_resumed_null, sk_tls_resumed, "NULL object", NUL, SK_EINVAL,    \
      sk_tls_resumed(NULL))                                               \
    R(tls_resumed_closed, sk_tls_resumed, "closed", OBJ, SK_ECLOSED,      \
      sk_tls_resumed(f->closed))                                          \
    R(tls_resumed_master, sk_tls_resumed, "on a master", 0,               \
      SK_EWRONGROLE, sk_tls_resumed(f->m4))                               \
    R(tls_resumed_early, sk_tls_resumed, "before the handshake", TLS,     \
      SK_EINPROGRESS, tls_sock_row(f, 12))                                \
    R(ctls_null, sk_conn_settls, "NULL conn", NUL, SK_EINVAL,             \
      sk_conn_settls(NULL, NULL, "localhost"))                            \
    R(ctls_closed, sk_conn_settls, "closed: allowed again", OBJ, 0,       \
      cx_settls(CC, 0))                                                   \
    R(ctls_lookup, sk_conn_settls, "in HOST_LOOKUP", 0, SK_EWRONGROLE,    \
      cx_settls(CL, 0))                                                   \
    R(ctls_plain, sk_conn_settls, "NULL context: plain", 0, 0,            \
      cx_settls(CF, 0))                                                   \
    R(ctls_server, sk_conn_settls, "a server context", TLS, SK_EINVAL,    \
      cx_settls(CF, 1))                                                   \
    R(ctls_nullhost, sk_conn_settls, "verifying, NULL host", TLS,         \
      SK_EINVAL, cx_settls(CF, 2))                                        \
    R(ctls_empty, sk_conn_settls, "empty host", TLS, SK_EINVAL,           \
      cx_settls(CF, 3))                                                   \
    R(ctls_long, sk_conn_settls, "256-byte host", TLS, SK_EINVAL,         \
      cx_settls(CF, 4))

/* sk_accept with a valid out-pointer; frees what it might return. */
static int accept_on(sk_sock *s)
{
    sk_sock *c = NULL;
    int r = sk_accept(s, &c, NULL);
    sk_free(c);
    return r;
}

static int read_into(fx *f, sk_sock *s, size_t cap)
{
    size_t got = 77;
    int r = sk_read(s, f->dst, cap, &got);
    if (got != 0) /* *got is 0 on error */
        return 12345;
    return r;
}

static int name_of(const sk_sock *s, int peer)
{
    sk_name n;
    return peer ? sk_getpeername(s, &n) : sk_getsockname(s, &n);
}

/* sk_getstate rows: which 0 passes a valid out; 1 checks a closed object
 * (1 when it reports closed and nothing else); 2 a dual-stack master
 * without a socket (1 when its family is SK_AF_UNSPEC). */
static int state_rows(const sk_sock *s, int which)
{
    sk_state st;
    int r = sk_getstate(s, &st);
    if (r != 0 || which == 0)
        return r;
    if (which == 1)
        return st.closed == 1 && st.bound == 0 && st.connected == 0 &&
               st.listening == 0 && st.shut_receive == 0 &&
               st.shut_send == 0 &&
               ((st.type == SK_STREAM && st.protocol == SK_PROTO_TCP) ||
                (st.type == SK_DGRAM && st.protocol == SK_PROTO_UDP));
    return st.family == SK_AF_UNSPEC && st.closed == 0 && st.bound == 0;
}

/* datagrams: sk_recvfrom into f->dst (from wanted or not); *got must be 0
 * and from zeroed on error. */
static int recvfrom_into(fx *f, sk_sock *s, size_t cap, int want_from)
{
    sk_name from;
    size_t got = 77, size = 77;
    int r;
    memset(&from, 'x', sizeof from);
    r = sk_recvfrom(s, f->dst, cap, &got, &size, want_from ? &from : NULL);
    if (r != 0 && (got != 0 || size != 0 || (want_from && from.port != 0)))
        return 12345;
    return r;
}

/* sk_recvfrom with cap 0 and buf NULL: allowed. */
static int recvfrom_nobuf(fx *f)
{
    size_t got = 77, size = 77;
    int r = sk_recvfrom(f->u4, NULL, 0, &got, &size, NULL);
    if (got != 0 || size != 0)
        return 12345;
    return r;
}

/* datagrams in binary form: sk_recvfromaddr into f->dst; *got must be 0
 * and from zeroed on error. */
static int recvfromaddr_into(fx *f, sk_sock *s, size_t cap, int want_from)
{
    sk_addr from;
    size_t got = 77, size = 77;
    int r;
    memset(&from, 'x', sizeof from);
    r = sk_recvfromaddr(s, f->dst, cap,
                        &got, &size, want_from ? &from : NULL);
    if (r != 0 && (got != 0 || size != 0 ||
                   (want_from && (from.len != 0 || from.family != 0))))
        return 12345;
    return r;
}

/* sk_sendtoaddr to u4's address (which 0), or a bad one: 1 zeroed, 2 0xff
 * bytes, 3 len 0, 4 len UINT_MAX; or bad data: 5 NULL with len 3, 6 NULL
 * with len 0 (allowed), 7 len SIZE_MAX. */
static int sendtoaddr_row(fx *f, sk_sock *s, int which)
{
    sk_addr a;
    const void *data = "a";
    size_t len = 1;
    if (sk_toaddr(f->u4, "127.0.0.1", f->uport, &a) != 0)
        return 12345;
    if (which == 1)
        memset(&a, 0, sizeof a);
    else if (which == 2)
        memset(&a, 0xff, sizeof a);
    else if (which == 3)
        a.len = 0;
    else if (which == 4)
        a.len = UINT_MAX;
    else if (which == 5)
        data = NULL, len = 3;
    else if (which == 6)
        data = NULL, len = 0;
    else if (which == 7)
        len = SIZE_MAX;
    return sk_sendtoaddr(s, data, len, &a);
}

/* sk_sendmanyaddr of two datagrams to u4: which 0 good, 1 d NULL, 2 to
 * NULL, 3 the second address zeroed, 4 the second datagram NULL data with
 * len 1, 5 the first len SIZE_MAX, 6 good (both checked received); *done
 * must say how many went. */
static int sendmanyaddr_row(fx *f, sk_sock *s, int which)
{
    sk_dgram d[2];
    sk_addr a[2];
    size_t done = 77;
    int r;
    memset(d, 0, sizeof d);
    if (sk_toaddr(f->u4, "127.0.0.1", f->uport, &a[0]) != 0)
        return 12345;
    a[1] = a[0];
    d[0].data = d[1].data = (void *)"ab";
    d[0].len = d[1].len = 2;
    if (which == 3)
        memset(&a[1], 0, sizeof a[1]);
    else if (which == 4)
        d[1].data = NULL, d[1].len = 1;
    else if (which == 5)
        d[0].len = SIZE_MAX;
    r = sk_sendmanyaddr(s, which == 1 ? NULL : d, which == 2 ? NULL : a, 2,
                        &done);
    if (r == 0 && which == 6) {
        char b[4];
        size_t got = 0;
        if (done != 2 ||
            sk_recvfromaddr(f->u4, b, sizeof b, &got, NULL, &a[1]) != 0 ||
            got != 2 ||
            sk_recvfromaddr(f->u4, b, sizeof b, &got, NULL, &a[1]) != 0 ||
            got != 2)
            return 12345;
        return 0;
    }
    if (r == 0)
        return done == 2 ? 0 : 12345;
    return done == (which == 3 || which == 4 ? 1u : 0u) ? r : 12345;
}

/* sk_recvmanyaddr into one 4-byte buffer: which 0 good, 1 d NULL, 2 from
 * NULL, 3 data NULL with len 4; *done must be 0 on error. */
static int recvmanyaddr_row(fx *f, sk_sock *s, int which)
{
    char b[4];
    sk_dgram d[1];
    sk_addr a[1];
    size_t done = 77;
    int r;
    (void)f;
    memset(d, 0, sizeof d);
    d[0].data = which == 3 ? NULL : b;
    d[0].len = sizeof b;
    r = sk_recvmanyaddr(s, which == 1 ? NULL : d, which == 2 ? NULL : a, 1,
                        &done);
    return r != 0 && done != 0 ? 12345 : r;
}

/* sk_toaddr: *out zeroed on error. */
static int toaddr_row(sk_sock *s, const char *host, int port)
{
    sk_addr a;
    int r;
    memset(&a, 'x', sizeof a);
    r = sk_toaddr(s, host, port, &a);
    if (r != 0 && (a.len != 0 || a.family != 0))
        return 12345;
    return r;
}

/* sk_addrname: 0 NULL address, 1 NULL out, 2 zeroed, 3 0xff bytes, 4 a
 * family that is not the native one, 5 a good one; *out zeroed on
 * error. */
static int addrname_row(fx *f, int which)
{
    sk_addr a;
    sk_name n;
    int r;
    if (sk_toaddr(f->u4, "127.0.0.1", f->uport, &a) != 0)
        return 12345;
    if (which == 2)
        memset(&a, 0, sizeof a);
    else if (which == 3)
        memset(&a, 0xff, sizeof a);
    else if (which == 4)
        a.family = SK_AF_INET6;
    memset(&n, 'x', sizeof n);
    r = sk_addrname(which == 0 ? NULL : &a, which == 1 ? NULL : &n);
    if (which == 1)
        return r;
    if (r != 0 && (n.addr[0] != '\0' || n.port != 0))
        return 12345;
    if (r == 0 && (strcmp(n.addr, "127.0.0.1") != 0 || n.port != f->uport))
        return 12345;
    return r;
}

/* sk_write's *sent and sk_readn's *got are 0 on an early error. */
static int write_rc(sk_sock *s, const void *data, size_t len)
{
    size_t sent = 77;
    int r = sk_write(s, data, len, &sent);
    if (sent != 0)
        return 12345;
    return r;
}
static int readn_rc(fx *f, sk_sock *s, size_t n)
{
    size_t got = 77;
    int r = sk_readn(s, n ? f->dst : NULL, n, &got);
    if (got != 0)
        return 12345;
    return r;
}
/* sk_buf_reset keeps the memory and leaves an empty C string. */
static int buf_reset_row(void)
{
    sk_buf b = SK_BUF_INIT;
    int ok;
    sk_buf_reset(&b); /* empty: nothing to do */
    ok = b.data == NULL && b.len == 0;
    if (sk_buf_reserve(&b, 8) != 0)
        return 0;
    memcpy(b.data, "abc", 3);
    b.len = 3;
    sk_buf_reset(&b);
    ok = ok && b.len == 0 && b.cap >= 8 && b.data != NULL &&
         b.data[0] == '\0';
    sk_buf_free(&b);
    return ok;
}

/* Address lookup rows: a failed lookup must leave the list empty
 * (12345 when it does not); names and buffers are released. */
static int gai_row(const char *host, const char *service, int family,
                   int type, int flags)
{
    sk_addrlist l;
    int r;
    l.items = (sk_addrinfo *)&l; /* garbage the call must overwrite */
    l.count = 7;
    l.canonname = (char *)&l;
    r = sk_getaddrinfo(host, service, family, type, flags, &l);
    if (r == 0) {
        sk_addrlist_free(&l);
    } else if (l.items != NULL || l.count != 0 || l.canonname != NULL) {
        r = 12345;
    }
    return r;
}
static int addrlist_free_null(void)
{
    sk_addrlist_free(NULL);
    return 0;
}
static int addrlist_free_twice(void)
{
    sk_addrlist l = {NULL, 0, NULL};
    sk_addrlist_free(&l);
    sk_addrlist_free(&l);
    return (l.items == NULL && l.count == 0 && l.canonname == NULL) ? 0
                                                                     : 12345;
}
/* sk_getnameinfo into a buffer of cap bytes (at most 64); on error the
 * buffer must hold "" (12345 when it does not). */
static int gni_row(const char *addr, size_t cap)
{
    char name[64];
    int r;
    memset(name, 'x', sizeof name);
    r = sk_getnameinfo(addr, name, cap);
    if (r != 0 && cap > 0 && name[0] != '\0')
        r = 12345;
    return r;
}
static int ghn_row(size_t cap)
{
    char name[64];
    int r;
    memset(name, 'x', sizeof name);
    r = sk_gethostname(name, cap);
    if (r != 0 && cap > 0 && name[0] != '\0')
        r = 12345;
    return r;
}

/* -- sending files and gathered buffers: the rows' calls.  *sent must be
 * 0 after a failure (nothing went out); 12345 reports that it was not. */
static int sendfile_row(sk_sock *s, int file, uint64_t offset,
                        int64_t length)
{
    uint64_t sent = 77;
    int r = sk_sendfile(s, file, offset, length, &sent);
    return sent != 0 ? 12345 : r;
}

/* sk_sendmany of two one-byte datagrams to host:port; which 1 makes the
 * second one NULL data with len 1, which 2 its length SIZE_MAX.  The
 * count sent must be 0 on error except for which 1 (1: the first went). */
static int sendmany_row(sk_sock *s, int which, const char *host, int port)
{
    sk_dgram d[2];
    size_t done = 77;
    int r;
    memset(d, 0, sizeof d);
    d[0].data = "a";
    d[0].len = 1;
    d[0].host = host;
    d[0].port = port;
    d[1] = d[0];
    if (which == 1)
        d[1].data = NULL;
    else if (which == 2)
        d[0].len = SIZE_MAX;
    r = sk_sendmany(s, d, 2, &done);
    if (r == 0)
        return done == 2 ? 0 : 12345;
    return done == (which == 1 ? 1u : 0u) ? r : 12345;
}

/* sk_recvmany into one 4-byte buffer (which 1: data NULL, len 4; which 2:
 * done NULL); *done must be 0 on error. */
static int recvmany_row(sk_sock *s, int which)
{
    char b[4];
    sk_dgram d[1];
    size_t done = 77;
    int r;
    memset(d, 0, sizeof d);
    d[0].data = which == 1 ? NULL : b;
    d[0].len = sizeof b;
    r = sk_recvmany(s, d, 1, which == 2 ? NULL : &done);
    if (which == 2)
        return r;
    return r != 0 && done != 0 ? 12345 : r;
}

static int sendv_row(sk_sock *s, int which)
{
    static const char x[] = "abc";
    sk_iovec v[2];
    size_t sent = 77;
    int r;
    v[0].data = x;
    v[0].len = 3;
    v[1].data = x;
    v[1].len = 1;
    if (which == 1)
        v[1].data = NULL; /* NULL data with len 1 */
    else if (which == 2)
        v[1].len = SIZE_MAX - 2; /* 3 + SIZE_MAX - 2 wraps */
    else if (which == 3)
        v[1].len = SIZE_MAX;
    r = sk_sendv(s, v, 2, &sent);
    return r != 0 && sent != 0 ? 12345 : r;
}

/* -- event loop: each row makes its own loop and frees everything. */
#if defined(_WIN32)
#  define ABSENT_BACKEND "epoll"
#else
#  define ABSENT_BACKEND "select"
#endif

static void post_noop(void *ud)
{
    (void)ud;
}
static void timer_noop(sk_timer *t, void *ud)
{
    (void)t;
    (void)ud;
}
static void watch_noop(sk_watch *w, int events, void *ud)
{
    (void)w;
    (void)events;
    (void)ud;
}

/* sk_loop_new_backend(name): *out must be NULL after a failure. */
static int loopb_row(const char *name)
{
    sk_loop *loop = (sk_loop *)&name;
    int r = sk_loop_new_backend(&loop, name);
    if (r == 0)
        sk_loop_free(loop);
    else if (loop != NULL)
        r = 12345;
    return r;
}
static int loop_free_null(void)
{
    sk_loop_free(NULL);
    return 0;
}
static int timer_free_null(void)
{
    sk_timer_free(NULL);
    return 0;
}
static int watch_free_null(void)
{
    sk_watch_free(NULL);
    return 0;
}

/* which 0: sk_loop_run(loop, mode); 1: post a NULL fn; 2: a timer of a
 * NULL loop (*out must be NULL); 3: a timer with a NULL out. */
static int loop_row(int which, int mode)
{
    sk_loop *loop = NULL;
    sk_timer *t = (sk_timer *)&loop;
    int r = sk_loop_new(&loop);
    if (r != 0)
        return r;
    switch (which) {
    case 0:
        r = sk_loop_run(loop, mode);
        break;
    case 1:
        r = sk_loop_post(loop, NULL, NULL);
        break;
    case 2:
        r = sk_timer_new(NULL, &t);
        if (t != NULL)
            r = 12345;
        break;
    default:
        r = sk_timer_new(loop, NULL);
        break;
    }
    sk_loop_free(loop);
    return r;
}

/* sk_timer_start on a fresh timer (cb NULL when nullcb). */
static int timer_row(double after, double repeat, int nullcb)
{
    sk_loop *loop = NULL;
    sk_timer *t = NULL;
    int r = sk_loop_new(&loop);
    if (r != 0)
        return r;
    r = sk_timer_new(loop, &t);
    if (r == 0)
        r = sk_timer_start(t, after, repeat, nullcb ? NULL : timer_noop,
                           NULL);
    sk_loop_free(loop); /* frees t, started or not */
    return r;
}

/* sk_watch_new on s: which 0 plain, 1 NULL loop, 2 NULL cb, 3 NULL out,
 * 4 s watched already (by another loop).  *out must be NULL after a
 * failure; the object is left unwatched. */
static int watch_new_row(fx *f, sk_sock *s, int which)
{
    sk_loop *loop = NULL, *other = NULL;
    sk_watch *w = (sk_watch *)f, *first = NULL;
    int r = sk_loop_new(&loop);
    if (r != 0)
        return r;
    if (which == 4) {
        r = sk_loop_new(&other);
        if (r == 0)
            r = sk_watch_new(other, s, watch_noop, NULL, &first);
        if (r != 0) {
            sk_loop_free(loop);
            sk_loop_free(other);
            return 12345;
        }
    }
    if (which == 3)
        r = sk_watch_new(loop, s, watch_noop, NULL, NULL);
    else
        r = sk_watch_new(which == 1 ? NULL : loop, s,
                         which == 2 ? NULL : watch_noop, NULL, &w);
    if (r != 0 && which != 3 && w != NULL)
        r = 12345;
    sk_loop_free(loop);
    sk_loop_free(other);
    return r;
}

/* sk_watch_set(events) on a fresh watch of s; s stays unwatched. */
static int watch_set_events(sk_sock *s, int events)
{
    sk_loop *loop = NULL;
    sk_watch *w = NULL;
    int r = sk_loop_new(&loop);
    if (r != 0)
        return r;
    r = sk_watch_new(loop, s, watch_noop, NULL, &w);
    if (r == 0)
        r = sk_watch_set(w, events);
    sk_watch_free(w);
    sk_loop_free(loop);
    return r;
}

/* A watch whose object (the client) is closed after sk_watch_new:
 * sk_watch_set with SK_READABLE (which 0) or 0 (which 1). */
static int watch_set_row(fx *f, int which)
{
    sk_loop *loop = NULL;
    sk_watch *w = NULL;
    int r = sk_loop_new(&loop);
    if (r != 0)
        return r;
    r = sk_watch_new(loop, f->cli, watch_noop, NULL, &w);
    if (r == 0 && (r = sk_watch_set(w, SK_READABLE)) == 0) {
        (void)sk_close(f->cli);
        r = sk_watch_set(w, which == 0 ? SK_READABLE : 0);
    }
    sk_watch_free(w);
    sk_loop_free(loop);
    return r;
}

/* -- selector: each row makes its own selector and frees it. */
static int sel_new_row(const char *backend)
{
    sk_selector *sel = (sk_selector *)&sel;
    int r = backend == NULL ? sk_selector_new(&sel)
                            : sk_selector_new_backend(
                                  &sel, backend[0] ? backend : NULL);
    if (r != 0 && sel != NULL)
        return 12345; /* *out must be NULL on failure */
    sk_selector_free(sel);
    return r;
}

static int sel_free_null(void)
{
    sk_selector_free(NULL);
    return 0;
}

/* One selector call on s: 0 add(events); 1 add with a NULL selector;
 * 2 add (0) then set(events); 3 set on a non-member; 4 add then remove;
 * 5 remove a non-member; 6 add, close s, set(events); 7 add, close s,
 * remove; 8 add then free the selector (s must stay usable); 9 add twice;
 * 10 add then set with a NULL selector; 11 add then remove with a NULL
 * selector.  A set-up step that fails returns 12345. */
static int sel_row(fx *f, sk_sock *s, int op, int events)
{
    sk_selector *sel = NULL;
    int r = sk_selector_new(&sel);
    (void)f;
    if (r != 0)
        return r;
    switch (op) {
    case 0:
        r = sk_selector_add(sel, s, events);
        break;
    case 1:
        r = sk_selector_add(NULL, s, events);
        break;
    case 3:
        r = sk_selector_set(sel, s, events);
        break;
    case 5:
        r = sk_selector_remove(sel, s);
        break;
    default:
        if (s != NULL && sk_selector_add(sel, s, op == 2 ? 0 : SK_READABLE)
                             != 0) {
            r = 12345;
            break;
        }
        if (op == 6 || op == 7)
            (void)sk_close(s);
        if (op == 2 || op == 6)
            r = sk_selector_set(sel, s, events);
        else if (op == 4 || op == 7)
            r = sk_selector_remove(sel, s);
        else if (op == 9)
            r = sk_selector_add(sel, s, events);
        else if (op == 10)
            r = sk_selector_set(NULL, s, events);
        else if (op == 11)
            r = sk_selector_remove(NULL, s);
        else if (op == 8) {
            sk_selector_free(sel);
            sel = NULL;
            r = sk_getfd(s) == SK_FD_INVALID ? 12345 : 0;
        }
        break;
    }
    sk_selector_free(sel);
    return r;
}

/* sk_selector_wait: 0 NULL selector; 1 cap 0; 2 NaN timeout; 3 NULL
 * ready; 4 NULL events; 5 NULL n; 6 empty, timeout 0; 7 empty, no
 * timeout; 8 empty, -HUGE_VAL; 9 a member closed, timeout 0; 10 a
 * writable member: 1 when it alone is reported; 11..14 the same member
 * with timeouts +inf, 35 days, 1e9 + 1 and 1e300 (the timeout rule). */
static int sel_wait_row(fx *f, int which)
{
    sk_selector *sel = NULL;
    sk_sock *ready[2] = {NULL, NULL};
    int ev[2] = {0, 0};
    size_t n = 99;
    int r = sk_selector_new(&sel);
    if (r != 0)
        return r;
    if (which >= 9) {
        if (sk_selector_add(sel, f->cli, SK_WRITABLE) != 0) {
            sk_selector_free(sel);
            return 12345;
        }
        if (which == 9)
            (void)sk_close(f->cli);
    }
    r = sk_selector_wait(which == 0 ? NULL : sel,
                         which == 2 ? NAN
                         : which == 7 ? -1.0
                         : which == 8 ? -HUGE_VAL
                         : which == 10 ? SUP_SAFETY_TIMEOUT
                         : which == 11 ? HUGE_VAL
                         : which == 12 ? 35.0 * 86400.0
                         : which == 13 ? 1e9 + 1
                         : which == 14 ? 1e300 : 0.0,
                         which == 3 ? NULL : ready, which == 4 ? NULL : ev,
                         which == 1 ? 0 : 2, which == 5 ? NULL : &n);
    if (which != 5 && r != 0 && n != 0)
        r = 12345; /* *n must be 0 on failure */
    if (which >= 10 && r == 0)
        r = n == 1 && ready[0] == f->cli && ev[0] == SK_WRITABLE;
    sk_selector_free(sel);
    return r;
}

/* -- event-driven connections: each row makes its own loop (and, for the
 * connected-then-aborted connection, its own listener) and frees
 * everything.  A helper that cannot set up its object returns 12345. */
enum { CF, CL, CC, SF, SC };

typedef struct cx {
    sk_loop *loop;
    sk_sock *ls;     /* the listener a connection connects to */
    sk_conn *c;
    sk_server *srv;
} cx;

static void cx_accept(sk_server *srv, sk_conn *c, void *ud)
{
    (void)srv;
    (void)ud;
    sk_conn_free(c);
}

static void cx_bind_cb(sk_conn *c, int result, int error, void *ud)
{
    (void)c;
    (void)result;
    (void)error;
    (void)ud;
}

static void cx_end(cx *x)
{
    sk_conn_free(x->c);
    sk_server_free(x->srv);
    sk_free(x->ls);
    sk_loop_free(x->loop);
}

/* kind -1: nothing at all (x->c and x->srv stay NULL). */
static int cx_begin(cx *x, int kind)
{
    sk_name n;
    int k;
    memset(x, 0, sizeof *x);
    if (kind < 0)
        return 0;
    if (sk_loop_new(&x->loop) != 0)
        return 12345;
    if (kind == SF || kind == SC) {
        if (sk_server_new(x->loop, &x->srv) != 0)
            return 12345;
        return kind == SC ? sk_server_close(x->srv) : 0;
    }
    if (sk_conn_new(x->loop, &x->c) != 0)
        return 12345;
    if (kind == CF)
        return 0;
    if (sk_tcp4(&x->ls) != 0 || sk_bind(x->ls, "127.0.0.1", 0) != 0 ||
        sk_listen(x->ls, 4) != 0 || sk_getsockname(x->ls, &n) != 0 ||
        sk_conn_connect(x->c, "127.0.0.1", n.port) != 0)
        return 12345;
    if (kind == CL)
        return 0;
    /* CC: run the loop until connected (a bounded number of
     * iterations, each ending at the latest with the safety timer),
     * then abort */
    for (k = 0; k < 1000 && sk_conn_state(x->c) != SK_CONN_CONNECTED; k++) {
        sk_timer *t = NULL;
        if (sk_timer_new(x->loop, &t) != 0 ||
            sk_timer_start(t, SUP_SAFETY_TIMEOUT, 0, timer_noop, NULL) != 0 ||
            sk_loop_run(x->loop, SK_RUN_ONCE) != 0) {
            sk_timer_free(t);
            return 12345;
        }
        sk_timer_free(t);
    }
    if (sk_conn_state(x->c) != SK_CONN_CONNECTED)
        return 12345;
    return sk_conn_abort(x->c) == 0 ? 0 : 12345;
}

#define CX_RUN(kind, expr)                                                  \
    do {                                                                    \
        cx x_;                                                              \
        int r_ = cx_begin(&x_, (kind));                                     \
        if (r_ == 0) {                                                      \
            cx *x = &x_;                                                    \
            r_ = (expr);                                                    \
        }                                                                   \
        cx_end(&x_);                                                        \
        return r_;                                                          \
    } while (0)

static int cnew_row(int which)
{
    sk_loop *loop = NULL;
    sk_conn *c = (sk_conn *)&loop;
    int r;
    if (which == 0) {
        r = sk_conn_new(NULL, &c);
        return c != NULL ? 12345 : r;
    }
    if (sk_loop_new(&loop) != 0)
        return 12345;
    r = sk_conn_new(loop, NULL);
    sk_loop_free(loop);
    return r;
}
static int cfree_null(void)
{
    sk_conn_free(NULL);
    return 0;
}
static int cx_free(int kind)
{
    cx x;
    int r = cx_begin(&x, kind);
    if (r == 0) {
        sk_conn_free(x.c);
        x.c = NULL;
    }
    cx_end(&x);
    return r;
}
static int cx_handlers(int kind)
{
    CX_RUN(kind, sk_conn_sethandlers(x->c, NULL, NULL));
}
static int cx_resolver(int kind)
{
    CX_RUN(kind, sk_conn_setresolver(x->c, NULL, NULL));
}
static int cx_settimeout(int kind, double v, char mode)
{
    CX_RUN(kind, sk_conn_settimeout(x->c, v, mode));
}
static int cx_gettimeout(int kind, char mode, int with_out)
{
    double v = 0;
    CX_RUN(kind, sk_conn_gettimeout(x->c, mode, with_out ? &v : NULL));
}
static int cx_readlimit(int kind, size_t max)
{
    CX_RUN(kind, sk_conn_setreadlimit(x->c, max));
}
static int cx_connect(int kind, const char *host, int port)
{
    CX_RUN(kind, sk_conn_connect(x->c, host, port));
}
/* which 0: NULL context; 1: a server context; 2: NULL host; 3: an empty
 * host; 4: a 256-byte host (2-4 with a verifying client context). */
static int cx_settls_with(sk_conn *c, int which)
{
    static char host256[257];
    sk_tls_ctx *ctx = NULL;
    int r = 0;
    if (which > 0)
        r = sk_tls_ctx_new(&ctx, which == 1 ? SK_TLS_SERVER : SK_TLS_CLIENT);
    memset(host256, 'h', 256);
    host256[256] = '\0';
    if (r == 0)
        r = sk_conn_settls(c, ctx, which == 2   ? NULL
                                   : which == 3 ? ""
                                   : which == 4 ? host256
                                                : "localhost");
    sk_tls_ctx_free(ctx);
    return r;
}
static int cx_settls(int kind, int which)
{
    CX_RUN(kind, cx_settls_with(x->c, which));
}
static int cx_bind(int kind, int port)
{
    CX_RUN(kind, sk_conn_bind(x->c, port));
}
/* cb 0: NULL; 1: one call; 2: a second call while the first waits */
static int cx_bind_async(int kind, int port, int cb)
{
    CX_RUN(kind, cb == 2 ? (sk_conn_bind_async(x->c, port, cx_bind_cb,
                                               NULL) != 0
                                ? 12345
                                : sk_conn_bind_async(x->c, port, cx_bind_cb,
                                                     NULL))
                         : sk_conn_bind_async(x->c, port,
                                              cb ? cx_bind_cb : NULL, NULL));
}
static int cx_disconnect(int kind)
{
    CX_RUN(kind, sk_conn_disconnect(x->c));
}
static int cx_abort(int kind)
{
    CX_RUN(kind, sk_conn_abort(x->c));
}
static int cx_write(int kind, int with_data, size_t len)
{
    CX_RUN(kind, sk_conn_write(x->c, with_data ? "x" : NULL, len));
}
/* *got must be 0 after a failure. */
static int cx_read_into(sk_conn *c, int with_dst, size_t cap, int with_got)
{
    char dst[16];
    size_t got = 77;
    int r = sk_conn_read(c, with_dst ? dst : NULL,
                         cap > sizeof dst ? (cap == SIZE_MAX ? cap : 16) : cap,
                         with_got ? &got : NULL);
    if (r != 0 && with_got && got != 0)
        return 12345;
    return r;
}
static int cx_read(int kind, int with_dst, size_t cap, int with_got)
{
    CX_RUN(kind, cx_read_into(x->c, with_dst, cap, with_got));
}
/* all 0: read_line, 1: read_all; buf 0 valid, 1 NULL, 2 len > cap, 3
 * data NULL with cap > 0.  Nothing may be appended on an error. */
static int cx_readbuf_on(sk_conn *c, int all, int buf)
{
    char store[8];
    sk_buf b = {NULL, 0, 0};
    int r;
    if (buf == 2) {
        b.data = store;
        b.len = 9;
        b.cap = 8;
    } else if (buf == 3) {
        b.cap = 8;
    }
    r = all ? sk_conn_read_all(c, buf == 1 ? NULL : &b)
            : sk_conn_read_line(c, buf == 1 ? NULL : &b);
    if (buf == 0) {
        if (r != 0 && b.len != 0)
            r = 12345;
        sk_buf_free(&b);
    }
    return r;
}
static int cx_readbuf(int kind, int all, int buf)
{
    CX_RUN(kind, cx_readbuf_on(x->c, all, buf));
}
/* which 0: state, 1: error with NULL outputs, 2: valid */
static int cx_query(int kind, int which)
{
    CX_RUN(kind, which == 0   ? sk_conn_state(x->c)
                 : which == 1 ? sk_conn_error(x->c, NULL, NULL)
                              : sk_conn_valid(x->c));
}
/* which 0: bytes available, 1: bytes to write; with_out 0: NULL.  The
 * count must be 0 for these objects. */
static int cx_count_on(sk_conn *c, int which, int with_out)
{
    size_t n = 77;
    int r = which == 0 ? sk_conn_bytes_available(c, with_out ? &n : NULL)
                       : sk_conn_bytes_to_write(c, with_out ? &n : NULL);
    return r == 0 && n != 0 ? 12345 : r;
}
static int cx_counts(int kind, int which, int with_out)
{
    CX_RUN(kind, cx_count_on(x->c, which, with_out));
}
/* On SK_ENOTCONN the name must be zeroed ("" and port 0). */
static int cx_name_on(sk_conn *c, int remote, int with_out)
{
    sk_name n;
    int r;
    memset(&n, 'x', sizeof n);
    r = remote ? sk_conn_remote(c, with_out ? &n : NULL)
               : sk_conn_local(c, with_out ? &n : NULL);
    if (r == SK_ENOTCONN && (n.addr[0] != '\0' || n.port != 0))
        return 12345;
    return r;
}
static int cx_name(int kind, int remote, int with_out)
{
    CX_RUN(kind, cx_name_on(x->c, remote, with_out));
}
static int cx_sock_on(sk_conn *c, int with_out)
{
    sk_sock *s = NULL;
    int r = sk_conn_sock(c, with_out ? &s : NULL);
    return r == 0 && s == NULL ? 12345 : r;
}
static int cx_sock(int kind, int with_out)
{
    CX_RUN(kind, cx_sock_on(x->c, with_out));
}
static int snew_row(int which)
{
    sk_loop *loop = NULL;
    sk_server *srv = (sk_server *)&loop;
    int r;
    if (which == 0) {
        r = sk_server_new(NULL, &srv);
        return srv != NULL ? 12345 : r;
    }
    if (sk_loop_new(&loop) != 0)
        return 12345;
    r = sk_server_new(loop, NULL);
    sk_loop_free(loop);
    return r;
}
/* cb 0: NULL; 1: a callback; 2: listen, then listen again */
static int cx_listen_on(sk_server *srv, const char *host, int port, int cb)
{
    if (cb == 2 && sk_server_listen(srv, host, port, 4, cx_accept, NULL) != 0)
        return 12345;
    return sk_server_listen(srv, host, port, 4, cb ? cx_accept : NULL, NULL);
}
static int cx_listen(int kind, const char *host, int port, int cb)
{
    CX_RUN(kind, cx_listen_on(x->srv, host, port, cb));
}
static int cx_ssock_on(sk_server *srv, int with_out)
{
    sk_sock *s = NULL;
    int r = sk_server_sock(srv, with_out ? &s : NULL);
    return r == 0 && s == NULL ? 12345 : r;
}
static int cx_ssock(int kind, int with_out)
{
    CX_RUN(kind, cx_ssock_on(x->srv, with_out));
}
static int cx_sstats_on(sk_server *srv, int with_out)
{
    sk_server_stats st;
    int r;
    memset(&st, 0x5a, sizeof st);
    r = sk_server_getstats(srv, with_out ? &st : NULL);
    if (r == 0 && (st.accepted != 0 || st.failed != 0 || st.paused != 0))
        return 12345; /* nothing accepted yet */
    return r;
}
static int cx_sstats(int kind, int with_out)
{
    CX_RUN(kind, cx_sstats_on(x->srv, with_out));
}
static int cx_sclose(int kind)
{
    CX_RUN(kind, sk_server_close(x->srv));
}
static int sfree_null(void)
{
    sk_server_free(NULL);
    return 0;
}
static int cx_sfree(int kind)
{
    cx x;
    int r = cx_begin(&x, kind);
    if (r == 0) {
        sk_server_free(x.srv);
        x.srv = NULL;
    }
    cx_end(&x);
    return r;
}

/* sk_receiveline with or without its out-pointers; on failure they must
 * say NULL and 0. */
static int lines_on(sk_sock *s, int with_line, int with_len)
{
    const char *line = "junk";
    size_t len = 7;
    int r = sk_receiveline(s, with_line ? &line : NULL,
                           with_len ? &len : NULL);
    if (r != 0 && ((with_line && line != NULL) || (with_len && len != 0)))
        return 1; /* no row expects 1: the row fails */
    return r;
}

/* ---- TLS rows ---------------------------------------------------------- */

static int tls_free_null(void)
{
    sk_tls_ctx_free(NULL);
    return 0;
}

static int tls_new_mode(int mode)
{
    sk_tls_ctx *c = NULL;
    int r = sk_tls_ctx_new(&c, mode);
    sk_tls_ctx_free(c);
    return r;
}

/* A context call on a fresh context of mode (the build without TLS makes
 * none: SK_EUNSUPPORTED, as the TLS flag expects). */
static int tls_ctx_row(int mode, int which)
{
    static char name256[257];
    sk_tls_ctx *c = NULL;
    int r = sk_tls_ctx_new(&c, mode);
    if (r != 0)
        return r;
    memset(name256, 'a', 256);
    name256[256] = '\0';
    switch (which) {
    case 0: r = sk_tls_ctx_set_verify(c, 7); break;
    case 1: r = sk_tls_ctx_set_verify(c, SK_TLS_VERIFY_OPTIONAL); break;
    case 2: r = sk_tls_ctx_set_verify(c, -1); break;
    case 3: r = sk_tls_ctx_set_ca_file(c, NULL, NULL); break;
    case 4: r = sk_tls_ctx_set_ca_file(c, "", ""); break;
    case 5: r = sk_tls_ctx_set_ca_file(c, "/nonexistent/ca.pem", NULL); break;
    case 6: r = sk_tls_ctx_set_ca_pem(c, NULL, 10); break;
    case 7: r = sk_tls_ctx_set_ca_pem(c, "x", 0); break;
    case 8: r = sk_tls_ctx_set_ca_pem(c, "x", SIZE_MAX); break;
    case 9: r = sk_tls_ctx_set_ca_pem(c, "not PEM at all", 14); break;
    case 10: r = sk_tls_ctx_set_cert_file(c, NULL, "k.pem"); break;
    case 11: r = sk_tls_ctx_set_cert_file(c, "", "k.pem"); break;
    case 12:
        r = sk_tls_ctx_set_cert_file(c, "/nonexistent/c.pem",
                                     "/nonexistent/k.pem");
        break;
    case 13: r = sk_tls_ctx_set_cert_pem(c, NULL, 5, "k", 1); break;
    case 14: r = sk_tls_ctx_set_cert_pem(c, "c", 0, "k", 1); break;
    case 15: r = sk_tls_ctx_set_cert_pem(c, "c", SIZE_MAX, "k", 1); break;
    case 16: r = sk_tls_ctx_set_cert_pem(c, "c", 1, "k", SIZE_MAX); break;
    case 17: r = sk_tls_ctx_set_cert_pem(c, "c", 1, NULL, 5); break;
    case 18: r = sk_tls_ctx_set_cert_pem(c, "junk", 4, "junk", 4); break;
    case 19: r = sk_tls_ctx_set_alpn(c, ""); break;
    case 20: r = sk_tls_ctx_set_alpn(c, "h2,,http/1.1"); break;
    case 21: r = sk_tls_ctx_set_alpn(c, "h2,"); break;
    case 22: r = sk_tls_ctx_set_alpn(c, name256); break;
    case 23: r = sk_tls_ctx_set_min_version(c, 11); break;
    default: r = sk_tls_ctx_set_min_version(c, INT_MIN); break;
    }
    sk_tls_ctx_free(c);
    return r;
}

/* sk_tls_get with or without its out-pointer; on failure it must say
 * NULL. */
static int tls_get_on(sk_sock *s, int item, int with_value)
{
    const char *v = "junk";
    int r = sk_tls_get(s, item, with_value ? &v : NULL);
    if (r != 0 && with_value && v != NULL)
        return 1; /* no row expects 1: the row fails */
    return r;
}

/* Calls on the fixture's objects with a context.  Rows 7 and up use the
 * connected client with TLS started in non-blocking mode (the server
 * never answers: the handshake stays in progress). */
static int tls_sock_row(fx *f, int which)
{
    sk_tls_ctx *c = NULL, *sv = NULL;
    const char *v = NULL;
    int r = sk_tls_ctx_new(&c, SK_TLS_CLIENT);
    if (r == 0)
        r = sk_tls_ctx_new(&sv, SK_TLS_SERVER);
    if (r != 0) {
        sk_tls_ctx_free(c);
        return r;
    }
    if (which >= 7 || which == 3) {
        r = sk_tls_ctx_set_verify(c, SK_TLS_VERIFY_NONE);
        if (r == 0)
            r = sk_setblocking(f->cli, 0);
        if (r == 0)
            r = sk_tls_start(f->cli, c, NULL);
        if (r != SK_EWOULDBLOCK)
            r = 1; /* the setup failed: no row expects 1 */
        else
            r = 0;
    }
    if (r == 0) {
        switch (which) {
        case 0: r = sk_tls_start(f->cli, c, NULL); break;
        case 1: r = sk_tls_start(f->cli, c, ""); break;
        case 2: r = sk_tls_start(f->cli, c, f->host256); break;
        case 3: r = sk_tls_start(f->cli, c, "localhost"); break;
        case 4: r = sk_tls_start(f->acc, sv, NULL); break;
        case 5: r = sk_tls_listen(f->srv, c); break;
        case 6: r = sk_tls_listen(f->srv, sv); break;
        case 7: r = tls_get_on(f->cli, 99, 1); break;
        case 8: r = tls_get_on(f->cli, -1, 1); break;
        case 9: r = tls_get_on(f->cli, SK_TLS_VERSION, 0); break;
        case 10:
            r = tls_get_on(f->cli, SK_TLS_VERSION, 1);
            /* the message items answer already */
            if (r == SK_EINPROGRESS &&
                sk_tls_get(f->cli, SK_TLS_ERROR_MESSAGE, &v) != 0)
                r = 1;
            break;
        case 11: r = sk_tls_verified(f->cli); break;
        default: r = sk_tls_resumed(f->cli); break;
        }
    }
    sk_tls_ctx_free(c);
    sk_tls_ctx_free(sv);
    return r;
}

#define ROW_FN(id, fn, what, flags, want, expr)                             \
    static int row_##id(fx *f)                                             \
    {                                                                      \
        (void)f;                                                           \
        return (expr);                                                     \
    }
HOSTILE_ROWS(ROW_FN)
#undef ROW_FN

/* The 255-byte name passes the length check and then fails to resolve:
 * SK_EHOSTNOTFOUND, or SK_ENAMETEMP where the resolver has no network. */
#define ROW_ALT_WANT SK_ENAMETEMP

static const row rows[] = {
#define ROW_ENTRY(id, fn, what, flags, want, expr)                          \
    {F_##fn, what, flags, want, ((flags) & ALT) ? ROW_ALT_WANT : (want),    \
     row_##id},
    HOSTILE_ROWS(ROW_ENTRY)
#undef ROW_ENTRY
};
#define NROWS (sizeof rows / sizeof rows[0])

/* ---- fixture ----------------------------------------------------------- */

enum closed_kind { CL_MASTER, CL_DUAL, CL_SERVER, CL_CLIENT, CL_ACCEPTED,
                   CL_DGRAM, CL_KINDS };
static const char *const closed_names[CL_KINDS] = {
    "closed sk_tcp4 master", "closed dual-stack master", "closed server",
    "closed client", "closed accepted client", "closed datagram object"};

static void fill_host(char *h, size_t len)
{
    /* Labels of at most 63 bytes, so that only the total length is odd. */
    size_t i;
    for (i = 0; i < len; i++)
        h[i] = (i % 64 == 63) ? '.' : 'a' + (char)(i % 26);
    h[len - 1] = 'x';
    h[len] = '\0';
}

static void fx_setup(fx *f, int closed_kind)
{
    sk_sock *tmp = NULL;
    memset(f, 0, sizeof *f);
    sup_assert_rc(sk_tcp4(&f->m4), 0);
    sup_assert_rc(sk_tcp(&f->md), 0);
    sup_assert_rc(sk_tcp4(&f->bound), 0);
    sup_assert_rc(sk_bind(f->bound, "127.0.0.1", 0), 0);
    sup_listen4(&f->srv, &f->port, 4);
    sup_connect4(&f->cli, f->port);
    sup_assert_rc(sk_accept(f->srv, &f->acc, NULL), 0);
    sup_assert_rc(sk_settimeout(f->acc, SUP_SAFETY_TIMEOUT, 'b'), 0);
    /* Nothing here ever waits: a bug shows as SK_ETIMEOUT, not a hang. */
    sup_assert_rc(sk_settimeout(f->m4, 5, 'b'), 0);
    f->nodata.data = NULL;
    f->nodata.cap = 8;
    f->overlen.data = f->store;
    f->overlen.len = 9;
    f->overlen.cap = 8;
    fill_host(f->host255, 255);
    fill_host(f->host256, 256);
    fill_host(f->host1000, 1000);
    assert_int_equal(strlen(f->host255), 255);
    assert_int_equal(strlen(f->host256), 256);
    /* datagrams */
    sup_assert_rc(sk_udp4(&f->u4), 0);
    sup_assert_rc(sk_bind(f->u4, "127.0.0.1", 0), 0);
    sup_assert_rc(sk_settimeout(f->u4, 0, 'b'), 0);
    {
        sk_name n;
        sup_assert_rc(sk_getsockname(f->u4, &n), 0);
        f->uport = n.port;
    }
    sup_assert_rc(sk_udp4(&f->uc), 0);
    sup_assert_rc(sk_setpeername(f->uc, "127.0.0.1", f->uport), 0);
    sup_assert_rc(sk_settimeout(f->uc, 5, 'b'), 0);
    sup_assert_rc(sk_udp(&f->ud), 0);

    switch (closed_kind) {
    case CL_MASTER:
        sup_assert_rc(sk_tcp4(&tmp), 0);
        break;
    case CL_DUAL:
        sup_assert_rc(sk_tcp(&tmp), 0);
        break;
    case CL_SERVER: {
        int port = 0;
        sup_listen4(&tmp, &port, 1);
        break;
    }
    case CL_CLIENT:
        sup_connect4(&tmp, f->port);
        break;
    case CL_DGRAM: /* a datagram object with a peer */
        sup_assert_rc(sk_udp4(&tmp), 0);
        sup_assert_rc(sk_setpeername(tmp, "127.0.0.1", f->uport), 0);
        break;
    default: {
        /* an accepted client: connect one more, accept it, drop the
         * connecting side */
        sk_sock *c = NULL;
        sup_connect4(&c, f->port);
        sup_assert_rc(sk_accept(f->srv, &tmp, NULL), 0);
        sk_free(c);
        break;
    }
    }
    sup_assert_rc(sk_close(tmp), 0);
    assert_int_equal(sk_role(tmp), SK_ROLE_CLOSED);
    f->closed = tmp;
}

static void fx_teardown(fx *f)
{
    sk_free(f->m4);
    sk_free(f->md);
    sk_free(f->bound);
    sk_free(f->srv);
    sk_free(f->cli);
    sk_free(f->acc);
    sk_free(f->closed);
    sk_free(f->u4);
    sk_free(f->uc);
    sk_free(f->ud);
    sk_buf_free(&f->buf);
}

static int run_row(const row *r, int closed_kind)
{
    fx f;
    int got;
    int want = r->want, want2 = r->want2;
    if ((r->flags & TLS) && sk_tls_provider() == NULL)
        want = want2 = SK_EUNSUPPORTED; /* a build without TLS */
    fx_setup(&f, closed_kind);
    got = r->run(&f);
    fx_teardown(&f);
    if (got == want || got == want2)
        return 1;
    /* qemu-user does not translate IP_MULTICAST_IF (ENOPROTOOPT): a row
     * that reaches it says so instead of failing. */
    if (got == SK_EUNSUPPORTED && r->want == 0 && sup_emulator() != NULL &&
        strcmp(api[r->fn].name, "sk_setmulticastif") == 0) {
        print_message("skipped under %s: %s: %s: IP_MULTICAST_IF, a call "
                      "the emulator does not translate\n",
                      sup_emulator(), api[r->fn].name, r->what);
        return 1;
    }
    print_error("FAIL %s: %s%s%s: got %d (%s), expected %d (%s)\n",
                api[r->fn].name, r->what,
                (r->flags & OBJ) ? " / " : "",
                (r->flags & OBJ) ? closed_names[closed_kind] : "", got,
                sk_errname(got), want, sk_errname(want));
    return 0;
}

/* ---- tests ------------------------------------------------------------- */

static void t_table_covers_api(void **state)
{
    size_t i;
    int f, missing = 0;
    (void)state;
    for (f = 0; f < F_COUNT; f++) {
        int any = 0, nul = 0, closed = 0;
        assert_non_null(api[f].addr);
        for (i = 0; i < NROWS; i++) {
            if ((int)rows[i].fn != f)
                continue;
            any++;
            nul += (rows[i].flags & NUL) != 0;
            closed += (rows[i].flags & OBJ) != 0;
        }
        if (!any || (api[f].takes_object && (!nul || !closed))) {
            print_error("%s: %d rows, %d NULL-object, %d after-close\n",
                        api[f].name, any, nul, closed);
            missing++;
        }
    }
    assert_int_equal(missing, 0);
}

static void t_table(void **state)
{
    size_t i;
    int k, failed = 0, ran = 0;
    (void)state;
    for (i = 0; i < NROWS; i++) {
        if (rows[i].flags & OBJ) {
            for (k = 0; k < CL_KINDS; k++, ran++)
                failed += !run_row(&rows[i], k);
        } else {
            failed += !run_row(&rows[i], CL_CLIENT);
            ran++;
        }
    }
    print_message("%d table cases over %d functions, %d failed\n", ran,
                  (int)F_COUNT, failed);
    assert_int_equal(failed, 0);
}

/* C strings end at the first NUL: "127.0.0.1\0garbage" is "127.0.0.1" to
 * every function that takes a host, so it binds. */
static void t_embedded_nul(void **state)
{
    static const char host[] = "127.0.0.1\0garbage";
    sk_sock *m = NULL;
    sk_name n;
    (void)state;
    sup_assert_rc(sk_tcp4(&m), 0);
    sup_assert_rc(sk_bind(m, host, 0), 0);
    sup_assert_rc(sk_getsockname(m, &n), 0);
    assert_string_equal(n.addr, "127.0.0.1");
    sk_free(m);
}

/* Extreme slice positions are clamped by string.sub's rules: (PTRDIFF_MIN,
 * PTRDIFF_MAX) is the whole buffer, (PTRDIFF_MIN, PTRDIFF_MIN) and
 * (PTRDIFF_MAX, PTRDIFF_MAX) are empty; no arithmetic overflows. */
static void t_extreme_slices(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    ptrdiff_t last = 0;
    (void)state;
    sup_pair(&a, &b);

    sup_assert_rc(sk_send(a, "abc", 3, PTRDIFF_MIN, PTRDIFF_MAX, &last), 0);
    assert_int_equal(last, 3);
    sup_expect_str(b, "abc");

    sup_assert_rc(sk_send(a, "abc", 3, PTRDIFF_MIN, PTRDIFF_MIN, &last), 0);
    assert_int_equal(last, 0); /* i below 1 means 1: none sent, i-1 = 0 */
    sup_assert_rc(sk_send(a, "abc", 3, 1, PTRDIFF_MIN, &last), 0);
    assert_int_equal(last, 0);
    sup_assert_rc(sk_send(a, "abc", 3, PTRDIFF_MAX, PTRDIFF_MAX, &last), 0);
    assert_int_equal(last, PTRDIFF_MAX - 1);
    sup_assert_rc(sk_send(a, "abc", 3, -PTRDIFF_MAX, -1, &last), 0);
    assert_int_equal(last, 3);
    sup_expect_str(b, "abc");
    sup_assert_rc(sk_send(a, "abc", 3, 2, PTRDIFF_MAX, &last), 0);
    assert_int_equal(last, 3);
    sup_expect_str(b, "bc");
    sup_expect_nothing(b);
    sk_free(a);
    sk_free(b);
}

/* SK_BYTES with n = SIZE_MAX: the peer sends 3 bytes and closes; the call
 * ends with SK_ECLOSED holding those 3 bytes, without sizing anything by
 * n. */
static void t_bytes_sizemax(void **state)
{
    sk_sock *a = NULL, *b = NULL;
    sk_buf buf = {NULL, 0, 0};
    (void)state;
    sup_pair(&a, &b);
    sup_send_str(a, "xyz");
    sup_assert_rc(sk_close(a), 0);
    sup_assert_rc(sk_receive(b, &buf, SK_BYTES, SIZE_MAX), SK_ECLOSED);
    sup_assert_bufstr(&buf, "xyz");
    assert_true(buf.cap < ((size_t)1 << 24)); /* no allocation sized by n */
    sk_buf_free(&buf);
    sk_free(a);
    sk_free(b);
}

/* Overflowing reservations fail with SK_ENORESOURCES and leave the buffer
 * exactly as it was. */
static void t_reserve_overflow(void **state)
{
    sk_buf b = {NULL, 0, 0};
    char *data;
    size_t cap;
    (void)state;
    sup_assert_rc(sk_buf_reserve(&b, 5), 0);
    memcpy(b.data, "hello", 5);
    b.len = 5;
    data = b.data;
    cap = b.cap;
    sup_assert_rc(sk_buf_reserve(&b, SIZE_MAX), SK_ENORESOURCES);
    assert_ptr_equal(b.data, data);
    assert_int_equal(b.len, 5);
    assert_int_equal(b.cap, cap);
    sup_assert_rc(sk_buf_reserve(&b, SIZE_MAX - 4), SK_ENORESOURCES);
    assert_ptr_equal(b.data, data);
    assert_int_equal(b.len, 5);
    assert_int_equal(b.cap, cap);
    assert_memory_equal(b.data, "hello", 5);
    /* A sane request still works. */
    sup_assert_rc(sk_buf_reserve(&b, 100), 0);
    assert_true(b.cap >= 105);
    assert_memory_equal(b.data, "hello", 5);
    sk_buf_free(&b);
}

/* No object can be larger than PTRDIFF_MAX bytes: a reservation whose
 * total is SIZE_MAX (exactly at the edge of the overflow check: len +
 * extra == SIZE_MAX) fails with SK_ENORESOURCES, the buffer unchanged.
 * (Passing such a size on to realloc is a "no memory" answer from glibc,
 * but a fatal allocation-size-too-big report under ASan.)  Last in the
 * list for that reason. */
static void t_reserve_impossible(void **state)
{
    sk_buf b = {NULL, 0, 0};
    char *data;
    size_t cap;
    (void)state;
    sup_assert_rc(sk_buf_reserve(&b, SIZE_MAX), SK_ENORESOURCES);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    sup_assert_rc(sk_buf_reserve(&b, 5), 0);
    b.len = 5;
    data = b.data;
    cap = b.cap;
    sup_assert_rc(sk_buf_reserve(&b, SIZE_MAX - 5), SK_ENORESOURCES);
    sup_assert_rc(sk_buf_reserve(&b, (size_t)PTRDIFF_MAX), SK_ENORESOURCES);
    assert_ptr_equal(b.data, data);
    assert_int_equal(b.len, 5);
    assert_int_equal(b.cap, cap);
    sk_buf_free(&b);
}

/* A peer streams a 4 MiB line with no LF, then closes; with a 64 KiB
 * limit every SK_LINE call stops with SK_ETOOLONG after exactly the limit's
 * worth, the buffer never grows past a few times the limit, and the stream
 * drains in exactly 4 MiB / 64 KiB calls: the last one holds the final
 * 64 KiB (a line no longer than the limit, ended by the close) and returns
 * SK_ECLOSED. */
static void t_endless_line(void **state)
{
    enum { LIMIT = 64 * 1024, TOTAL = 4 * 1024 * 1024 };
    sk_sock *a = NULL, *b = NULL;
    sk_buf buf = {NULL, 0, 0};
    sup_sender snd;
    char *data = (char *)malloc(TOTAL);
    size_t calls, toolong = 0, total = 0;
    int r = 0;
    (void)state;
    assert_non_null(data);
    memset(data, 'x', TOTAL);
    sup_pair(&a, &b);
    sup_assert_rc(sk_setlinelimit(b, LIMIT), 0);
    sup_sender_start(&snd, a, data, TOTAL, 1);
    for (calls = 0; calls < TOTAL / LIMIT + 2; calls++) {
        buf.len = 0;
        r = sk_receive(b, &buf, SK_LINE, 0);
        total += buf.len;
        assert_true(buf.cap < 4 * (size_t)LIMIT);
        assert_true(buf.len <= LIMIT);
        if (r != SK_ETOOLONG)
            break;
        assert_int_equal(buf.len, LIMIT);
        toolong++;
    }
    sup_sender_join(&snd);
    sup_assert_rc(r, SK_ECLOSED);
    assert_int_equal(buf.len, LIMIT);
    assert_int_equal(toolong, TOTAL / LIMIT - 1);
    assert_int_equal(total, TOTAL);
    buf.len = 0;
    sup_assert_rc(sk_receive(b, &buf, SK_LINE, 0), SK_ECLOSED);
    assert_int_equal(buf.len, 0);
    sk_buf_free(&buf);
    free(data);
    sk_free(a);
    sk_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_table_covers_api),
        cmocka_unit_test(t_table),
        cmocka_unit_test(t_embedded_nul),
        cmocka_unit_test(t_extreme_slices),
        cmocka_unit_test(t_bytes_sizemax),
        cmocka_unit_test(t_reserve_overflow),
        cmocka_unit_test(t_endless_line),
        cmocka_unit_test(t_reserve_impossible),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
