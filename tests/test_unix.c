/* SPDX-License-Identifier: MIT */
/*
 * test_unix.c - UNIX-domain sockets: stream echo with every receive
 * pattern, names of every end, shutdown, select, timeouts, abstract names
 * (Linux), path length limits, stale socket files, removal at close, path
 * error codes, TCP-only options, and moving handles with setfd/getfd.
 * Every path lives in a fresh temp directory that must be empty (and is
 * removed) at the end of each test.
 *
 * Where the system has no AF_UNIX (Wine 8 refuses the family; Windows
 * before 10 1803), sk_unix must say SK_EUNSUPPORTED: each test then checks
 * that and prints that it stopped there.  Windows never has UNIX-domain
 * datagrams or abstract names: those say SK_EUNSUPPORTED there.
 */
#if !defined(_WIN32)
#  define _POSIX_C_SOURCE 200809L
#endif

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(_WIN32)
#  ifndef WIN32_LEAN_AND_MEAN
#    define WIN32_LEAN_AND_MEAN
#  endif
#  include <winsock2.h>
#  include <windows.h>
#  include <afunix.h>
#  define unix_pid() ((unsigned long)GetCurrentProcessId())
#else
#  include <sys/socket.h>
#  include <sys/un.h>
#  include <unistd.h>
#  define unix_pid() ((unsigned long)getpid())
#endif

/* The system's sun_path: a path may use all but one byte (its NUL). */
#define SUN_PATH_SIZE sizeof(((struct sockaddr_un *)0)->sun_path)

#define PATH_CAP 512

/* ---- helpers ----------------------------------------------------------- */

/* 1 when UNIX-domain streams exist here; else asserts that this is the
 * documented exception (Windows/Wine: SK_EUNSUPPORTED) and says so. */
static int unix_ok(void)
{
    sk_sock *s = NULL;
    int r = sk_unix(&s);
#if defined(_WIN32)
    if (r == SK_EUNSUPPORTED) {
        assert_null(s);
        print_message("sk_unix: SK_EUNSUPPORTED (no AF_UNIX on this "
                      "Windows): test stops here\n");
        return 0;
    }
#endif
    sup_assert_rc(r, 0);
    assert_non_null(s);
    assert_int_equal(sk_role(s), SK_ROLE_MASTER);
    sk_free(s);
    return 1;
}

static void path_in(char *buf, const char *dir, const char *name)
{
    int n = snprintf(buf, PATH_CAP, "%s" SUP_SEP "%s", dir, name);
    assert_true(n > 0 && n < PATH_CAP);
}

static sk_sock *new_unix(void)
{
    sk_sock *s = NULL;
    sup_assert_rc(sk_unix(&s), 0);
    assert_non_null(s);
    sup_assert_rc(sk_settimeout(s, SUP_SAFETY_TIMEOUT, 'b'), 0);
    return s;
}

/* A UNIX server listening on path. */
static sk_sock *listen_on(const char *path)
{
    sk_sock *s = new_unix();
    sup_assert_rc(sk_bind(s, path, 0), 0);
    sup_assert_rc(sk_listen(s, 4), 0);
    assert_int_equal(sk_role(s), SK_ROLE_SERVER);
    return s;
}

/* A UNIX client connected to path. */
static sk_sock *connect_to(const char *path)
{
    sk_sock *c = new_unix();
    sup_assert_rc(sk_connect(c, path, 0), 0);
    assert_int_equal(sk_role(c), SK_ROLE_CLIENT);
    return c;
}

/* Accept one client on srv (with the safety timeout). */
static sk_sock *accept_from(sk_sock *srv, sk_name *peer)
{
    sk_sock *a = NULL;
    sup_assert_rc(sk_accept(srv, &a, peer), 0);
    assert_non_null(a);
    assert_int_equal(sk_role(a), SK_ROLE_CLIENT);
    sup_assert_rc(sk_settimeout(a, SUP_SAFETY_TIMEOUT, 'b'), 0);
    return a;
}

static void assert_name(const sk_name *n, const char *addr)
{
    assert_string_equal(n->family, "unix");
    assert_string_equal(n->addr, addr);
    assert_int_equal(n->port, 0);
}

static void expect_line(sk_sock *s, const char *want)
{
    sk_buf b = {NULL, 0, 0};
    sup_assert_rc(sk_receive(s, &b, SK_LINE, 0), 0);
    sup_assert_bufstr(&b, want);
    sk_buf_free(&b);
}

/* One line there and back between two connected clients. */
static void line_roundtrip(sk_sock *a, sk_sock *b, const char *text)
{
    char line[128];
    int n = snprintf(line, sizeof line, "%s\n", text);
    assert_true(n > 0 && (size_t)n < sizeof line);
    sup_send_str(a, line);
    expect_line(b, text);
    sup_send_str(b, line);
    expect_line(a, text);
}

/* ---- availability ------------------------------------------------------ */

static void t_available(void **state)
{
    sk_sock *d = NULL;
    int r;
    (void)state;
    r = sk_unixdgram(&d);
#if defined(_WIN32)
    sup_assert_rc(r, SK_EUNSUPPORTED);
    assert_null(d);
    print_message("sk_unixdgram: SK_EUNSUPPORTED (no AF_UNIX datagrams on "
                  "Windows), as documented\n");
#else
    sup_assert_rc(r, 0);
    assert_int_equal(sk_role(d), SK_ROLE_UNCONNECTED);
    sk_free(d);
#endif
    if (unix_ok())
        print_message("AF_UNIX streams available: full tests run\n");
    else
        print_message("AF_UNIX unsupported (Wine refuses the family, as "
                      "does Windows before 10 1803): every UNIX stream "
                      "test checks that sk_unix says SK_EUNSUPPORTED\n");
}

/* ---- echo: every pattern, shutdown, stats ------------------------------ */

static void t_echo(void **state)
{
    char dir[PATH_CAP], path[PATH_CAP];
    static char big[5000];
    sk_sock *srv, *cli, *acc;
    sk_name peer;
    sk_buf b = {NULL, 0, 0};
    uint64_t rx = 0, tx = 0;
    size_t i;
    (void)state;
    if (!unix_ok())
        return;
    sup_tempdir(dir, sizeof dir);
    path_in(path, dir, "echo.sock");
    srv = listen_on(path);
    assert_true(sup_exists(path));
    cli = connect_to(path);
    memset(&peer, 0x55, sizeof peer);
    acc = accept_from(srv, &peer);
    assert_name(&peer, ""); /* the client never bound: unnamed */

    /* SK_LINE: CRs dropped, one line per call. */
    sup_send_str(cli, "hello\r\nworld\n");
    expect_line(acc, "hello");
    expect_line(acc, "world");
    sup_send_str(acc, "hello world\n");
    expect_line(cli, "hello world");

    /* SK_BYTES, and sk_read for the way back. */
    for (i = 0; i < sizeof big; i++)
        big[i] = (char)('a' + i % 26);
    sup_send_all(cli, big, sizeof big);
    sup_expect(acc, big, sizeof big);
    sup_send_all(acc, big, 10);
    {
        char got[16];
        size_t n = 0, have = 0;
        for (i = 0; i < 10 && have < 10; i++) { /* bounded */
            sup_assert_rc(sk_read(cli, got + have, 10 - have, &n), 0);
            have += n;
        }
        assert_int_equal(have, 10);
        assert_memory_equal(got, big, 10);
    }

    /* SK_ALL after the peer shuts its sending side: the server side
     * reads end-of-stream and still answers. */
    sup_send_str(cli, "tail");
    sup_assert_rc(sk_shutdown(cli, SK_SHUT_SEND), 0);
    sup_assert_rc(sk_receive(acc, &b, SK_ALL, 0), 0);
    sup_assert_bufstr(&b, "tail");
    sk_buf_free(&b);
    sup_assert_rc(sk_send(cli, "x", 1, 1, -1, NULL), SK_ECLOSED);
    sup_send_str(acc, "bye");
    sup_assert_rc(sk_shutdown(acc, SK_SHUT_BOTH), 0);
    sup_assert_rc(sk_receive(cli, &b, SK_ALL, 0), 0);
    sup_assert_bufstr(&b, "bye");
    sk_buf_free(&b);
    assert_int_equal(sk_dirty(cli), 0);

    /* The byte counts are the stream's. */
    sup_assert_rc(sk_getstats(cli, &rx, &tx, NULL), 0);
    assert_int_equal(tx, 13 + sizeof big + 4);
    assert_int_equal(rx, 12 + 10 + 3);

    /* Closing clients leaves the server's path; closing the server
     * removes it. */
    sk_free(acc);
    sk_free(cli);
    assert_true(sup_exists(path));
    sup_assert_rc(sk_close(srv), 0);
    assert_false(sup_exists(path));
    sk_free(srv);
    sup_rmdir(dir);
}

/* ---- names ------------------------------------------------------------- */

static void t_names(void **state)
{
    char dir[PATH_CAP], path[PATH_CAP], cpath[PATH_CAP];
    sk_sock *m, *srv, *cli, *acc, *bc, *bacc;
    sk_name n;
    (void)state;
    if (!unix_ok())
        return;
    sup_tempdir(dir, sizeof dir);
    path_in(path, dir, "srv.sock");
    path_in(cpath, dir, "cli.sock");

    /* An unbound master has no name; a bound one has its path. */
    m = new_unix();
    sup_assert_rc(sk_getsockname(m, &n), SK_ENOTCONN);
    sup_assert_rc(sk_getpeername(m, &n), SK_EWRONGROLE);
    sk_free(m);

    srv = listen_on(path);
    sup_assert_rc(sk_getsockname(srv, &n), 0);
    assert_name(&n, path);

    /* An unbound client: unnamed itself, the server's path as peer. */
    cli = connect_to(path);
    acc = accept_from(srv, NULL);
    sup_assert_rc(sk_getsockname(cli, &n), 0);
    assert_name(&n, "");
    sup_assert_rc(sk_getpeername(cli, &n), 0);
    assert_name(&n, path);
    sup_assert_rc(sk_getpeername(acc, &n), 0);
    assert_name(&n, "");
    sup_assert_rc(sk_getsockname(acc, &n), 0);
    assert_string_equal(n.family, "unix");
#if !defined(_WIN32)
    assert_string_equal(n.addr, path); /* the listener's path */
#endif

    /* A client that bound its own path first: the server sees it. */
    bc = new_unix();
    sup_assert_rc(sk_bind(bc, cpath, 0), 0);
    sup_assert_rc(sk_getsockname(bc, &n), 0);
    assert_name(&n, cpath);
    sup_assert_rc(sk_connect(bc, path, 0), 0);
    memset(&n, 0, sizeof n);
    bacc = accept_from(srv, &n);
    assert_name(&n, cpath);
    sup_assert_rc(sk_getpeername(bacc, &n), 0);
    assert_name(&n, cpath);
    sup_assert_rc(sk_getsockname(bc, &n), 0);
    assert_name(&n, cpath);
    line_roundtrip(bc, bacc, "bound client");
    assert_true(sup_exists(cpath));
    sk_free(bc); /* a client removes the path it bound, too */
    assert_false(sup_exists(cpath));

    sk_free(bacc);
    sk_free(acc);
    sk_free(cli);
    sk_free(srv);
    sup_rmdir(dir);
}

/* ---- select and timeouts ----------------------------------------------- */

static void t_select(void **state)
{
    char dir[PATH_CAP], path[PATH_CAP];
    sk_sock *srv, *cli, *acc, *ready[2];
    size_t nr = 9, nw = 9;
    (void)state;
    if (!unix_ok())
        return;
    sup_tempdir(dir, sizeof dir);
    path_in(path, dir, "sel.sock");
    srv = listen_on(path);

    /* Nothing pending: not readable. */
    sup_assert_rc(sk_select(&srv, 1, NULL, 0, 0, ready, &nr, NULL, &nw),
                  SK_ETIMEOUT);
    assert_int_equal(nr, 0);

    cli = connect_to(path);
    sup_assert_rc(sk_select(&srv, 1, NULL, 0, SUP_SAFETY_TIMEOUT, ready, &nr,
                            NULL, &nw),
                  0);
    assert_int_equal(nr, 1);
    assert_ptr_equal(ready[0], srv);
    acc = accept_from(srv, NULL);

    /* A connected client is writable; the other end has nothing yet. */
    sup_assert_rc(sk_select(NULL, 0, &cli, 1, SUP_SAFETY_TIMEOUT, NULL, &nr,
                            ready, &nw),
                  0);
    assert_int_equal(nw, 1);
    assert_ptr_equal(ready[0], cli);
    sup_assert_rc(sk_select(&acc, 1, NULL, 0, 0, ready, &nr, NULL, &nw),
                  SK_ETIMEOUT);

    sup_send_str(cli, "ping\n");
    sup_wait_readable(acc);
    expect_line(acc, "ping");
    sup_expect_nothing(acc);

    sk_free(acc);
    sk_free(cli);
    sk_free(srv);
    sup_rmdir(dir);
}

static void t_timeouts(void **state)
{
    char dir[PATH_CAP], path[PATH_CAP];
    sk_sock *srv, *cli, *acc, *none = NULL;
    sk_buf b = {NULL, 0, 0};
    (void)state;
    if (!unix_ok())
        return;
    sup_tempdir(dir, sizeof dir);
    path_in(path, dir, "tmo.sock");
    srv = listen_on(path);

    /* Accept with nobody connecting: non-blocking, then a short wait. */
    sup_assert_rc(sk_settimeout(srv, 0, 'b'), 0);
    sup_assert_rc(sk_accept(srv, &none, NULL), SK_ETIMEOUT);
    assert_null(none);
    sup_assert_rc(sk_settimeout(srv, 0.05, 'b'), 0);
    sup_assert_rc(sk_accept(srv, &none, NULL), SK_ETIMEOUT);
    sup_assert_rc(sk_settimeout(srv, -1, 'b'), 0);
    sup_assert_rc(sk_settimeout(srv, 0.05, 't'), 0);
    sup_assert_rc(sk_accept(srv, &none, NULL), SK_ETIMEOUT);
    assert_null(none);

    /* Receive: a partial SK_BYTES keeps what came. */
    cli = connect_to(path);
    sup_assert_rc(sk_settimeout(srv, SUP_SAFETY_TIMEOUT, 't'), 0);
    acc = accept_from(srv, NULL);
    sup_assert_rc(sk_settimeout(acc, 0.05, 't'), 0);
    sup_assert_rc(sk_receive(acc, &b, SK_SOME, 0), SK_ETIMEOUT);
    assert_int_equal(b.len, 0);
    sup_send_str(cli, "abc");
    sup_assert_rc(sk_receive(acc, &b, SK_BYTES, 5), SK_ETIMEOUT);
    sup_assert_bufstr(&b, "abc");
    sk_buf_free(&b);

    sk_free(acc);
    sk_free(cli);
    sk_free(srv);
    sup_rmdir(dir);
}

/* ---- path lengths ------------------------------------------------------ */

/* A path of exactly len bytes in dir: dir, separator, then 'p's. */
static void path_of_len(char *buf, const char *dir, size_t len)
{
    size_t d = strlen(dir);
    assert_true(len > d + 1 && len < PATH_CAP);
    memcpy(buf, dir, d);
    buf[d] = SUP_SEP[0];
    memset(buf + d + 1, 'p', len - d - 1);
    buf[len] = '\0';
}

static void t_path_length(void **state)
{
    char dir[PATH_CAP], path[PATH_CAP], over[PATH_CAP];
    sk_sock *srv, *cli, *acc, *m;
    sk_name n;
    (void)state;
    if (!unix_ok())
        return;
    sup_tempdir(dir, sizeof dir);
    path_of_len(path, dir, SUN_PATH_SIZE - 1);
    path_of_len(over, dir, SUN_PATH_SIZE);
    print_message("sun_path holds %u bytes: paths of %u work\n",
                  (unsigned)SUN_PATH_SIZE, (unsigned)SUN_PATH_SIZE - 1);

    /* The longest path that fits, with its NUL. */
    srv = listen_on(path);
    assert_true(sup_exists(path));
    sup_assert_rc(sk_getsockname(srv, &n), 0);
    assert_name(&n, path);
    cli = connect_to(path);
    acc = accept_from(srv, NULL);
    sup_assert_rc(sk_getpeername(cli, &n), 0);
    assert_name(&n, path);
    line_roundtrip(cli, acc, "longest path");

    /* One byte more: refused, never truncated (nothing is created). */
    m = new_unix();
    sup_assert_rc(sk_bind(m, over, 0), SK_EINVAL);
    sup_assert_rc(sk_connect(m, over, 0), SK_EINVAL);
    assert_int_equal(sk_role(m), SK_ROLE_MASTER);
    sup_assert_rc(sk_bind(m, "", 0), SK_EINVAL);
    sup_assert_rc(sk_connect(m, "", 0), SK_EINVAL);
    sk_free(m);

    sk_free(acc);
    sk_free(cli);
    sk_free(srv);
    assert_false(sup_exists(path));
    sup_rmdir(dir); /* also proves the over-long path made no file */
}

/* ---- abstract names ---------------------------------------------------- */

static void t_abstract(void **state)
{
    char name[PATH_CAP], longest[SUN_PATH_SIZE + 2];
    sk_sock *m;
    int n;
    (void)state;
    if (!unix_ok())
        return;
    n = snprintf(name, sizeof name, "@sockit-test-%lu-abstract",
                 unix_pid());
    assert_true(n > 0 && (size_t)n < sizeof name);
#if defined(__linux__)
    {
        sk_sock *srv, *cli, *acc, *again;
        sk_name nm;
        srv = listen_on(name);
        sup_assert_rc(sk_getsockname(srv, &nm), 0);
        assert_name(&nm, name);
        cli = connect_to(name);
        acc = accept_from(srv, NULL);
        sup_assert_rc(sk_getpeername(cli, &nm), 0);
        assert_name(&nm, name);
        line_roundtrip(cli, acc, "abstract");
        /* The name is taken while the server lives, free after. */
        again = new_unix();
        sup_assert_rc(sk_bind(again, name, 0), SK_EADDRINUSE);
        sk_free(acc);
        sk_free(cli);
        sk_free(srv);
        sup_assert_rc(sk_bind(again, name, 0), 0);
        sk_free(again);

        /* Every byte after the leading NUL may be used: '@' plus
         * sizeof(sun_path) - 1 bytes; one more is SK_EINVAL. */
        memset(longest, 'a', sizeof longest);
        longest[0] = '@';
        n = snprintf(longest + 1, sizeof longest - 1, "%lu", unix_pid());
        longest[1 + n] = 'a'; /* pid first, for uniqueness */
        longest[SUN_PATH_SIZE] = '\0';
        m = new_unix();
        sup_assert_rc(sk_bind(m, longest, 0), 0);
        sup_assert_rc(sk_getsockname(m, &nm), 0);
        assert_name(&nm, longest);
        sk_free(m);
        longest[SUN_PATH_SIZE] = 'a';
        longest[SUN_PATH_SIZE + 1] = '\0';
        m = new_unix();
        sup_assert_rc(sk_bind(m, longest, 0), SK_EINVAL);
        sup_assert_rc(sk_bind(m, "@", 0), SK_EINVAL);
        sk_free(m);
    }
#else
    (void)longest;
    m = new_unix();
    sup_assert_rc(sk_bind(m, name, 0), SK_EUNSUPPORTED);
    sup_assert_rc(sk_connect(m, name, 0), SK_EUNSUPPORTED);
    sk_free(m);
    print_message("abstract names: SK_EUNSUPPORTED (Linux only), as "
                  "documented\n");
#endif
}

/* ---- socket files: stale paths, removal at close ----------------------- */

/* Leave a socket file at path the way a crashed process does: bound, then
 * closed without removing it.  Windows: a plain file in its place. */
static void leave_stale(const char *path)
{
#if defined(_WIN32)
    sup_touch(path);
#else
    struct sockaddr_un sun;
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    memset(&sun, 0, sizeof sun);
    sun.sun_family = AF_UNIX;
    assert_true(strlen(path) < sizeof sun.sun_path);
    memcpy(sun.sun_path, path, strlen(path) + 1);
    assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof sun), 0);
    assert_int_equal(close(fd), 0);
#endif
    assert_true(sup_exists(path));
}

static void t_stale(void **state)
{
    char dir[PATH_CAP], path[PATH_CAP];
    sk_sock *m, *srv, *cli, *acc;
    (void)state;
    if (!unix_ok())
        return;
    sup_tempdir(dir, sizeof dir);
    path_in(path, dir, "stale.sock");
    leave_stale(path);

    /* Someone else's path: bind fails and leaves it alone, also when the
     * failed object is freed. */
    m = new_unix();
    sup_assert_rc(sk_bind(m, path, 0), SK_EADDRINUSE);
    assert_int_equal(sk_role(m), SK_ROLE_MASTER);
    assert_true(sup_exists(path));
    sup_assert_rc(sk_listen(m, 1), SK_EINVAL); /* still unbound */
    sk_free(m);
    assert_true(sup_exists(path));

#if defined(_WIN32)
    print_message("Windows: the stale path is a plain file here\n");
#else
    {
    char plain[PATH_CAP];
    sk_sock *c;
    /* Nobody listens there. */
    c = new_unix();
    sup_assert_rc(sk_connect(c, path, 0), SK_ECONNREFUSED);
    assert_int_equal(sk_role(c), SK_ROLE_MASTER);
    sk_free(c);

    /* A path that is no socket at all: bind and connect as above. */
    path_in(plain, dir, "plain.txt");
    sup_touch(plain);
    c = new_unix();
    sup_assert_rc(sk_bind(c, plain, 0), SK_EADDRINUSE);
    sup_assert_rc(sk_connect(c, plain, 0), SK_ECONNREFUSED);
    sk_free(c);
    assert_true(sup_exists(plain));
    sup_remove(plain);
    }
#endif

    /* Once the caller removes it, bind works. */
    sup_remove(path);
    srv = listen_on(path);
    cli = connect_to(path);
    acc = accept_from(srv, NULL);
    line_roundtrip(cli, acc, "after the stale file");
    sk_free(acc);
    sk_free(cli);
    sk_free(srv);
    assert_false(sup_exists(path));
    sup_rmdir(dir);
}

/* Enter dir (enter 1) or go back to where the test was (enter 0). */
static void in_dir(const char *dir, int enter)
{
    static char saved[PATH_CAP];
#if defined(_WIN32)
    if (enter) {
        DWORD n = GetCurrentDirectoryA((DWORD)sizeof saved, saved);
        assert_true(n > 0 && n < sizeof saved);
    }
    assert_true(SetCurrentDirectoryA(enter ? dir : saved));
#else
    if (enter)
        assert_non_null(getcwd(saved, sizeof saved));
    assert_int_equal(chdir(enter ? dir : saved), 0);
#endif
}

static void t_removed_at_close(void **state)
{
    char dir[PATH_CAP], p1[PATH_CAP], p2[PATH_CAP], p3[PATH_CAP];
    sk_sock *a, *b, *m;
    sk_fd_t fa, fb;
    (void)state;
    if (!unix_ok())
        return;
    sup_tempdir(dir, sizeof dir);
    path_in(p1, dir, "one.sock");
    path_in(p2, dir, "two.sock");
    path_in(p3, dir, "three.sock");

    /* sk_free without sk_close; a bound master that never listened. */
    a = listen_on(p1);
    sk_free(a);
    assert_false(sup_exists(p1));
    m = new_unix();
    sup_assert_rc(sk_bind(m, p3, 0), 0);
    assert_true(sup_exists(p3));
    sup_assert_rc(sk_close(m), 0);
    assert_false(sup_exists(p3));
    sup_assert_rc(sk_close(m), 0); /* idempotent */
    sk_free(m);

    /* The path belongs to the object, not to the handle: swap handles
     * with sk_setfd and each object still removes its own path. */
    a = listen_on(p1);
    b = listen_on(p2);
    fa = sk_getfd(a);
    fb = sk_getfd(b);
    assert_true(fa != SK_FD_INVALID && fb != SK_FD_INVALID);
    sup_assert_rc(sk_setfd(a, fb), 0);
    sup_assert_rc(sk_setfd(b, fa), 0);
    sk_free(a);
    assert_false(sup_exists(p1));
    assert_true(sup_exists(p2));
    sk_free(b);
    assert_false(sup_exists(p2));

    /* A relative path is removed even after the working directory
     * changed (the test changes it only around the bind). */
    path_in(p3, dir, "rel.sock");
    m = new_unix();
    in_dir(dir, 1);
    sup_assert_rc(sk_bind(m, "rel.sock", 0), 0);
    in_dir(dir, 0);
    assert_true(sup_exists(p3));
    sk_free(m);
    assert_false(sup_exists(p3));
    sup_rmdir(dir);
}

/* ---- errors ------------------------------------------------------------ */

static void t_errors(void **state)
{
    char dir[PATH_CAP], path[PATH_CAP], nodir[PATH_CAP], missing[PATH_CAP];
    sk_sock *m;
    sk_name n;
    int v = 7;
    (void)state;
    if (!unix_ok())
        return;
    sup_tempdir(dir, sizeof dir);
    path_in(path, dir, "err.sock");
    path_in(nodir, dir, "nodir" SUP_SEP "x.sock");
    path_in(missing, dir, "missing.sock");

    m = new_unix();
    /* Paths that name nothing. */
    sup_assert_rc(sk_bind(m, nodir, 0), SK_EHOSTNOTFOUND);
    sup_assert_rc(sk_connect(m, missing, 0), SK_EHOSTNOTFOUND);
    sup_assert_rc(sk_connect(m, nodir, 0), SK_EHOSTNOTFOUND);
    assert_int_equal(sk_role(m), SK_ROLE_MASTER);
    /* Ports and "*" mean nothing for a path. */
    sup_assert_rc(sk_bind(m, path, 1), SK_EINVAL);
    sup_assert_rc(sk_bind(m, path, -1), SK_EINVAL);
    sup_assert_rc(sk_connect(m, path, 80), SK_EINVAL);
    sup_assert_rc(sk_connect(m, path, -1), SK_EINVAL);
    sup_assert_rc(sk_bind(m, "*", 0), SK_EINVAL);
    sup_assert_rc(sk_connect(m, "*", 0), SK_EINVAL); /* not a file "*" */
    sup_assert_rc(sk_bind(m, NULL, 0), SK_EINVAL);
    sup_assert_rc(sk_connect(m, NULL, 0), SK_EINVAL);
    sup_assert_rc(sk_listen(m, 1), SK_EINVAL); /* no "any" path to take */
    assert_false(sup_exists(path));

    /* TCP's and IPv6's options. */
    sup_assert_rc(sk_setoption(m, SK_OPT_TCP_NODELAY, 1), SK_EUNSUPPORTED);
    sup_assert_rc(sk_getoption(m, SK_OPT_TCP_NODELAY, &v), SK_EUNSUPPORTED);
    sup_assert_rc(sk_setoptname(m, "tcp-keepidle", 5), SK_EUNSUPPORTED);
    sup_assert_rc(sk_setoption(m, SK_OPT_IPV6_V6ONLY, 1), SK_EUNSUPPORTED);
    sup_assert_rc(sk_getoption(m, SK_OPT_IPV6_V6ONLY, &v), SK_EUNSUPPORTED);
    assert_int_equal(v, 7);

    /* A bound master whose connect fails starts over unbound; the file
     * of its first bind is still its own: the next bind removes it. */
    sup_assert_rc(sk_bind(m, missing, 0), 0);
    sup_assert_rc(sk_connect(m, nodir, 0), SK_EHOSTNOTFOUND);
    assert_int_equal(sk_role(m), SK_ROLE_MASTER);
    sup_assert_rc(sk_getsockname(m, &n), SK_ENOTCONN);

    /* After all that the master still binds and serves. */
    sup_assert_rc(sk_bind(m, path, 0), 0);
    assert_false(sup_exists(missing));
    sup_assert_rc(sk_bind(m, path, 0), SK_EWRONGROLE);
    sup_assert_rc(sk_listen(m, 1), 0);
    sk_free(m);
    assert_false(sup_exists(path));
    sup_rmdir(dir);
}

/* A server whose backlog is full refuses at once.  Linux would queue a
 * blocking caller and says EAGAIN to a non-blocking one; sockit says
 * SK_ECONNREFUSED there, as BSD and Windows do themselves. */
static void t_backlog_full(void **state)
{
#if defined(__linux__)
    char dir[PATH_CAP], path[PATH_CAP];
    sk_sock *srv, *c1, *c2, *a1, *a2;
#endif
    (void)state;
    if (!unix_ok())
        return;
#if defined(__linux__)
    sup_tempdir(dir, sizeof dir);
    path_in(path, dir, "full.sock");
    srv = new_unix();
    sup_assert_rc(sk_bind(srv, path, 0), 0);
    sup_assert_rc(sk_listen(srv, 0), 0); /* Linux: one pending client */
    c1 = connect_to(path);
    c2 = new_unix();
    sup_assert_rc(sk_connect(c2, path, 0), SK_ECONNREFUSED);
    assert_int_equal(sk_role(c2), SK_ROLE_MASTER);
    a1 = accept_from(srv, NULL);
    sup_assert_rc(sk_connect(c2, path, 0), 0); /* room again */
    a2 = accept_from(srv, NULL);
    line_roundtrip(c1, a1, "first");
    line_roundtrip(c2, a2, "second");
    sk_free(a2);
    sk_free(a1);
    sk_free(c2);
    sk_free(c1);
    sk_free(srv);
    sup_rmdir(dir);
#else
    print_message("backlog 0 means one pending client only on Linux: "
                  "not checked here\n");
#endif
}

/* ---- datagrams (POSIX; Windows has none: see t_available) --------------- */

#if !defined(_WIN32)
static sk_sock *new_dgram(void)
{
    sk_sock *d = NULL;
    sup_assert_rc(sk_unixdgram(&d), 0);
    assert_non_null(d);
    sup_assert_rc(sk_settimeout(d, SUP_SAFETY_TIMEOUT, 'b'), 0);
    return d;
}

/* Receive one datagram on d and check its bytes and sender. */
static void expect_dgram(sk_sock *d, const char *want, const char *from)
{
    char buf[64];
    size_t got = 99;
    sk_name n;
    memset(&n, 0x55, sizeof n);
    sup_assert_rc(sk_recvfrom(d, buf, sizeof buf, &got, NULL, &n), 0);
    assert_int_equal(got, strlen(want));
    assert_memory_equal(buf, want, got);
    assert_name(&n, from);
}
#endif

static void t_dgram(void **state)
{
#if defined(_WIN32)
    sk_sock *d = NULL;
    (void)state;
    sup_assert_rc(sk_unixdgram(&d), SK_EUNSUPPORTED);
    assert_null(d);
    print_message("UNIX-domain datagrams: SK_EUNSUPPORTED on Windows, as "
                  "documented\n");
#else
    char dir[PATH_CAP], p1[PATH_CAP], p2[PATH_CAP], missing[PATH_CAP];
    char stale[PATH_CAP], buf[64];
    sk_sock *a, *b, *c, *ready[1];
    sk_name n;
    size_t got = 0, nr = 0, nw = 0;
    (void)state;
    sup_tempdir(dir, sizeof dir);
    path_in(p1, dir, "a.sock");
    path_in(p2, dir, "b.sock");
    path_in(missing, dir, "missing.sock");
    path_in(stale, dir, "stale.sock");
    a = new_dgram();
    b = new_dgram();
    assert_int_equal(sk_role(a), SK_ROLE_UNCONNECTED);
    sup_assert_rc(sk_bind(a, p1, 0), 0);
    sup_assert_rc(sk_bind(b, p2, 0), 0);
    sup_assert_rc(sk_getsockname(a, &n), 0);
    assert_name(&n, p1);

    /* There and back, answering the sender's path. */
    sup_assert_rc(sk_sendto(b, "hello", 5, p1, 0), 0);
    sup_assert_rc(sk_select(&a, 1, NULL, 0, SUP_SAFETY_TIMEOUT, ready, &nr,
                            NULL, &nw),
                  0);
    assert_int_equal(nr, 1);
    sup_assert_rc(sk_recvfrom(a, buf, sizeof buf, &got, NULL, &n), 0);
    assert_int_equal(got, 5);
    assert_memory_equal(buf, "hello", 5);
    assert_name(&n, p2);
    sup_assert_rc(sk_sendto(a, "world", 5, n.addr, n.port), 0);
    expect_dgram(b, "world", p1);

    /* Datagram boundaries: a longer one is cut at cap and says so. */
    sup_assert_rc(sk_sendto(b, "0123456789", 10, p1, 0), 0);
    sup_assert_rc(sk_sendto(b, "next", 4, p1, 0), 0);
    sup_assert_rc(sk_recvfrom(a, buf, 4, &got, NULL, NULL), SK_ETRUNCATED);
    assert_int_equal(got, 4);
    assert_memory_equal(buf, "0123", 4);
    expect_dgram(a, "next", p2);

    /* Nothing there: the timeout. */
    sup_assert_rc(sk_settimeout(a, 0, 'b'), 0);
    sup_assert_rc(sk_recvfrom(a, buf, sizeof buf, &got, NULL, NULL),
                  SK_ETIMEOUT);
    sup_assert_rc(sk_settimeout(a, SUP_SAFETY_TIMEOUT, 'b'), 0);

    /* Destinations: port 0 only; a path that names nothing; a socket
     * file nobody has open. */
    sup_assert_rc(sk_sendto(b, "x", 1, p1, 7), SK_EINVAL);
    sup_assert_rc(sk_sendto(b, "x", 1, missing, 0), SK_EHOSTNOTFOUND);
    leave_stale(stale);
    sup_assert_rc(sk_sendto(b, "x", 1, stale, 0), SK_ECONNREFUSED);
    sup_remove(stale);

    /* A fixed peer, from an unnamed sender. */
    c = new_dgram();
    sup_assert_rc(sk_setpeername(c, p1, 7), SK_EINVAL);
    sup_assert_rc(sk_setpeername(c, missing, 0), SK_EHOSTNOTFOUND);
    sup_assert_rc(sk_setpeername(c, p1, 0), 0);
    assert_int_equal(sk_role(c), SK_ROLE_CONNECTED);
    sup_assert_rc(sk_getpeername(c, &n), 0);
    assert_name(&n, p1);
    sup_assert_rc(sk_sendto(c, "peer", 4, NULL, 0), 0);
    expect_dgram(a, "peer", ""); /* never bound: unnamed */
    sup_assert_rc(sk_setpeername(c, "*", 0), 0);
    assert_int_equal(sk_role(c), SK_ROLE_UNCONNECTED);
    sup_assert_rc(sk_sendto(c, "free", 4, p2, 0), 0);
    expect_dgram(b, "free", "");
    sk_free(c);

#if defined(__linux__)
    {
        /* Abstract names work for datagrams too. */
        char name[64];
        int k = snprintf(name, sizeof name, "@sockit-test-%lu-dgram",
                         unix_pid());
        assert_true(k > 0 && (size_t)k < sizeof name);
        c = new_dgram();
        sup_assert_rc(sk_bind(c, name, 0), 0);
        sup_assert_rc(sk_sendto(c, "abs", 3, p1, 0), 0);
        expect_dgram(a, "abs", name);
        sup_assert_rc(sk_sendto(a, "back", 4, name, 0), 0);
        expect_dgram(c, "back", p1);
        sk_free(c);
    }
#endif

    /* Each removes its path when closed. */
    assert_true(sup_exists(p1) && sup_exists(p2));
    sk_free(a);
    sk_free(b);
    assert_false(sup_exists(p1) || sup_exists(p2));
    sup_rmdir(dir);
#endif
}

/* ---- handles ----------------------------------------------------------- */

static void t_setfd(void **state)
{
    char dir[PATH_CAP], path[PATH_CAP];
    sk_sock *srv, *u, *v, *a, *b;
    sk_fd_t fu, fa;
    sk_name n;
    int val = 0;
    (void)state;
    if (!unix_ok())
        return;
    sup_tempdir(dir, sizeof dir);
    path_in(path, dir, "fd.sock");
    srv = listen_on(path);
    u = connect_to(path);
    v = accept_from(srv, NULL);
    sup_pair(&a, &b); /* TCP over 127.0.0.1 */

    /* Swap the handles of a TCP client and a UNIX client: each object
     * now speaks over the other's connection and learns its family. */
    fu = sk_getfd(u);
    fa = sk_getfd(a);
    assert_true(fu != SK_FD_INVALID && fa != SK_FD_INVALID);
    sup_assert_rc(sk_setfd(a, fu), 0);
    sup_assert_rc(sk_setfd(u, fa), 0);
    assert_true(sk_getfd(a) == fu);
    sup_assert_rc(sk_getpeername(a, &n), 0);
    assert_name(&n, path);
    sup_assert_rc(sk_getoption(a, SK_OPT_TCP_NODELAY, &val),
                  SK_EUNSUPPORTED);
    sup_assert_rc(sk_getpeername(u, &n), 0);
    assert_string_equal(n.family, "inet");
    sup_assert_rc(sk_getoption(u, SK_OPT_TCP_NODELAY, &val), 0);
    line_roundtrip(a, v, "tcp object, unix handle");
    line_roundtrip(u, b, "unix object, tcp handle");

    /* Back again, so that each closes its own. */
    sup_assert_rc(sk_setfd(a, fa), 0);
    sup_assert_rc(sk_setfd(u, fu), 0);
    line_roundtrip(u, v, "unix again");
    line_roundtrip(a, b, "tcp again");

    sk_free(a);
    sk_free(b);
    sk_free(v);
    sk_free(u);
    sk_free(srv);
    sup_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_available),
        cmocka_unit_test(t_echo),
        cmocka_unit_test(t_names),
        cmocka_unit_test(t_select),
        cmocka_unit_test(t_timeouts),
        cmocka_unit_test(t_path_length),
        cmocka_unit_test(t_abstract),
        cmocka_unit_test(t_stale),
        cmocka_unit_test(t_removed_at_close),
        cmocka_unit_test(t_errors),
        cmocka_unit_test(t_backlog_full),
        cmocka_unit_test(t_dgram),
        cmocka_unit_test(t_setfd),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
