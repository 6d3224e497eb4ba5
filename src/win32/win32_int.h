/* SPDX-License-Identifier: MIT */
/*
 * win32_int.h - private to src/win32/: the Winsock headers, included the
 * same way by every backend file, and the helpers those files share (the
 * error table in errors.c, the SOCKET <-> sk_fd_t conversion).  Include it
 * only after plat.h and only inside #if SK_OS_WIN32.
 */
#ifndef SK_WIN32_INT_H
#define SK_WIN32_INT_H

#include "../plat.h"

#if SK_OS_WIN32

/* inet_ntop, getaddrinfo's full set of flags and IPV6_V6ONLY need Vista's
 * declarations; a plain compiler line (no CMake flags) must still work, so
 * raise the target here when the toolchain's default is older. */
#if !defined(_WIN32_WINNT) || _WIN32_WINNT < 0x0600
#  undef _WIN32_WINNT
#  define _WIN32_WINNT 0x0600
#endif
#ifndef WIN32_LEAN_AND_MEAN
#  define WIN32_LEAN_AND_MEAN
#endif

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

/* sk_fd_t is uintptr_t, SOCKET is UINT_PTR: the same width, so the value
 * round-trips; SK_FD_INVALID and INVALID_SOCKET are both all ones. */
#define SK__SOCK(fd) ((SOCKET)(fd))
#define SK__FD(sock) ((sk_fd_t)(sock))

/* sk__win_code: the SK_E* code for a WSA*, ERROR_* or EAI_* value (0 gives
 * 0; anything not in the table gives SK_ESYSTEM). */
int sk__win_code(int oscode);

/* sk__win_family: the SK__AF_* family of a native one (SK__AF_UNSPEC when
 * sockit has no name for it). */
int sk__win_family(int af);

/* unix.c: the UNIX-domain parts of the shared calls.  sk__win_unix_name is
 * sk__plat_addrname for a UNIX address.  sk__win_unix_unnamed fills *a
 * with an unnamed UNIX address and returns 1 when s is a UNIX-domain
 * socket, else returns 0.  sk__win_unix_bind_fail refines a failed bind's
 * WSA code err (a missing directory is SK_EHOSTNOTFOUND, as on POSIX);
 * sk__win_unix_connect_check returns SK_EHOSTNOTFOUND before a connect
 * to a path that names nothing, else 0. */
int sk__win_unix_name(const sk__addr *a, sk_name *out);
int sk__win_unix_unnamed(SOCKET s, sk__addr *a);
int sk__win_unix_bind_fail(const sk__addr *a, int err, int *sys);
int sk__win_unix_connect_check(const sk__addr *a, int *sys);

/* sk__win_fail: store oscode in *sys (when sys is not NULL) and return its
 * SK_E* code: the one way a backend function reports an OS failure. */
int sk__win_fail(int oscode, int *sys);

/* sk__win_send_fail (io.c): a failed send as the contract wants it: a
 * reset or abort is "peer gone", SK_ECLOSED, as POSIX's EPIPE; anything
 * else through sk__win_fail. */
int sk__win_send_fail(int err, int *sys);

/* udp.c: turn off the ICMP resets (SIO_UDP_CONNRESET, SIO_UDP_NETRESET) of
 * a new datagram socket, best effort. */
void sk__win_udp_prepare(SOCKET s);

/* udp.c: the datagram options (broadcast, multicast TTL / loop /
 * interface) that options.c hands over: 1 when option is one of them; then
 * set / get it in sockit's conventions. */
int sk__win_dgram_option(int option);
int sk__win_dgram_setopt(sk_fd_t fd, int option, int value, int *sys);
int sk__win_dgram_getopt(sk_fd_t fd, int option, int *value, int *sys);

#endif /* SK_OS_WIN32 */

#endif /* SK_WIN32_INT_H */
