/* SPDX-License-Identifier: MIT */
/*
 * io_win32.c - skcat's copy loops for Windows (empty elsewhere).
 *
 * Console and pipe handles cannot be waited on together with sockets, so a
 * reader thread reads stdin (ReadFile on GetStdHandle) into one slot, for
 * the whole process: a chunk read and not yet sent stays there for the next
 * client of -k, and once stdin has ended it stays ended.
 *
 * A stream client is used by two threads at once, as docs/thread-safety.md
 * allows: a sender thread per client takes chunks from the slot and calls
 * only sk_send and sk_shutdown(SK_SHUT_SEND) (the sending side); the main
 * thread calls only sk_select, sk_read and sk_dirty (the receiving side),
 * and joins the sender before the caller frees the object.  A datagram
 * object is used by the main thread alone, which looks at the slot between
 * short waits.
 */
#if defined(_WIN32)

#include "skcat_io.h"

#include <windows.h>
#include <io.h>
#include <stdio.h>

#define SKCAT_BUFSIZE 65536
#define SKCAT_DGRAM_MAX 65507 /* the largest UDP payload over IPv4 */

/* The stdin slot, shared by the reader thread and its consumer. */
static struct {
    CRITICAL_SECTION lock;
    HANDLE ready;  /* manual reset: the slot holds bytes, or stdin ended */
    HANDLE room;   /* auto reset: the slot was emptied, read more */
    HANDLE thread; /* the reader, started once */
    char buf[SKCAT_BUFSIZE];
    size_t off, len; /* bytes buf[off..len) wait to be sent */
    int ended, failed;
    size_t cap;      /* how much one read takes (a datagram's worth) */
} in;

static DWORD WINAPI reader_main(LPVOID arg)
{
    HANDLE h = GetStdHandle(STD_INPUT_HANDLE);

    (void)arg;
    for (;;) {
        DWORD n = 0, err = 0;
        BOOL ok;

        WaitForSingleObject(in.room, INFINITE);
        ok = h != NULL && h != INVALID_HANDLE_VALUE &&
             ReadFile(h, in.buf, (DWORD)in.cap, &n, NULL);
        if (!ok)
            err = GetLastError();
        EnterCriticalSection(&in.lock);
        if (ok && n > 0) {
            in.off = 0;
            in.len = n;
        } else {
            /* a closed pipe is the end of stdin, not an error */
            if (!ok && err != ERROR_BROKEN_PIPE && err != ERROR_HANDLE_EOF &&
                h != NULL && h != INVALID_HANDLE_VALUE) {
                fprintf(stderr, "skcat: read stdin: error %lu\n",
                        (unsigned long)err);
                in.failed = 1;
            }
            in.ended = 1;
        }
        SetEvent(in.ready);
        LeaveCriticalSection(&in.lock);
        if (in.ended)
            return 0;
    }
}

/* reader_start: the reader thread, once per process. */
static int reader_start(size_t cap)
{
    if (in.thread != NULL)
        return 0;
    InitializeCriticalSection(&in.lock);
    in.cap = cap;
    in.ready = CreateEventW(NULL, TRUE, FALSE, NULL);
    in.room = CreateEventW(NULL, FALSE, TRUE, NULL);
    if (in.ready != NULL && in.room != NULL)
        in.thread = CreateThread(NULL, 0, reader_main, NULL, 0, NULL);
    if (in.thread == NULL) {
        fprintf(stderr, "skcat: cannot start the stdin thread\n");
        return -1;
    }
    return 0;
}

/* consumed: k more bytes of the slot are sent; an empty slot lets the
 * reader read on.  Call with the lock held. */
static void consumed(size_t k)
{
    in.off += k;
    if (in.off == in.len) {
        in.off = in.len = 0;
        if (!in.ended) {
            ResetEvent(in.ready);
            SetEvent(in.room);
        }
    }
}

static void unsent(const char *what, int r, size_t left)
{
    fprintf(stderr, "skcat: %s: %s (%llu bytes read from stdin not sent%s)\n",
            what, sk_strerror(r), (unsigned long long)left,
            in.ended ? "" : ", and the rest of stdin");
}

/* A stream client's sender thread. */
struct sender {
    sk_sock *c;
    HANDLE stop;          /* set by the main thread: return now */
    volatile LONG state;  /* 0 sending, 1 done (shut down), 2 failed */
    volatile LONG64 sent;
    volatile LONG64 last_ms; /* GetTickCount64 of the last data */
};

static DWORD WINAPI sender_main(LPVOID arg)
{
    struct sender *s = (struct sender *)arg;
    HANDLE h[2];

    h[0] = in.ready;
    h[1] = s->stop;
    for (;;) {
        size_t have;
        int ended, r;

        if (WaitForMultipleObjects(2, h, FALSE, INFINITE) != WAIT_OBJECT_0)
            return 0; /* told to stop */
        EnterCriticalSection(&in.lock);
        have = in.len - in.off;
        ended = in.ended;
        LeaveCriticalSection(&in.lock);
        if (have > 0) {
            /* buf[off..len) stays put: the reader waits for room */
            ptrdiff_t last = 0;

            r = sk_send(s->c, in.buf + in.off, have, 1, -1, &last);
            EnterCriticalSection(&in.lock);
            consumed((size_t)last);
            LeaveCriticalSection(&in.lock);
            InterlockedExchangeAdd64(&s->sent, (LONG64)last);
            InterlockedExchange64(&s->last_ms, (LONG64)GetTickCount64());
            if (r != SK_OK) {
                unsent("send", r, have - (size_t)last);
                InterlockedExchange(&s->state, 2);
                return 0;
            }
        } else if (ended) {
            r = sk_shutdown(s->c, SK_SHUT_SEND);
            if (r != SK_OK && r != SK_ENOTCONN) {
                fprintf(stderr, "skcat: shutdown: %s\n", sk_strerror(r));
                InterlockedExchange(&s->state, 2);
            } else {
                InterlockedExchange(&s->state, 1);
            }
            return 0;
        }
    }
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

/* The clocks both loops keep. */
struct run {
    const struct skcat_opts *o;
    ULONGLONG start, quit_at, next_tick;
    int have_quit, tty, shown;
};

static void run_init(struct run *u, const struct skcat_opts *o)
{
    u->o = o;
    u->start = GetTickCount64();
    u->quit_at = 0;
    u->next_tick = u->start + 1000;
    u->have_quit = 0;
    u->tty = _isatty(_fileno(stderr));
    u->shown = 0;
}

/* run_clock: 0 when the -q wait is over, 1 after -w's idle timeout
 * (reported), -1 to go on. */
static int run_clock(struct run *u, ULONGLONG last_ms, uint64_t to_sock,
                     uint64_t from_sock)
{
    ULONGLONG t = GetTickCount64();

    if (u->tty && t >= u->next_tick) {
        skcat_progress(to_sock, from_sock, (double)(t - u->start) / 1000.0, 0);
        u->shown = 1;
        u->next_tick = t + 1000;
    }
    if (u->have_quit && t >= u->quit_at)
        return 0;
    if (u->o->idle >= 0.0 && (double)(t - last_ms) >= u->o->idle * 1000.0) {
        fprintf(stderr, "skcat: timeout: no data for %g s\n", u->o->idle);
        return 1;
    }
    return -1;
}

static void run_quit(struct run *u)
{
    if (!u->have_quit && u->o->quit >= 0.0) {
        u->quit_at = GetTickCount64() + (ULONGLONG)(u->o->quit * 1000.0);
        u->have_quit = 1;
    }
}

int skcat_pump(sk_sock *c, const struct skcat_opts *o)
{
    static char outbuf[SKCAT_BUFSIZE];
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE), thread;
    struct sender s;
    struct run u;
    uint64_t from_sock = 0;
    int peer_done = 0, rc = -1;

    if (reader_start(SKCAT_BUFSIZE) != 0)
        return 1;
    run_init(&u, o);
    s.c = c;
    s.state = 0;
    s.sent = 0;
    s.last_ms = (LONG64)u.start;
    s.stop = CreateEventW(NULL, TRUE, FALSE, NULL);
    thread = s.stop == NULL ? NULL
                            : CreateThread(NULL, 0, sender_main, &s, 0, NULL);
    if (thread == NULL) {
        fprintf(stderr, "skcat: cannot start the sending thread\n");
        if (s.stop != NULL)
            CloseHandle(s.stop);
        return 1;
    }
    while (rc < 0) {
        LONG st = InterlockedCompareExchange(&s.state, 0, 0);
        int r;

        if (st == 2) {
            rc = 1; /* reported by the sender */
            break;
        }
        if (st == 1) {
            run_quit(&u);
            if (peer_done) {
                rc = 0; /* both directions are over */
                break;
            }
        }
        if (!peer_done) {
            sk_sock *ready[1];
            size_t nready = 0, nwritable = 0;

            r = sk_select(&c, 1, NULL, 0, 0.25, ready, &nready, NULL,
                          &nwritable);
            if (r == SK_OK && nready > 0) {
                size_t got = 0;

                r = sk_read(c, outbuf, sizeof outbuf, &got);
                if (r == SK_OK) {
                    if (write_all(out, outbuf, got) != 0) {
                        fprintf(stderr, "skcat: write to stdout failed\n");
                        rc = 1;
                        break;
                    }
                    from_sock += got;
                    InterlockedExchange64(&s.last_ms,
                                          (LONG64)GetTickCount64());
                } else if (r == SK_ECLOSED) {
                    peer_done = 1; /* only this direction is over */
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
        } else {
            /* only sending is left: wait for the sender to finish */
            WaitForSingleObject(thread, 250);
        }
        rc = run_clock(&u, (ULONGLONG)InterlockedCompareExchange64(
                               &s.last_ms, 0, 0),
                       (uint64_t)s.sent, from_sock);
    }
    if (u.shown)
        skcat_progress((uint64_t)s.sent, from_sock,
                       (double)(GetTickCount64() - u.start) / 1000.0, 1);
    /* The caller frees c next: the sender must be done with it.  It stops
     * at once unless it is inside sk_send, which -w bounds and a dead
     * connection fails; a peer that stops reading for good could hold it
     * there, and then skcat ends here. */
    SetEvent(s.stop);
    if (WaitForSingleObject(thread, 10000) != WAIT_OBJECT_0) {
        fprintf(stderr, "skcat: the sending thread is stuck in a send; "
                "exiting\n");
        fflush(stderr);
        ExitProcess(1);
    }
    CloseHandle(thread);
    CloseHandle(s.stop);
    if (rc == 0 && in.failed)
        rc = 1;
    return rc;
}

int skcat_pump_dgram(sk_sock *c, const struct skcat_opts *o)
{
    static char outbuf[SKCAT_BUFSIZE];
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    struct run u;
    ULONGLONG last = GetTickCount64();
    uint64_t to_sock = 0, from_sock = 0;
    int rc = -1;

    if (reader_start(SKCAT_DGRAM_MAX) != 0)
        return 1;
    run_init(&u, o);
    while (rc < 0) {
        sk_sock *ready[1];
        size_t nready = 0, nwritable = 0, have = 0;
        int r;

        /* short waits: the slot is looked at between them */
        r = sk_select(&c, 1, NULL, 0, 0.02, ready, &nready, NULL,
                      &nwritable);
        if (r == SK_OK && nready > 0) {
            size_t got = 0;

            r = sk_recvfrom(c, outbuf, sizeof outbuf, &got, NULL, NULL);
            if (r == SK_OK || r == SK_ETRUNCATED) {
                if (write_all(out, outbuf, got) != 0) {
                    fprintf(stderr, "skcat: write to stdout failed\n");
                    rc = 1;
                    break;
                }
                from_sock += got;
                last = GetTickCount64();
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
        EnterCriticalSection(&in.lock);
        have = in.len - in.off;
        if (have > 0) {
            r = sk_sendto(c, in.buf + in.off, have, NULL, 0);
            if (r == SK_OK) {
                to_sock += have;
                consumed(have);
                last = GetTickCount64();
            } else {
                unsent("send", r, have);
                rc = 1;
            }
        }
        if (in.ended && in.off == in.len)
            run_quit(&u);
        LeaveCriticalSection(&in.lock);
        if (rc < 0)
            rc = run_clock(&u, last, to_sock, from_sock);
    }
    if (u.shown)
        skcat_progress(to_sock, from_sock,
                       (double)(GetTickCount64() - u.start) / 1000.0, 1);
    if (rc == 0 && in.failed)
        rc = 1;
    return rc;
}

#else
/* ISO C forbids an empty translation unit. */
typedef int skcat_io_win32_unused;
#endif
