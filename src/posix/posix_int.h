/* SPDX-License-Identifier: MIT */
/*
 * posix_int.h - what the POSIX backend's files share: feature macros (they
 * must come before any system header), system includes, capability macros
 * and the errno translation.  Empty on Windows.
 */
#ifndef SK_POSIX_INT_H
#define SK_POSIX_INT_H

#if !defined(_WIN32)
#  if defined(__linux__) && !defined(_GNU_SOURCE)
#    define _GNU_SOURCE 1 /* accept4, SOCK_CLOEXEC, TCP_* options */
#  endif
#  if defined(__APPLE__) && !defined(_DARWIN_C_SOURCE)
#    define _DARWIN_C_SOURCE 1
#  endif
/* A 64-bit off_t on 32-bit glibc (i386, arm): without it sendfile and pread
 * take 32-bit offsets and a file's bytes from 2 GiB on cannot be sent.
 * Systems whose off_t is always 64 bits (musl, the BSDs, macOS) ignore
 * it.  Only this backend's files see off_t; the shared code passes
 * uint64_t offsets, checked against off_t in posix_sendfile.c. */
#  if !defined(_FILE_OFFSET_BITS)
#    define _FILE_OFFSET_BITS 64
#  endif
#endif

#include "../plat.h"

#if SK_OS_POSIX
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* Capabilities, not OS names, decide the code paths. */
#if defined(SOCK_CLOEXEC) && defined(SOCK_NONBLOCK)
#  define SK_HAVE_SOCK_FLAGS 1
#endif
#if defined(__linux__) || defined(__FreeBSD__) || defined(__NetBSD__) || \
    defined(__OpenBSD__) || defined(__DragonFly__)
#  define SK_HAVE_ACCEPT4 1
#endif
/* poll reports a failed connect as POLLERR (Linux's tcp_poll does for any
 * pending socket error), so a writable socket without POLLERR / POLLHUP is
 * connected and SO_ERROR need not be read.  BSD's sopoll does not promise
 * that, so elsewhere SO_ERROR is always read. */
#if defined(__linux__)
#  define SK_POLL_SHOWS_CONNECT_ERRORS 1
#endif
#if defined(MSG_NOSIGNAL)
#  define SK_SEND_FLAGS MSG_NOSIGNAL
#else
#  define SK_SEND_FLAGS 0
#endif

/* Translate errno (or an EAI_* code, with sk__posix_eai) to SK_E*. */
int sk__posix_err(int e);
int sk__posix_eai(int e);

/* Store errno in *sys and return its SK_E* code. */
int sk__posix_fail(int *sys);

/* io.c: sk__plat_wait that also gives the SK__WAIT_* results. */
int sk__posix_wait(int fd, int events, int64_t ms, int *revents, int *sys);

/* The SK__AF_* family of a native one (SK__AF_UNSPEC when sockit has no
 * name for it). */
int sk__posix_family(int af);

/* unix.c: sk__plat_addrname for a UNIX-domain address. */
int sk__posix_unix_name(const sk__addr *a, sk_name *out);

/* Make fd SIGPIPE-free (where the OS needs a per-socket flag for that)
 * and, unless flags_done (SOCK_CLOEXEC and SOCK_NONBLOCK-or-not were given
 * at creation), close-on-exec and blocking or non-blocking. */
int sk__posix_prepare(int fd, int flags_done, int blocking, int *sys);

/* udp.c: the datagram options (broadcast, multicast TTL / loop / interface)
 * that options.c hands over: 1 when option is one of them; then set / get
 * it in sockit's conventions. */
int sk__posix_dgram_option(int option);
int sk__posix_dgram_setopt(int fd, int option, int value, int *sys);
int sk__posix_dgram_getopt(int fd, int option, int *value, int *sys);

/* ---- event loop ---- */
/* Readiness backends (poll_*.c), chosen by poller.c; eventfd or a pipe for
 * the wake-up channel (wake.c). */
#if defined(__linux__)
#  define SK_HAVE_EPOLL 1
#  define SK_HAVE_EVENTFD 1
#endif
#if defined(__APPLE__) || defined(__FreeBSD__) || defined(__NetBSD__) || \
    defined(__OpenBSD__) || defined(__DragonFly__)
#  define SK_HAVE_KQUEUE 1
#endif
#if defined(__linux__) || defined(__FreeBSD__) || defined(__NetBSD__) || \
    defined(__OpenBSD__) || defined(__DragonFly__)
#  define SK_HAVE_PIPE2 1
#endif
/* io_uring (poll_uring.c): Linux, unless the build says otherwise
 * (SOCKIT_NO_IO_URING, CMake's SOCKIT_IO_URING=OFF), the C library's
 * headers lack its system-call numbers, or the compiler lacks the
 * __atomic built-ins the rings are read with (GCC 4.7+ and clang have
 * them; tcc has not).  The kernel decides at run time. */
#if defined(__linux__) && !defined(SOCKIT_NO_IO_URING) && \
    defined(__ATOMIC_ACQUIRE)
#  include <sys/syscall.h>
#  if defined(__NR_io_uring_setup) && defined(__NR_io_uring_enter) && \
      defined(__NR_io_uring_register)
#    define SK_HAVE_IO_URING 1
#  endif
#endif
#if defined(SOCKIT_IO_URING_REQUIRED) && !defined(SK_HAVE_IO_URING)
#  error "SOCKIT_IO_URING=ON, but this system's headers have no io_uring system calls"
#endif
int sk__posix_uring_new(sk__poller **out, int *sys);
/* A uring poller only when it has what the loop's default needs
 * (completions, deferred task work, incremental buffer rings: 6.12), else
 * SK_EUNSUPPORTED (nothing kept). */
int sk__posix_uring_best(sk__poller **out, int *sys);
int sk__posix_epoll_new(sk__poller **out, int *sys);
int sk__posix_kqueue_new(sk__poller **out, int *sys);
int sk__posix_poll_new(sk__poller **out, int *sys);
/* ms (-1: no limit) as the int a poll-like call takes. */
int sk__posix_wait_ms(int64_t ms);
#endif

#endif /* SK_POSIX_INT_H */
