/* SPDX-License-Identifier: MIT */
/**
 * @file sockit.h
 * sockit.h - the one public header of sockit, a portable socket library.
 *
 * TCP objects follow LuaSocket's model: a *master* becomes a *server*
 * (sk_bind + sk_listen) or a *client* (sk_connect); sk_accept on a server
 * makes new clients.  Every call returns 0 on success or a negative SK_E*
 * code; byte counts come back through out-parameters so that partial
 * progress is never lost.  This header includes only standard C headers.
 *
 * Versions (README, "Versions"): MAJOR.MINOR.PATCH.  While the version is
 * 0.x a 0.MINOR release may change the API or ABI incompatibly (each such
 * change is in CHANGELOG.md with its migration); a PATCH release never
 * does.  From 1.0, only a MAJOR release may.  The shared library's SONAME
 * changes with every release that may be incompatible: libsockit.so.0.MINOR
 * while 0.x, libsockit.so.MAJOR from 1.0.  The CMake package accepts the
 * same 0.MINOR while 0.x (SameMinorVersion), the same MAJOR from 1.0.
 *
 * Threads: docs/thread-safety.md says exactly what is safe.  In short:
 * each object is used by one thread at a time, except that one thread may
 * send (sk_send, sk_write, sk_sendv, sk_shutdown(SK_SHUT_SEND)) while
 * another receives (sk_receive, sk_read, sk_readn, sk_receiveline) on the
 * same connected client (not over TLS: a TLS client is used by one thread
 * at a time), sk_loop_wake / sk_loop_post may be called from any thread,
 * and a TLS context, once set up, may be shared by objects on any threads.
 */
/**
 * @defgroup versions Versions and building
 * The version macros and the export macro (README: "Versions", "Using it in
 * your project").
 *
 * @defgroup errors Errors
 * One table of SK_E* codes for every call; sk_strerror, sk_errname,
 * sk_syserror (README: "Usage").
 *
 * @defgroup model The model: LuaSocket's TCP objects
 * Masters, clients and servers; receive patterns; timeouts; options;
 * select (README: "The model (LuaSocket's TCP objects)").
 *
 * @defgroup objects Objects and roles
 * @ingroup model
 * Creating objects, binding, listening, connecting and accepting.
 *
 * @defgroup sending Sending
 * @ingroup model
 * Sending with LuaSocket's slice rules (sk_send).
 *
 * @defgroup receiving Receiving
 * @ingroup model
 * Patterns, the prefix, sk_read, sk_receiveline and the line limit.
 *
 * @defgroup timeouts Timeouts
 * @ingroup model
 * Block and total timeouts on a monotonic clock.
 *
 * @defgroup options Options
 * @ingroup model
 * Options by enum and by LuaSocket name.
 *
 * @defgroup names Names, shutdown, handles and statistics
 * @ingroup model
 * Addresses of both ends, shutdown, the native handle, byte counts.
 *
 * @defgroup clocks Clocks and sleeping
 * @ingroup model
 * LuaSocket's gettime and sleep, and the monotonic clock of the timeouts.
 *
 * @defgroup select Readiness: sk_select and sk_selector
 * @ingroup model
 * Waiting for many objects: sk_select, and sk_selector, its set kept
 * between calls.
 *
 * @defgroup beyond Beyond TCP
 * UDP, UNIX-domain sockets, address lookup, files and gathered buffers,
 * state and blocking mode (README: "Beyond TCP").
 *
 * @defgroup udp UDP
 * @ingroup beyond
 * Datagram objects, peers, sk_sendto / sk_recvfrom, multicast.
 *
 * @defgroup unix UNIX-domain sockets
 * @ingroup beyond
 * Stream and datagram objects on paths and abstract names.
 *
 * @defgroup lookup Address lookup
 * @ingroup beyond
 * Forward and reverse lookups, the local host name.
 *
 * @defgroup files Files and gathered buffers
 * @ingroup beyond
 * Sending a file (sk_sendfile) and gathered buffers (sk_sendv).
 *
 * @defgroup state State and blocking mode
 * @ingroup beyond
 * The state of an object (sk_getstate), non-blocking mode (sk_setblocking),
 * options by nixio's level and name.
 *
 * @defgroup loop Event loop
 * The loop (sk_loop): readiness of sk_socks, timers, posting from other
 * threads (README: "Event loop").
 *
 * @defgroup conn Event-driven connections
 * Connections (sk_conn) and listeners (sk_server) with TcpSocket's states
 * and handlers on an sk_loop (README: "Event-driven connections").
 *
 * @defgroup tls TLS
 * TLS on stream clients, in LuaSec's model (README: "TLS"): make a context
 * (sk_tls_ctx) from settings, start TLS on a connected client (the
 * handshake runs under the object's timeouts) or put a server context on
 * a listener so that the clients sk_accept makes speak TLS; then every
 * receive, send, select and selector call works as before, on the
 * decrypted bytes.  Built with a provider (CMake's SOCKIT_TLS: OpenSSL on
 * POSIX, SChannel on Windows); without one every call answers
 * SK_EUNSUPPORTED and sk_tls_provider returns NULL.  SChannel (README:
 * "TLS"): sockit validates the peer itself (the chain against the
 * context's trust, then the SSL policy with the host name), so the codes
 * are the same as with OpenSSL; keys load from PEM as PKCS#1 RSA
 * (CryptoAPI) or PKCS#8 RSA/EC (CNG); TLS 1.3 needs Windows 11 or Server
 * 2022; a CA directory is read file by file (no hashed names needed).
 *
 * Over TLS: sk_getstats counts decrypted bytes (what the caller sent and
 * received), not the records on the wire; sk_dirty and sk_select count
 * decrypted bytes the TLS library holds as buffered; sk_shutdown with
 * SK_SHUT_SEND or SK_SHUT_BOTH sends TLS's close_notify first, and
 * sk_close sends it (one try, never waiting) when the handshake had
 * completed.  The peer's close_notify ends the stream as SK_ECLOSED; a
 * peer that closes the connection without it gives SK_ETLSNOCLOSE, never a
 * clean end (data may have been cut off).  After a send returned
 * SK_EWOULDBLOCK or SK_ETIMEOUT with part of the data unsent, the next
 * send must start with the bytes that were not sent (the TLS library may
 * have encrypted some of them already), as LuaSocket's retry from *last
 * does.  A fatal TLS error (handshake, verification, protocol,
 * SK_ETLSNOCLOSE) is final: every later receive or send returns the same
 * code.  A socket that polls readable may hold no application data (a
 * session ticket, part of a record): after sk_select or a poll of
 * sk_getfd, read in non-blocking mode (or with a timeout) and take
 * SK_EWOULDBLOCK as "not yet".  A TLS client is used by one thread at a
 * time: the exception for one sender and one receiver does not hold over
 * TLS (the TLS library's session is one state).
 */

#ifndef SOCKIT_H
#define SOCKIT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @addtogroup versions
 * @{ */
/* ---- export macro ----------------------------------------------------- */
/** Empty for static builds and source drops.  The CMake shared build defines
 * SOCKIT_BUILDING_SHARED while compiling sockit and SOCKIT_SHARED for its
 * users. */
#if defined(SOCKIT_BUILDING_SHARED)
#  if defined(_WIN32)
#    define SK_API __declspec(dllexport)
#  else
#    define SK_API __attribute__((visibility("default")))
#  endif
#elif defined(SOCKIT_SHARED) && defined(_WIN32)
#  define SK_API __declspec(dllimport)
#else
#  define SK_API
#endif

#define SOCKIT_VERSION_MAJOR 0 /**< incompatible changes (from 1.0) */
#define SOCKIT_VERSION_MINOR 10 /**< additions; while 0.x also incompatible
                                  changes */
#define SOCKIT_VERSION_PATCH 0 /**< fixes only, never incompatible */
#define SOCKIT_VERSION "0.10.0" /**< the three as a string */

/** @} */

/** @addtogroup names
 * @{ */
/* ---- native handle ---------------------------------------------------- */
/** int on POSIX; on Windows the value of a SOCKET (UINT_PTR), kept in an
 * integer this wide so that this header needs no windows.h. */
#if defined(_WIN32)
typedef uintptr_t sk_fd_t;
#  define SK_FD_INVALID (~(sk_fd_t)0) /**< no handle (INVALID_SOCKET) */
#else
typedef int sk_fd_t;
#  define SK_FD_INVALID (-1) /**< no handle */
#endif

/** @} */

/** @addtogroup errors
 * @{ */
/* ---- errors ----------------------------------------------------------- */
/** One table: code, value, message.  Messages are LuaSocket's words where
 * LuaSocket has them.  The same situation gives the same code on every
 * backend; the raw errno / WSA code stays available via sk_syserror(). */
#define SK_ERRORS(X)                                                        \
    X(SK_ECLOSED,        -1, "closed")                                      \
    X(SK_ETIMEOUT,       -2, "timeout")                                     \
    X(SK_ECONNREFUSED,   -3, "connection refused")                          \
    X(SK_ECONNRESET,     -4, "connection reset by peer")                    \
    X(SK_EHOSTNOTFOUND,  -5, "host not found")                              \
    X(SK_EADDRINUSE,     -6, "address already in use")                      \
    X(SK_EADDRNOTAVAIL,  -7, "address not available")                       \
    X(SK_ENETUNREACH,    -8, "network unreachable")                         \
    X(SK_EHOSTUNREACH,   -9, "host unreachable")                            \
    X(SK_EWRONGROLE,    -10, "wrong role")                                  \
    X(SK_EINVAL,        -11, "invalid argument")                            \
    X(SK_EUNSUPPORTED,  -12, "unsupported")                                 \
    X(SK_ENORESOURCES,  -13, "out of resources")                            \
    X(SK_EWOULDBLOCK,   -14, "would block")                                 \
    X(SK_EINPROGRESS,   -15, "operation in progress")                       \
    X(SK_ETOOLONG,      -16, "line too long")                               \
    X(SK_EACCESS,       -17, "permission denied")                           \
    X(SK_EFAMILY,       -18, "address family not supported")                \
    X(SK_EISCONN,       -19, "already connected")                           \
    X(SK_ENOTCONN,      -20, "not connected")                               \
    X(SK_ENAMETEMP,     -21, "temporary failure in name resolution")        \
    X(SK_ESYSTEM,       -22, "system error")                              \
    X(SK_EMSGSIZE,      -23, "datagram too large")                        \
    X(SK_ETRUNCATED,    -24, "datagram truncated")                        \
    X(SK_ENOSERVICE,    -25, "service not found")                         \
    X(SK_ETLSHANDSHAKE, -26, "TLS handshake failed")                      \
    X(SK_ETLSEXPIRED,   -27, "certificate expired or not yet valid")      \
    X(SK_ETLSHOSTNAME,  -28, "certificate does not match the host")       \
    X(SK_ETLSUNTRUSTED, -29, "certificate issuer unknown")                \
    X(SK_ETLSSELFSIGNED, -30, "self-signed certificate")                  \
    X(SK_ETLSCERT,      -31, "certificate verification failed")           \
    X(SK_ETLSPROTOCOL,  -32, "TLS protocol error")                        \
    X(SK_ETLSNOCLOSE,   -33, "closed without TLS close_notify")           \
    X(SK_ETLSBADCERT,   -34, "unusable certificate, key or trust store")

/** The error codes: SK_OK and the SK_ERRORS table. */
enum sk_error {
    SK_OK = 0, /**< success */
#define SK__ERRENUM(name, value, text) name = value,
    SK_ERRORS(SK__ERRENUM)
#undef SK__ERRENUM
    SK_ERROR_MIN = -34 /**< the lowest code in the table */
};

/** sk_strerror: a static, human-readable message for code (0 gives "ok");
 * "unknown error" for a value outside the table.  Never NULL.
 * @param[in] code an SK_E* code (or SK_OK)
 * @return the message: a static string, never NULL
 */
SK_API const char *sk_strerror(int code);

/** sk_errname: the code's symbolic name ("SK_ETIMEOUT", "SK_OK"), or
 * "SK_EUNKNOWN" for a value outside the table.  Never NULL.
 * @param[in] code an SK_E* code (or SK_OK)
 * @return the name: a static string, never NULL
 */
SK_API const char *sk_errname(int code);

/** @} */

/** @addtogroup objects
 * @{ */
/* ---- objects ---------------------------------------------------------- */
typedef struct sk_sock sk_sock; /**< opaque socket object: a TCP (or UNIX
                                   stream) master, client or server, or a
                                   datagram object */
typedef struct sk_tls_ctx sk_tls_ctx; /**< opaque TLS context (settings,
                                         trust, certificate): see TLS */

/** What an object is, LuaSocket's classes (sk_role returns it). */
enum sk_role {
    SK_ROLE_MASTER = 0, /**< fresh object: may bind, listen, connect */
    SK_ROLE_CLIENT = 1, /**< connected (or connecting) stream */
    SK_ROLE_SERVER = 2, /**< listening socket */
    SK_ROLE_CLOSED = 3, /**< after sk_close: only sk_close/sk_free allowed
                           (and the queries that say so: sk_lastrole
                           names the role it had) */
    SK_ROLE_UNCONNECTED = 4, /**< datagram object without a fixed peer */
    SK_ROLE_CONNECTED = 5 /**< datagram object with a fixed peer */
};

/** Address families, as lookups filter them and sk_getstate reports them. */
enum sk_family {
    SK_AF_UNSPEC = 0, /**< any family (a lookup filter) */
    SK_AF_UNIX = 1,   /**< UNIX-domain: a path or, on Linux, an abstract name */
    SK_AF_INET = 4,   /**< IPv4 */
    SK_AF_INET6 = 6   /**< IPv6 */
};

/** Socket types. */
enum sk_socktype {
    SK_STREAM = 1, /**< a byte stream (TCP, UNIX stream) */
    SK_DGRAM = 2   /**< datagrams (UDP, UNIX datagram) */
};

/** sk_tcp4: create an IPv4 TCP master in *out.  @return 0, SK_EINVAL (out is
 * NULL), SK_ENORESOURCES (no memory or descriptors) or SK_EFAMILY.  The
 * caller owns *out and releases it with sk_free.
 * @param[out] out receives the new object, owned by the caller
 */
SK_API int sk_tcp4(sk_sock **out);

/** sk_tcp6: like sk_tcp4 for IPv6, with ipv6-v6only on (IPv4 peers are not
 * accepted and IPv4 addresses are not tried).
 * @param[out] out receives the new object, owned by the caller
 * @return as sk_tcp4
 */
SK_API int sk_tcp6(sk_sock **out);

/** sk_tcp: create a dual-stack TCP master.  No socket exists until sk_bind or
 * sk_connect: binding "*" makes one IPv6 socket with v6only off that also
 * takes IPv4 clients (an IPv4 socket where the host has no IPv6); binding a
 * name or connecting tries its IPv6 and IPv4 addresses in resolver order.
 * Options set before then are remembered and applied when the socket is
 * made.  Where the system refuses to turn v6only off (OpenBSD has no
 * IPv4-mapped addresses), the IPv6 socket stays IPv6-only instead of
 * failing: binding "*" then takes IPv6 clients only (bind a second object
 * made by sk_tcp4 to "*" for IPv4 ones), and ipv6-v6only reads 1.
 * @return as sk_tcp4.
 * @param[out] out receives the new object, owned by the caller
 */
SK_API int sk_tcp(sk_sock **out);

/** sk_close: close the object's socket (idempotent; 0 every time on a valid
 * pointer, SK_EINVAL for NULL).  The object stays allocated in the
 * SK_ROLE_CLOSED role, where every other call returns SK_ECLOSED.
 * @param[in] s the object
 * @return 0 (every time, on a valid pointer); SK_EINVAL for NULL
 */
SK_API int sk_close(sk_sock *s);

/** sk_free: close (if needed) and release the object.  NULL is a no-op.
 * @param[in] s the object, or NULL
 */
SK_API void sk_free(sk_sock *s);

/** sk_role: the object's role (enum sk_role), or SK_EINVAL for NULL.
 * @param[in] s the object
 * @return the role (enum sk_role), or SK_EINVAL for NULL
 */
SK_API int sk_role(const sk_sock *s);

/** sk_lastrole: the role the object had before sk_close (SK_ROLE_MASTER,
 * SK_ROLE_CLIENT, SK_ROLE_SERVER, SK_ROLE_UNCONNECTED or
 * SK_ROLE_CONNECTED) when it is closed, its current role (as sk_role)
 * when it is not: what a binding's tostring names after a close.
 * @param s  the object (closed or not)
 * @return the enum sk_role value (never SK_ROLE_CLOSED); SK_EINVAL for a
 *         NULL s. */
SK_API int sk_lastrole(const sk_sock *s);

/** sk_setuserdata: attach the caller's pointer to the object (libuv's
 * handle->data, hiredis's privdata): sockit never reads it, and it stays
 * across every call, sk_close included, until sk_free or the next
 * sk_setuserdata.  Objects start with NULL; a client made by sk_accept
 * starts with NULL too.  With sk_getuserdata it maps what sk_select,
 * sk_selector_wait or a watch hands back to the caller's own state
 * without a table of the caller's.
 * @param s     the object (closed or not)
 * @param data  any pointer, NULL included
 * @return 0; SK_EINVAL (s NULL). */
SK_API int sk_setuserdata(sk_sock *s, void *data);

/** sk_getuserdata: the pointer last given to sk_setuserdata for s.
 * @param s  the object (closed or not)
 * @return that pointer; NULL when none was set, and for a NULL s. */
SK_API void *sk_getuserdata(const sk_sock *s);

/** sk_syserror: the raw OS code (errno, WSA or resolver code) behind the
 * object's last failed call, 0 if none; for debugging only.  0 for NULL.
 * @param[in] s the object
 * @return the OS code, or 0 when there is none (and for NULL)
 */
SK_API int sk_syserror(const sk_sock *s);

/* ---- master ----------------------------------------------------------- */

/** sk_bind: bind a master (or a datagram object) to host and port.  host
 * "*" is any address (see sk_sock for dual-stack), otherwise a numeric
 * address or a name whose addresses are tried in order; port 0 lets the
 * system pick (read it back with sk_getsockname).  @return 0; SK_EINVAL
 * (NULL/empty/over-long host, port outside 0..65535); SK_EWRONGROLE (not a
 * master or a datagram object without a peer, or already bound);
 * SK_ECLOSED (a closed object); SK_EHOSTNOTFOUND (no such host; for a
 * UNIX-domain path, a directory that does not exist); SK_ENAMETEMP (the
 * resolver failed for now); SK_EFAMILY (a family the system lacks);
 * SK_EADDRINUSE; SK_EADDRNOTAVAIL (not an address of this host);
 * SK_EACCESS (a privileged port, or no permission for the path);
 * SK_EUNSUPPORTED (an abstract UNIX name outside Linux);
 * SK_ENORESOURCES (no memory or descriptors); SK_ESYSTEM (any other failure
 * the system reports: sk_syserror has its code).
 * @param[in] s a master, or a datagram object without a peer, not bound yet
 * @param[in] host "*" for any address, a numeric address or a name
 * @param[in] port 0..65535; 0 lets the system pick
 */
SK_API int sk_bind(sk_sock *s, const char *host, int port);

/** sk_listen: turn a bound master into a server with the given backlog (0
 * and negative values are passed as 0: the system's minimum).  An unbound
 * master is bound to "*" port 0 first (the system's behaviour made
 * explicit).  @return 0; SK_EINVAL (NULL, or an unbound UNIX-domain
 * master); SK_EWRONGROLE (not a master); SK_ECLOSED (a closed object);
 * the errors of sk_bind (an unbound master); SK_EADDRINUSE (the port was
 * taken meanwhile); SK_EUNSUPPORTED (the socket cannot listen);
 * SK_ENORESOURCES; SK_ESYSTEM (any other failure the system reports:
 * sk_syserror has its code).
 * @param[in] s a master
 * @param[in] backlog the length of the queue of pending connections (0 and
 *                    below: the system's minimum)
 */
SK_API int sk_listen(sk_sock *s, int backlog);

/** sk_connect: connect a master to host:port (port 1..65535), trying every
 * resolved address in order until one succeeds.  The timeout (the sooner of
 * block and total) covers all attempts together.  On success the object is
 * a client.  On SK_ETIMEOUT the object is a client whose connection may
 * still complete: sk_select it for sending, or close it.  On any other error
 * it stays a master, unchanged, and the error is the last address's.
 * @return 0; SK_EINVAL (NULL, empty, "*" or over-long host, port out of
 * range; for a UNIX-domain object an invalid path or a port other than 0);
 * SK_EWRONGROLE; SK_EHOSTNOTFOUND; SK_ETIMEOUT;
 * SK_ECONNREFUSED; SK_ENETUNREACH; SK_EHOSTUNREACH; SK_ECLOSED (a closed
 * object); SK_ENAMETEMP (the resolver failed for now); SK_EFAMILY (a
 * family the system lacks); SK_ECONNRESET (reset while connecting);
 * SK_EADDRNOTAVAIL (no local address or port left for it); SK_EACCESS
 * (refused by the system, e.g. a firewall rule); SK_EUNSUPPORTED (an
 * abstract UNIX name outside Linux); SK_ENORESOURCES (no memory or
 * descriptors); SK_ESYSTEM (any other failure the system reports:
 * sk_syserror has its code).  In non-blocking mode (sk_setblocking)
 * SK_EINPROGRESS: a client whose connect is pending, as after SK_ETIMEOUT.
 * @param[in] s a master
 * @param[in] host a numeric address or a name (every address is tried); for
 *                 sk_unix a path
 * @param[in] port 1..65535 (0 for sk_unix)
 */
SK_API int sk_connect(sk_sock *s, const char *host, int port);

/* ---- server ----------------------------------------------------------- */

/** Room for the longest address text, with its NUL: a numeric IP address
 * or a UNIX-domain path (abstract names shown with a leading '@'). */
#define SK_ADDRSTRLEN 128
/** Address of one end of a connection. */
typedef struct sk_name {
    char addr[SK_ADDRSTRLEN]; /**< numeric address, "127.0.0.1" or "::1";
                                 IPv4-mapped IPv6 addresses are shown as
                                 IPv4 with family "inet"; for family
                                 "unix" the path (see sk_unix) */
    int port; /**< 0..65535 */
    char family[8]; /**< "inet", "inet6" or "unix" */
} sk_name;

/** sk_accept: wait (within the timeout) for a connection on a server and
 * return it as a new client in *client, owned by the caller (sk_free it).
 * peer, when not NULL, receives the client's address.  A client that
 * vanished before the accept is skipped, never blocking past the timeout.
 * The new client inherits the server's timeouts, blocking mode and line
 * limit.  Its object is made before the connection is taken from the
 * system, so SK_ENORESOURCES leaves the connection queued.
 * @return 0; SK_EINVAL; SK_EWRONGROLE; SK_ETIMEOUT; SK_ENORESOURCES;
 * SK_EWOULDBLOCK (non-blocking mode, nothing pending).
 * @param[in] s a server
 * @param[out] client receives the new client, owned by the caller
 * @param[out] peer receives the client's address; may be NULL
 */
SK_API int sk_accept(sk_sock *s, sk_sock **client, sk_name *peer);

/** @} */

/** @addtogroup sending
 * @{ */
/* ---- client: sending --------------------------------------------------- */

/** sk_send: send the slice [i, j] of data (len bytes) with LuaSocket's
 * string.sub rules: positions count from 1, negative ones from the end (-1
 * is the last byte), i below 1 means 1, j past len means len; (1, -1) is the
 * whole buffer.  *last (may be NULL) receives the position of the last byte
 * sent, i-1 when none, also on error: resume at *last + 1.  An empty slice
 * sends nothing and returns 0.  Never raises SIGPIPE.  @return 0; SK_EINVAL
 * (NULL object, NULL data with len > 0); SK_EWRONGROLE; SK_ECLOSED (peer
 * gone or sending shut down); SK_ECONNRESET; SK_ETIMEOUT; SK_EWOULDBLOCK
 * (non-blocking mode: no room, or the connection still pending). Over TLS (sk_tls_start, sk_tls_listen) also: SK_ETLSHANDSHAKE,
 * SK_ETLSEXPIRED, SK_ETLSHOSTNAME, SK_ETLSUNTRUSTED, SK_ETLSSELFSIGNED,
 * SK_ETLSCERT (the handshake this call completed failed); SK_ETLSPROTOCOL,
 * SK_ETLSNOCLOSE (the session failed; every later call returns it).
 * @param[in] s a client
 * @param[in] data the buffer the slice is taken from
 * @param[in] len the length of data in bytes
 * @param[in] i the slice's first position (1-based; negative: from the end)
 * @param[in] j the slice's last position (-1: the last byte)
 * @param[out] last receives the position of the last byte sent (i-1 when
 *                  none), also on error; may be NULL
 */
SK_API int sk_send(sk_sock *s, const void *data, size_t len,
                   ptrdiff_t i, ptrdiff_t j, ptrdiff_t *last);

/** sk_write: send the len bytes at data, all of them, waiting within the
 * timeouts for room (the plain form of sk_send, mirroring sk_read: no
 * slice positions).  Never raises SIGPIPE.
 * @param s     a client
 * @param data  the bytes; may be NULL when len is 0
 * @param len   how many (0 returns 0 at once)
 * @param sent  (may be NULL) receives the bytes sent, also on error:
 *              resume at data + *sent
 * @return 0 (every byte sent); SK_EINVAL (s NULL, data NULL with len > 0);
 *         SK_EWRONGROLE (not a client); SK_ECLOSED (a closed object, the
 *         peer gone or sending shut down); SK_ECONNRESET; SK_ETIMEOUT;
 *         SK_EWOULDBLOCK (non-blocking mode: no room, or the connection
 *         still pending; *sent says how far it got).  Over TLS also the
 *         codes sk_send lists for it. */
SK_API int sk_write(sk_sock *s, const void *data, size_t len, size_t *sent);

/** @} */

/** @addtogroup receiving
 * @{ */
/* ---- client: receiving ------------------------------------------------- */

/** A caller-owned growable byte buffer.  Start from SK_BUF_INIT ({NULL, 0,
 * 0}) or your own malloc'd block of cap bytes; sk_receive appends to it
 * with realloc (what it holds is LuaSocket's prefix, kept), and leaves
 * data[len] a NUL byte, not counted in len.  Empty it with sk_buf_reset
 * before each receive that should start afresh; release it with
 * sk_buf_free or free(data).  A line loop:
 * @code
 * sk_buf line = SK_BUF_INIT;
 * while (sk_receive(c, &line, SK_LINE, 0) == 0) {
 *     handle(line.data, line.len); // a C string: line.data[line.len] == 0
 *     sk_buf_reset(&line);         // else the next line is appended
 * }
 * sk_buf_free(&line);
 * @endcode */
typedef struct sk_buf {
    char *data; /**< the bytes (malloc'd), NULL when empty */
    size_t len; /**< bytes held */
    size_t cap; /**< bytes allocated */
} sk_buf;

/** sk_buf_reserve: make room for extra more bytes after b->len (growing
 * geometrically).  @return 0; SK_EINVAL (NULL); SK_ENORESOURCES (no memory,
 * or the total would pass PTRDIFF_MAX), leaving b as it was.
 * @param[in,out] b the buffer
 * @param[in] extra the bytes wanted after b->len
 */
SK_API int sk_buf_reserve(sk_buf *b, size_t extra);

/** An empty sk_buf, for initialising one: `sk_buf b = SK_BUF_INIT;`. */
#define SK_BUF_INIT {NULL, 0, 0}

/** sk_buf_free: free b->data and reset *b to empty.  NULL is a no-op.
 * @param[in,out] b the buffer, or NULL
 */
SK_API void sk_buf_free(sk_buf *b);

/** sk_buf_reset: empty b for the next receive, keeping its memory: len
 * becomes 0 and data (when not NULL) the empty C string.  A receive loop
 * calls it before each sk_receive whose bytes it does not want appended
 * to the last ones.
 * @param b  the buffer; NULL is a no-op */
SK_API void sk_buf_reset(sk_buf *b);

/** sk_receive's patterns. */
enum sk_pattern {
    SK_ALL = 0,   /**< until the peer closes; returns 0 then, or SK_ECLOSED
                     when the peer closed without sending a byte */
    SK_LINE = 1, /**< up to LF; the LF and every CR are dropped */
    SK_BYTES = 2, /**< exactly n bytes */
    SK_SOME = 3   /**< whatever is available, at least one byte and at most n
                     (n 0 = no limit); waits only when nothing is buffered */
};

/** sk_receive: read by pattern and append to buf; what buf already holds is
 * the prefix and is kept (empty it with sk_buf_reset for a fresh start).
 * Afterwards buf is NUL-terminated: buf->data[buf->len] is a NUL byte not
 * counted in len, so buf->data is a C string when the bytes hold no NUL:
 * after success always (data is made when it was NULL), and after an
 * error whenever data is not NULL and buf itself is valid (not NULL, len
 * <= cap); an error never allocates for the NUL alone, so a buffer that
 * had no memory and got no byte stays {NULL, 0, 0}.  On SK_ECLOSED or
 * SK_ETIMEOUT (or any other error) the bytes that did arrive stay appended: nothing read is ever lost.  A
 * line longer than the line limit (sk_setlinelimit) stops with SK_ETOOLONG
 * after appending the limit's worth of bytes; the rest of that line is still
 * there for the next call.  SK_ALL is not bounded: use SK_BYTES or SK_SOME
 * where the peer is not trusted.  @return 0; SK_EINVAL (NULL, bad pattern,
 * SK_BYTES with n 0 returns 0 at once); SK_EWRONGROLE; SK_ECLOSED;
 * SK_ETIMEOUT; SK_ETOOLONG; SK_ECONNRESET; SK_ENORESOURCES (no memory;
 * bytes that SK_BYTES read ahead past its n are then appended too rather
 * than lost; also when there is no memory for the NUL: an error already
 * being returned is returned instead, and buf may then lack the NUL);
 * SK_EWOULDBLOCK (non-blocking mode: the pattern needs bytes that have not
 * arrived; those that did are appended). Over TLS (sk_tls_start, sk_tls_listen) also: SK_ETLSHANDSHAKE,
 * SK_ETLSEXPIRED, SK_ETLSHOSTNAME, SK_ETLSUNTRUSTED, SK_ETLSSELFSIGNED,
 * SK_ETLSCERT (the handshake this call completed failed); SK_ETLSPROTOCOL,
 * SK_ETLSNOCLOSE (the session failed; every later call returns it).
 * @param[in] s a client
 * @param[in,out] buf the caller's buffer; what it holds is the prefix, the
 *                    bytes received are appended
 * @param[in] pattern SK_ALL, SK_LINE, SK_BYTES or SK_SOME (enum sk_pattern)
 * @param[in] n the byte count for SK_BYTES, the most for SK_SOME (0: no
 *              limit); ignored otherwise
 */
SK_API int sk_receive(sk_sock *s, sk_buf *buf, int pattern, size_t n);

/** sk_read: copy up to cap bytes straight into dst, without an intermediate
 * buffer when nothing is buffered: buffered bytes first, else one read from
 * the OS, waiting (within the timeout) only while nothing is available.
 * *got (required) receives the count, 0 on error.  @return 0; SK_EINVAL
 * (cap 0, NULL); SK_EWRONGROLE; SK_ECLOSED; SK_ETIMEOUT; SK_ECONNRESET;
 * SK_EWOULDBLOCK (non-blocking mode, nothing available). Over TLS (sk_tls_start, sk_tls_listen) also: SK_ETLSHANDSHAKE,
 * SK_ETLSEXPIRED, SK_ETLSHOSTNAME, SK_ETLSUNTRUSTED, SK_ETLSSELFSIGNED,
 * SK_ETLSCERT (the handshake this call completed failed); SK_ETLSPROTOCOL,
 * SK_ETLSNOCLOSE (the session failed; every later call returns it).
 * @param[in] s a client
 * @param[out] dst where the bytes go
 * @param[in] cap the most bytes to copy (at least 1)
 * @param[out] got receives the number of bytes stored (required)
 */
SK_API int sk_read(sk_sock *s, void *dst, size_t cap, size_t *got);

/** The line limit that means none (sk_setlinelimit): SK_LINE then
 * assembles a line of any length, as LuaSocket's "*l" does, bounded only by
 * memory (SK_ENORESOURCES).  Only for trusted peers. */
#define SK_LINE_NOLIMIT SIZE_MAX

/** sk_readn: read exactly n bytes into dst (SK_BYTES into the caller's
 * memory): buffered bytes first, then straight from the system, waiting
 * within the timeouts (the total timeout bounds the whole call).
 * @param s    a client
 * @param dst  room for n bytes; may be NULL when n is 0
 * @param n    how many (0 returns 0 at once)
 * @param got  (required) receives the bytes stored in dst, n on success;
 *             on error the bytes that did arrive (they are in dst and no
 *             longer in the stream: nothing read is lost)
 * @return 0 (*got == n); SK_EINVAL (s, got NULL, dst NULL with n > 0);
 *         SK_EWRONGROLE (not a client); SK_ECLOSED (a closed object, or the
 *         peer closed before n bytes came: *got < n); SK_ETIMEOUT;
 *         SK_ECONNRESET; SK_EWOULDBLOCK (non-blocking mode: the bytes that
 *         were there are in dst, *got < n).  Over TLS also the codes
 *         sk_read lists for it. */
SK_API int sk_readn(sk_sock *s, void *dst, size_t n, size_t *got);

/** sk_setlinelimit: the longest line SK_LINE (and sk_receiveline,
 * sk_conn_read_line) assembles: default 1 MiB, minimum 1, SK_LINE_NOLIMIT
 * for none.
 * @param s    the object
 * @param max  the limit in bytes (1..SIZE_MAX; SK_LINE_NOLIMIT is
 *             SIZE_MAX)
 * @return 0; SK_EINVAL (s NULL, max 0); SK_ECLOSED. */
SK_API int sk_setlinelimit(sk_sock *s, size_t max);

/** sk_getlinelimit: the current line limit in *max.  @return 0, SK_EINVAL,
 * SK_ECLOSED.
 * @param[in] s the object
 * @param[out] max receives the line limit in bytes
 */
SK_API int sk_getlinelimit(const sk_sock *s, size_t *max);

/** sk_dirty: 1 when the object holds received bytes not yet handed out, 0
 * when not (also for NULL and closed objects).
 * @param[in] s the object, or NULL
 * @return 1 or 0
 */
SK_API int sk_dirty(const sk_sock *s);

/** @} */

/** @addtogroup timeouts
 * @{ */
/* ---- timeouts --------------------------------------------------------- */

/** sk_settimeout: set the block ('b') or total ('t') timeout in seconds.
 * Every call of the API that takes a timeout follows one rule: negative
 * values and +inf mean no limit; NaN and finite values above 1e9 seconds
 * are SK_EINVAL; anything else is honoured as given, rounded to the
 * millisecond, without any cap.  No limit is the default for both.
 * Block bounds each single wait on the OS; total bounds a whole call; with
 * both set the sooner wins.  0 makes calls non-blocking: they try once and
 * return SK_ETIMEOUT.  They apply to connect, accept, send and receive, and
 * are measured on a monotonic clock.  Non-blocking mode (sk_setblocking(s,
 * 0)) overrides both without changing them: calls then return
 * SK_EWOULDBLOCK instead of waiting, and these timeouts apply again after
 * sk_setblocking(s, 1).  @return 0; SK_EINVAL (s NULL, bad mode, seconds
 * NaN or finite above 1e9); SK_ECLOSED.
 * @param[in] s the object
 * @param[in] seconds the timeout in seconds; negative or +inf: none
 * @param[in] mode 'b' (block: each wait) or 't' (total: each call)
 */
SK_API int sk_settimeout(sk_sock *s, double seconds, char mode);

/** sk_gettimeout: the block and total timeouts in seconds (-1 = none); either
 * pointer may be NULL.  @return 0, SK_EINVAL, SK_ECLOSED.
 * @param[in] s the object
 * @param[out] block receives the block timeout (-1: none); may be NULL
 * @param[out] total receives the total timeout (-1: none); may be NULL
 */
SK_API int sk_gettimeout(const sk_sock *s, double *block, double *total);

/** @} */

/** @addtogroup options
 * @{ */
/* ---- options ---------------------------------------------------------- */
/** Values are ints: booleans 0/1, counts and seconds as numbers.  linger is
 * -1 for off, or the seconds to linger (0 = reset on close).  reuseaddr on
 * Windows keeps the POSIX meaning (rebind over TIME_WAIT, which Windows
 * allows anyway) and never sets Winsock's port-stealing SO_REUSEADDR. */
enum sk_option {
    SK_OPT_KEEPALIVE = 0, /**< "keepalive" */
    SK_OPT_LINGER, /**< "linger" */
    SK_OPT_REUSEADDR, /**< "reuseaddr" */
    SK_OPT_REUSEPORT, /**< "reuseport" */
    SK_OPT_TCP_NODELAY, /**< "tcp-nodelay" */
    SK_OPT_TCP_KEEPIDLE, /**< "tcp-keepidle" (seconds) */
    SK_OPT_TCP_KEEPCNT, /**< "tcp-keepcnt" */
    SK_OPT_TCP_KEEPINTVL, /**< "tcp-keepintvl" (seconds) */
    SK_OPT_TCP_DEFER_ACCEPT, /**< "tcp-defer-accept" (seconds) */
    SK_OPT_TCP_FASTOPEN, /**< "tcp-fastopen" (queue length) */
    SK_OPT_TCP_FASTOPEN_CONNECT, /**< "tcp-fastopen-connect" */
    SK_OPT_IPV6_V6ONLY, /**< "ipv6-v6only" */
    SK_OPT_SNDBUF, /**< "sndbuf" (bytes; the OS may round) */
    SK_OPT_RCVBUF, /**< "rcvbuf" (bytes; the OS may round) */
    SK_OPT_BROADCAST, /**< "broadcast": datagrams may be sent to broadcast
                         addresses (bool) */
    SK_OPT_MULTICAST_TTL, /**< "ip-multicast-ttl" (0..255): TTL of outgoing
                             multicast datagrams; the hop limit on IPv6
                             sockets (default 1) */
    SK_OPT_MULTICAST_LOOP, /**< "ip-multicast-loop" (bool): multicast sent
                              here is looped back to this host's members
                              (on Windows it rules what the receiving
                              socket accepts instead) */
    SK_OPT_MULTICAST_IF, /**< "ip-multicast-if": index of the interface
                            outgoing multicast uses, 0 = the system's
                            choice (IPv4 on Windows: the address
                            0.0.0.index, which Wine refuses with
                            SK_EADDRNOTAVAIL) */
    SK_OPT_TCP_CORK, /**< "tcp-cork": hold partial segments until uncorked
                        (Linux TCP_CORK, BSD/macOS TCP_NOPUSH;
                        SK_EUNSUPPORTED on Windows).  Turning it off
                        sends what it held on Linux and the BSDs; on
                        macOS it does not: the held bytes go out with
                        the next send, when the peer's data or ACK
                        arrives, or at sk_shutdown / close, so after
                        the last uncorked write there, shut the sending
                        side down (or send again) rather than wait */
    SK_OPT_ERROR, /**< "error" (read-only): the socket's pending error
                     (SO_ERROR) as an SK_E* code, 0 when none; on POSIX
                     reading it clears it, as the system does (Winsock
                     may report it again).  0 for an object with no
                     socket yet.  Every kind of object has it;
                     sk_setoption refuses it (SK_EINVAL) */
    SK_OPT_COUNT /**< the number of options: they are 0..SK_OPT_COUNT-1 */
};

/** What an option's value means (sk_optinfo::kind). */
enum sk_optkind {
    SK_OPTKIND_BOOL = 0,    /**< 0 or 1 */
    SK_OPTKIND_COUNT = 1,   /**< a number >= 0 (a count or queue length) */
    SK_OPTKIND_SECONDS = 2, /**< whole seconds >= 0 */
    SK_OPTKIND_BYTES = 3,   /**< bytes >= 0 (the system may round) */
    SK_OPTKIND_LINGER = 4,  /**< -1 for off, else seconds >= 0 */
    SK_OPTKIND_TTL = 5,     /**< a TTL or hop limit, 0..255 */
    SK_OPTKIND_IFINDEX = 6, /**< an interface index >= 0 (0: the system's
                               choice) */
    SK_OPTKIND_ERROR = 7    /**< an SK_E* code, read-only */
};

/** Which objects take an option (sk_optinfo::objects, combined with |);
 * the others get SK_EUNSUPPORTED. */
enum sk_optfor {
    SK_OPTFOR_TCP = 1,        /**< TCP objects (sk_tcp, sk_tcp4, sk_tcp6) */
    SK_OPTFOR_UDP = 2,        /**< UDP objects (sk_udp, sk_udp4, sk_udp6) */
    SK_OPTFOR_UNIXSTREAM = 4, /**< UNIX-domain stream objects (sk_unix) */
    SK_OPTFOR_UNIXDGRAM = 8   /**< UNIX-domain datagram objects
                                 (sk_unixdgram) */
};

/** An option's description (sk_optioninfo). */
typedef struct sk_optinfo {
    const char *name; /**< LuaSocket name, a static string (sk_optionid) */
    int kind;         /**< enum sk_optkind */
    int min;          /**< the smallest value sk_setoption takes */
    int max;          /**< the largest value sk_setoption takes */
    int readonly;     /**< 1: sk_getoption only (sk_setoption is
                         SK_EINVAL) */
    int objects;      /**< enum sk_optfor bits: the objects that take it
                         (the system may still lack it: SK_EUNSUPPORTED) */
} sk_optinfo;

/** sk_optioninfo: describe option (enum sk_option) in *out, for bindings
 * that offer every option without a table of their own.  The options are
 * 0..SK_OPT_COUNT-1, so
 * `for (i = 0; sk_optioninfo(i, &info) == 0; i++)` visits each once.
 * @param option  the enum sk_option value
 * @param out     receives the description
 * @return 0; SK_EINVAL (out NULL, option outside 0..SK_OPT_COUNT-1). */
SK_API int sk_optioninfo(int option, sk_optinfo *out);

/** sk_optionid: the enum sk_option for a LuaSocket option name, or SK_EINVAL
 * for an unknown name or NULL.
 * @param[in] name the LuaSocket name, e.g. "tcp-nodelay"
 * @return the enum sk_option value, or SK_EINVAL
 */
SK_API int sk_optionid(const char *name);

/** sk_optionname: the LuaSocket name of an option, or NULL when out of
 * range.
 * @param[in] option an enum sk_option value
 * @return the name (a static string), or NULL
 */
SK_API const char *sk_optionname(int option);

/** sk_setoption: set an option.  On a dual-stack master before its socket
 * exists the value is remembered and applied when the socket is made.
 * @return 0; SK_EINVAL (unknown option, bad value); SK_EUNSUPPORTED (the OS
 * or the socket's family lacks it, or it belongs to another kind of object:
 * broadcast and multicast to datagram objects, linger and the tcp-* options
 * to TCP streams, none of those nor ipv6-v6only to UNIX-domain objects;
 * never silently ignored); SK_ECLOSED.
 * @param[in] s the object
 * @param[in] option the option, an enum sk_option value
 * @param[in] value the option's value (booleans 0 or 1; see enum sk_option)
 */
SK_API int sk_setoption(sk_sock *s, int option, int value);

/** sk_getoption: read an option into *value.  Before a dual-stack master has
 * a socket, returns the remembered value, or SK_EWRONGROLE if it was never
 * set.  @return 0 or the errors of sk_setoption.
 * @param[in] s the object
 * @param[in] option the option, an enum sk_option value
 * @param[out] value receives the option's value
 */
SK_API int sk_getoption(sk_sock *s, int option, int *value);

/** sk_setoptname: sk_setoption by LuaSocket option name.  The object is
 * checked first (as by every call): a closed object is SK_ECLOSED whatever
 * the name.
 * @param s      the object
 * @param name   the LuaSocket name ("keepalive", "tcp-nodelay", ...)
 * @param value  as sk_setoption
 * @return 0; SK_EINVAL (s or name NULL, an unknown name, a bad value, a
 *         read-only option); SK_ECLOSED; SK_EUNSUPPORTED; the errors of
 *         sk_setoption. */
SK_API int sk_setoptname(sk_sock *s, const char *name, int value);

/** sk_getoptname: sk_getoption by LuaSocket option name ("error" gives the
 * pending error as an SK_E* code).  The object is checked first.
 * @param s      the object
 * @param name   the LuaSocket name
 * @param value  receives the value
 * @return 0; SK_EINVAL (s, name or value NULL, an unknown name);
 *         SK_ECLOSED; SK_EUNSUPPORTED; SK_EWRONGROLE; the errors of
 *         sk_getoption. */
SK_API int sk_getoptname(sk_sock *s, const char *name, int *value);

/** @} */

/** @addtogroup names
 * @{ */
/* ---- names, shutdown, handles, statistics ----------------------------- */

/** sk_getsockname: the local address of the object.  @return 0; SK_EINVAL;
 * SK_ECLOSED; SK_ENOTCONN (a master or datagram object with no socket yet
 * or not bound, on every OS).
 * @param[in] s the object
 * @param[out] out receives the local address
 */
SK_API int sk_getsockname(const sk_sock *s, sk_name *out);

/** sk_getpeername: the remote address of a client or of a datagram object's
 * peer.  @return 0; SK_EINVAL; SK_EWRONGROLE (not a client or datagram
 * object); SK_ENOTCONN (not connected yet/any more, or a datagram object
 * without a peer); SK_ECLOSED.
 * @param[in] s a client, or a datagram object with a peer
 * @param[out] out receives the peer's address
 */
SK_API int sk_getpeername(const sk_sock *s, sk_name *out);

/** Which way sk_shutdown shuts. */
enum sk_shutdown_how {
    SK_SHUT_RECEIVE = 0, /**< no more receiving */
    SK_SHUT_SEND = 1,    /**< no more sending: the peer reads end-of-stream */
    SK_SHUT_BOTH = 2     /**< both */
};

/** sk_shutdown: shut down one or both directions of a client.  After
 * SK_SHUT_SEND the peer reads end-of-stream; buffered received bytes are
 * kept.  Over TLS, SK_SHUT_SEND and SK_SHUT_BOTH send close_notify first,
 * within the timeouts.  @return 0; SK_EINVAL (bad how); SK_EWRONGROLE;
 * SK_ENOTCONN; SK_ECLOSED; over TLS also SK_ETIMEOUT, SK_EWOULDBLOCK
 * (non-blocking mode: close_notify not yet out, call again),
 * SK_ECONNRESET, SK_ETLSPROTOCOL, SK_ESYSTEM (sending it failed otherwise).
 * @param[in] s a client
 * @param[in] how SK_SHUT_RECEIVE, SK_SHUT_SEND or SK_SHUT_BOTH
 */
SK_API int sk_shutdown(sk_sock *s, int how);

/** sk_getfd: the native handle, SK_FD_INVALID when there is none (closed,
 * dual-stack master before bind/connect, or NULL).
 * @param[in] s the object, or NULL
 * @return the native handle, or SK_FD_INVALID
 */
SK_API sk_fd_t sk_getfd(const sk_sock *s);

/** sk_setfd: replace the native handle without closing the old one and
 * without any other change to the object (LuaSocket's internal method; the
 * object now owns fd and closes it).  On POSIX the handle is made blocking
 * or non-blocking (O_NONBLOCK) as the object's timeouts and mode need: it
 * blocks only while the object has no timeout and is in blocking mode.
 * Pass SK_FD_INVALID to detach.  @return 0, SK_EINVAL, SK_ECLOSED.
 * @param[in] s the object
 * @param[in] fd the new native handle, or SK_FD_INVALID to detach
 */
SK_API int sk_setfd(sk_sock *s, sk_fd_t fd);

/** sk_getstats: bytes received from and sent to the OS by this object, and
 * its age in seconds; any pointer may be NULL.  @return 0, SK_EINVAL,
 * SK_ECLOSED.
 * @param[in] s the object
 * @param[out] received receives the bytes received; may be NULL
 * @param[out] sent receives the bytes sent; may be NULL
 * @param[out] age receives the object's age in seconds; may be NULL
 */
SK_API int sk_getstats(const sk_sock *s, uint64_t *received, uint64_t *sent,
                       double *age);

/** sk_setstats: reset the counters and the age (seconds, >= 0).
 * @return 0, SK_EINVAL (NULL, negative or NaN age), SK_ECLOSED.
 * @param[in] s the object
 * @param[in] received the new count of bytes received
 * @param[in] sent the new count of bytes sent
 * @param[in] age the new age in seconds (>= 0)
 */
SK_API int sk_setstats(sk_sock *s, uint64_t received, uint64_t sent,
                       double age);

/** @} */

/** @addtogroup clocks
 * @{ */
/* ---- clocks and sleeping ---------------------------------------------- */
/* (LuaSocket's gettime and sleep, and a monotonic clock.) */

/** sk_gettime: the wall clock: seconds since 1970-01-01 00:00 UTC, with a
 * fraction (microsecond resolution where the system has it), as
 * LuaSocket's socket.gettime.  It jumps when the system's time is set:
 * measure intervals with sk_monotime.
 * @return the time in seconds. */
SK_API double sk_gettime(void);

/** sk_monotime: a monotonic clock in seconds from an arbitrary origin
 * (microsecond resolution), the clock of sockit's timeouts and of
 * sk_loop_now: it never goes back and does not jump when the system's
 * time is set.
 * @return the time in seconds. */
SK_API double sk_monotime(void);

/** sk_sleep: suspend the calling thread for seconds (millisecond
 * resolution on Windows, finer elsewhere), as LuaSocket's socket.sleep;
 * a signal does not cut it short (the rest is slept).  0 and negative
 * values return at once.
 * @param seconds  how long (at most 1e9)
 * @return 0; SK_EINVAL (seconds NaN or above 1e9, +infinity included). */
SK_API int sk_sleep(double seconds);

/** @} */

/** @addtogroup select
 * @{ */
/* ---- select ----------------------------------------------------------- */

/** sk_select: wait until some of recvt can be read (or accepted) or some of
 * sendt can be written, for at most timeout seconds (the rule of
 * sk_settimeout: negative or +inf = no limit; NaN or finite above 1e9 =
 * SK_EINVAL).  A client with buffered bytes is readable at once.  NULL and
 * closed entries are skipped; there is no limit on the count: NULL and
 * closed entries never reach the system, and a list longer than the
 * system takes (more entries than the descriptor limit) is handed to it as
 * one entry per distinct object, both directions merged.  The ready
 * objects are written to readable[] and writable[] (capacity nrecv and
 * nsend) with their counts in *nreadable and *nwritable; for a set whose
 * count is 0 (nrecv or nsend), its array, its output array and its count
 * pointer may all be NULL.  @return 0 when something is ready; SK_ETIMEOUT
 * when nothing is; SK_EINVAL (a NULL array or count pointer of a non-empty
 * set, a bad timeout, or nothing to wait for and no timeout);
 * SK_ENORESOURCES.
 * A failed connect or a peer's close counts as ready: the next call on the
 * object reports it.  sk_select reads all of its inputs on every call: for
 * many objects of which few are ready, sk_selector is the form whose wait
 * costs what is ready, not what is watched.
 * @param[in] recvt the objects to wait for reading (or accepting); NULL and
 *                  closed entries are skipped
 * @param[in] nrecv the number of entries of recvt
 * @param[in] sendt the objects to wait for writing
 * @param[in] nsend the number of entries of sendt
 * @param[in] timeout the most seconds to wait; negative or +inf: no limit
 * @param[out] readable receives the objects ready to read (room for nrecv)
 * @param[out] nreadable receives their count
 * @param[out] writable receives the objects ready to write (room for nsend)
 * @param[out] nwritable receives their count
 */
SK_API int sk_select(sk_sock *const *recvt, size_t nrecv,
                     sk_sock *const *sendt, size_t nsend, double timeout,
                     sk_sock **readable, size_t *nreadable,
                     sk_sock **writable, size_t *nwritable);

/** @} */

/** @addtogroup udp
 * @{ */
/* ---- datagrams (UDP) ------------------------------------------------ */
/* (UDP objects: constructors, peers, sendto / recvfrom, multicast.) */

/** sk_udp4: create an IPv4 UDP object in *out, with no peer
 * (SK_ROLE_UNCONNECTED) and not bound.  A datagram object takes sk_bind
 * (once, before it is bound), sk_setpeername, sk_sendto, sk_recvfrom,
 * sk_joingroup / sk_leavegroup, and the calls every object has (timeouts,
 * options, names, statistics, sk_select, sk_close, sk_free); the stream
 * calls (sk_listen, sk_accept, sk_connect, sk_send, sk_receive, sk_read,
 * sk_shutdown) return SK_EWRONGROLE.  A datagram object is bound by
 * sk_bind, or by the system on its first sk_sendto or sk_setpeername.
 * @return 0, SK_EINVAL (out is NULL), SK_ENORESOURCES or SK_EFAMILY.  The
 * caller owns *out and releases it with sk_free.
 * @param[out] out receives the new object, owned by the caller
 */
SK_API int sk_udp4(sk_sock **out);

/** sk_udp6: like sk_udp4 for IPv6, with ipv6-v6only on (IPv4 addresses
 * are neither sent to nor received from).
 * @param[out] out receives the new object, owned by the caller
 * @return as sk_udp4
 */
SK_API int sk_udp6(sk_sock **out);

/** sk_udp: create a dual-stack UDP object.  No socket exists until sk_bind,
 * sk_setpeername, sk_sendto or sk_joingroup needs one: binding "*" makes
 * one IPv6 socket with v6only off that also takes IPv4 datagrams (an IPv4
 * socket where the host has no IPv6); binding a name makes a socket of the
 * first of its addresses that binds; the other calls make an IPv6 socket
 * with v6only off where the host has IPv6 (IPv4 destinations are then sent
 * to as IPv4-mapped IPv6 addresses, and IPv4 senders are still named
 * "inet"), else an IPv4 socket.  Options set before then are remembered and
 * applied when the socket is made.  The rule of sk_tcp holds here too:
 * where the system refuses to turn v6only off (OpenBSD), the IPv6 socket is
 * IPv6-only, so it neither receives from nor sends to IPv4 (an IPv4
 * destination is then not found: SK_EHOSTNOTFOUND); use sk_udp4 for IPv4.
 * @return as sk_udp4.
 * @param[out] out receives the new object, owned by the caller
 */
SK_API int sk_udp(sk_sock **out);

/** sk_setpeername: fix the peer of a datagram object: sk_sendto with host
 * NULL then sends there and sk_recvfrom only receives from there.  host is
 * a numeric address or a name whose addresses are tried in order, port
 * 1..65535 (for a UNIX-domain datagram object: a path, and port 0).  Works
 * on an object with a peer too (the old peer is dropped first).  On success
 * the object is SK_ROLE_CONNECTED, and bound.  host "*" drops the peer
 * instead (port is ignored): the object is SK_ROLE_UNCONNECTED again (0
 * also when it had no peer).  The local address and port stay when the
 * peer is dropped or changed (so a dual-stack object that the system bound
 * to an IPv4-mapped address for an IPv4 peer may be unable to take an IPv6
 * peer after it: Wine says SK_EUNSUPPORTED).  When every address failed the
 * object has no peer (SK_ROLE_UNCONNECTED).  @return 0; SK_EINVAL (NULL object, NULL,
 * empty or over-long host, port out of range); SK_EWRONGROLE (not a
 * datagram object); SK_ECLOSED; SK_EHOSTNOTFOUND; SK_ENAMETEMP;
 * SK_ENETUNREACH; SK_EHOSTUNREACH; SK_EADDRNOTAVAIL; SK_EFAMILY (a family
 * the object's socket cannot reach); SK_EACCESS (a broadcast address
 * without the broadcast option, or no permission for the path);
 * SK_EUNSUPPORTED (an abstract UNIX name outside Linux, or a dual-stack
 * peer change Wine refuses); SK_ENORESOURCES; SK_ESYSTEM (any other failure
 * the system reports: sk_syserror has its code).
 * @param[in] s a datagram object
 * @param[in] host the peer: a numeric address or a name, a path for a
 *                 UNIX-domain object, or "*" to drop the peer
 * @param[in] port 1..65535 (0 for a path; ignored with "*")
 */
SK_API int sk_setpeername(sk_sock *s, const char *host, int port);

/** sk_sendto: send len bytes of data as one datagram, all or nothing (len 0
 * sends an empty datagram).  host NULL sends to the peer of a connected
 * object (port is then ignored); otherwise host and port (1..65535; for a
 * UNIX-domain datagram object a path and port 0) name the destination and
 * its addresses are tried in order until one takes the datagram.  An object
 * that is not bound is bound by the system.  When the send buffer is full
 * the call waits within the object's timeouts.  Never raises SIGPIPE.
 * @return 0; SK_EINVAL (NULL object, NULL data with len > 0, empty, "*" or
 * over-long host, port out of range); SK_EWRONGROLE (not a datagram
 * object); SK_ECLOSED; SK_ENOTCONN (host NULL on an object without a
 * peer); SK_EISCONN (a host given to an object with a peer); SK_EMSGSIZE
 * (larger than the system allows, e.g. 70000 bytes over UDP);
 * SK_ETIMEOUT; SK_EACCESS (a broadcast address without the broadcast
 * option); SK_EHOSTNOTFOUND; SK_ENETUNREACH; SK_EHOSTUNREACH;
 * SK_ECONNREFUSED (POSIX, an object with a peer: an earlier datagram to the
 * peer met a closed port); SK_ENAMETEMP (the resolver failed for now);
 * SK_EFAMILY (a destination of a family the object's socket cannot
 * reach); SK_EADDRNOTAVAIL; SK_EWOULDBLOCK (non-blocking mode: no room);
 * SK_ENORESOURCES (no memory or descriptors, or the system's buffers ran
 * out); SK_ESYSTEM (any other failure the system reports: sk_syserror has its
 * code).
 * @param[in] s a datagram object
 * @param[in] data the datagram
 * @param[in] len its length in bytes (0: an empty datagram)
 * @param[in] host the destination (a numeric address, a name, or a path), or
 *                 NULL for the object's peer
 * @param[in] port 1..65535 (0 for a path; ignored when host is NULL)
 */
SK_API int sk_sendto(sk_sock *s, const void *data, size_t len,
                     const char *host, int port);

/** sk_recvfrom: receive one datagram into buf (cap bytes), waiting within
 * the object's timeouts while none is there.  *got (required) receives the
 * bytes stored, 0 on error; *size (may be NULL) the datagram's length;
 * from, when not NULL, the sender (an IPv4-mapped sender is shown as IPv4,
 * family "inet"; zeroed on error).  An empty datagram gives 0 with *got 0.
 * A datagram longer than cap gives SK_ETRUNCATED with *got = cap and its
 * first cap bytes in buf (and from filled), as LuaSocket's receivefrom
 * gives the part: the rest of it is discarded, and the next call gets the
 * next datagram; *size is then its full length where the system tells it
 * (Linux), else 0 (unknown: Windows, macOS, the BSDs).  cap 0 (buf may
 * then be NULL) takes one datagram without keeping its bytes: 0 for an
 * empty one, else SK_ETRUNCATED.  An object with a peer receives only from
 * its peer.  On an object with a peer a POSIX system may report an ICMP
 * error that an earlier datagram met (SK_ECONNREFUSED: the peer's port was
 * closed; SK_EHOSTUNREACH, SK_ENETUNREACH); an object without a peer never
 * reports those (on Windows they are turned off when its socket is made).
 * @return 0; SK_ETRUNCATED; SK_EINVAL (NULL object or got, buf NULL with
 * cap > 0); SK_EWRONGROLE (not a datagram object); SK_ECLOSED; SK_ENOTCONN
 * (an object that is not bound yet: nothing can arrive); SK_ETIMEOUT;
 * SK_ECONNREFUSED; SK_EHOSTUNREACH; SK_ENETUNREACH (POSIX, an object with
 * a peer, as above); SK_EWOULDBLOCK (non-blocking mode: no datagram
 * there); SK_ENORESOURCES; SK_ESYSTEM (any other failure the system reports:
 * sk_syserror has its code).
 * @param[in] s a datagram object
 * @param[out] buf where the datagram goes; may be NULL when cap is 0
 * @param[in] cap the room in buf, in bytes (0: take one datagram and keep
 *                none of its bytes)
 * @param[out] got receives the number of bytes stored (required)
 * @param[out] size receives the datagram's length (see above); may be NULL
 * @param[out] from receives the sender's address; may be NULL
 */
SK_API int sk_recvfrom(sk_sock *s, void *buf, size_t cap, size_t *got,
                       size_t *size, sk_name *from);

/** A datagram's sender or destination in the system's binary form
 * (sk_recvfromaddr, sk_sendtoaddr, sk_toaddr, sk_addrname): kept as the
 * system gives it, so that answering a sender or sending to one
 * destination again makes no text conversion and no lookup.  Its members
 * are sockit's own (their meaning may change between versions): copy the
 * whole struct, and read it with sk_addrname.  An address one object gave
 * may be given to another object of the same family. */
typedef struct sk_addr {
    int family;   /**< private */
    unsigned len; /**< private */
    union {
        unsigned char bytes[128];
        uint64_t align_;
        void *alignp_;
    } sa; /**< private */
} sk_addr;

/** sk_recvfromaddr: sk_recvfrom with the sender in binary form: receive
 * one datagram into buf (cap bytes), waiting within the object's timeouts
 * while none is there, exactly as sk_recvfrom does (the same *got, *size,
 * truncation, peer and ICMP rules), with the sender in *from instead of a
 * name: give it to sk_sendtoaddr to answer, to sk_addrname for its text.
 * The sender is as the system names it: on a dual-stack object an IPv4
 * sender is an IPv4-mapped IPv6 address (sk_addrname shows it as IPv4).
 * On error *from is zeroed (sk_addrname then says SK_EINVAL).
 * @return 0; SK_ETRUNCATED; SK_EINVAL (NULL object or got, buf NULL with
 * cap > 0); SK_EWRONGROLE (not a datagram object); SK_ECLOSED; SK_ENOTCONN
 * (an object that is not bound yet: nothing can arrive); SK_ETIMEOUT;
 * SK_ECONNREFUSED; SK_EHOSTUNREACH; SK_ENETUNREACH (POSIX, an object with
 * a peer, as sk_recvfrom); SK_EWOULDBLOCK (non-blocking mode: no datagram
 * there); SK_ENORESOURCES; SK_ESYSTEM (any other failure the system
 * reports: sk_syserror has its code).
 * @param[in] s a datagram object
 * @param[out] buf where the datagram goes; may be NULL when cap is 0
 * @param[in] cap the room in buf, in bytes (0: take one datagram and keep
 *                none of its bytes)
 * @param[out] got receives the number of bytes stored (required)
 * @param[out] size receives the datagram's length (as sk_recvfrom's); may
 *                  be NULL
 * @param[out] from receives the sender's address; may be NULL
 */
SK_API int sk_recvfromaddr(sk_sock *s, void *buf, size_t cap, size_t *got,
                           size_t *size, sk_addr *from);

/** sk_sendtoaddr: sk_sendto with the destination in binary form: send len
 * bytes of data as one datagram, all or nothing (len 0 sends an empty
 * datagram), to *to (a sender sk_recvfromaddr gave, or an address from
 * sk_toaddr), with no lookup.  An IPv4 address given to a dual-stack
 * object's IPv6 socket goes as its IPv4-mapped form.  An object that is
 * not bound is bound by the system; a full send buffer is waited on within
 * the object's timeouts.  Never raises SIGPIPE.
 * @return 0; SK_EINVAL (NULL object or to, NULL data with len > 0, an
 * address no sockit call made: zeroed, or of no family sockit knows);
 * SK_EWRONGROLE (not a datagram object); SK_ECLOSED; SK_EISCONN (an
 * object with a peer: use sk_sendto with host NULL); SK_EFAMILY (an
 * address of a family the object's socket cannot reach: IPv6 on an IPv4
 * socket, an IP address on a UNIX-domain object); SK_EMSGSIZE (larger than
 * the system allows); SK_ETIMEOUT; SK_EACCESS (a broadcast address
 * without the broadcast option, or no permission for a path);
 * SK_ENETUNREACH; SK_EHOSTUNREACH; SK_EADDRNOTAVAIL; SK_EWOULDBLOCK
 * (non-blocking mode: no room); SK_ENORESOURCES; SK_ESYSTEM (any other
 * failure the system reports: sk_syserror has its code).
 * @param[in] s a datagram object without a peer
 * @param[in] data the datagram
 * @param[in] len its length in bytes (0: an empty datagram)
 * @param[in] to the destination
 */
SK_API int sk_sendtoaddr(sk_sock *s, const void *data, size_t len,
                         const sk_addr *to);

/** sk_toaddr: the address a datagram from s to host:port goes to, in
 * binary form for sk_sendtoaddr: host is a numeric address or a name
 * (looked up now; its first address is taken), port 1..65535 (for a
 * UNIX-domain datagram object: a path, and port 0).  On a dual-stack
 * object an IPv4 address becomes its IPv4-mapped form, as sk_sendto sends
 * it (the object gets its socket here if it has none yet).  On error *out
 * is zeroed.
 * @return 0; SK_EINVAL (NULL object or out, NULL, empty, "*" or over-long
 * host, port out of range); SK_EWRONGROLE (not a datagram object);
 * SK_ECLOSED; SK_EHOSTNOTFOUND; SK_ENAMETEMP (the resolver failed for
 * now); SK_EFAMILY (no address of a family the object's socket can
 * reach); SK_EUNSUPPORTED (an abstract UNIX name outside Linux);
 * SK_ENORESOURCES; SK_ESYSTEM (any other failure the system reports:
 * sk_syserror has its code).
 * @param[in] s a datagram object
 * @param[in] host a numeric address or a name (a path for a UNIX-domain
 *                 object)
 * @param[in] port 1..65535 (0 for a path)
 * @param[out] out receives the address
 */
SK_API int sk_toaddr(sk_sock *s, const char *host, int port, sk_addr *out);

/** sk_addrname: the text of a binary address (numeric address, port and
 * family, as sk_recvfrom names a sender: an IPv4-mapped IPv6 address is
 * shown as IPv4, family "inet").  *out is zeroed on error.
 * @return 0; SK_EINVAL (a or out NULL, an address no sockit call made:
 * zeroed, or of no family sockit knows).
 * @param[in] a the address (from sk_recvfromaddr or sk_toaddr)
 * @param[out] out receives its name
 */
SK_API int sk_addrname(const sk_addr *a, sk_name *out);

/** One datagram of a batch (sk_sendmany, sk_recvmany).  The fields each
 * call reads are marked "in", those it writes "out"; the others are left
 * alone. */
typedef struct sk_dgram {
    void *data;       /**< in: sk_sendmany: the datagram's bytes (only
                           read); sk_recvmany: where its bytes go.  May be
                           NULL when len is 0 */
    size_t len;       /**< in: sk_sendmany: the datagram's length (0: an
                           empty datagram); sk_recvmany: the room at data */
    const char *host; /**< in (sk_sendmany): the destination as sk_sendto's
                           host, or NULL for the object's peer */
    int port;         /**< in (sk_sendmany): as sk_sendto's port */
    int status;       /**< out (sk_recvmany): 0, or SK_ETRUNCATED (the
                           datagram was longer than len: data holds its
                           first len bytes, the rest is gone) */
    size_t got;       /**< out (sk_recvmany): the bytes stored at data */
    size_t size;      /**< out (sk_recvmany): the datagram's length, as
                           sk_recvfrom's *size */
    sk_name *from;    /**< in (sk_recvmany): where the sender's name goes
                           (as sk_recvfrom's from), or NULL */
} sk_dgram;

/** sk_sendmany: send the n datagrams d[0..n-1] in order, each as
 * sk_sendto(s, d[i].data, d[i].len, d[i].host, d[i].port) would, with as
 * few system calls as the system allows: Linux sends up to 64 datagrams
 * per system call (sendmmsg), and a run of datagrams of one length to one
 * destination as one message that the system cuts into them (UDP GSO,
 * Linux 4.18 and later: the network stack is crossed once per run; the
 * receiver sees the same datagrams); other systems (Windows included)
 * send one per call, so the call is then a loop that saves nothing but
 * the caller's own.  When the send buffer is full the call waits within the object's
 * timeouts (the total timeout covers the whole call).  *done (may be NULL)
 * receives how many datagrams were sent, also on error: the error is about
 * d[*done], and the ones before it are gone; resume there.  A host sockit
 * remembers (a numeric address, the last one named) costs no lookup; a
 * name is looked up for every datagram that names it.  Never raises
 * SIGPIPE.
 * @return 0 (at once for n 0); SK_EINVAL (NULL object, d NULL with n > 0,
 * a datagram with NULL data and len > 0, an empty, "*" or over-long host,
 * a port out of range); SK_EWRONGROLE (not a datagram object); SK_ECLOSED;
 * SK_ENOTCONN (a host NULL on an object without a peer); SK_EISCONN (a
 * host given to an object with a peer); SK_EMSGSIZE; SK_ETIMEOUT;
 * SK_EACCESS; SK_EHOSTNOTFOUND; SK_ENETUNREACH; SK_EHOSTUNREACH;
 * SK_ECONNREFUSED; SK_ENAMETEMP; SK_EFAMILY; SK_EADDRNOTAVAIL;
 * SK_EWOULDBLOCK (non-blocking mode: no room); SK_ENORESOURCES;
 * SK_ESYSTEM: each as sk_sendto says, for d[*done].
 * @param[in] s a datagram object
 * @param[in] d the datagrams (data, len, host, port are read)
 * @param[in] n how many
 * @param[out] done receives how many were sent, also on error; may be NULL
 */
SK_API int sk_sendmany(sk_sock *s, const sk_dgram *d, size_t n,
                       size_t *done);

/** sk_recvmany: receive up to n datagrams into d[0..n-1]: wait within the
 * object's timeouts for the first (as sk_recvfrom), then take the ones
 * that are there already, without waiting again.  Linux takes up to 64 per
 * system call (recvmmsg); other systems (Windows included) one per call,
 * with a readiness check before each after the first.  For each datagram
 * i < *done, d[i].got, d[i].size and d[i].status are set, and *d[i].from
 * when d[i].from is not NULL; the other datagrams are not touched.  An
 * object with a peer receives only from its peer; one without skips the
 * ICMP errors of earlier datagrams, as sk_recvfrom does.
 * @return 0 with *done >= 1 (a truncated datagram is d[i].status
 * SK_ETRUNCATED, not an error of the call), or 0 with *done 0 for n 0;
 * SK_EINVAL (NULL object, d or done NULL, a datagram with NULL data and
 * len > 0 among the first 64: one further on ends a call that received
 * datagrams before it, and the next call, which starts there, fails with
 * it); SK_EWRONGROLE (not a datagram object); SK_ECLOSED; SK_ENOTCONN
 * (an object that is not bound yet); SK_ETIMEOUT; SK_ECONNREFUSED;
 * SK_EHOSTUNREACH; SK_ENETUNREACH (POSIX, an object with a peer, as
 * sk_recvfrom); SK_EWOULDBLOCK (non-blocking mode: no datagram there);
 * SK_ENORESOURCES; SK_ESYSTEM (any other failure the system reports:
 * sk_syserror has its code).  On error *done is 0 and d is not touched.
 * @param[in] s a datagram object
 * @param[in,out] d where the datagrams go (data, len, from are read)
 * @param[in] n how many at most
 * @param[out] done receives how many arrived (required)
 */
SK_API int sk_recvmany(sk_sock *s, sk_dgram *d, size_t n, size_t *done);

/** sk_sendmanyaddr: sk_sendmany with the destinations in binary form: send
 * the n datagrams d[0..n-1] in order, d[i] to to[i] (as sk_sendtoaddr(s,
 * d[i].data, d[i].len, &to[i]) would; d[i].host and d[i].port are not
 * read), with as few system calls as the system allows, as sk_sendmany
 * does (runs of one length to one address go out as one message where the
 * system cuts them).  *done (may be NULL) receives how many were sent,
 * also on error: the error is about d[*done], and the ones before it are
 * gone; resume there.  Never raises SIGPIPE.
 * @return 0 (at once for n 0); SK_EINVAL (NULL object, d or to NULL with
 * n > 0, a datagram with NULL data and len > 0, an address no sockit call
 * made); SK_EWRONGROLE (not a datagram object); SK_ECLOSED; SK_EISCONN
 * (an object with a peer, n > 0); SK_EFAMILY; SK_EMSGSIZE; SK_ETIMEOUT;
 * SK_EACCESS; SK_ENETUNREACH; SK_EHOSTUNREACH; SK_EADDRNOTAVAIL;
 * SK_EWOULDBLOCK (non-blocking mode: no room); SK_ENORESOURCES;
 * SK_ESYSTEM: each as sk_sendtoaddr says, for d[*done].
 * @param[in] s a datagram object without a peer
 * @param[in] d the datagrams (data and len are read)
 * @param[in] to the destinations, to[i] for d[i]
 * @param[in] n how many
 * @param[out] done receives how many were sent, also on error; may be NULL
 */
SK_API int sk_sendmanyaddr(sk_sock *s, const sk_dgram *d, const sk_addr *to,
                           size_t n, size_t *done);

/** sk_recvmanyaddr: sk_recvmany with the senders in binary form: receive
 * up to n datagrams into d[0..n-1] exactly as sk_recvmany does (the same
 * waits, batches, peer and ICMP rules), the sender of d[i] into from[i]
 * for each i < *done (d[i].from is not read; the other from[i] are not
 * touched), as sk_recvfromaddr gives it.
 * @return 0 with *done >= 1, or 0 with *done 0 for n 0; SK_EINVAL (NULL
 * object, d or from NULL with n > 0, done NULL, a datagram with NULL data
 * and len > 0 as sk_recvmany says); SK_EWRONGROLE (not a datagram object);
 * SK_ECLOSED; SK_ENOTCONN (an object that is not bound yet); SK_ETIMEOUT;
 * SK_ECONNREFUSED; SK_EHOSTUNREACH; SK_ENETUNREACH (POSIX, an object with a
 * peer, as sk_recvfrom); SK_EWOULDBLOCK (non-blocking mode: no datagram
 * there); SK_ENORESOURCES; SK_ESYSTEM (any other failure the system
 * reports: sk_syserror has its code).  On error *done is 0 and d is not
 * touched.
 * @param[in] s a datagram object
 * @param[in,out] d where the datagrams go (data and len are read)
 * @param[out] from where their senders go, from[i] for d[i]
 * @param[in] n how many at most
 * @param[out] done receives how many arrived (required)
 */
SK_API int sk_recvmanyaddr(sk_sock *s, sk_dgram *d, sk_addr *from, size_t n,
                           size_t *done);

/** sk_joingroup: join the multicast group (a numeric IPv4 or IPv6 address,
 * or a name whose addresses are tried in order) on the interface with index
 * ifindex (0: the one the system picks for the group's route; note that
 * joining sends a membership report on that interface).  A dual-stack
 * object's IPv6 socket joins IPv4 groups where the OS allows it.  To
 * receive the group's datagrams bind the object to "*" (or the group) and
 * the group's port.  Windows takes an IPv4 interface index as the address
 * 0.0.0.ifindex (Wine refuses that: SK_EINVAL; it takes ifindex 0).
 * @return 0; SK_EINVAL (NULL object or group, empty, "*" or over-long
 * group, ifindex < 0, or not a multicast address);
 * SK_EWRONGROLE (not a datagram object); SK_ECLOSED; SK_EUNSUPPORTED (a
 * UNIX-domain object, or the OS lacks it); SK_EADDRNOTAVAIL (no such
 * interface, or it takes no multicast); SK_EADDRINUSE (joined already, on
 * some systems); SK_EHOSTNOTFOUND; SK_ENAMETEMP (the resolver failed for
 * now); SK_EFAMILY (a group of a family the object's socket cannot
 * join); SK_ENORESOURCES (no memory or descriptors, or the system's
 * limit of memberships); SK_ESYSTEM (any other failure the system reports:
 * sk_syserror has its code).
 * @param[in] s a datagram object
 * @param[in] group the multicast group: a numeric address or a name
 * @param[in] ifindex the interface index, 0 for the system's choice
 */
SK_API int sk_joingroup(sk_sock *s, const char *group, int ifindex);

/** sk_leavegroup: leave a group joined with sk_joingroup (the same group
 * and ifindex).  @return as sk_joingroup; SK_EADDRNOTAVAIL (or SK_EINVAL on
 * some systems) when the group was not joined.
 * @param[in] s a datagram object
 * @param[in] group the group given to sk_joingroup
 * @param[in] ifindex the ifindex given to sk_joingroup
 */
SK_API int sk_leavegroup(sk_sock *s, const char *group, int ifindex);

/** sk_joingroupif: sk_joingroup with the interface named as text, the way
 * LuaSocket's "ip-add-membership" {multiaddr, interface} and nixio name
 * it: NULL, "" or "*" for the system's choice; a numeric IPv4 address for
 * the interface that has it (IPv4 groups only); decimal digits for an
 * interface index, as sk_joingroup's ifindex (IPv6 interfaces are named
 * by index, as LuaSocket's "ipv6-add-membership" does).
 * @param s      a datagram object
 * @param group  as sk_joingroup
 * @param iface  the interface: NULL, "", "*", "a.b.c.d" or an index
 * @return 0; SK_EINVAL (s or group NULL, a bad group as sk_joingroup, an
 *         iface that is none of those forms (names are not looked up), an
 *         index above 999999999, or an IPv4 interface address for an IPv6
 *         group); SK_EWRONGROLE (not a datagram object); SK_ECLOSED;
 *         SK_EUNSUPPORTED (an IPv6 address as iface, a UNIX-domain
 *         object, or the OS lacks it); SK_EADDRNOTAVAIL (no interface has
 *         that address or index, or it takes no multicast);
 *         SK_EADDRINUSE (joined already, on some systems);
 *         SK_EHOSTNOTFOUND; the other errors of sk_joingroup. */
SK_API int sk_joingroupif(sk_sock *s, const char *group, const char *iface);

/** sk_leavegroupif: leave a group joined with sk_joingroupif (the same
 * group and iface).
 * @param s      a datagram object
 * @param group  as sk_joingroupif
 * @param iface  as sk_joingroupif
 * @return as sk_joingroupif; SK_EADDRNOTAVAIL (or SK_EINVAL on some
 *         systems) when the group was not joined there. */
SK_API int sk_leavegroupif(sk_sock *s, const char *group, const char *iface);

/** sk_setmulticastif: the interface outgoing multicast uses, named as text
 * (LuaSocket's "ip-multicast-if" takes an address): NULL, "" or "*" for
 * the system's choice; a numeric IPv4 address for the interface that has
 * it (IPv4 multicast, also through a dual-stack object's IPv6 socket where
 * the OS allows it); decimal digits for an interface index (as
 * sk_setoption(s, SK_OPT_MULTICAST_IF, index), and remembered the same
 * way on a dual-stack object without a socket).  An object without a
 * socket gets one for an address, as sk_joingroup does.
 * @param s      a datagram object
 * @param iface  the interface: NULL, "", "*", "a.b.c.d" or an index
 * @return 0; SK_EINVAL (s NULL, an iface that is none of those forms, an
 *         index above 999999999); SK_EWRONGROLE (not a datagram object);
 *         SK_ECLOSED; SK_EUNSUPPORTED (an IPv6 address as iface, a
 *         UNIX-domain object, or the socket takes no IPv4 option);
 *         SK_EADDRNOTAVAIL (no interface has that address or index);
 *         SK_ENORESOURCES; the errors of sk_setoption. */
SK_API int sk_setmulticastif(sk_sock *s, const char *iface);

/** @} */

/** @addtogroup unix
 * @{ */
/* ---- UNIX-domain sockets --------------------------------------------- */
/* (UNIX stream and datagram objects.) */

/** sk_unix: create a UNIX-domain stream master in *out (its socket exists at
 * once).  It follows the TCP model with a path where TCP has a host and
 * port 0 where TCP has a port: sk_bind(s, path, 0) and sk_listen make a
 * server, sk_accept makes clients, sk_connect(s, path, 0) makes a client;
 * every stream call (send, receive, read, shutdown, select, timeouts,
 * stats, dirty, names, getfd/setfd) works unchanged.
 *
 * Paths: any non-empty path that fits the system's sun_path with its NUL
 * (at most 107 bytes on Linux and Windows, 103 on macOS); a longer one is
 * SK_EINVAL, never truncated.  A path starting with '@' names Linux's
 * abstract namespace ("@name": no file, up to 107 bytes after the '@');
 * elsewhere it is SK_EUNSUPPORTED.  "*" (any address) and a port other
 * than 0 are SK_EINVAL, so sk_listen on an unbound UNIX master is
 * SK_EINVAL.  Names (sk_getsockname, sk_getpeername, sk_accept's peer)
 * have family "unix", port 0 and the path as addr ("@name" for abstract
 * names; "" for an unnamed socket, such as a client that never bound).
 *
 * Socket files: an object removes the filesystem path that its own
 * sk_bind created when it is closed (sk_close or sk_free; sk_setfd does not
 * change this; a relative path is remembered as an absolute one).  A path
 * that exists already - a socket file left by a crashed process, or any
 * other file - makes sk_bind fail with SK_EADDRINUSE and is left alone:
 * remove it and bind again.  A forked child that closes its copy of the
 * object removes the path too.
 *
 * Errors specific to paths: SK_EHOSTNOTFOUND when binding in a directory
 * that does not exist or connecting to a path that names nothing;
 * SK_ECONNREFUSED when connecting to a path that is not a socket, has
 * nobody listening (a stale file), or whose server's backlog is full (also
 * on Linux, which would otherwise queue the caller); SK_EACCESS for
 * permissions.  TCP's options and ipv6-v6only are SK_EUNSUPPORTED.
 *
 * @return 0; SK_EINVAL (out is NULL); SK_EUNSUPPORTED (the system has no
 * UNIX-domain sockets: Windows before 10 1803, and Wine, whose socket
 * layer refuses AF_UNIX); SK_ENORESOURCES.  The caller owns *out and
 * releases it with sk_free.
 * @param[out] out receives the new object, owned by the caller
 */
SK_API int sk_unix(sk_sock **out);

/** sk_unixdgram: create a UNIX-domain datagram object in *out, in the
 * SK_ROLE_UNCONNECTED role.  It takes the datagram calls with a path as
 * host and port 0 (sk_bind, sk_sendto, sk_recvfrom, sk_setpeername); paths,
 * names, abstract names and socket files are as for sk_unix.  A sender that
 * never bound is unnamed: its datagrams come with an empty address and
 * cannot be answered.  @return 0; SK_EINVAL (out is NULL); SK_EUNSUPPORTED
 * (no UNIX-domain datagrams: always on Windows); SK_ENORESOURCES.
 * @param[out] out receives the new object, owned by the caller
 */
SK_API int sk_unixdgram(sk_sock **out);

/** @} */

/** @addtogroup lookup
 * @{ */
/* ---- address lookup -------------------------------------------------- */
/* (Forward and reverse lookups, the local host name.) */

/** Flags of sk_getaddrinfo, combined with |.  Any other bit is
 * SK_EINVAL. */
enum sk_lookup_flags {
    SK_LOOKUP_CANONNAME = 1,  /**< also report the host's canonical name in
                                 sk_addrlist::canonname (needs a host) */
    SK_LOOKUP_PASSIVE = 2,    /**< a NULL host means the any-address
                                 ("0.0.0.0", "::"), for binding, instead of
                                 the loopback address */
    SK_LOOKUP_NUMERICHOST = 4 /**< the host must be a numeric address: no
                                 resolver is asked, a name is
                                 SK_EHOSTNOTFOUND */
};

/** Room for any host name sk_getnameinfo or sk_gethostname reports, with
 * its NUL (NI_MAXHOST): with a buffer this large neither call ever fails
 * with SK_ENORESOURCES for want of room. */
#define SK_NAMESTRLEN 1025

/** One address of a lookup. */
typedef struct sk_addrinfo {
    int family; /**< SK_AF_INET or SK_AF_INET6 (enum sk_family); an
                   IPv4-mapped IPv6 address is shown as IPv4 with
                   SK_AF_INET, as everywhere in sockit */
    int type; /**< SK_STREAM or SK_DGRAM (enum sk_socktype) */
    char addr[SK_ADDRSTRLEN]; /**< numeric text, "127.0.0.1" or "::1" */
    int port; /**< 0..65535; 0 when no service was given */
} sk_addrinfo;

/** The result of sk_getaddrinfo, owned by the caller: release it with
 * sk_addrlist_free.  {NULL, 0, NULL} is the empty list. */
typedef struct sk_addrlist {
    sk_addrinfo *items; /**< count entries (malloc'd), NULL when empty */
    size_t count; /**< number of entries */
    char *canonname; /**< the canonical name (malloc'd) with
                        SK_LOOKUP_CANONNAME, otherwise NULL */
} sk_addrlist;

/** sk_getaddrinfo: the addresses of host and service, in resolver order,
 * into *out (overwritten without being read: free an earlier result
 * first).
 *
 * host is a name or a numeric IPv4/IPv6 address (at most 255 bytes), or
 * NULL: then the any-address with SK_LOOKUP_PASSIVE, the loopback address
 * without.  service is NULL (port 0), a port number "0".."65535" (digits
 * only), or a service name from the system's services database ("http").
 * family is SK_AF_UNSPEC (both), SK_AF_INET or SK_AF_INET6.  type is
 * SK_STREAM, SK_DGRAM, or 0 for both: every address then comes once per
 * type the resolver reports for it (glibc leaves out a type the service
 * name does not exist for; Windows does not split by type, so there each
 * address is listed for SK_STREAM and for SK_DGRAM).  flags are enum
 * sk_lookup_flags.  Raw-socket answers are left out, and so is every entry
 * equal to an earlier one: no two entries are the same.  With
 * SK_LOOKUP_CANONNAME, out->canonname is the resolver's canonical name, or
 * a copy of host where the resolver gives none (a numeric host on
 * Windows).
 *
 * Names may be sent to the system's resolver (hosts file, DNS), which can
 * block; numeric hosts never are.  On error *out is the empty list.
 * @return 0; SK_EINVAL (out NULL; host and service both NULL; empty or
 * over-long host; empty service, a number above 65535, a service name over
 * 255 bytes; family not an enum sk_family value; type not 0, SK_STREAM or
 * SK_DGRAM; an unknown flag; SK_LOOKUP_CANONNAME with a NULL host);
 * SK_EFAMILY (family SK_AF_UNIX, or a family the system does not
 * support); SK_EHOSTNOTFOUND (no such host, no address in the family, or a
 * name with SK_LOOKUP_NUMERICHOST); SK_ENAMETEMP (the resolver failed for
 * now: try again later); SK_ENOSERVICE (unknown service name, or not
 * defined for the type); SK_ENORESOURCES (no memory); SK_ESYSTEM.
 * @param[in] host a name or a numeric address, or NULL
 * @param[in] service a port number or a service name, or NULL
 * @param[in] family SK_AF_UNSPEC, SK_AF_INET or SK_AF_INET6
 * @param[in] type SK_STREAM, SK_DGRAM, or 0 for both
 * @param[in] flags enum sk_lookup_flags values combined with |, or 0
 * @param[out] out receives the list (release it with sk_addrlist_free)
 */
SK_API int sk_getaddrinfo(const char *host, const char *service, int family,
                          int type, int flags, sk_addrlist *out);

/** sk_addrlist_free: free a list's entries and canonical name and reset it
 * to empty (safe to call again).  NULL is a no-op.
 * @param[in,out] list the list, or NULL
 */
SK_API void sk_addrlist_free(sk_addrlist *list);

/** sk_getnameinfo: the host name of a numeric address (IPv4 or IPv6 text)
 * into name, cap bytes with the NUL; the resolver is asked (hosts file,
 * DNS), which can block.  The numeric text is never reported as a name.
 * On error name is "" (when name is not NULL and cap > 0): never a
 * truncated name.  @return 0; SK_EINVAL (addr NULL, empty, over-long or
 * not a numeric address; name NULL; cap 0); SK_EHOSTNOTFOUND (the address
 * has no name); SK_ENAMETEMP; SK_ENORESOURCES (the name does not fit in
 * cap bytes, or no memory: SK_NAMESTRLEN bytes always fit).
 * @param[in] addr a numeric IPv4 or IPv6 address
 * @param[out] name receives the host name, NUL-terminated
 * @param[in] cap the room in name, with the NUL (SK_NAMESTRLEN always fits)
 */
SK_API int sk_getnameinfo(const char *addr, char *name, size_t cap);

/** sk_gethostname: the local host's name, as the system reports it, into
 * name, cap bytes with the NUL.  On error name is "" (when name is not
 * NULL and cap > 0).  @return 0; SK_EINVAL (name NULL, cap 0);
 * SK_ENORESOURCES (the name does not fit in cap bytes: SK_NAMESTRLEN bytes
 * always fit); SK_ESYSTEM.
 * @param[out] name receives the host name, NUL-terminated
 * @param[in] cap the room in name, with the NUL (SK_NAMESTRLEN always fits)
 */
SK_API int sk_gethostname(char *name, size_t cap);

/** @} */

/** @addtogroup files
 * @{ */
/* ---- sending files and gathered buffers ------------------------------ */
/* (sk_sendfile, sk_sendv.) */

/** sk_sendfile: send bytes [offset, offset + length) of a file through a
 * client, with the system's zero-copy call where there is one (sendfile on
 * Linux, FreeBSD and macOS; TransmitFile on Windows, in segments of at most
 * 64 KiB) and a read-and-send loop elsewhere.  Ranges shorter than 4 KiB,
 * files the zero-copy call refuses (Linux: /proc and some other special
 * files), and peers on this host (a UNIX-domain socket, a loopback
 * address, or the socket's own address: there zero-copy costs the
 * receiving end more than it saves the sender, measured on Linux in
 * bench/RESULTS.md) take the read-and-send loop too, as does a client
 * speaking TLS (the bytes go through its records; the error codes sk_send
 * lists over TLS then apply too).
 *
 * file is a descriptor open for reading: from open() on POSIX; on Windows
 * a C runtime descriptor (_open, _fileno) of the C runtime sockit is built
 * with, whose handle is found with _get_osfhandle (a number that is not an
 * open descriptor goes to that runtime's invalid-parameter handler, which
 * may end the program).  fileno(fp) works on both, but bytes already
 * buffered in fp are not seen.  The file must be readable at an offset (a
 * regular file; on Windows a disk file): a pipe, socket or terminal gives
 * SK_EINVAL.  The file position is neither used nor moved (on Windows it
 * is put back after each file access, so the descriptor must not be used
 * by another thread during the call).
 *
 * length -1 sends through the end of the file.  A file that ends before
 * offset + length is not an error: the call stops at the end and returns 0
 * with *sent short of length (0 when offset is at or past the end), so
 * compare *sent with what you asked for.  length 0 returns 0 at once.
 *
 * *sent (may be NULL) receives the bytes sent, also on error: resume at
 * offset + *sent.  Timeouts apply as for sk_send (block to each wait, total
 * to the whole call); the bytes are counted in the statistics; never raises
 * SIGPIPE (on Linux, where sendfile would, the signal is blocked in the
 * calling thread for the call and any SIGPIPE it caused is taken back).
 * A client whose connect timed out is settled first, as by sk_send.  On
 * Windows a TransmitFile segment that has to wait watches the socket with
 * WSAEventSelect(FD_CLOSE) meanwhile, which ends any WSAEventSelect or
 * WSAAsyncSelect association the caller made on sk_getfd's socket.
 *
 * @return 0; SK_EINVAL (NULL object, file < 0, length < -1, offset above
 * 2^63 - 1 or above what the system's file offsets hold, offset + length
 * above 2^63 - 1, a descriptor that is not open for reading or cannot be
 * read at an offset); SK_EWRONGROLE (not a client); SK_ECLOSED (a closed
 * object, the peer gone or sending shut down); SK_ECONNRESET; SK_ETIMEOUT;
 * SK_EWOULDBLOCK (non-blocking mode: no room, or the connection still
 * pending); SK_ENORESOURCES (no memory for the read-and-send buffer);
 * SK_ESYSTEM (reading the file failed, e.g. an I/O error, or any other
 * failure the system reports; see sk_syserror).
 * @param[in] s a client
 * @param[in] file a file descriptor open for reading
 * @param[in] offset the first byte of the file to send
 * @param[in] length how many bytes to send; -1: through the end of the file
 * @param[out] sent receives the bytes sent, also on error; may be NULL
 */
SK_API int sk_sendfile(sk_sock *s, int file, uint64_t offset, int64_t length,
                       uint64_t *sent);

/** One buffer of a gathered send (sk_sendv): len bytes at data. */
typedef struct sk_iovec {
    const void *data; /**< the bytes; may be NULL when len is 0 */
    size_t len;       /**< how many bytes */
} sk_iovec;

/** sk_sendv: send the n buffers iov[0..n-1], in order, as one stream of
 * bytes, with the system's gathered send (sendmsg on POSIX, WSASend on
 * Windows), continuing after partial sends within the timeouts until every
 * byte is sent.  Empty buffers are skipped; any n is allowed (more buffers
 * than the system takes in one call, IOV_MAX, go in batches).  The caller
 * keeps ownership of iov and the buffers.  *sent (may be NULL) receives the
 * total bytes sent, also on error: resume by skipping that many bytes.
 * Timeouts apply as for sk_send; the bytes are counted in the statistics;
 * never raises SIGPIPE.  Over TLS the buffers are gathered into records:
 * small buffers share a record (up to its 16 KiB), not one record each.
 * @return 0 (at once for n 0 or when every buffer
 * is empty); SK_EINVAL (NULL object, NULL iov with n > 0, NULL data with
 * len > 0, a total length above SIZE_MAX); SK_EWRONGROLE (not a client);
 * SK_ECLOSED (a closed object, the peer gone or sending shut down);
 * SK_ECONNRESET; SK_ETIMEOUT; SK_EWOULDBLOCK (non-blocking mode: no
 * room, or the connection or its TLS handshake still pending);
 * SK_ENORESOURCES (the system's buffers ran out; over TLS also no memory
 * for gathering); SK_ETLSHANDSHAKE, SK_ETLSEXPIRED, SK_ETLSHOSTNAME,
 * SK_ETLSUNTRUSTED, SK_ETLSSELFSIGNED, SK_ETLSCERT (over TLS: the
 * handshake this send completed failed); SK_ETLSPROTOCOL, SK_ETLSNOCLOSE
 * (over TLS: the session failed); SK_ESYSTEM (any other failure the
 * system reports: sk_syserror has its code).
 * @param[in] s a client
 * @param[in] iov the buffers, sent in order
 * @param[in] n the number of buffers
 * @param[out] sent receives the total bytes sent, also on error; may be NULL
 */
SK_API int sk_sendv(sk_sock *s, const sk_iovec *iov, size_t n, size_t *sent);

/** @} */

/** @addtogroup state
 * @{ */
/* ---- state queries and blocking mode --------------------------------- */
/* (sk_getstate, sk_setblocking, options by level and name.) */

/** Protocol numbers as sk_getstate reports them (the IPPROTO_* values). */
enum sk_protocol {
    SK_PROTO_DEFAULT = 0, /**< the family's only protocol (UNIX-domain) */
    SK_PROTO_TCP = 6,     /**< TCP (IPPROTO_TCP) */
    SK_PROTO_UDP = 17     /**< UDP (IPPROTO_UDP) */
};

/** What sk_getstate reports about an object.  The flags are 0 or 1 and
 * come from the object's own bookkeeping (what sockit did with it), except
 * "connected" for a stream client, which is asked of the OS without
 * waiting.  sk_setfd changes none of them but the family. */
typedef struct sk_state {
    int bound;        /**< the socket has a local address: a master after
                         sk_bind, a server, a stream client (connecting
                         gives it one), a datagram object after sk_bind or
                         with a fixed peer */
    int connected;    /**< a stream client whose connection is established
                         now (0 while a connect that timed out or was
                         started in non-blocking mode is still pending, and
                         0 once the OS no longer has a peer: a failed
                         connect, a reset, both directions closed); a
                         datagram object with a fixed peer
                         (SK_ROLE_CONNECTED) */
    int listening;    /**< a server (after sk_listen) */
    int closed;       /**< after sk_close */
    int shut_receive; /**< sk_shutdown shut down receiving (SK_SHUT_RECEIVE
                         or SK_SHUT_BOTH succeeded) */
    int shut_send;    /**< sk_shutdown shut down sending (SK_SHUT_SEND or
                         SK_SHUT_BOTH succeeded) */
    int blocking;     /**< 1 in blocking mode (the default), 0 after
                         sk_setblocking(s, 0) */
    int family;       /**< enum sk_family of the socket; SK_AF_UNSPEC for a
                         dual-stack master that has no socket yet */
    int type;         /**< enum sk_socktype */
    int protocol;     /**< enum sk_protocol: SK_PROTO_TCP for stream and
                         SK_PROTO_UDP for datagram objects of the IP
                         families (also a dual-stack master's),
                         SK_PROTO_DEFAULT for UNIX-domain ones */
} sk_state;

/** sk_getstate: fill *out with the object's state (see sk_state).  Works on
 * every object, never waits and changes nothing.  A closed object reports
 * closed 1; bound, connected, listening, shut_receive and shut_send 0;
 * family, type and protocol as they were before the close; blocking as
 * last set.  @return 0, or SK_EINVAL (s or out NULL).
 * @param[in] s the object
 * @param[out] out receives the state
 */
SK_API int sk_getstate(const sk_sock *s, sk_state *out);

/** sk_setblocking: blocking (1, the default) or non-blocking (0) mode.  In
 * non-blocking mode no call waits: where it would (nothing to receive, no
 * room to send, nothing to accept, a connection still pending) it returns
 * SK_EWOULDBLOCK at once, with partial progress reported as usual (sk_send's
 * *last, the bytes sk_receive appended, sk_read's *got); what happened
 * before the wait stays done.  sk_connect starts the connect and returns 0
 * (connected at once) or SK_EINPROGRESS: the object is then a client whose
 * connection is pending (as after a connect timeout), and only the first
 * address whose connect did not fail at once is tried; sk_select it for
 * sending to learn when it is settled; until then sk_send / sk_receive /
 * sk_read return SK_EWOULDBLOCK, and the first of them after it failed
 * returns the connect's error.  Name resolution still blocks: give numeric
 * addresses.  sk_select is not affected (it has its own timeout).  The
 * timeouts of sk_settimeout are kept and apply again after
 * sk_setblocking(s, 1).  Clients returned by sk_accept inherit the server's
 * mode.  @return 0; SK_EINVAL (NULL, blocking not 0 or 1); SK_ECLOSED.
 * @param[in] s the object
 * @param[in] blocking 1 for blocking mode, 0 for non-blocking
 */
SK_API int sk_setblocking(sk_sock *s, int blocking);

/** sk_setsockopt: sk_setoption by nixio's level and option names; each pair
 * names an entry of the same option table as the LuaSocket names:
 * - "socket": "keepalive", "reuseaddr", "reuseport", "sndbuf", "rcvbuf",
 *   "linger", "broadcast", "error" (read-only: SK_OPT_ERROR);
 * - "tcp": "nodelay", "cork", "keepidle", "keepcnt", "keepintvl",
 *   "defer_accept", "fastopen", "fastopen_connect";
 * - "ip": "multicast_ttl", "multicast_loop", "multicast_if";
 * - "ipv6": "v6only", "multicast_hops", "multicast_loop", "multicast_if".
 *
 * The "ip" and "ipv6" multicast names are the same sockit options
 * ("ip-multicast-ttl", "ip-multicast-loop", "ip-multicast-if"), which act
 * on the socket's own family.  Names are exact and case-sensitive.  Values
 * follow sk_setoption's conventions.  @return 0; SK_EINVAL (s, level or name
 * NULL; unknown level, or a name that level does not have; an option this
 * build of sockit does not know; bad value); SK_EUNSUPPORTED; SK_ECLOSED;
 * the errors of sk_setoption.
 * @param[in] s the object
 * @param[in] level nixio's level: "socket", "tcp", "ip" or "ipv6"
 * @param[in] name the option's nixio name within level, e.g. "nodelay"
 * @param[in] value the option's value (booleans 0 or 1; see enum sk_option)
 */
SK_API int sk_setsockopt(sk_sock *s, const char *level, const char *name,
                         int value);

/** sk_getsockopt: sk_getoption by nixio's level and option names (the pairs
 * of sk_setsockopt) into *value.  @return 0; SK_EINVAL (s, level, name or
 * value NULL; unknown level or name); SK_EUNSUPPORTED; SK_ECLOSED; the
 * errors of sk_getoption.
 * @param[in] s the object
 * @param[in] level nixio's level: "socket", "tcp", "ip" or "ipv6"
 * @param[in] name the option's nixio name within level, e.g. "nodelay"
 * @param[out] value receives the option's value
 */
SK_API int sk_getsockopt(sk_sock *s, const char *level, const char *name,
                         int *value);

/** @} */

/** @addtogroup loop
 * @{ */
/* ---- event loop ------------------------------------------------------- */
/* (sk_loop: readiness of sk_socks, timers, posting from other threads.) */

typedef struct sk_loop sk_loop;   /**< opaque event loop: waits for the
                                     readiness of watched objects and for
                                     timers, and runs their callbacks on
                                     the thread that calls sk_loop_run */
typedef struct sk_timer sk_timer; /**< opaque one-shot or repeating timer of
                                     a loop */
typedef struct sk_watch sk_watch; /**< opaque registration of one sk_sock
                                     with a loop, for readiness */

/** Readiness, as sk_watch_set asks for it and a watch callback gets it
 * (combined with |). */
enum sk_events {
    SK_READABLE = 1, /**< can be read (or accepted) without waiting: bytes,
                        a pending client, end of stream, or an error the
                        next call reports; also buffered bytes (sk_dirty) */
    SK_WRITABLE = 2, /**< can be written without waiting, or a pending
                        connect has settled (either way) */
    SK_ERRORED = 4   /**< result only, given whatever the interest: the
                        system reports an error or hang-up on the socket
                        (see sk_watch_new for what each system reports) */
};

/** How sk_loop_run runs. */
enum sk_run_mode {
    SK_RUN_DEFAULT = 0, /**< iterate until sk_loop_stop, or until nothing is
                           left to wait for: no watch with interest, no
                           started timer and nothing posted */
    SK_RUN_ONCE = 1,    /**< one iteration: wait (if nothing is ready) until
                           something happens - readiness, a timer, a post
                           or sk_loop_wake - then dispatch it */
    SK_RUN_NOWAIT = 2   /**< one iteration that never waits: dispatch what
                           is ready now */
};

/** A timer's callback: t and the ud given to sk_timer_start. */
typedef void (*sk_timer_cb)(sk_timer *t, void *ud);
/** A watch's callback: w, the readiness seen (enum sk_events, never 0)
 * and the ud given to sk_watch_new. */
typedef void (*sk_watch_cb)(sk_watch *w, int events, void *ud);
/** A function run on the loop's thread by sk_loop_post. */
typedef void (*sk_post_cb)(void *ud);

/** sk_loop_new: a new event loop in *out with the best backend for this
 * system: on Linux "uring" (io_uring; plain TCP sk_conns then work by
 * completions, see sk_loop_new_backend) where io_uring is allowed and the
 * kernel has everything that needs (6.12 or later), else "epoll",
 * silently (containers often forbid io_uring); "kqueue" on macOS and the
 * BSDs, "poll" on other POSIX systems, "select" on Windows (sets sized
 * to need, no limit of 64).
 * sk_loop_backend says which runs.  There
 * is no fixed limit on watches.  Everything about a loop
 * (its objects, timers, watches and callbacks) belongs to one thread, the
 * one that runs it, except sk_loop_post and sk_loop_wake, which any thread
 * may call.  A loop has no process-wide state and uses no signals: any
 * number of loops may run, one per thread.  A loop belongs to the process
 * that made it: after fork the child neither runs nor frees the parent's
 * loops (an epoll set and an io_uring's rings are shared with the parent:
 * what the child changes there, the parent's loop sees) but makes its
 * own.  The caller owns *out and
 * releases it with sk_loop_free.  @return 0; SK_EINVAL (out NULL);
 * SK_ENORESOURCES (no memory or descriptors: a loop uses a descriptor for
 * its backend where it has one and one or two for its wake-up channel);
 * SK_ESYSTEM.
 * @param[out] out receives the new loop, owned by the caller
 */
SK_API int sk_loop_new(sk_loop **out);

/** sk_loop_new_backend: sk_loop_new with a named backend: "uring",
 * "epoll", "kqueue", "poll" or "select" (names are exact).  @return as
 * sk_loop_new; SK_EINVAL (backend NULL or not one of those names);
 * SK_EUNSUPPORTED (a backend this build or system has not got: "uring"
 * only on Linux, built unless SOCKIT_IO_URING=OFF, and only where the
 * kernel has io_uring 5.19 or later and allows it (containers often
 * forbid it: seccomp's EPERM, kernel.io_uring_disabled): the changes and
 * re-arming of every watch go to the kernel with the wait, one system
 * call per iteration; before 6.1 every completion interrupts the loop's
 * thread, and it is slower than "epoll" with thousands of busy
 * connections.  On it (6.0 and later) a plain TCP sk_conn (not TLS, no
 * read limit) works by completions: the kernel receives into the loop's
 * own buffers (none per connection) and the loop's wait hands over what
 * arrived, and what sk_conn_write is given while the loop dispatches a
 * wait of several completions goes out as sends submitted with the next
 * wait (or as sk_loop_run returns), so that busy connections cost no
 * system call of their own (other writes are offered to the system at
 * once, as on "epoll"); "epoll" only on Linux,
 * "kqueue" only on macOS and the BSDs, "poll" only on POSIX systems,
 * "select" only on Windows).
 * @param[out] out receives the new loop, owned by the caller
 * @param[in] backend the backend's name: "uring", "epoll", "kqueue",
 *                    "poll" or "select"
 */
SK_API int sk_loop_new_backend(sk_loop **out, const char *backend);

/** sk_loop_free: release the loop and every timer and watch it still has
 * (their pointers must not be used afterwards; the watched sk_socks are
 * left open and usable), and drop what was posted and not run.  Must not
 * be called from one of the loop's callbacks.  NULL is a no-op.
 * @param[in] loop the loop, or NULL
 */
SK_API void sk_loop_free(sk_loop *loop);

/** sk_loop_backend: the name of the loop's backend ("uring", "epoll",
 * "kqueue", "poll" or "select"), a static string; NULL for NULL.
 * @param[in] loop the loop
 * @return the backend's name (a static string), or NULL
 */
SK_API const char *sk_loop_backend(const sk_loop *loop);

/** sk_loop_run: run the loop in mode (enum sk_run_mode) on the calling
 * thread.  One iteration: wait (not with SK_RUN_NOWAIT, nor when something
 * is ready already: buffered bytes, a due timer, a post, a stop) for
 * readiness, the next timer, a post or sk_loop_wake; then call the watch
 * callbacks (each watch at most once, with all its readiness combined),
 * then the posted functions (in post order; those posted meanwhile wait
 * for the next iteration), then the callbacks of the timers that are due
 * (in deadline order; timers started meanwhile wait for the next
 * iteration).  A callback may call anything on the loop's objects,
 * including freeing any timer or watch: a freed or stopped timer or watch,
 * or a watch that lost interest, gets no further callback, not even later
 * in the same iteration.  Callbacks may see readiness that is gone by the
 * time they act (the sockets are non-blocking: treat SK_EWOULDBLOCK as
 * "wait again").  A signal that interrupts the wait makes an iteration
 * with nothing ready (SK_RUN_DEFAULT then waits again).  @return 0
 * (SK_RUN_DEFAULT: after sk_loop_stop, or when nothing is left to wait
 * for; the others: after their iteration); SK_EINVAL (loop NULL, bad mode,
 * or called from one of this loop's callbacks); or the backend's error
 * when waiting failed (SK_ENORESOURCES or SK_ESYSTEM).
 * @param[in] loop the loop
 * @param[in] mode SK_RUN_DEFAULT, SK_RUN_ONCE or SK_RUN_NOWAIT
 */
SK_API int sk_loop_run(sk_loop *loop, int mode);

/** sk_loop_stop: make the current sk_loop_run return once its iteration is
 * complete (call it on the loop's thread, from a callback); called while
 * the loop is not running, it makes the next sk_loop_run return after one
 * iteration that does not wait.  @return 0, SK_EINVAL (NULL).
 * @param[in] loop the loop
 */
SK_API int sk_loop_stop(sk_loop *loop);

/** sk_loop_wake: from any thread, make a waiting sk_loop_run return from
 * its wait (SK_RUN_ONCE then returns; SK_RUN_DEFAULT iterates again); a
 * loop that is not waiting returns from its next wait at once.  Wakes are
 * coalesced.  @return 0, SK_EINVAL (NULL), or SK_ESYSTEM when the wake-up
 * channel failed.
 * @param[in] loop the loop
 */
SK_API int sk_loop_wake(sk_loop *loop);

/** sk_loop_post: from any thread, queue fn(ud) to run on the loop's thread
 * in its next iteration (posts run in the order they were made) and wake
 * the loop.  A loop freed before the call ran drops it without calling it.
 * @return 0; SK_EINVAL (loop or fn NULL); SK_ENORESOURCES (no memory: fn
 * will not run); SK_ESYSTEM (the wake-up channel failed: fn is queued and
 * runs with the next iteration).
 * @param[in] loop the loop
 * @param[in] fn the function to run on the loop's thread
 * @param[in] ud handed to fn unchanged
 */
SK_API int sk_loop_post(sk_loop *loop, sk_post_cb fn, void *ud);

/** sk_loop_now: the loop's time in seconds on a monotonic clock (an
 * arbitrary origin), as read when the loop was made and after each of its
 * waits: constant within the callbacks of one iteration.  0 for NULL.
 * @param[in] loop the loop
 * @return the time in seconds, or 0 for NULL
 */
SK_API double sk_loop_now(const sk_loop *loop);

/** sk_timer_new: a new timer of loop in *out, not started.  Release it
 * with sk_timer_free (or sk_loop_free).  @return 0; SK_EINVAL (loop or out
 * NULL); SK_ENORESOURCES.
 * @param[in] loop the loop
 * @param[out] out receives the new timer
 */
SK_API int sk_timer_new(sk_loop *loop, sk_timer **out);

/** sk_timer_start: (re)start t: cb(t, ud) runs after `after` seconds (0:
 * the next iteration), then, when repeat > 0, every repeat seconds (the
 * resolution is 1 ms for waiting and 1 us for deadlines).  after is
 * counted from this call, on a monotonic clock.  Repeats keep their phase
 * (deadline n is the first plus n - 1 periods: a late callback does not
 * push the later ones back); periods missed entirely (the loop was busy or
 * not running) are skipped, not run in a burst.  Timers fire in deadline
 * order, those with the same deadline in the order they were started.  A
 * started timer is restarted with the new values.  after and repeat follow
 * the timeout rule of sk_settimeout: an after that is negative or +inf
 * (no limit) never comes, so the timer is left stopped; a repeat that is
 * negative or +inf means no repeat, as 0 does.  @return 0; SK_EINVAL (t or
 * cb NULL; after or repeat NaN or finite above 1e9 seconds).
 * @param[in] t the timer
 * @param[in] after seconds until the first call (0: the next iteration;
 *                  negative or +inf: never)
 * @param[in] repeat the period in seconds after that; 0, negative or +inf:
 *                   once
 * @param[in] cb the function called when the timer fires
 * @param[in] ud user data, handed to the callback unchanged
 */
SK_API int sk_timer_start(sk_timer *t, double after, double repeat,
                          sk_timer_cb cb, void *ud);

/** sk_timer_stop: stop t; it keeps its values and can be started again.
 * Stopping a stopped timer is 0.  A one-shot timer is stopped when its
 * callback runs.  @return 0, SK_EINVAL (NULL).
 * @param[in] t the timer
 */
SK_API int sk_timer_stop(sk_timer *t);

/** sk_timer_free: stop and release t (also from any callback, its own
 * included).  NULL is a no-op.
 * @param[in] t the timer, or NULL
 */
SK_API void sk_timer_free(sk_timer *t);

/** sk_watch_new: register s with loop in *out, with no interest yet (use
 * sk_watch_set); cb(w, events, ud) is called when s is ready for what the
 * watch is interested in.  An object has at most one watch at a time;
 * sk_watch_free never touches its socket.  The object stays usable with every sk_ call (put it in non-blocking mode
 * with sk_setblocking so that nothing waits in a callback); an object
 * with buffered bytes (sk_dirty) and SK_READABLE interest is reported
 * readable without waiting, as sk_select does.  Closing or freeing the
 * object first (sk_close, sk_free) takes its socket out of the loop: the
 * watch stays allocated but inert (sk_watch_set says SK_ECLOSED) until
 * sk_watch_free.  The watch follows the object's socket: sk_setfd, and
 * sk_connect where it replaces a master's socket (a failed attempt), move
 * it to the new handle with the same interest (a handle the backend
 * refuses leaves the watch paused).
 * SK_ERRORED is reported by epoll and poll on a reset or refused
 * connection and when both directions are closed (with the readiness the
 * system gives besides), by kqueue on a socket error or a write side that
 * is shut, and by select (Windows) only for a connect that failed (a reset
 * peer is SK_READABLE there: the read reports it).  @return 0; SK_EINVAL
 * (loop, s, cb or out NULL; s watched already or in an sk_selector);
 * SK_ECLOSED (s closed);
 * SK_ENORESOURCES.
 * @param[in] loop the loop
 * @param[in] s the object to watch
 * @param[in] cb the function called when s is ready
 * @param[in] ud user data, handed to the callback unchanged
 * @param[out] out receives the new watch
 */
SK_API int sk_watch_new(sk_loop *loop, sk_sock *s, sk_watch_cb cb, void *ud,
                        sk_watch **out);

/** sk_watch_set: the watch's interest: SK_READABLE, SK_WRITABLE, both, or
 * 0 to pause it (a paused watch gets no callback and does not keep
 * SK_RUN_DEFAULT running).  Takes effect from the next wait, or at once
 * inside a callback (readiness already seen is then filtered by the new
 * interest).  @return 0; SK_EINVAL (NULL, events outside READABLE |
 * WRITABLE, non-zero events on an object without a socket yet, such as a
 * dual-stack master before sk_bind, or a handle the backend refuses: not
 * a socket, or one another object's watch has already); SK_ECLOSED (the
 * object was closed or freed; 0 events is still 0); SK_ENORESOURCES;
 * SK_ESYSTEM.
 * @param[in] w the watch
 * @param[in] events SK_READABLE, SK_WRITABLE, both (combined with |), or 0
 */
SK_API int sk_watch_set(sk_watch *w, int events);

/** sk_watch_free: unregister and release w (also from any callback, its
 * own included); the object is not closed and may be watched again.  NULL
 * is a no-op.
 * @param[in] w the watch, or NULL
 */
SK_API void sk_watch_free(sk_watch *w);

/** @} */

/** @addtogroup conn
 * @{ */
/* ---- event-driven connections ----------------------------------------- */
/* (sk_conn: TcpSocket's state machine and handlers on an sk_loop, async
 * host lookup, Happy Eyeballs; sk_server: accepting on the loop.) */

typedef struct sk_conn sk_conn;     /**< opaque event-driven TCP connection
                                       (TcpSocket) driven by an sk_loop */
typedef struct sk_server sk_server; /**< opaque event-driven listener that
                                       hands each accepted connection over
                                       as an sk_conn */

/** The states of an sk_conn, with TcpSocket's numeric values (5 is not
 * used). */
enum sk_conn_state {
    SK_CONN_UNCONNECTED = 0, /**< no connection (the initial state) */
    SK_CONN_HOST_LOOKUP = 1, /**< sk_conn_connect is looking up the host */
    SK_CONN_CONNECTING = 2,  /**< connection attempts are under way */
    SK_CONN_CONNECTED = 3,   /**< a connection is established */
    SK_CONN_BOUND = 4,       /**< bound to a local port (sk_conn_bind), not
                                connected */
    SK_CONN_CLOSING = 6,     /**< closing: pending bytes are being written
                                (sk_conn_disconnect, or the peer closed) */
    SK_CONN_ENCRYPTING = 7   /**< TLS handshake under way (sk_conn_settls, or
                                a TLS listener's connection): bytes written
                                are queued; connected follows it */
};

/** TcpSocket's error table: code, value, message.  Each connection keeps
 * the last error (sk_conn_error) and hands it to its error handler; the
 * SSL codes come from TLS (sk_conn_settls, sk_tls_listen): 13 a failed
 * handshake or verification, 20 a protocol error or a peer that closed
 * without close_notify, 21 an unusable certificate or key. */
#define SK_CONN_ERRORS(X)                                                   \
    X(SK_CONN_ERR_CONNECTION_REFUSED, 0, "connection refused")              \
    X(SK_CONN_ERR_REMOTE_HOST_CLOSED, 1, "remote host closed the "          \
                                         "connection")                      \
    X(SK_CONN_ERR_HOST_NOT_FOUND, 2, "host not found")                      \
    X(SK_CONN_ERR_SOCKET_RESOURCE, 4, "out of socket resources")            \
    X(SK_CONN_ERR_SOCKET_TIMEOUT, 5, "socket operation timed out")          \
    X(SK_CONN_ERR_DATAGRAM_TOO_LARGE, 6, "datagram too large")              \
    X(SK_CONN_ERR_NETWORK, 7, "network error")                              \
    X(SK_CONN_ERR_UNSUPPORTED_OPERATION, 10, "unsupported socket "          \
                                             "operation")                   \
    X(SK_CONN_ERR_OPERATION_IN_PROGRESS, 11, "operation in progress")       \
    X(SK_CONN_ERR_SSL_HANDSHAKE_FAILED, 13, "SSL handshake failed")         \
    X(SK_CONN_ERR_WRONG_STATE, 19, "operation not allowed in this state")   \
    X(SK_CONN_ERR_SSL_INTERNAL, 20, "SSL internal error")                   \
    X(SK_CONN_ERR_SSL_INVALID_DATA, 21, "SSL invalid data")                 \
    X(SK_CONN_ERR_TEMPORARY, 22, "temporary error")                         \
    X(SK_CONN_ERR_UNKNOWN, -1, "unknown error")

/** The connection error codes: the SK_CONN_ERRORS table. */
enum sk_conn_error {
#define SK__CONNERRENUM(name, value, text) name = value,
    SK_CONN_ERRORS(SK__CONNERRENUM)
#undef SK__CONNERRENUM
    SK_CONN_ERR_MAX = 22 /**< the highest value in the table */
};

/** sk_conn_errstr: a static, human-readable message for a connection error
 * (enum sk_conn_error); "unknown error" for a value outside the table.
 * Never NULL.
 * @param[in] error an enum sk_conn_error value
 * @return the message: a static string, never NULL
 */
SK_API const char *sk_conn_errstr(int error);

/** sk_conn_errcode: the connection error (enum sk_conn_error) that stands
 * for an SK_E* code: SK_ECONNREFUSED is CONNECTION_REFUSED; SK_ECLOSED and
 * SK_ECONNRESET REMOTE_HOST_CLOSED; SK_EHOSTNOTFOUND and SK_ENOSERVICE
 * HOST_NOT_FOUND; SK_ENORESOURCES SOCKET_RESOURCE; SK_ETIMEOUT
 * SOCKET_TIMEOUT; SK_EMSGSIZE and SK_ETRUNCATED DATAGRAM_TOO_LARGE;
 * SK_ENETUNREACH and SK_EHOSTUNREACH NETWORK; SK_EUNSUPPORTED and
 * SK_EFAMILY UNSUPPORTED_OPERATION; SK_EINPROGRESS OPERATION_IN_PROGRESS;
 * SK_EWRONGROLE, SK_EISCONN and SK_ENOTCONN WRONG_STATE; SK_EWOULDBLOCK and
 * SK_ENAMETEMP TEMPORARY; every other value (0, SK_EADDRINUSE,
 * SK_EADDRNOTAVAIL, SK_EACCESS, SK_EINVAL, SK_ETOOLONG, SK_ESYSTEM, and
 * any value outside the table) UNKNOWN.
 * @param[in] code an SK_E* code
 * @return the enum sk_conn_error value
 */
SK_API int sk_conn_errcode(int code);

/** A connection's handlers (TcpSocket's event handlers).  Any of them may
 * be NULL.  Every handler runs on the loop's thread and gets the
 * connection and the ud given to sk_conn_sethandlers.  A handler may call
 * anything on the connection, sk_conn_free included.
 *
 * Order: every change of state calls state_changed exactly once, with the
 * new state, in the order the changes happen.  A connect calls
 * state_changed(HOST_LOOKUP), host_found, state_changed(CONNECTING),
 * state_changed(CONNECTED), connected.  A failure is reported in the state
 * where it happened - error(code), then state_changed(UNCONNECTED) - and
 * when the peer closes a connection, error(REMOTE_HOST_CLOSED) comes while
 * the state is still CONNECTED, then (through CLOSING only when written
 * bytes are still pending) state_changed(UNCONNECTED), disconnected.
 * disconnected follows state_changed(UNCONNECTED) whenever a connection
 * that was CONNECTED ends, and only then.  When a handler changes the
 * state itself (sk_conn_abort in state_changed(CONNECTED), say), the
 * handlers of the older change that had not run yet are not called.
 *
 * Name the handlers you set with designated initializers (C99, C++20);
 * the others are NULL:
 * @code
 * sk_conn_handlers h = { .connected = on_up, .ready_read = on_data };
 * sk_conn_sethandlers(c, &h, my_state);
 * @endcode
 * (In C89 or older C++: `sk_conn_handlers h; memset(&h, 0, sizeof h);
 * h.connected = on_up; ...`.) */
typedef struct sk_conn_handlers {
    /** connected: the connection is established (after
     * state_changed(CONNECTED)). */
    void (*connected)(sk_conn *c, void *ud);
    /** disconnected: a connection that was established has ended (after
     * state_changed(UNCONNECTED)). */
    void (*disconnected)(sk_conn *c, void *ud);
    /** error: an error happened; error is an enum sk_conn_error (see
     * sk_conn_error for the SK_E* code behind it). */
    void (*error)(sk_conn *c, int error, void *ud);
    /** state_changed: the state is now state (enum sk_conn_state). */
    void (*state_changed)(sk_conn *c, int state, void *ud);
    /** host_found: the lookup of sk_conn_connect's host succeeded (before
     * state_changed(CONNECTING)). */
    void (*host_found)(sk_conn *c, void *ud);
    /** ready_read: new bytes arrived; available is the number of bytes
     * the read buffer now holds (sk_conn_bytes_available).  Bytes left
     * unread stay for later; it is called again only when more arrive. */
    void (*ready_read)(sk_conn *c, size_t available, void *ud);
    /** bytes_written: count more of the bytes given to sk_conn_write were
     * handed to the system (at most one call per loop iteration). */
    void (*bytes_written)(sk_conn *c, size_t count, void *ud);
} sk_conn_handlers;

/** The most entries an sk_conn_resolver can return. */
#define SK_CONN_RESOLVE_MAX 64

/** A resolver hook (sk_conn_setresolver): fill out[0..*count-1] (at most
 * cap entries) with the addresses of host, in the order to try them, and
 * return 0, or return a negative SK_E* code (SK_EHOSTNOTFOUND,
 * SK_ENAMETEMP, ...; any other value counts as SK_EHOSTNOTFOUND).  Only
 * addr (a numeric IPv4 or IPv6 address) and port (1..65535; 0 means the
 * port given to sk_conn_connect) of each entry are read; entries whose
 * addr is not a numeric address are skipped.  It runs on a worker thread,
 * never on the loop's: it may block, and must not touch the connection or
 * its loop (except sk_loop_post / sk_loop_wake). */
typedef int (*sk_conn_resolver)(const char *host, int port, sk_addrinfo *out,
                                size_t cap, size_t *count, void *ud);

/** The callback of sk_conn_bind_async: result is 1 when the connection is
 * bound (state BOUND) and 0 when not; error is then the SK_E* code of the
 * failure (0 on success); ud is the one given to sk_conn_bind_async. */
typedef void (*sk_conn_bind_cb)(sk_conn *c, int result, int error, void *ud);

/** sk_conn_new: a new connection of loop in *out, in the UNCONNECTED
 * state, with no handlers.  It belongs to the loop's thread: every sk_conn
 * call must be made there, and the connection must be freed before its
 * loop.  The caller owns *out and releases it with sk_conn_free.  @return
 * 0; SK_EINVAL (loop or out NULL); SK_ENORESOURCES.
 * @param[in] loop the loop
 * @param[out] out receives the new connection, owned by the caller
 */
SK_API int sk_conn_new(sk_loop *loop, sk_conn **out);

/** sk_conn_free: abort whatever the connection is doing (as sk_conn_abort,
 * but calling no handler), cancel a host lookup in flight (its worker
 * thread finishes on its own and its result is dropped) and a pending
 * sk_conn_bind_async, and release the connection.  Allowed inside the
 * connection's own handlers.  NULL is a no-op.
 * @param[in] c the connection, or NULL
 */
SK_API void sk_conn_free(sk_conn *c);

/** sk_conn_sethandlers: copy *h as the connection's handlers, with ud
 * passed to each (h NULL: no handlers).  Takes effect at once.  The loop
 * keeps one copy of each distinct set, shared by the connections given it
 * (a server's connections, typically), so that a connection costs less
 * memory.  @return 0, SK_EINVAL (c NULL), SK_ENORESOURCES (no memory for
 * the copy of a set the loop has not got yet: the handlers and ud stay as
 * they were).
 * @param[in] c the connection
 * @param[in] h the handlers (copied), or NULL for none
 * @param[in] ud handed to every handler unchanged
 */
SK_API int sk_conn_sethandlers(sk_conn *c, const sk_conn_handlers *h,
                               void *ud);

/** sk_conn_setresolver: look hosts up with fn(host, port, ..., ud) on a
 * worker thread instead of the system's resolver, from the next
 * sk_conn_connect on; fn NULL goes back to the system's.  With a hook
 * every host goes to the hook, numeric ones too.  @return 0, SK_EINVAL (c
 * NULL), SK_ENORESOURCES (no memory for the connection's settings, which
 * are made when one first differs from its default: nothing changes).
 * @param[in] c the connection
 * @param[in] fn the resolver hook, or NULL for the system's resolver
 * @param[in] ud handed to fn unchanged
 */
SK_API int sk_conn_setresolver(sk_conn *c, sk_conn_resolver fn, void *ud);

/** sk_conn_settimeout: one of the connection's times, in seconds (1 ms
 * resolution), by mode:
 * - 'c': the connect timeout, covering a whole sk_conn_connect (the lookup,
 *   every attempt and, with sk_conn_settls, the TLS handshake of
 *   ENCRYPTING): when it runs out the error handler gets SOCKET_TIMEOUT
 *   (SK_ETIMEOUT in sk_conn_error) and the connection is UNCONNECTED.  No limit is the default (the system's own limits
 *   then end each attempt).
 * - 'd': the Happy Eyeballs delay (RFC 8305's Connection Attempt Delay):
 *   how long an attempt runs alone before the next address is tried
 *   beside it (default 0.25; 0 starts every address at once; no limit
 *   tries the addresses one after the other, each when the one before has
 *   failed).
 * - 'l': how long CLOSING waits for the peer to close after every pending
 *   byte was written (sk_conn_disconnect); then the connection is closed
 *   anyway.  Negative: no limit.  Default 30.
 *
 * 'c' is read when a connect starts, 'd' whenever an attempt starts, 'l'
 * when the flush ends.  One more use of 'c': set on a connection that a
 * TLS listener accepted (sk_tls_listen on sk_server_sock) while it is
 * ENCRYPTING, typically in the accept callback, it bounds that handshake
 * from then on (no limit lifts it again): a client that connects and never
 * completes the handshake ends with SOCKET_TIMEOUT (SK_ETIMEOUT) and the
 * connection is UNCONNECTED.  seconds follows the timeout rule of
 * sk_settimeout: negative or +inf is no limit (read back as -1); NaN and
 * finite values above 1e9 are refused; anything else is honoured to the
 * millisecond.
 * @return 0; SK_EINVAL (c NULL, unknown mode, seconds NaN or finite above
 * 1e9); SK_ENORESOURCES (no memory for the connection's settings, made
 * when one first differs from its default: the time is not changed; or no
 * memory for the accepted handshake's limit: the time is kept, the
 * handshake unbounded).
 * @param[in] c the connection
 * @param[in] seconds the time in seconds (see each mode)
 * @param[in] mode 'c' (connect), 'd' (Happy Eyeballs delay) or 'l' (linger in
 *                 CLOSING)
 */
SK_API int sk_conn_settimeout(sk_conn *c, double seconds, char mode);

/** sk_conn_gettimeout: the time of mode ('c', 'd' or 'l', see
 * sk_conn_settimeout) in *seconds (-1 for none).  @return 0, SK_EINVAL (c
 * or seconds NULL, unknown mode).
 * @param[in] c the connection
 * @param[in] mode 'c', 'd' or 'l' (see sk_conn_settimeout)
 * @param[out] seconds receives the time in seconds (-1: none)
 */
SK_API int sk_conn_gettimeout(const sk_conn *c, char mode, double *seconds);

/** sk_conn_setreadlimit: the most bytes the read buffer holds before the
 * connection stops reading from the system until the application reads
 * (TCP then slows the peer down); 0, the default, means no limit.
 * @return 0, SK_EINVAL (c NULL), SK_ENORESOURCES (no memory for the
 * connection's settings, made when one first differs from its default:
 * the limit is not changed).
 * @param[in] c the connection
 * @param[in] max the most bytes buffered; 0: no limit
 */
SK_API int sk_conn_setreadlimit(sk_conn *c, size_t max);

/** sk_conn_connect: connect to host and port (1..65535), from UNCONNECTED
 * or BOUND.  The read buffer is emptied first.  host is a name or a
 * numeric address (at most 255 bytes).  Names are looked up on a worker
 * thread (pthreads, Win32 threads) and the result comes back through the
 * loop: the loop never waits for a resolver; numeric hosts need no thread.
 * state_changed(HOST_LOOKUP) is called before this returns; everything
 * after comes from the loop, even for a numeric host.
 *
 * The addresses found are tried by Happy Eyeballs (RFC 8305): sorted so
 * that the families alternate, starting with the family of the resolver's
 * first address; the first attempt starts at once, each further one after
 * the delay 'd' (sk_conn_settimeout) or as soon as the attempt before it
 * failed; the first to connect wins and the others are closed.  An address
 * that fails is passed over; when all have failed the error handler gets
 * the last failure's error.  A BOUND connection tries its addresses one
 * after another from its local port (re-bound for each attempt; IPv4
 * addresses through an IPv6 socket as IPv4-mapped ones), as two sockets
 * cannot share it.  The connect timeout 'c' covers the lookup, every
 * attempt and a TLS handshake (sk_conn_settls).  Each attempt's socket gets the options set on sk_conn_sock's
 * object.
 *
 * @return 0 (the outcome comes through the handlers); SK_EINVAL (c NULL;
 * host NULL, empty, "*" or too long; port out of range); SK_EWRONGROLE (not
 * UNCONNECTED or BOUND); SK_ENORESOURCES (no memory, or no thread for the
 * lookup): the state is then unchanged.
 * @param[in] c the connection
 * @param[in] host a name or a numeric address
 * @param[in] port 1..65535
 */
SK_API int sk_conn_connect(sk_conn *c, const char *host, int port);

/** sk_conn_settls: make the next connections of c speak TLS with the
 * client context ctx (NULL: plain again), verifying the server as host (a
 * name or an address; NULL only when ctx does not verify), from
 * UNCONNECTED or BOUND.  Once TCP connects, the state is ENCRYPTING while
 * the handshake runs on the loop, then CONNECTED and the connected handler
 * (as QSslSocket's encrypted); a failed handshake or verification calls
 * the error handler with SK_CONN_ERR_SSL_HANDSHAKE_FAILED (the SK_ETLS*
 * code in sk_conn_error) and the connection is UNCONNECTED again.  The
 * connect timeout ('c', sk_conn_settimeout) covers the handshake: a
 * server that never answers ends as SOCKET_TIMEOUT (SK_ETIMEOUT).  Later a
 * TLS protocol error or a peer that closed without close_notify is
 * SK_CONN_ERR_SSL_INTERNAL.  sk_conn_disconnect sends close_notify after
 * the flush.  Server side: sk_tls_listen(sk_server_sock(srv), ctx) makes
 * every accepted connection start in ENCRYPTING.
 * @return 0; SK_EINVAL (c NULL; a server context; host NULL with a
 * verifying context; host empty or over 255 bytes); SK_EWRONGROLE (not
 * UNCONNECTED or BOUND); SK_ENORESOURCES; SK_EUNSUPPORTED (built without
 * TLS: only NULL ctx is accepted then).
 * @param[in] c the connection
 * @param[in] ctx a client context (c keeps a reference), or NULL: plain
 * @param[in] host the name or address the server must prove, or NULL
 */
SK_API int sk_conn_settls(sk_conn *c, sk_tls_ctx *ctx, const char *host);

/** sk_conn_bind: bind to port (0..65535; 0: the system picks one) on every
 * local address, for the connection sk_conn_connect then makes (IPv6 with
 * ipv6-v6only off where the host has IPv6, so IPv4 peers are reached too,
 * else IPv4), from UNCONNECTED.  On success the state is BOUND
 * (state_changed is called before this returns) and sk_conn_local names
 * the port.  @return 0; SK_EINVAL (c NULL, port out of range);
 * SK_EWRONGROLE (not UNCONNECTED); SK_EADDRINUSE; SK_EACCESS;
 * SK_EADDRNOTAVAIL; SK_EFAMILY; SK_ENORESOURCES; SK_ESYSTEM (any other
 * failure the system reports: sk_syserror has its code)
 * (the state is then unchanged and sk_conn_error
 * tells the error; no handler is called).
 * @param[in] c the connection
 * @param[in] port 0..65535; 0 lets the system pick
 */
SK_API int sk_conn_bind(sk_conn *c, int port);

/** sk_conn_bind_async: sk_conn_bind run from the loop: the bind happens in
 * the loop's next iteration (if the state is then not UNCONNECTED it fails
 * with SK_EWRONGROLE), and cb(c, result, error, ud) follows it (after
 * state_changed(BOUND) on success).  sk_conn_free cancels a pending one:
 * cb is then not called.  @return 0; SK_EINVAL (c or cb NULL, port out of
 * range); SK_EINPROGRESS (one is pending already); SK_ENORESOURCES.
 * @param[in] c the connection
 * @param[in] port 0..65535; 0 lets the system pick
 * @param[in] cb called after the bind with its outcome
 * @param[in] ud user data, handed to the callback unchanged
 */
SK_API int sk_conn_bind_async(sk_conn *c, int port, sk_conn_bind_cb cb,
                              void *ud);

/** sk_conn_disconnect: close gracefully.  From CONNECTED: the state becomes
 * CLOSING (state_changed is called before this returns); every byte still
 * queued is written, the sending direction is shut down, bytes the peer
 * still sends are delivered (ready_read) until it closes its side (or for
 * at most the time 'l' of sk_conn_settimeout), then the socket is closed:
 * state_changed(UNCONNECTED), disconnected.  From HOST_LOOKUP, CONNECTING
 * or BOUND: as sk_conn_abort.  In CLOSING or UNCONNECTED: nothing.
 * @return 0, SK_EINVAL (c NULL).
 * @param[in] c the connection
 */
SK_API int sk_conn_disconnect(sk_conn *c);

/** sk_conn_abort: close at once.  Queued bytes are discarded; a connection
 * is closed with linger 0, so the peer sees a reset; a host lookup or
 * connection attempts in flight are cancelled.  Unless already
 * UNCONNECTED, the state becomes UNCONNECTED (state_changed), followed by
 * disconnected when a connection was established (CONNECTED or CLOSING);
 * the handlers are called before this returns.  Bytes received stay
 * readable.  @return 0, SK_EINVAL (c NULL).
 * @param[in] c the connection
 */
SK_API int sk_conn_abort(sk_conn *c);

/** sk_conn_write: queue len bytes of data (copied) to be sent; never waits
 * and calls no handler.  Allowed in HOST_LOOKUP and CONNECTING (sent once
 * connected; discarded if the connect fails) and CONNECTED; in CONNECTED
 * with nothing queued the bytes are offered to the system at once (on a
 * "uring" loop, in a handler called for a wait of several completions, a
 * plain connection's go with the loop's next wait instead, or as
 * sk_loop_run returns: see sk_loop_new_backend).  bytes_written reports
 * the progress from the loop.  len 0 returns 0.
 * @return 0; SK_EINVAL (c NULL, data NULL with len > 0); SK_EWRONGROLE
 * (UNCONNECTED, BOUND or CLOSING); SK_ENORESOURCES (no memory: nothing was
 * queued).
 * @param[in] c the connection
 * @param[in] data the bytes to queue (copied)
 * @param[in] len how many bytes
 */
SK_API int sk_conn_write(sk_conn *c, const void *data, size_t len);

/** sk_conn_read: move up to cap bytes from the front of the read buffer to
 * dst; *got (required) receives the count, 0 on error.  @return 0 (at
 * least one byte); SK_EWOULDBLOCK (nothing buffered, and more may come:
 * HOST_LOOKUP, CONNECTING, and CONNECTED or CLOSING until the peer's end of
 * stream); SK_ECLOSED (nothing buffered, and nothing more can come:
 * UNCONNECTED, BOUND, or the peer's end of stream was read); SK_EINVAL (c,
 * dst or got NULL, cap 0).
 * @param[in] c the connection
 * @param[out] dst where the bytes go
 * @param[in] cap the most bytes to move (at least 1)
 * @param[out] got receives the number of bytes stored (required)
 */
SK_API int sk_conn_read(sk_conn *c, void *dst, size_t cap, size_t *got);

/** sk_conn_read_line: take one line from the read buffer and append it to
 * line, without its LF and with every CR dropped (as SK_LINE).  When no
 * complete line is buffered nothing is taken and SK_EWOULDBLOCK is
 * returned, unless nothing more can come (UNCONNECTED, BOUND): then the
 * rest of the buffer is appended as the last, unterminated line and
 * SK_ECLOSED is returned (also when it was empty).  A line longer than the
 * line limit of sk_conn_sock's object (sk_setlinelimit, default 1 MiB)
 * stops with SK_ETOOLONG after appending the limit's worth; the rest stays
 * buffered.  Afterwards line is NUL-terminated as after sk_receive
 * (line->data[line->len] is 0, whenever line->data is not NULL).
 * @return 0; SK_EWOULDBLOCK; SK_ECLOSED; SK_ETOOLONG; SK_EINVAL
 * (c or line NULL, line->len > line->cap, data NULL with cap > 0);
 * SK_ENORESOURCES (no memory: nothing was taken).
 * @param[in] c the connection
 * @param[in,out] line the caller's buffer the line is appended to
 */
SK_API int sk_conn_read_line(sk_conn *c, sk_buf *line);

/** sk_conn_read_all: append everything the read buffer holds to out and
 * empty it; out is then NUL-terminated as after sk_conn_read_line.
 * @return 0 (at least one byte); SK_EWOULDBLOCK and SK_ECLOSED
 * as sk_conn_read when nothing is buffered; SK_EINVAL (as
 * sk_conn_read_line); SK_ENORESOURCES (no memory: nothing was taken).
 * @param[in] c the connection
 * @param[in,out] out the caller's buffer the bytes are appended to
 */
SK_API int sk_conn_read_all(sk_conn *c, sk_buf *out);

/** sk_conn_state: the connection's state (enum sk_conn_state), or
 * SK_EINVAL for NULL.
 * @param[in] c the connection, or NULL
 * @return the state (enum sk_conn_state), or SK_EINVAL
 */
SK_API int sk_conn_state(const sk_conn *c);

/** sk_conn_error: the connection's last error: *error (may be NULL) the
 * enum sk_conn_error, *code (may be NULL) the SK_E* code behind it.
 * Before any error: SK_CONN_ERR_UNKNOWN and 0.  @return 0, SK_EINVAL (c
 * NULL).
 * @param[in] c the connection
 * @param[out] error receives the enum sk_conn_error; may be NULL
 * @param[out] code receives the SK_E* code behind it; may be NULL
 */
SK_API int sk_conn_error(const sk_conn *c, int *error, int *code);

/** sk_conn_valid: 1 when the connection can be read and written now
 * (CONNECTED), else 0 (also for NULL).
 * @param[in] c the connection, or NULL
 * @return 1 or 0
 */
SK_API int sk_conn_valid(const sk_conn *c);

/** sk_conn_bytes_available: the bytes the read buffer holds, in *n.
 * @return 0, SK_EINVAL (c or n NULL).
 * @param[in] c the connection
 * @param[out] n receives the bytes buffered
 */
SK_API int sk_conn_bytes_available(const sk_conn *c, size_t *n);

/** sk_conn_bytes_to_write: the bytes queued and not yet handed to the
 * system, in *n.  @return 0, SK_EINVAL (c or n NULL).
 * @param[in] c the connection
 * @param[out] n receives the bytes queued
 */
SK_API int sk_conn_bytes_to_write(const sk_conn *c, size_t *n);

/** sk_conn_local: the local address and port of the connection (BOUND,
 * ENCRYPTING, CONNECTED, CLOSING) into *out.  @return 0; SK_EINVAL (c or
 * out NULL);
 * SK_ENOTCONN (no socket now: out then holds addr "" and port 0).
 * @param[in] c the connection
 * @param[out] out receives the local address
 */
SK_API int sk_conn_local(const sk_conn *c, sk_name *out);

/** sk_conn_remote: the peer's address and port (ENCRYPTING, CONNECTED,
 * CLOSING) into *out.  @return 0; SK_EINVAL (c or out NULL); SK_ENOTCONN (no peer now:
 * out then holds addr "" and port 0).
 * @param[in] c the connection
 * @param[out] out receives the peer's address
 */
SK_API int sk_conn_remote(const sk_conn *c, sk_name *out);

/** sk_conn_sock: the sk_sock object the connection keeps for its whole
 * life, in *out, for sockit's object calls: options set on it
 * (sk_setoption and friends) are remembered and given to every socket
 * the connection makes, its line limit bounds sk_conn_read_line, and its
 * statistics count the connection's bytes; sk_getstate, sk_getsockname,
 * sk_getpeername and sk_getfd see the current connection.  It is in
 * non-blocking mode and watched by the loop: never close, free, bind,
 * connect, shut down, read from, write to, watch or change the blocking
 * mode of it.  @return 0, SK_EINVAL (c or out NULL).
 * @param[in] c the connection
 * @param[out] out receives the connection's sk_sock object
 */
SK_API int sk_conn_sock(sk_conn *c, sk_sock **out);

/** An sk_server's callback: conn is a new connection, already CONNECTED,
 * with no handlers (set them here: bytes that arrived already are
 * announced by ready_read from the loop); the callback owns it and
 * releases it with sk_conn_free.  ud is the one given to
 * sk_server_listen. */
typedef void (*sk_server_cb)(sk_server *srv, sk_conn *conn, void *ud);

/** sk_server_new: a new server of loop in *out, not listening.  Options
 * for its socket go on sk_server_sock's object before sk_server_listen.
 * It belongs to the loop's thread and must be freed before the loop.
 * @return 0; SK_EINVAL (loop or out NULL); SK_ENORESOURCES.
 * @param[in] loop the loop
 * @param[out] out receives the new server, owned by the caller
 */
SK_API int sk_server_new(sk_loop *loop, sk_server **out);

/** sk_server_listen: bind to host and port ("*" for every address, dual
 * stack as sk_tcp; a numeric address; a name is looked up before this
 * returns, which may block) and listen with backlog (as sk_listen); from
 * then on the loop accepts each connection and calls cb(srv, conn, ud).
 * When the system runs out of descriptors or memory, accepting pauses for
 * 0.1 s (a connection accepted without memory to wrap it is kept and
 * handed over then: none is dropped for want of memory).  @return 0;
 * SK_EINVAL (srv or cb NULL, bad host or port);
 * SK_EWRONGROLE (listening already); SK_ECLOSED (after sk_server_close);
 * the errors of sk_bind and sk_listen.
 * @param[in] srv the server
 * @param[in] host "*" for every address, a numeric address or a name
 * @param[in] port 0..65535; 0 lets the system pick
 * @param[in] backlog the length of the queue of pending connections
 * @param[in] cb called with each accepted connection
 * @param[in] ud user data, handed to the callback unchanged
 */
SK_API int sk_server_listen(sk_server *srv, const char *host, int port,
                            int backlog, sk_server_cb cb, void *ud);

/** sk_server_sock: the server's sk_sock object in *out, for options
 * (before sk_server_listen), its address (sk_getsockname) and TLS
 * (sk_tls_listen: connections then start in ENCRYPTING); never close,
 * free, accept on or watch it.  @return 0; SK_EINVAL (srv or out NULL);
 * SK_ECLOSED (after sk_server_close).
 * @param[in] srv the server
 * @param[out] out receives the server's sk_sock object
 */
SK_API int sk_server_sock(sk_server *srv, sk_sock **out);

/** sk_server_close: stop listening and close the socket for good (the
 * connections accepted so far are not touched).  Idempotent: 0 every time.
 * Allowed in the server's callback.  @return 0, SK_EINVAL (NULL).
 * @param[in] srv the server
 */
SK_API int sk_server_close(sk_server *srv);

/** sk_server_free: close (if needed) and release the server; allowed in
 * its callback.  NULL is a no-op.
 * @param[in] srv the server, or NULL
 */
SK_API void sk_server_free(sk_server *srv);

/** What sk_server_getstats reports. */
typedef struct sk_server_stats {
    uint64_t accepted; /**< connections handed to the callback */
    uint64_t failed;   /**< accepts that failed for want of descriptors or
                          memory (the client stays queued); each one
                          pauses accepting */
    int paused;        /**< 1 while accepting is paused after such a
                          failure (it resumes 0.1 s later), else 0 */
} sk_server_stats;

/** sk_server_getstats: the server's counts since sk_server_new into *out
 * (0 before sk_server_listen; kept after sk_server_close, which ends a
 * pause).  For watching a server under load: failures mean the process
 * ran out of descriptors or memory, and then the server pauses (at most
 * one failed accept per pause) instead of spinning on a listener that
 * stays readable.
 * @return 0, SK_EINVAL (srv or out NULL).
 * @param[in] srv the server
 * @param[out] out receives the counts
 */
SK_API int sk_server_getstats(const sk_server *srv, sk_server_stats *out);

/** @} */

/** @addtogroup select
 * @{ */
/* ---- selector --------------------------------------------------------- */
/* (sk_selector: sk_select over a set kept between calls; a wait costs what
 * is ready, not what is watched.) */

typedef struct sk_selector sk_selector; /**< opaque persistent readiness set:
                                           the objects sk_selector_wait
                                           waits for, kept between calls */

/** sk_selector_new: a new, empty selector in *out, on the best backend of
 * this system for readiness ("epoll" on Linux, "uring" by name only: it
 * is not faster at readiness; "kqueue" on macOS and the BSDs, "poll" on
 * other POSIX systems, "select" on Windows, its sets sized to need: no
 * limit of 64).
 * A selector is sk_select with the set kept
 * between calls: with uring, epoll and kqueue a wait costs what is ready,
 * not what is watched; with poll (its array kept between waits)
 * and select (its sets rebuilt for each wait) every wait is still a pass
 * over every member, in the system and in the backend.  There is no fixed
 * limit on members.  A selector and its members belong to one thread at
 * a time, and to the process that made it (after fork, an epoll set is
 * shared with the child and a kqueue is not inherited: make a new one
 * there); a selector has no process-wide state.
 * The caller owns *out and releases it with sk_selector_free.  @return 0;
 * SK_EINVAL (out NULL); SK_ENORESOURCES (no memory or descriptors: a
 * selector uses the descriptors of an sk_loop); SK_ESYSTEM.
 * @param[out] out receives the new selector, owned by the caller
 */
SK_API int sk_selector_new(sk_selector **out);

/** sk_selector_new_backend: sk_selector_new with a named backend, as
 * sk_loop_new_backend: "uring", "epoll", "kqueue", "poll" or "select".
 * @return as sk_selector_new; SK_EINVAL (backend NULL or not one of those
 * names); SK_EUNSUPPORTED (a backend this build or system has not got).
 * @param[out] out receives the new selector, owned by the caller
 * @param[in] backend the backend's name: "uring", "epoll", "kqueue",
 *                    "poll" or "select"
 */
SK_API int sk_selector_new_backend(sk_selector **out, const char *backend);

/** sk_selector_free: release sel.  Its members are taken out and left open
 * and usable (never closed); they may be added to a selector or watched
 * again.  NULL is a no-op.
 * @param[in] sel the selector, or NULL
 */
SK_API void sk_selector_free(sk_selector *sel);

/** sk_selector_backend: the name of sel's backend ("uring", "epoll",
 * "kqueue", "poll" or "select"), a static string; NULL for NULL.
 * @param[in] sel the selector
 * @return the backend's name (a static string), or NULL
 */
SK_API const char *sk_selector_backend(const sk_selector *sel);

/** sk_selector_add: make s a member of sel with interest events
 * (SK_READABLE, SK_WRITABLE, both, or 0: a member that is paused).  An
 * object is in at most one selector at a time, and not in a selector and
 * watched by a loop (sk_watch_new) at once.  The object stays usable with
 * every sk_ call; it keeps its blocking mode (sk_setblocking(s, 0) makes
 * sure nothing waits after a readiness that is gone).  Closing or freeing
 * it (sk_close, sk_free) takes it out of the selector; sk_setfd and
 * sk_connect's replacement of a master's socket keep it in, on the new
 * handle.  @return 0; SK_EINVAL (sel or s NULL; events outside READABLE |
 * WRITABLE; s in a selector or watched already; non-zero events on an
 * object without a socket yet, such as a dual-stack master before
 * sk_bind, or a handle the backend refuses); SK_ECLOSED (s closed);
 * SK_ENORESOURCES; SK_ESYSTEM.
 * @param[in] sel the selector
 * @param[in] s the object to add
 * @param[in] events SK_READABLE, SK_WRITABLE, both (combined with |), or 0
 */
SK_API int sk_selector_add(sk_selector *sel, sk_sock *s, int events);

/** sk_selector_set: change the interest of member s of sel to events
 * (SK_READABLE, SK_WRITABLE, both, or 0 to pause it).  Readiness seen
 * already and not handed out yet is filtered by the new interest.
 * @return 0; SK_EINVAL (sel or s NULL, bad events, s not a member of sel,
 * non-zero events on an object without a socket yet); SK_ECLOSED (s
 * closed: it left the selector then); SK_ENORESOURCES; SK_ESYSTEM.
 * @param[in] sel the selector
 * @param[in] s a member of sel
 * @param[in] events SK_READABLE, SK_WRITABLE, both (combined with |), or 0
 */
SK_API int sk_selector_set(sk_selector *sel, sk_sock *s, int events);

/** sk_selector_remove: take s out of sel (s is not touched otherwise and
 * may be added again, to any selector).  Readiness not handed out yet is
 * dropped.  @return 0; SK_EINVAL (sel or s NULL, s not a member of sel);
 * SK_ECLOSED (s closed: it left the selector then).
 * @param[in] sel the selector
 * @param[in] s a member of sel
 */
SK_API int sk_selector_remove(sk_selector *sel, sk_sock *s);

/** sk_selector_wait: wait until some members of sel are ready for their
 * interest, for at most timeout seconds (the rule of sk_settimeout:
 * negative or +inf = no limit; NaN or finite above 1e9 = SK_EINVAL), and
 * store
 * up to cap of them in ready[] with their readiness in events[] (enum
 * sk_events: SK_READABLE, SK_WRITABLE, SK_ERRORED as sk_watch_new
 * describes it per system) and their count in *n.  As in sk_select, a
 * member with buffered bytes (sk_dirty) and SK_READABLE interest is ready
 * at once, without waiting; a listening server is readable while a
 * connection waits; a failed connect or a peer's close counts as ready
 * (the next call on the object reports it).  Members found ready beyond
 * cap are kept, in the order found, and handed out by the next calls
 * before the system is asked again: each readiness is handed out once,
 * and no ready member waits behind members found later.  Readiness may be
 * gone when the caller acts (treat SK_EWOULDBLOCK as "wait again");
 * readiness that lasts is reported again.  @return 0 (*n > 0);
 * SK_ETIMEOUT (nothing became ready in time; *n 0); SK_EINVAL (sel, ready,
 * events or n NULL, cap 0, timeout NaN or finite above 1e9, or no timeout
 * while no member has interest); or the backend's error when waiting
 * failed (SK_ENORESOURCES, SK_ESYSTEM).
 * @param[in] sel the selector
 * @param[in] timeout the most seconds to wait; negative or +inf: no limit
 * @param[out] ready receives the ready members (room for cap)
 * @param[out] events receives the readiness of each (enum sk_events)
 * @param[in] cap the room in ready and events (at least 1)
 * @param[out] n receives the number of ready members
 */
SK_API int sk_selector_wait(sk_selector *sel, double timeout, sk_sock **ready,
                            int *events, size_t cap, size_t *n);

/** @} */

/** @addtogroup receiving
 * @{ */
/* ---- line views ------------------------------------------------------- */

/** sk_receiveline: the fast way to read lines: the next line as a view
 * into the object's receive buffer, with no copy.  On 0, *line points at
 * the line, without its LF and with every CR dropped (as SK_LINE; CRs are
 * removed in place), *len bytes long, followed by a NUL byte (so *line is
 * a C string when the line holds no NUL).  The view stays valid until the
 * next call on s (any receive, read, close or free).  Otherwise *line is
 * NULL and *len 0, except for SK_ECLOSED and SK_ETOOLONG as below.
 *
 * SK_ETIMEOUT, SK_EWOULDBLOCK, SK_ECONNRESET: nothing is taken; a partial
 * line stays buffered and the next call returns it whole.  Until more
 * bytes arrive those buffered bytes do not count for sk_dirty or sk_select
 * (a select loop does not spin on them); sk_read and sk_receive still take
 * them first.  SK_ECLOSED after a last, unterminated line: that line is
 * returned as the view (CRs dropped, NUL-terminated, *line not NULL even
 * when it held only CRs) together with SK_ECLOSED; the next call returns
 * SK_ECLOSED with *line NULL.  SK_ETOOLONG: the line is longer than the
 * line limit (sk_setlinelimit), or its bytes before the LF (CRs included)
 * fill the whole 16 KiB receive buffer, which bounds a view: the view then
 * holds the limit's worth of it (or what filled the buffer, CRs dropped),
 * not NUL-terminated, and the rest of the line is there for the next call,
 * as SK_LINE does; sk_receive(SK_LINE) assembles longer lines.  The
 * receive buffer is kept while a view may point into it.  Bytes are
 * counted in sk_getstats when read from the system, as for sk_receive.
 * @return 0; SK_EINVAL (s, line or len NULL); SK_EWRONGROLE; SK_ECLOSED;
 * SK_ETIMEOUT; SK_ETOOLONG; SK_ECONNRESET; SK_ENORESOURCES (no memory for
 * the receive buffer); SK_EWOULDBLOCK (non-blocking mode, no whole line
 * buffered). Over TLS (sk_tls_start, sk_tls_listen) also: SK_ETLSHANDSHAKE,
 * SK_ETLSEXPIRED, SK_ETLSHOSTNAME, SK_ETLSUNTRUSTED, SK_ETLSSELFSIGNED,
 * SK_ETLSCERT (the handshake this call completed failed); SK_ETLSPROTOCOL,
 * SK_ETLSNOCLOSE (the session failed; every later call returns it).
 * @param[in] s a client
 * @param[out] line receives the line: a view into s's receive buffer
 * @param[out] len receives the line's length in bytes
 */
SK_API int sk_receiveline(sk_sock *s, const char **line, size_t *len);

/** @} */

/** @addtogroup tls
 * @{ */

/** Which side of the handshake a context plays (sk_tls_ctx_new). */
enum sk_tls_mode {
    SK_TLS_CLIENT = 1, /**< connects: verifies the server by default */
    SK_TLS_SERVER = 2  /**< accepts: needs a certificate and key */
};

/** Peer verification (sk_tls_ctx_set_verify). */
enum sk_tls_verify {
    SK_TLS_VERIFY_NONE = 0,    /**< accept any peer (the result can still be
                                  read with sk_tls_verified); a server's
                                  default: no client certificate asked */
    SK_TLS_VERIFY_PEER = 1,    /**< the peer's chain must lead to a trusted
                                  root and (client) match the host: a
                                  client's default; on a server a client
                                  certificate is required */
    SK_TLS_VERIFY_OPTIONAL = 2 /**< server only: a client certificate is
                                  asked for and verified when given */
};

/** Protocol versions (sk_tls_ctx_set_min_version). */
enum sk_tls_version {
    SK_TLS_1_2 = 12, /**< TLS 1.2 (the default minimum) */
    SK_TLS_1_3 = 13  /**< TLS 1.3 */
};

/** What sk_tls_get reports about a client's TLS session. */
enum sk_tls_item {
    SK_TLS_VERSION = 0,          /**< "TLSv1.3", "TLSv1.2" */
    SK_TLS_CIPHER = 1,           /**< the cipher suite's name */
    SK_TLS_ALPN = 2,             /**< the protocol ALPN chose, "" if none */
    SK_TLS_PEER_SUBJECT = 3,     /**< the peer certificate's subject (RFC
                                    2253), "" without a peer certificate */
    SK_TLS_PEER_ISSUER = 4,      /**< its issuer, the same way */
    SK_TLS_PEER_FINGERPRINT = 5, /**< its SHA-256 as "AB:CD:...", "" if
                                    none */
    SK_TLS_SERVER_NAME = 6,      /**< the SNI name sent (client) or received
                                    (server), "" if none */
    SK_TLS_VERIFY_MESSAGE = 7,   /**< the TLS library's words on the peer
                                    verification ("ok" when it passed) */
    SK_TLS_ERROR_MESSAGE = 8     /**< the TLS library's message for the last
                                    TLS failure on this object, "" if none */
};

/** sk_tls_provider: the TLS library this build of sockit uses ("OpenSSL
 * 3.0.19 ..." as the library names itself, or "SChannel"), or NULL when
 * built without TLS.  Static; never fails.
 * @return the provider's name, or NULL
 */
SK_API const char *sk_tls_provider(void);

/** sk_tls_ctx_new: a new context for mode in *out: TLS 1.2 minimum; a
 * client verifies the server (SK_TLS_VERIFY_PEER) against the system's
 * trust store unless trust is given (sk_tls_ctx_set_ca_file,
 * sk_tls_ctx_set_ca_pem) and resumes sessions with the same host and port;
 * a server asks for no client certificate.  A context may be shared by
 * any number of objects (on any thread, once its settings are made) and
 * lives until sk_tls_ctx_free and the last object using it is closed.
 * @return 0; SK_EINVAL (out NULL, bad mode); SK_ENORESOURCES;
 * SK_EUNSUPPORTED (built without TLS).
 * @param[out] out receives the context (NULL on error)
 * @param[in] mode SK_TLS_CLIENT or SK_TLS_SERVER (enum sk_tls_mode)
 */
SK_API int sk_tls_ctx_new(sk_tls_ctx **out, int mode);

/** sk_tls_ctx_free: drop the caller's reference to ctx (objects using it
 * keep it alive until they are closed).  NULL is a no-op.
 * @param[in] ctx the context, or NULL
 */
SK_API void sk_tls_ctx_free(sk_tls_ctx *ctx);

/** sk_tls_ctx_set_verify: peer verification for objects started from now
 * on.
 * @return 0; SK_EINVAL (ctx NULL, bad mode, SK_TLS_VERIFY_OPTIONAL on a
 * client context).
 * @param[in] ctx the context
 * @param[in] mode an enum sk_tls_verify
 */
SK_API int sk_tls_ctx_set_verify(sk_tls_ctx *ctx, int mode);

/** sk_tls_ctx_set_ca_file: trust the certificates in the PEM file and/or
 * the hashed directory dir instead of the system store (calls add to each
 * other).  With SChannel every file of dir is read, whatever its name.
 * @return 0; SK_EINVAL (ctx NULL, both NULL or empty); SK_ETLSBADCERT
 * (unreadable, or no certificate in it); SK_ENORESOURCES.
 * @param[in] ctx the context
 * @param[in] file a PEM file of certificates, or NULL
 * @param[in] dir a directory of hashed certificates, or NULL
 */
SK_API int sk_tls_ctx_set_ca_file(sk_tls_ctx *ctx, const char *file,
                                  const char *dir);

/** sk_tls_ctx_set_ca_pem: trust the len bytes of PEM text at pem (one or
 * more certificates) instead of the system store (calls add to each
 * other).
 * @return 0; SK_EINVAL (ctx or pem NULL, len 0 or over INT_MAX);
 * SK_ETLSBADCERT (no certificate in it, or a broken one);
 * SK_ENORESOURCES.
 * @param[in] ctx the context
 * @param[in] pem PEM text
 * @param[in] len its length in bytes
 */
SK_API int sk_tls_ctx_set_ca_pem(sk_tls_ctx *ctx, const char *pem,
                                 size_t len);

/** sk_tls_ctx_set_cert_file: the context's own certificate (a server's,
 * or a client certificate) from the PEM file cert (the certificate, then
 * any chain certificates) and its unencrypted private key from the PEM
 * file key.  Replaces an earlier one.
 * @return 0; SK_EINVAL (ctx or cert NULL or empty); SK_ETLSBADCERT
 * (unreadable, not PEM, encrypted key, or key and certificate do not
 * match); SK_ENORESOURCES.
 * @param[in] ctx the context
 * @param[in] cert the certificate's PEM file
 * @param[in] key the key's PEM file, or NULL: the key is in cert
 */
SK_API int sk_tls_ctx_set_cert_file(sk_tls_ctx *ctx, const char *cert,
                                    const char *key);

/** sk_tls_ctx_set_cert_pem: as sk_tls_ctx_set_cert_file from memory.
 * @return 0; SK_EINVAL (ctx or cert NULL, certlen 0, a length over
 * INT_MAX, key NULL with keylen > 0); SK_ETLSBADCERT; SK_ENORESOURCES.
 * @param[in] ctx the context
 * @param[in] cert PEM text: the certificate, then any chain
 * @param[in] certlen its length in bytes
 * @param[in] key the key's PEM text, or NULL (with keylen 0): in cert
 * @param[in] keylen its length in bytes
 */
SK_API int sk_tls_ctx_set_cert_pem(sk_tls_ctx *ctx, const char *cert,
                                   size_t certlen, const char *key,
                                   size_t keylen);

/** sk_tls_ctx_set_alpn: the ALPN protocols in preference order: a client
 * offers them, a server picks its first one the client offers (and goes
 * on without ALPN when none matches).
 * @return 0; SK_EINVAL (ctx NULL, an empty or over 255-byte name, the list
 * over 65535 bytes); SK_ENORESOURCES.
 * @param[in] ctx the context
 * @param[in] protos comma-separated names ("h2,http/1.1"); NULL clears
 */
SK_API int sk_tls_ctx_set_alpn(sk_tls_ctx *ctx, const char *protos);

/** sk_tls_ctx_set_min_version: the lowest protocol version accepted
 * (SK_TLS_1_2 by default).
 * @return 0; SK_EINVAL (ctx NULL, another value).
 * @param[in] ctx the context
 * @param[in] version an enum sk_tls_version
 */
SK_API int sk_tls_ctx_set_min_version(sk_tls_ctx *ctx, int version);

/** sk_tls_start: start TLS on the connected client s with ctx, which
 * decides the side: a client context sends host as SNI (unless host is a
 * numeric address) and, verifying, checks the server certificate against
 * host (a name, or an IP address); a server context ignores host (STARTTLS
 * on an accepted client).  Bytes s had already buffered belong to the TLS
 * stream.  The handshake runs now, under s's timeouts: on SK_ETIMEOUT, and
 * at once in non-blocking mode with SK_EWOULDBLOCK (wait for s readable,
 * sk_select), it is still in progress and continues with sk_tls_handshake
 * or the next receive or send.  sk_tls_get(SK_TLS_ERROR_MESSAGE) has the
 * TLS library's words on a failure.  From then on s is used by one thread
 * at a time: not one sending while another receives, as a plain client
 * allows (docs/thread-safety.md).
 * @return 0 (handshake done); SK_EINVAL (ctx NULL; host NULL or empty for
 * a verifying client context; s already speaks TLS); SK_EWRONGROLE (not a
 * client); SK_ECLOSED (closed); SK_ETIMEOUT; SK_EWOULDBLOCK;
 * SK_ETLSHANDSHAKE (the peer's answer was no TLS, an alert, no common
 * version or cipher, or the connection ended); SK_ETLSEXPIRED;
 * SK_ETLSHOSTNAME; SK_ETLSUNTRUSTED; SK_ETLSSELFSIGNED; SK_ETLSCERT (other
 * verification failures, a required client certificate missing);
 * SK_ETLSBADCERT (a server context without a certificate);
 * SK_ECONNRESET; SK_ENORESOURCES; SK_EUNSUPPORTED (built without TLS).
 * @param[in] s a connected client
 * @param[in] ctx the context (s keeps a reference)
 * @param[in] host the server's name or address (client context), or NULL
 */
SK_API int sk_tls_start(sk_sock *s, sk_tls_ctx *ctx, const char *host);

/** sk_tls_handshake: run (or finish) the handshake of a TLS client under
 * its timeouts; a client accepted from a TLS listener does it here, or at
 * its first receive or send.  0 at once when done.
 * @return as sk_tls_start, and SK_EWRONGROLE (not a client, or no TLS on
 * it).
 * @param[in] s a TLS client
 */
SK_API int sk_tls_handshake(sk_sock *s);

/** sk_tls_listen: make the clients the server (or master, before it
 * listens) s accepts from now on speak TLS with ctx (a server context);
 * their handshake runs at their first receive or send, or
 * sk_tls_handshake, under their own timeouts (so a slow client never holds
 * sk_accept up).
 * @return 0; SK_EINVAL (a client context); SK_EWRONGROLE (not a master or
 * server); SK_ECLOSED; SK_ETLSBADCERT (ctx has no certificate);
 * SK_ENORESOURCES; SK_EUNSUPPORTED (built without TLS).
 * @param[in] s a master or server
 * @param[in] ctx a server context (s keeps a reference), or NULL: plain
 * clients again
 */
SK_API int sk_tls_listen(sk_sock *s, sk_tls_ctx *ctx);

/** sk_tls_get: what item says about the TLS client s, as a NUL-terminated
 * string in *value (owned by s, valid until the next sk_tls_get on s or
 * its close; NULL on error).
 * @return 0; SK_EINVAL (value NULL, unknown item); SK_EWRONGROLE (not a
 * client, or no TLS on it); SK_ECLOSED; SK_EINPROGRESS (the handshake has
 * not completed: only SK_TLS_ERROR_MESSAGE, SK_TLS_SERVER_NAME and
 * SK_TLS_VERIFY_MESSAGE answer then).
 * @param[in] s a TLS client
 * @param[in] item an enum sk_tls_item
 * @param[out] value receives the string
 */
SK_API int sk_tls_get(sk_sock *s, int item, const char **value);

/** sk_tls_verified: the outcome of the peer verification of the TLS client
 * s (computed even with SK_TLS_VERIFY_NONE, when the peer sent a
 * certificate).
 * @return 0 (verified); SK_ETLSEXPIRED; SK_ETLSHOSTNAME; SK_ETLSUNTRUSTED;
 * SK_ETLSSELFSIGNED; SK_ETLSCERT (another failure, or no peer
 * certificate); SK_EINVAL (s NULL); SK_EWRONGROLE (not a client, or no TLS
 * on it); SK_ECLOSED; SK_EINPROGRESS (handshake not completed).
 * @param[in] s a TLS client
 */
SK_API int sk_tls_verified(const sk_sock *s);

/** sk_tls_resumed: whether the TLS client s resumed an earlier session (a
 * shorter handshake).
 * @return 1 (resumed), 0 (a new session); SK_EINVAL (s NULL);
 * SK_EWRONGROLE (not a client, or no TLS on it); SK_ECLOSED;
 * SK_EINPROGRESS (handshake not completed).
 * @param[in] s a TLS client
 */
SK_API int sk_tls_resumed(const sk_sock *s);

/** @} */

/**
 * @example echo_server.c
 * A line echo server: one client after the other (sk_tcp, sk_bind,
 * sk_listen, sk_accept, sk_receive with SK_LINE, sk_send).
 *
 * @example echo_client.c
 * Send lines and print their echoes, with a total timeout (sk_connect
 * tries every address).
 *
 * @example chat_server.c
 * A chat server on sk_select: every line goes to every other client.
 *
 * @example http_get.c
 * An HTTP/1.1 GET client: header lines with a line limit, a body by
 * length or to the end of the stream.
 *
 * @example https_get.c
 * The same over TLS: a context, sk_tls_start verifying the host, the
 * session's details (sk_tls_get).
 *
 * @example echo_select.c
 * Many clients with sk_select (examples/many/; see the guide's "Many
 * connections: which API").
 *
 * @example echo_selector.c
 * Many clients with sk_selector, the set kept between waits.
 *
 * @example echo_loop.c
 * Many clients with sk_loop and sk_watch, and a timer.
 *
 * @example echo_conn.c
 * Many clients with sk_server and sk_conn: queued writes, handlers.
 */

#ifdef __cplusplus
}
#endif

#endif /* SOCKIT_H */
