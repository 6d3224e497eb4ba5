/* SPDX-License-Identifier: MIT */
/*
 * plat.h - the contract between sockit's shared code and its backends.
 *
 * src/posix/ and src/win32/ each implement every function below; the
 * shared code in src/ includes this header and never a system socket
 * header.  Conventions: functions return 0 or a negative SK_E* code and, on
 * failure, store the raw OS code (errno, WSAGetLastError, EAI_*) in *sys
 * when sys is not NULL.  Every socket the backend makes or accepts is
 * close-on-exec (not inherited), never raises SIGPIPE, and non-blocking,
 * except one made or accepted with blocking 1 (sk__plat_socket_ex,
 * sk__plat_accept_ex, sk__plat_set_blocking): the calls below that are
 * described as "non-blocking" or "without waiting" may then wait without
 * limit where they would return SK_EWOULDBLOCK / SK_EINPROGRESS.
 */
#ifndef SK_PLAT_H
#define SK_PLAT_H

#include "sockit.h"

#include <stddef.h>
#include <stdint.h>

/* Which backend this build compiles (the other's files compile empty). */
#if defined(_WIN32)
#  define SK_OS_WIN32 1
#  define SK_OS_POSIX 0
#else
#  define SK_OS_WIN32 0
#  define SK_OS_POSIX 1
#endif

/* Address families as the shared code names them (the public enum
 * sk_family's values). */
#define SK__AF_UNSPEC SK_AF_UNSPEC
#define SK__AF_UNIX SK_AF_UNIX
#define SK__AF_INET SK_AF_INET
#define SK__AF_INET6 SK_AF_INET6

/* Socket types (the public enum sk_socktype's values). */
#define SK__STREAM SK_STREAM
#define SK__DGRAM SK_DGRAM

/* The few helpers on every call's path are static inline (sockit_int.h),
 * so that the hot paths make no call for them (MSVC's C mode spells it
 * __inline);
 * SK__NOINLINE keeps a slow path out of its caller, so that the caller's
 * common case stays small (SQLite's SQLITE_NOINLINE); SK__ALWAYS_INLINE
 * makes one body serve two public calls, each with its own copy (its
 * constant arguments folded in). */
#if defined(_MSC_VER)
#  define SK__INLINE static __inline
#  define SK__NOINLINE __declspec(noinline)
#  define SK__ALWAYS_INLINE static __forceinline
#elif defined(__GNUC__) || defined(__clang__)
#  define SK__INLINE static inline
#  define SK__NOINLINE __attribute__((noinline))
#  define SK__ALWAYS_INLINE static inline __attribute__((always_inline))
#else
#  define SK__INLINE static inline
#  define SK__NOINLINE
#  define SK__ALWAYS_INLINE static inline
#endif

/* SK__PREFETCH(p): ask the CPU to bring the cache line holding address p
 * closer (a hint: no fault, whatever p is, even NULL or freed memory).
 * The loop's dispatch uses it so that the next connections' blocks arrive
 * while this one's system calls run (with 10,000 connections they are far
 * out of the cache).  A no-op where the compiler has no portable way. */
#if defined(__GNUC__) || defined(__clang__)
#  define SK__PREFETCH(p) __builtin_prefetch((const void *)(p))
#else
#  define SK__PREFETCH(p) ((void)(p))
#endif

/* An address: room for any sockaddr the backends use (sockaddr_storage is
 * 128 bytes everywhere sockit runs).  It is the public sk_addr (sockit.h),
 * whose members are private to sockit: family is SK__AF_INET, SK__AF_INET6 or SK__AF_UNIX (SK__AF_UNSPEC:
 * none), len the bytes of sa used, sa the native struct sockaddr_*. */
typedef sk_addr sk__addr;

/* Readiness interests and results. */
#define SK__WAIT_READ 1
#define SK__WAIT_WRITE 2
#define SK__WAIT_ERROR 4   /* result only: error/hang-up seen */

/* One entry of sk__plat_poll. */
typedef struct sk__pollent {
    sk_fd_t fd;
    int events;  /* SK__WAIT_READ | SK__WAIT_WRITE */
    int revents; /* set by sk__plat_poll */
} sk__pollent;

/* ---- memory ------------------------------------------------------------ */

/* sk__malloc, sk__calloc, sk__realloc, sk__free: every allocation in src/
 * (shared code and both backends) goes through these four.  In the library
 * users get they are the C library's calls, nothing more: no hook, no
 * process-wide state.  Only a test build of the library (compiled with
 * SOCKIT_TEST_HOOKS, never installed) makes them functions
 * (src/testhooks.c) that can fail the Nth allocation on demand (sk__test_alloc_*), so the
 * test suite can check every path that handles an allocation failure. */
#if defined(SOCKIT_TEST_HOOKS)
void *sk__malloc(size_t n);
void *sk__calloc(size_t count, size_t n);
void *sk__realloc(void *p, size_t n);
void sk__free(void *p);

/* sk__test_alloc_fail_at: from now on count allocations (sk__malloc,
 * sk__calloc, and sk__realloc with n > 0) and make the nth one (1-based)
 * return NULL; n == 0 stops counting and failing.  Not thread-safe: arm it
 * only while one thread uses the library.
 * sk__test_alloc_count: allocations counted since the last
 * sk__test_alloc_fail_at (the failed one included).
 * sk__test_alloc_failed: 1 when the armed failure has happened. */
void sk__test_alloc_fail_at(unsigned long n);
unsigned long sk__test_alloc_count(void);
int sk__test_alloc_failed(void);

/* sk__test_lookup_inline: with on 1, sk_conn's host lookups run their
 * resolver (hook) on the calling thread, inside sk_conn_connect, instead of
 * a worker thread (the answer still comes through the loop's post queue):
 * allocations and hook calls then come in a fixed order.
 * sk__test_lookup_inlined: the current setting. */
void sk__test_lookup_inline(int on);
int sk__test_lookup_inlined(void);

/* sk__test_sendfile_local_set: how sk_sendfile judges its peer: 1 on this
 * host (read and send), 0 elsewhere (the zero-copy call, so that tests over
 * loopback reach it), -1 (the default) by its address.
 * sk__test_sendfile_local: the current setting. */
void sk__test_sendfile_local_set(int mode);
int sk__test_sendfile_local(void);

/* sk__test_uring_refuse: with e > 0, the io_uring backend's setup fails
 * as if the kernel answered errno e (EPERM: seccomp, ENOSYS: too old);
 * with e -1 the ring is made but found to lack a feature; with e -2 the
 * kernel lacks deferred task work (before 6.1: "uring" by name works, the
 * default takes epoll); 0 restores the kernel's own answer.
 * sk__test_uring_refusal: the current setting. */
void sk__test_uring_refuse(int e);
int sk__test_uring_refusal(void);

/* sk__test_uring_bufs: the receive buffers of io_uring pollers made from
 * now on: count (a power of two) buffers of size bytes, received into
 * whole (no incremental use), and with oneshot 1 single-shot receives (each
 * re-armed by the poller); count 0 restores the defaults.
 * sk__test_uring_bufs_get: the current setting (count 0: the defaults). */
void sk__test_uring_bufs(unsigned count, unsigned size, int oneshot);
void sk__test_uring_bufs_get(unsigned *count, unsigned *size, int *oneshot);
#else
#  include <stdlib.h>
#  define sk__malloc(n) malloc(n)
#  define sk__calloc(count, n) calloc((count), (n))
#  define sk__realloc(p, n) realloc((p), (n))
#  define sk__free(p) free(p)
#endif

/* ---- lifetime ---------------------------------------------------------- */

/* sk__plat_startup: make the socket layer usable (WSAStartup on Windows,
 * reference-counted by the system; nothing on POSIX).  Each successful call
 * is paired with one sk__plat_cleanup. */
int sk__plat_startup(int *sys);
void sk__plat_cleanup(void);

/* sk__plat_socket: a new socket of family (SK__AF_INET/INET6/UNIX) and
 * type (SK__STREAM: TCP for IP families; SK__DGRAM: UDP for IP families).
 * Returns 0, SK_EFAMILY (family not available on this host),
 * SK_EUNSUPPORTED (this family and type not available), SK_ENORESOURCES. */
int sk__plat_socket(int family, int type, sk_fd_t *fd, int *sys);

/* sk__plat_close: close fd, ignoring errors (EINTR is not retried). */
void sk__plat_close(sk_fd_t fd);

/* Sockets the OS blocks on.  The shared code asks for one (blocking 1)
 * only for an object whose calls may wait without limit (blocking mode, no
 * timeout, not UNIX-domain): a receive that has to wait is then one system
 * call, as with a plain blocking socket, instead of a try, a wait and a
 * second try.  A backend may ignore the request (Windows keeps every
 * socket non-blocking): the shared code handles SK_EWOULDBLOCK and
 * SK_EINPROGRESS on every socket by waiting.
 *
 * sk__plat_socket_ex: sk__plat_socket, blocking or not.
 * sk__plat_accept_ex: sk__plat_accept, the new socket blocking or not (on a
 * listening socket made blocking it waits for a connection).
 * sk__plat_set_blocking: switch fd (when an object's timeouts or mode
 * change, or it adopts a socket).  mine: the backend made fd, so its other
 * status flags are known (POSIX: one fcntl instead of two).  Returns 0 or
 * an error. */
int sk__plat_socket_ex(int family, int type, int blocking, sk_fd_t *fd,
                       int *sys);
int sk__plat_accept_ex(sk_fd_t fd, int blocking, sk_fd_t *out, sk__addr *peer,
                       int *sys);
int sk__plat_set_blocking(sk_fd_t fd, int blocking, int mine, int *sys);

/* ---- connection set-up ------------------------------------------------- */

int sk__plat_bind(sk_fd_t fd, const sk__addr *a, int *sys);
int sk__plat_listen(sk_fd_t fd, int backlog, int *sys);

/* sk__plat_connect_start: start a non-blocking connect.  Returns 0 when
 * already connected, SK_EINPROGRESS when the caller must wait with
 * sk__plat_wait_connect, or an error. */
int sk__plat_connect_start(sk_fd_t fd, const sk__addr *a, int *sys);

/* sk__plat_wait_connect: wait up to ms milliseconds (-1 forever) for a
 * connect in progress.  Returns 0 when connected, SK_ETIMEOUT, SK_EWOULDBLOCK
 * (interrupted: call again with the time that is left), or the connect's
 * error (refused, unreachable...).  Windows sees failures in the except set
 * of select; POSIX reads SO_ERROR after poll. */
int sk__plat_wait_connect(sk_fd_t fd, int64_t ms, int *sys);

/* sk__plat_accept: accept one pending connection without waiting.  The new
 * socket in *out has the properties listed above; peer may be NULL.
 * Returns 0, SK_EWOULDBLOCK (nothing pending, or the pending client vanished
 * or the call was interrupted), SK_ENORESOURCES, or another error. */
int sk__plat_accept(sk_fd_t fd, sk_fd_t *out, sk__addr *peer, int *sys);

/* ---- data -------------------------------------------------------------- */

/* sk__plat_send: one non-blocking send of up to len bytes; *sent receives
 * the count (0 on error).  Returns 0, SK_EWOULDBLOCK, SK_ECLOSED (peer gone,
 * EPIPE / sending shut down), SK_ECONNRESET, or another error.  A signal
 * (EINTR) gives SK_EWOULDBLOCK: the caller waits and tries again. */
int sk__plat_send(sk_fd_t fd, const void *buf, size_t len, size_t *sent,
                  int *sys);

/* sk__plat_recv: one non-blocking receive of up to len bytes (len > 0);
 * *got receives the count.  Returns 0 with *got > 0, SK_ECLOSED at end of
 * stream, SK_EWOULDBLOCK, SK_ECONNRESET, or another error.  A signal
 * (EINTR) gives SK_EWOULDBLOCK: the caller waits and tries again. */
int sk__plat_recv(sk_fd_t fd, void *buf, size_t len, size_t *got, int *sys);

/* sk__plat_send1 / sk__plat_recv1: sk__plat_send / sk__plat_recv with no
 * out-parameter, for the hot paths (sk_send, sk_read, sk_receive): one
 * non-blocking send (receive) of up to len bytes (len > 0).  Return the
 * bytes moved (sk__plat_recv1: 0 at the end of the stream), or -1: then
 * sk__plat_send_fail / sk__plat_recv_fail, called next with no system call
 * between (they read the OS's last error of this thread), return what
 * sk__plat_send / sk__plat_recv would have returned (a signal: also
 * SK_EWOULDBLOCK) and store the OS code in *sys where they would. */
ptrdiff_t sk__plat_send1(sk_fd_t fd, const void *buf, size_t len);
ptrdiff_t sk__plat_recv1(sk_fd_t fd, void *buf, size_t len);
int sk__plat_send_fail(int *sys);
int sk__plat_recv_fail(int *sys);

/* sk__plat_wait: wait up to ms milliseconds (-1 forever, 0 poll) for fd to
 * become readable (SK__WAIT_READ) or writable (SK__WAIT_WRITE).  Returns 0
 * when ready (an error or hang-up counts as ready: the next call reports
 * it), SK_ETIMEOUT, SK_EWOULDBLOCK when interrupted by a signal (the caller
 * recomputes its time and waits again), or another error. */
int sk__plat_wait(sk_fd_t fd, int events, int64_t ms, int *sys);

/* sk__plat_poll: wait up to ms milliseconds for any of n entries; fills
 * revents.  *ready receives how many entries have revents != 0.  Entries
 * with events 0 are ignored (never handed to the system).  No limit on n,
 * but the system may refuse more entries than it has descriptors: then
 * SK_EINVAL (POSIX poll above RLIMIT_NOFILE; sk_select merges duplicates
 * and asks again).  Returns 0 (also when nothing became ready: *ready is
 * 0), SK_EWOULDBLOCK when interrupted, SK_ENORESOURCES, SK_EINVAL, or
 * another error. */
int sk__plat_poll(sk__pollent *ents, size_t n, int64_t ms, size_t *ready,
                  int *sys);

/* sk__plat_shutdown: how is enum sk_shutdown_how.  Returns 0, SK_ENOTCONN,
 * or another error. */
int sk__plat_shutdown(sk_fd_t fd, int how, int *sys);

/* ---- names and options ------------------------------------------------- */

int sk__plat_sockname(sk_fd_t fd, sk__addr *a, int *sys);
/* Returns SK_ENOTCONN when the socket has no peer. */
int sk__plat_peername(sk_fd_t fd, sk__addr *a, int *sys);

/* sk__plat_family: the family of an open socket (SK__AF_INET/INET6/UNIX)
 * in *family. */
int sk__plat_family(sk_fd_t fd, int *family, int *sys);

/* sk__plat_setopt / sk__plat_getopt: enum sk_option with sockit's value
 * conventions (see sockit.h).  Return SK_EUNSUPPORTED when this OS or the
 * socket's family lacks the option, SK__EREMEMBERED from getopt when the
 * backend keeps no OS state for it (the shared code then answers from what
 * it remembers). */
#define SK__EREMEMBERED (-1000)
int sk__plat_setopt(sk_fd_t fd, int option, int value, int *sys);
int sk__plat_getopt(sk_fd_t fd, int option, int *value, int *sys);

/* sk__plat_sockerror: read (and so clear) the socket's pending error
 * (SO_ERROR): *code receives its SK_E* code, 0 when none is pending, and
 * *sys (may be NULL) the raw OS code.  Returns 0, or the error of the
 * query itself. */
int sk__plat_sockerror(sk_fd_t fd, int *code, int *sys);

/* ---- addresses --------------------------------------------------------- */

/* sk__plat_resolve: the addresses of host (NULL = any address, for passive
 * use) and port, of family (SK__AF_UNSPEC for both), for TCP, in resolver
 * order, in a malloc'd array *list of *count entries (free with sk__free()).
 * Numeric hosts are never sent to a resolver.  Returns 0,
 * SK_EHOSTNOTFOUND, SK_ENAMETEMP, SK_EFAMILY, SK_ENORESOURCES. */
int sk__plat_resolve(const char *host, int port, int family, int passive,
                     sk__addr **list, size_t *count, int *sys);

/* sk__plat_addrname: the numeric text, port and family of an address into
 * out; IPv4-mapped IPv6 addresses come out as IPv4 ("inet").  A UNIX
 * address gives family "unix", port 0 and the path (its length taken from
 * a->len, NUL-terminated or not), "@name" for an abstract name, "" for an
 * unnamed socket.  Returns 0 or SK_EINVAL. */
int sk__plat_addrname(const sk__addr *a, sk_name *out);

/* Where a native sockaddr_in keeps its 4 address bytes and a sockaddr_in6
 * its 16: the same on every system sockit builds for (Linux, the BSDs and
 * macOS with their length byte, Windows).  Each backend checks it at
 * compile time; the shared sk__addr_ip reads the bytes there. */
#define SK__SA_IN4_AT 4
#define SK__SA_IN6_AT 8

/* ---- time -------------------------------------------------------------- */

/* sk__plat_now_us: monotonic microseconds from an arbitrary origin. */
int64_t sk__plat_now_us(void);

/* sk__plat_wall_us: the wall clock, microseconds since 1970-01-01 00:00
 * UTC (it jumps when the system's time is set: never for timeouts). */
int64_t sk__plat_wall_us(void);

/* sk__plat_sleep_us: suspend the calling thread for about us microseconds
 * (0 < us <= 86400e6); it may return early (a signal): the caller checks
 * the clock and sleeps again. */
void sk__plat_sleep_us(int64_t us);

/* sk__plat_has_ipv6: 1 when the host can make IPv6 sockets. */
int sk__plat_has_ipv6(void);

/* ---- datagrams (UDP) ---------------------------------------------------- */
/* (sendto / recvfrom, peers, multicast membership.) */

/* sk__plat_sendto: one non-blocking send of len bytes (len may be 0: an
 * empty datagram) as one datagram to `to`, or to the connected peer when
 * to is NULL.  *sent receives the count (len on success, 0 on error).
 * Returns 0, SK_EWOULDBLOCK (send buffer full), SK_EMSGSIZE (too large for
 * the system, never cut), SK_EACCESS (broadcast not allowed),
 * SK_ECONNREFUSED (an earlier datagram to the connected peer met a closed
 * port), or another error.  Never raises SIGPIPE; EINTR is retried
 * inside. */
int sk__plat_sendto(sk_fd_t fd, const void *buf, size_t len,
                    const sk__addr *to, size_t *sent, int *sys);

/* sk__plat_recvfrom: one non-blocking receive of one datagram into buf
 * (len bytes, 0 included: buf is then not touched).  *got receives the
 * bytes stored; *size the datagram's length (*got when it fit; when it
 * did not, its full length where the system tells it, else 0); from (may
 * be NULL) the sender: its family, len and the first len bytes of sa (the
 * rest is not touched; family SK__AF_UNSPEC and len 0 when the system
 * names none).  Returns 0 (also for an empty datagram: *got 0),
 * SK_ETRUNCATED (the datagram was longer: buf holds its first len bytes,
 * *got = len, the rest is gone), SK_EWOULDBLOCK, SK_ECONNREFUSED /
 * SK_EHOSTUNREACH / SK_ENETUNREACH (an ICMP error an earlier datagram
 * met), or another error.  EINTR is retried inside. */
int sk__plat_recvfrom(sk_fd_t fd, void *buf, size_t len, size_t *got,
                      size_t *size, sk__addr *from, int *sys);

/* sk__plat_sendto1 / sk__plat_recvfrom1: sk__plat_sendto /
 * sk__plat_recvfrom for the hot paths (sk_sendto, sk_recvfrom), with no
 * out-parameter but the sender and no retry inside; len is 1 ..
 * SK__DGRAM1_MAX.  sk__plat_sendto1 sends buf as one datagram to `to`
 * (NULL: the peer) and returns the bytes sent (len: a datagram is never
 * cut), or -1.  sk__plat_recvfrom1 receives one datagram into buf, the
 * sender into from (may be NULL): its len and the first len bytes of sa,
 * its family left for sk__plat_from_family (len may exceed sa's size
 * until then: the system's length of a longer name); and returns the
 * datagram's length: at most len when it fit; more than len when it was
 * cut (buf holds its first len bytes, the rest is gone), SK__DGRAM_CUT
 * when the system does not tell its length; or -1 (from then undefined).
 * After a -1, sk__plat_dgram_fail, called next with no system call
 * between (it reads the OS's last error of this thread), returns what
 * sk__plat_sendto / sk__plat_recvfrom would have returned (a signal: also
 * SK_EWOULDBLOCK) and stores the OS code in *sys where they would. */
#define SK__DGRAM1_MAX ((size_t)0x3fffffff) /* 1 GiB: more than any
                                               system's datagram */
#define SK__DGRAM_CUT PTRDIFF_MAX
ptrdiff_t sk__plat_sendto1(sk_fd_t fd, const void *buf, size_t len,
                           const sk__addr *to);
ptrdiff_t sk__plat_recvfrom1(sk_fd_t fd, void *buf, size_t len,
                             sk__addr *from);
int sk__plat_dgram_fail(int *sys);
/* sk__plat_from_family: complete a sender that sk__plat_recvfrom1 named:
 * its len at most the size of sa, its family from the native struct
 * (SK__AF_UNSPEC with len 0 when the system named none, or one sockit
 * does not know). */
void sk__plat_from_family(sk__addr *from);
/* sk__plat_recvfroma: sk__plat_recvfrom1 with from required and completed
 * (as sk__plat_from_family does) when a datagram arrived (sk_recvfromaddr:
 * the caller's sk_addr). */
ptrdiff_t sk__plat_recvfroma(sk_fd_t fd, void *buf, size_t len,
                             sk__addr *from);

/* The most datagrams one sk__plat_sendmany / sk__plat_recvmany takes. */
#define SK__BATCH 64

/* sk__plat_sendmany: send d[0..n-1] (1 <= n <= SK__BATCH; the data and len
 * of each: data NULL only with len 0) in order, each as sk__plat_sendto
 * would, d[i] to to[i] (NULL: the peer), in as few system calls as the
 * system allows (Linux: one sendmmsg; elsewhere one send each).  gso (NULL:
 * never) says whether runs of datagrams of one length to one destination
 * (the same to[] pointer) may go out as one message the system cuts into
 * them (segmentation offload, Linux's UDP_SEGMENT): 0 not known yet (the
 * backend finds out when it has a run, and stores 1 or -1), 1 yes, -1 no
 * (a backend without it, or a system that refused it, stores -1); the
 * datagrams that arrive are the same either way.  *done receives how many
 * datagrams went out.  Returns 0 with *done >= 1 (a failure after the
 * first is left for the next call, which starts with that datagram), or
 * the error of d[0] (*done 0), as sk__plat_sendto. */
int sk__plat_sendmany(sk_fd_t fd, const sk_dgram *d,
                      const sk__addr *const *to, size_t n, int *gso,
                      size_t *done, int *sys);

/* sk__plat_recvmany: receive up to n datagrams (1 <= n <= SK__BATCH) into
 * d[0..n-1] (the data and len of each read: data NULL only with len 0;
 * got, size and status written for each that arrived: status 0 or
 * SK_ETRUNCATED, size as sk__plat_recvfrom's), the sender of d[i] into
 * from[i]: all 0, when d[i].from is not NULL (as sk__plat_recvfrom1 names
 * it: its family left for sk__plat_from_family); all 1, for every d[i]
 * (d[i].from not read), completed as sk__plat_from_family does.  wait 1 takes the first as
 * sk__plat_recvfrom does (a blocking socket waits for it), wait 0 never
 * waits; after the first it takes only what is there already.  *done
 * receives how many arrived.  Returns 0 with *done >= 1, or the error of
 * the first receive (*done 0), as sk__plat_recvfrom (SK_EWOULDBLOCK: none
 * there). */
int sk__plat_recvmany(sk_fd_t fd, sk_dgram *d, sk__addr *from, size_t n,
                      int all, int wait, size_t *done, int *sys);

/* For backends without a batch system call (udpeach.c): sk__plat_sendmany
 * and sk__plat_recvmany made of single datagrams, sk__plat_sendto and
 * sk__plat_recvfrom, with sk__plat_dgram_ready before each receive after
 * the first (and before the first with wait 0); such a backend's
 * sk__plat_sendmany / sk__plat_recvmany just call them. */
int sk__udp_sendeach(sk_fd_t fd, const sk_dgram *d,
                     const sk__addr *const *to, size_t n, size_t *done,
                     int *sys);
int sk__udp_recveach(sk_fd_t fd, sk_dgram *d, sk__addr *from, size_t n,
                     int all, int wait, size_t *done, int *sys);

/* sk__plat_dgram_ready: 1 when a datagram (or an error) is waiting on fd,
 * so that a receive would not block; 0 otherwise (a failed check too). */
int sk__plat_dgram_ready(sk_fd_t fd);

/* sk__plat_disconnect: drop a datagram socket's peer (POSIX: connect to
 * AF_UNSPEC; Windows: connect to an all-zero address).  Returns 0 or an
 * error. */
int sk__plat_disconnect(sk_fd_t fd, int *sys);

/* sk__plat_membership: join (join 1) or leave (join 0) the multicast group
 * (an SK__AF_INET or SK__AF_INET6 address; its port is ignored) on the
 * interface with index ifindex (0: the system's choice).  The option level
 * follows the group's family, so an IPv6 dual-stack socket may join IPv4
 * groups where the OS allows it.  Returns 0, SK_EINVAL (not a multicast
 * address, or an index the OS cannot express), SK_EADDRNOTAVAIL (no such
 * interface, or not joined), SK_EUNSUPPORTED, or another error. */
int sk__plat_membership(sk_fd_t fd, int join, const sk__addr *group,
                        int ifindex, int *sys);

/* sk__plat_membership4: sk__plat_membership for an IPv4 group (SK__AF_INET)
 * on the interface that has the IPv4 address ifaddr (SK__AF_INET; its port
 * is ignored), as IP_ADD_MEMBERSHIP's imr_interface names it.  Returns as
 * sk__plat_membership. */
int sk__plat_membership4(sk_fd_t fd, int join, const sk__addr *group,
                         const sk__addr *ifaddr, int *sys);

/* sk__plat_mcastif4: the interface outgoing IPv4 multicast uses, by its
 * IPv4 address ifaddr (IP_MULTICAST_IF with an in_addr; the any-address
 * gives the choice back to the system).  Returns 0, SK_EADDRNOTAVAIL (no
 * interface has it), SK_EUNSUPPORTED (the socket takes no IPv4 option),
 * or another error. */
int sk__plat_mcastif4(sk_fd_t fd, const sk__addr *ifaddr, int *sys);

/* sk__plat_v4mapped: the IPv4-mapped IPv6 form (::ffff:a.b.c.d, same
 * port) of an SK__AF_INET address in *out, for IPv6 dual-stack sockets.
 * Returns 0 or SK_EINVAL (not an IPv4 address). */
int sk__plat_v4mapped(const sk__addr *in, sk__addr *out);

/* ---- UNIX-domain sockets ------------------------------------------------ */
/* (path addresses.) */

/* sk__plat_unix_addr: the sockaddr_un for path into *out (family
 * SK__AF_UNIX, len the bytes used: the path and its NUL; for an abstract
 * name only the leading NUL and the name).  path "@name" is Linux's
 * abstract namespace.  Never truncates.  Returns 0; SK_EINVAL (empty path,
 * empty abstract name, or too long for sun_path: a path needs room for its
 * NUL, an abstract name may fill every byte after the leading NUL);
 * SK_EUNSUPPORTED (an '@' name where the system has no abstract names). */
int sk__plat_unix_addr(const char *path, sk__addr *out, int *sys);

/* sk__plat_unix_keep: a malloc'd copy of path (free with sk__free()) that
 * names the same file after a change of working directory (absolute where
 * the current directory can be read).  Returns 0 or SK_ENORESOURCES. */
int sk__plat_unix_keep(const char *path, char **out);

/* sk__plat_unix_remove: remove the socket file at path (a path kept by
 * sk__plat_unix_keep), ignoring errors; POSIX leaves anything that is not
 * a socket alone. */
void sk__plat_unix_remove(const char *path);

/* ---- address lookup ----------------------------------------------------- */
/* (forward and reverse lookups, the host name.) */

/* One answer of sk__plat_lookup: an address and its socket type. */
typedef struct sk__lookup_ent {
    sk__addr addr; /* SK__AF_INET or SK__AF_INET6 */
    int type;      /* SK__STREAM or SK__DGRAM */
} sk__lookup_ent;

/* A flag for sk__plat_lookup beside enum sk_lookup_flags: the service is
 * a port number in canonical decimal (AI_NUMERICSERV). */
#define SK__LOOKUP_NUMERICSERV 0x100

/* sk__plat_lookup: getaddrinfo of host (NULL allowed) and service (NULL,
 * or a name, or a port number with SK__LOOKUP_NUMERICSERV), filtered by
 * family (SK__AF_UNSPEC/INET/INET6) and type (0, SK__STREAM, SK__DGRAM),
 * with flags (enum sk_lookup_flags | SK__LOOKUP_NUMERICSERV; the caller
 * has checked every argument).  The answers come in resolver order in a
 * malloc'd *list of *count entries (free with sk__free()): only IP families,
 * only stream and datagram types (an answer without a type is listed once
 * for each).  *canon receives the malloc'd canonical name (free with
 * sk__free()) when SK_LOOKUP_CANONNAME is set and the resolver gives one, else
 * NULL.  Needs sk__plat_startup.  Returns 0 (with *count > 0),
 * SK_EHOSTNOTFOUND, SK_ENAMETEMP, SK_ENOSERVICE, SK_EFAMILY,
 * SK_ENORESOURCES, SK_EINVAL, SK_ESYSTEM. */
int sk__plat_lookup(const char *host, const char *service, int family,
                    int type, int flags, sk__lookup_ent **list,
                    size_t *count, char **canon, int *sys);

/* sk__plat_reverse: the host name of address a (getnameinfo with
 * NI_NAMEREQD: a name, never the numeric text) into name, SK_NAMESTRLEN
 * bytes, NUL-terminated.  Needs sk__plat_startup.  Returns 0,
 * SK_EHOSTNOTFOUND (no name), SK_ENAMETEMP, SK_ENORESOURCES, SK_EINVAL,
 * SK_ESYSTEM. */
int sk__plat_reverse(const sk__addr *a, char *name, int *sys);

/* sk__plat_hostname: the local host name into name, SK_NAMESTRLEN bytes,
 * NUL-terminated.  Needs sk__plat_startup.  Returns 0, SK_ENORESOURCES
 * (longer than that), or another error. */
int sk__plat_hostname(char *name, int *sys);

/* ---- sending files and gathered buffers --------------------------------- */
/* (sendfile, gathered send.) */

/* sk__plat_sendfile: one zero-copy step: send up to len (> 0) bytes of
 * file (a C runtime descriptor open for reading) from byte offset on fd,
 * without using or moving the file position; *sent receives the count,
 * also on error.  A backend whose zero-copy call never blocks (POSIX
 * sendfile on a non-blocking socket) ignores ms; one whose call is
 * asynchronous (Windows TransmitFile) waits up to ms milliseconds (-1
 * forever, 0 not at all) for the step to finish, and when the time is up
 * cancels it and reports what went out with SK_ETIMEOUT.  A backend may
 * send fewer than len bytes (Windows: segments of 64 KiB).  Returns 0 with
 * *sent > 0; 0 with *sent 0 at the end of the file (offset at or past it);
 * SK_EWOULDBLOCK (the socket is full, nothing sent: wait until writable);
 * SK_ETIMEOUT (see ms); SK_EUNSUPPORTED (no zero-copy call on this system
 * or for this file, nothing sent: read and send instead); SK_EINVAL (file
 * not open for reading, not readable at an offset, or offset past what the
 * system's file offsets hold); SK_ECLOSED; SK_ECONNRESET; another error.
 * EINTR is retried inside; never raises SIGPIPE. */
int sk__plat_sendfile(sk_fd_t fd, int file, uint64_t offset, size_t len,
                      int64_t ms, size_t *sent, int *sys);

/* sk__plat_pread: read up to len (> 0) bytes of file at offset into buf,
 * without using or moving the file position (Windows puts it back).  *got
 * receives the count: 0 at the end of the file.  Returns 0; SK_EINVAL (as
 * for sk__plat_sendfile); SK_ENORESOURCES; SK_ESYSTEM (an I/O error).
 * Never SK_EWOULDBLOCK; EINTR is retried inside. */
int sk__plat_pread(int file, void *buf, size_t len, uint64_t offset,
                   size_t *got, int *sys);

/* sk__plat_sendv: one non-blocking gathered send of iov[0..n-1], leaving
 * out the first skip bytes of iov[0] (skip < iov[0].len, or 0).  Sends as
 * many entries as the system takes in one call (empty ones are passed
 * over); *sent receives the count (0 on error).  The shared code never
 * calls it without a byte to send.  Returns as sk__plat_send. */
int sk__plat_sendv(sk_fd_t fd, const sk_iovec *iov, size_t n, size_t skip,
                   size_t *sent, int *sys);

/* ---- state queries ------------------------------------------------------ */
/* (type and state of a socket.) */

/* ---- event loop --------------------------------------------------------- */
/* (readiness pollers behind sk_loop, the wake-up channel, a mutex.) */

/* One registration of a descriptor with a poller.  The shared code (loop.c)
 * owns it and fills fd, events (SK__WAIT_READ | SK__WAIT_WRITE, never 0)
 * and ptr before add / mod; the backend keeps its own index in slot and
 * must not keep pointers into anything else of the caller's. */
typedef struct sk__pollreg {
    sk_fd_t fd;
    int events;
    void *ptr;   /* handed back in sk__pollout.ptr */
    size_t slot; /* the backend's */
} sk__pollreg;

/* One ready registration, as a poller's wait reports it.  events is
 * SK__WAIT_READ / SK__WAIT_WRITE (only those the registration asked for)
 * plus SK__WAIT_ERROR for an error or hang-up.  A backend may report one
 * registration in several entries (kqueue: one per filter). */
typedef struct sk__pollout {
    void *ptr;
    int events;
    uint32_t n; /* a completion's (SK__WAIT_RECV, SK__WAIT_SENT) */
} sk__pollout;

typedef struct sk__poller sk__poller;

/* Completions: what a poller with io (not NULL: io_uring's) does besides
 * readiness, for the connections (conn_ring.c) and servers (server.c).  A registration whose
 * events hold SK__WAIT_RECV is in completion mode: with SK__WAIT_READ too,
 * the poller receives for it into buffers of its own (no read readiness is
 * reported for it, and none while a receive it stopped is still in the
 * kernel); without, nothing is received (the registration holds its
 * sends).  Its wait then reports, besides readiness:
 * - SK__WAIT_RECV entries: n bytes received (0: the end of the stream),
 *   at io->data(p, entry), valid until the poller's next wait (the
 *   poller takes its buffers back then: the caller copies them); with
 *   SK__WAIT_ERROR the receive failed, n is the system's error code
 *   (io->code translates it).  In the order received; several per
 *   registration and wait.  The end of the stream and an error end the
 *   receiving (what a poller runs short of buffers for, it receives again
 *   once they are back, unreported);
 * - SK__WAIT_SENT entries: the send that io->send queued is over, n bytes
 *   of it sent (fewer than asked: send the rest again; 0 without
 *   SK__WAIT_ERROR: nothing went, send it again); with SK__WAIT_ERROR it
 *   failed, n the system's code.
 * io->send(p, r, buf, len, sys) queues one send of buf[0..len) (len > 0)
 * for r (registered in completion mode, no other send of it in flight),
 * submitted with the next wait (or sooner): the caller keeps buf's bytes
 * unchanged until its SK__WAIT_SENT entry.  Returns 0, or SK_ENORESOURCES
 * (not queued: send otherwise).  io->flush submits what is queued now
 * (the loop calls it when sk_loop_run returns, so that what its handlers
 * wrote is on its way even when it does not run again soon).  Removing a
 * registration (del) cancels
 * its receive and send: their entries are not reported, the send may or
 * may not have gone (the connection is being closed or reset).
 * Entries of a registration removed during the dispatch of a wait are
 * still in that wait's array: the caller skips them (but closes the
 * descriptor of an SK__WAIT_ACCEPT entry, see below).
 * Accepting: a registration of a listening stream socket whose events
 * hold SK__WAIT_ACCEPT (never with SK__WAIT_RECV) has the poller accept
 * for it while SK__WAIT_READ is set too (one multishot accept; no read
 * readiness is reported for it); without SK__WAIT_READ nothing is
 * accepted (an accept in the kernel is cancelled; what it accepted until
 * then is still reported).  Its wait then reports SK__WAIT_ACCEPT
 * entries: n is a new connection's descriptor, non-blocking and
 * close-on-exec as sk__plat_accept makes them; the caller owns it from
 * the wait on (and closes it where it skips the entry).  With
 * SK__WAIT_ERROR the accept failed, n the system's error code: then
 * nothing more is accepted for it until mod (a client that left before
 * it was accepted, a signal: not reported, the poller accepts on).
 * Removing the registration closes what was accepted for it and not
 * reported yet. */
#define SK__WAIT_RECV 8
#define SK__WAIT_SENT 16
#define SK__WAIT_ACCEPT 32
#define SK__WAIT_IO (SK__WAIT_RECV | SK__WAIT_SENT | SK__WAIT_ACCEPT)
typedef struct sk__poller_io {
    const char *(*data)(sk__poller *p, const sk__pollout *e);
    int (*send)(sk__poller *p, sk__pollreg *r, const void *buf, size_t len,
                int *sys);
    int (*code)(int sys); /* the SK_E* code of a system error code */
    void (*flush)(sk__poller *p);
} sk__poller_io;

/* A backend's methods.  add registers r (Returns 0, SK_EINVAL for a handle
 * the backend refuses or one registered twice, SK_ENORESOURCES, or another
 * error); mod changes the events of a registered r (same returns; a backend
 * whose kernel forgot a closed-and-reused descriptor registers it again);
 * del unregisters r and never fails: with stale set, r's descriptor may
 * have been closed (and its number reused) behind the loop's back, so a
 * backend that unregisters by descriptor number (epoll, kqueue; the kernel
 * dropped a closed one already) must not touch the kernel.  wait waits up
 * to ms milliseconds (-1 without limit, 0 not at all) and stores up to cap
 * (> 0) ready entries in out and their count in *n: 0 (also when nothing
 * is ready: *n 0), SK_EWOULDBLOCK (interrupted by a signal: *n 0), or an
 * error.  Level-triggered: what stays ready is reported again.  free
 * releases the poller (registrations need not be removed first).  reserve
 * (NULL for a backend whose add never needs memory) makes room for n
 * registrations at once, so that add needs no memory while no more than n
 * are registered: 0 or SK_ENORESOURCES.  The loop reserves for every
 * watch when it is made, so that watching (sk_watch_set, the connections'
 * interest changes) never fails for want of memory. */
typedef struct sk__poller_ops {
    const char *name; /* "uring", "epoll", "kqueue", "poll", "select" */
    int (*add)(sk__poller *p, sk__pollreg *r, int *sys);
    int (*mod)(sk__poller *p, sk__pollreg *r, int *sys);
    void (*del)(sk__poller *p, sk__pollreg *r, int stale);
    int (*wait)(sk__poller *p, int64_t ms, sk__pollout *out, size_t cap,
                size_t *n, int *sys);
    void (*free)(sk__poller *p);
    int (*reserve)(sk__poller *p, size_t n);
} sk__poller_ops;

/* Every backend's poller starts with this. */
struct sk__poller {
    const sk__poller_ops *ops;
    int unique; /* 1: a wait reports each registration at most once (epoll,
                   poll), so the loop may dispatch in one pass; 0 (kqueue
                   reports reading and writing apart): merged first */
    size_t most; /* the most entries one wait reports whatever its cap
                    (epoll: its batch), so that the caller's array need be
                    no larger; 0: no such limit (a wait reports what cap
                    allows) */
    const sk__poller_io *io; /* completions (see sk__poller_io), or NULL */
};

/* sk__plat_poller_new: a poller of the named backend, or for NULL the
 * best one of this system, in *out: with ready 0 for a loop (io_uring on
 * Linux where the kernel has everything its completions need; else
 * epoll), with ready 1 for readiness alone (sk_selector: epoll on Linux;
 * io_uring is not faster at that).  ready is ignored with a name.  Its
 * descriptors are close-on-exec.  Returns 0, SK_EUNSUPPORTED (not a
 * backend of this build), SK_EINVAL (not a backend name at all),
 * SK_ENORESOURCES, or another error. */
int sk__plat_poller_new(const char *name, int ready, sk__poller **out,
                        int *sys);

/* The wake-up channel: a descriptor that reads as ready while the channel
 * is signalled (POSIX: an eventfd or a pipe; Windows: a pair of connected
 * loopback UDP sockets), non-blocking and close-on-exec.  signal may be
 * called from any thread (0, or an error: a full channel is 0, it is
 * signalled already); drain (the loop's thread) empties it.  Windows
 * needs sk__plat_startup first. */
typedef struct sk__waker sk__waker;
int sk__plat_waker_new(sk__waker **out, sk_fd_t *fd, int *sys);
int sk__plat_waker_signal(sk__waker *w, int *sys);
void sk__plat_waker_drain(sk__waker *w);
void sk__plat_waker_free(sk__waker *w);

/* A mutex (pthreads / a Win32 critical section).  new returns 0 or
 * SK_ENORESOURCES; lock and unlock never fail. */
typedef struct sk__mutex sk__mutex;
int sk__plat_mutex_new(sk__mutex **out);
void sk__plat_mutex_lock(sk__mutex *m);
void sk__plat_mutex_unlock(sk__mutex *m);
void sk__plat_mutex_free(sk__mutex *m);

/* ---- event-driven connections ----------------------------------------- */
/* (worker threads for host lookups.) */

/* sk__plat_thread_start: run fn(arg) on a new detached thread (pthreads,
 * Win32 threads) that ends when fn returns; nothing waits for it.  On
 * POSIX it starts with every signal blocked, so that signals keep going
 * to the application's threads.  Returns 0, SK_ENORESOURCES (no thread
 * could be made: fn will not run), or another error. */
typedef void (*sk__thread_fn)(void *arg);
int sk__plat_thread_start(sk__thread_fn fn, void *arg, int *sys);

#endif /* SK_PLAT_H */
