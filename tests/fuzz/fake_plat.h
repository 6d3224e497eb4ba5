/* SPDX-License-Identifier: MIT */
/*
 * fake_plat.h - a scripted, in-memory stand-in for the backend (src/plat.h)
 * used by sockit's fuzz targets.  fake_plat.c and fake_addr.c implement
 * every function of plat.h without a socket, a resolver query or a clock
 * (address parsing and formatting are the POSIX backend's own, see
 * fake_addr.c).
 *
 * Contract: the harness calls fake_reset() before each input, fills the
 * script fields of `fake`, drives the public API, and calls fake_finish()
 * after freeing every object; fake_finish() aborts when a fake descriptor
 * leaked or startup/cleanup were unbalanced.  The fake aborts (FAKE_CHECK)
 * whenever the shared code breaks plat.h's contract: an unknown or closed
 * descriptor, a double close, recv/send of 0 bytes, a wait of ms < -1, an
 * option or port the shared code should have rejected.
 *
 * Receive script: a queue of events consumed by sk__plat_recv and
 * sk__plat_wait(SK__WAIT_READ):
 *   FAKE_DATA  bytes stream[off, off+len): each sk__plat_recv delivers
 *              min(its len, what is left of the event);
 *   FAKE_BLOCK recv says SK_EWOULDBLOCK; the next wait consumes it, ready;
 *   FAKE_INTR  recv says SK_EWOULDBLOCK; the next wait consumes it and
 *              returns SK_EWOULDBLOCK (a signal);
 *   FAKE_STALL recv says SK_EWOULDBLOCK; the next wait consumes it and
 *              returns SK_ETIMEOUT (a timeout in the middle of the stream).
 * When the queue is empty recv returns recv_end (SK_ECLOSED, SK_ECONNRESET)
 * every time, or for SK_ETIMEOUT says SK_EWOULDBLOCK and every wait times
 * out.  sk__plat_wait never blocks and ignores ms (the clock only advances).
 *
 * Send script: every call accepts up to send_step bytes (captured in
 * capture[]), every send_block_every-th call (0: never) says
 * SK_EWOULDBLOCK (the wait is then ready), and once `accepted` reaches
 * send_limit the call returns send_end (for SK_ETIMEOUT: SK_EWOULDBLOCK and
 * a wait that times out).
 *
 * Loop mode (loop_mode 1, fuzz_conn): every descriptor has its own
 * stream instead of the receive script, its byte p being fake_pattern(p);
 * a poller and a wake-up channel exist, and the poller's wait, connects
 * and accepts take their decisions from the bytes of `script` (the
 * fuzzer's input, read with rd8: each wait reads one byte and acts - time
 * passes, bytes or an end or a reset reach a registered descriptor, a
 * connect settles, sends block or unblock, a client arrives - then
 * reports what is ready, level-triggered, as epoll would); worker
 * threads run inline, at once, in sk__plat_thread_start (so a lookup
 * through the resolver hook is answered synchronously, posted to the
 * loop before sk_conn_connect returns).  Outside loop mode
 * sk__plat_poller_new says SK_EUNSUPPORTED.
 *
 * Addresses are native (sockaddr_in, sockaddr_in6, sockaddr_un), parsed
 * and formatted by the real POSIX backend's code with its resolver calls
 * made numeric-only (fake_addr.c): any name gives SK_EHOSTNOTFOUND, no
 * query leaves the process; sk__plat_reverse makes its answer up from the
 * address, sk__plat_hostname is "fakehost", socket files are never
 * removed.  Connects follow connect_mode (FAKE_CONN_*); a datagram socket
 * takes its peer at once.  Datagrams: every sendto goes out whole
 * (counted in datagrams), recvfrom never gets one (as recv_end).
 */
#ifndef SK_FAKE_PLAT_H
#define SK_FAKE_PLAT_H

#include "plat.h"

#include <stddef.h>
#include <stdint.h>

#define FAKE_CHECK(c) \
    do { \
        if (!(c)) \
            fake_fail(#c, __FILE__, __LINE__); \
    } while (0)

enum { FAKE_DATA, FAKE_BLOCK, FAKE_INTR, FAKE_STALL };

typedef struct fake_ev {
    int kind;
    size_t off; /* FAKE_DATA: offset into fake.stream */
    size_t len; /* FAKE_DATA: byte count (> 0) */
} fake_ev;

enum {
    FAKE_CONN_NOW = 0,      /* connect_start succeeds at once */
    FAKE_CONN_PROGRESS = 1, /* in progress, then connected */
    FAKE_CONN_LATE = 2,     /* sk_connect times out; the next wait connects */
    FAKE_CONN_LATER = 3,    /* times out twice, then connects */
    FAKE_CONN_REFUSED = 4,  /* in progress, then refused */
    FAKE_CONN_UNREACH = 5   /* refused at once (network unreachable) */
};

/* A cursor over the fuzzer's input, shared by the targets: reads past the
 * end give zeros, so every input decodes to some script. */
typedef struct reader {
    const uint8_t *p;
    size_t n;
} reader;

static inline unsigned rd8(reader *r)
{
    if (r->n == 0)
        return 0;
    r->n--;
    return *r->p++;
}

#define FAKE_MAX_FDS 64

struct fake_state {
    /* receive script */
    const unsigned char *stream;
    const fake_ev *ev;
    size_t nev;
    size_t iev;      /* current event */
    size_t ioff;     /* bytes of the current FAKE_DATA event delivered */
    int recv_end;    /* SK_ECLOSED, SK_ECONNRESET or SK_ETIMEOUT */
    uint64_t delivered;  /* bytes handed out by sk__plat_recv */
    unsigned long recv_ok; /* successful sk__plat_recv calls */
    unsigned long stalls;  /* FAKE_STALL events consumed */

    /* send script */
    size_t send_step;
    unsigned send_block_every;
    uint64_t send_limit;
    int send_end;
    uint64_t accepted;
    unsigned long send_calls;
    unsigned char *capture;  /* NULL: do not capture */
    size_t capture_cap, capture_len;

    /* connect script */
    int connect_mode;
    int connect_timeouts_left;

    /* environment */
    int has_ipv6;
    int64_t now_us;
    int started; /* startup minus cleanup */

    /* loop mode (see above) */
    int loop_mode;
    reader *script;        /* the bytes that decide (NULL: none left) */
    int thread_fail;       /* the next sk__plat_thread_start fails */
    int accept_fail;       /* the next accept says SK_ENORESOURCES */
    unsigned long waits;   /* poller waits */
    unsigned long threads; /* "threads" run (inline) */

    struct {
        int open, family, type, bound, listening, connected;
        int opt[SK_OPT_COUNT];
        sk__addr local, peer;
        unsigned gen;        /* bumped at each open: a reused number */
        int waker, signalled; /* a wake-up channel's descriptor */
        /* loop mode: */
        int connecting;      /* a connect in progress ... */
        int settle;          /* ... settled: 1 connected, or its error */
        uint64_t rx_pending; /* bytes readable now */
        uint64_t rx_pos;     /* bytes received so far */
        int rx_end;          /* after them: SK_ECLOSED, SK_ECONNRESET */
        int tx_block;        /* sends say SK_EWOULDBLOCK */
        uint64_t tx_total;   /* bytes the "peer" took */
        int pending;         /* clients waiting to be accepted */
    } fds[FAKE_MAX_FDS];
    int nopen;
    unsigned long datagrams;    /* sent by sk__plat_sendto */
    unsigned long unix_removed; /* socket files sk__plat_unix_remove saw */
};

extern struct fake_state fake;

void fake_fail(const char *what, const char *file, int line);
void fake_reset(void);
void fake_finish(void);

/* Bytes of data the receive script still holds before its next FAKE_STALL
 * (or its end); *code receives what a reader meets there: SK_ETIMEOUT for a
 * stall, else recv_end. */
size_t fake_recv_avail(int *code);

/* 1 when code is 0 or a value of the SK_ERRORS table. */
int fake_known_code(int code);

/* Byte p of every loop-mode stream: text with CRs, LFs, and lines of
 * every length up to 40 bytes. */
unsigned char fake_pattern(uint64_t p);

/* fake_addr.c: a native address (sockaddr_in / sockaddr_in6) of family
 * with the 4 or 16 bytes at ip and port; for SK__AF_UNIX an unnamed
 * address (ip and port unused). */
void fake_make_addr(sk__addr *a, int family, const unsigned char *ip,
                    int port);

#endif /* SK_FAKE_PLAT_H */
