/* SPDX-License-Identifier: MIT */
/*
 * sendfile.c (POSIX) - sending files and gathered buffers: the system's
 * sendfile where there is one (Linux, FreeBSD/DragonFly, macOS: three
 * different calls), pread for the read-and-send loop, and sendmsg for
 * gathered sends (not writev: only sendmsg takes MSG_NOSIGNAL).
 */
#include "posix_int.h"

#if SK_OS_POSIX
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/uio.h>

/* Which sendfile this system has: there is no feature macro for it, so
 * the OS decides here, once; the code below asks for the capability.
 * Only the Linux call is built and tested by ci/test; the FreeBSD and
 * macOS branches follow their manual pages. */
#if defined(__linux__)
#  include <sys/sendfile.h>
#  define SK_HAVE_SENDFILE_LINUX 1
#elif defined(__FreeBSD__) || defined(__DragonFly__)
#  define SK_HAVE_SENDFILE_BSD 1
#elif defined(__APPLE__)
#  define SK_HAVE_SENDFILE_DARWIN 1
#endif

/* The largest off_t (signed, two's complement), computed without
 * overflow. */
#define SK__SF_OFF_MAX \
    ((((uint64_t)1 << (sizeof(off_t) * CHAR_BIT - 2)) - 1) * 2 + 1)

/* Entries of one sendmsg: at most 256 (the array lives on the stack) and
 * at most IOV_MAX, or POSIX's minimum of 16 where the system does not say
 * (compared at run time: IOV_MAX need not be a preprocessor constant). */
#define SK__SV_BATCH 256
#if defined(IOV_MAX)
#  define SK__SV_LIMIT IOV_MAX
#else
#  define SK__SV_LIMIT 16
#endif

/* len cut so that [offset, offset + len) stays within off_t and ssize_t;
 * SK_EINVAL when offset itself does not fit. */
static int sk__sf_clamp(uint64_t offset, size_t *len)
{
    if (offset > SK__SF_OFF_MAX)
        return SK_EINVAL;
    if ((uint64_t)*len > SK__SF_OFF_MAX - offset)
        *len = (size_t)(SK__SF_OFF_MAX - offset);
    if (*len > (size_t)SSIZE_MAX)
        *len = (size_t)SSIZE_MAX;
    return 0;
}

/* errno of a failed file access (pread, or sendfile's file side). */
static int sk__sf_file_err(int e)
{
    switch (e) {
    case EBADF:   /* not open, or not for reading */
    case ESPIPE:  /* a pipe, socket or FIFO: no offsets */
    case EISDIR:
    case EINVAL:
    case EOVERFLOW:
    case ENXIO:
        return SK_EINVAL;
    case ENOMEM:
    case ENOBUFS:
        return SK_ENORESOURCES;
    default:
        return SK_ESYSTEM; /* EIO and the like; never "would block" */
    }
}

int sk__plat_pread(int file, void *buf, size_t len, uint64_t offset,
                   size_t *got, int *sys)
{
    ssize_t n;
    *got = 0;
    if (sk__sf_clamp(offset, &len) != 0)
        return SK_EINVAL;
    if (len == 0)
        return 0; /* at the largest offset: nothing can follow */
    do {
        n = pread(file, buf, len, (off_t)offset);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        if (sys != NULL)
            *sys = errno;
        return sk__sf_file_err(errno);
    }
    *got = (size_t)n;
    return 0;
}

/* A failed sendfile: "this file cannot be sent this way" asks for the
 * read-and-send loop; file errors as for pread; the rest is the socket's. */
static int sk__sf_fail(int e, int *sys)
{
    if (sys != NULL)
        *sys = e;
    switch (e) {
    case EINVAL:    /* Linux: no splice for this file; BSD: not a file */
    case EOVERFLOW: /* Linux: offset past the file system's limit */
    case ENOSYS:
    case EOPNOTSUPP:
#if defined(ENOTSUP) && ENOTSUP != EOPNOTSUPP
    case ENOTSUP:
#endif
        return SK_EUNSUPPORTED;
    case EBADF:
    case ESPIPE:
    case EISDIR:
        return SK_EINVAL;
    default:
        return sk__posix_err(e);
    }
}

#if defined(SK_HAVE_SENDFILE_LINUX)
/* Linux's sendfile raises SIGPIPE when the peer is gone (it takes no
 * MSG_NOSIGNAL) and there is no per-socket switch.  So SIGPIPE is blocked
 * in this thread for the call, and a SIGPIPE that the call made pending is
 * taken back with a zero-timeout sigtimedwait; the mask is then restored.
 * Nothing process-wide changes.  (sigprocmask acts on the calling thread
 * on Linux and needs no libpthread on older C libraries.) */
int sk__plat_sendfile(sk_fd_t fd, int file, uint64_t offset, size_t len,
                      int64_t ms, size_t *sent, int *sys)
{
    sigset_t pipe_set, old, pending;
    struct timespec zero;
    off_t off;
    ssize_t n;
    int e, was_pending;

    (void)ms; /* a non-blocking socket: sendfile never waits */
    *sent = 0;
    if (sk__sf_clamp(offset, &len) != 0)
        return SK_EINVAL;
    if (len == 0)
        return 0;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    sigemptyset(&pending);
    sigpending(&pending);
    was_pending = sigismember(&pending, SIGPIPE) == 1;
    if (sigprocmask(SIG_BLOCK, &pipe_set, &old) != 0)
        return sk__posix_fail(sys);
    off = (off_t)offset;
    do {
        n = sendfile(fd, file, &off, len);
    } while (n < 0 && errno == EINTR);
    e = errno;
    if (n < 0 && !was_pending) {
        sigemptyset(&pending);
        if (sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1) {
            zero.tv_sec = 0;
            zero.tv_nsec = 0;
            while (sigtimedwait(&pipe_set, NULL, &zero) < 0 && errno == EINTR)
                ;
        }
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (n < 0)
        return sk__sf_fail(e, sys);
    *sent = (size_t)n; /* 0: the end of the file */
    return 0;
}

#elif defined(SK_HAVE_SENDFILE_BSD)
/* FreeBSD: sendfile(file, socket, offset, nbytes, hdtr, &sbytes, flags);
 * nbytes 0 would mean "to the end", so len is never 0 here.  On a
 * non-blocking socket it fails with EAGAIN (or EBUSY, or EINTR) after a
 * partial send, with sbytes set.  The socket has SO_NOSIGPIPE. */
int sk__plat_sendfile(sk_fd_t fd, int file, uint64_t offset, size_t len,
                      int64_t ms, size_t *sent, int *sys)
{
    off_t sbytes;
    int r, e;

    (void)ms;
    *sent = 0;
    if (sk__sf_clamp(offset, &len) != 0)
        return SK_EINVAL;
    if (len == 0)
        return 0;
    for (;;) {
        sbytes = 0;
        r = sendfile(file, fd, (off_t)offset, len, NULL, &sbytes, 0);
        e = errno;
        if (r == 0 || sbytes > 0) {
            *sent = (size_t)sbytes; /* 0 with r == 0: the end of the file */
            return 0;
        }
        if (e != EINTR)
            break;
    }
    if (e == EBUSY)
        e = EAGAIN;
    return sk__sf_fail(e, sys);
}

#elif defined(SK_HAVE_SENDFILE_DARWIN)
/* macOS: sendfile(file, socket, offset, &len, hdtr, flags); *len in is the
 * count (0 would mean "to the end", so never 0 here), out the bytes sent,
 * also when it fails with EAGAIN or EINTR after a partial send.  The
 * socket has SO_NOSIGPIPE. */
int sk__plat_sendfile(sk_fd_t fd, int file, uint64_t offset, size_t len,
                      int64_t ms, size_t *sent, int *sys)
{
    off_t count;
    int r, e;

    (void)ms;
    *sent = 0;
    if (sk__sf_clamp(offset, &len) != 0)
        return SK_EINVAL;
    if (len == 0)
        return 0;
    for (;;) {
        count = (off_t)len;
        r = sendfile(file, fd, (off_t)offset, &count, NULL, 0);
        e = errno;
        if (r == 0 || count > 0) {
            *sent = (size_t)count;
            return 0;
        }
        if (e != EINTR)
            break;
    }
    return sk__sf_fail(e, sys);
}

#else
/* No sendfile: the shared code reads and sends. */
int sk__plat_sendfile(sk_fd_t fd, int file, uint64_t offset, size_t len,
                      int64_t ms, size_t *sent, int *sys)
{
    (void)fd;
    (void)file;
    (void)offset;
    (void)len;
    (void)ms;
    (void)sys;
    *sent = 0;
    return SK_EUNSUPPORTED;
}
#endif

int sk__plat_sendv(sk_fd_t fd, const sk_iovec *iov, size_t n, size_t skip,
                   size_t *sent, int *sys)
{
    struct iovec v[SK__SV_BATCH];
    struct msghdr msg;
    size_t i, cnt = 0, total = 0;
    ssize_t r;

    *sent = 0;
    for (i = 0; i < n && cnt < SK__SV_BATCH && cnt < (size_t)SK__SV_LIMIT &&
                total < (size_t)SSIZE_MAX;
         i++) {
        const char *p = (const char *)iov[i].data;
        size_t len = iov[i].len;
        if (i == 0 && skip > 0) {
            p += skip;
            len -= skip;
        }
        if (len == 0)
            continue;
        if (len > (size_t)SSIZE_MAX - total)
            len = (size_t)SSIZE_MAX - total;
        v[cnt].iov_base = (void *)p;
        v[cnt].iov_len = len;
        cnt++;
        total += len;
    }
    if (cnt == 0)
        return 0;
    memset(&msg, 0, sizeof msg);
    msg.msg_iov = v;
    msg.msg_iovlen = cnt;
    do {
        r = sendmsg(fd, &msg, SK_SEND_FLAGS);
    } while (r < 0 && errno == EINTR);
    if (r < 0)
        return sk__posix_fail(sys);
    *sent = (size_t)r;
    return 0;
}
#endif
