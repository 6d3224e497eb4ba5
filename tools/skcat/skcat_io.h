/* SPDX-License-Identifier: MIT */
/*
 * skcat_io.h - internal: the OS-specific copy loops of skcat.
 *
 * io_posix.c and io_win32.c each provide skcat_pump and skcat_pump_dgram
 * (only one of them compiles to anything on a given OS); skcat.c provides
 * skcat_progress.  stdin is shared by every client of -k: a loop that ends
 * leaves what it read and could not send for the next one, and once stdin
 * has ended it stays ended.
 */
#ifndef SKCAT_IO_H
#define SKCAT_IO_H

#include <sockit.h>

#include <stdint.h>

struct skcat_opts {
    double idle;  /* -w: no data either way for this long -> exit 1; <0 off */
    double quit;  /* -q: after stdin's end, wait at most this long; <0 off */
    int verbose;  /* -v */
};

/* skcat_pump: copy stdin to the connected stream client c and c to stdout,
 * each direction to its end (netcat's rule): the peer's end of stream ends
 * only the receiving; stdin's end shuts down c's sending side.  Returns 0
 * when both are over (or the -q wait after stdin's end ran out) and every
 * byte read from stdin was sent; 1 otherwise (an error, a send that failed,
 * the -w idle timeout), with a message on stderr.  Leaves c open: the
 * caller frees it.  Calls skcat_progress about once a second when stderr
 * is a terminal. */
int skcat_pump(sk_sock *c, const struct skcat_opts *o);

/* skcat_pump_dgram: the same for a datagram object with a peer: each read
 * of stdin is one datagram, each datagram received goes to stdout.  There
 * is no end of stream: after stdin's end it runs until -q or -w says
 * (-q: 0; -w: 1), or an error (1). */
int skcat_pump_dgram(sk_sock *c, const struct skcat_opts *o);

/* skcat_progress: one progress line (carriage return, no newline) with the
 * bytes copied so far; done != 0 ends the line.  Provided by skcat.c. */
void skcat_progress(uint64_t to_socket, uint64_t from_socket, double secs,
                    int done);

#endif /* SKCAT_IO_H */
