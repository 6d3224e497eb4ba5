/* SPDX-License-Identifier: MIT */
/*
 * io_win32.c - skcat's copy loop for Windows (empty elsewhere).
 *
 * Console and pipe handles cannot be waited on together with sockets, so
 * stdin is read on a thread (ReadFile on GetStdHandle) that forwards into
 * the socket.  sockit objects may be used from different threads only when
 * the objects are distinct; here one object is shared, so the two threads
 * keep strictly separate roles on it: the stdin thread only calls sk_send
 * and sk_shutdown (the sending side), the main thread only calls sk_select,
 * sk_read and sk_dirty (the receiving side).  Neither touches the other's
 * state, and the main thread frees the object only after the stdin thread
 * has finished with it (see skcat_pump's end).
 */
#if defined(_WIN32)

#include "skcat_io.h"

#include <windows.h>
#include <io.h>
#include <stdio.h>

#define SKCAT_BUFSIZE 65536

/* Shared between the main thread and the stdin thread. */
struct pump {
    sk_sock *c;
    volatile LONG state;     /* 0 copying, 1 stdin ended (half-closed),
                                2 send failed */
    volatile LONG64 to_sock; /* bytes forwarded */
    volatile LONG64 last_ms; /* GetTickCount64 of the last data */
};

static DWORD WINAPI stdin_thread(LPVOID arg)
{
    static char buf[SKCAT_BUFSIZE];
    struct pump *p = (struct pump *)arg;
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    LONG result = 1;

    for (;;) {
        DWORD n = 0;
        int r;

        if (in == NULL || in == INVALID_HANDLE_VALUE ||
            !ReadFile(in, buf, sizeof buf, &n, NULL) || n == 0)
            break; /* end of stdin (a broken pipe counts as one) */
        r = sk_send(p->c, buf, n, 1, -1, NULL);
        if (r != SK_OK) {
            fprintf(stderr, "skcat: send: %s\n", sk_strerror(r));
            result = 2;
            break;
        }
        InterlockedExchangeAdd64(&p->to_sock, (LONG64)n);
        InterlockedExchange64(&p->last_ms, (LONG64)GetTickCount64());
    }
    if (result == 1) {
        int r = sk_shutdown(p->c, SK_SHUT_SEND);

        if (r != SK_OK && r != SK_ENOTCONN)
            fprintf(stderr, "skcat: shutdown: %s\n", sk_strerror(r));
    }
    InterlockedExchange(&p->state, result);
    return 0;
}

static int write_all(HANDLE out, const char *d, size_t n)
{
    while (n > 0) {
        DWORD w = 0;

        if (!WriteFile(out, d, (DWORD)n, &w, NULL) || w == 0)
            return -1;
        d += w;
        n -= w;
    }
    return 0;
}

int skcat_pump(sk_sock *c, const struct skcat_opts *o)
{
    static char outbuf[SKCAT_BUFSIZE];
    static struct pump p; /* the stdin thread may outlive this call */
    static HANDLE thread;
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    ULONGLONG start = GetTickCount64(), quit_at = 0, next_tick = start + 1000;
    uint64_t from_sock = 0;
    int tty = _isatty(_fileno(stderr)), shown = 0, rc = -1, have_quit = 0;

    if (thread != NULL) {
        /* -k: stdin is shared by every client and has already ended (the
         * previous client was kept until then); only half-close. */
        int r = sk_shutdown(c, SK_SHUT_SEND);

        (void)r;
    } else {
        p.c = c;
        p.state = 0;
        p.to_sock = 0;
        p.last_ms = (LONG64)start;
        thread = CreateThread(NULL, 0, stdin_thread, &p, 0, NULL);
        if (thread == NULL) {
            fprintf(stderr, "skcat: CreateThread failed\n");
            return 1;
        }
    }
    while (rc < 0) {
        sk_sock *ready[1];
        size_t nready = 0, nwritable = 0; /* nwritable: required */
        ULONGLONG t = GetTickCount64();
        LONG st = InterlockedCompareExchange(&p.state, 0, 0);
        double wait = 0.25; /* poll the stdin thread's state this often */
        int r;

        if (st == 2) {
            rc = 1;
            break;
        }
        if (st == 1 && o->quit >= 0.0 && !have_quit) {
            quit_at = t + (ULONGLONG)(o->quit * 1000.0);
            have_quit = 1;
        }
        r = sk_select(&c, 1, NULL, 0, wait, ready, &nready, NULL,
                      &nwritable);
        if (r == SK_OK && nready > 0) {
            size_t got = 0;

            /* Non-blocking for this read: over TLS a readable socket
             * may hold no data yet (a session ticket, a partial record),
             * and a blocking read would then wait with stdin unread. */
            (void)sk_setblocking(c, 0);
            r = sk_read(c, outbuf, sizeof outbuf, &got);
            (void)sk_setblocking(c, 1);
            if (r == SK_EWOULDBLOCK)
                r = SK_ETIMEOUT; /* nothing yet: poll again */
            if (r == SK_OK) {
                if (write_all(out, outbuf, got) != 0) {
                    fprintf(stderr, "skcat: write to stdout failed\n");
                    rc = 1;
                    break;
                }
                from_sock += got;
                InterlockedExchange64(&p.last_ms, (LONG64)GetTickCount64());
            } else if (r == SK_ECLOSED) {
                rc = 0;
                break;
            } else if (r != SK_ETIMEOUT) {
                fprintf(stderr, "skcat: receive: %s\n", sk_strerror(r));
                rc = 1;
                break;
            }
        } else if (r != SK_OK && r != SK_ETIMEOUT) {
            fprintf(stderr, "skcat: select: %s\n", sk_strerror(r));
            rc = 1;
            break;
        }
        t = GetTickCount64();
        if (have_quit && t >= quit_at) {
            rc = 0;
        } else if (o->idle >= 0.0 &&
                   (double)(t - (ULONGLONG)InterlockedCompareExchange64(
                                    &p.last_ms, 0, 0)) >= o->idle * 1000.0) {
            fprintf(stderr, "skcat: timeout: no data for %g s\n", o->idle);
            rc = 1;
        }
        if (tty && t >= next_tick) {
            skcat_progress((uint64_t)p.to_sock, from_sock,
                           (double)(t - start) / 1000.0, 0);
            shown = 1;
            next_tick = t + 1000;
        }
    }
    if (shown)
        skcat_progress((uint64_t)p.to_sock, from_sock,
                       (double)(GetTickCount64() - start) / 1000.0, 1);
    /* The caller frees c next, so the stdin thread must be done with it.
     * If it is still reading stdin (or sending), skcat ends here: exit
     * without returning, after the statistics -v asks for. */
    if (InterlockedCompareExchange(&p.state, 0, 0) == 0) {
        uint64_t rx = 0, tx = 0;
        double age = 0.0;

        if (o->verbose && sk_getstats(c, &rx, &tx, &age) == SK_OK)
            fprintf(stderr,
                    "skcat: received %llu bytes, sent %llu bytes in %.3f s\n",
                    (unsigned long long)rx, (unsigned long long)tx, age);
        fflush(stderr);
        ExitProcess((UINT)rc);
    }
    return rc;
}

#else
/* ISO C forbids an empty translation unit. */
typedef int skcat_io_win32_unused;
#endif
