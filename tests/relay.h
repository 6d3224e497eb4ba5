/* SPDX-License-Identifier: MIT */
/*
 * relay.h - a small fault-injecting TCP relay for sockit's tests.
 *
 * The relay listens on 127.0.0.1 (system-chosen port), accepts ONE client,
 * connects to 127.0.0.1:upstream_port and forwards bytes both ways on its
 * own thread, injecting one fault.  "N" is the number of bytes forwarded
 * toward the client (server -> client) before the fault; bytes from the
 * client are forwarded normally unless said otherwise.  The relay reads
 * from the server at most what it may still forward, so exactly N bytes
 * cross before the fault.  Those faults are armed only once the client's
 * first bytes have crossed to the server (so the client's connect has
 * surely completed): the test sends a request first.
 *
 * It uses sockit's public API only; the test talks to it over a control
 * connection (no shared flags, no sleeps): sup_relay_wait_fault waits for
 * the relay's "fault applied" byte, sup_relay_stop sends "stop" and joins.
 * The relay thread never uses CMocka assertions: it records the first
 * unexpected failure, which sup_relay_stop asserts to be none.
 */
#ifndef SOCKIT_TEST_RELAY_H
#define SOCKIT_TEST_RELAY_H

#include <stddef.h>
#include <stdint.h>

#include "sockit.h"

enum sup_fault {
    /* Plain forwarding both ways (ends when both directions ended). */
    SUP_FAULT_NONE = 0,
    /* After N bytes toward the client: linger-0 close of the client-facing
     * socket (an RST), then close the upstream connection. */
    SUP_FAULT_RESET,
    /* After N bytes toward the client: shut down sending toward the client
     * (it reads end-of-stream), stop reading the server, and keep
     * forwarding what the client sends until it closes. */
    SUP_FAULT_HALFCLOSE,
    /* Every byte in its own send, TCP_NODELAY on both sides, both ways. */
    SUP_FAULT_TRICKLE,
    /* After N bytes toward the client: forward nothing more either way,
     * holding both connections open, until sup_relay_stop. */
    SUP_FAULT_STALL,
    /* Accept the client and close it at once, never connecting upstream. */
    SUP_FAULT_CLOSE_AT_ACCEPT
};

typedef struct sup_relay sup_relay;

/* sup_relay_start: start a relay toward 127.0.0.1:upstream_port with the
 * given fault; *port receives the relay's own port (connect clients
 * there).  Asserts (test thread only). */
sup_relay *sup_relay_start(int upstream_port, int fault, size_t n,
                           int *port);

/* sup_relay_wait_fault: wait until the relay has applied its fault (for
 * SUP_FAULT_CLOSE_AT_ACCEPT: closed the client).  Within the safety
 * timeout; asserts.  Not for SUP_FAULT_NONE / SUP_FAULT_TRICKLE. */
void sup_relay_wait_fault(sup_relay *r);

/* sup_relay_stop: tell the relay to stop (it closes its connections
 * gracefully, if still open), join its thread, assert that it met no
 * unexpected failure, report the bytes it forwarded toward the client and
 * toward the server (either pointer may be NULL), and free it. */
void sup_relay_stop(sup_relay *r, uint64_t *to_client, uint64_t *to_server);

#endif /* SOCKIT_TEST_RELAY_H */
