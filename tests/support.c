/*
 * support.c - shared plumbing for sockit's tests; the only test file with
 * OS-specific code (threads, descriptor limit).
 */
#if !defined(_WIN32)
#  define _POSIX_C_SOURCE 200809L
#endif

#include "support.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(_WIN32)
#  ifndef WIN32_LEAN_AND_MEAN
#    define WIN32_LEAN_AND_MEAN
#  endif
#  include <windows.h>
#else
#  include <pthread.h>
#  include <sys/resource.h>
#endif

/* ---- assertions -------------------------------------------------------- */

void sup_check_rc_(int got, int want, const char *expr, const char *file,
                   int line)
{
    if (got != want) {
        print_error("%s returned %d (%s), expected %d (%s)\n", expr, got,
                    sk_errname(got), want, sk_errname(want));
        _fail(file, line);
    }
}

static void print_bytes(const char *label, const void *p, size_t n)
{
    const unsigned char *c = (const unsigned char *)p;
    size_t i, shown = n < 80 ? n : 80;
    print_error("  %s (%lu bytes): \"", label, (unsigned long)n);
    for (i = 0; i < shown; i++) {
        if (c[i] >= 32 && c[i] < 127 && c[i] != '"' && c[i] != '\\')
            print_error("%c", c[i]);
        else
            print_error("\\x%02x", c[i]);
    }
    print_error("\"%s\n", shown < n ? "..." : "");
}

void sup_check_buf_(const sk_buf *b, const void *want, size_t len,
                    const char *file, int line)
{
    if (b->len != len || (len > 0 && (b->data == NULL ||
                                      memcmp(b->data, want, len) != 0))) {
        print_error("buffer differs from the expected bytes\n");
        print_bytes("got", b->data ? b->data : "", b->data ? b->len : 0);
        print_bytes("expected", want, len);
        _fail(file, line);
    }
    if (b->len > b->cap) {
        print_error("buffer len %lu exceeds cap %lu\n", (unsigned long)b->len,
                    (unsigned long)b->cap);
        _fail(file, line);
    }
}

/* ---- connections ------------------------------------------------------- */

void sup_listen4(sk_sock **server, int *port, int backlog)
{
    sk_name name;
    sk_sock *s = NULL;
    sup_assert_rc(sk_tcp4(&s), 0);
    assert_non_null(s);
    sup_assert_rc(sk_bind(s, "127.0.0.1", 0), 0);
    sup_assert_rc(sk_listen(s, backlog), 0);
    sup_assert_rc(sk_settimeout(s, SUP_SAFETY_TIMEOUT, 'b'), 0);
    sup_assert_rc(sk_getsockname(s, &name), 0);
    assert_true(name.port > 0 && name.port <= 65535);
    *server = s;
    *port = name.port;
}

void sup_connect4(sk_sock **client, int port)
{
    sk_sock *c = NULL;
    sup_assert_rc(sk_tcp4(&c), 0);
    sup_assert_rc(sk_settimeout(c, SUP_SAFETY_TIMEOUT, 'b'), 0);
    sup_assert_rc(sk_connect(c, "127.0.0.1", port), 0);
    assert_int_equal(sk_role(c), SK_ROLE_CLIENT);
    *client = c;
}

void sup_pair(sk_sock **a, sk_sock **b)
{
    sk_sock *server = NULL, *c = NULL, *d = NULL;
    int port = 0;
    sup_listen4(&server, &port, 4);
    sup_connect4(&c, port);
    sup_assert_rc(sk_accept(server, &d, NULL), 0);
    assert_non_null(d);
    assert_int_equal(sk_role(d), SK_ROLE_CLIENT);
    sup_assert_rc(sk_settimeout(d, SUP_SAFETY_TIMEOUT, 'b'), 0);
    sk_free(server);
    *a = c;
    *b = d;
}

int sup_ipv6_loopback(void)
{
    sk_sock *s = NULL;
    int rc = sk_tcp6(&s);
    if (rc == SK_EFAMILY)
        return 0;
    sup_assert_rc(rc, 0);
    rc = sk_bind(s, "::1", 0);
    sk_free(s);
    if (rc == SK_EFAMILY || rc == SK_EADDRNOTAVAIL)
        return 0;
    sup_assert_rc(rc, 0);
    return 1;
}

void sup_send_all(sk_sock *s, const void *data, size_t len)
{
    ptrdiff_t last = -12345;
    sup_assert_rc(sk_send(s, data, len, 1, -1, &last), 0);
    assert_int_equal(last, (ptrdiff_t)len);
}

void sup_send_str(sk_sock *s, const char *str)
{
    sup_send_all(s, str, strlen(str));
}

void sup_expect(sk_sock *s, const void *want, size_t len)
{
    sk_buf b = {NULL, 0, 0};
    sup_assert_rc(sk_receive(s, &b, SK_BYTES, len), 0);
    sup_assert_buf(&b, want, len);
    sk_buf_free(&b);
}

void sup_expect_str(sk_sock *s, const char *str)
{
    sup_expect(s, str, strlen(str));
}

void sup_expect_nothing(sk_sock *s)
{
    sk_buf b = {NULL, 0, 0};
    double block = 0, total = 0;
    sup_assert_rc(sk_gettimeout(s, &block, &total), 0);
    assert_int_equal(sk_dirty(s), 0);
    sup_assert_rc(sk_settimeout(s, 0, 'b'), 0);
    sup_assert_rc(sk_receive(s, &b, SK_SOME, 0), SK_ETIMEOUT);
    assert_int_equal(b.len, 0);
    sk_buf_free(&b);
    sup_assert_rc(sk_settimeout(s, block, 'b'), 0);
}

void sup_wait_readable(sk_sock *s)
{
    sk_sock *ready[1] = {NULL};
    size_t nr = 0, nw = 0;
    sup_assert_rc(sk_select(&s, 1, NULL, 0, SUP_SAFETY_TIMEOUT, ready, &nr,
                            NULL, &nw),
                  0);
    assert_int_equal(nr, 1);
    assert_ptr_equal(ready[0], s);
}

/* ---- threads ----------------------------------------------------------- */

struct sup_thread {
    sup_thread_fn fn;
    void *arg;
#if defined(_WIN32)
    HANDLE handle;
#else
    pthread_t tid;
#endif
};

#if defined(_WIN32)
static DWORD WINAPI trampoline(LPVOID p)
{
    sup_thread *t = (sup_thread *)p;
    t->fn(t->arg);
    return 0;
}
#else
static void *trampoline(void *p)
{
    sup_thread *t = (sup_thread *)p;
    t->fn(t->arg);
    return NULL;
}
#endif

sup_thread *sup_thread_start(sup_thread_fn fn, void *arg)
{
    sup_thread *t = (sup_thread *)calloc(1, sizeof *t);
    assert_non_null(t);
    t->fn = fn;
    t->arg = arg;
#if defined(_WIN32)
    t->handle = CreateThread(NULL, 0, trampoline, t, 0, NULL);
    assert_non_null(t->handle);
#else
    assert_int_equal(pthread_create(&t->tid, NULL, trampoline, t), 0);
#endif
    return t;
}

void sup_thread_join(sup_thread *t)
{
    if (t == NULL)
        return;
#if defined(_WIN32)
    WaitForSingleObject(t->handle, INFINITE);
    CloseHandle(t->handle);
#else
    pthread_join(t->tid, NULL);
#endif
    free(t);
}

static void sender_main(void *arg)
{
    sup_sender *x = (sup_sender *)arg;
    x->rc = sk_send(x->s, x->data, x->len, 1, -1, &x->last);
    if (x->close_after)
        (void)sk_close(x->s);
}

void sup_sender_start(sup_sender *x, sk_sock *s, const void *data, size_t len,
                      int close_after)
{
    x->s = s;
    x->data = data;
    x->len = len;
    x->close_after = close_after;
    x->rc = 1;
    x->last = -1;
    x->thread = sup_thread_start(sender_main, x);
}

void sup_sender_join(sup_sender *x)
{
    sup_thread_join(x->thread);
    x->thread = NULL;
    sup_assert_rc(x->rc, 0);
    assert_int_equal(x->last, (ptrdiff_t)x->len);
}

/* ---- environment ------------------------------------------------------- */

size_t sup_fd_capacity(void)
{
#if defined(_WIN32)
    return (size_t)1 << 20; /* no descriptor limit that matters here */
#else
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return 256;
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < rl.rlim_max) {
        struct rlimit want = rl;
        want.rlim_cur = rl.rlim_max;
        if (want.rlim_cur == RLIM_INFINITY)
            want.rlim_cur = 65536; /* macOS refuses RLIM_INFINITY */
        if (setrlimit(RLIMIT_NOFILE, &want) == 0)
            rl = want;
        (void)getrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > (rlim_t)1 << 20)
        return (size_t)1 << 20;
    return (size_t)rl.rlim_cur;
#endif
}

size_t sup_env_size(const char *name, size_t def)
{
    const char *v = getenv(name);
    char *end = NULL;
    unsigned long n;
    if (v == NULL || *v == '\0')
        return def;
    n = strtoul(v, &end, 10);
    if (end == v || *end != '\0' || n == 0 || n == ULONG_MAX)
        return def;
    return (size_t)n;
}

/* ---- data -------------------------------------------------------------- */

uint64_t sup_hash(uint64_t h, const void *p, size_t n)
{
    const unsigned char *c = (const unsigned char *)p;
    size_t i;
    for (i = 0; i < n; i++) {
        h ^= c[i];
        h *= UINT64_C(1099511628211);
    }
    return h;
}

void sup_fill(uint64_t *state, void *buf, size_t n)
{
    unsigned char *out = (unsigned char *)buf;
    uint64_t x = *state ? *state : UINT64_C(0x9e3779b97f4a7c15);
    size_t i = 0;
    while (i < n) {
        uint64_t r;
        int k;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        r = x * UINT64_C(2685821657736338717);
        for (k = 0; k < 8 && i < n; k++, i++) {
            out[i] = (unsigned char)(r & 0xff);
            r >>= 8;
        }
    }
    *state = x;
}
