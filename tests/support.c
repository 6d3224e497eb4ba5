/* SPDX-License-Identifier: MIT */
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
#  if !defined(_WIN32_WINNT) || _WIN32_WINNT < 0x0600
#    undef _WIN32_WINNT
#    define _WIN32_WINNT 0x0600 /* condition variables (sup_gate) */
#  endif
#  ifndef WIN32_LEAN_AND_MEAN
#    define WIN32_LEAN_AND_MEAN
#  endif
#  include <windows.h>
#else
#  include <errno.h>
#  include <fcntl.h>
#  include <pthread.h>
#  include <signal.h>
#  include <sys/resource.h>
#  include <sys/stat.h>
#  if defined(__linux__)
#    include <sys/utsname.h>
#  endif
#  include <time.h>
#  include <unistd.h>
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

void sup_nb_pair(sk_sock **a, sk_sock **b)
{
    sup_pair(a, b);
    sup_assert_rc(sk_setblocking(*a, 0), 0);
    sup_assert_rc(sk_setblocking(*b, 0), 0);
}

const char *const sup_backends[SUP_NBACKENDS] = {"uring", "epoll", "kqueue",
                                                 "poll", "select"};

const char *sup_loop_default(void)
{
#if defined(_WIN32)
    return "select";
#elif defined(__linux__)
    static const char *known; /* (the answer does not change) */
    struct utsname u;
    int major = 0, minor = 0;
    sk_loop *loop = NULL;
    int r;
    if (known != NULL)
        return known;
    r = sk_loop_new_backend(&loop, "uring");
    sk_loop_free(loop);
    if (r != 0 || uname(&u) != 0 ||
        sscanf(u.release, "%d.%d", &major, &minor) != 2)
        known = "epoll";
    else
        known = major > 6 || (major == 6 && minor >= 12) ? "uring" : "epoll";
    return known;
#elif defined(__APPLE__) || defined(__FreeBSD__) || defined(__NetBSD__) || \
    defined(__OpenBSD__) || defined(__DragonFly__)
    return "kqueue";
#else
    return "poll";
#endif
}

void sup_each_backend(sup_backend_test fn)
{
    size_t i, ran = 0;
    for (i = 0; i < SUP_NBACKENDS; i++) {
        sk_loop *loop = NULL;
        int r = sk_loop_new_backend(&loop, sup_backends[i]);
        if (r == SK_EUNSUPPORTED) {
            assert_null(loop);
#if defined(__linux__)
            if (strcmp(sup_backends[i], "uring") == 0)
                print_message("uring: not available here (io_uring refused "
                              "or too old, or built without it): the "
                              "other backends run\n");
#endif
            continue;
        }
        sup_assert_rc(r, 0);
        sk_loop_free(loop);
        fn(sup_backends[i]);
        ran++;
    }
    assert_true(ran > 0);
}

/* SOCKIT_TEST_BACKEND's backend, or NULL: the default.  "other" names
 * the Linux backend that is not the default: for a loop epoll where
 * sk_loop_new takes io_uring, else io_uring (as for a selector, whose
 * default is epoll). */
static const char *sup_test_backend(int loop)
{
    const char *b = getenv("SOCKIT_TEST_BACKEND");
    if (b == NULL || b[0] == '\0')
        return NULL;
    if (strcmp(b, "other") == 0)
        return loop && strcmp(sup_loop_default(), "uring") == 0 ? "epoll"
                                                                : "uring";
    return b;
}

void sup_loop_new(sk_loop **out)
{
    const char *b = sup_test_backend(1);
    int r;
    if (b == NULL) {
        sup_assert_rc(sk_loop_new(out), 0);
        return;
    }
    r = sk_loop_new_backend(out, b);
    if (r == SK_EUNSUPPORTED && strcmp(b, "uring") == 0) {
        static int said;
        if (!said++)
            print_message("uring: not available here (io_uring refused or "
                          "too old, or built without it, as valgrind's "
                          "lane is): the default loop runs\n");
        sup_assert_rc(sk_loop_new(out), 0);
        return;
    }
    sup_assert_rc(r, 0);
    assert_string_equal(sk_loop_backend(*out), b);
}

void sup_selector_new(sk_selector **out)
{
    const char *b = sup_test_backend(0);
    int r;
    if (b == NULL) {
        sup_assert_rc(sk_selector_new(out), 0);
        return;
    }
    r = sk_selector_new_backend(out, b);
    if (r == SK_EUNSUPPORTED && strcmp(b, "uring") == 0) {
        sup_assert_rc(sk_selector_new(out), 0); /* (as sup_loop_new) */
        return;
    }
    sup_assert_rc(r, 0);
    assert_string_equal(sk_selector_backend(*out), b);
}

int sup_port(const sk_sock *s)
{
    sk_name n;
    sup_assert_rc(sk_getsockname(s, &n), 0);
    assert_true(n.port > 0 && n.port <= 65535);
    return n.port;
}

sk_sock *sup_udp_bound(int (*ctor)(sk_sock **), const char *host, int *port)
{
    sk_sock *s = NULL;
    sup_assert_rc(ctor(&s), 0);
    assert_int_equal(sk_role(s), SK_ROLE_UNCONNECTED);
    sup_assert_rc(sk_settimeout(s, SUP_SAFETY_TIMEOUT, 'b'), 0);
    sup_assert_rc(sk_bind(s, host, 0), 0);
    assert_int_equal(sk_role(s), SK_ROLE_UNCONNECTED);
    if (port != NULL)
        *port = sup_port(s);
    return s;
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

uintptr_t sup_thread_self(void)
{
#if defined(_WIN32)
    return (uintptr_t)GetCurrentThreadId();
#else
    /* pthread_t is an integer or a pointer on every system sockit runs
     * on; pthread_equal would be needed only for a structure. */
    return (uintptr_t)pthread_self();
#endif
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

/* ---- resources: open descriptors and resident memory ------------------ */

#if defined(_WIN32)
#  ifndef PSAPI_VERSION
#    define PSAPI_VERSION 2 /* GetProcessMemoryInfo = K32GetProcessMemoryInfo */
#  endif
#  include <winsock2.h> /* after windows.h: WIN32_LEAN_AND_MEAN kept winsock.h out */
#  include <psapi.h>

/* Windows has no descriptor table to list, and Wine's
 * GetProcessHandleCount answers 0: count the handle values that are
 * sockets instead (getsockopt SO_TYPE succeeds), probing the multiples of 4
 * below 2^16.  Needs Winsock started, which sockit does with its first
 * object. */
size_t sup_open_fds(void)
{
    size_t n = 0;
    uintptr_t h;
    for (h = 4; h < ((uintptr_t)1 << 16); h += 4) {
        int type = 0, len = (int)sizeof type;
        if (getsockopt((SOCKET)h, SOL_SOCKET, SO_TYPE, (char *)&type,
                       &len) == 0)
            n++;
    }
    return n;
}

size_t sup_rss_bytes(void)
{
    PROCESS_MEMORY_COUNTERS pmc;
    memset(&pmc, 0, sizeof pmc);
    pmc.cb = sizeof pmc;
    if (!GetProcessMemoryInfo(GetCurrentProcess(), &pmc, sizeof pmc))
        return 0;
    return (size_t)pmc.WorkingSetSize;
}

#else
#  include <fcntl.h>
#  include <unistd.h>
#  if defined(__linux__)
#    include <dirent.h>
#  endif

size_t sup_open_fds(void)
{
#if defined(__linux__)
    DIR *d = opendir("/proc/self/fd");
    if (d != NULL) {
        size_t n = 0;
        struct dirent *e;
        while ((e = readdir(d)) != NULL)
            if (e->d_name[0] != '.')
                n++;
        closedir(d);
        return n > 0 ? n - 1 : 0; /* less opendir's own descriptor */
    }
#endif
    {
        size_t cap = sup_fd_capacity(), n = 0;
        int fd;
        if (cap > 65536)
            cap = 65536;
        for (fd = 0; (size_t)fd < cap; fd++)
            if (fcntl(fd, F_GETFD) != -1)
                n++;
        return n;
    }
}

size_t sup_rss_bytes(void)
{
#if defined(__linux__)
    unsigned long size = 0, resident = 0;
    long page = sysconf(_SC_PAGESIZE);
    FILE *f = fopen("/proc/self/statm", "r");
    int ok;
    if (f == NULL)
        return 0;
    ok = fscanf(f, "%lu %lu", &size, &resident) == 2;
    fclose(f);
    if (!ok || page <= 0)
        return 0;
    return (size_t)resident * (size_t)page;
#else
    return 0;
#endif
}

#endif

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

/* ---- faults: descriptors and signals ----------------------------------- */

int sup_under_valgrind(void)
{
    const char *p = getenv("LD_PRELOAD");
    return p != NULL && strstr(p, "vgpreload") != NULL;
}

#if defined(_WIN32)
const char *sup_wine(void)
{
    typedef const char *(__cdecl *wine_version_fn)(void);
    HMODULE nt = GetModuleHandleA("ntdll.dll");
    FARPROC f = nt != NULL ? GetProcAddress(nt, "wine_get_version") : NULL;
    wine_version_fn v;
    if (f == NULL)
        return NULL;
    memcpy(&v, &f, sizeof v); /* a data-free cast between function types */
    return v();
}
#else
const char *sup_wine(void)
{
    return NULL;
}
#endif

const char *sup_emulator(void)
{
    const char *p = getenv("SOCKIT_TEST_EMULATOR");
    return p != NULL && p[0] != '\0' ? p : NULL;
}

int sup_emulator_refused(int rc, const sk_sock *s, const char *what)
{
    const char *emu = sup_emulator();
    if (emu == NULL || rc != SK_EUNSUPPORTED)
        return 0;
#if defined(ENOPROTOOPT)
    if (sk_syserror(s) != ENOPROTOOPT)
        return 0; /* the kernel's own refusal, checked as anywhere */
#endif
    print_message("skipped under %s: %s, refused with ENOPROTOOPT (OS code "
                  "%d): a call the emulator does not translate\n",
                  emu, what, sk_syserror(s));
    return 1;
}

#if defined(_WIN32)

size_t sup_fd_limit_lower(size_t headroom)
{
    (void)headroom;
    return 0; /* no descriptor limit to lower */
}

void sup_fd_limit_restore(void)
{
}

int sup_sig_install(void)
{
    return 0;
}

void sup_sig_restore(void)
{
}

unsigned long sup_sig_count(void)
{
    return 0;
}

sup_signaller *sup_signaller_start(unsigned long hook_after,
                                   sup_signaller_hook hook, void *arg)
{
    (void)hook_after;
    (void)hook;
    (void)arg;
    fail_msg("no POSIX signals on Windows");
    return NULL;
}

unsigned long sup_signaller_stop(sup_signaller *x)
{
    (void)x;
    return 0;
}

#else

static struct rlimit fd_saved;
static int fd_saved_valid;

size_t sup_fd_limit_lower(size_t headroom)
{
    struct rlimit rl, want;
    rlim_t probe;
    int fd, top = -1;
    size_t used = 0;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return 0;
    /* The highest descriptor in use and how many are (bounded probe). */
    probe = (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > 65536)
                ? (rlim_t)65536 : rl.rlim_cur;
    for (fd = 0; (rlim_t)fd < probe; fd++) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF) {
            top = fd;
            used++;
        }
    }
    want = rl;
    want.rlim_cur = (rlim_t)(top + 1) + (rlim_t)headroom;
    if (rl.rlim_cur != RLIM_INFINITY && want.rlim_cur > rl.rlim_cur)
        return 0; /* already tighter than asked: nothing to lower */
    if (setrlimit(RLIMIT_NOFILE, &want) != 0)
        return 0;
    if (!fd_saved_valid) {
        fd_saved = rl;
        fd_saved_valid = 1;
    }
    return (size_t)(top + 1) + headroom - used; /* free slots */
}

void sup_fd_limit_restore(void)
{
    if (fd_saved_valid) {
        (void)setrlimit(RLIMIT_NOFILE, &fd_saved);
        fd_saved_valid = 0;
    }
}

static volatile sig_atomic_t sig_count;
static struct sigaction sig_old;

static void on_sigusr1(int sig)
{
    (void)sig;
    sig_count = sig_count + 1;
}

int sup_sig_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigusr1;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: blocking calls see EINTR */
    sig_count = 0;
    assert_int_equal(sigaction(SIGUSR1, &sa, &sig_old), 0);
    return 1;
}

void sup_sig_restore(void)
{
    struct sigaction ign;
    /* Ignoring first discards a signal still pending, which the previous
     * action (often SIG_DFL: terminate) must never see. */
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    (void)sigaction(SIGUSR1, &ign, NULL);
    (void)sigaction(SIGUSR1, &sig_old, NULL);
}

unsigned long sup_sig_count(void)
{
    return (unsigned long)sig_count;
}

struct sup_signaller {
    pthread_t target;
    pthread_mutex_t lock;
    int stop;             /* under lock */
    int kill_error;       /* pthread_kill's first failure */
    unsigned long sent;
    unsigned long hook_after;
    sup_signaller_hook hook;
    void *arg;
    sup_thread *thread;
};

static int signaller_stopped(sup_signaller *x)
{
    int stop;
    pthread_mutex_lock(&x->lock);
    stop = x->stop;
    pthread_mutex_unlock(&x->lock);
    return stop;
}

static void signaller_main(void *arg)
{
    sup_signaller *x = (sup_signaller *)arg;
    while (x->sent < SUP_SIGNALLER_MAX && !signaller_stopped(x)) {
        struct timespec pace;
        int e = pthread_kill(x->target, SIGUSR1);
        if (e != 0) {
            x->kill_error = e;
            break;
        }
        x->sent++;
        if (x->hook != NULL && x->sent == x->hook_after)
            x->hook(x->arg);
        pace.tv_sec = 0;
        pace.tv_nsec = 1000000L; /* pacing between signals, 1 ms */
        (void)nanosleep(&pace, NULL);
    }
}

sup_signaller *sup_signaller_start(unsigned long hook_after,
                                   sup_signaller_hook hook, void *arg)
{
    sup_signaller *x = (sup_signaller *)calloc(1, sizeof *x);
    assert_non_null(x);
    x->target = pthread_self();
    assert_int_equal(pthread_mutex_init(&x->lock, NULL), 0);
    x->hook_after = hook_after;
    x->hook = hook;
    x->arg = arg;
    x->thread = sup_thread_start(signaller_main, x);
    return x;
}

unsigned long sup_signaller_stop(sup_signaller *x)
{
    unsigned long sent;
    int e;
    pthread_mutex_lock(&x->lock);
    x->stop = 1;
    pthread_mutex_unlock(&x->lock);
    sup_thread_join(x->thread);
    sent = x->sent;
    e = x->kill_error;
    pthread_mutex_destroy(&x->lock);
    free(x);
    assert_int_equal(e, 0);
    return sent;
}

#endif

/* ---- files and directories ---------------------------------------------- */

#if defined(_WIN32)
void sup_tempdir(char *buf, size_t cap)
{
    char tmp[MAX_PATH + 1];
    static unsigned long counter; /* tests are single processes */
    DWORD n = GetTempPathA((DWORD)sizeof tmp, tmp);
    int tries;
    assert_true(n > 0 && n < sizeof tmp);
    if (tmp[n - 1] == '\\' || tmp[n - 1] == '/')
        tmp[--n] = '\0';
    for (tries = 0; tries < 100; tries++) {
        int len = snprintf(buf, cap, "%s\\sk%lx_%lu", tmp,
                           (unsigned long)GetCurrentProcessId(), ++counter);
        assert_true(len > 0 && (size_t)len < cap);
        if (CreateDirectoryA(buf, NULL))
            return;
        assert_int_equal(GetLastError(), ERROR_ALREADY_EXISTS);
    }
    fail_msg("no fresh directory under %s", tmp);
}

void sup_rmdir(const char *dir)
{
    if (!RemoveDirectoryA(dir))
        fail_msg("RemoveDirectoryA(%s) failed: %lu (not empty?)", dir,
                 (unsigned long)GetLastError());
}

int sup_exists(const char *path)
{
    return GetFileAttributesA(path) != INVALID_FILE_ATTRIBUTES;
}

void sup_remove(const char *path)
{
    if (!DeleteFileA(path))
        fail_msg("DeleteFileA(%s) failed: %lu", path,
                 (unsigned long)GetLastError());
}

void sup_touch(const char *path)
{
    HANDLE h = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_NEW,
                           FILE_ATTRIBUTE_NORMAL, NULL);
    assert_true(h != INVALID_HANDLE_VALUE);
    CloseHandle(h);
}
#else
void sup_tempdir(char *buf, size_t cap)
{
    static const char tmpl[] = "/tmp/skXXXXXX"; /* short: sun_path is small */
    assert_true(cap >= sizeof tmpl);
    memcpy(buf, tmpl, sizeof tmpl);
    if (mkdtemp(buf) == NULL)
        fail_msg("mkdtemp(%s) failed: errno %d", tmpl, errno);
}

void sup_rmdir(const char *dir)
{
    if (rmdir(dir) != 0)
        fail_msg("rmdir(%s) failed: errno %d (not empty?)", dir, errno);
}

int sup_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

void sup_remove(const char *path)
{
    if (unlink(path) != 0)
        fail_msg("unlink(%s) failed: errno %d", path, errno);
}

void sup_touch(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    assert_true(fd >= 0);
    assert_int_equal(close(fd), 0);
}
#endif

/* ---- gates ---------------------------------------------------------------- */

struct sup_gate {
#if defined(_WIN32)
    CRITICAL_SECTION lock;
    CONDITION_VARIABLE cond;
#else
    pthread_mutex_t lock;
    pthread_cond_t cond;
#endif
    int open;
};

sup_gate *sup_gate_new(void)
{
    sup_gate *g = (sup_gate *)calloc(1, sizeof *g);
#if !defined(_WIN32)
    pthread_condattr_t attr;
#endif
    assert_non_null(g);
#if defined(_WIN32)
    InitializeCriticalSection(&g->lock);
    InitializeConditionVariable(&g->cond);
#else
    assert_int_equal(pthread_mutex_init(&g->lock, NULL), 0);
    assert_int_equal(pthread_condattr_init(&attr), 0);
    assert_int_equal(pthread_condattr_setclock(&attr, CLOCK_MONOTONIC), 0);
    assert_int_equal(pthread_cond_init(&g->cond, &attr), 0);
    pthread_condattr_destroy(&attr);
#endif
    return g;
}

void sup_gate_open(sup_gate *g)
{
#if defined(_WIN32)
    /* Woken inside the lock: a waiter that sees the gate open may free
     * it at once. */
    EnterCriticalSection(&g->lock);
    g->open = 1;
    WakeAllConditionVariable(&g->cond);
    LeaveCriticalSection(&g->lock);
#else
    pthread_mutex_lock(&g->lock);
    g->open = 1;
    pthread_cond_broadcast(&g->cond);
    pthread_mutex_unlock(&g->lock);
#endif
}

int sup_gate_wait(sup_gate *g, double seconds)
{
    int open;
#if defined(_WIN32)
    ULONGLONG end = GetTickCount64() + (ULONGLONG)(seconds * 1000);
    EnterCriticalSection(&g->lock);
    while (!g->open) {
        ULONGLONG now = GetTickCount64();
        if (now >= end)
            break;
        SleepConditionVariableCS(&g->cond, &g->lock, (DWORD)(end - now));
    }
    open = g->open;
    LeaveCriticalSection(&g->lock);
#else
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    end.tv_sec += (time_t)seconds;
    pthread_mutex_lock(&g->lock);
    while (!g->open) {
        if (pthread_cond_timedwait(&g->cond, &g->lock, &end) == ETIMEDOUT)
            break;
    }
    open = g->open;
    pthread_mutex_unlock(&g->lock);
#endif
    return open;
}

void sup_gate_free(sup_gate *g)
{
    if (g == NULL)
        return;
#if defined(_WIN32)
    DeleteCriticalSection(&g->lock);
#else
    pthread_cond_destroy(&g->cond);
    pthread_mutex_destroy(&g->lock);
#endif
    free(g);
}

void sup_fill_backlog(int port, sk_sock **fill, int *nfill)
{
    int k, rc = 0;
    *nfill = 0;
    for (k = 0; k < SUP_FILL_MAX; k++) {
        sk_sock *c = NULL;
        sup_assert_rc(sk_tcp4(&c), 0);
        sup_assert_rc(sk_settimeout(c, 0.5, 'b'), 0);
        rc = sk_connect(c, "127.0.0.1", port);
        fill[(*nfill)++] = c;
        if (rc == SK_ETIMEOUT)
            return;
        if (rc == SK_ECONNREFUSED) {
            int i;
            for (i = 0; i < *nfill; i++)
                sk_free(fill[i]);
            *nfill = 0;
            print_message("this OS refuses connects beyond a full backlog "
                          "instead of leaving them pending: no pending "
                          "loopback connect can be made here\n");
            skip();
        }
        sup_assert_rc(rc, 0);
    }
    print_error("the accept queue never filled in %d connects\n",
                SUP_FILL_MAX);
    fail();
}
