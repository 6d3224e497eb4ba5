/**
 * @file sockit.h
 * sockit.h - the one public header of sockit, a portable socket library.
 *
 * TCP objects follow LuaSocket's model: a *master* becomes a *server*
 * (sk_bind + sk_listen) or a *client* (sk_connect); sk_accept on a server
 * makes new clients.  Every call returns 0 on success or a negative SK_E*
 * code; byte counts come back through out-parameters so that partial
 * progress is never lost.  This header includes only standard C headers.
 */
#ifndef SOCKIT_H
#define SOCKIT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

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

#define SOCKIT_VERSION_MAJOR 0 /**< incompatible API changes */
#define SOCKIT_VERSION_MINOR 1 /**< compatible additions */
#define SOCKIT_VERSION_PATCH 0 /**< fixes */
#define SOCKIT_VERSION "0.1.0" /**< the three as a string */

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
    X(SK_ENOSERVICE,    -25, "service not found")

/** The error codes: SK_OK and the SK_ERRORS table. */
enum sk_error {
    SK_OK = 0, /**< success */
#define SK__ERRENUM(name, value, text) name = value,
    SK_ERRORS(SK__ERRENUM)
#undef SK__ERRENUM
    SK_ERROR_MIN = -25 /**< the lowest code in the table */
};

/** sk_strerror: a static, human-readable message for code (0 gives "ok");
 * "unknown error" for a value outside the table.  Never NULL. */
SK_API const char *sk_strerror(int code);

/** sk_errname: the code's symbolic name ("SK_ETIMEOUT", "SK_OK"), or
 * "SK_EUNKNOWN" for a value outside the table.  Never NULL. */
SK_API const char *sk_errname(int code);

/* ---- objects ---------------------------------------------------------- */
typedef struct sk_sock sk_sock; /**< opaque socket object: a TCP (or UNIX
                                   stream) master, client or server, or a
                                   datagram object */

/** What an object is, LuaSocket's classes (sk_role returns it). */
enum sk_role {
    SK_ROLE_MASTER = 0, /**< fresh object: may bind, listen, connect */
    SK_ROLE_CLIENT = 1, /**< connected (or connecting) stream */
    SK_ROLE_SERVER = 2, /**< listening socket */
    SK_ROLE_CLOSED = 3, /**< after sk_close: only sk_close/sk_free allowed */
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

/** sk_tcp4: create an IPv4 TCP master in *out.  Returns 0, SK_EINVAL (out is
 * NULL), SK_ENORESOURCES (no memory or descriptors) or SK_EFAMILY.  The
 * caller owns *out and releases it with sk_free. */
SK_API int sk_tcp4(sk_sock **out);

/** sk_tcp6: like sk_tcp4 for IPv6, with ipv6-v6only on (IPv4 peers are not
 * accepted and IPv4 addresses are not tried). */
SK_API int sk_tcp6(sk_sock **out);

/** sk_tcp: create a dual-stack TCP master.  No socket exists until sk_bind or
 * sk_connect: binding "*" makes one IPv6 socket with v6only off that also
 * takes IPv4 clients (an IPv4 socket where the host has no IPv6); binding a
 * name or connecting tries its IPv6 and IPv4 addresses in resolver order.
 * Options set before then are remembered and applied when the socket is
 * made.  Returns as sk_tcp4. */
SK_API int sk_tcp(sk_sock **out);

/** sk_close: close the object's socket (idempotent; 0 every time on a valid
 * pointer, SK_EINVAL for NULL).  The object stays allocated in the
 * SK_ROLE_CLOSED role, where every other call returns SK_ECLOSED. */
SK_API int sk_close(sk_sock *s);

/** sk_free: close (if needed) and release the object.  NULL is a no-op. */
SK_API void sk_free(sk_sock *s);

/** sk_role: the object's role (enum sk_role), or SK_EINVAL for NULL. */
SK_API int sk_role(const sk_sock *s);

/** sk_syserror: the raw OS code (errno, WSA or resolver code) behind the
 * object's last failed call, 0 if none; for debugging only.  0 for NULL. */
SK_API int sk_syserror(const sk_sock *s);

/* ---- master ----------------------------------------------------------- */

/** sk_bind: bind a master to host and port.  host "*" is any address (see
 * sk_sock for dual-stack), otherwise a numeric address or a name whose
 * addresses are tried in order; port 0 lets the system pick (read it back
 * with sk_getsockname).  Returns 0; SK_EINVAL (NULL/empty/over-long host,
 * port outside 0..65535); SK_EWRONGROLE (not a master, or already bound);
 * SK_EHOSTNOTFOUND; SK_EADDRINUSE; SK_EADDRNOTAVAIL; SK_EACCESS; ... */
SK_API int sk_bind(sk_sock *s, const char *host, int port);

/** sk_listen: turn a bound master into a server with the given backlog (0
 * and negative values are passed as 0: the system's minimum).  An unbound
 * master is bound to "*" port 0 first (the system's behaviour made
 * explicit).  Returns 0, SK_EWRONGROLE (not a master), or an OS error. */
SK_API int sk_listen(sk_sock *s, int backlog);

/** sk_connect: connect a master to host:port (port 1..65535), trying every
 * resolved address in order until one succeeds.  The timeout (the sooner of
 * block and total) covers all attempts together.  On success the object is
 * a client.  On SK_ETIMEOUT the object is a client whose connection may
 * still complete: sk_select it for sending, or close it.  On any other error
 * it stays a master, unchanged, and the error is the last address's.
 * Returns 0; SK_EINVAL; SK_EWRONGROLE; SK_EHOSTNOTFOUND; SK_ETIMEOUT;
 * SK_ECONNREFUSED; SK_ENETUNREACH; SK_EHOSTUNREACH; ... */
SK_API int sk_connect(sk_sock *s, const char *host, int port);

/* ---- server ----------------------------------------------------------- */

/** Room for the longest address text, with its NUL: a numeric IP address
 * or a UNIX-domain path (abstract names shown with a leading '@'). */
#define SK_ADDRSTRLEN 128
/** Address of one end of a connection. */
typedef struct sk_name {
    char addr[SK_ADDRSTRLEN]; /**< numeric address, "127.0.0.1" or "::1";
                                 IPv4-mapped IPv6 addresses are shown as
                                 IPv4 with family "inet" */
    int port; /**< 0..65535 */
    char family[8]; /**< "inet", "inet6" or "unix" */
} sk_name;

/** sk_accept: wait (within the timeout) for a connection on a server and
 * return it as a new client in *client, owned by the caller (sk_free it).
 * peer, when not NULL, receives the client's address.  A client that
 * vanished before the accept is skipped, never blocking past the timeout.
 * The new client inherits the server's timeouts and line limit.
 * Returns 0; SK_EINVAL; SK_EWRONGROLE; SK_ETIMEOUT; SK_ENORESOURCES. */
SK_API int sk_accept(sk_sock *s, sk_sock **client, sk_name *peer);

/* ---- client: sending --------------------------------------------------- */

/** sk_send: send the slice [i, j] of data (len bytes) with LuaSocket's
 * string.sub rules: positions count from 1, negative ones from the end (-1
 * is the last byte), i below 1 means 1, j past len means len; (1, -1) is the
 * whole buffer.  *last (may be NULL) receives the position of the last byte
 * sent, i-1 when none, also on error: resume at *last + 1.  An empty slice
 * sends nothing and returns 0.  Never raises SIGPIPE.  Returns 0; SK_EINVAL
 * (NULL object, NULL data with len > 0); SK_EWRONGROLE; SK_ECLOSED (peer
 * gone or sending shut down); SK_ECONNRESET; SK_ETIMEOUT. */
SK_API int sk_send(sk_sock *s, const void *data, size_t len,
                   ptrdiff_t i, ptrdiff_t j, ptrdiff_t *last);

/* ---- client: receiving ------------------------------------------------- */

/** A caller-owned growable byte buffer.  Start from {NULL, 0, 0} (or your own
 * malloc'd block of cap bytes); sk_receive appends to it with realloc.
 * Release with sk_buf_free or free(data). */
typedef struct sk_buf {
    char *data; /**< the bytes (malloc'd), NULL when empty */
    size_t len; /**< bytes held */
    size_t cap; /**< bytes allocated */
} sk_buf;

/** sk_buf_reserve: make room for extra more bytes after b->len (growing
 * geometrically).  Returns 0; SK_EINVAL (NULL); SK_ENORESOURCES (no memory,
 * or the total would pass PTRDIFF_MAX), leaving b as it was. */
SK_API int sk_buf_reserve(sk_buf *b, size_t extra);

/** sk_buf_free: free b->data and reset *b to empty.  NULL is a no-op. */
SK_API void sk_buf_free(sk_buf *b);

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
 * the prefix and is kept.  On SK_ECLOSED or SK_ETIMEOUT (or any other error)
 * the bytes that did arrive stay appended: nothing read is ever lost.  A
 * line longer than the line limit (sk_setlinelimit) stops with SK_ETOOLONG
 * after appending the limit's worth of bytes; the rest of that line is still
 * there for the next call.  SK_ALL is not bounded: use SK_BYTES or SK_SOME
 * where the peer is not trusted.  Returns 0; SK_EINVAL (NULL, bad pattern,
 * SK_BYTES with n 0 returns 0 at once); SK_EWRONGROLE; SK_ECLOSED;
 * SK_ETIMEOUT; SK_ETOOLONG; SK_ECONNRESET; SK_ENORESOURCES (no memory). */
SK_API int sk_receive(sk_sock *s, sk_buf *buf, int pattern, size_t n);

/** sk_read: copy up to cap bytes straight into dst, without an intermediate
 * buffer when nothing is buffered: buffered bytes first, else one read from
 * the OS, waiting (within the timeout) only while nothing is available.
 * *got (required) receives the count, 0 on error.  Returns 0; SK_EINVAL
 * (cap 0, NULL); SK_EWRONGROLE; SK_ECLOSED; SK_ETIMEOUT; SK_ECONNRESET. */
SK_API int sk_read(sk_sock *s, void *dst, size_t cap, size_t *got);

/** sk_setlinelimit: the longest line SK_LINE assembles (default 1 MiB,
 * minimum 1).  Returns 0, SK_EINVAL, SK_ECLOSED. */
SK_API int sk_setlinelimit(sk_sock *s, size_t max);

/** sk_getlinelimit: the current line limit in *max.  Returns 0, SK_EINVAL,
 * SK_ECLOSED. */
SK_API int sk_getlinelimit(const sk_sock *s, size_t *max);

/** sk_dirty: 1 when the object holds received bytes not yet handed out, 0
 * when not (also for NULL and closed objects). */
SK_API int sk_dirty(const sk_sock *s);

/* ---- timeouts --------------------------------------------------------- */

/** sk_settimeout: set the block ('b') or total ('t') timeout in seconds,
 * millisecond precision; negative means no limit (the default for both).
 * Block bounds each single wait on the OS; total bounds a whole call; with
 * both set the sooner wins.  0 makes calls non-blocking: they try once and
 * return SK_ETIMEOUT.  They apply to connect, accept, send and receive, and
 * are measured on a monotonic clock.  Returns 0; SK_EINVAL (bad mode, NaN);
 * SK_ECLOSED. */
SK_API int sk_settimeout(sk_sock *s, double seconds, char mode);

/** sk_gettimeout: the block and total timeouts in seconds (-1 = none); either
 * pointer may be NULL.  Returns 0, SK_EINVAL, SK_ECLOSED. */
SK_API int sk_gettimeout(const sk_sock *s, double *block, double *total);

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
    SK_OPT_COUNT
};

/** sk_optionid: the enum sk_option for a LuaSocket option name, or SK_EINVAL
 * for an unknown name or NULL. */
SK_API int sk_optionid(const char *name);

/** sk_optionname: the LuaSocket name of an option, or NULL when out of
 * range. */
SK_API const char *sk_optionname(int option);

/** sk_setoption: set an option.  On a dual-stack master before its socket
 * exists the value is remembered and applied when the socket is made.
 * Returns 0; SK_EINVAL (unknown option, bad value); SK_EUNSUPPORTED (the OS
 * or the socket's family lacks it: never silently ignored); SK_ECLOSED. */
SK_API int sk_setoption(sk_sock *s, int option, int value);

/** sk_getoption: read an option into *value.  Before a dual-stack master has
 * a socket, returns the remembered value, or SK_EWRONGROLE if it was never
 * set.  Returns 0 or the errors of sk_setoption. */
SK_API int sk_getoption(sk_sock *s, int option, int *value);

/** sk_setoptname: sk_setoption by LuaSocket option name (SK_EINVAL for an
 * unknown name). */
SK_API int sk_setoptname(sk_sock *s, const char *name, int value);

/** sk_getoptname: sk_getoption by LuaSocket option name (SK_EINVAL for an
 * unknown name). */
SK_API int sk_getoptname(sk_sock *s, const char *name, int *value);

/* ---- names, shutdown, handles, statistics ----------------------------- */

/** sk_getsockname: the local address of the object.  Returns 0; SK_EINVAL;
 * SK_ECLOSED; SK_ENOTCONN (a master with no socket yet or not bound, on
 * every OS). */
SK_API int sk_getsockname(const sk_sock *s, sk_name *out);

/** sk_getpeername: the remote address of a client.  Returns 0; SK_EINVAL;
 * SK_EWRONGROLE (not a client); SK_ENOTCONN (not connected yet/any more);
 * SK_ECLOSED. */
SK_API int sk_getpeername(const sk_sock *s, sk_name *out);

/** Which way sk_shutdown shuts. */
enum sk_shutdown_how {
    SK_SHUT_RECEIVE = 0, /**< no more receiving */
    SK_SHUT_SEND = 1,    /**< no more sending: the peer reads end-of-stream */
    SK_SHUT_BOTH = 2     /**< both */
};

/** sk_shutdown: shut down one or both directions of a client.  After
 * SK_SHUT_SEND the peer reads end-of-stream; buffered received bytes are
 * kept.  Returns 0; SK_EINVAL (bad how); SK_EWRONGROLE; SK_ENOTCONN;
 * SK_ECLOSED. */
SK_API int sk_shutdown(sk_sock *s, int how);

/** sk_getfd: the native handle, SK_FD_INVALID when there is none (closed,
 * dual-stack master before bind/connect, or NULL). */
SK_API sk_fd_t sk_getfd(const sk_sock *s);

/** sk_setfd: replace the native handle without closing the old one and
 * without any other change (LuaSocket's internal method; the object now owns
 * fd and closes it).  Pass SK_FD_INVALID to detach.  Returns 0, SK_EINVAL,
 * SK_ECLOSED. */
SK_API int sk_setfd(sk_sock *s, sk_fd_t fd);

/** sk_getstats: bytes received from and sent to the OS by this object, and
 * its age in seconds; any pointer may be NULL.  Returns 0, SK_EINVAL,
 * SK_ECLOSED. */
SK_API int sk_getstats(const sk_sock *s, uint64_t *received, uint64_t *sent,
                       double *age);

/** sk_setstats: reset the counters and the age (seconds, >= 0).
 * Returns 0, SK_EINVAL (NULL, negative or NaN age), SK_ECLOSED. */
SK_API int sk_setstats(sk_sock *s, uint64_t received, uint64_t sent,
                       double age);

/* ---- select ----------------------------------------------------------- */

/** sk_select: wait until some of recvt can be read (or accepted) or some of
 * sendt can be written, for at most timeout seconds (negative = no limit).
 * A client with buffered bytes is readable at once.  NULL and closed entries
 * are skipped; there is no limit on the count.  The ready objects are
 * written to readable[] and writable[] (capacity nrecv and nsend; either
 * may be NULL when its count is 0) with their counts in *nreadable and
 * *nwritable.  Returns 0 when something is ready; SK_ETIMEOUT when nothing
 * is; SK_EINVAL (also: nothing to wait for and no timeout); SK_ENORESOURCES.
 * A failed connect or a peer's close counts as ready: the next call on the
 * object reports it. */
SK_API int sk_select(sk_sock *const *recvt, size_t nrecv,
                     sk_sock *const *sendt, size_t nsend, double timeout,
                     sk_sock **readable, size_t *nreadable,
                     sk_sock **writable, size_t *nwritable);

/* ---- datagrams (UDP) ------------------------------------------------ */
/* (UDP objects: constructors, peers, sendto / recvfrom, multicast.) */

/* ---- UNIX-domain sockets --------------------------------------------- */
/* (UNIX stream and datagram objects.) */

/* ---- address lookup -------------------------------------------------- */
/* (Forward and reverse lookups, the local host name.) */

/* ---- sending files and gathered buffers ------------------------------ */
/* (sk_sendfile, sk_sendv.) */

/** sk_sendfile: send bytes [offset, offset + length) of a file through a
 * client, with the system's zero-copy call where there is one (sendfile on
 * Linux, FreeBSD and macOS; TransmitFile on Windows, in segments of at most
 * 64 KiB) and a read-and-send loop elsewhere.  Ranges shorter than 4 KiB,
 * and files the zero-copy call refuses (Linux: /proc and some other
 * special files), take the read-and-send loop too.
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
 * Returns 0; SK_EINVAL (NULL object, file < 0, length < -1, offset above
 * 2^63 - 1 or above what the system's file offsets hold, offset + length
 * above 2^63 - 1, a descriptor that is not open for reading or cannot be
 * read at an offset); SK_EWRONGROLE (not a client); SK_ECLOSED (a closed
 * object, the peer gone or sending shut down); SK_ECONNRESET; SK_ETIMEOUT;
 * SK_ENORESOURCES (no memory for the read-and-send buffer); SK_ESYSTEM
 * (reading the file failed, e.g. an I/O error; see sk_syserror). */
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
 * never raises SIGPIPE.  Returns 0 (at once for n 0 or when every buffer
 * is empty); SK_EINVAL (NULL object, NULL iov with n > 0, NULL data with
 * len > 0, a total length above SIZE_MAX); SK_EWRONGROLE (not a client);
 * SK_ECLOSED (a closed object, the peer gone or sending shut down);
 * SK_ECONNRESET; SK_ETIMEOUT. */
SK_API int sk_sendv(sk_sock *s, const sk_iovec *iov, size_t n, size_t *sent);

/* ---- state queries and blocking mode --------------------------------- */
/* (sk_getstate, sk_setblocking, options by level and name.) */

#ifdef __cplusplus
}
#endif

#endif /* SOCKIT_H */
