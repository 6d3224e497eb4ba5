/* SPDX-License-Identifier: MIT */
/*
 * fuzz_conn.c - libFuzzer target for the event API: sk_loop, sk_conn and
 * sk_server driven by fuzzer-chosen calls (connect, bind, write, read,
 * read_line, read_all, disconnect, abort, free, timeouts, read limits,
 * posts, loop iterations), with handlers that themselves call anything -
 * sk_conn_free and sk_server_free included - as the input says.  It runs
 * against the fake backend in loop mode (fake_plat.h): a scripted poller
 * and wake-up channel, per-descriptor streams, lookups through the
 * resolver hook answered synchronously; no socket, no thread, no clock.
 *
 * Input format: byte 0 holds flags (bit 0: the host has no IPv6; bits 1-3
 * the most bytes a send takes); then commands until the input ends, each
 * an opcode byte, a slot byte and its operands (see run_command).  The
 * same bytes also feed the backend's decisions (each poller wait, each
 * connect start) and the handlers' (each handler reads one byte saying
 * what it does), in the order the calls happen: every input is one
 * deterministic run.  Missing bytes read as 0.
 *
 * Invariants (abort on failure): every call returns 0 or a code of the
 * SK_ERRORS table and what its contract allows in the state it was made
 * in; every state_changed names the state sk_conn_state reports and
 * follows the one before by a transition of the state machine; connected
 * and host_found come in their states; disconnected follows
 * state_changed(UNCONNECTED) exactly when a connection that was
 * established ended, unless a handler changed the state first;
 * ready_read's count is the buffer's; bytes_written never reports more
 * than was written; every byte read (sk_conn_read, sk_conn_read_line,
 * sk_conn_read_all) is the stream's next byte, a line is its bytes up to
 * the LF without CRs, within the line limit; an UNCONNECTED connection has
 * no socket; no handler runs for a freed connection (ASan); nothing leaks:
 * no descriptor, no registration, no startup.
 */
#include "fake_plat.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* -DFUZZ_CONN_TRACE: print each handler call (to check seeds by hand). */
#if defined(FUZZ_CONN_TRACE)
#  include <stdio.h>
#  define TRACE(m, what, v)                                                 \
    fprintf(stderr, "conn %d: %s %ld\n", (int)((m) - g_m), what, (long)(v))
#else
#  define TRACE(m, what, v) ((void)0)
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NCONN 4
#define MAX_DEPTH 4

typedef struct model {
    sk_conn *c;
    int live;         /* c exists */
    int state;        /* the last state_changed (or CONNECTED if accepted) */
    int established;  /* CONNECTED or CLOSING since the last UNCONNECTED */
    int pending_disc; /* state_changed(UNCONNECTED) ended a connection */
    uint64_t pos;     /* bytes of the current stream taken by reads */
    uint64_t written; /* bytes sk_conn_write took */
    uint64_t reported; /* bytes bytes_written reported */
} model;

static model g_m[NCONN];
static sk_loop *g_loop;
static sk_server *g_srv;
static reader *g_r;
static int g_depth;

static void check_code(int r)
{
    FAKE_CHECK(fake_known_code(r));
}

static int valid_state(int st)
{
    return st == SK_CONN_UNCONNECTED || st == SK_CONN_HOST_LOOKUP ||
           st == SK_CONN_CONNECTING || st == SK_CONN_CONNECTED ||
           st == SK_CONN_BOUND || st == SK_CONN_CLOSING;
}

/* The state machine's transitions. */
static int legal(int from, int to)
{
    switch (from) {
    case SK_CONN_UNCONNECTED:
        return to == SK_CONN_HOST_LOOKUP || to == SK_CONN_BOUND;
    case SK_CONN_BOUND:
        return to == SK_CONN_HOST_LOOKUP || to == SK_CONN_UNCONNECTED;
    case SK_CONN_HOST_LOOKUP:
        return to == SK_CONN_CONNECTING || to == SK_CONN_UNCONNECTED;
    case SK_CONN_CONNECTING:
        return to == SK_CONN_CONNECTED || to == SK_CONN_UNCONNECTED;
    case SK_CONN_CONNECTED:
        return to == SK_CONN_CLOSING || to == SK_CONN_UNCONNECTED;
    case SK_CONN_CLOSING:
        return to == SK_CONN_UNCONNECTED;
    default:
        return 0;
    }
}

static model *model_of(sk_conn *c, void *ud)
{
    model *m = (model *)ud;
    FAKE_CHECK(m >= g_m && m < g_m + NCONN);
    FAKE_CHECK(m->live && m->c == c); /* never a freed connection */
    return m;
}

/* ---- actions: the commands, also run from inside handlers ------------- */

static void act(model *m);

static void do_free(model *m)
{
    sk_conn *c = m->c;
    m->live = 0;
    m->c = NULL;
    m->pending_disc = 0;
    sk_conn_free(c);
}

static void do_abort(model *m)
{
    FAKE_CHECK(sk_conn_abort(m->c) == 0);
}

static void do_disconnect(model *m)
{
    FAKE_CHECK(sk_conn_disconnect(m->c) == 0);
}

static void do_write(model *m, unsigned k)
{
    static char src[70000];
    static const size_t sizes[] = {0, 1, 5, 100, 4096, 70000};
    size_t len = sizes[k % 6], i;
    int st = sk_conn_state(m->c), rc;
    if (src[0] == 0)
        for (i = 0; i < sizeof src; i++)
            src[i] = (char)('a' + i % 26);
    rc = sk_conn_write(m->c, (k & 0x80) && len == 0 ? NULL : src, len);
    check_code(rc);
    if (st == SK_CONN_HOST_LOOKUP || st == SK_CONN_CONNECTING ||
        st == SK_CONN_CONNECTED)
        FAKE_CHECK(rc == 0 || rc == SK_ENORESOURCES);
    else
        FAKE_CHECK(rc == SK_EWRONGROLE || (len == 0 && rc == 0));
    if (rc == 0)
        m->written += len;
}

/* The stream's bytes [pos, pos + n) against got. */
static void check_stream(const model *m, const char *got, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        FAKE_CHECK((unsigned char)got[i] == fake_pattern(m->pos + i));
}

static size_t avail_of(const model *m)
{
    size_t n = 12345;
    FAKE_CHECK(sk_conn_bytes_available(m->c, &n) == 0);
    return n;
}

static void do_read(model *m, unsigned k)
{
    char buf[512];
    size_t cap = 1 + (k * 7) % sizeof buf, got = 99, a0 = avail_of(m);
    int rc = sk_conn_read(m->c, buf, cap, &got);
    check_code(rc);
    if (rc == 0) {
        FAKE_CHECK(got > 0 && got <= cap && got <= a0);
        check_stream(m, buf, got);
        m->pos += got;
    } else {
        FAKE_CHECK(rc == SK_EWOULDBLOCK || rc == SK_ECLOSED);
        FAKE_CHECK(got == 0 && a0 == 0);
    }
    FAKE_CHECK(avail_of(m) == a0 - got);
}

static void do_read_line(model *m, unsigned k)
{
    sk_buf line = {NULL, 0, 0};
    size_t a0 = avail_of(m), used, i, j = 0, limit = 0;
    sk_sock *s = NULL;
    int rc;
    FAKE_CHECK(sk_conn_sock(m->c, &s) == 0 && s != NULL);
    FAKE_CHECK(sk_getlinelimit(s, &limit) == 0);
    if (k & 1) { /* a prefix that must stay */
        FAKE_CHECK(sk_buf_reserve(&line, 3) == 0);
        memcpy(line.data, "pre", 3);
        line.len = 3;
    }
    rc = sk_conn_read_line(m->c, &line);
    check_code(rc);
    used = a0 - avail_of(m);
    FAKE_CHECK(line.len >= (k & 1 ? 3u : 0u));
    if (k & 1)
        FAKE_CHECK(memcmp(line.data, "pre", 3) == 0);
    /* The bytes taken, CRs dropped (and the LF that ends a line). */
    for (i = 0; i < used; i++) {
        unsigned char c = fake_pattern(m->pos + i);
        if (c == '\n') {
            FAKE_CHECK(rc == 0 && i == used - 1);
            continue;
        }
        if (c == '\r')
            continue;
        FAKE_CHECK((k & 1 ? 3 : 0) + j < line.len);
        FAKE_CHECK((unsigned char)line.data[(k & 1 ? 3 : 0) + j] == c);
        j++;
    }
    FAKE_CHECK(line.len == (k & 1 ? 3 : 0) + j);
    switch (rc) {
    case 0:
        FAKE_CHECK(used > 0 && fake_pattern(m->pos + used - 1) == '\n');
        FAKE_CHECK(j <= limit);
        break;
    case SK_ETOOLONG:
        FAKE_CHECK(j == limit);
        break;
    case SK_ECLOSED:
        FAKE_CHECK(used == a0); /* the rest, as the last line */
        break;
    case SK_EWOULDBLOCK:
        FAKE_CHECK(used == 0);
        break;
    default:
        FAKE_CHECK(rc == SK_ENORESOURCES && used == 0);
        break;
    }
    m->pos += used;
    sk_buf_free(&line);
}

static void do_read_all(model *m)
{
    sk_buf all = {NULL, 0, 0};
    size_t a0 = avail_of(m);
    int rc = sk_conn_read_all(m->c, &all);
    check_code(rc);
    if (rc == 0) {
        FAKE_CHECK(all.len == a0 && a0 > 0);
        check_stream(m, all.data, all.len);
        m->pos += all.len;
        FAKE_CHECK(avail_of(m) == 0);
    } else {
        FAKE_CHECK(all.len == 0);
    }
    sk_buf_free(&all);
}

/* The hook: answers from the input, synchronously (the fake runs the
 * worker inline). */
static int fuzz_resolve(const char *host, int port, sk_addrinfo *out,
                        size_t cap, size_t *count, void *ud)
{
    static const char *const addrs[] = {"127.0.0.1", "::1", "10.0.0.2",
                                        "2001:db8::5", "fe80::1%lo", "127.1",
                                        "not-numeric", ""};
    unsigned k = rd8(g_r), n = k % 7, i;
    (void)ud;
    FAKE_CHECK(host != NULL && host[0] != '\0');
    FAKE_CHECK(port >= 1 && port <= 65535);
    FAKE_CHECK(cap == SK_CONN_RESOLVE_MAX && count != NULL);
    *count = 0;
    if (k >> 5 == 1)
        return SK_ENAMETEMP;
    if (k >> 5 == 2)
        return 7; /* not an SK_E* code: counts as "not found" */
    for (i = 0; i < n; i++) {
        unsigned a = rd8(g_r);
        memset(&out[i], 0, sizeof out[i]);
        strcpy(out[i].addr, addrs[a % 8]);
        out[i].port = (a >> 3) % 4 == 0 ? 0 : (int)(a >> 3) * 1000;
    }
    *count = (k >> 5) == 3 ? 1000 : n; /* an overlong count is cut */
    if (*count > n)
        *count = n;
    return 0;
}

static void do_connect(model *m, unsigned k)
{
    static const char *const hosts[] = {"127.0.0.1", "::1", "name.test",
                                        "10.9.8.7", "", "::ffff:10.0.0.1",
                                        "*", "127.1"};
    const char *host = hosts[k & 7]; /* bits 0-2 */
    int port = (k >> 3) % 8 == 0 ? 0 : 80; /* bits 3-5 (7: no thread) */
    int st = sk_conn_state(m->c), rc;
    FAKE_CHECK(sk_conn_setresolver(m->c, (k & 0x40) ? fuzz_resolve : NULL,
                                   NULL) == 0);
    fake.thread_fail = (k >> 3) % 8 == 7;
    rc = sk_conn_connect(m->c, host, port);
    fake.thread_fail = 0;
    check_code(rc);
    if (host[0] == '\0' || strcmp(host, "*") == 0 || port == 0) {
        FAKE_CHECK(rc == SK_EINVAL);
        return;
    }
    if (st != SK_CONN_UNCONNECTED && st != SK_CONN_BOUND) {
        FAKE_CHECK(rc == SK_EWRONGROLE);
        return;
    }
    FAKE_CHECK(rc == 0 || rc == SK_ENORESOURCES);
    if (rc == 0 && m->live)
        m->pos = 0; /* a new stream (whatever the handlers did since) */
}

static void bind_done(sk_conn *c, int result, int error, void *ud)
{
    model *m = model_of(c, ud);
    check_code(error);
    FAKE_CHECK((result == 1) == (error == 0));
    FAKE_CHECK(result == 0 || result == 1);
    /* (state_changed(BOUND) came first and may have changed the state) */
    act(m);
}

static void do_bind(model *m, unsigned k)
{
    int port = k & 1 ? 0 : 8000 + (int)k, rc;
    int st = sk_conn_state(m->c);
    if (k & 2) {
        rc = sk_conn_bind_async(m->c, port, bind_done, m);
        check_code(rc);
        FAKE_CHECK(rc == 0 || rc == SK_EINPROGRESS ||
                   rc == SK_ENORESOURCES);
        return;
    }
    rc = sk_conn_bind(m->c, port);
    check_code(rc);
    if (st != SK_CONN_UNCONNECTED)
        FAKE_CHECK(rc == SK_EWRONGROLE);
}

static void do_settimeout(model *m, unsigned k)
{
    static const double vals[] = {-1, 0, 0.001, 0.05, 0.3, 2, 30, 1e9, 2e9};
    static const char modes[] = "cdlx";
    double v = (k & 0x80) ? (double)NAN : vals[(k >> 2) % 9];
    char mode = modes[k % 4];
    double got = -7;
    int rc = sk_conn_settimeout(m->c, v, mode);
    check_code(rc);
    if (v != v || v > 1e9 || mode == 'x')
        FAKE_CHECK(rc == SK_EINVAL);
    else
        FAKE_CHECK(rc == 0);
    rc = sk_conn_gettimeout(m->c, mode, &got);
    FAKE_CHECK(rc == (mode == 'x' ? SK_EINVAL : 0));
}

static void do_linelimit(model *m, unsigned k)
{
    sk_sock *s = NULL;
    FAKE_CHECK(sk_conn_sock(m->c, &s) == 0);
    FAKE_CHECK(sk_setlinelimit(s, 1 + k % 48) == 0);
}

static void do_queries(model *m)
{
    sk_name n;
    sk_sock *s = NULL;
    size_t w = 99;
    int st = sk_conn_state(m->c), e = 0, code = 0, rc;
    FAKE_CHECK(valid_state(st));
    FAKE_CHECK(sk_conn_valid(m->c) == (st == SK_CONN_CONNECTED));
    FAKE_CHECK(sk_conn_error(m->c, &e, &code) == 0);
    FAKE_CHECK(e == sk_conn_errcode(code) || (e == -1 && code == 0));
    FAKE_CHECK(sk_conn_bytes_to_write(m->c, &w) == 0);
    rc = sk_conn_local(m->c, &n);
    check_code(rc);
    FAKE_CHECK(rc == 0 || rc == SK_ENOTCONN);
    if (st == SK_CONN_UNCONNECTED || st == SK_CONN_HOST_LOOKUP ||
        st == SK_CONN_CONNECTING)
        FAKE_CHECK(rc == SK_ENOTCONN && n.addr[0] == '\0' && n.port == 0);
    rc = sk_conn_remote(m->c, &n);
    check_code(rc);
    if (st != SK_CONN_CONNECTED && st != SK_CONN_CLOSING)
        FAKE_CHECK(rc == SK_ENOTCONN && n.addr[0] == '\0');
    FAKE_CHECK(sk_conn_sock(m->c, &s) == 0 && s != NULL);
    if (st == SK_CONN_UNCONNECTED) {
        FAKE_CHECK(sk_getfd(s) == SK_FD_INVALID); /* no socket kept */
        FAKE_CHECK(w == 0);
    }
    if (st == SK_CONN_BOUND)
        FAKE_CHECK(w == 0);
}

/* What a handler does, read from the input: mostly nothing. */
static void act(model *m)
{
    unsigned k = rd8(g_r);
    if (!m->live || g_depth >= MAX_DEPTH)
        return;
    g_depth++;
    switch (k % 24) {
    case 0:
        do_free(m);
        break;
    case 1:
        do_abort(m);
        break;
    case 2:
        do_disconnect(m);
        break;
    case 3:
        do_write(m, k >> 5);
        break;
    case 4:
        do_read(m, k);
        break;
    case 5:
        do_read_line(m, k >> 5);
        break;
    case 6:
        do_connect(m, rd8(g_r));
        break;
    case 7:
        do_read_all(m);
        break;
    case 8:
        do_bind(m, rd8(g_r));
        break;
    case 9:
        if (g_srv != NULL) {
            sk_server_free(g_srv);
            g_srv = NULL;
        }
        break;
    default:
        break;
    }
    g_depth--;
}

/* ---- handlers ----------------------------------------------------------- */

static void h_connected(sk_conn *c, void *ud)
{
    model *m = model_of(c, ud);
    TRACE(m, "connected", 0);
    FAKE_CHECK(m->state == SK_CONN_CONNECTED);
    FAKE_CHECK(sk_conn_state(c) == SK_CONN_CONNECTED);
    act(m);
}

static void h_disconnected(sk_conn *c, void *ud)
{
    model *m = model_of(c, ud);
    TRACE(m, "disconnected", 0);
    FAKE_CHECK(m->pending_disc && m->state == SK_CONN_UNCONNECTED);
    FAKE_CHECK(sk_conn_state(c) == SK_CONN_UNCONNECTED);
    m->pending_disc = 0;
    act(m);
}

static void h_error(sk_conn *c, int error, void *ud)
{
    model *m = model_of(c, ud);
    TRACE(m, "error", error);
    int e = -5, code = 1;
    FAKE_CHECK(sk_conn_error(c, &e, &code) == 0);
    FAKE_CHECK(e == error && code < 0 && sk_conn_errcode(code) == error);
    FAKE_CHECK(sk_conn_state(c) == m->state);
    act(m);
}

static void h_state(sk_conn *c, int state, void *ud)
{
    model *m = model_of(c, ud);
    TRACE(m, "state", state);
    FAKE_CHECK(valid_state(state) && sk_conn_state(c) == state);
    FAKE_CHECK(legal(m->state, state));
    m->pending_disc = state == SK_CONN_UNCONNECTED && m->established;
    m->established = state == SK_CONN_CONNECTED ||
                     (state == SK_CONN_CLOSING && m->established);
    m->state = state;
    act(m);
}

static void h_host_found(sk_conn *c, void *ud)
{
    model *m = model_of(c, ud);
    TRACE(m, "host_found", 0);
    FAKE_CHECK(m->state == SK_CONN_HOST_LOOKUP);
    act(m);
}

static void h_ready_read(sk_conn *c, size_t available, void *ud)
{
    model *m = model_of(c, ud);
    TRACE(m, "ready_read", available);
    FAKE_CHECK(available > 0 && available == avail_of(m));
    FAKE_CHECK(m->state == SK_CONN_CONNECTED ||
               m->state == SK_CONN_CLOSING);
    act(m);
}

static void h_bytes_written(sk_conn *c, size_t count, void *ud)
{
    model *m = model_of(c, ud);
    TRACE(m, "bytes_written", count);
    FAKE_CHECK(count > 0);
    m->reported += count;
    FAKE_CHECK(m->reported <= m->written);
    act(m);
}

static const sk_conn_handlers g_handlers = {
    h_connected, h_disconnected, h_error,       h_state,
    h_host_found, h_ready_read,  h_bytes_written};

static model *free_model(void)
{
    size_t i;
    for (i = 0; i < NCONN; i++)
        if (!g_m[i].live)
            return &g_m[i];
    return NULL;
}

static void model_start(model *m, sk_conn *c, int state)
{
    memset(m, 0, sizeof *m);
    m->c = c;
    m->live = 1;
    m->state = state;
    m->established = state == SK_CONN_CONNECTED;
    FAKE_CHECK(sk_conn_sethandlers(c, &g_handlers, m) == 0);
}

static void server_cb(sk_server *srv, sk_conn *conn, void *ud)
{
    model *m = free_model();
    unsigned k;
    FAKE_CHECK(srv == g_srv && ud == &g_srv);
    FAKE_CHECK(sk_conn_state(conn) == SK_CONN_CONNECTED);
    if (m == NULL) {
        sk_conn_free(conn);
        return;
    }
    model_start(m, conn, SK_CONN_CONNECTED);
    k = rd8(g_r);
    if (k % 16 == 1) {
        sk_server_free(g_srv); /* from its own callback */
        g_srv = NULL;
    } else if (k % 16 == 2) {
        FAKE_CHECK(sk_server_close(g_srv) == 0);
    } else {
        act(m);
    }
}

static void do_listen(unsigned k)
{
    static const char *const hosts[] = {"*", "127.0.0.1", "::1", "name",
                                        ""};
    const char *host = hosts[k % 5];
    int rc;
    if (g_srv == NULL) {
        rc = sk_server_new(g_loop, &g_srv);
        check_code(rc);
        if (rc != 0)
            return;
    }
    rc = sk_server_listen(g_srv, host, (k & 0x40) ? 70000 : 0, 5, server_cb,
                          &g_srv);
    check_code(rc);
    if (host[0] == '\0' || (k & 0x40))
        FAKE_CHECK(rc == SK_EINVAL || rc == SK_ECLOSED ||
                   rc == SK_EWRONGROLE);
}

static void post_cb(void *ud)
{
    model *m = (model *)ud;
    if (m->live)
        act(m);
}

/* ---- the driver ----------------------------------------------------------- */

static void check_all(void)
{
    size_t i;
    for (i = 0; i < NCONN; i++) {
        model *m = &g_m[i];
        if (!m->live)
            continue;
        FAKE_CHECK(!m->pending_disc); /* disconnected was not skipped */
        FAKE_CHECK(sk_conn_state(m->c) == m->state);
        do_queries(m);
    }
}

static void run_command(reader *r)
{
    unsigned op = rd8(r), which = rd8(r), k;
    model *m = &g_m[which % NCONN];
    int rc;

    TRACE(m, "command", op);

    if (op % 20 == 0) { /* a new connection in the slot */
        sk_conn *c = NULL;
        if (m->live)
            do_free(m);
        rc = sk_conn_new(g_loop, &c);
        check_code(rc);
        if (rc == 0)
            model_start(m, c, SK_CONN_UNCONNECTED);
        return;
    }
    if (op % 20 >= 14) { /* not about one connection */
        switch (op % 20) {
        case 14: /* loop iterations, each one poller wait */
            for (k = 1 + which % 4; k > 0; k--) {
                rc = sk_loop_run(g_loop, (op & 0x80) ? SK_RUN_NOWAIT
                                                     : SK_RUN_ONCE);
                FAKE_CHECK(rc == 0);
            }
            break;
        case 15:
            do_listen(rd8(r));
            break;
        case 16:
            if (g_srv != NULL) {
                if (which & 1) {
                    sk_server_free(g_srv);
                    g_srv = NULL;
                } else {
                    FAKE_CHECK(sk_server_close(g_srv) == 0);
                }
            }
            break;
        case 17:
            FAKE_CHECK(sk_loop_post(g_loop, post_cb, m) == 0);
            break;
        case 18:
            FAKE_CHECK(sk_loop_stop(g_loop) == 0);
            break;
        default:
            FAKE_CHECK(sk_loop_wake(g_loop) == 0);
            break;
        }
        return;
    }
    if (!m->live)
        return;
    switch (op % 20) {
    case 1:
        do_connect(m, rd8(r));
        break;
    case 2:
        do_write(m, rd8(r));
        break;
    case 3:
        do_read(m, rd8(r));
        break;
    case 4:
        do_read_line(m, rd8(r));
        break;
    case 5:
        do_read_all(m);
        break;
    case 6:
        do_disconnect(m);
        break;
    case 7:
        do_abort(m);
        break;
    case 8:
        do_free(m);
        break;
    case 9:
        do_settimeout(m, rd8(r));
        break;
    case 10:
        k = rd8(r);
        FAKE_CHECK(sk_conn_setreadlimit(m->c, k % 4 == 0 ? 0 : k * 13) == 0);
        break;
    case 11:
        do_bind(m, rd8(r));
        break;
    case 12:
        do_linelimit(m, rd8(r));
        break;
    default:
        do_queries(m);
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t steps[] = {(size_t)-1, 1, 7, 64, 4096, 65536,
                                   (size_t)-1, 3};
    reader r;
    unsigned flags;
    size_t i;
    int rc;

    r.p = data;
    r.n = size;
    fake_reset();
    fake.loop_mode = 1;
    fake.script = &r;
    g_r = &r;
    g_srv = NULL;
    g_depth = 0;
    memset(g_m, 0, sizeof g_m);
    flags = rd8(&r);
    fake.has_ipv6 = !(flags & 1);
    fake.send_step = steps[(flags >> 1) & 7];
    rc = sk_loop_new(&g_loop);
    FAKE_CHECK(rc == 0);
    FAKE_CHECK(strcmp(sk_loop_backend(g_loop), "fake") == 0);
    while (r.n > 0) {
        run_command(&r);
        check_all();
    }
    /* Teardown: nothing more comes from the input. */
    for (i = 0; i < NCONN; i++)
        if (g_m[i].live)
            do_free(&g_m[i]);
    sk_server_free(g_srv);
    g_srv = NULL;
    sk_loop_free(g_loop);
    g_loop = NULL;
    fake.script = NULL;
    fake_finish();
    return 0;
}
