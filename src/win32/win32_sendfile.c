/* SPDX-License-Identifier: MIT */
/*
 * sendfile.c - sending files and gathered buffers on Windows: TransmitFile
 * (found through WSAIoctl, so no mswsock link) in overlapped segments of
 * at most 64 KiB, a positioned ReadFile for the read-and-send loop, and
 * WSASend for gathered sends.  The file position is put back after each
 * file access, since a synchronous handle moves it even for a read at an
 * offset.
 */
#include "../plat.h"

#if SK_OS_WIN32

#include "win32_int.h"

#include <mswsock.h>
#include <io.h>
#include <limits.h>
#include <string.h>

/* TransmitFile segment: small enough that a slow reader finishes one well
 * inside a timeout (APR uses the same). */
#define SK__WIN_SEGMENT 65536u
/* WSABUFs of one WSASend (on the stack). */
#define SK__WIN_SV_BATCH 256

/* A send-side failure: sk__win_send_fail's mapping, plus "not connected",
 * which Wine's TransmitFile says once the peer has reset. */
static int sk__win_sf_send_fail(int err, int *sys) {
    if (err == WSAENOTCONN) {
        if (sys != NULL)
            *sys = err;
        return SK_ECLOSED;
    }
    return sk__win_send_fail(err, sys);
}

/* The OS handle of a C runtime descriptor, or INVALID_HANDLE_VALUE. */
static HANDLE sk__win_sf_handle(int file) {
    return (HANDLE)_get_osfhandle(file);
}

/* The file position of h in *pos; 1 when it could be read. */
static int sk__win_sf_tell(HANDLE h, LARGE_INTEGER *pos) {
    LARGE_INTEGER zero;
    zero.QuadPart = 0;
    return SetFilePointerEx(h, zero, pos, FILE_CURRENT) != 0;
}

/* ms (-1 forever) as a wait time. */
static DWORD sk__win_sf_ms(int64_t ms) {
    if (ms < 0)
        return INFINITE;
    return ms >= (int64_t)INFINITE ? INFINITE - 1 : (DWORD)ms;
}

int sk__plat_pread(int file, void *buf, size_t len, uint64_t offset,
                   size_t *got, int *sys) {
    HANDLE h = sk__win_sf_handle(file);
    LARGE_INTEGER pos;
    OVERLAPPED ov;
    DWORD n = 0, want, err = 0;
    BOOL ok;
    int have_pos;

    *got = 0;
    if (h == INVALID_HANDLE_VALUE)
        return sk__win_fail(ERROR_INVALID_HANDLE, sys);
    /* Only disk files have offsets: a pipe or console read would consume
     * (or wait for) data instead. */
    if (GetFileType(h) != FILE_TYPE_DISK)
        return sk__win_fail(ERROR_INVALID_HANDLE, sys);
    want = len > (size_t)SK__WIN_SEGMENT ? SK__WIN_SEGMENT : (DWORD)len;
    memset(&ov, 0, sizeof ov);
    ov.Offset = (DWORD)(offset & 0xffffffffu);
    ov.OffsetHigh = (DWORD)(offset >> 32);
    have_pos = sk__win_sf_tell(h, &pos);
    ok = ReadFile(h, buf, want, &n, &ov);
    if (!ok) {
        err = GetLastError();
        if (err == ERROR_IO_PENDING) { /* a handle opened for overlapped */
            ok = GetOverlappedResult(h, &ov, &n, TRUE);
            err = ok ? 0 : GetLastError();
        }
    }
    if (have_pos)
        SetFilePointerEx(h, pos, NULL, FILE_BEGIN);
    if (!ok) {
        if (err == ERROR_HANDLE_EOF)
            return 0; /* at or past the end */
        if (sys != NULL)
            *sys = (int)err;
        if (err == ERROR_ACCESS_DENIED || err == ERROR_INVALID_PARAMETER ||
            err == ERROR_INVALID_HANDLE)
            return SK_EINVAL; /* not open for reading */
        return sk__win_code((int)err) == SK_ENORESOURCES ? SK_ENORESOURCES
                                                         : SK_ESYSTEM;
    }
    *got = n;
    return 0;
}

/* What sk__win_sf_wait saw besides completion, a timeout or an error. */
#define SK__WIN_SF_PEERCLOSED (-2)

/* Wait up to ms for the transmission in ov to finish.  Wine does not wake
 * a pending send when the peer resets the connection (Windows completes it
 * with an error), and its TransmitFile stays pending after its last byte
 * until the socket is writable again, which a reset socket never becomes.
 * So the socket's FD_CLOSE is watched too, with an event of its own.
 * Returns 0 when ov finished, WAIT_TIMEOUT, SK__WIN_SF_PEERCLOSED (the peer
 * closed gracefully: it may still read, or may be gone), the error code of
 * a close with an error (a reset), or a wait failure's code; the caller
 * cancels the transmission in every case but 0. */
static int sk__win_sf_wait(SOCKET s, OVERLAPPED *ov, int64_t ms) {
    HANDLE ev[2];
    WSANETWORKEVENTS ne;
    DWORD wr;
    int watching = 0, r;

    ev[0] = ov->hEvent;
    ev[1] = CreateEventA(NULL, TRUE, FALSE, NULL);
    if (ev[1] != NULL && WSAEventSelect(s, ev[1], FD_CLOSE) == 0)
        watching = 1;
    wr = WaitForMultipleObjects(watching ? 2 : 1, ev, FALSE,
                                sk__win_sf_ms(ms));
    if (wr == WAIT_OBJECT_0) {
        r = 0;
    } else if (wr == WAIT_OBJECT_0 + 1) {
        r = SK__WIN_SF_PEERCLOSED;
        memset(&ne, 0, sizeof ne);
        if (WSAEnumNetworkEvents(s, ev[1], &ne) == 0 &&
            (ne.lNetworkEvents & FD_CLOSE) &&
            ne.iErrorCode[FD_CLOSE_BIT] != 0)
            r = ne.iErrorCode[FD_CLOSE_BIT];
    } else {
        r = wr == WAIT_TIMEOUT ? WAIT_TIMEOUT : (int)GetLastError();
    }
    if (watching)
        WSAEventSelect(s, NULL, 0);
    if (ev[1] != NULL)
        CloseHandle(ev[1]);
    return r;
}

/* TransmitFile of want bytes at offset, waited for up to ms; *sent the
 * bytes that went out (also when cancelled).  Returns 0, or why it did not
 * finish: WAIT_TIMEOUT, SK__WIN_SF_PEERCLOSED, or a WSA/Win32 error. */
static int sk__win_sf_transmit(SOCKET s, HANDLE h, LPFN_TRANSMITFILE tf,
                               uint64_t offset, DWORD want, int64_t ms,
                               size_t *sent) {
    OVERLAPPED ov;
    DWORD n = 0, flags = 0;
    BOOL ok;
    int err = 0, w;

    memset(&ov, 0, sizeof ov);
    ov.Offset = (DWORD)(offset & 0xffffffffu);
    ov.OffsetHigh = (DWORD)(offset >> 32);
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    if (ov.hEvent == NULL)
        return (int)GetLastError();
    ok = tf(s, h, want, 0, &ov, NULL, 0);
    if (!ok) {
        err = WSAGetLastError();
        if (err == WSA_IO_PENDING) {
            /* The socket is non-blocking, but an overlapped operation runs
             * on regardless: wait for it within the deadline; otherwise
             * cancel it and wait for the cancel to land, so that the count
             * below is what really went out. */
            w = sk__win_sf_wait(s, &ov, ms);
            if (w != 0)
                CancelIoEx((HANDLE)s, &ov);
            ok = WSAGetOverlappedResult(s, &ov, &n, TRUE, &flags);
            err = ok ? 0 : WSAGetLastError();
            if (!ok && w != 0)
                err = w; /* why it was cancelled */
        }
    }
    /* InternalHigh holds the bytes transferred, also for a cancelled or
     * failed transmission (Wine fills it with what was sent). */
    *sent = (size_t)ov.InternalHigh;
    if (*sent > want)
        *sent = want;
    CloseHandle(ov.hEvent);
    return ok ? 0 : err;
}

/* 1 when h can be read at offset: a read of 0 bytes checks the access
 * (Wine's TransmitFile would read a write-only handle; Windows's fails). */
static int sk__win_sf_readable(HANDLE h, uint64_t offset) {
    OVERLAPPED ov;
    DWORD n = 0;
    char c;
    memset(&ov, 0, sizeof ov);
    ov.Offset = (DWORD)(offset & 0xffffffffu);
    ov.OffsetHigh = (DWORD)(offset >> 32);
    if (ReadFile(h, &c, 0, &n, &ov))
        return 1;
    if (GetLastError() == ERROR_IO_PENDING) /* a handle for overlapped I/O */
        return GetOverlappedResult(h, &ov, &n, TRUE) ||
               GetLastError() == ERROR_HANDLE_EOF;
    return GetLastError() == ERROR_HANDLE_EOF;
}

int sk__plat_sendfile(sk_fd_t fd, int file, uint64_t offset, size_t len,
                      int64_t ms, size_t *sent, int *sys) {
    SOCKET s = SK__SOCK(fd);
    GUID guid = WSAID_TRANSMITFILE;
    LPFN_TRANSMITFILE tf = NULL;
    HANDLE h = sk__win_sf_handle(file);
    LARGE_INTEGER size, pos;
    DWORD bytes = 0, want;
    int err, have_pos;

    *sent = 0;
    if (h == INVALID_HANDLE_VALUE)
        return sk__win_fail(ERROR_INVALID_HANDLE, sys);
    /* TransmitFile takes disk files; anything else is left to the
     * read-and-send loop (which tells what is wrong with it). */
    if (GetFileType(h) != FILE_TYPE_DISK || !GetFileSizeEx(h, &size) ||
        size.QuadPart < 0)
        return SK_EUNSUPPORTED;
    if ((uint64_t)size.QuadPart <= offset)
        return 0; /* at or past the end */
    want = SK__WIN_SEGMENT;
    if ((uint64_t)size.QuadPart - offset < want)
        want = (DWORD)((uint64_t)size.QuadPart - offset);
    if (len < want)
        want = (DWORD)len;
    if (WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof guid,
                 &tf, sizeof tf, &bytes, NULL, NULL) == SOCKET_ERROR ||
        tf == NULL)
        return SK_EUNSUPPORTED;

    have_pos = sk__win_sf_tell(h, &pos);
    if (!sk__win_sf_readable(h, offset))
        err = -1;
    else
        err = sk__win_sf_transmit(s, h, tf, offset, want, ms, sent);
    if (have_pos)
        SetFilePointerEx(h, pos, NULL, FILE_BEGIN);
    if (err == 0)
        return 0; /* *sent 0 only if the file shrank: its end */
    if (err == -1)
        return SK_EUNSUPPORTED; /* the read-and-send loop will say why */
    if (err == WAIT_TIMEOUT) {
        if (sys != NULL)
            *sys = err;
        return SK_ETIMEOUT;
    }
    if (err == SK__WIN_SF_PEERCLOSED) {
        /* Cancelled after a graceful close: report the progress, or wait
         * for room; the next step finds out whether the peer still reads
         * (TransmitFile then fails at once if the connection is gone). */
        return *sent > 0 ? 0 : SK_EWOULDBLOCK;
    }
    if (sys != NULL)
        *sys = err;
    /* Failed before any byte went out: the read-and-send loop retries,
     * and reports a file problem as pread does and a connection problem
     * as sk_send does. */
    if (*sent == 0 && err != WSAECONNRESET && err != WSAECONNABORTED &&
        err != WSAENETRESET)
        return SK_EUNSUPPORTED;
    return sk__win_sf_send_fail(err, sys);
}

int sk__plat_sendv(sk_fd_t fd, const sk_iovec *iov, size_t n, size_t skip,
                   size_t *sent, int *sys) {
    WSABUF b[SK__WIN_SV_BATCH];
    DWORD cnt = 0, nsent = 0;
    size_t i, total = 0;
    int err;

    *sent = 0;
    /* WSASend reports a DWORD: one call carries at most INT_MAX bytes (a
     * shorter send is a partial send, which the caller handles). */
    for (i = 0; i < n && cnt < SK__WIN_SV_BATCH && total < (size_t)INT_MAX;
         i++) {
        const char *p = (const char *)iov[i].data;
        size_t len = iov[i].len;
        if (i == 0 && skip > 0) {
            p += skip;
            len -= skip;
        }
        if (len == 0)
            continue;
        if (len > (size_t)INT_MAX - total)
            len = (size_t)INT_MAX - total;
        b[cnt].buf = (char *)p;
        b[cnt].len = (ULONG)len;
        cnt++;
        total += len;
    }
    if (cnt == 0)
        return 0;
    for (;;) {
        if (WSASend(SK__SOCK(fd), b, cnt, &nsent, 0, NULL, NULL) == 0) {
            *sent = nsent;
            return 0;
        }
        err = WSAGetLastError();
        if (err != WSAEINTR)
            break;
    }
    if (err == WSAEWOULDBLOCK) {
        if (sys != NULL)
            *sys = err;
        return SK_EWOULDBLOCK;
    }
    return sk__win_sf_send_fail(err, sys);
}

#endif /* SK_OS_WIN32 */
