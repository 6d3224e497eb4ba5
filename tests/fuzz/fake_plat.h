/* SPDX-License-Identifier: MIT */
/*
 * fake_plat.h - a scripted, in-memory stand-in for the backend (src/plat.h)
 * used by sockit's fuzz targets.  fake_plat.c implements every function of
 * plat.h without touching the OS: no socket, no resolver, no clock.
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
 * Addresses: sk__plat_resolve parses numeric IPv4 and IPv6 only (any name
 * gives SK_EHOSTNOTFOUND).  Connects follow connect_mode (FAKE_CONN_*).
 * Lookups: sk__plat_lookup likewise (numeric services only, no canonical
 * name), sk__plat_reverse finds no name, sk__plat_hostname is "fakehost".
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

    struct {
        int open, family, bound, listening, connected;
        int opt[SK_OPT_COUNT];
        sk__addr local, peer;
    } fds[FAKE_MAX_FDS];
    int nopen;
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

/* A cursor over the fuzzer's input, shared by both targets: reads past the
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

#endif /* SK_FAKE_PLAT_H */
