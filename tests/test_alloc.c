/* SPDX-License-Identifier: MIT */
/*
 * test_alloc.c - every allocation failure (SQLite's discipline).  Built
 * against sockit_hooked, the test build of the library whose allocations go
 * through src/testhooks.c: each scenario below runs with the Nth allocation
 * failing, for N = 1, 2, ... until a run needs no failure.  Every call must
 * succeed or return SK_ENORESOURCES; the scenario then cleans up, and the
 * sanitizers (asan lane: LSan) or valgrind check that nothing leaked.
 */
#include "support.h"
#include "plat.h" /* sk__test_alloc_* (SOCKIT_TEST_HOOKS) */

#include <stdio.h>
#include <string.h>

/* Upper bound on the allocations of one scenario: the sweep fails when a
 * scenario still allocates past it (an unbounded retry, say). */
#define SWEEP_MAX 2000

/* The allocation failing in the current run (for messages). */
static unsigned long sweep_n;

/* A scenario: 0 when it ran to the end, SK_ENORESOURCES when a call
 * reported the injected failure (it has then cleaned up).  Any other
 * outcome is a CMocka failure inside the scenario. */
typedef int (*scenario)(void);

/* OK(expr): run a library call that must return 0, or SK_ENORESOURCES
 * while an injected failure has happened (then leave through `out`). */
#define OK(expr)                                                            \
    do {                                                                    \
        int ok_rc_ = (expr);                                                \
        if (ok_rc_ == SK_ENORESOURCES && sk__test_alloc_failed()) {         \
            rc = SK_ENORESOURCES;                                           \
            goto out;                                                       \
        }                                                                   \
        if (ok_rc_ != 0)                                                    \
            print_error("with allocation %lu failing:\n", sweep_n);         \
        sup_check_rc_(ok_rc_, 0, #expr, __FILE__, __LINE__);                \
    } while (0)

/* sweep: run fn with the 1st, 2nd, ... allocation failing until a run
 * completes without reaching the armed allocation; returns that N - 1,
 * the count of failure points tried. */
static unsigned long sweep(const char *name, scenario fn)
{
    unsigned long n;
    for (n = 1; n <= SWEEP_MAX; n++) {
        int rc;
        sweep_n = n;
        sk__test_alloc_fail_at(n);
        rc = fn();
        if (!sk__test_alloc_failed()) {
            sk__test_alloc_fail_at(0);
            sup_assert_rc(rc, 0);
            print_message("%s: %lu allocation failure points\n", name,
                          n - 1);
            return n - 1;
        }
        sk__test_alloc_fail_at(0);
        if (rc != 0 && rc != SK_ENORESOURCES)
            fail_msg("%s: N=%lu returned %s", name, n, sk_errname(rc));
    }
    fail_msg("%s: still allocating after %d failure points", name,
             SWEEP_MAX);
    return 0;
}

/* ---- the hook itself ---------------------------------------------------- */

static void t_hook(void **state)
{
    sk_sock *s = NULL;
    (void)state;
    sk__test_alloc_fail_at(1);
    sup_assert_rc(sk_tcp4(&s), SK_ENORESOURCES);
    assert_null(s);
    assert_int_equal(sk__test_alloc_failed(), 1);
    assert_int_equal(sk__test_alloc_count(), 1);
    sk__test_alloc_fail_at(0);
    sup_assert_rc(sk_tcp4(&s), 0);
    assert_int_equal(sk__test_alloc_count(), 0); /* not armed: not counted */
    sk_free(s);
}

/* ---- what connections share ------------------------------------------- */

static int shared_states;
static void *shared_ud;

static void shared_state(sk_conn *c, int state, void *ud)
{
    (void)c;
    (void)state;
    shared_states++;
    shared_ud = ud;
}

static void shared_error(sk_conn *c, int error, void *ud)
{
    (void)c;
    (void)error;
    (void)ud;
}

/* Allocations the next call makes (the hook armed far away, to count). */
#define COUNTED(expr, n)                                                    \
    do {                                                                    \
        sk__test_alloc_fail_at(1000);                                       \
        sup_assert_rc((expr), 0);                                           \
        assert_int_equal(sk__test_alloc_count(), (n));                      \
        sk__test_alloc_fail_at(0);                                          \
    } while (0)

/* Connections given the same handlers share one copy (issue 17: memory
 * per connection); a set no connection uses any more goes; a failed
 * sk_conn_sethandlers / sk_conn_settimeout / sk_conn_setresolver /
 * sk_conn_setreadlimit changes nothing; settings equal to the defaults
 * cost no memory. */
static void t_conn_shared(void **state)
{
    sk_loop *loop = NULL;
    sk_conn *a = NULL, *b = NULL;
    sk_conn_handlers h, h2;
    double t = 0;
    int ua = 1, ub = 2;
    (void)state;
    memset(&h, 0, sizeof h);
    h.state_changed = shared_state;
    memset(&h2, 0, sizeof h2);
    h2.error = shared_error;
    sup_assert_rc(sk_loop_new(&loop), 0);
    sup_assert_rc(sk_conn_new(loop, &a), 0);
    sup_assert_rc(sk_conn_new(loop, &b), 0);
    COUNTED(sk_conn_sethandlers(a, &h, &ua), 1); /* the loop's copy */
    COUNTED(sk_conn_sethandlers(b, &h, &ub), 0); /* shared */
    COUNTED(sk_conn_sethandlers(b, &h, &ub), 0); /* the same again */
    COUNTED(sk_conn_sethandlers(b, NULL, NULL), 0);
    COUNTED(sk_conn_sethandlers(b, &h, &ub), 0);
    /* No memory for a new set: a keeps its handlers and ud. */
    sk__test_alloc_fail_at(1);
    sup_assert_rc(sk_conn_sethandlers(a, &h2, &ub), SK_ENORESOURCES);
    sk__test_alloc_fail_at(0);
    shared_states = 0;
    sup_assert_rc(sk_conn_bind(a, 0), 0); /* state_changed(BOUND) */
    assert_int_equal(shared_states, 1);
    assert_ptr_equal(shared_ud, &ua);
    /* Settings: the defaults cost nothing; a failed change changes
     * nothing. */
    COUNTED(sk_conn_settimeout(a, 0.25, 'd'), 0);
    COUNTED(sk_conn_settimeout(a, 30, 'l'), 0);
    COUNTED(sk_conn_settimeout(a, -1, 'c'), 0);
    COUNTED(sk_conn_setresolver(a, NULL, NULL), 0);
    sk__test_alloc_fail_at(1);
    sup_assert_rc(sk_conn_settimeout(a, 1, 'l'), SK_ENORESOURCES);
    sk__test_alloc_fail_at(0);
    sup_assert_rc(sk_conn_gettimeout(a, 'l', &t), 0);
    assert_true(t == 30);
    COUNTED(sk_conn_settimeout(a, 1, 'l'), 1);
    COUNTED(sk_conn_settimeout(a, 2, 'c'), 0);
    sup_assert_rc(sk_conn_gettimeout(a, 'l', &t), 0);
    assert_true(t == 1);
    sup_assert_rc(sk_conn_gettimeout(a, 'c', &t), 0);
    assert_true(t == 2);
    sup_assert_rc(sk_conn_gettimeout(a, 'd', &t), 0);
    assert_true(t == 0.25);
    /* The read limit likewise (b has no settings yet). */
    COUNTED(sk_conn_setreadlimit(b, 0), 0);
    sk__test_alloc_fail_at(1);
    sup_assert_rc(sk_conn_setreadlimit(b, 100), SK_ENORESOURCES);
    sk__test_alloc_fail_at(0);
    COUNTED(sk_conn_setreadlimit(b, 100), 1);
    COUNTED(sk_conn_setreadlimit(b, 0), 0);
    /* a moves to another set, b lets go of the first (which goes): the
     * leak checkers see the rest freed with the connections. */
    COUNTED(sk_conn_sethandlers(a, &h2, &ua), 1);
    COUNTED(sk_conn_sethandlers(b, NULL, NULL), 0);
    COUNTED(sk_conn_sethandlers(b, &h, &ub), 1); /* made again */
    sk_conn_free(a);
    sk_conn_free(b);
    sk_loop_free(loop);
}

/* ---- scenarios: blocking objects -------------------------------------- */

/* A connected TCP pair through sk_listen / sk_connect / sk_accept, with
 * the safety timeout on every object.  0 or the first call's error. */
static int tcp_pair(sk_sock **srv, sk_sock **cli, sk_sock **acc)
{
    int rc;
    sk_name nm;
    *srv = *cli = *acc = NULL;
    if ((rc = sk_tcp4(srv)) != 0 || (rc = sk_bind(*srv, "127.0.0.1", 0)) != 0 ||
        (rc = sk_listen(*srv, 8)) != 0 ||
        (rc = sk_getsockname(*srv, &nm)) != 0 ||
        (rc = sk_settimeout(*srv, SUP_SAFETY_TIMEOUT, 'b')) != 0 ||
        (rc = sk_tcp4(cli)) != 0 ||
        (rc = sk_settimeout(*cli, SUP_SAFETY_TIMEOUT, 'b')) != 0 ||
        (rc = sk_connect(*cli, "127.0.0.1", nm.port)) != 0 ||
        (rc = sk_accept(*srv, acc, NULL)) != 0)
        return rc;
    return sk_settimeout(*acc, SUP_SAFETY_TIMEOUT, 'b');
}

/* TCP: a round trip with every receive pattern (SK_LINE, SK_BYTES,
 * SK_SOME, sk_read, sk_receiveline), sk_send and sk_sendv, the numeric
 * lookup of sk_getaddrinfo, names and options. */
static int sc_tcp(void)
{
    int rc = 0, v = 0;
    sk_sock *srv = NULL, *cli = NULL, *acc = NULL;
    sk_buf b = {NULL, 0, 0};
    sk_addrlist al = {0};
    sk_iovec iov[2];
    const char *line = NULL;
    char raw[8];
    size_t got = 0, sent = 0, len = 0;
    sk_name nm;

    OK(sk_getaddrinfo("127.0.0.1", "80", SK_AF_UNSPEC, 0, 0, &al));
    OK(tcp_pair(&srv, &cli, &acc));
    OK(sk_setoption(cli, SK_OPT_TCP_NODELAY, 1));
    OK(sk_getoption(cli, SK_OPT_TCP_NODELAY, &v));
    OK(sk_getpeername(cli, &nm));
    OK(sk_send(cli, "line one\r\nABCDsome", 18, 1, -1, NULL));
    OK(sk_receive(acc, &b, SK_LINE, 0));
    sup_assert_bufstr(&b, "line one");
    b.len = 0;
    OK(sk_receive(acc, &b, SK_BYTES, 4));
    sup_assert_bufstr(&b, "ABCD");
    b.len = 0;
    OK(sk_receive(acc, &b, SK_SOME, 0));
    assert_true(b.len >= 1 && b.len <= 4);
    iov[0].data = "re";
    iov[0].len = 2;
    iov[1].data = "ad\nview\n";
    iov[1].len = 8;
    OK(sk_sendv(acc, iov, 2, &sent));
    assert_int_equal(sent, 10);
    OK(sk_read(cli, raw, 4, &got));
    assert_true(got >= 1 && got <= 4);
    b.len = 0;
    OK(sk_receive(cli, &b, SK_LINE, 0)); /* the rest of "read" */
    OK(sk_receiveline(cli, &line, &len));
    assert_int_equal(len, 4);
    assert_memory_equal(line, "view", 4);
out:
    sk_addrlist_free(&al);
    sk_buf_free(&b);
    sk_free(acc);
    sk_free(cli);
    sk_free(srv);
    return rc;
}

/* UDP: two bound objects, sendto / recvfrom both ways, a peer set. */
static int sc_udp(void)
{
    int rc = 0;
    sk_sock *a = NULL, *b = NULL;
    sk_name na, nb, from;
    char buf[16];
    size_t got = 0;

    OK(sk_udp4(&a));
    OK(sk_udp4(&b));
    OK(sk_settimeout(a, SUP_SAFETY_TIMEOUT, 'b'));
    OK(sk_settimeout(b, SUP_SAFETY_TIMEOUT, 'b'));
    OK(sk_bind(a, "127.0.0.1", 0));
    OK(sk_bind(b, "127.0.0.1", 0));
    OK(sk_getsockname(a, &na));
    OK(sk_getsockname(b, &nb));
    OK(sk_sendto(a, "ping", 4, "127.0.0.1", nb.port));
    OK(sk_recvfrom(b, buf, sizeof buf, &got, NULL, &from));
    assert_int_equal(got, 4);
    assert_int_equal(from.port, na.port);
    OK(sk_setpeername(b, "127.0.0.1", na.port));
    OK(sk_sendto(b, "pong", 4, NULL, 0));
    OK(sk_recvfrom(a, buf, sizeof buf, &got, NULL, NULL));
    assert_int_equal(got, 4);
    assert_memory_equal(buf, "pong", 4);
out:
    sk_free(a);
    sk_free(b);
    return rc;
}

#if !defined(_WIN32)
static char unix_dir[200];

/* UNIX: a server at a path, a client, a line each way. */
static int sc_unix(void)
{
    int rc = 0;
    char path[260];
    sk_sock *srv = NULL, *cli = NULL, *acc = NULL;
    sk_buf b = {NULL, 0, 0};

    snprintf(path, sizeof path, "%s/s", unix_dir);
    OK(sk_unix(&srv));
    OK(sk_bind(srv, path, 0));
    OK(sk_listen(srv, 4));
    OK(sk_settimeout(srv, SUP_SAFETY_TIMEOUT, 'b'));
    OK(sk_unix(&cli));
    OK(sk_settimeout(cli, SUP_SAFETY_TIMEOUT, 'b'));
    OK(sk_connect(cli, path, 0));
    OK(sk_accept(srv, &acc, NULL));
    OK(sk_settimeout(acc, SUP_SAFETY_TIMEOUT, 'b'));
    OK(sk_send(cli, "hi\n", 3, 1, -1, NULL));
    OK(sk_receive(acc, &b, SK_LINE, 0));
    sup_assert_bufstr(&b, "hi");
out:
    sk_buf_free(&b);
    sk_free(acc);
    sk_free(cli);
    sk_free(srv);
    if (sup_exists(path)) /* left by a bind that failed half-way */
        sup_remove(path);
    return rc;
}
#endif

/* sk_select over more entries than fit its stack (one client listed 100
 * times in each set), with buffered bytes and with bytes in the system. */
#define SEL_ENTRIES 100
static int sc_select(void)
{
    int rc = 0;
    sk_sock *srv = NULL, *cli = NULL, *acc = NULL;
    sk_sock *rt[SEL_ENTRIES], *st[SEL_ENTRIES], *r[SEL_ENTRIES],
        *w[SEL_ENTRIES];
    size_t i, nr = 0, nw = 0;

    OK(tcp_pair(&srv, &cli, &acc));
    for (i = 0; i < SEL_ENTRIES; i++) {
        rt[i] = i % 3 == 0 ? NULL : acc;
        st[i] = i % 3 == 1 ? NULL : cli;
    }
    OK(sk_send(cli, "x", 1, 1, -1, NULL));
    OK(sk_select(rt, SEL_ENTRIES, st, SEL_ENTRIES, SUP_SAFETY_TIMEOUT, r,
                 &nr, w, &nw));
    assert_true(nw > 0);
out:
    sk_free(acc);
    sk_free(cli);
    sk_free(srv);
    return rc;
}

#if !defined(_WIN32)
/* sk_select past the descriptor limit (POSIX): the pair listed 2,000
 * times in each set, the limit lowered to just above the descriptors open,
 * so that the plain list is refused and the merged one is made. */
#define LIMIT_ENTRIES 2000
static sk_sock *lim_rt[LIMIT_ENTRIES], *lim_st[LIMIT_ENTRIES],
    *lim_r[LIMIT_ENTRIES], *lim_w[LIMIT_ENTRIES];
static int sc_select_limit(void)
{
    int rc = 0;
    sk_sock *srv = NULL, *cli = NULL, *acc = NULL;
    size_t i, nr = 0, nw = 0, room = 0;

    OK(tcp_pair(&srv, &cli, &acc));
    for (i = 0; i < LIMIT_ENTRIES; i++) {
        lim_rt[i] = acc;
        lim_st[i] = cli;
    }
    OK(sk_send(cli, "x", 1, 1, -1, NULL));
    room = sup_fd_limit_lower(2);
    rc = sk_select(lim_rt, LIMIT_ENTRIES, lim_st, LIMIT_ENTRIES,
                   SUP_SAFETY_TIMEOUT, lim_r, &nr, lim_w, &nw);
    sup_fd_limit_restore();
    OK(rc);
    assert_int_equal(nw, LIMIT_ENTRIES);
    (void)room;
out:
    sk_free(acc);
    sk_free(cli);
    sk_free(srv);
    return rc;
}
#endif

/* The backend the loop scenarios and sc_selector run on (each in turn). */
static const char *sel_backend;

/* sk_selector: add, wait, set, wait, remove, on each backend. */
static int sc_selector(void)
{
    int rc = 0, ev[4];
    sk_sock *srv = NULL, *cli = NULL, *acc = NULL, *ready[4];
    sk_selector *sel = NULL;
    size_t n = 0;

    OK(tcp_pair(&srv, &cli, &acc));
    OK(sk_selector_new_backend(&sel, sel_backend));
    OK(sk_selector_add(sel, cli, SK_WRITABLE));
    OK(sk_selector_add(sel, acc, SK_READABLE));
    OK(sk_selector_add(sel, srv, SK_READABLE));
    OK(sk_selector_wait(sel, SUP_SAFETY_TIMEOUT, ready, ev, 4, &n));
    assert_int_equal(n, 1);
    assert_ptr_equal(ready[0], cli);
    OK(sk_selector_set(sel, cli, SK_READABLE));
    OK(sk_send(acc, "x", 1, 1, -1, NULL));
    OK(sk_selector_wait(sel, SUP_SAFETY_TIMEOUT, ready, ev, 4, &n));
    assert_int_equal(n, 1);
    assert_ptr_equal(ready[0], cli);
    OK(sk_selector_remove(sel, cli));
out:
    sk_selector_free(sel);
    sk_free(acc);
    sk_free(cli);
    sk_free(srv);
    return rc;
}

/* ---- scenarios: the loop ------------------------------------------------ */

/* What a loop scenario saw; every run starts from zero. */
typedef struct seen {
    sk_loop *loop;
    int fired[3];       /* timers */
    int guard;          /* the safety timer ran: something hung */
    int states[8];      /* state_changed calls per state (client) */
    int host_found, connected, disconnected;
    int errors, last_error; /* client's error handler */
    int hit;            /* some call returned the injected failure */
    int echoed;         /* the client got its line back */
    int accepted;
    int srv_errors, srv_last_error; /* the server's end's error handler */
    sk_conn *srv_conn;  /* the server's end */
    sk_buf line;
} seen;

static seen G;

static void on_guard(sk_timer *t, void *ud)
{
    (void)t;
    (void)ud;
    G.guard = 1;
    (void)sk_loop_stop(G.loop);
}

static void on_tick(sk_timer *t, void *ud)
{
    int i = (int)(intptr_t)ud;
    G.fired[i]++;
    if (i == 2 && G.fired[2] == 3)
        (void)sk_timer_stop(t);
}

/* Timers: three started (one repeating), one restarted, one stopped. */
static int sc_timers(void)
{
    int rc = 0, i;
    sk_loop *loop = NULL;
    sk_timer *t[3] = {NULL, NULL, NULL}, *guard = NULL;

    memset(&G, 0, sizeof G);
    OK(sk_loop_new_backend(&loop, sel_backend));
    G.loop = loop;
    OK(sk_timer_new(loop, &guard));
    OK(sk_timer_start(guard, SUP_SAFETY_TIMEOUT, 0, on_guard, NULL));
    for (i = 0; i < 3; i++)
        OK(sk_timer_new(loop, &t[i]));
    OK(sk_timer_start(t[0], 0.001, 0, on_tick, (void *)(intptr_t)0));
    OK(sk_timer_start(t[1], 0.002, 0, on_tick, (void *)(intptr_t)1));
    OK(sk_timer_start(t[2], 0, 0.001, on_tick, (void *)(intptr_t)2));
    OK(sk_timer_start(t[1], 0, 0, on_tick, (void *)(intptr_t)1));
    OK(sk_timer_stop(guard));
    OK(sk_loop_run(loop, SK_RUN_DEFAULT));
    assert_int_equal(G.guard, 0);
    assert_int_equal(G.fired[0], 1);
    assert_int_equal(G.fired[1], 1);
    assert_int_equal(G.fired[2], 3);
out:
    for (i = 0; i < 3; i++)
        sk_timer_free(t[i]);
    sk_timer_free(guard);
    sk_loop_free(loop);
    return rc;
}

/* The resolver hook: nothing listens on 127.0.0.2 (refused), the server
 * is on 127.0.0.1; both are tried at once (Happy Eyeballs, delay 0). */
static int resolve(const char *host, int port, sk_addrinfo *out, size_t cap,
                   size_t *count, void *ud)
{
    (void)host;
    (void)ud;
    assert_true(cap >= 2);
    memset(out, 0, 2 * sizeof *out);
    strcpy(out[0].addr, "127.0.0.2");
    out[0].port = port;
    strcpy(out[1].addr, "127.0.0.1");
    out[1].port = port;
    *count = 2;
    return 0;
}

/* Record a call's result in a handler, where nothing can `goto out`: the
 * injected failure is noted and ends the run (as an application would give
 * up on this exchange; the scenario then only has to end cleanly);
 * anything else but 0 fails the test. */
static void note_rc(int r)
{
    if (r == SK_ENORESOURCES && sk__test_alloc_failed()) {
        G.hit = 1;
        (void)sk_loop_stop(G.loop);
    } else
        sup_assert_rc(r, 0);
}

static void srv_read(sk_conn *c, size_t avail, void *ud)
{
    char buf[64];
    size_t got = 0;
    (void)avail;
    (void)ud;
    note_rc(sk_conn_read(c, buf, sizeof buf, &got));
    if (got > 0)
        note_rc(sk_conn_write(c, buf, got));
}

static void srv_error(sk_conn *c, int error, void *ud)
{
    (void)c;
    (void)ud;
    G.srv_errors++;
    G.srv_last_error = error;
}

static void srv_accept(sk_server *srv, sk_conn *conn, void *ud)
{
    sk_conn_handlers h;
    (void)srv;
    (void)ud;
    memset(&h, 0, sizeof h);
    h.ready_read = srv_read;
    h.error = srv_error;
    G.accepted++;
    sk_conn_free(G.srv_conn); /* (a second accept: the first is done) */
    G.srv_conn = conn;
    note_rc(sk_conn_sethandlers(conn, &h, NULL));
}

static void cli_state(sk_conn *c, int state, void *ud)
{
    (void)c;
    (void)ud;
    assert_true(state >= 0 && state < 8);
    G.states[state]++;
    if (state == SK_CONN_UNCONNECTED)
        (void)sk_loop_stop(G.loop);
}

static void cli_found(sk_conn *c, void *ud)
{
    (void)c;
    (void)ud;
    G.host_found++;
}

static void cli_connected(sk_conn *c, void *ud)
{
    (void)ud;
    G.connected++;
    note_rc(sk_conn_write(c, "echo me\n", 8));
}

static void cli_disconnected(sk_conn *c, void *ud)
{
    (void)c;
    (void)ud;
    G.disconnected++;
}

static void cli_error(sk_conn *c, int error, void *ud)
{
    (void)c;
    (void)ud;
    G.errors++;
    G.last_error = error;
}

static void cli_read(sk_conn *c, size_t avail, void *ud)
{
    int r;
    (void)avail;
    (void)ud;
    r = sk_conn_read_line(c, &G.line);
    if (r == SK_EWOULDBLOCK)
        return;
    note_rc(r);
    if (r == 0) {
        assert_int_equal(G.line.len, 7);
        assert_memory_equal(G.line.data, "echo me", 7);
        G.echoed = 1;
        (void)sk_loop_stop(G.loop);
    }
}

/* The loop: sk_server accepting, an sk_conn connecting to a name through
 * the resolver hook (run inline: sk__test_lookup_inline) and Happy
 * Eyeballs over two addresses, a line echoed. */
static int sc_conn(void)
{
    int rc = 0, st, err = 0, code = 0;
    sk_loop *loop = NULL;
    sk_server *srv = NULL;
    sk_sock *ss = NULL;
    sk_conn *c = NULL;
    sk_timer *guard = NULL;
    sk_conn_handlers h;
    sk_name nm;
    unsigned i;

    memset(&G, 0, sizeof G);
    OK(sk_loop_new_backend(&loop, sel_backend));
    G.loop = loop;
    OK(sk_timer_new(loop, &guard));
    OK(sk_timer_start(guard, SUP_SAFETY_TIMEOUT, 0, on_guard, NULL));
    OK(sk_server_new(loop, &srv));
    OK(sk_server_listen(srv, "127.0.0.1", 0, 8, srv_accept, NULL));
    OK(sk_server_sock(srv, &ss));
    OK(sk_getsockname(ss, &nm));
    OK(sk_conn_new(loop, &c));
    memset(&h, 0, sizeof h);
    h.state_changed = cli_state;
    h.host_found = cli_found;
    h.connected = cli_connected;
    h.disconnected = cli_disconnected;
    h.error = cli_error;
    h.ready_read = cli_read;
    OK(sk_conn_sethandlers(c, &h, NULL));
    OK(sk_conn_setresolver(c, resolve, NULL));
    OK(sk_conn_settimeout(c, 0, 'd'));
    OK(sk_conn_connect(c, "alloc.test", nm.port));
    /* Until the echo came back or the connection ended (each stops the
     * loop); the guard bounds it. */
    for (i = 0; i < 100 && !G.echoed && !G.guard && !G.hit; i++) {
        st = sk_conn_state(c);
        if (st == SK_CONN_UNCONNECTED)
            break;
        OK(sk_loop_run(loop, SK_RUN_DEFAULT));
    }
    st = sk_conn_state(c);
    if (G.guard)
        print_error("with allocation %lu failing: hung in state %d "
                    "(%d accepted, %d connected)\n", sweep_n, st,
                    G.accepted, G.connected);
    assert_int_equal(G.guard, 0); /* nothing hung */
    if (G.hit) {
        /* a call in a handler said SK_ENORESOURCES: the exchange was given
         * up; the connection is in a state it can be freed from */
        assert_true(st == SK_CONN_CONNECTED || st == SK_CONN_UNCONNECTED);
        rc = SK_ENORESOURCES;
    } else if (G.echoed) {
        assert_int_equal(st, SK_CONN_CONNECTED);
        assert_int_equal(G.connected, 1);
        assert_int_equal(G.host_found, 1);
    } else {
        /* It ended: a final state, through the handlers, for the
         * injected failure. */
        assert_true(sk__test_alloc_failed());
        assert_int_equal(st, SK_CONN_UNCONNECTED);
        assert_int_equal(G.states[SK_CONN_UNCONNECTED], 1);
        assert_int_equal(G.disconnected, G.connected);
        OK(sk_conn_error(c, &err, &code));
        assert_int_equal(G.errors, 1);
        if (G.srv_errors > 0) {
            /* the server's end failed (and said so): the client saw it
             * go */
            assert_int_equal(G.srv_errors, 1);
            assert_int_equal(G.srv_last_error, SK_CONN_ERR_SOCKET_RESOURCE);
            assert_int_equal(G.last_error, SK_CONN_ERR_REMOTE_HOST_CLOSED);
        } else {
            /* the client's own failure: reported as such, never as a
             * timeout */
            if (code != SK_ENORESOURCES)
                print_error("with allocation %lu failing: the error is %s "
                            "(%s)\n", sweep_n,
                            sk_conn_errstr(G.last_error), sk_errname(code));
            assert_int_equal(G.last_error, SK_CONN_ERR_SOCKET_RESOURCE);
            sup_assert_rc(code, SK_ENORESOURCES);
        }
        rc = SK_ENORESOURCES;
    }
out:
    sk_conn_free(c);
    sk_conn_free(G.srv_conn);
    sk_server_free(srv);
    sk_timer_free(guard);
    sk_loop_free(loop);
    sk_buf_free(&G.line);
    return rc;
}

/* ---- the sweeps --------------------------------------------------------- */

static void t_tcp(void **state)
{
    (void)state;
    sweep("tcp", sc_tcp);
}

static void t_udp(void **state)
{
    (void)state;
    sweep("udp", sc_udp);
}

static void t_unix(void **state)
{
    (void)state;
#if defined(_WIN32)
    print_message("skipped: AF_UNIX under Wine is partial (see "
                  "test_unix); the UNIX sweep runs on POSIX\n");
    skip();
#else
    sup_tempdir(unix_dir, sizeof unix_dir);
    sweep("unix", sc_unix);
    sup_rmdir(unix_dir);
#endif
}

static void t_select(void **state)
{
    (void)state;
    sweep("select", sc_select);
}

static void t_select_limit(void **state)
{
    (void)state;
#if defined(_WIN32)
    print_message("skipped: Windows has no descriptor limit to lower (its "
                  "select sets are sized to need)\n");
    skip();
#else
    sweep("select past the fd limit", sc_select_limit);
#endif
}

static void sel_one(const char *backend)
{
    char name[64];
    sel_backend = backend;
    snprintf(name, sizeof name, "selector(%s)", backend);
    sweep(name, sc_selector);
}

static void t_selector(void **state)
{
    (void)state;
    sup_each_backend(sel_one);
}

static void timers_one(const char *backend)
{
    char name[64];
    sel_backend = backend;
    snprintf(name, sizeof name, "timers(%s)", backend);
    sweep(name, sc_timers);
}

static void t_timers(void **state)
{
    (void)state;
    sup_each_backend(timers_one);
}

static void conn_one(const char *backend)
{
    char name[64];
    sel_backend = backend;
    snprintf(name, sizeof name, "conn+server(%s)", backend);
    sweep(name, sc_conn);
}

static void t_conn(void **state)
{
    (void)state;
    sk__test_lookup_inline(1);
    sup_each_backend(conn_one);
    sk__test_lookup_inline(0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_hook),
        cmocka_unit_test(t_conn_shared),
        cmocka_unit_test(t_tcp),
        cmocka_unit_test(t_udp),
        cmocka_unit_test(t_unix),
        cmocka_unit_test(t_select),
        cmocka_unit_test(t_select_limit),
        cmocka_unit_test(t_selector),
        cmocka_unit_test(t_timers),
        cmocka_unit_test(t_conn),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
