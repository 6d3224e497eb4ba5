/* SPDX-License-Identifier: MIT */
/*
 * support.h - shared plumbing for sockit's CMocka tests.
 *
 * Everything here goes through the public API (sockit.h) except the small
 * amount of OS plumbing in support.c: threads (pthreads / Win32 threads) and
 * raising the descriptor limit (POSIX).  Helpers whose names end in an
 * assertion-like verb (sup_pair, sup_send_str, ...) use CMocka assertions and
 * must only be called from the test's own thread; peer threads record their
 * results and the test asserts after sup_thread_join.
 */
#ifndef SOCKIT_TEST_SUPPORT_H
#define SOCKIT_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "sockit.h"

/* A block timeout put on every object the helpers make, so that a library
 * bug makes a test fail with SK_ETIMEOUT instead of hanging until ctest's
 * TIMEOUT.  It is never used as a synchronisation device. */
#define SUP_SAFETY_TIMEOUT 30.0

/* sup_assert_rc: assert that expr returned the sockit code want, printing
 * both symbolic names on failure. */
#define sup_assert_rc(expr, want)                                           \
    sup_check_rc_((expr), (want), #expr, __FILE__, __LINE__)
void sup_check_rc_(int got, int want, const char *expr, const char *file,
                   int line);

/* sup_assert_buf: assert that b holds exactly the len bytes at want. */
#define sup_assert_buf(b, want, len)                                        \
    sup_check_buf_((b), (want), (len), __FILE__, __LINE__)
/* sup_assert_bufstr: the same for a C string. */
#define sup_assert_bufstr(b, str)                                           \
    sup_check_buf_((b), (str), strlen(str), __FILE__, __LINE__)
void sup_check_buf_(const sk_buf *b, const void *want, size_t len,
                    const char *file, int line);

/* sup_listen4: an sk_tcp4 server on 127.0.0.1 with a system-chosen port
 * (read back with sk_getsockname) and the given backlog. */
void sup_listen4(sk_sock **server, int *port, int backlog);

/* sup_fill_backlog: fill the accept queue of a loopback listener on port
 * (made with backlog 0 and never accepting): connect sk_tcp4 clients until
 * one no longer completes (at most SUP_FILL_MAX).  The clients are kept in
 * fill[] (the last one is the connect that timed out and is still
 * pending); the caller frees them all.  Skips the test when this OS
 * refuses connects beyond the backlog instead of leaving them pending. */
#define SUP_FILL_MAX 64
void sup_fill_backlog(int port, sk_sock **fill, int *nfill);

/* sup_connect4: an sk_tcp4 client connected to 127.0.0.1:port. */
void sup_connect4(sk_sock **client, int port);

/* sup_pair: two connected clients over 127.0.0.1: *a made by sk_connect,
 * *b by sk_accept.  Both carry the safety timeout and have no data
 * pending. */
void sup_pair(sk_sock **a, sk_sock **b);

/* sup_nb_pair: sup_pair with both ends in non-blocking mode. */
void sup_nb_pair(sk_sock **a, sk_sock **b);

/* The event-loop backends sockit names (sk_loop_new_backend,
 * sk_selector_new_backend); a build has some of them. */
extern const char *const sup_backends[];
#define SUP_NBACKENDS 5

/* sup_loop_default: the backend sk_loop_new should take here: "uring" on
 * Linux where the uring loop can be made and the kernel is 6.12 or later
 * (incremental buffer rings, as measured), else "epoll"; "kqueue",
 * "poll" or "select" elsewhere. */
const char *sup_loop_default(void);

/* sup_each_backend: run fn(name) once per backend this build has (those
 * sk_loop_new_backend does not refuse with SK_EUNSUPPORTED); fails the
 * test when there is none. */
typedef void (*sup_backend_test)(const char *backend);
void sup_each_backend(sup_backend_test fn);

/* sup_loop_new / sup_selector_new: sk_loop_new / sk_selector_new, or
 * the backend named by the environment variable SOCKIT_TEST_BACKEND when
 * it is set (ctest runs test_conn and test_hostile_load once on the
 * default backend and once more with "other": on Linux, the one of uring
 * and epoll the default is not; a selector's, uring).
 * Fail the test when the loop cannot be made. */
void sup_loop_new(sk_loop **out);
void sup_selector_new(sk_selector **out);

/* sup_port: the port of s's local name (sk_getsockname), asserted to be
 * 1..65535. */
int sup_port(const sk_sock *s);

/* sup_udp_bound: a datagram object of ctor bound to host port 0, with the
 * safety timeout, unconnected before and after the bind (asserted); its
 * port in *port when port is not NULL. */
sk_sock *sup_udp_bound(int (*ctor)(sk_sock **), const char *host, int *port);

/* sup_ipv6_loopback: 1 when sk_tcp6 can bind "::1"; 0 when the host has no
 * ::1 (SK_EFAMILY / SK_EADDRNOTAVAIL).  Any other result fails the test. */
int sup_ipv6_loopback(void);

/* sup_send_all / sup_send_str: send everything, asserting success. */
void sup_send_all(sk_sock *s, const void *data, size_t len);
void sup_send_str(sk_sock *s, const char *str);

/* sup_expect: receive exactly len bytes (SK_BYTES) and compare them. */
void sup_expect(sk_sock *s, const void *want, size_t len);
void sup_expect_str(sk_sock *s, const char *str);

/* sup_expect_nothing: assert that nothing more is readable on s right now
 * (a receive with timeout 0 times out and appends nothing); restores the
 * safety timeout. */
void sup_expect_nothing(sk_sock *s);

/* sup_wait_readable: wait (sk_select, no time limit beyond the safety
 * timeout) until s can be read; ordering by data, not by sleeping. */
void sup_wait_readable(sk_sock *s);

/* ---- threads ----------------------------------------------------------- */
typedef struct sup_thread sup_thread;
typedef void (*sup_thread_fn)(void *arg);

/* sup_thread_start: run fn(arg) in a new thread (asserts it started). */
sup_thread *sup_thread_start(sup_thread_fn fn, void *arg);
/* sup_thread_join: wait for the thread to end and release it. */
void sup_thread_join(sup_thread *t);
/* sup_thread_self: an identity of the calling thread, equal only for the
 * same thread (while it runs): pthread_self / GetCurrentThreadId. */
uintptr_t sup_thread_self(void);

/* A peer thread that sends len bytes on s (one sk_send of the whole
 * buffer) and then, when close_after is set, sk_close's s (the test still
 * sk_free's it). */
typedef struct sup_sender {
    sk_sock *s;
    const void *data;
    size_t len;
    int close_after;
    int rc;         /* sk_send's result */
    ptrdiff_t last; /* sk_send's *last */
    sup_thread *thread;
} sup_sender;
void sup_sender_start(sup_sender *x, sk_sock *s, const void *data, size_t len,
                      int close_after);
/* sup_sender_join: join and assert that everything was sent. */
void sup_sender_join(sup_sender *x);

/* ---- environment ------------------------------------------------------- */

/* sup_fd_capacity: raise the soft descriptor limit to the hard limit
 * (POSIX) and return the soft limit now in force; a large number where the
 * OS has no such limit (Windows). */
size_t sup_fd_capacity(void);

/* sup_env_size: the unsigned number in environment variable name, or def
 * when it is unset, empty or not a positive number. */
size_t sup_env_size(const char *name, size_t def);

/* sup_open_fds: the number of descriptors (handles on Windows) this process
 * has open now.  Linux: the entries of /proc/self/fd (less the one used to
 * read it); other POSIX: fcntl(F_GETFD) probed over 0..capacity; Windows:
 * the handle values below 2^16 that are sockets (Wine's
 * GetProcessHandleCount answers 0), so only once Winsock is started. */
size_t sup_open_fds(void);

/* sup_rss_bytes: the process's resident set size in bytes now, or 0 where
 * it cannot be read (Linux: /proc/self/statm; Windows: the working set via
 * K32GetProcessMemoryInfo, in kernel32, so no psapi link; other POSIX: 0). */
size_t sup_rss_bytes(void);

/* ---- data -------------------------------------------------------------- */
#define SUP_HASH_INIT UINT64_C(14695981039346656037)
/* sup_hash: FNV-1a over n bytes, continuing from h. */
uint64_t sup_hash(uint64_t h, const void *p, size_t n);
/* sup_fill: n pseudo-random bytes from the xorshift state *state (any
 * non-zero seed); the same seed gives the same stream. */
void sup_fill(uint64_t *state, void *buf, size_t n);

/* ---- faults: descriptors and signals (test_faults) --------------------- */

/* sup_fd_limit_lower: lower the soft descriptor limit (POSIX) to the
 * highest descriptor open now + 1 + headroom, so that descriptor creation
 * soon fails.  Returns how many descriptors may still be opened under the
 * new limit (at least headroom), or 0 where the OS has no such limit to
 * lower (Windows) or it could not be lowered: the caller then skips.
 * Undo with sup_fd_limit_restore (also safe when nothing was lowered). */
size_t sup_fd_limit_lower(size_t headroom);
void sup_fd_limit_restore(void);

/* sup_under_valgrind: 1 when the test runs under valgrind (its preload
 * library is in LD_PRELOAD), whose emulation of some system limits differs
 * from the kernel's; 0 otherwise. */
int sup_under_valgrind(void);

/* sup_wine: Wine's version ("8.0") when the test runs under Wine (ntdll
 * exports wine_get_version), else NULL (Linux, real Windows). */
const char *sup_wine(void);

/* sup_emulator: the user-mode emulator the tests run under, as named by
 * SOCKIT_TEST_EMULATOR (ci/test's s390x lane sets "qemu-user"), or NULL
 * when they run on the hardware they were built for. */
const char *sup_emulator(void);

/* sup_emulator_refused: 1 when the tests run under an emulator
 * (sup_emulator), rc is SK_EUNSUPPORTED and s's OS code ENOPROTOOPT: the
 * answer of qemu-user 7.2 to the calls it does not translate
 * (IP_MULTICAST_IF with struct ip_mreqn, MCAST_JOIN_GROUP); it then prints
 * a line naming what was skipped and why.  0 otherwise: the caller checks
 * rc as it would anywhere.  Call it only where such a call was made (the
 * OS code may be left from an earlier failure). */
int sup_emulator_refused(int rc, const sk_sock *s, const char *what);

/* sup_sig_install: install a no-op SIGUSR1 handler WITHOUT SA_RESTART (so
 * that blocking system calls fail with EINTR) and reset the handler's
 * counter.  Returns 1, or 0 where there are no POSIX signals (Windows).
 * sup_sig_restore puts the previous handler back. */
int sup_sig_install(void);
void sup_sig_restore(void);
/* sup_sig_count: how many times the handler ran since sup_sig_install. */
unsigned long sup_sig_count(void);

/* A thread that sends SIGUSR1 to the thread that started it, paced by a
 * short nanosleep (pacing only, never synchronisation), until
 * sup_signaller_stop or SUP_SIGNALLER_MAX signals.  When hook is not NULL
 * it is called once on the signaller's thread right after signal number
 * hook_after was sent (it must not use CMocka assertions). */
#define SUP_SIGNALLER_MAX 30000UL
typedef struct sup_signaller sup_signaller;
typedef void (*sup_signaller_hook)(void *arg);
sup_signaller *sup_signaller_start(unsigned long hook_after,
                                   sup_signaller_hook hook, void *arg);
/* sup_signaller_stop: stop, join and free; returns the signals sent and
 * asserts that every pthread_kill succeeded. */
unsigned long sup_signaller_stop(sup_signaller *x);

/* ---- files and directories (UNIX-domain paths) ------------------------ */

/* The path separator tests use when they build paths. */
#if defined(_WIN32)
#  define SUP_SEP "\\"
#else
#  define SUP_SEP "/"
#endif

/* sup_tempdir: make a fresh, empty directory with a short name (POSIX:
 * mkdtemp under /tmp; Windows: GetTempPathA plus a unique name) and write
 * its path, without a trailing separator, into buf (cap bytes). */
void sup_tempdir(char *buf, size_t cap);
/* sup_rmdir: remove the directory dir, asserting that it is gone (so it
 * must be empty: a socket file left behind fails the test). */
void sup_rmdir(const char *dir);
/* sup_exists: 1 when something (file, socket file, directory) is at path. */
int sup_exists(const char *path);
/* sup_remove: remove the file at path, asserting success. */
void sup_remove(const char *path);
/* sup_touch: create an empty regular file at path (asserts). */
void sup_touch(const char *path);

/* ---- gates: one thread waits until another opens (event-driven tests) -- */

/* A gate is shut when made; sup_gate_open (any thread) opens it for good
 * and wakes every waiter.  sup_gate_wait (any thread, no CMocka
 * assertions inside) returns 1 once the gate is open, or 0 after the
 * safety bound of `seconds` (only there so that a bug cannot hang a test;
 * never a synchronisation device). */
typedef struct sup_gate sup_gate;
sup_gate *sup_gate_new(void);
void sup_gate_open(sup_gate *g);
int sup_gate_wait(sup_gate *g, double seconds);
void sup_gate_free(sup_gate *g);

#endif /* SOCKIT_TEST_SUPPORT_H */
